"""Writing EDIFACT: canonical documents -> messages -> one UNB interchange.

pydifact serialises (escaping with the release character), so any text can be written; the UNA is
written when the separators differ from the defaults (or always, for clarity, when the
caller passes delimiters). Bytes are encoded in the declared syntax identifier's
character set; a character that set cannot hold is a ``RenderError``, and so is a
product id scheme EDIFACT has no item type code for. References kept under another
syntax's prefix (``x12:DP``) have no EDIFACT qualifier and are not written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Protocol

from pydifact.control.characters import Characters
from pydifact.segments import Segment as PydifactSegment
from pydifact.serializer import Serializer

from .. import codes
from ..api import WriteSettings
from ..codes import LINE_STATUS_UNCL1229
from ..errors import RenderError
from ..model import (
    Document,
    Invoice,
    Line,
    OrderResponse,
    Party,
    PartyId,
    PurchaseOrder,
    ShipNotice,
)
from ..result import Delimiters
from ..segmented import packs_apart, pick_writer
from ..writable import Repertoire, check_documents, check_text, edifact_repertoire
from . import invoice
from .body import BACKORDER
from .common import (
    DATE_QUALIFIERS,
    LINE_DATES,
    fmt_dec,
    nad_elements,
    product_elements,
    role_code,
)
from .common import dtm as _dtm
from .common import segment as _seg
from .directory import release_key
from .messages import LINE_ACTION, PURPOSE, RESPONSE
from .specs import Checks, check_segment, checks_for
from .tokenizer import CHARSETS, DEFAULT, Segment

__all__ = ["TARGETS", "envelope", "write"]

Body = list[list[list[str]]]  # segments of elements of components; [0][0] is the tag
Release = tuple[int, str]  # a directory release's sort key: (1996, "A")
_DATE_OUT = {v: k for k, v in DATE_QUALIFIERS.items()}
_LINE_DATE_OUT = {v: k for k, v in LINE_DATES.items()}


def _inverse(table: Mapping[str, str], value: str | None, what: str) -> str | None:
    if value is None:
        return None
    for code, name in table.items():
        if name == value:
            return code
    if value.startswith("edifact:"):
        return value[8:]
    raise RenderError(f"EDIFACT has no code for {what} {value!r}")


def _header(doc: Document, doc_code: str, function: str | None) -> Body:
    out: Body = [_seg("BGM", [doc_code], [doc.number or ""], function or "")]
    if doc.date:
        out.append(_dtm("137", doc.date))
    for name, when in doc.dates.items():
        qualifier = _DATE_OUT.get(name) or (name[8:] if name.startswith("edifact:") else None)
        if qualifier is None:  # never a canonical name where a DTM 2005 code belongs
            raise RenderError(f"dates.{name}: EDIFACT has no date qualifier for it")
        out.append(_dtm(qualifier, when))
    for scheme, value in doc.references.items():
        reference = codes.scheme_to(codes.EDIFACT_REFERENCE, "edifact", scheme)
        if reference:
            out.append(_seg("RFF", [reference, value]))
    for ref in getattr(doc, "order_refs", ()):
        out.append(_seg("RFF", ["ON", ref.number]))
        if ref.date:
            out.append(_dtm("171", ref.date))
    for role, party in doc.parties.items():
        out.append([["NAD"], *nad_elements(role, party)])
        for scheme, value in party.ids.items():  # the party's references: RFF in its group
            if scheme == "vat":
                out.append(_seg("RFF", ["VA", value]))
            elif scheme.startswith("edifact:"):
                out.append(_seg("RFF", [scheme[8:], value]))
        if role == "ship_to":
            out += _delivery_location(party)
    if doc.currency:
        out.append(_seg("CUX", ["2", doc.currency, "9"]))
    return out


def _delivery_location(party: Party) -> Body:
    """LOC+7 (place of delivery) in the NAD+DP group for the ship_to party's
    ``location:<scheme>`` id: ``body`` reads it back as that id (the NAD holding another
    value under the scheme)."""
    for scheme, value in party.ids.items():
        if scheme.startswith("location:"):
            plain = scheme.removeprefix("location:")
            agency = codes.scheme_to(codes.EDIFACT_PARTY_ID, "edifact", plain)
            if agency is None and plain != "edifact":
                raise RenderError(
                    f"parties.ship_to.ids[{scheme}]: no EDIFACT code list agency for it"
                )
            return [_seg("LOC", "7", [value, "", agency or ""])]
    return []


def _line_dates(line: Line) -> Body:
    out = []
    for name, when in line.dates.items():
        qualifier = _LINE_DATE_OUT.get(name)
        if qualifier is None:
            raise RenderError(
                f"lines[{line.line_no}].dates.{name}: EDIFACT has no line date for it"
            )
        out.append(_dtm(qualifier, when))
    return out


def _line(line: Line, qty_qualifier: str, action: str | None = None) -> Body:
    if line.trace_id is not None:  # read from UBL; refused rather than dropped
        raise RenderError(f"lines[{line.line_no}].trace_id: EDIFACT has no place for it")
    lin, pia = product_elements(line)
    out: Body = [_seg("LIN", line.line_no or "", action or "", lin)]
    if pia:
        out.append(_seg("PIA", "5", *pia))
    if line.description:
        out.append(_seg("IMD", "F", "", ["", "", "", line.description]))
    if line.quantity is not None:
        out.append(_seg("QTY", [qty_qualifier, fmt_dec(line.quantity), line.uom or ""]))
    if line.outstanding_quantity is not None:
        outstanding = fmt_dec(line.outstanding_quantity)
        out.append(_seg("QTY", [BACKORDER, outstanding, line.uom or ""]))
    out += _line_dates(line)
    if line.amount is not None:
        out.append(_seg("MOA", ["203", fmt_dec(line.amount)]))
    if line.lot:
        out.append(_seg("GIN", "BX", [line.lot]))
    if line.unit_price is not None:
        out.append(_seg("PRI", ["AAA", fmt_dec(line.unit_price)]))
    if line.order_ref is not None:
        out.append(_seg("RFF", ["ON", line.order_ref.number]))
    return out


def _totals(doc: Document, release: Release, *, is_invoice: bool = False) -> Body:
    """The summary MOAs of every total, each under the qualifier its directory has for it
    (``body.TOTALS`` reads each of them back): an invoice's gross is 77 invoice amount up
    to D01A and 86 message total from D01B (as the D97A and D03B public samples write it),
    an order's 86; rounding is 366 from D97B, 165 adjustment amount before."""
    t = doc.totals
    if t is None:
        return []
    gross = "77" if is_invoice and release < (2001, "B") else "86"
    rounding = "366" if release >= (1997, "B") else "165"
    pairs = (
        ("79", t.lines),
        ("260", t.allowances),
        ("259", t.charges),
        ("125", t.net),
        ("176", t.tax),
        (gross, t.gross),
        ("113", t.prepaid),
        ("9", t.payable),
        (rounding, t.rounding),
    )
    return [_seg("MOA", [q, fmt_dec(v)]) for q, v in pairs if v is not None]


