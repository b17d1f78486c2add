"""810 invoice: BIG header, IT1 lines, TDS totals (implied 2 decimals), TXI taxes.

TDS01 is the total invoice amount (canonical ``totals.gross``) and TDS02 the amount
subject to terms discount, which we write and read as ``totals.net``. An 810 line has no
line-amount element, so canonical line amounts are neither read nor written here.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from ...errors import Issue
from ...model import Document, Envelope, Invoice, OrderRef, Tax, Totals
from ..common import dec, fmt_date, fmt_dec, parse_date, trim
from ..tokenizer import Segment
from .orders import ctt_issues, line_segments, read_header, write_header

__all__ = ["read_810", "write_810"]

#: TXI01 tax type -> canonical tax category (others keep "x12:<code>").
TAX_TYPES: Mapping[str, str] = {
    "VA": "VAT",
    "ST": "sales",
    "GS": "GST",
    "CP": "county",
    "CT": "city",
    "FD": "federal",
}
_TAX_OUT = {v: k for k, v in TAX_TYPES.items()}


def read_810(segments: list[Segment], envelope: Envelope) -> tuple[Document, list[Issue]]:
    big = next(s for s in segments if s.tag == "BIG")
    parts = read_header(segments, "IT1")
    taxes: list[Tax] = []
    totals: dict[str, Decimal | None] = {}
    in_summary = False
    for seg in segments:
        if seg.tag == "TDS":
            in_summary = True
            totals["gross"] = dec(seg.get(1), 2)
            totals["net"] = dec(seg.get(2), 2)
        elif seg.tag == "TXI" and in_summary:
            taxes.append(
                Tax(
                    category=TAX_TYPES.get(seg.get(1), f"x12:{seg.get(1)}"),
                    amount=dec(seg.get(2)),
                    rate=dec(seg.get(3)),
                    base=dec(seg.get(8)),
                )
            )
    if taxes and all(t.amount is not None for t in taxes):
        totals["tax"] = sum((t.amount for t in taxes if t.amount is not None), Decimal(0))
    doc = Invoice(
        number=big.get(2) or None,
        date=parse_date(big.get(1)),
        currency=parts.currency,
        parties=parts.parties,
        lines=tuple(parts.lines),
        totals=Totals(**{k: v for k, v in totals.items() if v is not None}) if totals else None,
        envelope=envelope,
        references=parts.references,
        dates=parts.dates,
        invoice_kind="credit_note" if big.get(7) == "CR" else "invoice",
        order_refs=(OrderRef(number=big.get(4), date=parse_date(big.get(3))),)
        if big.get(4)
        else (),
        taxes=tuple(taxes),
    )
    return doc, ctt_issues(parts, segments)


def write_810(doc: Document) -> list[list[str]]:
    assert isinstance(doc, Invoice)
    ref = doc.order_refs[0] if doc.order_refs else None
    out = [
        trim(
            [
                "BIG",
                fmt_date(doc.date) if doc.date else "",
                doc.number or "",
                fmt_date(ref.date) if ref and ref.date else "",
                ref.number if ref else "",
                "",
                "",
                "CR" if doc.invoice_kind == "credit_note" else "DI",
            ]
        )
    ]
    out += write_header(doc)
    for line in doc.lines:
        out += line_segments("IT1", line, amount=False)
    t = doc.totals or Totals()
    gross = t.gross if t.gross is not None else Decimal(0)
    out.append(trim(["TDS", fmt_dec(gross, 2), fmt_dec(t.net, 2) if t.net is not None else ""]))
    for tax in doc.taxes:
        code = _TAX_OUT.get(tax.category or "") or (tax.category or "ZZ").removeprefix("x12:")
        out.append(
            trim(
                [
                    "TXI",
                    code[:2],
                    fmt_dec(tax.amount) if tax.amount is not None else "",
                    fmt_dec(tax.rate) if tax.rate is not None else "",
                    "",
                    "",
                    "",
                    "",
                    fmt_dec(tax.base) if tax.base is not None else "",
                ]
            )
        )
    out.append(["CTT", str(len(doc.lines))])
    return out
