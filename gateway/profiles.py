"""Partner profiles: ``partners/<id>.toml`` -> frozen ``Profile``, and a reloading registry.

A broken edit never takes a partner down: the registry reports it and keeps the last
profile that loaded, until the file is fixed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from translators.model import DOCUMENT_TYPES

from .errors import ProfileError
from .tomlread import Table, load_toml

__all__ = [
    "EdifactProfile",
    "OdooMapping",
    "Profile",
    "ProfileRegistry",
    "X12Profile",
    "load_profile",
]

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
STATUSES = ("test", "active", "suspended")


@dataclass(frozen=True, slots=True, kw_only=True)
class X12Profile:
    qualifier: str
    id: str
    gs_id: str  # GS02 they send / GS03 we address; defaults to the ISA id
    ack: str = "997"  # 997 | 999 | none
    version: str = "004010"  # what we write to them


@dataclass(frozen=True, slots=True, kw_only=True)
class EdifactProfile:
    id: str
    qualifier: str | None = None
    ack: str = "CONTRL"  # CONTRL | none
    version: str = "D96A"
    charset: str = "UNOC"


@dataclass(frozen=True, slots=True, kw_only=True)
class OdooMapping:
    customer_ref: str | None = None
    product_id: str = "barcode"  # barcode | default_code | xref
    ship_to: dict[str, str] = field(default_factory=dict)
    xref: dict[str, str] = field(default_factory=dict)
    auto_confirm: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Profile:
    id: str
    name: str
    status: str
    path: Path
    gln: str | None = None
    as2_id: str | None = None
    x12: X12Profile | None = None
    edifact: EdifactProfile | None = None
    xml_ids: dict[str, str] = field(default_factory=dict)  # party ids their XML carries
    inbound: frozenset[str] = frozenset({"purchase_order", "functional_ack"})
    outbound: dict[str, str] = field(default_factory=dict)  # kind -> "x12:856" ...
    send_via: str | None = None
    ack_deadline_hours: float = 24.0
    max_attempts: int | None = None
    http_token_sha256: str | None = None
    sftp_username: str | None = None
    sftp_password_sha256: str | None = None
    sftp_authorized_keys: tuple[str, ...] = ()
    odoo: OdooMapping = field(default_factory=OdooMapping)

    def owns_sender(self, syntax: str, qualifier: str | None, ident: str) -> bool:
        """Does an envelope sender id belong to this partner? (transport auth said who)."""
        ident = ident.strip()
        if syntax == "x12" and self.x12 is not None:
            return ident in (self.x12.id, self.x12.gs_id) and (
                qualifier is None or qualifier.strip() == self.x12.qualifier
            )
        if syntax == "edifact" and self.edifact is not None:
            return ident == self.edifact.id
        if syntax == "xml":
            return ident in self.xml_ids.values() or ident == self.gln
        return False


def load_profile(path: Path) -> Profile:
    t = Table(load_toml(path), path=path)
    pid = t.req("id")
    if not _ID.match(pid):
        raise t.fail("id", "must be lower-case letters, digits, - or _ (max 64)")
    if pid != path.stem:
        raise t.fail("id", f"must match the file name ({path.stem!r})")
    x12, edi, as2, docs = t.table("x12"), t.table("edifact"), t.table("as2"), t.table("documents")
    sftp, http, odoo, acks = t.table("sftp"), t.table("http"), t.table("odoo"), t.table("acks")
    xml = t.table("xml")
    inbound: tuple[str, ...] = ("purchase_order", "functional_ack")
    outbound: dict[str, str] = {}
    if docs is not None:
        inbound = docs.str_list("inbound") if docs.has("inbound") else inbound
        outbound = docs.str_map("outbound")
        for kind in (*inbound, *outbound):
            if kind not in DOCUMENT_TYPES:
                raise docs.fail("inbound", f"unknown document kind {kind!r}")
    x12_id = x12.req("id") if x12 else None
    return Profile(
        id=pid,
        name=t.text("name", pid) or pid,
        status=t.choice("status", STATUSES, "test"),
        path=path,
        gln=t.text("gln"),
        as2_id=as2.req("id") if as2 else None,
        x12=X12Profile(
            qualifier=x12.text("qualifier", "ZZ") or "ZZ",
            id=x12_id,
            gs_id=x12.text("gs_id", x12_id) or x12_id,
            ack=x12.choice("ack", ("997", "999", "none"), "997"),
            version=x12.text("version", "004010") or "004010",
        )
        if x12 and x12_id
        else None,
        edifact=EdifactProfile(
            id=edi.req("id"),
            qualifier=edi.text("qualifier"),
            ack=edi.choice("ack", ("CONTRL", "none"), "CONTRL"),
            version=edi.text("version", "D96A") or "D96A",
            charset=edi.choice("charset", ("UNOA", "UNOB", "UNOC", "UNOY"), "UNOC"),
        )
        if edi
        else None,
        xml_ids=xml.str_map("ids") if xml else {},
        inbound=frozenset(inbound),
        outbound=outbound,
        send_via=docs.choice("send_via", ("as2", "sftp", "http", "none"), "none") if docs else None,
        ack_deadline_hours=acks.number("deadline_hours", 24.0) if acks else 24.0,
        max_attempts=int(acks.number("max_attempts", 1, minimum=1))
        if acks and acks.has("max_attempts")
        else None,
        http_token_sha256=http.sha256("token_sha256") if http else None,
        sftp_username=sftp.text("username") if sftp else None,
        sftp_password_sha256=sftp.sha256("password_sha256") if sftp else None,
        sftp_authorized_keys=sftp.str_list("authorized_keys") if sftp else (),
        odoo=OdooMapping(
            customer_ref=odoo.text("customer_ref"),
            product_id=odoo.choice("product_id", ("barcode", "default_code", "xref"), "barcode"),
            ship_to=odoo.str_map("ship_to"),
            xref=odoo.str_map("xref"),
            auto_confirm=odoo.flag("auto_confirm", False),
        )
        if odoo
        else OdooMapping(),
    )


class ProfileRegistry:
    """All profiles of a folder; ``refresh()`` picks up edits, keeping the last good one."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._profiles: dict[str, Profile] = {}
        self._mtimes: dict[Path, float] = {}
        self.problems: dict[Path, str] = {}  # file -> why its latest edit is not in force
        self.refresh()

    def refresh(self) -> list[str]:
        """Reload changed files; returns the problems found in this pass."""
        found: list[str] = []
        seen: set[Path] = set()
        for path in sorted(self.folder.glob("*.toml")) if self.folder.is_dir() else []:
            seen.add(path)
            mtime = path.stat().st_mtime
            if self._mtimes.get(path) == mtime:
                continue
            self._mtimes[path] = mtime
            try:
                profile = load_profile(path)
            except ProfileError as exc:
                self.problems[path] = str(exc)
                found.append(str(exc))
                continue
            self.problems.pop(path, None)
            self._profiles[profile.id] = profile
        for gone in set(self._mtimes) - seen:
            del self._mtimes[gone]
            self.problems.pop(gone, None)
            self._profiles.pop(gone.stem, None)
        return found

    def get(self, partner_id: str) -> Profile | None:
        return self._profiles.get(partner_id)

    def __iter__(self) -> Iterator[Profile]:
        return iter(sorted(self._profiles.values(), key=lambda p: p.id))

    def __len__(self) -> int:
        return len(self._profiles)