def _orders(doc: Document, *, release: Release) -> Body:
    assert isinstance(doc, PurchaseOrder)
    function = _inverse(PURPOSE, doc.purpose or "original", "order purpose")
    out = _header(doc, doc.order_type or "220", function)
    for line in doc.lines:
        out += _line(line, "21")
    out.append(_seg("UNS", "S"))
    out += _totals(doc, release)
    out.append(_seg("CNT", ["2", str(len(doc.lines))]))
    return out


def _line_action(status: str | None) -> str | None:
    """UNCL1229 for an order response line. A backorder has no code of its own: it is a
    change (3), the delivery date or quantity not being what was ordered, as in Peppol."""
    code = LINE_STATUS_UNCL1229.get(status or "")
    return code or _inverse(LINE_ACTION, status, "line status")


def _ordrsp(doc: Document, *, release: Release) -> Body:
    assert isinstance(doc, OrderResponse)
    out = _header(doc, "231", _inverse(RESPONSE, doc.status, "order response status"))
    for line in doc.lines:
        out += _line(line, "21", _line_action(line.status))
    out.append(_seg("UNS", "S"))
    out += _totals(doc, release)
    out.append(_seg("CNT", ["2", str(len(doc.lines))]))
    return out


def _desadv(doc: Document, *, release: Release) -> Body:
    assert isinstance(doc, ShipNotice)
    out = _header(doc, "351", "9")
    s = doc.shipment
    if s is not None:
        if s.ship_date:
            out.insert(2 if doc.date else 1, _dtm("11", s.ship_date))
        if s.delivery_date:
            out.insert(2 if doc.date else 1, _dtm("17", s.delivery_date))
        if s.tracking:  # before the NADs: an RFF after a NAD is that party's reference
            first_nad = next((i for i, seg in enumerate(out) if seg[0] == ["NAD"]), len(out))
            out.insert(first_nad, _seg("RFF", ["BM", s.tracking]))
        if s.carrier:
            out.append(_seg("TDT", "20", "", "", "", [s.carrier]))
    out.append(_seg("CPS", "1"))
    packed = [line for pack in doc.packs for line in pack.contents]
    loose = list(doc.lines)
    for line in packed:
        if line in loose:
            loose.remove(line)
    if packs_apart(doc.lines, packed):  # lines at the consignment level (body.py says why)
        for line in doc.lines:
            out += _line(line, "12")
        loose = []
    number = 1
    for pack in doc.packs:
        number += 1
        out += [_seg("CPS", str(number), "1"), _seg("PAC", "1")]
        if pack.sscc:
            out.append(_seg("GIN", "BJ", [pack.sscc]))
        for line in pack.contents:
            out += _line(line, "12")
    if loose:
        out.append(_seg("CPS", str(number + 1), "1"))
        for line in loose:
            out += _line(line, "12")
    out.append(_seg("CNT", ["2", str(len(doc.lines))]))
    return out


