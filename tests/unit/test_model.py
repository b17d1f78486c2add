"""The canonical model's JSON contract (DESIGN.md keys, Decimal as string, ISO dates)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from translators import model as m


def _order() -> m.PurchaseOrder:
    return m.PurchaseOrder(
        number="PO-1",
        date=dt.date(2024, 3, 1),
        currency="EUR",
        parties={"buyer": m.Party(name="ACME", ids={"gln": "5412345678908"})},
        lines=(
            m.Line(
                line_no="1",
                product={"gtin": "05412345000013", "buyer": "A-1"},
                description="Widget",
                quantity=Decimal("12"),
                uom="EA",
                unit_price=Decimal("9.25"),
                amount=Decimal("111.00"),
            ),
        ),
        totals=m.Totals(lines=Decimal("111.00")),
        envelope=m.Envelope(
            format="x12",
            version="004010",
            sender=m.PartyId(id="ACME", qualifier="ZZ"),
            receiver=m.PartyId(id="US", qualifier="ZZ"),
            interchange_control="000000001",
            group_control="1",
            message_control="0001",
        ),
    )


def test_json_keys_follow_the_contract() -> None:
    data = json.loads(m.to_json(_order()))
    assert data["type"] == "purchase_order"
    assert data["number"] == "PO-1"
    assert data["date"] == "2024-03-01"
    assert data["parties"]["buyer"] == {"name": "ACME", "ids": {"gln": "5412345678908"}}
    line = data["lines"][0]
    assert line["quantity"] == "12" and line["unit_price"] == "9.25"
    assert line["product"] == {"gtin": "05412345000013", "buyer": "A-1"}
    assert "status" not in line  # None fields are omitted
    env = data["envelope"]
    assert env["format"] == "x12" and env["sender"] == {"id": "ACME", "qualifier": "ZZ"}
    assert env["interchange_control"] == "000000001" and env["test"] is False


def test_json_round_trip() -> None:
    order = _order()
    assert m.from_json(m.to_json(order)) == order


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        ({"type": "nope"}, "unknown document type"),
        ({"type": "invoice", "bogus": 1}, "$.bogus: unknown key"),
        ({"type": "invoice", "date": "2024-13-01"}, "$.date"),
        ({"type": "invoice", "lines": [{"quantity": "x"}]}, "$.lines[0].quantity"),
        ({"type": "functional_ack", "status": "maybe"}, "$.status"),
    ],
)
def test_bad_json_names_the_key(payload: dict[str, object], fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment.replace("$", r"\$").replace("[", r"\[")):
        m.from_dict(payload)


_decimals = st.decimals(allow_nan=False, allow_infinity=False, places=2, max_value=10**9)
_lines = st.builds(
    m.Line,
    line_no=st.none() | st.text(min_size=1, max_size=6),
    product=st.dictionaries(st.sampled_from(["gtin", "buyer", "vendor"]), st.text(max_size=20)),
    quantity=st.none() | _decimals,
    unit_price=st.none() | _decimals,
    status=st.none() | st.sampled_from(["accepted", "rejected"]),
)


@given(
    kind=st.sampled_from(sorted(m.DOCUMENT_TYPES)),
    number=st.none() | st.text(max_size=30),
    date=st.none() | st.dates(),
    lines=st.lists(_lines, max_size=4).map(tuple),
)
def test_any_document_survives_json(
    kind: str, number: str | None, date: dt.date | None, lines: tuple[m.Line, ...]
) -> None:
    doc = m.DOCUMENT_TYPES[kind](number=number, date=date, lines=lines)
    assert m.from_json(m.to_json(doc)) == doc
