"""cXML InvoiceDetailRequest -> invoice, ShipNoticeRequest -> ship_notice and
ConfirmationRequest -> order_response.

Amounts: InvoiceDetailSummary SubtotalAmount is the lines total, TotalAmountWithoutTax the
tax-exclusive ``net``, Tax/Money the tax, GrossAmount the tax-inclusive ``gross`` (cXML's
NetAmount is the gross less discounts: read as ``gross`` only when GrossAmount is absent
and no discount is given), DueAmount the ``payable``. Nothing is computed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from lxml import etree

from ..model import (
    Document,
    Envelope,
    Invoice,
    Line,
    OrderRef,
    OrderResponse,
    Party,
    Shipment,
    ShipNotice,
    Tax,
    Totals,
)
from .cxml import INVOICE_EAN, ROLES, SHIP_NOTICE_EAN, date_of, dec, party_of, read_order_request

__all__ = ["READERS", "STATUSES"]

_E = etree._Element
#: ConfirmationStatus / ConfirmationHeader type -> canonical line / document status
STATUSES = {
    "accept": "accepted",
    "reject": "rejected",
    "backordered": "backordered",
    "detail": "accepted_with_changes",
}

#: ConfirmationHeader type -> document status (any other type: some lines changed)
_HEADER_STATUSES = {"accept": "accepted", "reject": "rejected"}
_ORDER_INFO = "InvoiceDetailOrder/InvoiceDetailOrderInfo"


def _text(node: _E, path: str) -> str | None:
    value = node.findtext(path)
    return value.strip() or None if value is not None else None


def _money(node: _E, path: str) -> tuple[str | None, Decimal | None]:
    money = node.find(path)
    return (money.get("currency"), dec(money.text)) if money is not None else (None, None)


def _amount(node: _E, path: str) -> Decimal | None:
    return _money(node, path)[1]


def _parties(contacts: Iterable[tuple[_E, _E | None]]) -> dict[str, Party]:
    """(Contact, holder of further IdReferences) pairs -> parties by canonical role."""
    parties = {}
    for contact, holder in contacts:
        role = ROLES.get(contact.get("role", ""))
        if role is not None and role not in parties:
            parties[role] = party_of(contact, holder)
    return parties


def _product(item_id: _E | None, ean_holder: _E | None, ean: tuple[str, ...]) -> dict[str, str]:
    pairs = (("SupplierPartID", "vendor"), ("BuyerPartID", "buyer"))
    found = {s: v for path, s in pairs if item_id is not None and (v := _text(item_id, path))}
    gtin = _text(ean_holder, "/".join((*ean, "EANID"))) if ean_holder is not None else None
    return {**found, "gtin": gtin} if gtin else found


def _order_ref(ref: _E | None) -> OrderRef | None:
    number = ref.get("orderID") if ref is not None else None
    if ref is None or not number:
        return None
    return OrderRef(number=number, date=date_of(ref.get("orderDate")))


def _order_line(item: _E, reference: _E | None) -> str | None:
    """The order line invoiced, when it is not the invoice line's own number."""
    number = reference.get("lineNumber") if reference is not None else None
    return number if number != item.get("invoiceLineNumber") else None


def _invoice(root: _E, env: Envelope) -> Document:
    request = root.find("Request/InvoiceDetailRequest")
    assert request is not None  # the structure check ran first
    header = request.find("InvoiceDetailRequestHeader")
    summary = request.find("InvoiceDetailSummary")
    assert header is not None and summary is not None
    contacts = [(c, c.getparent()) for c in header.iterfind("InvoicePartner/Contact")]
    contacts += [(c, None) for c in header.iterfind("InvoiceDetailShipping/Contact")]
    lines, refs, currency = [], [], None
    orders = request.findall("InvoiceDetailOrder")
    for order in orders:
        ref = _order_ref(order.find("InvoiceDetailOrderInfo/OrderReference"))
        if ref is not None:
            refs.append(ref)
        for item in order.findall("InvoiceDetailItem"):
            price_currency, price = _money(item, "UnitPrice/Money")
            currency = currency or price_currency
            reference = item.find("InvoiceDetailItemReference")
            lines.append(
                Line(
                    line_no=item.get("invoiceLineNumber"),
                    product=_product(
                        reference.find("ItemID") if reference is not None else None,
                        reference,
                        INVOICE_EAN,
                    ),
                    description=_text(reference, "Description") if reference is not None else None,
                    quantity=dec(item.get("quantity")),
                    uom=_text(item, "UnitOfMeasure"),
                    unit_price=price,
                    amount=_amount(item, "SubtotalAmount/Money"),
                    order_ref=ref if len(orders) > 1 else None,
                    order_line=_order_line(item, reference),
                )
            )
    gross = _amount(summary, "GrossAmount/Money")
    if gross is None and summary.find("InvoiceDetailDiscount") is None:
        gross = _amount(summary, "NetAmount/Money")
    totals = Totals(
        lines=_amount(summary, "SubtotalAmount/Money"),
        allowances=_amount(summary, "TotalAllowances/Money"),
        charges=_amount(summary, "TotalCharges/Money"),
        net=_amount(summary, "TotalAmountWithoutTax/Money"),
        tax=_amount(summary, "Tax/Money"),
        gross=gross,
        payable=_amount(summary, "DueAmount/Money"),
    )
    taxes = tuple(
        Tax(
            category=(d.get("category") or "").upper() or None,
            rate=dec(d.get("percentageRate")),
            base=_amount(d, "TaxableAmount/Money"),
            amount=_amount(d, "TaxAmount/Money"),
        )
        for d in summary.findall("Tax/TaxDetail")
    )
    payload = request.find(
        "InvoiceDetailOrder/InvoiceDetailOrderInfo/OrderReference/DocumentReference"
    )
    order_payload = payload.get("payloadID") if payload is not None else None
    return Invoice(
        number=header.get("invoiceID"),
        date=date_of(header.get("invoiceDate")),
        currency=_money(summary, "SubtotalAmount/Money")[0] or currency,
        invoice_kind="credit_note" if header.get("purpose") == "creditMemo" else "invoice",
        parties=_parties(contacts),
        lines=tuple(lines),
        order_refs=tuple(refs),
        totals=totals,
        taxes=taxes,
        envelope=env,
        references={"cxml:order_payload": order_payload} if order_payload else {},
    )


