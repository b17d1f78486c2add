"""One pass over a trade message (ORDERS, ORDRSP, DESADV, INVOIC): what they share.

Header (BGM, DTM, RFF(+DTM 171), NAD(+RFF), LOC+7, CUX, TDT), packing (CPS/PAC/GIN), line
groups (LIN, PIA, IMD, QTY, DTM, GIN+BX, PRI, MOA, RFF) and the summary after UNS (MOA, TAX+MOA,
ALC+MOA, CNT). Each message then picks what its canonical kind needs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import msgspec

from .. import codes
from ..model import OrderRef, Party, Tax
from .common import DATE_QUALIFIERS, LINE_DATES, dec, parse_date, party_from
from .tokenizer import Segment

__all__ = ["BACKORDER", "TOTALS", "Body", "read_body"]

#: QTY 6063 qualifiers that carry a line's quantity, by preference.
_QTY = ("21", "12", "47", "113", "1", "46", "192")
_QTY_RANK = {qualifier: rank for rank, qualifier in enumerate(_QTY)}
#: QTY 6063 83, backorder quantity: what is still to come, never the line's quantity
BACKORDER = "83"
_LINE_AMOUNT = ("203", "66", "38")
#: Segments of a line group that the line takes something from.
_LINE_DETAIL = frozenset({"PIA", "IMD", "QTY", "PRI", "MOA", "RFF", "DTM"})
#: Segments after which a DTM is still the line's own: the LIN group's first segments and
#: the PCI group (EANCOM DESADV: PCI+36E, DTM+36 expiry, GIN+BX batch). Any other segment
#: opens a group whose DTM is its own (RFF+DTM, PRI+DTM, LOC+DTM, ...).
_LINE_DATED = frozenset(
    {"LIN", "PIA", "IMD", "MEA", "QTY", "PCD", "ALI", "DTM", "MOA", "GIN", "GIR", "DLM", "FTX"}
    | {"PCI"}
)
#: Totals field <- where it is read from, the first one present winning: a summary MOA's
#: 5025 qualifier (outside a TAX or ALC group), or "ALC+A" / "ALC+C", the amounts of the
#: summary's allowance / charge groups summed. Synonyms in order of precision: 388 "total
#: amount including VAT" (D01B on) before 77 invoice amount, 39 invoice total, 86 message
#: total and 128 total amount (orders); 389 "amount excluding VAT" (D01B on) before 125
#: taxable amount; 176 message total duty/tax/fee before 124 tax amount; 366 rounding
#: amount (D97B on) before 165 adjustment amount (what earlier directories have); 131
#: total charges/allowances counts as charges only when nothing says more. 129 (subject to
#: payment discount), 136 (additional amount), 64 and 67 (freight, insurance) have no
#: canonical total and are not read.
TOTALS: Mapping[str, tuple[str, ...]] = {
    "lines": ("79",),
    "allowances": ("260", "ALC+A"),
    "charges": ("259", "ALC+C", "131"),
    "net": ("389", "125"),
    "tax": ("176", "124"),
    "gross": ("388", "77", "39", "86", "128"),
    "prepaid": ("113",),
    "payable": ("9",),
    "rounding": ("366", "165"),
}
#: MOA qualifiers of a summary ALC group that are its amount
_ALC_AMOUNT = frozenset({"8", "23", "204", "131"})


class LineFields:
    """What a line group (LIN and what follows it) says, as read; ``given`` names the
    fields whose first occurrence counts (a later IMD, PRI, MOA or RFF+ON is ignored)."""

    __slots__ = (
        "action",
        "amount",
        "dated",
        "dates",
        "description",
        "given",
        "line_no",
        "lot",
        "order_ref",
        "outstanding",
        "product",
        "qty_rank",
        "quantity",
        "unit_price",
        "uom",
    )

    def __init__(self, line_no: str | None, product: dict[str, str], action: str | None):
        self.line_no = line_no
        self.product = product
        self.action = action  # LIN 1229, the ORDRSP line status
        self.description: str | None = None
        self.quantity: Decimal | None = None
        self.uom: str | None = None
        self.qty_rank = len(_QTY) + 1  # rank in _QTY of the QTY the quantity came from
        self.unit_price: Decimal | None = None
        self.amount: Decimal | None = None
        self.order_ref: OrderRef | None = None
        self.dates: dict[str, dt.date] = {}
        self.dated = True  # a DTM here is still the line's (see _LINE_DATED)
        self.lot: str | None = None  # GIN+BX, the first one
        self.outstanding: Decimal | None = None  # QTY+83
        self.given: set[str] = set()


@dataclass(slots=True)
class Body:
    bgm: Segment | None = None
    date: dt.date | None = None
    dates: dict[str, dt.date] = field(default_factory=dict)
    references: dict[str, str] = field(default_factory=dict)
    order_refs: list[OrderRef] = field(default_factory=list)
    parties: dict[str, Party] = field(default_factory=dict)
    #: LOC+7 place of delivery: (scheme, id), joined to the ship_to party when read
    delivery_location: tuple[str, str] | None = None
    currency: str | None = None
    carrier: str | None = None
    tracking: str | None = None
    lines: list[LineFields] = field(default_factory=list)
    packs: list[dict[str, Any]] = field(default_factory=list)  # {"sscc", "lines": [index]}
    #: a LIN stood directly under the top CPS (the consignment), outside any pack: with
    #: packed LINs too, those are the lines and the packed ones the packs' contents only
    consignment_lines: bool = False
    totals: dict[str, Decimal] = field(default_factory=dict)
    taxes: list[Tax] = field(default_factory=list)
    cnt: Segment | None = None


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
            scheme = codes.scheme_from(codes.EDIFACT_REFERENCE, "edifact", qualifier)
            body.references.setdefault(scheme, value)
        state["ref"] = None
    elif tag == "NAD":
        role, party = party_from(seg)
        if role not in body.parties:
            body.parties[role] = party
            state["party"] = role
        else:
            state["party"] = None
    elif tag == "LOC" and seg.get(1) == "7" and seg.get(2, 1):
        if body.delivery_location is None:
            scheme = codes.scheme_from(codes.EDIFACT_PARTY_ID, "edifact", seg.get(2, 3))
            body.delivery_location = (scheme, seg.get(2, 1))
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
    line: LineFields | None = None
    pack: dict[str, Any] | None = None
    top = False  # inside the top CPS (no parent): the consignment
    summary = False
    tax: Tax | None = None
    allowance: str | None = None
    products = codes.EDIFACT_PRODUCT_ID
    amounts: dict[str, Decimal] = {}  # the summary's: see TOTALS
    for seg in segments[1:-1]:
        tag = seg.tag
        if line is not None and tag not in _LINE_DATED:
            line.dated = False
        if line is not None and tag in _LINE_DETAIL:  # the common case, first
            # (a line group ends at UNS or CPS, which also end the NAD group below)
            if tag == "QTY":  # the best-ranked quantity counts
                c = seg.components(1)
                if c and c[0] == BACKORDER:
                    if line.outstanding is None and len(c) > 1:
                        line.outstanding = dec(c[1], mark)
                    continue
                rank = _QTY_RANK.get(c[0], len(_QTY)) if c else len(_QTY)
                if rank < line.qty_rank:
                    line.qty_rank = rank
                    line.quantity = dec(c[1], mark) if len(c) > 1 else None
                    line.uom = (c[2] or None) if len(c) > 2 else None
            elif tag == "PIA":
                for element in seg.elements[1:]:
                    if element and element[0]:
                        kind = element[1] if len(element) > 1 else ""
                        scheme = (products.get(kind) or f"edifact:{kind}") if kind else "edifact"
                        line.product.setdefault(scheme, element[0])
            elif tag == "DTM":
                name = LINE_DATES.get(seg.get(1, 1))
                when = parse_date(seg.get(1, 2), seg.get(1, 3) or "102") if name else None
                if line.dated and name and when is not None:
                    line.dates.setdefault(name, when)
            elif tag in line.given:  # IMD, PRI, MOA, RFF+ON: the first one counts
                continue
            elif tag == "IMD":
                line.given.add(tag)
                c = seg.components(3)
                line.description = " ".join(x for x in c[3:5] if x) or None
            elif tag == "PRI":
                line.given.add(tag)
                line.unit_price = dec(seg.get(1, 2), mark)
            elif tag == "MOA":
                c = seg.components(1)
                if c and c[0] in _LINE_AMOUNT:
                    line.given.add(tag)
                    line.amount = dec(c[1], mark) if len(c) > 1 else None
            elif tag == "RFF":
                c = seg.components(1)
                if c and c[0] == "ON":
                    line.given.add(tag)
                    line.order_ref = OrderRef(number=c[1] if len(c) > 1 else "")
            continue
        if tag not in ("RFF", "CTA", "COM", "DTM", "LOC", "FII"):  # the NAD group's
            state["party"] = None
        if tag == "UNS":
            summary, line = True, None
        elif summary:
            if tag == "TAX":
                tax = Tax(category=seg.get(2, 1) or None, rate=dec(seg.get(5, 4), mark))
                body.taxes.append(tax)
            elif tag == "ALC":
                allowance, tax = ("ALC+A" if seg.get(1) == "A" else "ALC+C"), None
            elif tag == "MOA":
                qualifier, amount = seg.get(1, 1), dec(seg.get(1, 2), mark)
                if amount is None:
                    continue
                if tax is not None and qualifier in ("124", "125", "150"):
                    field_name = "base" if qualifier == "125" else "amount"
                    body.taxes[-1] = tax = Tax(**{**_tax_fields(tax), field_name: amount})
                elif allowance is not None and qualifier in _ALC_AMOUNT:
                    amounts[allowance] = amounts.get(allowance, Decimal(0)) + amount
                else:
                    amounts.setdefault(qualifier, amount)
            elif tag == "CNT":
                body.cnt, tax, allowance = seg, None, None
            else:
                tax, allowance = None, None
        elif tag == "CPS":
            pack, line, top = None, None, not seg.get(2)
        elif tag == "PAC" and pack is None:  # a package, whether a GIN names it or not
            pack = {"sscc": None, "lines": []}
            body.packs.append(pack)
        elif tag == "GIN" and seg.get(1) == "BJ":
            if pack is not None and pack["sscc"] is None and not pack["lines"]:
                pack["sscc"] = seg.get(2, 1)
            else:
                pack = {"sscc": seg.get(2, 1), "lines": []}
                body.packs.append(pack)
        elif tag == "LIN":
            product = {}
            item = seg.components(3)  # C212: item id, item type
            if item and item[0]:
                kind = item[1] if len(item) > 1 else ""
                product[(products.get(kind) or f"edifact:{kind}") if kind else "edifact"] = item[0]
            line = LineFields(seg.get(1) or None, product, seg.get(2) or None)
            body.lines.append(line)
            if pack is not None:
                pack["lines"].append(len(body.lines) - 1)
            elif top:
                body.consignment_lines = True
        elif tag == "GIN" and seg.get(1) == "BX" and line is not None:  # batch number
            line.lot = line.lot or seg.get(2, 1) or None
        elif line is not None:
            continue  # nothing else of a line group is read
        else:
            _header(body, seg, tag, state)
    body.totals = _totals(amounts)
    _locate_delivery(body)
    return body


def _locate_delivery(body: Body) -> None:
    """The LOC+7 place of delivery joins the ship_to party's ids, as the UBL reader joins a
    DeliveryLocation's: under ``location:<scheme>`` when the party (its NAD) holds another
    value under that scheme."""
    if body.delivery_location is None:
        return
    scheme, value = body.delivery_location
    party = body.parties.get("ship_to") or Party()
    ids = dict(party.ids)
    if ids.get(scheme, value) != value:
        scheme = f"location:{scheme}"
    ids.setdefault(scheme, value)
    body.parties["ship_to"] = msgspec.structs.replace(party, ids=ids)


def _totals(amounts: dict[str, Decimal]) -> dict[str, Decimal]:
    """Each canonical total from the first of its sources present (see ``TOTALS``)."""
    found = {}
    for name, sources in TOTALS.items():
        source = next((q for q in sources if q in amounts), None)
        if source is not None:
            found[name] = amounts[source]
    return found


def _tax_fields(tax: Tax) -> dict[str, Any]:
    return {"category": tax.category, "rate": tax.rate, "base": tax.base, "amount": tax.amount}
