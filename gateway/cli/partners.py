"""``edigw partners list|show|validate|new``: onboarding works on the profile files."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..names import shown
from ..profiles import Profile, ProfileRegistry, check_partner_id, validate_folder
from .common import settings_of

__all__ = ["add_parser"]

_TEMPLATE = """# Partner profile for {name}. Every key is explained in docs/onboarding.md.
id = "{id}"
name = "{name}"
status = "test"                   # test -> active once test messages pass; suspended stops all

# gln = "5412345678908"           # the partner's GLN, when they have one

[x12]                             # remove this table if they do not send X12
qualifier = "ZZ"                  # ISA05/ISA07 qualifier they use
id = "{ID}"                       # ISA06 (their interchange sender id)
# gs_id = "{ID}"                  # GS02 when it differs from the ISA id
ack = "997"                       # 997 | 999 | none: what we send back for their documents
version = "004010"                # X12 version of what we send them

# [edifact]                       # for EDIFACT partners
# id = "5412345678908"            # UNB sender id
# qualifier = "14"
# ack = "CONTRL"                  # CONTRL | none

[documents]
inbound = ["purchase_order", "functional_ack"]
outbound = {{ ship_notice = "x12:856", invoice = "x12:810" }}
send_via = "none"                 # as2 | sftp | http | none

[acks]
deadline_hours = 24               # their 997/CONTRL for what we send is overdue after this
# unknown_segments = "note"       # note | reject: a segment their set may not hold there

# [http]
# token_sha256 = "..."            # sha256 hex of the bearer token they use (never the token)

[odoo]
customer_ref = "{ID}"             # the Odoo customer (res.partner ref) their orders belong to
product_id = "barcode"            # barcode | default_code | xref
auto_confirm = false
"""


def add_parser(sub: Any) -> None:
    p = sub.add_parser("partners", help="partner profiles: list, show, validate, new")
    psub = p.add_subparsers(dest="action", required=True)
    lst = psub.add_parser("list", help="every partner with status and identifiers")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(func=_list)
    show = psub.add_parser("show", help="one partner's profile as loaded")
    show.add_argument("id")
    show.set_defaults(func=_show)
    val = psub.add_parser("validate", help="check a profile file or folder (default: all)")
    val.add_argument("path", nargs="?", type=Path)
    val.set_defaults(func=_validate)
    new = psub.add_parser("new", help="write a commented template profile")
    new.add_argument("id")
    new.add_argument("--name")
    new.set_defaults(func=_new)


def _ids(p: Profile) -> str:
    parts = []
    if p.as2_id:
        parts.append(f"as2={p.as2_id}")
    if p.x12:
        parts.append(f"x12={p.x12.qualifier}/{p.x12.id}")
    if p.edifact:
        parts.append(f"edifact={p.edifact.id}")
    if p.gln:
        parts.append(f"gln={p.gln}")
    return " ".join(parts)


def _registry(args: argparse.Namespace) -> ProfileRegistry:
    return ProfileRegistry(settings_of(args).partners_dir)


def _list(args: argparse.Namespace) -> int:
    reg = _registry(args)
    for p in reg:
        if args.json:
            print(json.dumps({"id": p.id, "name": p.name, "status": p.status, "ids": _ids(p)}))
        else:
            print(f"{p.id:16} {p.status:9} {p.name:28} {_ids(p)}")
    for problem in reg.problems.values():
        print(f"error: {problem}", file=sys.stderr)
    return 1 if reg.problems else 0


def _show(args: argparse.Namespace) -> int:
    reg = _registry(args)
    p = reg.get(args.id)
    if p is None:
        print(f"no partner {args.id!r} in {shown(reg.folder)}", file=sys.stderr)
        return 1
    print(f"{p.id}: {p.name} [{p.status}]  ({shown(p.path)})")
    print(f"  identifiers: {_ids(p)}")
    if p.x12:
        print(f"  x12: ack {p.x12.ack}, writes version {p.x12.version}, GS id {p.x12.gs_id}")
    if p.edifact:
        print(f"  edifact: ack {p.edifact.ack}, writes {p.edifact.version} {p.edifact.charset}")
    print(f"  inbound: {', '.join(sorted(p.inbound))}")
    outbound = ", ".join(f"{k}={v}" for k, v in p.outbound.items()) or "-"
    print(f"  outbound: {outbound} via {p.send_via or 'none'}")
    print(f"  ack deadline: {p.ack_deadline_hours:g} h")
    print(f"  odoo: customer {p.odoo.customer_ref or '-'}, products by {p.odoo.product_id}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    """Every problem, not just the first: each file alone, then their identifiers against
    each other (a clash means one file would be processed twice). A single file is
    checked against the other profiles of its folder."""
    target: Path | None = args.path
    if target is None or target.is_dir():
        folder = target or settings_of(args).partners_dir
        good, problems = validate_folder(folder)
        if not good and not problems:
            print(f"error: {shown(folder)}: no partner profiles (*.toml)", file=sys.stderr)
            return 1
    else:
        good, problems = validate_folder(target.parent, only=target)
    for p in good:
        print(f"ok: {shown(p.path)}: {p.id} [{p.status}] {_ids(p)}")
    for exc in problems:
        print(f"error: {exc}", file=sys.stderr)
    return 1 if problems else 0


def _new(args: argparse.Namespace) -> int:
    """The id names a file: it is checked against the id rule before any path is built
    from it (``../../x`` would otherwise be written outside the partners folder)."""
    if (why := check_partner_id(args.id)) is not None:
        print(f"error: partner id {shown(args.id)}: {why}", file=sys.stderr)
        return 2
    name = args.name or args.id
    if any("\ud800" <= c <= "\udfff" for c in name):
        print(f"error: --name {shown(name)}: not valid text (undecodable bytes)", file=sys.stderr)
        return 2
    folder = settings_of(args).partners_dir
    path = folder / f"{args.id}.toml"
    text = _TEMPLATE.format(id=args.id, name=_toml_text(name), ID=args.id.upper())
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as fh:  # never through an existing name or link
            fh.write(text)
    except FileExistsError:
        print(f"error: {shown(path)} exists already; not overwritten", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: {shown(path)}: cannot write: {exc.strerror or exc}", file=sys.stderr)
        return 1
    shown_path = shown(path)
    print(f"wrote {shown_path}: edit the identifiers, then `edigw partners validate {shown_path}`")
    return 0


def _toml_text(value: str) -> str:
    """``--name`` inside a TOML basic string: JSON's escapes are TOML's, except that TOML
    also forbids DEL unescaped (json leaves it), so any name reads back exactly."""
    return json.dumps(value, ensure_ascii=False)[1:-1].replace("\x7f", "\\u007f")
