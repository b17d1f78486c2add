"""``edigw translate`` and ``edigw render``: the translators from the command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import msgspec

import translators
from translators import GatewayError, InterchangeResult, Issue, MessageResult

from ..profiles import Profile
from .addressing import check_billing_kind, partner_profile, render_target, write_settings

if TYPE_CHECKING:
    from lxml import etree

__all__ = ["add_parser"]

_CHUNK = 1 << 20
_STYLESHEET_BYTES = 10 << 20
EXIT_INVALID = 1
EXIT_UNREADABLE = 2


def add_parser(sub: Any) -> None:
    p = sub.add_parser("translate", help="EDI/XML files -> canonical JSON Lines on stdout")
    p.add_argument(
        "files",
        nargs="+",
        metavar="file",
        help="input files, read in turn (- for standard input); exit status is the worst",
    )
    p.add_argument(
        "--partner",
        help="check as the gateway does for this partner: sender ids, agreed kinds, directory",
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="one report object per message: status, document and located issues",
    )
    p.add_argument("--xslt", type=Path, help="XML only: partner dialect -> UBL stylesheet")
    p.add_argument("--schema", type=Path, help="XML only: XSD to validate against")
    p.set_defaults(func=run_translate)

    r = sub.add_parser("render", help="canonical JSON -> EDI/XML on stdout")
    r.add_argument("file", help="canonical JSON (one document, a list, or JSON Lines); - = stdin")
    r.add_argument(
        "--to", help="x12:856, edifact:DESADV, ubl:Invoice, ... (default: the partner's outbound)"
    )
    r.add_argument(
        "--partner",
        help="address it to this partner: our ids from gateway.toml, theirs, version and "
        "character set from the profile",
    )
    r.add_argument("--sender", help="QUALIFIER:ID of the sender (default: ours, or the envelope)")
    r.add_argument("--receiver", help="QUALIFIER:ID of the receiver (default: the partner's)")
    r.add_argument("--version", help="syntax version: 004010, 005010, D96A, D01B, 2.1 ...")
    r.add_argument("--control", type=int, default=1, help="first control number (default 1)")
    r.add_argument("--test", action="store_true", help="mark the interchange as a test")
    r.set_defaults(func=run_render)


def _chunks(fh: BinaryIO) -> Iterator[bytes]:
    while chunk := fh.read(_CHUNK):
        yield chunk


def _open(name: str) -> BinaryIO:
    return sys.stdin.buffer if name == "-" else open(name, "rb")


def _issue_json(issue: Issue) -> dict[str, Any]:
    return {k: v for k, v in _asdict(issue).items() if v is not None}


def _asdict(issue: Issue) -> dict[str, Any]:
    return {name: getattr(issue, name) for name in issue.__slots__}


def run_translate(args: argparse.Namespace) -> int:
    """Each file in turn to stdout; the exit status is the worst of the files'. A bad
    ``--xslt`` or ``--partner`` is reported once, before any file is read."""
    try:
        args.style = _stylesheet(args.xslt) if args.xslt else None
        args.profile = partner_profile(args)
    except GatewayError as exc:  # InputRefused, ConfigError
        print(f"{exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    out = sys.stdout.buffer
    status = 0
    for source in args.files:
        status = max(status, _translate_file(source, args, out))
    out.flush()
    return status


def _translate_file(source: str, args: argparse.Namespace, out: BinaryIO) -> int:
    invalid = False

    def report(issues: tuple[Issue, ...]) -> None:
        nonlocal invalid
        if issues:  # one write per message: stderr is line-buffered, a flush per line
            invalid = invalid or any(i.is_error for i in issues)
            sys.stderr.write("".join(f"{translators.format_issue(i, source)}\n" for i in issues))

    try:
        with _open(source) as fh:
            for item in _items(fh, args):
                if isinstance(item, MessageResult):
                    report(item.issues)
                    invalid = invalid or item.document is None
                    if args.json:
                        out.write(msgspec.json.encode(_message_report(item)) + b"\n")
                    elif item.document is not None:
                        out.write(translators.to_json_bytes(item.document) + b"\n")
                else:
                    report(_envelope_issues(item))
    except OSError as exc:
        print(f"{source}: cannot read: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    except translators.DetectError as exc:
        print(f"{source}: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    except translators.SyntaxFault as exc:
        report(exc.issues) if exc.issues else print(f"{source}: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except GatewayError as exc:  # TranslationError, or a schema that cannot be loaded
        print(f"{source}: {exc}", file=sys.stderr)
        return EXIT_INVALID
    return EXIT_INVALID if invalid else 0


def _items(fh: BinaryIO, args: argparse.Namespace) -> Iterator[MessageResult | InterchangeResult]:
    """Stream any syntax; XML with a dialect stylesheet or schema, and anything checked
    against a partner's profile (the checks see the whole interchange), is read whole."""
    if args.xslt is None and args.schema is None and args.profile is None:
        yield from translators.stream(_chunks(fh))
        return
    for read in _read_whole(fh.read(), args):
        ix = read if args.profile is None else _checked(read, args.profile)
        yield from ix.messages
        yield ix


