"""Canonical documents -> Peppol BIS post-award UBL: Order (T01), OrderResponse (T76),
order agreement (T110, a UBL OrderResponse told apart by its CustomizationID) and
DespatchAdvice (T16).

Each transaction has a closed data model: an element outside it is a fatal error, so the
writers emit only what the transaction allows (no UBLVersionID, no line amounts in a
response, the tracking number as Delivery/TrackingID). What a transaction requires and the
document lacks is refused in one ``RenderError`` that names every missing field by its
canonical path (``parties.seller.ids``, ``lines[1].description``); the first is ``field``.

Parties: the EndpointID is an ``endpoint:<scheme>`` id when the document has one, else a
``gln`` id, else the first id whose scheme is a Peppol EAS code; the other ids are
PartyIdentification. PartyLegalEntity/RegistrationName is ``legal_name``, else ``name``.
Unit codes are current Rec 20 (``CS`` is written ``XCS``), line statuses UNCL1229 codes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Literal

import msgspec
from lxml import etree

from .. import codes
from ..errors import RenderError
from ..model import (
    Document,
    Line,
    OrderResponse,
    Party,
    PurchaseOrder,
    ShipNotice,
)
from . import peppol
from .ubl_write import (
    _amount,
    _id,
    _scheme_id,
    address,
    allowance_charge,
    element,
    root_element,
    tax_category,
)
from .ubl_write import _totals as _monetary_total

__all__ = ["WRITERS"]

_E = etree._Element
Part = Literal["endpoint", "ids", "name", "address", "legal"]

#: CustomizationID and ProfileID of each transaction
_IDS: Mapping[str, tuple[str, str]] = {
    "T01": ("urn:fdc:peppol.eu:poacc:trns:order:3", "urn:fdc:peppol.eu:poacc:bis:ordering:3"),
    "T76": (
        "urn:fdc:peppol.eu:poacc:trns:order_response:3",
        "urn:fdc:peppol.eu:poacc:bis:ordering:3",
    ),
    "T110": (
        "urn:fdc:peppol.eu:poacc:trns:order_agreement:3",
        "urn:fdc:peppol.eu:poacc:bis:order_agreement:3",
    ),
    "T16": (
        "urn:fdc:peppol.eu:poacc:trns:despatch_advice:3",
        "urn:fdc:peppol.eu:poacc:bis:despatch_advice:3",
    ),
}
_EAS_HINT = "an endpoint: gln or an id whose scheme is a Peppol EAS code"
_TITLE = {
    "T01": "order",
    "T76": "order response",
    "T110": "order agreement",
    "T16": "despatch advice",
}
_TRADING: frozenset[Part] = frozenset({"endpoint", "ids", "name", "address", "legal"})
_LEGAL: frozenset[Part] = frozenset({"endpoint", "ids", "address", "legal"})
_NAMED: frozenset[Part] = frozenset({"ids", "name", "address"})
_RESPONDING: frozenset[Part] = frozenset({"endpoint", "ids", "legal"})
_ADDRESS: frozenset[Part] = frozenset({"address"})
_NAME: frozenset[Part] = frozenset({"name"})
#: item id elements each transaction allows, by product scheme
_ITEM_IDS = {
    "buyer": "cac:BuyersItemIdentification",
    "vendor": "cac:SellersItemIdentification",
    "manufacturer": "cac:ManufacturersItemIdentification",
    "gtin": "cac:StandardItemIdentification",
}


class _Out:
    """One document being written: collects the canonical paths the transaction needs
    and the document lacks, so that one RenderError names them all."""

    def __init__(self, doc: Document, transaction: str) -> None:
        self.doc = doc
        self.transaction = transaction
        self.paths: list[str] = []
        self.hints: list[str] = []

    def need(self, value: object, path: str, hint: str = "") -> bool:
        """False (and ``path`` noted, with what it may be) when ``value`` is not given."""
        if value is None or value in ("", {}, ()):
            self.paths.append(path)
            self.hints.append(f"{path} ({hint})" if hint else path)
            return False
        return True

    def check(self, *, amounts: bool = False) -> None:
        """Refuse what is missing and, where the transaction carries ``amounts`` (T01,
        T110), amounts that do not add up as its rules compute them."""
        if amounts:
            for wrong in peppol.inconsistent(self.doc):
                self.paths.append(wrong.split(" ")[0])
                self.hints.append(wrong)
        if self.paths:
            raise RenderError(
                f"a Peppol {_TITLE[self.transaction]} ({self.transaction}) needs "
                + ", ".join(self.hints),
                field=self.paths[0],
            )

    def root(self, name: str) -> _E:
        root = root_element(name, version=False)
        customization, profile = _IDS[self.transaction]
        element(root, "cbc:CustomizationID", customization)
        element(root, "cbc:ProfileID", profile)
        self.need(self.doc.number, "number")
        element(root, "cbc:ID", self.doc.number or "")
        self.need(self.doc.date, "date")
        element(root, "cbc:IssueDate", self.doc.date.isoformat() if self.doc.date else "")
        return root

    def notes_and_currency(self, root: _E) -> None:
        for note in self.doc.notes:
            element(root, "cbc:Note", note)
        if self.need(self.doc.currency, "currency"):
            element(root, "cbc:DocumentCurrencyCode", self.doc.currency or "")

    def party(
        self,
        parent: _E,
        tag: str,
        role: str,
        parts: frozenset[Part],
        *,
        required: frozenset[Part] = frozenset(),
        wrapped: bool = True,
        given: Party | None = None,
    ) -> None:
        """Party ``role`` as ``tag`` with only the ``parts`` the transaction allows; what
        it requires (the party, its endpoint, its legal name, the ``required`` parts, an
        address's country) and lacks is a missing path. ``given`` is the part of the
        party written here, when not all of it."""
        p = given or self.doc.parties.get(role)
        if p is None:
            self.need(None, f"parties.{role}")
            return
        node = element(parent, tag)
        if wrapped:
            node = element(node, "cac:Party")
        end = _endpoint(p) if "endpoint" in parts else None
        if "endpoint" in parts and self.need(end, f"parties.{role}.ids", _EAS_HINT) and end:
            scheme, value = end
            scheme_id = _scheme_id(scheme.removeprefix("endpoint:")) or ""
            element(node, "cbc:EndpointID", value, schemeID=scheme_id)
        ids = {s: v for s, v in p.ids.items() if (s, v) != end and not s.startswith("endpoint:")}
        if "ids" in parts:
            if "name" not in parts or not p.name:  # then an id is how the party is known
                self.need(ids or end, f"parties.{role}.ids")
            for scheme, value in ids.items():
                _id(element(node, "cac:PartyIdentification"), "cbc:ID", scheme, value)
        if "name" in required:
            self.need(p.name, f"parties.{role}.name")
        if "name" in parts and p.name:
            element(element(node, "cac:PartyName"), "cbc:Name", p.name)
        if "address" in required:
            self.need(p.address, f"parties.{role}.address")
        if "address" in parts and p.address is not None:
            self.need(p.address.country, f"parties.{role}.address.country", "ISO 3166 code")
            address(node, "cac:PostalAddress", p.address)
        if "legal" in parts and self.need(p.legal_name or p.name, f"parties.{role}.name"):
            legal = element(node, "cac:PartyLegalEntity")
            element(legal, "cbc:RegistrationName", p.legal_name or p.name or "")

    def delivery(self, parent: _E, tag: str, period: str, required: frozenset[Part]) -> None:
        """Delivery: the ship_to location (its id and address), the document's ``period``
        (``tag``, RequestedDeliveryPeriod or PromisedDeliveryPeriod) and the delivery
        party (its name and other ids), each when the document has it."""
        doc = self.doc
        p = doc.parties.get("ship_to")
        if p is None and period not in doc.dates and f"{period}_end" not in doc.dates:
            return
        delivery = element(parent, "cac:Delivery")
        located = None
        if p is not None and p.address is not None:  # Peppol: a location has an address
            location = element(delivery, "cac:DeliveryLocation")
            located = _location_id(p)
            if located:
                _id(location, "cbc:ID", located[0].removeprefix("location:"), located[1])
            self.need(p.address.country, "parties.ship_to.address.country", "ISO 3166 code")
            address(location, "cac:Address", p.address)
        elif p is not None and any(s.startswith("location:") for s in p.ids):
            self.need(None, "parties.ship_to.address", "the delivery location's address")
        _period(delivery, tag, doc.dates, period)
        if p is None:
            return
        rest = {s: v for s, v in p.ids.items() if (s, v) != located}
        if p.name or rest:
            named = msgspec.structs.replace(p, ids=rest, address=None)
            self.party(
                delivery,
                "cac:DeliveryParty",
                "ship_to",
                _NAMED,
                required=required,
                wrapped=False,
                given=named,
            )

    def item(
        self,
        parent: _E,
        line: Line,
        at: str,
        schemes: Iterable[str],
        *,
        tax: bool = False,
        identified: bool = False,
    ) -> _E:
        """The item (returned): its name (required), the ids of ``schemes`` the transaction
        allows (a product id it has no place for is refused rather than dropped), with
        ``identified`` a seller's or standard id (T16-R003) and, with ``tax``, the line's
        tax category."""
        item = element(parent, "cac:Item")
        self.need(line.description, f"{at}.description")
        if identified and not ({"vendor", "gtin"} & line.product.keys()):
            self.need(None, f"{at}.product.vendor or gtin", "the seller's or a standard id")
        element(item, "cbc:Name", line.description or "")
        allowed = tuple(schemes)
        for scheme in line.product:
            if scheme not in allowed:
                self.need(None, f"{at}.product.{scheme}", f"ids: {', '.join(allowed)}")
        for scheme in allowed:
            if scheme in line.product:
                node = element(item, _ITEM_IDS[scheme])
                if scheme == "gtin":
                    _id(node, "cbc:ID", "gtin", line.product[scheme])
                else:
                    element(node, "cbc:ID", line.product[scheme])
        if tax and line.tax is not None:
            tax_category(item, "cac:ClassifiedTaxCategory", line.tax)
        return item

    def totals(self, parent: _E, tag: str) -> None:
        """Document allowances and charges, TaxTotal (the amount) and the monetary total
        ``tag``; the payable amount of an order is its line total unless stated."""
        doc, t = self.doc, self.doc.totals
        for ac in getattr(doc, "allowance_charges", ()):
            allowance_charge(parent, ac, doc.currency, taxed=True)
        if t is None:
            return
        if t.tax is not None:
            total = element(parent, "cac:TaxTotal")
            _amount(total, "cbc:TaxAmount", t.tax, doc.currency)
            for tax in getattr(doc, "taxes", ()):
                sub = element(total, "cac:TaxSubtotal")
                _amount(sub, "cbc:TaxableAmount", tax.base, doc.currency)
                _amount(sub, "cbc:TaxAmount", tax.amount, doc.currency)
                tax_category(sub, "cac:TaxCategory", tax)
        if t.lines is not None or t.payable is not None:
            _monetary_total(parent, tag, t, doc.currency, t.lines)


def _endpoint(p: Party) -> tuple[str, str] | None:
    """(scheme, value) of the party's Peppol address; see the module docstring."""
    for scheme, value in p.ids.items():
        if scheme.startswith("endpoint:"):
            return scheme, value
    if "gln" in p.ids:
        return "gln", p.ids["gln"]
    return next(((s, v) for s, v in p.ids.items() if _scheme_id(s) in codes.PEPPOL_EAS), None)


def _quantity(parent: _E, tag: str, line: Line) -> None:
    if line.quantity is not None:
        unit = {"unitCode": codes.uom_to_ubl(line.uom)} if line.uom else {}
        element(parent, tag, format(line.quantity, "f"), **unit)


def _price(parent: _E, line: Line, currency: str | None) -> None:
    if line.unit_price is not None:
        _amount(element(parent, "cac:Price"), "cbc:PriceAmount", line.unit_price, currency)


def _period(parent: _E, tag: str, dates: Mapping[str, date], name: str) -> None:
    start, end = dates.get(name), dates.get(f"{name}_end")
    if start or end:
        node = element(parent, tag)
        if start:
            element(node, "cbc:StartDate", start.isoformat())
        if end:
            element(node, "cbc:EndDate", end.isoformat())


def _line_period(parent: _E, line: Line, tag: str, name: str) -> None:
    """The line's Delivery with its period ``name`` (requested or promised), if dated."""
    if name in line.dates or f"{name}_end" in line.dates:
        _period(element(parent, "cac:Delivery"), tag, line.dates, name)


def _instance(item: _E, line: Line, *, despatch: bool = False) -> None:
    """The item instance: the lot (an order's only part) and, on a despatch line, the
    trace id, best-before and the lot's expiry date."""
    trace = line.trace_id if despatch else None
    best = line.dates.get("best_before") if despatch else None
    expiry = line.dates.get("expiry") if despatch else None
    if not (line.lot or trace or best or expiry):
        return
    node = element(item, "cac:ItemInstance")
    if trace:
        element(node, "cbc:ProductTraceID", trace)
    if best:
        element(node, "cbc:BestBeforeDate", best.isoformat())
    if line.lot or expiry:
        lot = element(node, "cac:LotIdentification")
        if line.lot:
            element(lot, "cbc:LotNumberID", line.lot)
        if expiry:
            element(lot, "cbc:ExpiryDate", expiry.isoformat())


def _references(root: _E, doc: Document, keys: Iterable[str]) -> None:
    """The ``references`` a transaction has a place for, in UBL order."""
    for key, tag in (
        ("quotation", "cac:QuotationDocumentReference"),
        ("contract", "cac:Contract"),
        ("project", "cac:ProjectReference"),
    ):
        if key in keys and key in doc.references:
            element(element(root, tag), "cbc:ID", doc.references[key])


def _location_id(p: Party) -> tuple[str, str] | None:
    """(scheme, value) of the id written as the DeliveryLocation's ID: a ``location:``
    id, else the party's gln (see ``ubl_read._ship_to``)."""
    for scheme, value in p.ids.items():
        if scheme.startswith("location:"):
            return scheme, value
    return ("gln", p.ids["gln"]) if "gln" in p.ids else None


#: canonical order type (EDIFACT BGM 1001 or X12 BEG02, as read) -> the UNCL1001 code T01
#: allows; a type outside the list is not written (the code is optional)
_ORDER_TYPES = {
    **{code: code for code in ("105", "220", "221", "226", "227", "402")},
    "SA": "220",  # X12 stand-alone order
    "BK": "221",  # X12 blanket order
    "RL": "227",  # X12 release (call-off) order
}


def _order(doc: Document) -> _E:
    out = _Out(doc, "T01")
    root = out.root("Order")
    order_type = _ORDER_TYPES.get(doc.order_type or "") if isinstance(doc, PurchaseOrder) else None
    if order_type:
        element(root, "cbc:OrderTypeCode", order_type)
    out.notes_and_currency(root)
    _references(root, doc, ("quotation", "contract", "project"))
    out.party(root, "cac:BuyerCustomerParty", "buyer", _TRADING)
    out.party(root, "cac:SellerSupplierParty", "seller", _TRADING, required=_ADDRESS)
    if "originator" in doc.parties:
        out.party(root, "cac:OriginatorCustomerParty", "originator", _NAMED - {"address"})
    if "bill_to" in doc.parties:
        out.party(root, "cac:AccountingCustomerParty", "bill_to", _TRADING, required=_ADDRESS)
    out.delivery(root, "cac:RequestedDeliveryPeriod", "requested_delivery", _NAME)
    out.totals(root, "cac:AnticipatedMonetaryTotal")
    out.need(doc.lines, "lines")
    for n, line in enumerate(doc.lines):
        item = element(element(root, "cac:OrderLine"), "cac:LineItem")
        element(item, "cbc:ID", line.line_no or str(n + 1))
        out.need(line.quantity, f"lines[{n}].quantity")
        _quantity(item, "cbc:Quantity", line)
        _amount(item, "cbc:LineExtensionAmount", line.amount, doc.currency)
        _line_period(item, line, "cac:RequestedDeliveryPeriod", "requested_delivery")
        for ac in line.allowance_charges:
            allowance_charge(item, ac, doc.currency, taxed=False)
        _price(item, line, doc.currency)
        _instance(out.item(item, line, f"lines[{n}]", _ITEM_IDS, tax=True), line)
    out.check(amounts=True)
    return root


#: UNCL4343 order response codes Peppol allows, by canonical document status
_RESPONSE_CODES = {"accepted": "AP", "accepted_with_changes": "CA", "rejected": "RE"}
_STATUSES = " | ".join(codes.LINE_STATUS_UNCL1229)


def _line_status(line: Line, at: str, out: _Out) -> str:
    """UNCL1229 code of a response line: the code as received, else from ``status``."""
    if line.status_code in codes.UNCL1229_LINE_STATUS:
        return line.status_code or ""
    code = codes.LINE_STATUS_UNCL1229.get(line.status or "")
    out.need(code, f"{at}.status", _STATUSES)
    return code or ""


def _response(doc: Document, transaction: str) -> _E:
    """An order response (T76) or, with ``transaction`` T110, an order agreement: no
    response or line status codes, no line references, but prices, amounts and totals."""
    agreement = transaction == "T110"
    out = _Out(doc, transaction)
    root = out.root("OrderResponse")
    status = doc.status if isinstance(doc, OrderResponse) else None
    if not agreement and out.need(
        _RESPONSE_CODES.get(status or ""), "status", " | ".join(_RESPONSE_CODES)
    ):
        element(root, "cbc:OrderResponseCode", _RESPONSE_CODES[status or ""])
    out.notes_and_currency(root)
    refs = doc.order_refs if isinstance(doc, OrderResponse) else ()
    if out.need(refs, "order_refs"):
        element(element(root, "cac:OrderReference"), "cbc:ID", refs[0].number)
    if agreement:
        _references(root, doc, ("contract",))
    parts = _LEGAL if agreement else _RESPONDING
    out.party(root, "cac:SellerSupplierParty", "seller", parts)
    out.party(root, "cac:BuyerCustomerParty", "buyer", parts)
    if agreement:
        for role, tag in (
            ("originator", "cac:OriginatorCustomerParty"),
            ("bill_to", "cac:AccountingCustomerParty"),
        ):
            if role in doc.parties:
                out.party(root, tag, role, _NAMED - {"address"})
    if agreement:
        out.delivery(root, "cac:PromisedDeliveryPeriod", "promised_delivery", frozenset())
    elif "promised_delivery" in doc.dates or "promised_delivery_end" in doc.dates:
        delivery = element(root, "cac:Delivery")
        _period(delivery, "cac:PromisedDeliveryPeriod", doc.dates, "promised_delivery")
    if agreement:
        out.totals(root, "cac:LegalMonetaryTotal")
    out.need(doc.lines, "lines")
    for n, line in enumerate(doc.lines):
        order_line = element(root, "cac:OrderLine")
        item = element(order_line, "cac:LineItem")
        line_no = line.line_no or str(n + 1)
        element(item, "cbc:ID", line_no)
        if not agreement:
            element(item, "cbc:LineStatusCode", _line_status(line, f"lines[{n}]", out))
        _quantity(item, "cbc:Quantity", line)
        if agreement:
            _amount(item, "cbc:LineExtensionAmount", line.amount, doc.currency)
        _line_period(item, line, "cac:PromisedDeliveryPeriod", "promised_delivery")
        _price(item, line, doc.currency)
        out.item(item, line, f"lines[{n}]", ("buyer", "vendor", "gtin"), tax=agreement)
        if line.substitute is not None and not agreement:
            _substitute(order_line, line.substitute, f"lines[{n}].substitute", out)
        if not agreement:
            reference = element(order_line, "cac:OrderLineReference")
            element(reference, "cbc:LineID", line.order_line or line_no)
    out.check(amounts=agreement)
    return root


def _substitute(parent: _E, line: Line, at: str, out: _Out) -> None:
    """SellerSubstitutedLineItem: the item the seller delivers instead (its id, name,
    seller's and standard ids, tax category)."""
    node = element(parent, "cac:SellerSubstitutedLineItem")
    out.need(line.line_no, f"{at}.line_no")
    element(node, "cbc:ID", line.line_no or "")
    out.item(node, line, at, ("vendor", "gtin"), tax=True)


def _shipment(root: _E, doc: ShipNotice) -> None:
    s = doc.shipment
    if s is None:
        return
    ship = element(root, "cac:Shipment")
    element(ship, "cbc:ID", "NA")
    if s.weight is not None:
        unit = {"unitCode": codes.uom_to_ubl(s.weight_uom)} if s.weight_uom else {}
        element(ship, "cbc:GrossWeightMeasure", format(s.weight, "f"), **unit)
    if s.package_count is not None:
        element(ship, "cbc:TotalTransportHandlingUnitQuantity", str(s.package_count))
    if s.carrier:
        consignment = element(ship, "cac:Consignment")
        element(consignment, "cbc:ID", "NA")
        carrier = element(element(consignment, "cac:CarrierParty"), "cac:PartyIdentification")
        element(carrier, "cbc:ID", s.carrier)
    if s.tracking or s.ship_date or s.delivery_date:
        delivery = element(ship, "cac:Delivery")
        if s.tracking:
            element(delivery, "cbc:TrackingID", s.tracking)
        if s.delivery_date:
            period = element(delivery, "cac:EstimatedDeliveryPeriod")
            element(period, "cbc:StartDate", s.delivery_date.isoformat())
        if s.ship_date:
            despatch = element(delivery, "cac:Despatch")
            element(despatch, "cbc:ActualDespatchDate", s.ship_date.isoformat())


def _handling_unit(parent: _E, doc: ShipNotice, line: Line) -> None:
    """The pack ``line`` travels in, as the line's TransportHandlingUnit."""
    pack = next((p for p in doc.packs if any(c is line for c in p.contents)), None) or next(
        (p for p in doc.packs if line in p.contents), None
    )
    if pack is None or not (pack.sscc or pack.id):
        return
    shipment = element(parent, "cac:Shipment")
    element(shipment, "cbc:ID", "NA")
    unit = element(shipment, "cac:TransportHandlingUnit")
    if pack.sscc:
        element(unit, "cbc:ID", pack.sscc, schemeID="SSCC")
    else:
        element(unit, "cbc:ID", pack.id or "")


def _despatch(doc: Document) -> _E:
    if not isinstance(doc, ShipNotice):
        raise RenderError(f"ubl:DespatchAdvice writes ship notices, not {doc.type}")
    out = _Out(doc, "T16")
    root = out.root("DespatchAdvice")
    for note in doc.notes:
        element(root, "cbc:Note", note)
    if len(doc.order_refs) > 1:
        raise RenderError(
            "a Peppol despatch advice (T16) refers to one order, this one to "
            f"{len(doc.order_refs)}: split it per order",
            field="order_refs[1]",
        )
    for ref in doc.order_refs:
        element(element(root, "cac:OrderReference"), "cbc:ID", ref.number)
    out.party(root, "cac:DespatchSupplierParty", "seller", _LEGAL)
    out.party(root, "cac:DeliveryCustomerParty", "ship_to", _LEGAL)
    if "buyer" in doc.parties:
        out.party(root, "cac:BuyerCustomerParty", "buyer", _NAMED)
    if "originator" in doc.parties:
        out.party(root, "cac:OriginatorCustomerParty", "originator", _NAMED)
    _shipment(root, doc)
    out.need(doc.lines, "lines")
    for n, line in enumerate(doc.lines):
        node = element(root, "cac:DespatchLine")
        line_no = line.line_no or str(n + 1)
        element(node, "cbc:ID", line_no)
        out.need(line.quantity, f"lines[{n}].quantity")
        _quantity(node, "cbc:DeliveredQuantity", line)
        if line.outstanding_quantity is not None:
            outstanding = msgspec.structs.replace(line, quantity=line.outstanding_quantity)
            _quantity(node, "cbc:OutstandingQuantity", outstanding)
        reference = element(node, "cac:OrderLineReference")
        element(reference, "cbc:LineID", line.order_line or line_no)
        if line.order_ref is not None:
            element(element(reference, "cac:OrderReference"), "cbc:ID", line.order_ref.number)
        item = out.item(node, line, f"lines[{n}]", ("buyer", "vendor", "gtin"), identified=True)
        _instance(item, line, despatch=True)
        _handling_unit(node, doc, line)
    out.check()
    return root


def _order_response(doc: Document) -> _E:
    """T76, or T110 for a document read as an order agreement (``agreement``)."""
    agreement = isinstance(doc, OrderResponse) and doc.agreement
    return _response(doc, "T110" if agreement else "T76")


def _order_agreement(doc: Document) -> _E:
    return _response(doc, "T110")


WRITERS: Mapping[str, tuple[type[Document], Callable[[Document], _E]]] = {
    "ubl:Order": (PurchaseOrder, _order),
    "ubl:OrderResponse": (OrderResponse, _order_response),
    "ubl:OrderAgreement": (OrderResponse, _order_agreement),
    "ubl:DespatchAdvice": (ShipNotice, _despatch),
}
