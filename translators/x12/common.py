"""Pieces every X12 set shares: dates, numbers, N1 party loops, product id pairs, roles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation

from .. import codes
from ..model import Address, Party
from .tokenizer import Segment

__all__ = [
    "DATE_QUALIFIERS",
    "LINE_DATES",
    "LOT",
    "ROLES",
    "dec",
    "fmt_date",
    "fmt_dec",
    "parse_date",
    "party_from",
    "party_segments",
    "product_ids",
    "product_pairs",
    "role_code",
    "role_of",
    "trim",
]

#: N101 entity identifier -> canonical party role.
ROLES: Mapping[str, str] = {
    "BY": "buyer",
    "SE": "seller",
    "SU": "seller",
    "VN": "seller",
    "ST": "ship_to",
    "SF": "ship_from",
    "SH": "ship_from",
    "BT": "bill_to",
    "RI": "remit_to",
    "RE": "remit_to",
    "CA": "carrier",
}
#: What a writer puts in N101 for a role (the first of the readers' synonyms).
_ROLE_OUT = {
    "buyer": "BY",
    "seller": "SE",
    "ship_to": "ST",
    "ship_from": "SF",
    "bill_to": "BT",
    "remit_to": "RI",
    "carrier": "CA",
}

#: DTM01 qualifiers -> canonical date names (others keep "x12:<qualifier>").
DATE_QUALIFIERS: Mapping[str, str] = {
    "002": "requested_delivery",
    "010": "requested_ship",
    "011": "shipped",
    "017": "estimated_delivery",
    "037": "ship_not_before",
    "038": "ship_no_later",
    "063": "deliver_no_later",
    "064": "deliver_not_before",
    "106": "required_by",
    "035": "delivered",
    "814": "due",
}


#: Line-level DTM01 qualifiers -> ``Line.dates`` names: 002 delivery requested, 036
#: expiration (of the lot), 067 current schedule delivery (what the seller promises; an
#: 855 also says it in ACK04/ACK05). Other line dates are not read.
LINE_DATES: Mapping[str, str] = {
    "002": "requested_delivery",
    "036": "expiry",
    "067": "promised_delivery",
}
#: 235 product id qualifier "lot number": its pair in PO1/IT1/LIN is ``Line.lot``, not a
#: product id.
LOT = "LT"


def role_of(code: str) -> str:
    return ROLES.get(code, f"x12:{code}")


def role_code(role: str) -> str:
    return _ROLE_OUT.get(role) or (role[4:] if role.startswith("x12:") else "ZZ")


def parse_date(value: str) -> dt.date | None:
    value = value.strip()
    try:
        if len(value) == 8:
            return dt.date(int(value[:4]), int(value[4:6]), int(value[6:8]))
        if len(value) == 6:  # YYMMDD: the ISA's century window
            return dt.date(2000 + int(value[:2]), int(value[2:4]), int(value[4:6]))
    except ValueError:
        return None
    return None


def fmt_date(value: dt.date) -> str:
    return value.strftime("%Y%m%d")


def dec(value: str, implied: int = 0) -> Decimal | None:
    """An R or Nn element as Decimal; ``implied`` decimals for N2 (TDS01 1234579 -> 12345.79)."""
    value = value.strip()
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return number.scaleb(-implied) if implied else number


def fmt_dec(value: Decimal, implied: int = 0) -> str:
    """Decimal -> R (no exponent, no trailing zeros needed) or Nn (implied decimals)."""
    if implied:
        return str(int((value.scaleb(implied)).to_integral_value()))
    text = format(value, "f")
    return text


def product_pairs(seg: Segment, start: int) -> Iterator[tuple[str, str]]:
    """(qualifier, id) pairs from element ``start`` on (PO106/07, LIN02/03, IT106/07 ...)."""
    els = seg.elements
    for i in range(start, len(els) - 1, 2):
        if els[i] and els[i + 1]:
            yield els[i], els[i + 1]


def product_ids(seg: Segment, start: int) -> tuple[dict[str, str], str | None]:
    """The product ids of a LIN / PO1 / IT1 and the lot number (the first ``LOT`` pair)."""
    out: dict[str, str] = {}
    lot: str | None = None
    known = codes.X12_PRODUCT_ID
    for qualifier, ident in product_pairs(seg, start):
        if qualifier == LOT:
            lot = lot or ident
        else:
            out.setdefault(known.get(qualifier) or f"x12:{qualifier}", ident)
    return out, lot


def party_from(segments: list[Segment]) -> tuple[str, Party]:
    """An N1 loop (N1, N2, N3, N4) -> (role, Party)."""
    n1 = segments[0]
    ids: dict[str, str] = {}
    if n1.get(3) and n1.get(4):
        ids[codes.scheme_from(codes.X12_PARTY_ID, "x12", n1.get(3))] = n1.get(4)
    name = n1.get(2) or None
    lines: list[str] = []
    city = region = postal = country = None
    for seg in segments[1:]:
        if seg.tag == "N2" and name:
            name = " ".join([name, *[e for e in seg.elements[1:] if e]])
        elif seg.tag == "N3":
            lines += [e for e in seg.elements[1:] if e]
        elif seg.tag == "N4":
            city, region = seg.get(1) or None, seg.get(2) or None
            postal, country = seg.get(3) or None, seg.get(4) or None
    address = (
        Address.of(lines, city=city, region=region, postal_code=postal, country=country)
        if lines or city or postal or country
        else None
    )
    return role_of(n1.get(1)), Party(name=name, ids=ids, address=address)


def party_segments(role: str, party: Party) -> list[list[str]]:
    """Party -> N1 (+ N3, N4) element lists for a writer."""
    qualifier, ident = "", ""
    for scheme, value in party.ids.items():
        q = codes.scheme_to(codes.X12_PARTY_ID, "x12", scheme)
        if q is not None:
            qualifier, ident = q, value
            break
    n1 = ["N1", role_code(role), party.name or "", qualifier, ident]
    out = [trim(n1)]
    a = party.address
    if a is not None:
        street = a.street_lines
        for i in range(0, len(street), 2):  # N3 holds two lines and may repeat
            out.append(["N3", *street[i : i + 2]])
        if a.city or a.region or a.postal_code or a.country:
            out.append(
                trim(["N4", a.city or "", a.region or "", a.postal_code or "", a.country or ""])
            )
    return out


def trim(elements: list[str]) -> list[str]:
    """Drop trailing empty elements: X12 forbids trailing separators."""
    while len(elements) > 1 and not elements[-1]:
        elements.pop()
    return elements
