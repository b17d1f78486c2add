"""Peppol post-award UBL (T01 order, T76 order response, T110 order agreement, T16 despatch
advice): what we write passes the official rules, what they require survives reading, and a
document lacking it is refused with the canonical fields named."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

import msgspec
import pytest
from lxml import etree

import translators
from tests.conftest import OWN_SAMPLES
from tests.peppol import examples, fatal_asserts
from translators import WriteSettings
from translators.model import Document, OrderRef, OrderResponse, Party, ShipNotice

NOW = WriteSettings(timestamp=dt.datetime(2024, 3, 1, 12))
#: the official examples carry GTINs with wrong check digits: reproduce them as sent
AS_SENT = dataclasses.replace(NOW, check_gs1=False)
NS = {"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"}
TARGET = {
    "purchase_order": "ubl:Order",
    "order_response": "ubl:OrderResponse",
    "ship_notice": "ubl:DespatchAdvice",
}


def _canonical(name: str) -> Document:
    return translators.from_json((OWN_SAMPLES / "canonical" / f"{name}.json").read_text())


def _read(data: bytes) -> Document:
    (ix,) = translators.read(data)
    assert not [i for i in ix.all_issues if i.code != "check_digit"], ix.all_issues
    (doc,) = ix.documents
    return doc


def _target(path: Path, doc: Document) -> str:
    return "ubl:OrderAgreement" if "Agreement" in path.name else TARGET[doc.type]


@pytest.mark.parametrize("path", examples("peppol-poacc"), ids=lambda p: p.name)
def test_official_example_is_written_back_valid_and_reads_the_same(path: Path) -> None:
    doc = _read(path.read_bytes())
    data = translators.write([doc], target=_target(path, doc), settings=AS_SENT)
    assert fatal_asserts(data) == []
    again = _read(data)
    assert msgspec.structs.replace(again, envelope=None) == msgspec.structs.replace(
        doc, envelope=None
    )


def test_examples_are_present() -> None:
    names = {p.name for p in examples("peppol-poacc")}
    if not names:
        pytest.skip("Peppol post-award examples not available")
    assert {
        "Order_Example.xml",
        "OrderResponse_Example.xml",
        "OrderAgreement_Example.xml",
        "DespatchAdvice_Example.xml",
    } <= names


def test_what_the_examples_carry_survives_reading() -> None:
    by_name = {p.name: _read(p.read_bytes()) for p in examples("peppol-poacc")}
    if not by_name:
        pytest.skip("Peppol post-award examples not available")
    response = by_name["OrderResponse_Example.xml"]
    assert isinstance(response, OrderResponse)
    assert [ln.status for ln in response.lines] == [
        "accepted_with_changes",
        "accepted",
        "accepted_with_changes",
    ]
    assert response.dates["promised_delivery_end"] == dt.date(2013, 7, 16)
    agreement = by_name["OrderAgreement_Example.xml"]
    assert isinstance(agreement, OrderResponse) and agreement.status is None
    assert agreement.totals is not None and agreement.totals.payable == Decimal("30.00")
    assert [t.code for t in agreement.taxes] == ["S"]
    asn = by_name["DespatchAdvice_Example.xml"]
    assert isinstance(asn, ShipNotice)
    (pack,) = asn.packs  # "5454" names a handling unit, not an SSCC: kept, not refused
    assert (pack.sscc, pack.id) == (None, "5454")
    assert asn.lines[0].order_ref == OrderRef(number="AEG012345")
    assert asn.shipment is not None and asn.shipment.tracking == "456789"
    assert asn.parties["ship_to"].ids["endpoint:gln"] == "5798000000124"
    order = by_name["Order_Example.xml"]
    assert order.parties["originator"].name == "Helseavdeling"
    assert len(order.lines[0].allowance_charges) == 2
    assert order.totals is not None and order.totals.rounding == Decimal("0.50")


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("order_peppol", "ubl:Order"),
        ("order_response", "ubl:OrderResponse"),
        ("order_agreement", "ubl:OrderAgreement"),
        ("ship_notice", "ubl:DespatchAdvice"),
    ],
)
def test_our_canonical_documents_pass_the_rules(name: str, target: str) -> None:
    doc = _canonical(name)
    data = translators.write([doc], target=target, settings=NOW)
    assert fatal_asserts(data) == []
    root = etree.fromstring(data)
    assert root.find("cbc:UBLVersionID", NS) is None  # outside every post-award data model
    assert root.findtext("cbc:CustomizationID", namespaces=NS).startswith(
        "urn:fdc:peppol.eu:poacc:trns:"
    )


def test_order_response_lines_carry_uncl1229_codes_and_order_line_references() -> None:
    doc = _canonical("order_response")
    root = etree.fromstring(translators.write([doc], target="ubl:OrderResponse", settings=NOW))
    assert root.findtext("cbc:OrderResponseCode", namespaces=NS) == "CA"
    assert [e.text for e in root.iterfind(".//cbc:LineStatusCode", NS)] == ["5", "3", "7", "3"]
    assert [e.text for e in root.iterfind(".//{*}OrderLineReference/cbc:LineID", NS)] == [
        "1",
        "2",
        "3",
        "40",
    ]
    units = [e.get("unitCode") for e in root.iterfind(".//cbc:Quantity", NS)]
    assert units == ["EA", "XCS", "EA", "EA"]  # Rec 20: a case is XCS
    endpoint = root.find(".//{*}SellerSupplierParty/{*}Party/cbc:EndpointID", NS)
    assert (endpoint.get("schemeID"), endpoint.text) == ("0088", "5400000000003")
    back = _read(etree.tostring(root))
    assert isinstance(back, OrderResponse)
    # a backorder is written as a change (UNCL1229 has no backorder code)
    assert [ln.status for ln in back.lines] == [
        "accepted",
        "accepted_with_changes",
        "rejected",
        "accepted_with_changes",
    ]
    assert [ln.uom for ln in back.lines][1] == "CS" and back.lines[3].order_line == "40"


def test_despatch_advice_writes_ssccs_with_their_scheme_and_na_shipments() -> None:
    root = etree.fromstring(
        translators.write([_canonical("ship_notice")], target="ubl:DespatchAdvice", settings=NOW)
    )
    units = root.findall(".//{*}TransportHandlingUnit/cbc:ID", NS)
    assert [(u.get("schemeID"), u.text) for u in units] == [
        ("SSCC", "354123450000000014"),
        ("SSCC", "354123450000000021"),
    ]
    assert {e.text for e in root.iterfind(".//{*}DespatchLine/{*}Shipment/cbc:ID", NS)} == {"NA"}
    assert root.findtext(".//{*}Shipment/{*}Delivery/cbc:TrackingID", namespaces=NS) == (
        "1Z999AA10123456784"
    )


def _refusal(doc: Document, target: str) -> translators.RenderError:
    with pytest.raises(translators.RenderError) as caught:
        translators.write([doc], target=target, settings=NOW)
    return caught.value


def test_an_order_without_the_sellers_address_is_refused() -> None:
    error = _refusal(_canonical("order"), "ubl:Order")
    assert error.field == "parties.seller.address"
    assert "Peppol order (T01)" in str(error)


def test_a_response_lacking_several_fields_names_them_all() -> None:
    doc = _canonical("order_response")
    assert isinstance(doc, OrderResponse)
    lines = (msgspec.structs.replace(doc.lines[0], description=None, status="ubl:Odd"),)
    parties = {"buyer": doc.parties["buyer"], "seller": Party(name="No Id Ltd")}
    broken = msgspec.structs.replace(doc, status=None, order_refs=(), lines=lines, parties=parties)
    error = _refusal(broken, "ubl:OrderResponse")
    assert error.field == "status"
    for path in ("order_refs", "parties.seller.ids", "lines[0].status", "lines[0].description"):
        assert path in str(error)


def test_product_ids_and_order_references_peppol_has_no_place_for_are_refused() -> None:
    order = _canonical("order_peppol")
    line = msgspec.structs.replace(order.lines[0], product={"upc": "012345678905"})
    error = _refusal(msgspec.structs.replace(order, lines=(line,)), "ubl:Order")
    assert error.field == "lines[0].product.upc"
    asn = _canonical("ship_notice")
    assert isinstance(asn, ShipNotice)
    two = (*asn.order_refs, OrderRef(number="PO-2024-0043"))
    assert _refusal(msgspec.structs.replace(asn, order_refs=two), "ubl:DespatchAdvice").field == (
        "order_refs[1]"
    )