def _invoic(doc: Document, *, release: Release) -> Body:
    assert isinstance(doc, Invoice)
    out = _header(doc, "381" if doc.invoice_kind == "credit_note" else "380", "9")
    payee = "remit_to" if "remit_to" in doc.parties else "seller"
    invoice.header_groups(out, doc, role_code(payee))
    for line in doc.lines:
        out += _line(line, "47") + invoice.line_groups(line)
    out.append(_seg("UNS", "S"))
    out += _totals(doc, release, is_invoice=True)
    out += invoice.summary_taxes(doc)
    out.append(_seg("CNT", ["2", str(len(doc.lines))]))
    return out


class _BodyWriter(Protocol):
    def __call__(self, doc: Document, *, release: Release) -> Body: ...


_WRITERS: Mapping[str, tuple[type[Document], _BodyWriter]] = {
    "ORDERS": (PurchaseOrder, _orders),
    "ORDRSP": (OrderResponse, _ordrsp),
    "DESADV": (ShipNotice, _desadv),
    "INVOIC": (Invoice, _invoic),
}
#: what ``write`` accepts as ``edifact:<code>``
TARGETS = tuple(_WRITERS)


def _serializer(d: Delimiters) -> Serializer:
    """pydifact writes the segments: it applies the release character to every service
    character (and the repetition separator of syntax 4) in the data."""
    return Serializer(
        Characters(
            component_separator=d.component,
            data_separator=d.element,
            decimal_point=d.decimal,
            escape_character=d.release or "?",
            reserved=d.repetition or " ",
            segment_terminator=d.segment,
        )
    )


def _pydifact(seg: list[list[str]]) -> PydifactSegment:
    # a segment with nothing in it (a LIN for a line with neither number nor product)
    # keeps one empty element: pydifact warns about, and readers choke on, a bare tag
    elements = [e[0] if len(e) == 1 else e for e in seg[1:]] or [""]
    return PydifactSegment(seg[0][0], *elements)


def envelope(
    messages: Sequence[tuple[str, str, Body]],
    settings: WriteSettings,
    *,
    sender: PartyId,
    receiver: PartyId,
) -> bytes:
    """(message type, version "D96A" or "D:3", body) triples -> one interchange."""
    d = settings.delimiters or DEFAULT
    charset, encoding = _charset(settings)
    last = settings.message_control + len(messages) - 1
    for value, where in (
        (settings.interchange_control, "interchange control number (UNB 0020)"),
        (settings.message_control, "message reference (UNH 0062)"),
        (last, "message reference (UNH 0062)"),
    ):
        _fits(str(value), 14, where)
    stamp = settings.timestamp
    unb = _seg(
        "UNB",
        [charset, "3"],
        [sender.id, sender.qualifier or ""],
        [receiver.id, receiver.qualifier or ""],
        [stamp.strftime("%y%m%d"), stamp.strftime("%H%M")],
        str(settings.interchange_control),
        "",  # S005 recipient's password
        "",  # 0026 application reference
        "",  # 0029 processing priority
        "1" if settings.ack_requested else "",  # 0031
        "",  # 0032 agreement identifier
        "1" if settings.test else "",  # 0035
    )
    segments: Body = [unb]
    control = settings.message_control
    for kind, version, body in messages:
        ref = str(control)
        directory = version if ":" in version else f"{version[:1]}:{version[1:]}"
        s009 = [kind, *directory.split(":"), "UN"]
        if settings.association:
            s009.append(settings.association)
        segments += [_seg("UNH", ref, s009), *body, _seg("UNT", str(len(body) + 2), ref)]
        control += 1
    segments.append(_seg("UNZ", str(len(messages)), str(settings.interchange_control)))
    serializer = _serializer(d)
    text = "".join(
        serializer.serialize([_pydifact(seg)], with_una_header=False) + d.suffix for seg in segments
    )
    if d != DEFAULT or settings.delimiters is not None:
        una = f"UNA{d.component}{d.element}{d.decimal}{d.release or ' '}{d.repetition or ' '}"
        text = f"{una}{d.segment}{d.suffix}{text}"
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as exc:
        raise RenderError(
            f"{exc.object[exc.start : exc.end]!r} cannot be written in {charset}; "
            "use UNOY (UTF-8) for this partner"
        ) from exc


