"""UBL 2.x (2.0 and 2.1 read alike) -> canonical documents.

Order, OrderResponse, DespatchAdvice and ApplicationResponse here, and the helpers that
``ubl_billing_read`` (Invoice, CreditNote) shares.
Party ids: PartyIdentification/ID by scheme; the EndpointID too, unless the same scheme
already holds the same value (then it is the same fact), else as ``endpoint:<scheme>``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, Literal

import msgspec
from lxml import etree

from .. import codes
from ..model import (
    AckError,
    AckRef,
    Address,
    AllowanceCharge,
    Document,
    Envelope,
    FunctionalAck,
    Line,
    OrderRef,
    OrderResponse,
    Pack,
    Party,
    PurchaseOrder,
    Shipment,
    ShipNotice,
    Tax,
    Totals,
)
from .numbers import xsd_decimal

__all__ = [
    "CAC",
    "CBC",
    "LINE_STATUS",
    "NS",
    "READERS",
    "RESPONSE_CODES",
    "address",
    "allowance_charges",
    "is_sscc",
    "scheme_of",
    "tax_category",
    "text",
]

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
NS = {"cbc": CBC, "cac": CAC}
_E = etree._Element

#: LineStatusCode (UBL's own code list, and the UNCL1229 codes Peppol uses) -> canonical
LINE_STATUS: Mapping[str, str] = {
    "NoStatus": "accepted",
    "Revised": "accepted_with_changes",
    "Cancelled": "rejected",
    **codes.UNCL1229_LINE_STATUS,
}
AckStatus = Literal["accepted", "accepted_with_errors", "rejected"]
#: UNCL 4343 response codes: document level (order response) and acknowledgement status
RESPONSE_CODES: Mapping[str, str] = {
    "AP": "accepted",
    "CA": "accepted_with_changes",
    "RE": "rejected",
    "AB": "accepted",
}
_ACK_STATUS: Mapping[str, AckStatus] = {
    "AP": "accepted",
    "AB": "accepted",
    "CA": "accepted_with_errors",
    "RE": "rejected",
}


def _one(node: _E, path: str) -> _E | None:
    found = node.find(path, NS)
    return found


def text(node: _E, path: str) -> str | None:
    found = node.find(path, NS)
    if found is None or found.text is None:
        return None
    return found.text.strip() or None


def _date(node: _E, path: str) -> dt.date | None:
    value = text(node, path)
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _dec(node: _E, path: str) -> Decimal | None:
    return xsd_decimal(text(node, path))


def scheme_of(scheme_id: str | None) -> str:
    """schemeID -> canonical scheme; ids we wrote under a canonical name keep it."""
    if not scheme_id:
        return "ubl"
    if scheme_id.islower() or ":" in scheme_id:
        return scheme_id
    return codes.UBL_SCHEME.get(scheme_id.upper(), f"ubl:{scheme_id}")


def _party(node: _E | None) -> Party | None:
    if node is None:
        return None
    wrapped = node.find("cac:Party", NS)  # CustomerParty/SupplierParty wrap a PartyType
    p = wrapped if wrapped is not None else node
    ids: dict[str, str] = {}
    for ident in p.findall("cac:PartyIdentification/cbc:ID", NS):
        if ident.text:
            ids.setdefault(scheme_of(ident.get("schemeID")), ident.text.strip())
    endpoint = p.find("cbc:EndpointID", NS)
    if endpoint is not None and endpoint.text:
        scheme, value = scheme_of(endpoint.get("schemeID")), endpoint.text.strip()
        if ids.get(scheme, value) != value:
            scheme = f"endpoint:{scheme}"
        ids.setdefault(scheme, value)
    name = text(p, "cac:PartyName/cbc:Name") or text(p, "cac:PartyLegalEntity/cbc:RegistrationName")
    return Party(name=name, ids=ids, address=address(p.find("cac:PostalAddress", NS)))


def address(addr: _E | None) -> Address | None:
    """A UBL AddressType (PostalAddress, a DeliveryLocation's Address)."""
    if addr is None:
        return None
    return Address(
        street=text(addr, "cbc:StreetName"),
        street2=text(addr, "cbc:AdditionalStreetName"),
        lines=tuple(
            t for t in (text(line, "cbc:Line") for line in addr.findall("cac:AddressLine", NS)) if t
        ),
        city=text(addr, "cbc:CityName"),
        region=text(addr, "cbc:CountrySubentity"),
        postal_code=text(addr, "cbc:PostalZone"),
        country=text(addr, "cac:Country/cbc:IdentificationCode"),
    )


def _parties(root: _E, roles: Mapping[str, str]) -> dict[str, Party]:
    out: dict[str, Party] = {}
    for path, role in roles.items():
        party = _party(root.find(path, NS))
        if party is not None and role not in out:
            out[role] = party
    return out


def _item_ids(item: _E | None) -> dict[str, str]:
    if item is None:
        return {}
    out: dict[str, str] = {}
    std = item.find("cac:StandardItemIdentification/cbc:ID", NS)
    if std is not None and std.text:
        out[scheme_of(std.get("schemeID")) if std.get("schemeID") else "gtin"] = std.text.strip()
    for extra in item.findall("cac:AdditionalItemIdentification/cbc:ID", NS):
        if extra.text:
            out.setdefault(scheme_of(extra.get("schemeID")), extra.text.strip())
    for path, scheme in (
        ("cac:BuyersItemIdentification/cbc:ID", "buyer"),
        ("cac:SellersItemIdentification/cbc:ID", "vendor"),
        ("cac:ManufacturersItemIdentification/cbc:ID", "manufacturer"),
    ):
        value = text(item, path)
        if value:
            out.setdefault(scheme, value)
    return out


def _line(node: _E, quantity: str) -> Line:
    qty = node.find(quantity, NS)
    item = node.find("cac:Item", NS)
    status = text(node, "cbc:LineStatusCode")
    return Line(
        line_no=text(node, "cbc:ID"),
        product=_item_ids(item),
        description=(text(item, "cbc:Name") or text(item, "cbc:Description"))
        if item is not None
        else None,
        quantity=xsd_decimal(qty.text) if qty is not None else None,
        uom=qty.get("unitCode") if qty is not None else None,
        unit_price=_dec(node, "cac:Price/cbc:PriceAmount"),
        amount=_dec(node, "cbc:LineExtensionAmount"),
        status=LINE_STATUS.get(status, f"ubl:{status}") if status else None,
    )


def _totals(node: _E | None, tax: Decimal | None) -> Totals | None:
    if node is None and tax is None:
        return None
    fields: dict[str, Decimal | None] = {"tax": tax}
    if node is not None:
        for name, path in (
            ("lines", "cbc:LineExtensionAmount"),
            ("net", "cbc:TaxExclusiveAmount"),
            ("gross", "cbc:TaxInclusiveAmount"),
            ("allowances", "cbc:AllowanceTotalAmount"),
            ("charges", "cbc:ChargeTotalAmount"),
            ("prepaid", "cbc:PrepaidAmount"),
            ("payable", "cbc:PayableAmount"),
            ("rounding", "cbc:PayableRoundingAmount"),
        ):
            fields[name] = _dec(node, path)
    return Totals(**{k: v for k, v in fields.items() if v is not None})


def _common(root: _E, env: Envelope) -> dict[str, Any]:
    return {
        "number": text(root, "cbc:ID"),
        "date": _date(root, "cbc:IssueDate"),
        "currency": text(root, "cbc:DocumentCurrencyCode"),
        "envelope": env,
        "notes": tuple(n.text.strip() for n in root.findall("cbc:Note", NS) if n.text),
    }


def _order_refs(root: _E) -> tuple[OrderRef, ...]:
    return tuple(
        OrderRef(number=t, date=_date(r, "cbc:IssueDate"))
        for r in root.findall("cac:OrderReference", NS)
        if (t := text(r, "cbc:ID"))
    )


def is_sscc(unit: _E) -> bool:
    """A TransportHandlingUnit ID is an SSCC when its schemeID says so (Peppol), or when it
    has none and is 18 characters long (an SSCC's length); other ids name a pack only."""
    scheme = unit.get("schemeID")
    if scheme:
        return scheme.upper() == "SSCC"
    return len((unit.text or "").strip()) == 18


def tax_category(node: _E | None) -> Tax | None:
    """A TaxCategory or ClassifiedTaxCategory: scheme, UNCL5305 code, rate and exemption
    (an invoice's TaxSubtotal adds its base and amount)."""
    if node is None:
        return None
    return Tax(
        category=text(node, "cac:TaxScheme/cbc:ID"),
        code=text(node, "cbc:ID"),
        rate=_dec(node, "cbc:Percent"),
        exemption_reason=text(node, "cbc:TaxExemptionReason"),
        exemption_code=text(node, "cbc:TaxExemptionReasonCode"),
    )


def allowance_charges(node: _E) -> tuple[AllowanceCharge, ...]:
    """The AllowanceCharge children of ``node`` (a document or an order line)."""
    return tuple(
        AllowanceCharge(
            charge=text(ac, "cbc:ChargeIndicator") in ("true", "1"),
            amount=_dec(ac, "cbc:Amount"),
            base=_dec(ac, "cbc:BaseAmount"),
            percent=_dec(ac, "cbc:MultiplierFactorNumeric"),
            reason=text(ac, "cbc:AllowanceChargeReason"),
            reason_code=text(ac, "cbc:AllowanceChargeReasonCode"),
            tax=tax_category(ac.find("cac:TaxCategory", NS)),
        )
        for ac in node.findall("cac:AllowanceCharge", NS)
    )


def _ordering_line(node: _E, quantity: str, item: _E | None = None) -> Line:
    """An order, order response or despatch line: ``_line`` plus what ordering adds (the
    order line it answers, the UNCL1229 code the status does not say, Rec 20 packages).
    ``node`` holds OrderLineReference; ``item`` the line itself when it is nested
    (an OrderLine's LineItem)."""
    line_node = item if item is not None else node
    line = _line(line_node, quantity)
    order_line = text(node, "cac:OrderLineReference/cbc:LineID")
    code = text(line_node, "cbc:LineStatusCode")
    dates: dict[str, dt.date] = {}
    for name, period in (
        ("requested_delivery", "cac:Delivery/cac:RequestedDeliveryPeriod"),
        ("promised_delivery", "cac:Delivery/cac:PromisedDeliveryPeriod"),
    ):
        _period(dates, line_node, period, name)
    instance = line_node.find("cac:Item/cac:ItemInstance", NS)
    if instance is not None:
        for name, path in (
            ("best_before", "cbc:BestBeforeDate"),
            ("expiry", "cac:LotIdentification/cbc:ExpiryDate"),
        ):
            if (value := _date(instance, path)) is not None:
                dates[name] = value
    outstanding = line_node.find("cbc:OutstandingQuantity", NS)
    substitute = node.find("cac:SellerSubstitutedLineItem", NS)
    return msgspec.structs.replace(
        line,
        dates=dates,
        outstanding_quantity=xsd_decimal(outstanding.text) if outstanding is not None else None,
        lot=text(instance, "cac:LotIdentification/cbc:LotNumberID")
        if instance is not None
        else None,
        trace_id=text(instance, "cbc:ProductTraceID") if instance is not None else None,
        substitute=_substitute(substitute) if substitute is not None else None,
        uom=codes.uom_from_ubl(line.uom) if line.uom else None,
        status_code=code
        if code in codes.UNCL1229_LINE_STATUS
        and line.status is not None
        and codes.LINE_STATUS_UNCL1229.get(line.status) != code
        else None,
        order_line=order_line if order_line != line.line_no else None,
        allowance_charges=allowance_charges(line_node),
        tax=line.tax or tax_category(line_node.find("cac:Item/cac:ClassifiedTaxCategory", NS)),
    )


def _substitute(node: _E) -> Line:
    """A SellerSubstitutedLineItem: the item delivered instead of the one ordered."""
    line = _line(node, "cbc:Quantity")
    return msgspec.structs.replace(
        line, tax=tax_category(node.find("cac:Item/cac:ClassifiedTaxCategory", NS))
    )


def _ship_to(delivery: _E | None) -> Party | None:
    """A Delivery's DeliveryParty and DeliveryLocation as one ``ship_to`` party: the
    location's ID joins the party's ids (as ``location:<scheme>`` when the party holds
    another value under that scheme), its Address is the party's address."""
    if delivery is None:
        return None
    party = _party(delivery.find("cac:DeliveryParty", NS))
    location = delivery.find("cac:DeliveryLocation", NS)
    if location is None:
        return party
    ids = dict(party.ids) if party is not None else {}
    loc_id = location.find("cbc:ID", NS)
    if loc_id is not None and loc_id.text:
        scheme, value = scheme_of(loc_id.get("schemeID")), loc_id.text.strip()
        if ids.get(scheme, value) != value:
            scheme = f"location:{scheme}"
        ids.setdefault(scheme, value)
    place = address(location.find("cac:Address", NS))
    if party is None:
        return Party(ids=ids, address=place) if ids or place else None
    return msgspec.structs.replace(party, ids=ids, address=place or party.address)


#: UBL references other than the order's own -> canonical ``references`` keys
_REFERENCES: Mapping[str, str] = {
    "contract": "cac:Contract/cbc:ID",
    "quotation": "cac:QuotationDocumentReference/cbc:ID",
    "project": "cac:ProjectReference/cbc:ID",
}


def _references(root: _E) -> dict[str, str]:
    return {key: value for key, path in _REFERENCES.items() if (value := text(root, path))}


def _period(dates: dict[str, dt.date], node: _E | None, path: str, name: str) -> None:
    """``name`` and ``name_end`` from a period's StartDate and EndDate."""
    if node is None:
        return
    for key, part in ((name, "cbc:StartDate"), (f"{name}_end", "cbc:EndDate")):
        value = _date(node, f"{path}/{part}")
        if value:
            dates[key] = value


#: UBL OriginatorCustomerParty (who asked for the goods) is the party ``originator``, a
#: role only UBL names (not in ``PARTY_ROLES``: X12 and EDIFACT have no code for it)


#: the parties of an order and of the response or agreement that answers it
_ORDER_ROLES = {
    "cac:BuyerCustomerParty": "buyer",
    "cac:SellerSupplierParty": "seller",
    "cac:OriginatorCustomerParty": "originator",
    "cac:AccountingCustomerParty": "bill_to",
}


def _order(root: _E, env: Envelope) -> Document:
    parties = _parties(root, _ORDER_ROLES)
    delivery = root.find("cac:Delivery", NS)
    dates: dict[str, dt.date] = {}
    ship_to = _ship_to(delivery)
    if ship_to is not None:
        parties["ship_to"] = ship_to
    _period(dates, delivery, "cac:RequestedDeliveryPeriod", "requested_delivery")
    lines = [
        _ordering_line(li, "cbc:Quantity") for li in root.findall("cac:OrderLine/cac:LineItem", NS)
    ]
    return PurchaseOrder(
        **_common(root, env),
        parties=parties,
        lines=tuple(lines),
        totals=_totals(
            root.find("cac:AnticipatedMonetaryTotal", NS), _dec(root, "cac:TaxTotal/cbc:TaxAmount")
        ),
        dates=dates,
        references=_references(root),
        order_type=text(root, "cbc:OrderTypeCode"),
        allowance_charges=allowance_charges(root),
    )


#: the CustomizationID of a Peppol order agreement (BIS 42), an OrderResponse root too
_AGREEMENT = "urn:fdc:peppol.eu:poacc:trns:order_agreement:"


def _order_response(root: _E, env: Envelope) -> Document:
    """An order response (Peppol T76) or an order agreement (T110, the same UBL root)."""
    code = text(root, "cbc:OrderResponseCode")
    lines = [
        _ordering_line(ol, "cbc:Quantity", ol.find("cac:LineItem", NS))
        for ol in root.findall("cac:OrderLine", NS)
        if ol.find("cac:LineItem", NS) is not None
    ]
    parties = _parties(root, _ORDER_ROLES)
    ship_to = _ship_to(root.find("cac:Delivery", NS))
    if ship_to is not None:
        parties["ship_to"] = ship_to
    dates: dict[str, dt.date] = {}
    _period(dates, root.find("cac:Delivery", NS), "cac:PromisedDeliveryPeriod", "promised_delivery")
    return OrderResponse(
        **_common(root, env),
        lines=tuple(lines),
        parties=parties,
        totals=_totals(
            root.find("cac:LegalMonetaryTotal", NS), _dec(root, "cac:TaxTotal/cbc:TaxAmount")
        ),
        dates=dates,
        references=_references(root),
        status=RESPONSE_CODES.get(code, f"ubl:{code}") if code else None,
        order_refs=_order_refs(root),
        agreement=_AGREEMENT in (text(root, "cbc:CustomizationID") or ""),
        allowance_charges=allowance_charges(root),
        taxes=tuple(
            msgspec.structs.replace(
                tax_category(sub.find("cac:TaxCategory", NS)) or Tax(),
                base=_dec(sub, "cbc:TaxableAmount"),
                amount=_dec(sub, "cbc:TaxAmount"),
            )
            for sub in root.findall("cac:TaxTotal/cac:TaxSubtotal", NS)
        ),
    )


def _despatch_line(node: _E) -> Line:
    line = _ordering_line(node, "cbc:DeliveredQuantity")
    order = text(node, "cac:OrderLineReference/cac:OrderReference/cbc:ID")
    return msgspec.structs.replace(line, order_ref=OrderRef(number=order)) if order else line


def _shipment(ship: _E | None) -> Shipment | None:
    if ship is None:
        return None
    shipment = Shipment(
        carrier=text(ship, "cac:Consignment/cac:CarrierParty/cac:PartyIdentification/cbc:ID")
        or text(ship, "cac:Consignment/cac:CarrierParty/cac:PartyName/cbc:Name"),
        tracking=text(ship, "cac:Delivery/cbc:TrackingID")
        or text(ship, "cac:Consignment/cbc:CarrierAssignedID"),
        ship_date=_date(ship, "cac:Delivery/cac:Despatch/cbc:ActualDespatchDate"),
        delivery_date=_date(ship, "cac:Delivery/cac:EstimatedDeliveryPeriod/cbc:StartDate"),
    )
    return None if shipment == Shipment() else shipment


def _despatch(root: _E, env: Envelope) -> Document:
    lines: list[Line] = []
    packs: dict[tuple[str, bool], list[Line]] = {}  # (unit id, is an SSCC) -> its lines
    for node in root.findall("cac:DespatchLine", NS):
        line = _despatch_line(node)
        lines.append(line)
        for unit in node.findall("cac:Shipment/cac:TransportHandlingUnit/cbc:ID", NS):
            if unit.text:
                packs.setdefault((unit.text.strip(), is_sscc(unit)), []).append(line)
    return ShipNotice(
        **{**_common(root, env), "currency": None},
        lines=tuple(lines),
        parties=_parties(
            root,
            {
                "cac:BuyerCustomerParty": "buyer",
                "cac:DespatchSupplierParty": "seller",
                "cac:SellerSupplierParty": "seller",
                "cac:DeliveryCustomerParty": "ship_to",
                "cac:OriginatorCustomerParty": "originator",
            },
        ),
        shipment=_shipment(root.find("cac:Shipment", NS)),
        order_refs=_order_refs(root),
        packs=tuple(
            Pack(sscc=unit, contents=tuple(ls)) if sscc else Pack(id=unit, contents=tuple(ls))
            for (unit, sscc), ls in packs.items()
        ),
    )


def _application_response(root: _E, env: Envelope) -> Document:
    refs = []
    for resp in root.findall("cac:DocumentResponse", NS):
        code = text(resp, "cac:Response/cbc:ResponseCode") or ""
        status = _ACK_STATUS.get(code, "rejected")
        errors = tuple(
            AckError(
                code=text(lr, "cac:Response/cbc:ResponseCode") or code,
                xpath=text(lr, "cac:LineReference/cbc:LineID"),
                message=text(lr, "cac:Response/cbc:Description"),
            )
            for lr in resp.findall("cac:LineResponse", NS)
        )
        refs.append(
            AckRef(
                level="message",
                control=text(resp, "cac:DocumentReference/cbc:ID") or "",
                code=text(resp, "cac:DocumentReference/cbc:DocumentTypeCode"),
                status=status,
                errors=errors,
            )
        )
    overall: AckStatus = (refs[0].status if refs else None) or "accepted"
    return FunctionalAck(
        **{**_common(root, env), "currency": None},
        status=overall,
        acknowledges=tuple(refs),
        parties=_parties(root, {"cac:SenderParty": "seller", "cac:ReceiverParty": "buyer"}),
    )


READERS: Mapping[str, Callable[[_E, Envelope], Document]] = {
    "Order": _order,
    "OrderResponse": _order_response,
    "DespatchAdvice": _despatch,
    "ApplicationResponse": _application_response,
}
