"""cXML OrderRequest -> purchase_order (reading). cXML requests are one document each."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from lxml import etree

from ..model import Address, Document, Envelope, Line, Party, PartyId, PurchaseOrder, Totals
from .numbers import xsd_decimal

__all__ = ["envelope_of", "read_order_request"]

_E = etree._Element


def _dec(value: str | None) -> Decimal | None:
    return xsd_decimal(value)  # never NaN, Infinity or 1_000


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _credential(root: _E, side: str) -> PartyId | None:
    cred = root.find(f"Header/{side}/Credential")
    ident = cred.findtext("Identity") if cred is not None else None
    return (
        PartyId(id=ident.strip(), qualifier=cred.get("domain"))
        if ident and cred is not None
        else None
    )


def envelope_of(root: _E, kind: str) -> Envelope:
    return Envelope(
        format="xml",
        version=root.get("version"),
        message_type=kind,
        sender=_credential(root, "From"),
        receiver=_credential(root, "To"),
        message_control=root.get("payloadID"),
    )


def _address(node: _E | None) -> Party | None:
    if node is None:
        return None
    addr = node.find("Address")
    if addr is None:
        return None
    postal = addr.find("PostalAddress")
    address = None
    if postal is not None:
        country = postal.find("Country")
        address = Address.of(
            [s.text.strip() for s in postal.findall("Street") if s.text],
            city=postal.findtext("City"),
            region=postal.findtext("State"),
            postal_code=postal.findtext("PostalCode"),
            country=country.get("isoCountryCode") if country is not None else None,
        )
    address_id = addr.get("addressID")
    ids = {"cxml": address_id} if address_id else {}
    return Party(name=(addr.findtext("Name") or "").strip() or None, ids=ids, address=address)


def read_order_request(root: _E, env: Envelope) -> Document:
    request = root.find("Request/OrderRequest")
    assert request is not None
    header = request.find("OrderRequestHeader")
    assert header is not None
    parties = {}
    for role, path in (("ship_to", "ShipTo"), ("bill_to", "BillTo")):
        party = _address(header.find(path))
        if party is not None:
            parties[role] = party
    lines = []
    currency = None
    for item in request.findall("ItemOut"):
        detail = item.find("ItemDetail")
        money = detail.find("UnitPrice/Money") if detail is not None else None
        currency = currency or (money.get("currency") if money is not None else None)
        product = {}
        for path, scheme in (("ItemID/SupplierPartID", "vendor"), ("ItemID/BuyerPartID", "buyer")):
            value = item.findtext(path)
            if value and value.strip():
                product[scheme] = value.strip()
        lines.append(
            Line(
                line_no=item.get("lineNumber"),
                product=product,
                description=(detail.findtext("Description") or "").strip() or None
                if detail is not None
                else None,
                quantity=_dec(item.get("quantity")),
                uom=(detail.findtext("UnitOfMeasure") or "").strip() or None
                if detail is not None
                else None,
                unit_price=_dec(money.text if money is not None else None),
            )
        )
    total = header.find("Total/Money")
    requested = _date(header.get("requestedDeliveryDate"))
    return PurchaseOrder(
        number=header.get("orderID"),
        date=_date(header.get("orderDate")),
        currency=(total.get("currency") if total is not None else None) or currency,
        parties=parties,
        lines=tuple(lines),
        envelope=env,
        totals=Totals(lines=_dec(total.text)) if total is not None else None,
        dates={"requested_delivery": requested} if requested else {},
        purpose={"new": "original", "update": "change", "delete": "cancel"}.get(
            header.get("type", "new"), header.get("type")
        ),
    )
