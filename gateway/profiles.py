"""Partner profiles: ``partners/<id>.toml`` -> frozen ``Profile``, and a reloading registry.

A broken edit never takes a partner down: the registry reports it and keeps the last
profile that loaded, until the file is fixed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from translators import Delimiters
from translators.model import DOCUMENT_TYPES

from .errors import ConfigError, ProfileError
from .names import shown
from .tomlread import Table, load_toml

__all__ = [
    "PARTNER_ID_RULE",
    "EdifactProfile",
    "OdooMapping",
    "Profile",
    "ProfileRegistry",
    "X12Profile",
    "check_partner_id",
    "clashes",
    "find_profile",
    "identifiers",
    "load_profile",
    "validate_folder",
]

#: A partner id names a file (``<id>.toml``), folders and store rows: no separators, no
#: dots, nothing a shell or a path would read specially.
PARTNER_ID_RULE = r"^[a-z0-9][a-z0-9_-]{0,63}$"
_ID = re.compile(PARTNER_ID_RULE)
#: ``[xml] sender``: must a document name a sender id the profile owns, or does the
#: transport's authentication suffice when it names none?
XML_SENDER = ("document", "transport")
STATUSES = ("test", "active", "suspended")
#: ``[acks] unknown_segments``: what a segment the set's table does not have there does
UNKNOWN_SEGMENTS = ("note", "reject")


@dataclass(frozen=True, slots=True, kw_only=True)
class X12Profile:
    qualifier: str
    id: str
    gs_id: str  # GS02 they send / GS03 we address; defaults to the ISA id
    ack: str = "997"  # 997 | 999 | none
    version: str = "004010"  # what we write to them
    #: ``[x12] delimiters``: element, component, segment (and repetition); None: ours
    delimiters: Delimiters | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class EdifactProfile:
    id: str
    qualifier: str | None = None
    ack: str = "CONTRL"  # CONTRL | none
    version: str = "D96A"  # the directory agreed: what we write, what we expect
    charset: str = "UNOC"
    other_versions: str = "note"  # a message in another directory: note | refuse
    #: lower-case letters under UNOA: a CONTRL 21 warning, or (true) a rejection
    strict_charset: bool = False
    #: ``[edifact] delimiters``: the UNA service string advice we write; None: no UNA
    delimiters: Delimiters | None = None


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
    xml_sender: str = "document"  # XML_SENDER: "transport" accepts documents naming nobody
    #: ``[xml] max_bytes``: an XML document is parsed whole (about 13x its size in
    #: memory), so it has a limit of its own below the payload limit; None: the gateway's
    xml_max_bytes: int | None = None
    inbound: frozenset[str] = frozenset({"purchase_order", "functional_ack"})
    outbound: dict[str, str] = field(default_factory=dict)  # kind -> "x12:856" ...
    send_via: str | None = None
    ack_deadline_hours: float = 24.0
    #: ``[acks] answer_duplicates``: a repeated interchange gets a rejecting TA1 025 /
    #: CONTRL 26 (duplicate detected) instead of silence
    answer_duplicates: bool = False
    #: ``[acks] unknown_segments``: a segment the set / message has not there (997 AK304
    #: 1 or 2, CONTRL UCS 15) is noted (accepted with errors) or rejects it
    unknown_segments: str = "note"
    #: ``[acks] application``: each EDIFACT business message is also answered by an
    #: APERAK: negative when the gateway holds it or the ERP refuses it, else positive
    application_acks: bool = False
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


def check_partner_id(pid: str) -> str | None:
    """Why ``pid`` is not a usable partner id, or None. Checked before any file is named
    after it (``partners new``) and on every profile load, with the same rule."""
    if _ID.fullmatch(pid):
        return None
    return (
        "must be 1-64 lower-case letters, digits, - or _, starting with a letter or digit "
        f"({PARTNER_ID_RULE})"
    )


def _checked(t: Table, value: str, chars: dict[str, str]) -> dict[str, str]:
    """``chars`` (name -> separator taken from ``value``) when each is ASCII, no letter,
    digit or space, and no two are alike: a separator that data or the fixed-width ISA
    can hold would cut values apart."""
    for name, char in chars.items():
        if not char.isascii() or char.isalnum() or char == " ":
            raise t.fail(
                "delimiters",
                f"{value!r}: {char!r} cannot be the {name} separator "
                "(a letter, digit, space or non-ASCII character)",
            )
        if list(chars.values()).count(char) > 1:
            raise t.fail("delimiters", f"{value!r}: {char!r} is used twice; each must differ")
    return chars


def _x12_delimiters(t: Table, version: str) -> Delimiters | None:
    """Element, component, segment and, for 005010 on (ISA11), repetition separator."""
    value = t.text("delimiters")
    if value is None:
        return None
    if len(value) not in (3, 4):
        raise t.fail(
            "delimiters",
            f"{value!r}: must be 3 or 4 characters (element, component, segment, repetition)",
        )
    if version[:6] >= "005010" and len(value) == 3:
        raise t.fail(
            "delimiters",
            f"{value!r}: version {version} writes ISA11, the repetition separator: "
            "give it as a 4th character",
        )
    names = ("element", "component", "segment", "repetition")
    chars = _checked(t, value, dict(zip(names, value, strict=False)))
    # a line break after each segment reads better, unless the terminator is one
    suffix = "" if chars["segment"] in "\r\n" else "\n"
    return Delimiters(**chars, suffix=suffix)


def _edifact_delimiters(t: Table) -> Delimiters | None:
    """The six UNA characters. We write syntax version 3, where the 5th is reserved (a
    space), and our writer escapes data with the release character, so there must be one."""
    value = t.text("delimiters")
    if value is None:
        return None
    if len(value) != 6:
        raise t.fail(
            "delimiters",
            f"{value!r}: must be the 6 characters of a UNA (component, element, decimal mark, "
            'release, reserved, segment terminator), e.g. ":+.? \'"',
        )
    if value[4] != " ":
        raise t.fail("delimiters", f"{value!r}: the 5th character is reserved, a space")
    if value[2] not in ".,":
        raise t.fail("delimiters", f"{value!r}: the decimal mark (3rd) must be '.' or ','")
    names = ("component", "element", "decimal", "release", "segment")
    return Delimiters(**_checked(t, value, dict(zip(names, value[:4] + value[5], strict=True))))


def load_profile(path: Path) -> Profile:
    t = Table(load_toml(path), path=path)
    pid = t.req("id")
    if (why := check_partner_id(pid)) is not None:
        raise t.fail("id", why)
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
    x12_version = (x12.text("version", "004010") if x12 else None) or "004010"
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
            version=x12_version,
            delimiters=_x12_delimiters(x12, x12_version),
        )
        if x12 and x12_id
        else None,
        edifact=EdifactProfile(
            id=edi.req("id"),
            qualifier=edi.text("qualifier"),
            ack=edi.choice("ack", ("CONTRL", "none"), "CONTRL"),
            version=edi.text("version", "D96A") or "D96A",
            charset=edi.choice("charset", ("UNOA", "UNOB", "UNOC", "UNOY"), "UNOC"),
            other_versions=edi.choice("other_versions", ("note", "refuse"), "note"),
            strict_charset=edi.flag("strict_charset", False),
            delimiters=_edifact_delimiters(edi),
        )
        if edi
        else None,
        xml_ids=xml.str_map("ids") if xml else {},
        xml_sender=xml.choice("sender", XML_SENDER, "document") if xml else "document",
        xml_max_bytes=(int(xml.number("max_bytes", 0)) or None) if xml else None,
        inbound=frozenset(inbound),
        outbound=outbound,
        send_via=docs.choice("send_via", ("as2", "sftp", "http", "none"), "none") if docs else None,
        ack_deadline_hours=acks.number("deadline_hours", 24.0) if acks else 24.0,
        answer_duplicates=acks.flag("answer_duplicates", False) if acks else False,
        unknown_segments=acks.choice("unknown_segments", UNKNOWN_SEGMENTS, "note")
        if acks
        else "note",
        application_acks=acks.flag("application", False) if acks else False,
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


def find_profile(folder: Path, partner_id: str) -> Profile:
    """The profile of ``partner_id`` in ``folder``, loaded now (one-shot commands); its id
    is checked before a file name is built from it."""
    if (why := check_partner_id(partner_id)) is not None:
        raise ConfigError(f"partner id {shown(partner_id)}: {why}")
    path = folder / f"{partner_id}.toml"
    if not path.is_file():
        raise ConfigError(f"no partner {partner_id!r}: {shown(path)} does not exist")
    return load_profile(path)


def identifiers(p: Profile) -> dict[str, str]:
    """Every id by which a transport or a document names this partner -> the profile key
    that sets it. The gateway trusts these to say who sent a file, so no two profiles may
    share one: the same file would be accepted, and ordered, once for each."""
    ids: dict[str, str] = {}
    if p.as2_id:
        ids[f"AS2 id {p.as2_id.strip()}"] = "as2.id"
    if p.x12:
        for ident, key in ((p.x12.id, "x12.id"), (p.x12.gs_id, "x12.gs_id")):
            ids.setdefault(f"X12 sender {p.x12.qualifier.strip()}/{ident.strip()}", key)
    if p.edifact:
        # owns_sender matches the UNB id alone, so the qualifier cannot tell two apart
        ids[f"EDIFACT sender {p.edifact.id.strip()}"] = "edifact.id"
    for scheme, ident in p.xml_ids.items():
        ids.setdefault(f"XML party id {ident.strip()}", f"xml.ids.{scheme}")
    if p.gln:  # an XML document naming this GLN is theirs (owns_sender)
        ids.setdefault(f"XML party id {p.gln.strip()}", "gln")
    if p.sftp_username:
        ids[f"SFTP username {p.sftp_username}"] = "sftp.username"
    if p.http_token_sha256:
        ids[f"HTTP token {p.http_token_sha256[:12]}…"] = "http.token_sha256"
    return ids


def clashes(p: Profile, other: Profile) -> list[ProfileError]:
    """``p`` against a profile of another partner: one error per identifier both claim."""
    theirs = identifiers(other)
    return [
        ProfileError(
            f"{ident} is also claimed by partner {other.id!r} ({shown(other.path)}, "
            f"key {theirs[ident]}); ids must be unique across profiles",
            path=str(p.path),
            key=key,
        )
        for ident, key in identifiers(p).items()
        if ident in theirs
    ]


def validate_folder(
    folder: Path, *, only: Path | None = None
) -> tuple[list[Profile], list[ConfigError]]:
    """Every profile of ``folder`` checked alone and against the others (``partners
    validate``). With ``only``, that file is checked against the folder's others and only
    its own problems are returned. A shared id is reported once, on the later file."""
    paths = sorted(folder.glob("*.toml")) if folder.is_dir() else []
    if only is not None:
        paths = [q for q in paths if q.resolve() != only.resolve()] + [only]
    loaded: list[Profile] = []
    good: list[Profile] = []
    problems: list[ConfigError] = []
    for path in paths:
        mine = only is None or path is only
        try:
            profile = load_profile(path)
        except ConfigError as exc:
            problems += [exc] if mine else []
            continue
        found = [c for q in loaded if q.id != profile.id for c in clashes(profile, q)]
        loaded.append(profile)
        if mine:
            problems += found
            good += [] if found else [profile]
    return good, problems


class ProfileRegistry:
    """All profiles of a folder; ``refresh()`` picks up edits, keeping the last good one.

    A profile that claims an identifier of another one in force is not put in force (the
    other keeps it); it is tried again on every refresh, so fixing either file clears it.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._profiles: dict[str, Profile] = {}
        self._mtimes: dict[Path, float] = {}
        self.problems: dict[Path, str] = {}  # file -> why its latest edit is not in force
        self.refresh()

    def refresh(self) -> list[str]:
        """Reload changed files; returns the problems new in this pass (a problem that
        stands is reported once, not on every pass)."""
        found: list[str] = []
        seen: set[Path] = set()
        for path in sorted(self.folder.glob("*.toml")) if self.folder.is_dir() else []:
            seen.add(path)
            try:
                mtime = path.stat().st_mtime
            except OSError:  # removed since the listing: the next pass forgets it
                continue
            if self._mtimes.get(path) == mtime:
                continue
            problem = self._load(path, mtime)
            if problem is None:
                self.problems.pop(path, None)
            elif self.problems.get(path) != problem:
                self.problems[path] = problem
                found.append(problem)
        for gone in (set(self._mtimes) | set(self.problems)) - seen:
            self._mtimes.pop(gone, None)
            self.problems.pop(gone, None)
            self._profiles.pop(gone.stem, None)
        return found

    def _load(self, path: Path, mtime: float) -> str | None:
        """Put the file's profile in force, or say why not. A clash leaves the mtime
        unrecorded, so the file is retried until the other side is fixed."""
        try:
            profile = load_profile(path)
        except ConfigError as exc:
            self._mtimes[path] = mtime
            return str(exc)
        others = (p for p in self._profiles.values() if p.id != profile.id)
        if found := [str(c) for q in others for c in clashes(profile, q)]:
            self._mtimes.pop(path, None)
            return "; ".join(found)
        self._mtimes[path] = mtime
        self._profiles[profile.id] = profile
        return None

    def get(self, partner_id: str) -> Profile | None:
        return self._profiles.get(partner_id)

    def __iter__(self) -> Iterator[Profile]:
        return iter(sorted(self._profiles.values(), key=lambda p: p.id))

    def __len__(self) -> int:
        return len(self._profiles)
