"""canonical invoice / ship_notice / order_response -> cXML InvoiceDetailRequest /
ShipNoticeRequest / ConfirmationRequest, in the cXML 1.2 DTD's element order.

The Header's From/To credentials are ``WriteSettings`` sender/receiver (else the
document's envelope); the payloadID and timestamp come from the settings' control number
and timestamp (a translator holds no clock). Amounts map as ``cxml_read`` reads them; the
summary's SubtotalAmount and NetAmount are required, so a document without a lines total
states its tax-exclusive ``net`` there and one without discounts its ``gross`` as
NetAmount (cXML: gross less discounts; we write no discount).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TypeVar

from lxml import etree

from ..api import WriteSettings
from ..errors import RenderError
from ..model import Document, Invoice, Line, OrderRef, OrderResponse, Party, PartyId, ShipNotice
from .cxml import INVOICE_EAN, ROLES, SHIP_NOTICE_EAN

__all__ = ["WRITERS", "doctype"]

_E = etree._Element
_T = TypeVar("_T")
_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_VERSION = "1.2.060"
_CONTACT_ROLES = {role: name for name, role in ROLES.items()}
#: canonical status -> ConfirmationStatus type (the inverse of cxml_read.STATUSES)
_STATUS_TYPES = {
    "accepted": "accept",
    "rejected": "reject",
    "backordered": "backordered",
    "accepted_with_changes": "detail",
}
_HEADER_TYPES = {"accepted": "accept", "rejected": "reject"}


def _sub(parent: _E, tag: str, text: str | None = None, **attrs: str | None) -> _E:
    node = etree.SubElement(parent, tag, {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        node.text = text
    return node


def _money(parent: _E, tag: str, amount: Decimal | None, currency: str) -> None:
    if amount is not None:
        _sub(_sub(parent, tag), "Money", str(amount), currency=currency)


def _credential(parent: _E, party: PartyId) -> None:
    cred = _sub(parent, "Credential", domain=party.qualifier or "NetworkId")
    _sub(cred, "Identity", party.id)


def _root(doc: Document, settings: WriteSettings, kind: str) -> tuple[_E, _E]:
    """The cXML root with its Header, and the empty ``kind`` request element."""
    env = doc.envelope
    sender = settings.sender or (env.sender if env else None)
    receiver = settings.receiver or (env.receiver if env else None)
    if sender is None or receiver is None:
        field = "sender" if sender is None else "receiver"
        raise RenderError(f"cXML needs a {field} credential (From/To)", field=field)
    version = settings.version if (settings.version or "").startswith("1.") else _VERSION
    stamp = settings.timestamp
    root = etree.Element(
        "cXML",
        payloadID=f"{stamp:%Y%m%d%H%M%S}.{settings.message_control}@{sender.id}",
        timestamp=stamp.isoformat(),
        version=version or _VERSION,
    )
    header = _sub(root, "Header")
    _credential(_sub(header, "From"), sender)
    _credential(_sub(header, "To"), receiver)
    from_sender = _sub(header, "Sender")
    _credential(from_sender, sender)
    _sub(from_sender, "UserAgent", "edigw")
    request = _sub(root, "Request", deploymentMode="test" if settings.test else "production")
    return root, _sub(request, kind)


def _contact(parent: _E, role: str, party: Party, *, ids_inside: bool) -> _E:
    """A Contact; its IdReferences go inside (ship notice) or after it (InvoicePartner)."""
    contact = _sub(parent, "Contact", role=_CONTACT_ROLES[role], addressID=party.ids.get("cxml"))
    _sub(contact, "Name", party.name or "", **{_LANG: "en"})
    addr = party.address
    if addr is not None:
        if not (addr.street_lines and addr.city and addr.country):
            raise RenderError(
                "a cXML PostalAddress needs a street, a city and a country",
                field=f"parties.{role}.address",
            )
        postal = _sub(contact, "PostalAddress")
        for street in addr.street_lines:
            _sub(postal, "Street", street)
        _sub(postal, "City", addr.city)
        if addr.region:
            _sub(postal, "State", addr.region)
        if addr.postal_code:
            _sub(postal, "PostalCode", addr.postal_code)
        _sub(postal, "Country", addr.country, isoCountryCode=addr.country)
    holder = contact if ids_inside else parent
    for scheme, ident in party.ids.items():
        if scheme != "cxml":
            _sub(holder, "IdReference", identifier=ident, domain=scheme)
    return contact


def _parties(doc: Document) -> list[tuple[str, Party]]:
    unknown = [role for role in doc.parties if role not in _CONTACT_ROLES]
    if unknown:
        raise RenderError(f"cXML has no Contact role for {unknown[0]}", field="parties")
    return list(doc.parties.items())


def _item_id(parent: _E, line: Line, field: str) -> None:
    """ItemID (supplier's and buyer's part ids); the GTIN goes elsewhere (``_ean``)."""
    other = sorted(set(line.product) - {"vendor", "buyer", "gtin"})
    if other:
        raise RenderError(f"cXML has no place for a {other[0]} product id", field=field)
    vendor = line.product.get("vendor")
    if vendor is None:
        if "buyer" in line.product:
            raise RenderError("a cXML ItemID needs the supplier's part id", field=field)
        return
    item_id = _sub(parent, "ItemID")
    _sub(item_id, "SupplierPartID", vendor)
    if "buyer" in line.product:
        _sub(item_id, "BuyerPartID", line.product["buyer"])


def _ean(parent: _E, path: tuple[str, ...], gtin: str) -> None:
    """The GTIN as cXML's retail EANID, under the industry elements ``path`` names."""
    for tag in path:
        parent = _sub(parent, tag)
    _sub(parent, "EANID", gtin)


