"""Pieces every EDIFACT message shares: dates, numbers, NAD parties, item ids, roles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from .. import codes
from ..errors import RenderError
from ..model import Address, Line, Party
from ..text import digits
from .tokenizer import Segment

__all__ = [
    "DATE_QUALIFIERS",
    "LINE_DATES",
    "ROLES",
    "dec",
    "dtm",
    "fmt_dec",
    "nad_elements",
    "parse_date",
    "party_from",
    "product_elements",
    "role_code",
    "segment",
]

#: NAD 3035 party function -> canonical role.
ROLES: Mapping[str, str] = {
    "BY": "buyer",
    "SU": "seller",
    "SE": "seller",
    "DP": "ship_to",
    "ST": "ship_to",
    "SF": "ship_from",
    "SH": "ship_from",
    "IV": "bill_to",
    "BT": "bill_to",
    "PE": "remit_to",
    "RE": "remit_to",
    "CA": "carrier",
}
_ROLE_OUT = {
    "buyer": "BY",
    "seller": "SU",
    "ship_to": "DP",
    "ship_from": "SF",
    "bill_to": "IV",
    "remit_to": "PE",
    "carrier": "CA",
}

#: DTM 2005 qualifiers -> canonical date names.
DATE_QUALIFIERS: Mapping[str, str] = {
    "2": "requested_delivery",
    "10": "requested_ship",
    "11": "shipped",
    "17": "estimated_delivery",
    "35": "delivered",
    "63": "deliver_no_later",
    "64": "deliver_not_before",
    "69": "promised_delivery",  # ORDRSP: delivery date/time, promised for
    "13": "due",
}
#: DTM 2005 qualifiers of a line group -> the line's date names (``Line.dates``).
LINE_DATES: Mapping[str, str] = {
    "2": "requested_delivery",
    "69": "promised_delivery",
    "36": "expiry",
    "361": "best_before",
}


def segment(tag: str, *elements: str | list[str]) -> list[list[str]]:
    """A segment for a writer: tag, then elements of components; trailing empties cut."""
    out = [[tag], *([e] if isinstance(e, str) else e for e in elements)]
    while len(out) > 1 and not any(out[-1]):
        out.pop()
    return out


def dtm(qualifier: str, when: dt.date) -> list[list[str]]:
    """DTM in format 102 (CCYYMMDD)."""
    return segment("DTM", [qualifier, when.strftime("%Y%m%d"), "102"])


def role_of(code: str) -> str:
    return ROLES.get(code, f"edifact:{code}")


def role_code(role: str) -> str:
    return _ROLE_OUT.get(role) or role.removeprefix("edifact:")


def parse_date(value: str, fmt: str = "102") -> dt.date | None:
    """DTM C507: 102 CCYYMMDD, 203/204 CCYYMMDDHHMM(SS), 101 YYMMDD."""
    value = value.strip()
    try:
        if fmt in ("102", "203", "204", "205") and len(value) >= 8 and digits(value[:8]):
            return dt.date(int(value[:4]), int(value[4:6]), int(value[6:8]))
        if fmt == "101" and len(value) == 6 and digits(value):
            return dt.date(2000 + int(value[:2]), int(value[2:4]), int(value[4:6]))
    except ValueError:
        return None
    return None


def dec(value: str, mark: str = ".") -> Decimal | None:
    value = value.strip()
    if not value:
        return None
    try:
        return Decimal(value.replace(mark, ".") if mark != "." else value)
    except InvalidOperation:
        return None


def fmt_dec(value: Decimal) -> str:
    return format(value, "f")


def party_from(seg: Segment) -> tuple[str, Party]:
    ident, agency = seg.get(2, 1), seg.get(2, 3)
    ids = {codes.scheme_from(codes.EDIFACT_PARTY_ID, "edifact", agency): ident} if ident else {}
    # C080 party name, else the unstructured C058 name-and-address lines
    name = " ".join(c for c in seg.elements[3] if c) if len(seg.elements) > 3 else ""
    if not name and len(seg.elements) > 2:
        name = " ".join(c for c in seg.elements[2] if c)
    street = [c for c in seg.elements[4] if c] if len(seg.elements) > 4 else []
    city, region, postal, country = seg.get(6), seg.get(7), seg.get(8), seg.get(9)
    address = (
        Address.of(
            street,
            city=city or None,
            region=region or None,
            postal_code=postal or None,
            country=country or None,
        )
        if street or city or postal or country
        else None
    )
    return role_of(seg.get(1)), Party(name=name or None, ids=ids, address=address)


def nad_elements(role: str, party: Party) -> list[list[str]]:
    """Party -> NAD elements (without the tag)."""
    c082: list[str] = [""]
    for scheme, value in party.ids.items():
        agency = codes.scheme_to(codes.EDIFACT_PARTY_ID, "edifact", scheme)
        if scheme == "edifact":
            c082 = [value]
            break
        if agency is not None:
            c082 = [value, "", agency]
            break
    code = role_code(role)
    if not code:  # NAD 3035 is mandatory
        raise RenderError(f"parties[{role}]: no EDIFACT party function code for this role")
    a = party.address
    elements = [
        [code],
        c082,
        [""],
        [party.name or ""],
        list(a.street_lines) if a and a.street_lines else [""],
        [a.city or "" if a else ""],
        [a.region or "" if a else ""],
        [a.postal_code or "" if a else ""],
        [a.country or "" if a else ""],
    ]
    while len(elements) > 2 and not any(elements[-1]):
        elements.pop()
    return elements


def product_elements(line: Line) -> tuple[list[str], list[list[str]]]:
    """The LIN item id (C212) and the PIA ids for the rest of a line's product ids."""
    lin: list[str] = [""]
    pia: list[list[str]] = []
    for scheme, ident in line.product.items():
        if scheme == "edifact":  # an id the sender gave without an item type code
            pia.append([ident])
            continue
        kind = codes.scheme_to(codes.EDIFACT_PRODUCT_ID, "edifact", scheme)
        if kind is None:
            raise RenderError(f"product id scheme {scheme!r} has no EDIFACT item type code")
        if lin == [""] and scheme == "gtin":
            lin = [ident, kind]
        else:
            pia.append([ident, kind])
    if lin == [""] and pia:  # no GTIN: LIN carries the first other id (LIN+++id:IN)
        lin = pia.pop(0)
    return lin, pia