def _checked(ix: InterchangeResult, profile: Profile) -> InterchangeResult:
    from ..pipeline.checks import check_interchange

    return check_interchange(ix, profile)


def _read_whole(data: bytes, args: argparse.Namespace) -> list[InterchangeResult]:
    if args.xslt is None and args.schema is None:
        return translators.read(data)
    from translators import xml

    from ..xml_schemas import load_schema

    validator = load_schema(args.schema) if args.schema else None
    return xml.read(data, inbound_xslt=args.style, validator=validator)


def _stylesheet(path: Path) -> etree.XSLT:
    """Read like any file named by hand (regular, bounded), then compiled at the edge."""
    from ..xml_schemas import compile_stylesheet
    from .payload import read_payload

    data = read_payload(str(path), limit=_STYLESHEET_BYTES, follow_symlinks=True, stdin=False)
    return compile_stylesheet(data, path)


def _envelope_issues(ix: InterchangeResult) -> tuple[Issue, ...]:
    """Interchange and group issues; message issues were reported with their message."""
    return ix.issues + tuple(i for g in ix.groups for i in g.issues)


def _message_report(m: MessageResult) -> dict[str, Any]:
    report: dict[str, Any] = {
        "message": m.code,
        "control": m.control,
        "status": m.status,
        "issues": [_issue_json(i) for i in m.issues],
    }
    if m.document is not None:
        report["document"] = m.document  # a Struct: encoded as translators.to_json does
    return report


def _option(exc: translators.TranslationError, args: argparse.Namespace) -> str:
    """``--sender ZZZ:ABC: `` when the value at fault came from that option, else ""."""
    field = getattr(exc, "field", None) or ""
    name = field.partition(".")[0]
    given = getattr(args, name, None) if name in ("sender", "receiver") else None
    return f"--{name} {given}: " if given else ""


def run_render(args: argparse.Namespace) -> int:
    try:
        with _open(args.file) as fh:
            docs = translators.from_json_documents(fh.read())
    except OSError as exc:
        print(f"{args.file}: cannot read: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    except translators.CanonicalJsonError as exc:  # located: JSON path, line of JSON Lines
        print(f"{args.file}: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    if not docs:
        print(f"{args.file}: no documents", file=sys.stderr)
        return EXIT_INVALID
    try:
        profile = partner_profile(args)
        target = render_target(args, profile, docs[0])
        check_billing_kind(target, docs)
        syntax, _ = translators.target_backend(target)
        settings = write_settings(args, docs[0], syntax, profile)
        data = translators.write(docs, target=target, settings=settings)
    except translators.TranslationError as exc:
        print(f"{args.file}: {_option(exc, args)}{exc}", file=sys.stderr)
        return EXIT_INVALID
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return 0