def _need(value: _T | None, field: str) -> _T:
    if value is None:
        raise RenderError(f"cXML requires {field}", field=field)
    return value


def _by_order(doc: Invoice | ShipNotice) -> list[tuple[OrderRef | None, list[tuple[int, Line]]]]:
    """Lines grouped by the order they belong to: their own ``order_ref`` when it is one of
    the document's, else the document's first order."""
    refs: list[OrderRef | None] = list(doc.order_refs) or [None]
    groups: dict[int, list[tuple[int, Line]]] = {i: [] for i in range(len(refs))}
    for i, line in enumerate(doc.lines):
        groups[refs.index(line.order_ref) if line.order_ref in refs else 0].append((i, line))
    return [(refs[n], lines) for n, lines in groups.items()]


def _order_reference(parent: _E, ref: OrderRef | None, payload: str = "") -> None:
    node = _sub(
        parent,
        "OrderReference",
        orderID=ref.number if ref else None,
        orderDate=ref.date.isoformat() if ref and ref.date else None,
    )
    _sub(node, "DocumentReference", payloadID=payload)


def _invoice(doc: Document, settings: WriteSettings) -> _E:
    assert isinstance(doc, Invoice)
    currency = _need(doc.currency, "currency")
    root, request = _root(doc, settings, "InvoiceDetailRequest")
    header = _sub(
        request,
        "InvoiceDetailRequestHeader",
        invoiceID=_need(doc.number, "number"),
        purpose="creditMemo" if doc.invoice_kind == "credit_note" else "standard",
        operation="new",
        invoiceDate=_need(doc.date, "date").isoformat(),
    )
    _sub(header, "InvoiceDetailHeaderIndicator")
    _sub(header, "InvoiceDetailLineIndicator")
    for role, party in _parties(doc):
        _contact(_sub(header, "InvoicePartner"), role, party, ids_inside=False)
    for n, (ref, lines) in enumerate(_by_order(doc)):
        order = _sub(request, "InvoiceDetailOrder")
        payload = doc.references.get("cxml:order_payload", "") if n == 0 else ""
        _order_reference(_sub(order, "InvoiceDetailOrderInfo"), ref, payload)
        for i, line in lines:
            _invoice_item(order, line, f"lines[{i}]", currency)
    _summary(request, doc, currency)
    return root


def _invoice_item(order: _E, line: Line, field: str, currency: str) -> None:
    item = _sub(
        order,
        "InvoiceDetailItem",
        invoiceLineNumber=_need(line.line_no, f"{field}.line_no"),
        quantity=str(_need(line.quantity, f"{field}.quantity")),
    )
    _sub(item, "UnitOfMeasure", _need(line.uom, f"{field}.uom"))
    _money(item, "UnitPrice", _need(line.unit_price, f"{field}.unit_price"), currency)
    ref = _sub(item, "InvoiceDetailItemReference", lineNumber=line.order_line or line.line_no)
    _item_id(ref, line, f"{field}.product")
    if line.description:
        _sub(ref, "Description", line.description, **{_LANG: "en"})
    if "gtin" in line.product:
        _ean(ref, INVOICE_EAN, line.product["gtin"])
    _money(item, "SubtotalAmount", line.amount, currency)


def _summary(request: _E, doc: Invoice, currency: str) -> None:
    totals = doc.totals
    if totals is None:
        raise RenderError("a cXML invoice needs its totals", field="totals")
    summary = _sub(request, "InvoiceDetailSummary")
    subtotal = totals.lines if totals.lines is not None else totals.net
    _money(summary, "SubtotalAmount", _need(subtotal, "totals.lines"), currency)
    tax = _sub(summary, "Tax")
    _sub(tax, "Money", str(totals.tax if totals.tax is not None else Decimal(0)), currency=currency)
    _sub(tax, "Description", "tax", **{_LANG: "en"})
    for t in doc.taxes:
        detail = _sub(
            tax,
            "TaxDetail",
            category=(t.category or "vat").lower(),
            percentageRate=str(t.rate) if t.rate is not None else None,
        )
        _money(detail, "TaxableAmount", t.base, currency)
        _money(detail, "TaxAmount", t.amount if t.amount is not None else Decimal(0), currency)
    _money(summary, "GrossAmount", totals.gross, currency)
    _money(summary, "TotalCharges", totals.charges, currency)
    _money(summary, "TotalAllowances", totals.allowances, currency)
    _money(summary, "TotalAmountWithoutTax", totals.net, currency)
    net = totals.gross if totals.gross is not None else totals.payable
    _money(summary, "NetAmount", _need(net, "totals.gross"), currency)
    _money(summary, "DueAmount", totals.payable, currency)


