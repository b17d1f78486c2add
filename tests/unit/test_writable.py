"""Writers refuse what their syntax cannot carry, naming the field; what they do write
re-reads with our own readers (issue "Hardening the core", item 1)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import msgspec
import pytest

import translators
from tests.conftest import OWN_SAMPLES
from translators import WriteSettings
from translators.model import Document, Line, Party, PartyId, PurchaseOrder

SETTINGS = WriteSettings(
    sender=PartyId(id="US", qualifier="ZZ"),
    receiver=PartyId(id="THEM", qualifier="ZZ"),
    timestamp=dt.datetime(2024, 5, 6, 7, 8),
)
ORDER_TARGETS = ["x12:850", "edifact:ORDERS", "ubl:Order"]


def _order(sample: str = "order.json", **line: Any) -> Document:
    doc = translators.from_json((OWN_SAMPLES / "canonical" / sample).read_text())
    first = msgspec.structs.replace(doc.lines[0], **line)
    return msgspec.structs.replace(doc, lines=(first, *doc.lines[1:]))


def _named(name: str, sample: str = "order.json") -> Document:
    doc = _order(sample)
    buyer = msgspec.structs.replace(doc.parties["buyer"], name=name)
    return msgspec.structs.replace(doc, parties={**doc.parties, "buyer": buyer})


def _write(doc: Document, target: str, **kw: Any) -> bytes:
    return translators.write([doc], target=target, settings=dataclasses.replace(SETTINGS, **kw))


def _rereads(data: bytes) -> None:
    (ix,) = translators.read(data)
    assert ix.status == "accepted", [translators.format_issue(i, "out") for i in ix.all_issues]


@pytest.mark.parametrize("target", ORDER_TARGETS)
@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "sNaN"])
def test_non_finite_decimals_are_refused_by_every_writer(target: str, value: str) -> None:
    with pytest.raises(translators.RenderError) as info:
        _write(_order(quantity=Decimal(value)), target)
    assert str(info.value) == f"lines[0].quantity: {Decimal(value)} cannot be written"
    assert info.value.field == "lines[0].quantity"


@pytest.mark.parametrize("name", ["ACME\x00", "ACME\nDC", "A\x07B", "A\x7fB", "Łódź", "Müller"])
def test_x12_refuses_controls_and_non_ascii_naming_the_field(name: str) -> None:
    with pytest.raises(translators.RenderError, match=r"^parties\[buyer\]\.name: .* X12"):
        _write(_named(name), "x12:850")


@pytest.mark.parametrize("name", ["ACME\x00", "ACME\nDC", "A\x1bB"])
def test_edifact_refuses_control_characters(name: str) -> None:
    with pytest.raises(translators.RenderError, match=r"^parties\[buyer\]\.name: "):
        _write(_named(name), "edifact:ORDERS", charset="UNOY")


def test_edifact_unoa_refuses_lower_case_and_unoy_writes_it() -> None:
    line = Line(line_no="1", product={"gtin": "05412345000013"}, quantity=Decimal(2))
    plain = PurchaseOrder(
        number="PO-1", parties={"buyer": Party(name="ACME (DC-1)")}, lines=(line,)
    )
    _rereads(_write(plain, "edifact:ORDERS", charset="UNOA"))
    lower = msgspec.structs.replace(plain, parties={"buyer": Party(name="Acme")})
    with pytest.raises(translators.RenderError, match=r"^parties\[buyer\]\.name: 'c' .* UNOA"):
        _write(lower, "edifact:ORDERS", charset="UNOA")
    _rereads(_write(_named("Łódź Müller 東京"), "edifact:ORDERS", charset="UNOY"))


@pytest.mark.parametrize("target", ["x12:850", "edifact:ORDERS", "ubl:Order"])
@pytest.mark.parametrize("name", ["A\x00B", "A\x01B", "\ud800", "A\udfffB"])
def test_xml_and_segment_writers_name_the_field_for_nul_and_surrogates(
    target: str, name: str
) -> None:
    with pytest.raises(translators.RenderError, match=r"^parties\[buyer\]\.name: "):
        _write(_named(name), target, charset="UNOY")


def test_ubl_refuses_what_xml_1_0_excludes() -> None:
    with pytest.raises(translators.RenderError, match=r"XML 1\.0"):
        _write(_named("A\ufffeB"), "ubl:Order")


def test_ubl_keeps_what_xml_can_carry() -> None:
    # order_peppol.json: what a Peppol order needs besides (the seller's address)
    data = _write(_named("Łódź\tMüller\n東京", "order_peppol.json"), "ubl:Order")
    (ix,) = translators.read(data)
    (doc,) = ix.documents
    assert doc.parties["buyer"].name == "Łódź\tMüller\n東京"


def test_isa_ids_must_be_ascii_and_fit() -> None:
    wide = PartyId(id="ÄÖÜÄÖÜÄÖÜÄÖÜ", qualifier="ZZ")  # 12 characters, 24 bytes
    with pytest.raises(translators.RenderError, match=r"^sender\.id: 'Ä' cannot be written"):
        _write(_order(), "x12:850", sender=wide)
    with pytest.raises(translators.RenderError, match="longer than 15") as info:
        _write(_order(), "x12:850", receiver=PartyId(id="X" * 16, qualifier="ZZ"))
    assert info.value.field == "receiver.id"
    with pytest.raises(translators.RenderError, match="separator"):
        _write(_order(), "x12:850", sender=PartyId(id="A*B", qualifier="ZZ"))


def test_x12_qualifier_longer_than_two_is_an_error_not_cut() -> None:
    with pytest.raises(translators.RenderError, match="'ZZZ' is longer than the 2") as info:
        _write(_order(), "x12:850", sender=PartyId(id="ABC", qualifier="ZZZ"))
    assert info.value.field == "sender.qualifier"


def test_edifact_sender_id_longer_than_35_is_an_error() -> None:
    with pytest.raises(translators.RenderError, match=r"an\.\.35") as info:
        _write(_order(), "edifact:ORDERS", sender=PartyId(id="S" * 60, qualifier="14"))
    assert info.value.field == "sender.id"
    _rereads(_write(_order(), "edifact:ORDERS", sender=PartyId(id="S" * 35, qualifier="14")))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("unit_price", Decimal("1E+30")),
        ("quantity", Decimal("1234567890123456")),
        ("amount", Decimal("1E-20")),
    ],
)
def test_edifact_numbers_beyond_their_element_length_are_refused(
    field: str, value: Decimal
) -> None:
    with pytest.raises(translators.RenderError, match=rf"^lines\[0\]\.{field}: .* digits"):
        _write(_order(**{field: value}), "edifact:ORDERS")


def test_edifact_numbers_that_fit_are_written() -> None:
    _rereads(_write(_order(unit_price=Decimal("123456789012345")), "edifact:ORDERS"))


@pytest.mark.parametrize("what", ["interchange_control", "message_control"])
def test_edifact_control_numbers_beyond_an14_are_refused(what: str) -> None:
    with pytest.raises(translators.RenderError, match="14 characters"):
        _write(_order(), "edifact:ORDERS", **{what: 999999999999999})
    _rereads(_write(_order(), "edifact:ORDERS", **{what: 99999999999999}))


def test_several_documents_are_located_by_index() -> None:
    docs = [_order(), _order(quantity=Decimal("NaN"))]
    with pytest.raises(translators.RenderError, match=r"^\[1\]\.lines\[0\]\.quantity: NaN"):
        translators.write(docs, target="x12:850", settings=SETTINGS)


def test_party_map_keys_are_checked_too() -> None:
    doc = _order()
    doc = msgspec.structs.replace(doc, parties={**doc.parties, "x12:\x00": Party(name="X")})
    with pytest.raises(translators.RenderError, match="cannot be written"):
        _write(doc, "edifact:ORDERS")
