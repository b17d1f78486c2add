"""UBL Invoice / CreditNote (Peppol BIS Billing 3.0 and plain UBL 2.x) -> canonical invoice.

Everything ``ubl_billing_write`` writes is read back to the same canonical values (see
its docstring for where the model keeps the buyer reference, billing reference, tax
point date, invoicing period and deliver-to place), so a Peppol invoice read and written
again still passes the rules. Units are mapped back from the Rec 20 package codes the
writer uses (``XCS`` -> ``CS``). Read but not kept: contacts, the seller's legal
registration id and legal form, accounting costs, line notes and periods, item
descriptions beyond the name, classifications, origin countries and item properties,
document attachments, a tax currency's second TaxTotal, price discounts (the net price
is kept).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

import msgspec
from lxml import etree

from .. import codes
from ..model import (
    Document,
    Envelope,
    Invoice,
    Line,
    OrderRef,
    Party,
    Payment,
    Tax,
)
from .ubl_read import (
    NS,
    _common,
    _date,
    _dec,
    _line,
    _order_refs,
    _party,
    _totals,
    address,
    allowance_charges,
    scheme_of,
    tax_category,
    text,
)

__all__ = ["READERS"]

_E = etree._Element


def _billing_party(node: _E | None) -> Party | None:
    """A party with its legal name (PartyLegalEntity) and VAT id (PartyTaxScheme)."""
    found = _party(node)
    if found is None or node is None:
        return found
    wrapped = node.find("cac:Party", NS)
    p = wrapped if wrapped is not None else node
    ids = dict(found.ids)
    for scheme in p.findall("cac:PartyTaxScheme", NS):
        vat = text(scheme, "cbc:CompanyID")
        if vat and text(scheme, "cac:TaxScheme/cbc:ID") == "VAT":
            ids.setdefault("vat", vat)
    legal = text(p, "cac:PartyLegalEntity/cbc:RegistrationName")
    return msgspec.structs.replace(found, legal_name=legal, ids=ids)


def _ship_to(delivery: _E | None) -> Party | None:
    if delivery is None:
        return None
    location = delivery.find("cac:DeliveryLocation", NS)
    name = text(delivery, "cac:DeliveryParty/cac:PartyName/cbc:Name")
    if location is None and name is None:
        return None
    ids: dict[str, str] = {}
    if location is not None:
        loc_id = location.find("cbc:ID", NS)
        if loc_id is not None and loc_id.text and loc_id.text.strip():
            ids[scheme_of(loc_id.get("schemeID"))] = loc_id.text.strip()
    where = address(location.find("cac:Address", NS)) if location is not None else None
    return Party(name=name, ids=ids, address=where)


def _invoice_line(node: _E, quantity: str) -> Line:
    line = _line(node, quantity)
    order_line = text(node, "cac:OrderLineReference/cbc:LineID")
    return msgspec.structs.replace(
        line,
        uom=codes.uom_from_ubl(line.uom) if line.uom else None,
        order_ref=OrderRef(number=order_line) if order_line else None,
        tax=tax_category(node.find("cac:Item/cac:ClassifiedTaxCategory", NS)),
        allowance_charges=allowance_charges(node),
        price_quantity=_dec(node, "cac:Price/cbc:BaseQuantity"),
    )


def _payment(root: _E) -> Payment | None:
    payment = Payment(
        due_date=_date(root, "cbc:DueDate"), terms=text(root, "cac:PaymentTerms/cbc:Note")
    )
    means = root.find("cac:PaymentMeans", NS)
    if means is not None:
        payment = msgspec.structs.replace(
            payment,
            due_date=payment.due_date or _date(means, "cbc:PaymentDueDate"),
            means=text(means, "cbc:PaymentMeansCode"),
            iban=text(means, "cac:PayeeFinancialAccount/cbc:ID"),
            bic=text(means, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID"),
            account_name=text(means, "cac:PayeeFinancialAccount/cbc:Name"),
            reference=text(means, "cbc:PaymentID"),
        )
    return None if payment == Payment() else payment


def _tax_total(root: _E, currency: str | None) -> _E | None:
    """The TaxTotal in the document currency (a second one may state the tax currency's)."""
    totals = root.findall("cac:TaxTotal", NS)
    for total in totals:
        amount = total.find("cbc:TaxAmount", NS)
        if amount is not None and amount.get("currencyID") == currency:
            return total
    return totals[0] if totals else None


def _subtotal(sub: _E) -> Tax:
    category = tax_category(sub.find("cac:TaxCategory", NS)) or Tax()
    rate = category.rate if category.rate is not None else _dec(sub, "cbc:Percent")
    return msgspec.structs.replace(
        category, rate=rate, base=_dec(sub, "cbc:TaxableAmount"), amount=_dec(sub, "cbc:TaxAmount")
    )


def _references(root: _E) -> dict[str, str]:
    found = {
        "buyer_reference": text(root, "cbc:BuyerReference"),
        "invoice": text(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID"),
        "contract": text(root, "cac:ContractDocumentReference/cbc:ID"),
    }
    return {k: v for k, v in found.items() if v}


def _dates(root: _E) -> dict[str, dt.date]:
    found = {
        "tax_point": _date(root, "cbc:TaxPointDate"),
        "period_start": _date(root, "cac:InvoicePeriod/cbc:StartDate"),
        "period_end": _date(root, "cac:InvoicePeriod/cbc:EndDate"),
        "delivery": _date(root, "cac:Delivery/cbc:ActualDeliveryDate"),
    }
    return {k: v for k, v in found.items() if v}


def _invoice(root: _E, env: Envelope) -> Document:
    credit = root.tag.endswith("}CreditNote")
    line_tag, qty = (
        ("cac:CreditNoteLine", "cbc:CreditedQuantity")
        if credit
        else ("cac:InvoiceLine", "cbc:InvoicedQuantity")
    )
    common = _common(root, env)
    tax_total = _tax_total(root, common["currency"])
    parties = {
        role: found
        for path, role in (
            ("cac:AccountingSupplierParty", "seller"),
            ("cac:AccountingCustomerParty", "buyer"),
            ("cac:PayeeParty", "remit_to"),
        )
        if (found := _billing_party(root.find(path, NS))) is not None
    }
    ship_to = _ship_to(root.find("cac:Delivery", NS))
    if ship_to is not None:
        parties["ship_to"] = ship_to
    return Invoice(
        **common,
        lines=tuple(_invoice_line(n, qty) for n in root.findall(line_tag, NS)),
        parties=parties,
        totals=_totals(
            root.find("cac:LegalMonetaryTotal", NS),
            _dec(tax_total, "cbc:TaxAmount") if tax_total is not None else None,
        ),
        taxes=tuple(
            _subtotal(sub)
            for sub in (tax_total.findall("cac:TaxSubtotal", NS) if tax_total is not None else ())
        ),
        order_refs=_order_refs(root),
        references=_references(root),
        dates=_dates(root),
        payment=_payment(root),
        allowance_charges=allowance_charges(root),
        invoice_kind="credit_note"
        if credit or text(root, "cbc:InvoiceTypeCode") == "381"
        else "invoice",
    )


READERS: Mapping[str, Callable[[_E, Envelope], Document]] = {
    "Invoice": _invoice,
    "CreditNote": _invoice,
}
