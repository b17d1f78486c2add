"""Hypothesis strategies for canonical documents that X12 can carry in full.

Text includes a few non-ASCII letters for the EDIFACT and UBL round trips; X12's
character set is printable ASCII, so X12 tests pass documents through ``ascii_only``.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from hypothesis import strategies as st

from translators import model as m
from translators.gs1 import check_digit

_NON_ASCII = re.compile("[^\x00-\x7f]")


def ascii_only(doc: m.Document) -> m.Document:
    """``doc`` with every non-ASCII character of its text replaced by ``X``."""
    return m.from_json(_NON_ASCII.sub("X", m.to_json(doc)))


_TEXT = st.text(
    alphabet=st.characters(
        whitelist_categories=("Lu", "Ll", "Nd"), whitelist_characters=" -./#&ÄéøÆ"
    ),
    min_size=1,
    max_size=20,
).filter(lambda s: s.strip() == s)
_CODE = st.text(alphabet="ABCDEFGHJKLMNPRSTUVWXYZ", min_size=2, max_size=2)
_DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=6)
_DATES = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31))


def _dec(places: int, high: int = 10**6) -> st.SearchStrategy[Decimal]:
    return st.integers(min_value=0, max_value=high * 10**places).map(
        lambda n: Decimal(n).scaleb(-places)
    )


def gs1_key(length: int) -> st.SearchStrategy[str]:
    """A GS1 key of ``length`` digits with its check digit."""
    body = st.text(alphabet="0123456789", min_size=length - 1, max_size=length - 1)
    return body.map(lambda b: b + check_digit(b))


_GTIN = st.sampled_from([8, 12, 13, 14]).flatmap(gs1_key)
_KEYS = {"gtin": _GTIN, "upc": gs1_key(12)}
_PRODUCT = st.lists(
    st.sampled_from(["gtin", "vendor", "buyer", "upc", "sku"]), min_size=1, max_size=3, unique=True
).flatmap(lambda schemes: st.fixed_dictionaries({k: _KEYS.get(k, _TEXT) for k in schemes}))
_ADDRESS = st.builds(
    m.Address.of,
    st.lists(_TEXT, min_size=1, max_size=3),
    city=st.none() | _TEXT.filter(lambda s: len(s) > 1),
    region=st.none() | _CODE,
    postal_code=st.none() | _DIGITS.filter(lambda s: len(s) > 2),
    country=st.none() | _CODE,
)
_PARTY = st.builds(
    m.Party,
    name=st.none() | _TEXT,
    ids=st.one_of(
        st.just({}),
        st.fixed_dictionaries({"gln": gs1_key(13)}),
        st.fixed_dictionaries({"duns": _DIGITS.filter(lambda s: len(s) > 1)}),
    ),
    address=st.none() | _ADDRESS,
)
_PARTIES = st.dictionaries(st.sampled_from(m.PARTY_ROLES), _PARTY, max_size=3)
_UOM = st.sampled_from(["EA", "CS", "KGM", "C62", "DZN", "LBR"])
_HEADER = {
    "number": _TEXT,
    "date": _DATES,
    "currency": st.none() | st.sampled_from(["EUR", "USD", "SEK"]),
    "parties": _PARTIES,
    # REF*VA on an 810 is a party's VAT number (parties[...].ids["vat"]), not a reference;
    # REF CT/PR/PJ are the named references contract/quotation/project
    "references": st.dictionaries(
        st.sampled_from(["contract", "quotation", "project"])
        | _CODE.filter(lambda c: c not in ("VA", "CT", "PR", "PJ")).map(lambda c: f"x12:{c}"),
        _TEXT,
        max_size=2,
    ),
    "dates": st.dictionaries(
        st.sampled_from(["requested_delivery", "requested_ship"]), _DATES, max_size=2
    ),
}


def _lines(amounts: bool, status: bool = False) -> st.SearchStrategy[tuple[m.Line, ...]]:
    return st.lists(
        st.builds(
            m.Line,
            line_no=st.none() | _DIGITS,
            product=_PRODUCT,
            description=st.none() | _TEXT,
            quantity=_dec(3),
            uom=_UOM,
            unit_price=st.none() | _dec(2),
            amount=(st.none() | _dec(2)) if amounts else st.none(),
            status=st.sampled_from(["accepted", "rejected", "backordered", "accepted_with_changes"])
            if status
            else st.none(),
        ),
        min_size=1,
        max_size=4,
    ).map(tuple)


purchase_orders = st.builds(
    m.PurchaseOrder,
    **_HEADER,
    lines=_lines(amounts=True),
    totals=st.none() | st.builds(m.Totals, lines=_dec(2)),
    purpose=st.sampled_from(["original", "cancel", "change", "replace"]),
    order_type=_CODE,
)

order_responses = st.builds(
    m.OrderResponse,
    **_HEADER,
    lines=_lines(amounts=True, status=True),
    status=st.sampled_from(["accepted", "accepted_with_changes", "rejected"]),
    order_refs=st.builds(m.OrderRef, number=_TEXT, date=_DATES).map(lambda r: (r,)),
)


@st.composite
def invoices(draw: st.DrawFn) -> m.Invoice:
    taxes = draw(
        st.lists(
            st.builds(
                m.Tax,
                category=st.sampled_from(["VAT", "sales"]),
                amount=_dec(2),
                rate=st.none() | _dec(2),
                base=st.none() | _dec(2),
            ),
            max_size=2,
        ).map(tuple)
    )
    tax = sum((t.amount for t in taxes if t.amount is not None), Decimal(0)) if taxes else None
    return m.Invoice(
        **{k: draw(v) for k, v in _HEADER.items()},
        lines=draw(_lines(amounts=False)),
        taxes=taxes,
        totals=m.Totals(gross=draw(_dec(2)), net=draw(st.none() | _dec(2)), tax=tax),
        order_refs=draw(
            st.lists(st.builds(m.OrderRef, number=_TEXT, date=st.none() | _DATES), max_size=1).map(
                tuple
            )
        ),
        invoice_kind=draw(st.sampled_from(["invoice", "credit_note"])),
    )


@st.composite
def ship_notices(draw: st.DrawFn) -> m.ShipNotice:
    item = st.builds(
        m.Line,
        line_no=st.none() | _DIGITS,
        product=_PRODUCT,
        description=st.none() | _TEXT,
        quantity=_dec(3),
        uom=_UOM,
    )
    packs = draw(
        st.lists(
            st.builds(
                m.Pack,
                sscc=gs1_key(18),
                contents=st.lists(item, min_size=1, max_size=3).map(tuple),
            ),
            max_size=3,
        ).map(tuple)
    )
    loose = draw(st.lists(item, max_size=3))
    carrier = draw(st.none() | _CODE)
    return m.ShipNotice(
        number=draw(_TEXT.filter(lambda s: len(s) > 1)),  # BSN02 is 2..30
        date=draw(_DATES),
        parties=draw(_PARTIES),
        lines=tuple(line for p in packs for line in p.contents) + tuple(loose),
        packs=packs,
        shipment=m.Shipment(
            carrier=carrier,
            service=draw(st.none() | _TEXT) if carrier else None,
            tracking=draw(st.none() | _TEXT),
            ship_date=draw(st.none() | _DATES),
        )
        if carrier
        else None,
        order_refs=draw(
            st.lists(
                st.builds(m.OrderRef, number=_TEXT, date=st.none() | _DATES), min_size=1, max_size=2
            ).map(tuple)
        ),
    )
