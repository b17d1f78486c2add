"""cXML InvoiceDetailRequest, ShipNoticeRequest and ConfirmationRequest: reading to the
canonical model, writing back, and the DTD's structure checked without fetching the DTD."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import msgspec
import pytest
from lxml import etree

import translators
from tests.conftest import OWN_SAMPLES
from translators import WriteSettings
from translators.model import Document, Invoice, OrderResponse, PartyId, ShipNotice, from_json
from translators.xml import safe
from translators.xml.cxml_dtd import structure_issues

ARIBA = WriteSettings(
    sender=PartyId(id="AN01000000002", qualifier="NetworkId"),
    receiver=PartyId(id="AN01000000001", qualifier="NetworkId"),
    timestamp=dt.datetime(2024, 3, 12, 9, 30, tzinfo=dt.UTC),
    message_control=7,
)


def _read(data: bytes) -> Document:
    (ix,) = translators.read(data)
    assert list(ix.all_issues) == []
    (doc,) = ix.documents
    return doc


def _sample(name: str) -> bytes:
    return (OWN_SAMPLES / "xml" / name).read_bytes()


def _write(doc: Document, target: str) -> bytes:
    data = translators.write([doc], target=target, settings=ARIBA)
    assert structure_issues(safe.parse(data)) == []
    return data


def _business(doc: Document) -> Document:
    """The document less its envelope (a written document gets a new payloadID)."""
    return msgspec.structs.replace(doc, envelope=None)


def test_invoice_reads_to_canonical_facts() -> None:
    inv = _read(_sample("cxml_invoice.xml"))
    assert isinstance(inv, Invoice)
    assert (inv.number, inv.date, inv.currency) == ("INV-2024-0042", dt.date(2024, 3, 12), "EUR")
    assert [r.number for r in inv.order_refs] == ["PO-2024-0042"]
    assert inv.totals is not None
    assert (inv.totals.lines, inv.totals.net, inv.totals.tax) == (
        D("311.00"),
        D("311.00"),
        D("65.31"),
    )
    assert (inv.totals.gross, inv.totals.payable) == (D("376.31"), D("376.31"))
    assert sorted(inv.parties) == ["bill_to", "remit_to", "seller", "ship_to"]
    assert inv.parties["remit_to"].ids == {"cxml": "WW-REMIT", "vatID": "NL123456789B01"}
    assert inv.parties["ship_to"].address is not None
    assert inv.parties["ship_to"].address.country == "BE"
    first, second = inv.lines
    assert (first.line_no, first.quantity, first.uom, first.unit_price, first.amount) == (
        "1",
        D("12"),
        "EA",
        D("9.25"),
        D("111.00"),
    )
    assert (second.product, second.order_line) == ({"vendor": "WW-200", "buyer": "ACME-RW"}, "20")
    assert [(t.category, t.rate, t.amount) for t in inv.taxes] == [("VAT", D("21"), D("65.31"))]
    assert inv.envelope is not None
    assert inv.envelope.sender == PartyId(id="AN01000000002", qualifier="NetworkId")
    assert inv.envelope.message_control == "20240312.0042.inv@widgetworks.example"


def test_ship_notice_reads_to_canonical_facts() -> None:
    asn = _read(_sample("cxml_ship_notice.xml"))
    assert isinstance(asn, ShipNotice) and asn.shipment is not None
    assert (asn.number, asn.date) == ("ASN-0042-1", dt.date(2024, 3, 10))
    assert (asn.shipment.carrier, asn.shipment.tracking) == ("DHLX", "1Z999AA10123456784")
    assert (asn.shipment.ship_date, asn.shipment.delivery_date) == (
        dt.date(2024, 3, 10),
        dt.date(2024, 3, 12),
    )
    assert [r.number for r in asn.order_refs] == ["PO-2024-0042"]
    assert asn.parties["ship_to"].ids["gln"] == "0614141000012"
    assert [(ln.line_no, ln.order_line, ln.quantity, ln.uom) for ln in asn.lines] == [
        ("1", None, D("12"), "EA"),
        ("2", "20", D("5"), "CS"),
    ]


@pytest.mark.parametrize(
    ("name", "target", "dtd"),
    [
        ("cxml_invoice.xml", "cxml:InvoiceDetailRequest", "InvoiceDetail.dtd"),
        ("cxml_ship_notice.xml", "cxml:ShipNoticeRequest", "Fulfill.dtd"),
    ],
)
def test_round_trip(name: str, target: str, dtd: str) -> None:
    doc = _read(_sample(name))
    data = _write(doc, target)
    assert f'<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.060/{dtd}">' in (
        data.decode()
    )
    back = _read(data)
    assert _business(back) == _business(doc)
    assert back.envelope is not None
    assert (back.envelope.sender, back.envelope.receiver) == (ARIBA.sender, ARIBA.receiver)
    assert back.envelope.message_control == "20240312093000.7@AN01000000002"


def test_confirmation_written_from_an_order_response_reads_back_the_statuses() -> None:
    response = from_json((OWN_SAMPLES / "canonical" / "order_response.json").read_bytes())
    data = _write(response, "cxml:ConfirmationRequest")
    root = safe.parse(data)
    header = root.find("Request/ConfirmationRequest/ConfirmationHeader")
    assert header is not None and (header.get("type"), header.get("confirmID")) == (
        "detail",
        "SO-7781",
    )
    types = [s.get("type") for s in root.iterfind(".//ConfirmationStatus")]
    assert types == ["accept", "detail", "reject", "backordered"]
    back = _read(data)
    assert isinstance(back, OrderResponse) and isinstance(response, OrderResponse)
    assert back.status == response.status == "accepted_with_changes"
    assert [r.number for r in back.order_refs] == ["PO-2024-0042"]
    assert [(ln.status, ln.quantity, ln.uom) for ln in back.lines] == [
        (ln.status, ln.quantity, ln.uom) for ln in response.lines
    ]
    # cXML names the order's line: line 4 answers order line 40
    assert [ln.line_no for ln in back.lines] == ["1", "2", "3", "40"]


def _without(data: bytes, path: str) -> bytes:
    root = safe.parse(data)
    node = root.find(path)
    assert node is not None
    parent = node.getparent()
    assert parent is not None
    parent.remove(node)
    return bytes(etree.tostring(root))


@pytest.mark.parametrize(
    ("name", "path", "xpath", "missing"),
    [
        (
            "cxml_invoice.xml",
            "Request/InvoiceDetailRequest/InvoiceDetailSummary/NetAmount",
            "/cXML/Request/InvoiceDetailRequest/InvoiceDetailSummary",
            "NetAmount",
        ),
        (
            "cxml_invoice.xml",
            "Request/InvoiceDetailRequest/InvoiceDetailOrder[1]/InvoiceDetailItem[2]/UnitPrice",
            "/cXML/Request/InvoiceDetailRequest/InvoiceDetailOrder/InvoiceDetailItem[2]",
            "UnitPrice",
        ),
        (
            "cxml_ship_notice.xml",
            "Request/ShipNoticeRequest/ShipControl/ShipmentIdentifier",
            "/cXML/Request/ShipNoticeRequest/ShipControl",
            "ShipmentIdentifier",
        ),
        ("cxml_ship_notice.xml", "Header/Sender", "/cXML/Header", "Sender"),
    ],
)
def test_missing_required_element_is_a_located_issue(
    name: str, path: str, xpath: str, missing: str
) -> None:
    (ix,) = translators.read(_without(_sample(name), path))
    (message,) = ix.messages
    assert message.document is None
    (issue,) = message.issues
    assert (issue.code, issue.xpath, issue.is_error) == ("dtd", xpath, True)
    assert issue.message.endswith(f"lacks the required element {missing}")


def test_order_attributes_and_numbers_are_checked() -> None:
    text = _sample("cxml_invoice.xml").decode()
    text = text.replace('purpose="standard"', 'purpose="final"').replace(
        'invoiceLineNumber="1" quantity="12"', 'invoiceLineNumber="1" quantity="NaN"'
    )
    issues = structure_issues(safe.parse(text.encode()))
    assert [(i.code, i.xpath) for i in issues] == [
        ("dtd", "/cXML/Request/InvoiceDetailRequest/InvoiceDetailRequestHeader"),
        ("dtd", "/cXML/Request/InvoiceDetailRequest/InvoiceDetailOrder/InvoiceDetailItem[1]"),
    ]
    moved = safe.parse(_sample("cxml_invoice.xml"))
    summary_node = moved.find("Request/InvoiceDetailRequest/InvoiceDetailSummary")
    assert summary_node is not None
    summary_node.append(summary_node[0])  # SubtotalAmount after DueAmount
    (late,) = structure_issues(moved)
    assert late.xpath == "/cXML/Request/InvoiceDetailRequest/InvoiceDetailSummary/SubtotalAmount"
    assert "must come before" in late.message


def test_the_dtd_is_never_fetched() -> None:
    """The DOCTYPE names an http DTD: parsing must not load it (no resolver is asked)."""
    asked: list[str] = []

    class Refuse(etree.Resolver):
        def resolve(self, system_url: str, public_id: str, context: object = None) -> None:
            asked.append(system_url)

    resolver = Refuse()
    safe._PARSER.resolvers.add(resolver)
    try:
        doc = _read(_sample("cxml_invoice.xml"))
    finally:
        safe._PARSER.resolvers.remove(resolver)
    assert asked == [] and doc.number == "INV-2024-0042"


def test_x12_810_invoice_renders_to_cxml_and_back() -> None:
    (ix,) = translators.read((OWN_SAMPLES / "x12" / "810.x12").read_bytes())
    (inv,) = ix.documents
    assert isinstance(inv, Invoice) and inv.totals is not None
    data = _write(msgspec.structs.replace(inv, envelope=None), "cxml:InvoiceDetailRequest")
    back = _read(data)
    assert isinstance(back, Invoice) and back.totals is not None
    assert back.lines == inv.lines
    assert (back.number, back.date, back.currency, back.order_refs, back.taxes) == (
        inv.number,
        inv.date,
        inv.currency,
        inv.order_refs,
        inv.taxes,
    )
    assert back.parties == inv.parties
    # cXML requires a SubtotalAmount: the 810 states no lines total, so its net is written
    assert msgspec.structs.replace(back.totals, lines=None) == inv.totals
    assert back.totals.lines == inv.totals.net