def _ship_notice(doc: Document, settings: WriteSettings) -> _E:
    assert isinstance(doc, ShipNotice)
    root, request = _root(doc, settings, "ShipNoticeRequest")
    shipment = doc.shipment
    header = _sub(
        request,
        "ShipNoticeHeader",
        shipmentID=_need(doc.number, "number"),
        operation="new",
        noticeDate=_need(doc.date, "date").isoformat(),
        shipmentDate=shipment.ship_date.isoformat() if shipment and shipment.ship_date else None,
        deliveryDate=(
            shipment.delivery_date.isoformat() if shipment and shipment.delivery_date else None
        ),
    )
    for role, party in _parties(doc):
        _contact(header, role, party, ids_inside=True)
    for note in doc.notes:
        _sub(header, "Comments", note, **{_LANG: "en"})
    if shipment is not None and (shipment.carrier or shipment.tracking):
        control = _sub(request, "ShipControl")
        _sub(
            control, "CarrierIdentifier", _need(shipment.carrier, "shipment.carrier"), domain="SCAC"
        )
        _sub(control, "ShipmentIdentifier", _need(shipment.tracking, "shipment.tracking"))
    for ref, lines in _by_order(doc):
        portion = _sub(request, "ShipNoticePortion")
        _order_reference(portion, ref)
        for i, line in lines:
            field = f"lines[{i}]"
            own = line.line_no if line.order_line else None
            item = _sub(
                portion,
                "ShipNoticeItem",
                quantity=str(_need(line.quantity, f"{field}.quantity")),
                lineNumber=_need(line.order_line or line.line_no, f"{field}.line_no"),
                shipNoticeLineNumber=own,
            )
            _item_id(item, line, f"{field}.product")
            if line.description or "gtin" in line.product:
                detail = _sub(item, "ShipNoticeItemDetail")
                if line.description:
                    _sub(detail, "Description", line.description, **{_LANG: "en"})
                if "gtin" in line.product:
                    _ean(detail, SHIP_NOTICE_EAN, line.product["gtin"])
            _sub(item, "UnitOfMeasure", _need(line.uom, f"{field}.uom"))
    return root


def _confirmation(doc: Document, settings: WriteSettings) -> _E:
    assert isinstance(doc, OrderResponse)
    root, request = _root(doc, settings, "ConfirmationRequest")
    status = _need(doc.status, "status")
    _sub(
        request,
        "ConfirmationHeader",
        type=_HEADER_TYPES.get(status, "detail"),
        noticeDate=_need(doc.date, "date").isoformat(),
        confirmID=doc.number,
        operation="new",
    )
    _order_reference(request, doc.order_refs[0] if doc.order_refs else None)
    for i, line in enumerate(doc.lines):
        field = f"lines[{i}]"
        quantity = str(_need(line.quantity, f"{field}.quantity"))
        uom = _need(line.uom, f"{field}.uom")
        item = _sub(
            request,
            "ConfirmationItem",
            lineNumber=_need(line.order_line or line.line_no, f"{field}.line_no"),
            quantity=quantity,
        )
        _sub(item, "UnitOfMeasure", uom)
        kind = _STATUS_TYPES.get(_need(line.status, f"{field}.status"))
        if kind is None:
            raise RenderError(f"cXML has no ConfirmationStatus for {line.status}", field=field)
        confirmed = _sub(item, "ConfirmationStatus", quantity=quantity, type=kind)
        _sub(confirmed, "UnitOfMeasure", uom)
        if line.unit_price is not None:
            _money(confirmed, "UnitPrice", line.unit_price, _need(doc.currency, "currency"))
    return root


#: target name -> (document kind, builder, DTD file the DOCTYPE names)
WRITERS: Mapping[str, tuple[type[Document], Callable[[Document, WriteSettings], _E], str]] = {
    "cxml:InvoiceDetailRequest": (Invoice, _invoice, "InvoiceDetail.dtd"),
    "cxml:ShipNoticeRequest": (ShipNotice, _ship_notice, "Fulfill.dtd"),
    "cxml:ConfirmationRequest": (OrderResponse, _confirmation, "Fulfill.dtd"),
}


def doctype(root: _E, dtd: str) -> str:
    """The DOCTYPE a cXML partner expects; it names the DTD, which nobody need fetch."""
    return f'<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/{root.get("version")}/{dtd}">'