#: Digits the numeric data elements we write hold (ISO 9735 n..N: sign and decimal mark
#: not counted): QTY 6060 and PRI 5118 n..15, MOA 5004 n..18 (D96A; later n..35), TAX
#: 5278 an..17.
_MAX_DIGITS: Mapping[str, int] = {
    "quantity": 15,
    "unit_price": 15,
    "amount": 18,
    "lines": 18,
    "allowances": 18,
    "charges": 18,
    "rounding": 18,
    "net": 18,
    "tax": 18,
    "gross": 18,
    "prepaid": 18,
    "payable": 18,
    "base": 18,
    "rate": 16,
}


def _charset(settings: WriteSettings) -> tuple[str, str]:
    charset = settings.charset or "UNOC"
    encoding = CHARSETS.get(charset)
    if encoding is None:
        raise RenderError(f"unknown EDIFACT syntax identifier {charset!r}")
    return charset, encoding


def _fits(value: str, size: int, where: str, field: str | None = None) -> None:
    """UNB/UNH identifiers are an..N: longer is not EDIFACT, so it is not written."""
    if len(value) > size:
        raise RenderError(
            f"{where}: {value!r} is longer than the {size} characters EDIFACT allows",
            field=field,
        )


def _check_party(party: PartyId, where: str, repertoire: Repertoire) -> None:
    check_text(party.id, f"{where}.id", repertoire)
    _fits(party.id, 35, f"{where}.id (UNB S002/S003 an..35)", f"{where}.id")
    if party.qualifier:
        check_text(party.qualifier, f"{where}.qualifier", repertoire)
        _fits(party.qualifier, 4, f"{where}.qualifier (UNB 0007 an..4)", f"{where}.qualifier")


def write(documents: Sequence[Document], *, target: str, settings: WriteSettings) -> bytes:
    version = settings.version or "D96A"
    release = release_key(version)
    writers = {name: (kind, partial(fn, release=release)) for name, (kind, fn) in _WRITERS.items()}
    body_of, sender, receiver = pick_writer(writers, "edifact", target, documents, settings)
    charset, encoding = _charset(settings)
    repertoire = edifact_repertoire(charset, encoding)
    # the parties are checked here, not in ``envelope``: a CONTRL mirrors the inbound UNB
    # and must still be sent when that UNB was itself too long
    _check_party(sender, "sender", repertoire)
    _check_party(receiver, "receiver", repertoire)
    check_documents(documents, repertoire, max_digits=_MAX_DIGITS, gs1=settings.check_gs1)
    bodies = [body_of(doc) for doc in documents]
    checks = checks_for(version)
    for body in bodies:
        _check_directory(body, checks, version)
    return envelope(
        [(target, version, body) for body in bodies],
        settings,
        sender=sender,
        receiver=receiver,
    )


#: Separators no written value holds (``check_documents`` refuses control characters), so
#: that a segment is checked by its compiled test without escaping anything.
_CHECKING = Delimiters(component="\x1f", element="\x1e", decimal=".", segment="\x1c")


def _check_directory(body: Body, checks: Checks, version: str) -> None:
    """What we write must read back: a value the directory has no room for (a description
    of 74 characters for D96A IMD 7008 an..35, a role code of 13) is refused, not sent."""
    for raw in body:
        tag = raw[0][0]
        seg = Segment(0, tag, [tag, *("\x1f".join(e) for e in raw[1:])], _CHECKING)
        for err in check_segment(seg, checks):
            if err.severity == "error":
                where = f"{tag} {err.element}" + (f".{err.component}" if err.component else "")
                raise RenderError(f"{where}: {err.message} (directory {version})")
