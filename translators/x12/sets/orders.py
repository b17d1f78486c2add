"""850 purchase order and 855 purchase order acknowledgement, both directions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from ... import codes
from ...errors import Issue, RenderError
from ...model import (
    Document,
    Envelope,
    Line,
    OrderRef,
    OrderResponse,
    Party,
    PurchaseOrder,
    Totals,
)
from ...text import digits
from ..common import (
    DATE_QUALIFIERS,
    LINE_DATES,
    LOT,
    dec,
    fmt_date,
    fmt_dec,
    parse_date,
    party_from,
    party_segments,
    product_ids,
    trim,
)
from ..tokenizer import Segment

__all__ = [
    "HeaderParts",
    "date_segments",
    "line_date",
    "line_segments",
    "product_elements",
    "read_850",
    "read_855",
    "read_header",
    "write_850",
    "write_855",
    "write_header",
]

PURPOSE: Mapping[str, str] = {
    "00": "original",
    "01": "cancel",
    "04": "change",
    "05": "replace",
    "06": "confirmation",
    "07": "duplicate",
}
_PURPOSE_OUT = {v: k for k, v in PURPOSE.items()}
ACK_STATUS: Mapping[str, str] = {
    "AC": "accepted_with_changes",
    "AE": "accepted_with_changes",
    "AD": "accepted",
    "AK": "accepted",
    "AT": "accepted",
    "AP": "accepted",
    "RD": "rejected",
    "RJ": "rejected",
    "RF": "rejected",
    "RO": "rejected",
}
_ACK_STATUS_OUT = {"accepted": "AD", "accepted_with_changes": "AC", "rejected": "RJ"}
LINE_STATUS: Mapping[str, str] = {
    "IA": "accepted",
    "IR": "rejected",
    "ID": "rejected",
    "IB": "backordered",
    "BP": "backordered",
    "IC": "accepted_with_changes",
    "IP": "accepted_with_changes",
    "IQ": "accepted_with_changes",
    "IS": "accepted_with_changes",
}
_LINE_STATUS_OUT = {
    "accepted": "IA",
    "rejected": "IR",
    "backordered": "IB",
    "accepted_with_changes": "IC",
}
_PARTY_LOOP = frozenset({"N2", "N3", "N4", "PER"})
_LINE_DETAIL = frozenset({"PID", "ACK", "AMT", "DTM"})
_LINE_DATES_OUT = {name: qualifier for qualifier, name in LINE_DATES.items()}
_PROMISED = _LINE_DATES_OUT["promised_delivery"]


@dataclass(slots=True)
class HeaderParts:
    """What the 850, 855 and 810 headers share: currency, refs, dates, parties, lines."""

    currency: str | None = None
    references: dict[str, str] = field(default_factory=dict)
    dates: dict[str, dt.date] = field(default_factory=dict)
    parties: dict[str, Party] = field(default_factory=dict)
    lines: list[Line] = field(default_factory=list)
    line_segments: int = 0
    summary_amount: Decimal | None = None
    ctt: Segment | None = None


def read_header(segments: list[Segment], line_tag: str) -> HeaderParts:
    """One pass over a set: header CUR/REF/DTM/N1 loops, ``line_tag`` lines with PID, AMT,
    DTM and ACK (status, promised date), the CTT and the summary AMT. Written as a flat
    loop over local variables: it runs per segment, and each line is built by one
    constructor call when it ends."""
    out = HeaderParts()
    lines = out.lines
    party_loop: list[Segment] | None = None
    in_line = False
    line_no: str | None = None
    product: dict[str, str] = {}
    quantity: Decimal | None = None
    uom: str | None = None
    unit_price: Decimal | None = None
    description: str | None = None
    described = False
    status: str | None = None
    amount: Decimal | None = None
    lot: str | None = None
    dates: dict[str, dt.date] = {}
    units = codes.X12_UOM

    def line() -> Line:
        return Line(
            line_no=line_no,
            product=product,
            description=description,
            quantity=quantity,
            uom=uom,
            unit_price=unit_price,
            amount=amount,
            status=status,
            lot=lot,
            dates=dates,
        )

    for seg in segments[1:-1]:
        tag = seg.tag
        els = seg.elements
        if party_loop is not None:
            if tag in _PARTY_LOOP:
                party_loop.append(seg)
                continue
            role, party = party_from(party_loop)
            out.parties.setdefault(role, party)
            party_loop = None
        if tag == line_tag:
            if in_line:
                lines.append(line())
            in_line = True
            out.line_segments += 1
            n = len(els)  # PO101..PO105 may be cut short
            line_no = (els[1] or None) if n > 1 else None
            quantity = dec(els[2]) if n > 2 else None
            code = els[3] if n > 3 else ""
            uom = units.get(code, code) if code else None
            unit_price = dec(els[4]) if n > 4 else None
            product, lot = product_ids(seg, 6)  # PO106/07, PO108/09 ...: qualifier, id pairs
            description, described, status, amount, dates = None, False, None, None, {}
        elif in_line and tag in _LINE_DETAIL:
            code = els[1] if len(els) > 1 else ""
            if tag == "PID" and code == "F":
                if not described:
                    description, described = seg.get(5) or None, True
            elif tag == "ACK":
                status = LINE_STATUS.get(code, f"x12:{code}")
                line_date(dates, seg.get(4), seg.get(5))
            elif tag == "DTM":
                line_date(dates, code, seg.get(2))
            elif tag == "AMT" and code == "1":
                amount = dec(seg.get(2))
        elif tag == "CTT":
            if in_line:
                lines.append(line())
            in_line = False
            out.ctt = seg
        elif in_line:
            continue
        elif tag == "N1":
            party_loop = [seg]
        elif tag == "AMT" and seg.get(1) in ("1", "TT"):
            out.summary_amount = dec(seg.get(2))
        elif tag == "CUR":
            out.currency = seg.get(2) or None
        elif tag == "REF" and seg.get(1):
            scheme = codes.scheme_from(codes.X12_REFERENCE, "x12", seg.get(1))
            out.references.setdefault(scheme, seg.get(2) or seg.get(3))
        elif tag == "DTM":
            when = parse_date(seg.get(2))
            if when is not None:
                out.dates.setdefault(DATE_QUALIFIERS.get(seg.get(1), f"x12:{seg.get(1)}"), when)
    if in_line:
        lines.append(line())
    if party_loop is not None:
        role, party = party_from(party_loop)
        out.parties.setdefault(role, party)
    return out


def line_date(dates: dict[str, dt.date], qualifier: str, value: str) -> None:
    """A line DTM (or ACK04/ACK05) with a qualifier of ``LINE_DATES``: the first one counts."""
    name = LINE_DATES.get(qualifier)
    when = parse_date(value) if name else None
    if name and when is not None:
        dates.setdefault(name, when)


def ctt_issues(parts: HeaderParts, segments: list[Segment]) -> list[Issue]:
    """CTT01 is the number of line items; a mismatch is noted (AK5 E), not a rejection."""
    if parts.ctt is None or not digits(parts.ctt.get(1).strip()):
        return []
    stated = int(parts.ctt.get(1))
    if stated == parts.line_segments:
        return []
    return [
        Issue(
            level="segment",
            code="8",
            severity="warning",
            segment_tag="CTT",
            segment_number=parts.ctt.number,
            segment_index=segments.index(parts.ctt) + 1,
            element=1,
            message=f"CTT01 says {stated} line items, found {parts.line_segments}",
        )
    ]


def read_850(segments: list[Segment], envelope: Envelope) -> tuple[Document, list[Issue]]:
    beg = next(s for s in segments if s.tag == "BEG")
    parts = read_header(segments, "PO1")
    doc = PurchaseOrder(
        number=beg.get(3) or None,
        date=parse_date(beg.get(5)),
        currency=parts.currency,
        parties=parts.parties,
        lines=tuple(parts.lines),
        totals=Totals(lines=parts.summary_amount) if parts.summary_amount is not None else None,
        envelope=envelope,
        references=parts.references,
        dates=parts.dates,
        purpose=PURPOSE.get(beg.get(1), f"x12:{beg.get(1)}"),
        order_type=beg.get(2) or None,
    )
    return doc, ctt_issues(parts, segments)


def read_855(segments: list[Segment], envelope: Envelope) -> tuple[Document, list[Issue]]:
    bak = next(s for s in segments if s.tag == "BAK")
    parts = read_header(segments, "PO1")
    doc = OrderResponse(
        number=bak.get(8) or None,
        date=parse_date(bak.get(9)) or parse_date(bak.get(4)),
        currency=parts.currency,
        parties=parts.parties,
        lines=tuple(parts.lines),
        envelope=envelope,
        references=parts.references,
        dates=parts.dates,
        status=ACK_STATUS.get(bak.get(2), f"x12:{bak.get(2)}"),
        order_refs=(OrderRef(number=bak.get(3), date=parse_date(bak.get(4))),)
        if bak.get(3)
        else (),
    )
    return doc, ctt_issues(parts, segments)


# --- writing -----------------------------------------------------------------------------


def write_header(doc: Document) -> list[list[str]]:
    """CUR, REF, DTM and N1 loops of a document, in that order."""
    out: list[list[str]] = []
    if doc.currency:
        out.append(["CUR", "BY", doc.currency])
    for scheme, value in doc.references.items():
        qualifier = codes.scheme_to(codes.X12_REFERENCE, "x12", scheme)
        if qualifier:
            out.append(["REF", qualifier, value])
    reverse = {v: k for k, v in DATE_QUALIFIERS.items()}
    for name, when in doc.dates.items():
        qualifier = reverse.get(name) or (name[4:] if name.startswith("x12:") else None)
        if qualifier:
            out.append(["DTM", qualifier, fmt_date(when)])
    for role, party in doc.parties.items():
        out += party_segments(role, party)
    return out


def product_elements(line: Line) -> list[str]:
    """Qualifier, id pairs of the line's product ids, then the lot number's."""
    out: list[str] = []
    for scheme, ident in line.product.items():
        qualifier = codes.scheme_to(codes.X12_PRODUCT_ID, "x12", scheme)
        if qualifier is None:
            raise RenderError(f"product id scheme {scheme!r} has no X12 qualifier")
        out += [qualifier, ident]
    if line.lot:
        out += [LOT, line.lot]
    for name in ("trace_id", "outstanding_quantity"):  # read from UBL; X12 has no place
        if getattr(line, name) is not None:
            raise RenderError(f"line {line.line_no or ''}: {name}: X12 has no place for it")
    return out


def date_segments(line: Line, *, skip: str = "") -> list[list[str]]:
    """A DTM for each line date (``LINE_DATES``) but ``skip``; a date X12 has no
    qualifier for is refused by name, never dropped."""
    for name in line.dates:
        if name not in _LINE_DATES_OUT:
            raise RenderError(
                f"line {line.line_no or ''}: dates.{name}: X12 has no line date for it"
            )
    return [
        ["DTM", _LINE_DATES_OUT[name], fmt_date(when)]
        for name, when in line.dates.items()
        if name != skip
    ]


def line_segments(tag: str, line: Line, *, amount: bool = True) -> list[list[str]]:
    """PO1 / IT1 with ids, then PID (description), DTM (dates), ACK (status and, as
    ACK04/05, the promised delivery date) and AMT (line amount)."""
    out = [
        trim(
            [
                tag,
                line.line_no or "",
                fmt_dec(line.quantity) if line.quantity is not None else "",
                codes.uom_to_x12(line.uom) if line.uom else "",
                fmt_dec(line.unit_price) if line.unit_price is not None else "",
                "",
                *product_elements(line),
            ]
        )
    ]
    if line.description:
        out.append(["PID", "F", "", "", "", line.description])
    promised = line.dates.get("promised_delivery") if line.status else None
    out += date_segments(line, skip="promised_delivery" if promised else "")
    if line.status:
        code = _LINE_STATUS_OUT.get(line.status) or line.status.removeprefix("x12:")
        out.append(
            trim(
                [
                    "ACK",
                    code,
                    fmt_dec(line.quantity) if line.quantity else "",
                    codes.uom_to_x12(line.uom) if line.uom else "",
                    _PROMISED if promised else "",
                    fmt_date(promised) if promised else "",
                ]
            )
        )
    if amount and line.amount is not None:
        out.append(["AMT", "1", fmt_dec(line.amount)])
    return out


def write_850(doc: Document) -> list[list[str]]:
    assert isinstance(doc, PurchaseOrder)
    purpose = _PURPOSE_OUT.get(doc.purpose or "original") or (doc.purpose or "00")[4:]
    out = [
        trim(
            [
                "BEG",
                purpose,
                doc.order_type or "SA",
                doc.number or "",
                "",
                fmt_date(doc.date) if doc.date else "",
            ]
        )
    ]
    out += write_header(doc)
    for line in doc.lines:
        out += line_segments("PO1", line)
    out.append(["CTT", str(len(doc.lines))])
    if doc.totals is not None and doc.totals.lines is not None:
        out.append(["AMT", "1", fmt_dec(doc.totals.lines)])
    return out


def write_855(doc: Document) -> list[list[str]]:
    assert isinstance(doc, OrderResponse)
    ref = doc.order_refs[0] if doc.order_refs else OrderRef(number="")
    status = _ACK_STATUS_OUT.get(doc.status or "accepted") or (doc.status or "AD")[4:]
    po_date = ref.date or doc.date
    out = [
        trim(
            [
                "BAK",
                "00",
                status,
                ref.number,
                fmt_date(po_date) if po_date else "",
                "",
                "",
                "",
                doc.number or "",
                fmt_date(doc.date) if doc.date else "",
            ]
        )
    ]
    out += write_header(doc)
    for line in doc.lines:
        out += line_segments("PO1", line)
    out.append(["CTT", str(len(doc.lines))])
    return out