def _ship_notice(root: _E, env: Envelope) -> Document:
    request = root.find("Request/ShipNoticeRequest")
    assert request is not None
    header = request.find("ShipNoticeHeader")
    assert header is not None
    control = request.find("ShipControl")
    shipment = None
    if control is not None:
        carriers = control.findall("CarrierIdentifier")
        scac = [c for c in carriers if c.get("domain", "").upper() == "SCAC"]
        carrier = (scac or carriers)[0].text if carriers else None
        shipment = Shipment(
            carrier=carrier.strip() if carrier else None,
            tracking=_text(control, "ShipmentIdentifier"),
            ship_date=date_of(header.get("shipmentDate")),
            delivery_date=date_of(header.get("deliveryDate")),
        )
    elif header.get("shipmentDate") or header.get("deliveryDate"):
        shipment = Shipment(
            ship_date=date_of(header.get("shipmentDate")),
            delivery_date=date_of(header.get("deliveryDate")),
        )
    portions = request.findall("ShipNoticePortion")
    refs = [r for p in portions if (r := _order_ref(p.find("OrderReference"))) is not None]
    lines = []
    for portion in portions:
        ref = _order_ref(portion.find("OrderReference")) if len(portions) > 1 else None
        for item in portion.findall("ShipNoticeItem"):
            order_line = item.get("lineNumber")
            own = item.get("shipNoticeLineNumber")
            lines.append(
                Line(
                    line_no=own or order_line,
                    product=_product(
                        item.find("ItemID"), item.find("ShipNoticeItemDetail"), SHIP_NOTICE_EAN
                    ),
                    description=_text(item, "ShipNoticeItemDetail/Description"),
                    quantity=dec(item.get("quantity")),
                    uom=_text(item, "UnitOfMeasure"),
                    order_ref=ref,
                    order_line=order_line if own and own != order_line else None,
                )
            )
    return ShipNotice(
        number=header.get("shipmentID"),
        date=date_of(header.get("noticeDate")),
        parties=_parties((c, None) for c in header.findall("Contact")),
        lines=tuple(lines),
        shipment=shipment,
        order_refs=tuple(refs),
        envelope=env,
        notes=tuple(t for c in header.findall("Comments") if (t := (c.text or "").strip())),
    )


def _line_status(item: _E) -> tuple[str | None, _E | None]:
    statuses = item.findall("ConfirmationStatus")
    if len(statuses) == 1:
        return STATUSES.get(statuses[0].get("type", "")), statuses[0]
    return ("accepted_with_changes" if statuses else None), None


def _confirmation(root: _E, env: Envelope) -> Document:
    request = root.find("Request/ConfirmationRequest")
    assert request is not None
    header = request.find("ConfirmationHeader")
    assert header is not None
    lines, currency = [], None
    for item in request.findall("ConfirmationItem"):
        status, detail = _line_status(item)
        source = detail if detail is not None else item
        price_currency, price = _money(source, "UnitPrice/Money")
        currency = currency or price_currency
        lines.append(
            Line(
                line_no=item.get("lineNumber"),
                quantity=dec(source.get("quantity")),
                uom=_text(source, "UnitOfMeasure"),
                unit_price=price,
                status=status,
            )
        )
    ref = _order_ref(request.find("OrderReference"))
    return OrderResponse(
        number=header.get("confirmID"),
        date=date_of(header.get("noticeDate")),
        currency=currency,
        status=_HEADER_STATUSES.get(header.get("type", ""), "accepted_with_changes"),
        lines=tuple(lines),
        order_refs=(ref,) if ref else (),
        parties=_parties((c, None) for c in header.findall("Contact")),
        envelope=env,
    )


#: Request child name -> reader
READERS: dict[str, Callable[[_E, Envelope], Document]] = {
    "OrderRequest": read_order_request,
    "InvoiceDetailRequest": _invoice,
    "ShipNoticeRequest": _ship_notice,
    "ConfirmationRequest": _confirmation,
}
