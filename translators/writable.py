"""What a target syntax can carry: the writers' one check of canonical values.

A writer that meets a value its syntax or character set cannot hold must refuse it with
a ``RenderError`` naming the canonical field (``lines[0].quantity: NaN cannot be
written``), never write it: a NaN quantity, a NUL in a name or a multibyte character in
a fixed-width ISA makes an interchange that our own reader (and the partner's) rejects.
Every writer (X12, EDIFACT, UBL) calls ``check_document`` with its ``Repertoire`` before
it builds anything, and ``check_text`` for the envelope values it takes from settings.

GS1 keys are checked on the way: a pack's ``sscc``, and the ``gtin``, ``upc`` and ``gln``
ids of parties and products, must have their GS1 check digit (``gs1``), since a retailer
charges back an ASN whose SSCC is wrong and a wrong GTIN or GLN matches nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import msgspec

from .errors import RenderError
from .gs1 import key_problem

__all__ = [
    "ASCII",
    "XML",
    "Repertoire",
    "check_decimal",
    "check_document",
    "check_documents",
    "check_key",
    "check_text",
    "edifact_repertoire",
]

#: Fields whose map keys are id schemes (``gtin``, ``gln``): the GS1 ones are checked.
_ID_MAPS = frozenset({"ids", "product"})


@dataclass(frozen=True, slots=True)
class Repertoire:
    """The characters a target can carry: ``bad`` finds one it cannot; ``encoding``, when
    set, must also encode the value (the EDIFACT ISO 8859 character sets)."""

    name: str
    bad: re.Pattern[str]
    encoding: str | None = None
    hint: str = ""  # what the user can do about it, appended to the message


_CONTROLS = "\x00-\x1f\x7f"
_SURROGATES = "\ud800-\udfff"

#: X12 basic and extended character sets are printable ASCII: no controls, no Unicode.
ASCII = Repertoire("X12 (printable ASCII)", re.compile(r"[^\x20-\x7e]"))
#: XML 1.0 Char: tab, newline and carriage return are the only controls; no surrogates,
#: no U+FFFE/U+FFFF.
XML = Repertoire("XML 1.0", re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]"))

_UNOA = re.compile(r"[^A-Z0-9 .,\-()/='+:?!\"%&*;<>]")
_UNOB = re.compile(r"[^A-Za-z0-9 .,\-()/='+:?!\"%&*;<>]")
#: ISO 8859 sets: what the encoding holds, minus the C0 and C1 control characters.
_ISO8859 = re.compile(f"[{_CONTROLS}\x80-\x9f{_SURROGATES}]")
_UTF8 = re.compile(f"[{_CONTROLS}{_SURROGATES}]")
_KEYS = Repertoire("any syntax", _UTF8)


def edifact_repertoire(charset: str, encoding: str) -> Repertoire:
    """The repertoire of an EDIFACT syntax identifier (UNOA..UNOY) and its encoding."""
    hint = "; use UNOY (UTF-8) for this partner"
    if charset == "UNOA":
        return Repertoire("UNOA", _UNOA, hint=hint)
    if charset == "UNOB":
        return Repertoire("UNOB", _UNOB, hint=hint)
    if encoding == "utf-8":
        return Repertoire(charset, _UTF8)
    return Repertoire(charset, _ISO8859, encoding, hint=hint)


def check_text(value: str, where: str, repertoire: Repertoire) -> str:
    """``value`` if the target can carry every character of it, else a RenderError."""
    found = repertoire.bad.search(value)
    if found is None and repertoire.encoding is not None:
        try:
            value.encode(repertoire.encoding)
        except UnicodeEncodeError as exc:
            raise RenderError(
                f"{where}: {value[exc.start : exc.end]!r} cannot be written in "
                f"{repertoire.name}{repertoire.hint}",
                field=where,
            ) from None
    if found is not None:
        raise RenderError(
            f"{where}: {found.group()!r} cannot be written in {repertoire.name}"
            f" (in {_shown(value)}){repertoire.hint}",
            field=where,
        )
    return value


def check_decimal(value: Decimal, where: str, max_digits: int | None = None) -> Decimal:
    """``value`` if it is finite and, with ``max_digits``, has at most that many digits
    as written (sign and decimal mark not counted, as ISO 9735 and X12 count them)."""
    if not value.is_finite():
        raise RenderError(f"{where}: {value} cannot be written", field=where)
    if max_digits is not None:
        digits = sum(ch.isdigit() for ch in format(value, "f"))
        if digits > max_digits:
            raise RenderError(
                f"{where}: {value} has {digits} digits, the target holds at most {max_digits}",
                field=where,
            )
    return value


def check_key(scheme: str, value: str, where: str) -> str:
    """``value`` if it is a valid GS1 key for ``scheme`` (``sscc``, ``gtin``, ``upc``,
    ``gln``; any other scheme passes), else a RenderError naming ``where``."""
    why = key_problem(scheme, value)
    if why is not None:
        raise RenderError(f"{where}: {_shown(value)} {why}", field=where)
    return value


def check_documents(
    docs: Sequence[msgspec.Struct],
    repertoire: Repertoire,
    *,
    max_digits: Mapping[str, int] | None = None,
    gs1: bool = True,
) -> None:
    """``check_document`` for each; paths start ``[i].`` when there are several."""
    for i, doc in enumerate(docs):
        prefix = f"[{i}]." if len(docs) > 1 else ""
        check_document(doc, repertoire, max_digits=max_digits, prefix=prefix, gs1=gs1)


def check_document(
    doc: msgspec.Struct,
    repertoire: Repertoire,
    *,
    max_digits: Mapping[str, int] | None = None,
    skip: frozenset[str] = frozenset({"envelope"}),
    prefix: str = "",
    gs1: bool = True,
) -> None:
    """Every text (keys included) and decimal of ``doc``, located by its JSON path.

    ``max_digits`` maps a field name (``quantity``, ``unit_price``) to the digits its
    target element holds. ``skip`` names top-level fields the writer does not take from
    the document (the envelope: a writer checks the parties it really uses). ``gs1``:
    GS1 keys (SSCC, GTIN, GLN) must have their check digits right.
    """
    limits = max_digits or {}
    for name in doc.__struct_fields__:
        if name not in skip:
            _walk(getattr(doc, name), prefix + name, name, repertoire, limits, gs1)


def _walk(  # noqa: PLR0917 - a recursive walk, every argument passed on as it is
    value: object,
    path: str,
    name: str,
    repertoire: Repertoire,
    limits: Mapping[str, int],
    gs1: bool,
) -> None:
    if value is None or isinstance(value, bool | int):
        return
    if isinstance(value, str):
        check_text(value, path, repertoire)
        if gs1 and name == "sscc":
            check_key("sscc", value, path)
    elif isinstance(value, Decimal):
        check_decimal(value, path, limits.get(name))
    elif isinstance(value, msgspec.Struct):
        for field in value.__struct_fields__:
            _walk(getattr(value, field), f"{path}.{field}", field, repertoire, limits, gs1)
    elif isinstance(value, tuple | list):
        for i, item in enumerate(value):
            _walk(item, f"{path}[{i}]", name, repertoire, limits, gs1)
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}[{_shown(key)}]"
            check_text(key, where, _KEYS)  # codes, mapped by the writers: no controls
            _walk(item, where, name, repertoire, limits, gs1)
            if gs1 and name in _ID_MAPS and isinstance(item, str):
                check_key(key, item, where)


def _shown(text: str) -> str:
    """``text`` with controls and surrogates escaped, for a message a terminal can show."""
    return text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text
