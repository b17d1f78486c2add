"""Peppol post-award documents read completely: references, the delivery location,
promised periods, substituted items, lots and outstanding quantities survive reading and
are written back where the transaction has a place for them, still passing its rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import msgspec
import pytest
from lxml import etree

import translators
from tests.peppol import examples, fatal_asserts
from translators import WriteSettings
from translators.model import (
    Address,
    Document,
    Line,
    OrderResponse,
    Party,
    ShipNotice,
    to_dict,
)

AS_SENT = WriteSettings(timestamp=dt.datetime(2024, 3, 1, 12), check_gs1=False)
NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}


def _example(name: str) -> Document:
    found = {p.name: p for p in examples("peppol-poacc")}
    if name not in found:
        pytest.skip("Peppol post-award examples not available")
    (ix,) = translators.read(found[name].read_bytes())
    (doc,) = ix.documents
    return doc


def _written(doc: Document, target: str) -> etree._Element:
    data = translators.write([doc], target=target, settings=AS_SENT)
    assert fatal_asserts(data) == []
    return etree.fromstring(data)


def test_order_references_and_delivery_location() -> None:
    order = _example("Order_Example.xml")
    assert order.references == {"contract": "34322", "quotation": "QuoteID123", "project": "PID33"}
    ship_to = order.parties["ship_to"]
    assert ship_to.name == "Helseavdeling"
    assert ship_to.ids["gln"] == "7300010000001"  # DeliveryLocation/ID schemeID 0088
    assert ship_to.address is not None
    assert (ship_to.address.street, ship_to.address.city, ship_to.address.country) == (
        "Solheimsveien 10",
        "Lørenskog",
        "NO",
    )
    assert order.lines[0].lot == "LO-123456"
    assert order.lines[1].dates == {
        "requested_delivery": dt.date(2012, 10, 15),
        "requested_delivery_end": dt.date(2012, 10, 31),
    }
    root = _written(order, "ubl:Order")
    assert root.findtext("cac:Contract/cbc:ID", namespaces=NS) == "34322"
    location = root.find("cac:Delivery/cac:DeliveryLocation", NS)
    assert location.findtext("cbc:ID", namespaces=NS) == "7300010000001"
    assert location.findtext("cac:Address/cbc:PostalZone", namespaces=NS) == "1473"


def test_order_response_line_status_promised_periods_and_substitutes() -> None:
    response = _example("OrderResponse_Example.xml")
    assert isinstance(response, OrderResponse) and not response.agreement
    first, second, third = response.lines
    assert [ln.status for ln in response.lines] == [
        "accepted_with_changes",
        "accepted",
        "accepted_with_changes",
    ]
    assert first.dates["promised_delivery"] == dt.date(2018, 8, 10)
    assert response.dates["promised_delivery"] == dt.date(2013, 7, 15)
    assert first.substitute is not None and first.substitute.line_no == "12356"
    assert first.substitute.product == {"gtin": "7400000001235", "vendor": "SN-34"}
    assert first.substitute.description == "Sauce brown, ready"
    assert second.substitute is None
    assert third.substitute is not None and third.substitute.product["vendor"] == "SN-36"
    root = _written(response, "ubl:OrderResponse")
    subs = root.findall(".//cac:SellerSubstitutedLineItem", NS)
    assert [s.findtext("cac:Item/cbc:Name", namespaces=NS) for s in subs] == [
        "Sauce brown, ready",
        "Pepper sauce",
    ]
    assert root.findtext(
        "cac:OrderLine/cac:LineItem/cac:Delivery/cac:PromisedDeliveryPeriod/cbc:EndDate",
        namespaces=NS,
    ) == ("2018-08-12")


def test_an_order_agreement_is_told_apart_and_written_as_one_by_itself() -> None:
    agreement = _example("OrderAgreement_Example.xml")
    assert isinstance(agreement, OrderResponse) and agreement.agreement
    assert agreement.references == {"contract": "CON-12345"}
    assert agreement.lines[0].dates["promised_delivery_end"] == dt.date(2018, 8, 12)
    root = _written(agreement, "ubl:OrderResponse")  # the plain target: still BIS 42
    assert "order_agreement" in root.findtext("cbc:CustomizationID", namespaces=NS)
    assert root.find("cbc:OrderResponseCode", NS) is None
    assert root.findtext("cac:Contract/cbc:ID", namespaces=NS) == "CON-12345"


def test_despatch_line_lot_expiry_trace_and_outstanding_quantity() -> None:
    asn = _example("DespatchAdvice_Example.xml")
    assert isinstance(asn, ShipNotice)
    (line,) = asn.lines
    assert (line.order_line, line.order_ref and line.order_ref.number) == (None, "AEG012345")
    assert line.outstanding_quantity == Decimal("2")
    assert line.lot == "546378239"
    assert line.dates == {"expiry": dt.date(2010, 1, 1), "best_before": dt.date(2018, 12, 1)}
    assert line.trace_id == "(01)47964367965424(11)173434(17)226565(10)A379B3(21)1237"
    root = _written(asn, "ubl:DespatchAdvice")
    instance = root.find("cac:DespatchLine/cac:Item/cac:ItemInstance", NS)
    assert instance.findtext("cac:LotIdentification/cbc:ExpiryDate", namespaces=NS) == (
        "2010-01-01"
    )
    assert root.findtext("cac:DespatchLine/cbc:OutstandingQuantity", namespaces=NS) == "2"


def _order_to(ship_to: Party) -> Document:
    order = _example("Order_Example.xml")
    return msgspec.structs.replace(order, parties={**order.parties, "ship_to": ship_to})


def test_a_delivery_location_alone_is_written_without_a_delivery_party() -> None:
    place = Address(street="Dock 4", city="Oslo", postal_code="0150", country="NO")
    order = _order_to(Party(ids={"gln": "7300010000018"}, address=place))
    root = _written(order, "ubl:Order")
    assert root.find("cac:Delivery/cac:DeliveryParty", NS) is None
    (ix,) = translators.read(etree.tostring(root))
    assert ix.documents[0].parties["ship_to"] == order.parties["ship_to"]


def test_a_second_location_id_is_kept_apart_and_needs_its_address() -> None:
    place = Address(city="Oslo", country="NO")
    ids = {"gln": "7300010000001", "location:gln": "7300010000018"}
    order = _order_to(Party(name="Ward 3", ids=ids, address=place))
    root = _written(order, "ubl:Order")
    assert root.findtext("cac:Delivery/cac:DeliveryLocation/cbc:ID", namespaces=NS) == (
        "7300010000018"
    )
    (ix,) = translators.read(etree.tostring(root))
    assert ix.documents[0].parties["ship_to"] == order.parties["ship_to"]
    no_address = _order_to(Party(name="Ward 3", ids=ids))
    with pytest.raises(translators.RenderError) as caught:
        translators.write([no_address], target="ubl:Order", settings=AS_SENT)
    assert caught.value.field == "parties.ship_to.address"


def test_a_substitute_without_its_id_is_refused() -> None:
    response = _example("OrderResponse_Example.xml")
    first = response.lines[0]
    assert first.substitute is not None
    broken = msgspec.structs.replace(first.substitute, line_no=None)
    lines = (msgspec.structs.replace(first, substitute=broken), *response.lines[1:])
    with pytest.raises(translators.RenderError) as caught:
        translators.write(
            [msgspec.structs.replace(response, lines=lines)],
            target="ubl:OrderResponse",
            settings=AS_SENT,
        )
    assert caught.value.field == "lines[0].substitute.line_no"


def test_new_line_fields_survive_canonical_json() -> None:
    line = Line(
        line_no="1",
        lot="L1",
        trace_id="T1",
        outstanding_quantity=Decimal("2"),
        dates={"expiry": dt.date(2030, 1, 1)},
        substitute=Line(line_no="9", product={"vendor": "X"}),
    )
    doc = OrderResponse(lines=(line,), agreement=True)
    assert translators.from_json(translators.to_json(doc)) == doc
    # a line without the new facts is written as before (no empty keys)
    plain = to_dict(OrderResponse(lines=(Line(line_no="1"),)))
    assert plain["lines"] == [{"line_no": "1", "product": {}}] and "agreement" not in plain
