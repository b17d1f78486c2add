"""cXML shared pieces: envelope, parties and numbers, and OrderRequest -> purchase_order.

cXML requests are one document each. The Header's From/To credentials are the envelope's
sender/receiver (PartyId qualifier = credential domain); payloadID is the message control.
Parties come as ``Address`` (OrderRequest ShipTo/BillTo) or ``Contact`` elements with a
``role``; both carry Name, PostalAddress and IdReferences, read alike.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from lxml import etree

from ..model import Address, Document, Envelope, Line, Party, PartyId, PurchaseOrder, Totals
from .numbers import xsd_decimal

__all__ = [
    "INVOICE_EAN",
    "ROLES",
    "SHIP_NOTICE_EAN",
    "date_of",
    "dec",
    "envelope_of",
    "party_of",
    "read_order_request",
]

_E = etree._Element
#: cXML Contact role -> canonical party role (one to one: the writers use the inverse)
ROLES = {
    "soldTo": "buyer",
    "from": "seller",
    "billTo": "bill_to",
    "shipTo": "ship_to",
    "shipFrom": "ship_from",
    "remitTo": "remit_to",
    "carrierCorporate": "carrier",
}

#: where a line's GTIN (retail EANID) sits below InvoiceDetailItemReference and
#: ShipNoticeItemDetail: cXML's ItemID has only the supplier's and buyer's part ids
INVOICE_EAN = ("InvoiceDetailItemReferenceIndustry", "InvoiceDetailItemReferenceRetail")
SHIP_NOTICE_EAN = ("ItemDetailIndustry", "ItemDetailRetail")


def dec(value: str | None) -> Decimal | None:
    return xsd_decimal(value)  # never NaN, Infinity or 1_000


def date_of(value: str | None) -> dt.date | None:
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
        test=root.find("Request[@deploymentMode='test']") is not None,
    )


def party_of(node: _E, holder: _E | None = None) -> Party:
    """A party from an Address or Contact (Name, PostalAddress, IdReference); IdReferences
    may also sit beside the Contact (in an InvoicePartner: ``holder``)."""
    postal = node.find("PostalAddress")
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
    ids = {}
    address_id = node.get("addressID")
    if address_id:
        ids["cxml"] = address_id
    for parent in (node,) if holder is None else (node, holder):
        for ref in parent.findall("IdReference"):
            domain, ident = ref.get("domain"), ref.get("identifier")
            if domain and ident:
                ids[domain] = ident
    return Party(name=(node.findtext("Name") or "").strip() or None, ids=ids, address=address)


def read_order_request(root: _E, env: Envelope) -> Document:
    request = root.find("Request/OrderRequest")
    assert request is not None
    header = request.find("OrderRequestHeader")
    assert header is not None
    parties = {}
    for role, path in (("ship_to", "ShipTo/Address"), ("bill_to", "BillTo/Address")):
        node = header.find(path)
        if node is not None:
            parties[role] = party_of(node)
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
                quantity=dec(item.get("quantity")),
                uom=(detail.findtext("UnitOfMeasure") or "").strip() or None
                if detail is not None
                else None,
                unit_price=dec(money.text if money is not None else None),
            )
        )
    total = header.find("Total/Money")
    requested = date_of(header.get("requestedDeliveryDate"))
    return PurchaseOrder(
        number=header.get("orderID"),
        date=date_of(header.get("orderDate")),
        currency=(total.get("currency") if total is not None else None) or currency,
        parties=parties,
        lines=tuple(lines),
        envelope=env,
        totals=Totals(lines=dec(total.text)) if total is not None else None,
        dates={"requested_delivery": requested} if requested else {},
        purpose={"new": "original", "update": "change", "delete": "cancel"}.get(
            header.get("type", "new"), header.get("type")
        ),
    )
