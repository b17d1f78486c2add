"""The canonical model's JSON contract (DESIGN.md keys, Decimal as string, ISO dates)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from translators import model as m
from translators.errors import CanonicalJsonError, GatewayError


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


def test_documents_are_frozen_structs_with_a_type() -> None:
    order = _order()
    assert isinstance(order, msgspec.Struct) and order.type == "purchase_order"
    with pytest.raises(AttributeError):
        order.number = "PO-2"  # type: ignore[misc]
    changed = msgspec.structs.replace(order, number="PO-2")
    assert changed.number == "PO-2" and order.number == "PO-1" and changed.lines == order.lines
    assert {cls.type: cls for cls in m.DOCUMENT_TYPES.values()} == m.DOCUMENT_TYPES


def test_json_text_keeps_type_first_and_field_order() -> None:
    text = m.to_json(_order())
    assert text.startswith('{"type":"purchase_order","number":"PO-1","date":"2024-03-01"')
    assert list(json.loads(text)) == [
        "type", "number", "date", "currency", "parties", "lines", "totals", "envelope",
        "references", "dates", "notes",
    ]  # fmt: skip
    assert json.loads(m.to_json(_order(), indent=2)) == json.loads(text)
    assert m.to_json_bytes(_order()) == text.encode()
    assert m.to_dict(_order()) == json.loads(text)


def test_only_none_is_omitted_defaults_are_written() -> None:
    """status, invoice_kind, test and empty lists stay in the JSON (DESIGN stable keys)."""
    ack = m.to_dict(m.FunctionalAck())
    assert ack["type"] == "functional_ack" and ack["status"] == "accepted"
    assert ack["lines"] == [] and ack["parties"] == {} and ack["acknowledges"] == []
    assert "number" not in ack and "envelope" not in ack
    invoice = m.to_dict(m.Invoice(envelope=m.Envelope(format="x12")))
    assert invoice["invoice_kind"] == "invoice" and invoice["taxes"] == []
    assert invoice["envelope"] == {"format": "x12", "test": False}
    # the same whether the value came from the default, the literal or decoded JSON
    decoded = m.from_json('{"type": "functional_ack", "status": "accepted"}')
    assert m.to_json(decoded) == m.to_json(m.FunctionalAck(status="accepted"))
    assert m.to_json(decoded) == m.to_json(m.FunctionalAck())
    # a default collection is a fresh object each time
    assert m.Party().ids is not m.Party().ids


def test_decimals_are_exact_strings_never_floats() -> None:
    line = m.Line(quantity=Decimal("0.1"), amount=Decimal("1E+2"), unit_price=Decimal("1.10"))
    data = json.loads(m.to_json(m.Invoice(lines=(line,))))
    assert data["lines"][0] == {
        "product": {},
        "quantity": "0.1",
        "unit_price": "1.10",
        "amount": "1E+2",
    }
    # a JSON number is read exactly from its text (never through float)
    doc = m.from_json('{"type": "invoice", "lines": [{"quantity": 0.10000000000000000001}]}')
    assert doc.lines[0].quantity == Decimal("0.10000000000000000001")
    # a Python float given to from_dict is refused, with its path
    with pytest.raises(CanonicalJsonError, match=r"\$\.lines\[0\]\.amount: .*float"):
        m.from_dict({"type": "invoice", "lines": [{"amount": 1.1}]})
    assert m.from_dict({"type": "invoice", "lines": [{"amount": 3}]}).lines[0].amount == 3


@pytest.mark.parametrize(
    ("text", "path", "fragment"),
    [
        ('{"type": "invoice", "lines": [{"quantity": "abc"}]}', "$.lines[0].quantity", "decimal"),
        ('{"type": "invoice", "lines": [{"quantity": true}]}', "$.lines[0].quantity", "bool"),
        ('{"type": "invoice", "lines": [{"quantity": []}]}', "$.lines[0].quantity", "array"),
        ('{"type": "invoice", "number": 42}', "$.number", "got `int`"),
        ('{"type": "invoice", "date": "2024-02-30"}', "$.date", "date"),
        # msgspec names a map value by position only: [...] (the map is the key)
        ('{"type": "invoice", "dates": {"due": "tomorrow"}}', "$.dates[...]", "date"),
        ('{"type": "invoice", "invoice_kind": "bill"}', "$.invoice_kind", "bill"),
        ('{"type": "ship_notice", "order_refs": [{}]}', "$.order_refs[0].number", "missing"),
        (
            '{"type": "ship_notice", "shipment": {"package_count": "3"}}',
            "$.shipment.package_count",
            "str",
        ),
        ('{"type": "invoice", "envelope": {"version": "004010"}}', "$.envelope.format", "missing"),
        ('{"type": "invoice", "lines": [{"qty": "1"}]}', "$.lines[0].qty", "unknown key"),
        ('{"type": "invoice", "parties": {"buyer": "ACME"}}', "$.parties[...]", "object"),
        ('{"type": "order"}', "$.type", "unknown document type 'order'"),
        ('{"number": "1"}', "$.type", "missing document type"),
        ("[]", "$", "object"),
    ],
)
def test_malformed_json_raises_a_located_error(text: str, path: str, fragment: str) -> None:
    with pytest.raises(CanonicalJsonError) as info:
        m.from_json(text)
    err = info.value
    assert isinstance(err, GatewayError) and isinstance(err, ValueError)
    assert err.path == path and str(err).startswith(f"{path}: ") and fragment in str(err)
    with pytest.raises(CanonicalJsonError) as again:  # from_dict says the same
        m.from_dict(json.loads(text))
    assert again.value.path == path


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('{"type": "invoice",\n "date": }', "line 2 column 10: JSON is malformed"),
        ('{"type": "invoice"', "line 1: Input data was truncated"),
        ("", "empty input"),
    ],
)
def test_invalid_json_names_line_and_column(text: str, fragment: str) -> None:
    with pytest.raises(CanonicalJsonError, match=fragment) as info:
        m.from_json(text)
    assert info.value.path is None


def test_documents_as_object_array_or_json_lines() -> None:
    one = m.to_json(_order())
    pretty = m.to_json(_order(), indent=2)
    assert m.from_json_documents(pretty) == [_order()]
    assert m.from_json_documents(f"[{one}, {one}]".encode()) == [_order(), _order()]
    assert m.from_json_documents(f"{one}\n\n{one}\n") == [_order(), _order()]
    assert m.from_json_documents(b" \n") == []
    with pytest.raises(CanonicalJsonError, match=r"^\$\[1\]\.date: ") as info:
        m.from_json_documents('[{"type": "invoice"}, {"type": "invoice", "date": "x"}]')
    assert info.value.path == "$[1].date"
    bad_line = '{"type": "invoice", "lines": [{"quantity": [1]}]}'
    with pytest.raises(CanonicalJsonError, match=r"^line 3: \$\.lines\[0\]\.quantity: "):
        m.from_json_documents(f"{one}\n{one}\n{bad_line}\n")
    with pytest.raises(CanonicalJsonError, match=r"^line 2 column 21: JSON is malformed"):
        m.from_json_documents(f'{one}\n{{"type": "invoice", }}\n')
