"""One pass over a trade message (ORDERS, ORDRSP, DESADV, INVOIC): what they share.

Header (BGM, DTM, RFF(+DTM 171), NAD(+RFF), CUX, TDT), packing (CPS/PAC/GIN), line
groups (LIN, PIA, IMD, QTY, PRI, MOA, RFF) and the summary after UNS (MOA, TAX+MOA,
ALC+MOA, CNT). Each message then picks what its canonical kind needs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .. import codes
from ..model import OrderRef, Party, Tax
from .common import DATE_QUALIFIERS, dec, parse_date, party_from
from .tokenizer import Segment

__all__ = ["Body", "read_body"]

#: QTY 6063 qualifiers that carry a line's quantity, by preference.
_QTY = ("21", "12", "47", "113", "1", "46", "192")
_LINE_AMOUNT = ("203", "66", "38")
_TOTALS = {
    "79": "lines",
    "125": "net",
    "176": "tax",
    "77": "gross",
    "86": "gross",
    "9": "payable",
    "113": "prepaid",
    "131": "charges",
    "260": "allowances",
}


@dataclass(slots=True)
class Body:
    bgm: Segment | None = None
    date: dt.date | None = None
    dates: dict[str, dt.date] = field(default_factory=dict)
    references: dict[str, str] = field(default_factory=dict)
    order_refs: list[OrderRef] = field(default_factory=list)
    parties: dict[str, Party] = field(default_factory=dict)
    currency: str | None = None
    carrier: str | None = None
    tracking: str | None = None
    lines: list[dict[str, Any]] = field(default_factory=list)
    packs: list[dict[str, Any]] = field(default_factory=list)  # {"sscc", "lines": [index]}
    totals: dict[str, Decimal] = field(default_factory=dict)
    taxes: list[Tax] = field(default_factory=list)
    cnt: Segment | None = None


def _qty(line: dict[str, Any], seg: Segment, mark: str) -> None:
    qualifier = seg.get(1, 1)
    rank = _QTY.index(qualifier) if qualifier in _QTY else len(_QTY)
    if rank < line.get("_qty_rank", len(_QTY) + 1):
        line["_qty_rank"] = rank
        line["quantity"] = dec(seg.get(1, 2), mark)
        line["uom"] = seg.get(1, 3) or None


def _header(body: Body, seg: Segment, tag: str, state: dict[str, Any]) -> None:
    if tag == "BGM":
        body.bgm = seg
    elif tag == "DTM":
        qualifier, when = seg.get(1, 1), parse_date(seg.get(1, 2), seg.get(1, 3) or "102")
        if when is None:
            return
        if qualifier == "137":
            body.date = when
        elif qualifier == "171" and state.get("ref") is not None:
            ref = state["ref"]
            body.order_refs[ref] = OrderRef(number=body.order_refs[ref].number, date=when)
        else:
            body.dates.setdefault(DATE_QUALIFIERS.get(qualifier, f"edifact:{qualifier}"), when)
    elif tag == "RFF":
        qualifier, value = seg.get(1, 1), seg.get(1, 2)
        party = state.get("party")
        if party is not None:  # RFF in a NAD group: the party's own references
            scheme = "vat" if qualifier == "VA" else f"edifact:{qualifier}"
            body.parties[party].ids.setdefault(scheme, value)
        elif qualifier == "ON" and state["orders_are_refs"]:
            body.order_refs.append(OrderRef(number=value))
            state["ref"] = len(body.order_refs) - 1
            return
        elif qualifier in ("BM", "CN", "AAS") and state["despatch"] and body.tracking is None:
            body.tracking = value
        else:
            body.references.setdefault(f"edifact:{qualifier}", value)
        state["ref"] = None
    elif tag == "NAD":
        role, party = party_from(seg)
        if role not in body.parties:
            body.parties[role] = party
            state["party"] = role
        else:
            state["party"] = None
    elif tag == "CUX":
        body.currency = seg.get(1, 2) or body.currency
    elif tag == "TDT":
        body.carrier = seg.get(5, 1) or seg.get(5, 4) or body.carrier


def read_body(segments: list[Segment], *, orders_are_refs: bool, despatch: bool = False) -> Body:
    """``orders_are_refs``: RFF+ON names the order answered (ORDRSP, DESADV, INVOIC);
    ``despatch``: RFF+BM/CN/AAS is the shipment's tracking reference (DESADV)."""
    body = Body()
    mark = segments[0].delimiters.decimal
    state: dict[str, Any] = {
        "party": None,
        "ref": None,
        "orders_are_refs": orders_are_refs,
        "despatch": despatch,
    }
    line: dict[str, Any] | None = None
    pack: dict[str, Any] | None = None
    summary = False
    tax: Tax | None = None
    allowance: str | None = None
    for seg in segments[1:-1]:
        tag = seg.tag
        if tag != "RFF" and tag not in ("CTA", "COM", "DTM"):
            state["party"] = None
        if tag == "UNS":
            summary, line = True, None
        elif summary:
            if tag == "TAX":
                tax = Tax(category=seg.get(2, 1) or None, rate=dec(seg.get(5, 4), mark))
                body.taxes.append(tax)
            elif tag == "ALC":
                allowance, tax = ("allowances" if seg.get(1) == "A" else "charges"), None
            elif tag == "MOA":
                qualifier, amount = seg.get(1, 1), dec(seg.get(1, 2), mark)
                if amount is None:
                    continue
                if tax is not None and qualifier in ("124", "125", "150"):
                    field_name = "base" if qualifier == "125" else "amount"
                    body.taxes[-1] = tax = Tax(**{**_tax_fields(tax), field_name: amount})
                elif allowance is not None and qualifier in ("8", "23", "204"):
                    body.totals[allowance] = body.totals.get(allowance, Decimal(0)) + amount
                elif qualifier in _TOTALS:
                    body.totals.setdefault(_TOTALS[qualifier], amount)
            elif tag == "CNT":
                body.cnt, tax, allowance = seg, None, None
            else:
                tax, allowance = None, None
        elif tag == "CPS":
            pack, line = None, None
        elif tag == "GIN" and seg.get(1) == "BJ":
            pack = {"sscc": seg.get(2, 1), "lines": []}
            body.packs.append(pack)
        elif tag == "LIN":
            line = {"line_no": seg.get(1) or None, "product": {}}
            if seg.get(3, 1):
                scheme = codes.scheme_from(codes.EDIFACT_PRODUCT_ID, "edifact", seg.get(3, 2))
                line["product"][scheme] = seg.get(3, 1)
            line["_action"] = seg.get(2) or None
            body.lines.append(line)
            if pack is not None:
                pack["lines"].append(len(body.lines) - 1)
        elif line is not None:
            _line(line, seg, tag, mark)
        else:
            _header(body, seg, tag, state)
    return body


def _tax_fields(tax: Tax) -> dict[str, Any]:
    return {"category": tax.category, "rate": tax.rate, "base": tax.base, "amount": tax.amount}


def _line(line: dict[str, Any], seg: Segment, tag: str, mark: str) -> None:
    if tag == "PIA":
        for element in seg.elements[1:]:
            if element and element[0]:
                kind = element[1] if len(element) > 1 else ""
                scheme = codes.scheme_from(codes.EDIFACT_PRODUCT_ID, "edifact", kind)
                line["product"].setdefault(scheme, element[0])
    elif tag == "IMD" and "description" not in line:
        text = " ".join(c for c in seg.elements[2][3:5] if c) if len(seg.elements) > 2 else ""
        line["description"] = text or None
    elif tag == "QTY":
        _qty(line, seg, mark)
    elif tag == "PRI" and "unit_price" not in line:
        line["unit_price"] = dec(seg.get(1, 2), mark)
    elif tag == "MOA" and seg.get(1, 1) in _LINE_AMOUNT and "amount" not in line:
        line["amount"] = dec(seg.get(1, 2), mark)
    elif tag == "RFF" and seg.get(1, 1) == "ON" and "order_ref" not in line:
        line["order_ref"] = OrderRef(number=seg.get(1, 2))
