"""Canonical documents -> UBL 2.1 Order, OrderResponse, DespatchAdvice, and the helpers
the invoice writer (``ubl_billing_write``, Peppol BIS Billing 3.0) shares.

Elements are written in the XSD's sequence order, so the output validates. Where UBL
makes an element mandatory that the canonical document does not state, the writer says
what it uses: PayableAmount is the stated payable amount, else the line total (order); a
missing party or currency is a RenderError, never invented.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

from lxml import etree

from .. import codes
from ..errors import RenderError
from ..model import (
    Address,
    Document,
    Line,
    OrderResponse,
    Party,
    PurchaseOrder,
    ShipNotice,
    Totals,
)
from ..text import digits
from .ubl_read import CAC, CBC, LINE_STATUS, RESPONSE_CODES

__all__ = ["WRITERS", "address", "element", "party", "root_element"]

_E = etree._Element
_NSMAP = {"cac": CAC, "cbc": CBC}


def element(parent: _E, tag: str, text: str | None = None, **attrs: str) -> _E:
    prefix, _, local = tag.partition(":")
    node = etree.SubElement(parent, f"{{{_NSMAP[prefix]}}}{local}", attrs)
    if text is not None:
        node.text = text
    return node


def root_element(name: str) -> _E:
    """The root of a UBL 2.1 document ``name``, with its namespaces and UBLVersionID."""
    ns = f"urn:oasis:names:specification:ubl:schema:xsd:{name}-2"
    root = etree.Element(f"{{{ns}}}{name}", nsmap={None: ns, **_NSMAP})  # type: ignore[dict-item]
    element(root, "cbc:UBLVersionID", "2.1")
    return root


def _scheme_id(scheme: str, *, icd: bool = False) -> str | None:
    """The schemeID of a canonical id scheme. With ``icd`` (EN 16931: BR-CL-10/21) only an
    ISO 6523 code is one: an internal scheme (``buyer``, ``x12:92``) gives None."""
    if scheme == "ubl":
        return None
    if scheme.startswith("ubl:"):
        code = scheme[4:]
        return code if not icd or (len(code) == 4 and digits(code)) else None
    for code, name in codes.UBL_SCHEME.items():
        if name == scheme and digits(code):
            return code
    return None if icd else scheme


def _id(parent: _E, tag: str, scheme: str, value: str, *, icd: bool = False) -> None:
    scheme_id = _scheme_id(scheme, icd=icd)
    element(parent, tag, value, **({"schemeID": scheme_id} if scheme_id else {}))


#: elements that are a PartyType themselves (the others wrap one in cac:Party)
_PARTY_TYPED = frozenset(
    {
        "cac:DeliveryParty",
        "cac:SenderParty",
        "cac:ReceiverParty",
        "cac:PayeeParty",
        "cac:CarrierParty",
        "cac:Party",
    }
)


def party(
    parent: _E,
    tag: str,
    p: Party,
    *,
    endpoint: bool = False,
    en16931: bool = False,
    max_ids: int | None = None,
) -> None:
    """A UBL party. ``en16931`` writes it as EN 16931 wants it: the EndpointID from a
    Peppol EAS scheme only, PartyIdentification with ISO 6523 schemeIDs only (at most
    ``max_ids``), the ``vat`` id in PartyTaxScheme, the legal name (else the name) in
    PartyLegalEntity, at most one AddressLine."""
    node = element(parent, tag)
    if tag not in _PARTY_TYPED:
        node = element(node, "cac:Party")
    ids = {k: v for k, v in p.ids.items() if not k.startswith("endpoint:")}
    ends = {k[9:]: v for k, v in p.ids.items() if k.startswith("endpoint:")}
    if en16931:
        ids.pop("vat", None)
        routable = [(k, v) for k, v in (*ends.items(), *ids.items()) if codes.eas_code(k)]
        if routable:
            scheme, value = routable[0]
            element(node, "cbc:EndpointID", value, schemeID=codes.eas_code(scheme) or "")
    elif ends or (endpoint and ids):  # Peppol needs one; a read one is always written back
        scheme, value = next(iter((ends or ids).items()))
        _id(node, "cbc:EndpointID", scheme, value)
    for scheme, value in list(ids.items())[:max_ids]:
        _id(element(node, "cac:PartyIdentification"), "cbc:ID", scheme, value, icd=en16931)
    if p.name:
        element(element(node, "cac:PartyName"), "cbc:Name", p.name)
    if p.address is not None:
        address(node, "cac:PostalAddress", p.address, one_line=en16931)
    if en16931:
        vat = p.ids.get("vat")
        if vat:
            tax_scheme = element(node, "cac:PartyTaxScheme")
            element(tax_scheme, "cbc:CompanyID", vat)
            element(element(tax_scheme, "cac:TaxScheme"), "cbc:ID", "VAT")
        legal = p.legal_name or p.name
        if legal:
            element(element(node, "cac:PartyLegalEntity"), "cbc:RegistrationName", legal)


def address(parent: _E, tag: str, a: Address, *, one_line: bool = False) -> None:
    """A UBL AddressType; ``one_line`` joins the further lines into the one AddressLine
    EN 16931 allows (UBL-SR-51)."""
    addr = element(parent, tag)
    fields: tuple[tuple[str, str | None], ...] = (
        ("cbc:StreetName", a.street),
        ("cbc:AdditionalStreetName", a.street2),
        ("cbc:CityName", a.city),
        ("cbc:PostalZone", a.postal_code),
        ("cbc:CountrySubentity", a.region),
    )
    for tag_name, part in fields:
        if part:
            element(addr, tag_name, part)
    for line in ("; ".join(a.lines),) if one_line and a.lines else a.lines:
        element(element(addr, "cac:AddressLine"), "cbc:Line", line)
    if a.country:
        element(element(addr, "cac:Country"), "cbc:IdentificationCode", a.country)


def _amount(parent: _E, tag: str, value: Decimal | None, currency: str | None) -> None:
    if value is None:
        return
    if not currency:
        raise RenderError("UBL amounts need a currency: the document has none")
    element(parent, tag, format(value, "f"), currencyID=currency)


def _item(parent: _E, line: Line) -> _E:
    """The line's cac:Item (returned, so that an invoice can add its tax category).
    AdditionalItemIdentification keeps canonical scheme names: EN 16931 gives it no
    meaning and no code list, and the name is what reads back to the same product."""
    item = element(parent, "cac:Item")
    if line.description:
        element(item, "cbc:Name", line.description)
    tags = {
        "buyer": "cac:BuyersItemIdentification",
        "vendor": "cac:SellersItemIdentification",
        "manufacturer": "cac:ManufacturersItemIdentification",
        "gtin": "cac:StandardItemIdentification",
    }
    for scheme in ("buyer", "vendor", "manufacturer", "gtin"):
        if scheme in line.product:
            node = element(item, tags[scheme])
            _id(node, "cbc:ID", "gtin", line.product[scheme]) if scheme == "gtin" else element(
                node, "cbc:ID", line.product[scheme]
            )
    for scheme, value in line.product.items():
        if scheme not in tags:
            _id(element(item, "cac:AdditionalItemIdentification"), "cbc:ID", scheme, value)
    return item


def _quantity(parent: _E, tag: str, line: Line) -> None:
    if line.quantity is not None:
        element(
            parent, tag, format(line.quantity, "f"), **({"unitCode": line.uom} if line.uom else {})
        )


def _price(parent: _E, line: Line, currency: str | None) -> None:
    if line.unit_price is not None:
        _amount(element(parent, "cac:Price"), "cbc:PriceAmount", line.unit_price, currency)


def _need(doc: Document, role: str, what: str) -> Party:
    found = doc.parties.get(role)
    if found is None:
        raise RenderError(f"UBL {what} needs a {role} party")
    return found


def _totals(parent: _E, tag: str, t: Totals, currency: str | None, payable: Decimal | None) -> None:
    node = element(parent, tag)
    for name, value in (
        ("cbc:LineExtensionAmount", t.lines),
        ("cbc:TaxExclusiveAmount", t.net),
        ("cbc:TaxInclusiveAmount", t.gross),
        ("cbc:AllowanceTotalAmount", t.allowances),
        ("cbc:ChargeTotalAmount", t.charges),
        ("cbc:PrepaidAmount", t.prepaid),
        ("cbc:PayableAmount", t.payable if t.payable is not None else payable),
    ):
        _amount(node, name, value, currency)


def _head(root: _E, doc: Document) -> None:
    element(root, "cbc:ID", doc.number or "")
    if doc.date is None:
        raise RenderError("UBL documents need an issue date")
    element(root, "cbc:IssueDate", doc.date.isoformat())


def _order(doc: Document) -> _E:
    assert isinstance(doc, PurchaseOrder)
    root = root_element("Order")
    _head(root, doc)
    if doc.order_type:
        element(root, "cbc:OrderTypeCode", doc.order_type)
    for note in doc.notes:
        element(root, "cbc:Note", note)
    if doc.currency:
        element(root, "cbc:DocumentCurrencyCode", doc.currency)
    party(root, "cac:BuyerCustomerParty", _need(doc, "buyer", "Order"))
    party(root, "cac:SellerSupplierParty", _need(doc, "seller", "Order"))
    if "bill_to" in doc.parties:
        party(root, "cac:AccountingCustomerParty", doc.parties["bill_to"])
    requested = doc.dates.get("requested_delivery")
    if "ship_to" in doc.parties or requested:
        delivery = element(root, "cac:Delivery")
        if requested:
            element(
                element(delivery, "cac:RequestedDeliveryPeriod"),
                "cbc:StartDate",
                requested.isoformat(),
            )
        if "ship_to" in doc.parties:
            party(delivery, "cac:DeliveryParty", doc.parties["ship_to"])
    t = doc.totals
    if t is not None and t.tax is not None:
        _amount(element(root, "cac:TaxTotal"), "cbc:TaxAmount", t.tax, doc.currency)
    if t is not None:
        _totals(root, "cac:AnticipatedMonetaryTotal", t, doc.currency, t.lines)
    for n, line in enumerate(doc.lines, start=1):
        item = element(element(root, "cac:OrderLine"), "cac:LineItem")
        element(item, "cbc:ID", line.line_no or str(n))
        _quantity(item, "cbc:Quantity", line)
        _amount(item, "cbc:LineExtensionAmount", line.amount, doc.currency)
        _price(item, line, doc.currency)
        _item(item, line)
    return root


def _order_response(doc: Document) -> _E:
    assert isinstance(doc, OrderResponse)
    root = root_element("OrderResponse")
    _head(root, doc)
    if doc.status:
        code = next(
            (c for c, s in RESPONSE_CODES.items() if s == doc.status and c != "AB"),
            doc.status.removeprefix("ubl:"),
        )
        element(root, "cbc:OrderResponseCode", code)
    for note in doc.notes:
        element(root, "cbc:Note", note)
    if doc.currency:
        element(root, "cbc:DocumentCurrencyCode", doc.currency)
    if not doc.order_refs:
        raise RenderError("a UBL OrderResponse needs the order it answers")
    element(element(root, "cac:OrderReference"), "cbc:ID", doc.order_refs[0].number)
    party(root, "cac:SellerSupplierParty", _need(doc, "seller", "OrderResponse"))
    party(root, "cac:BuyerCustomerParty", _need(doc, "buyer", "OrderResponse"))
    for n, line in enumerate(doc.lines, start=1):
        item = element(element(root, "cac:OrderLine"), "cac:LineItem")
        element(item, "cbc:ID", line.line_no or str(n))
        if line.status:
            code = next(
                (c for c, s in LINE_STATUS.items() if s == line.status),
                line.status.removeprefix("ubl:"),
            )
            element(item, "cbc:LineStatusCode", code)
        _quantity(item, "cbc:Quantity", line)
        _amount(item, "cbc:LineExtensionAmount", line.amount, doc.currency)
        _price(item, line, doc.currency)
        _item(item, line)
    return root


def _despatch(doc: Document) -> _E:
    assert isinstance(doc, ShipNotice)
    if not doc.lines:
        raise RenderError("a UBL DespatchAdvice needs at least one despatch line")
    root = root_element("DespatchAdvice")
    _head(root, doc)
    for note in doc.notes:
        element(root, "cbc:Note", note)
    for ref in doc.order_refs:
        node = element(root, "cac:OrderReference")
        element(node, "cbc:ID", ref.number)
        if ref.date:
            element(node, "cbc:IssueDate", ref.date.isoformat())
    party(root, "cac:DespatchSupplierParty", _need(doc, "seller", "DespatchAdvice"))
    party(root, "cac:DeliveryCustomerParty", _need(doc, "ship_to", "DespatchAdvice"))
    if "buyer" in doc.parties:
        party(root, "cac:BuyerCustomerParty", doc.parties["buyer"])
    s = doc.shipment
    if s is not None:
        ship = element(root, "cac:Shipment")
        element(ship, "cbc:ID", "1")
        if s.tracking or s.carrier:
            consignment = element(ship, "cac:Consignment")
            element(consignment, "cbc:ID", "1")
            if s.tracking:
                element(consignment, "cbc:CarrierAssignedID", s.tracking)
            if s.carrier:
                element(
                    element(element(consignment, "cac:CarrierParty"), "cac:PartyIdentification"),
                    "cbc:ID",
                    s.carrier,
                )
        if s.ship_date or s.delivery_date:
            delivery = element(ship, "cac:Delivery")
            if s.delivery_date:
                element(
                    element(delivery, "cac:EstimatedDeliveryPeriod"),
                    "cbc:StartDate",
                    s.delivery_date.isoformat(),
                )
            if s.ship_date:
                element(
                    element(delivery, "cac:Despatch"),
                    "cbc:ActualDespatchDate",
                    s.ship_date.isoformat(),
                )
    pack_of = {id(line): p.sscc for p in doc.packs for line in p.contents}
    packed_lines = {p.sscc: list(p.contents) for p in doc.packs}
    for n, line in enumerate(doc.lines, start=1):
        node = element(root, "cac:DespatchLine")
        element(node, "cbc:ID", line.line_no or str(n))
        _quantity(node, "cbc:DeliveredQuantity", line)
        line_ref = line.order_ref.number if line.order_ref else (line.line_no or str(n))
        element(element(node, "cac:OrderLineReference"), "cbc:LineID", line_ref)
        _item(node, line)
        sscc = pack_of.get(id(line)) or next(
            (s for s, ls in packed_lines.items() if line in ls), None
        )
        if sscc:
            shipment = element(node, "cac:Shipment")
            element(shipment, "cbc:ID", "1")
            element(element(shipment, "cac:TransportHandlingUnit"), "cbc:ID", sscc)
    return root


WRITERS: Mapping[str, tuple[type[Document], Callable[[Document], _E]]] = {
    "ubl:Order": (PurchaseOrder, _order),
    "ubl:OrderResponse": (OrderResponse, _order_response),
    "ubl:DespatchAdvice": (ShipNotice, _despatch),
}
