"""Canonical invoices -> UBL 2.1 Invoice / CreditNote under Peppol BIS Billing 3.0.

Peppol BIS 3 (the EN 16931 CIUS) is the UBL invoice we write: a document that lacks what
EN 16931 requires is refused with one ``RenderError`` naming every missing field by its
canonical path (``translators.xml.peppol``), never written for a receiver to reject.
The VAT breakdown and totals a document does not state are derived only where they
follow exactly from its own numbers (see ``peppol``).

Where the canonical model keeps what has no field of its own: the buyer reference
(BT-10) is ``references["buyer_reference"]``, the invoice a credit note corrects (BT-25)
``references["invoice"]``, the contract (BT-12) ``references["contract"]``; the tax point
date ``dates["tax_point"]``, the invoicing period ``dates["period_start"]`` /
``dates["period_end"]``, the actual delivery date ``dates["delivery"]``; the deliver-to
place is the ``ship_to`` party, the payee the ``remit_to`` party. A line's VAT exemption
reason is written in its category's subtotal, where EN 16931 has it (BT-120/121).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

from lxml import etree

from .. import codes
from ..errors import RenderError
from ..model import Document, Invoice, Line, Party
from . import peppol
from .ubl_write import (
    _amount,
    _item,
    _scheme_id,
    _totals,
    address,
    allowance_charge,
    element,
    party,
    root_element,
    tax_category,
)

__all__ = ["CUSTOMIZATION", "PROFILE", "WRITERS"]

_E = etree._Element
CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"


def _head(root: _E, doc: Invoice, credit: bool) -> None:
    element(root, "cbc:CustomizationID", CUSTOMIZATION)
    element(root, "cbc:ProfileID", PROFILE)
    element(root, "cbc:ID", doc.number or "")
    element(root, "cbc:IssueDate", doc.date.isoformat() if doc.date else "")
    due = peppol.due_date(doc)
    tax_point = doc.dates.get("tax_point")
    if due and not credit:  # a UBL 2.1 CreditNote has it in PaymentMeans only
        element(root, "cbc:DueDate", due.isoformat())
    if tax_point and credit:
        element(root, "cbc:TaxPointDate", tax_point.isoformat())
    element(
        root,
        "cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode",
        "381" if credit else "380",
    )
    for note in doc.notes:
        element(root, "cbc:Note", note)
    if tax_point and not credit:
        element(root, "cbc:TaxPointDate", tax_point.isoformat())
    element(root, "cbc:DocumentCurrencyCode", doc.currency or "")
    if "buyer_reference" in doc.references:
        element(root, "cbc:BuyerReference", doc.references["buyer_reference"])
    start, end = doc.dates.get("period_start"), doc.dates.get("period_end")
    if start or end:
        period = element(root, "cac:InvoicePeriod")
        for tag, value in (("cbc:StartDate", start), ("cbc:EndDate", end)):
            if value:
                element(period, tag, value.isoformat())
    if doc.order_refs:  # BT-13 has no date in EN 16931
        element(element(root, "cac:OrderReference"), "cbc:ID", doc.order_refs[0].number)
    if "invoice" in doc.references:
        billing = element(root, "cac:BillingReference")
        element(
            element(billing, "cac:InvoiceDocumentReference"), "cbc:ID", doc.references["invoice"]
        )
    if "contract" in doc.references:
        element(
            element(root, "cac:ContractDocumentReference"), "cbc:ID", doc.references["contract"]
        )


def _payee(root: _E, p: Party) -> None:
    """The payee (BG-10): a name, at most one identifier."""
    node = element(root, "cac:PayeeParty")
    ids = [(s, v) for s, v in p.ids.items() if s != "vat" and not s.startswith("endpoint:")]
    if ids:
        scheme, value = ids[0]
        ident = element(node, "cac:PartyIdentification")
        element(ident, "cbc:ID", value, **_scheme_attr(scheme))
    element(element(node, "cac:PartyName"), "cbc:Name", p.legal_name or p.name or "")


def _scheme_attr(scheme: str) -> dict[str, str]:
    code = _scheme_id(scheme, icd=True)
    return {"schemeID": code} if code else {}


def _delivery(root: _E, doc: Invoice) -> None:
    """Deliver-to (BG-13): the ``ship_to`` party and the actual delivery date."""
    ship_to, when = doc.parties.get("ship_to"), doc.dates.get("delivery")
    if ship_to is None and when is None:
        return
    node = element(root, "cac:Delivery")
    if when:
        element(node, "cbc:ActualDeliveryDate", when.isoformat())
    if ship_to is None:
        return
    ids = [(s, v) for s, v in ship_to.ids.items() if s != "vat" and not s.startswith("endpoint:")]
    if ids or ship_to.address is not None:
        location = element(node, "cac:DeliveryLocation")
        if ids:
            element(location, "cbc:ID", ids[0][1], **_scheme_attr(ids[0][0]))
        if ship_to.address is not None:
            address(location, "cac:Address", ship_to.address, one_line=True)
    if ship_to.name:
        element(
            element(element(node, "cac:DeliveryParty"), "cac:PartyName"), "cbc:Name", ship_to.name
        )


def _payment(root: _E, doc: Invoice, credit: bool) -> None:
    p = doc.payment
    if p is None:
        return
    if p.means:
        means = element(root, "cac:PaymentMeans")
        element(means, "cbc:PaymentMeansCode", p.means)
        due = peppol.due_date(doc)
        if credit and due:
            element(means, "cbc:PaymentDueDate", due.isoformat())
        if p.reference:
            element(means, "cbc:PaymentID", p.reference)
        if p.iban:
            account = element(means, "cac:PayeeFinancialAccount")
            element(account, "cbc:ID", p.iban)
            if p.account_name:
                element(account, "cbc:Name", p.account_name)
            if p.bic:
                element(element(account, "cac:FinancialInstitutionBranch"), "cbc:ID", p.bic)
    if p.terms:
        element(element(root, "cac:PaymentTerms"), "cbc:Note", p.terms)


def _tax_total(root: _E, doc: Invoice, tax: Decimal | None, currency: str) -> None:
    node = element(root, "cac:TaxTotal")
    _amount(node, "cbc:TaxAmount", tax, currency)
    for sub in peppol.breakdown(doc):
        subtotal = element(node, "cac:TaxSubtotal")
        _amount(subtotal, "cbc:TaxableAmount", sub.base, currency)
        _amount(subtotal, "cbc:TaxAmount", sub.amount, currency)
        tax_category(subtotal, "cac:TaxCategory", sub, exemption=True)


def _line(root: _E, n: int, line: Line, currency: str, credit: bool) -> None:
    node = element(root, "cac:CreditNoteLine" if credit else "cac:InvoiceLine")
    element(node, "cbc:ID", line.line_no or str(n))
    unit = codes.uom_to_ubl(line.uom or "")
    quantity = format(line.quantity, "f") if line.quantity is not None else ""
    element(
        node, "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity", quantity, unitCode=unit
    )
    _amount(node, "cbc:LineExtensionAmount", line.amount, currency)
    if line.order_ref is not None:
        element(element(node, "cac:OrderLineReference"), "cbc:LineID", line.order_ref.number)
    for ac in line.allowance_charges:
        allowance_charge(node, ac, currency, taxed=False)
    item = _item(node, line)
    if line.tax is not None:
        tax_category(item, "cac:ClassifiedTaxCategory", line.tax)
    price = element(node, "cac:Price")
    _amount(price, "cbc:PriceAmount", line.unit_price, currency)
    if line.price_quantity is not None:
        element(price, "cbc:BaseQuantity", format(line.price_quantity, "f"), unitCode=unit)


def invoice(doc: Document) -> _E:
    """A Peppol BIS 3 Invoice (380) or, for ``invoice_kind`` credit_note, CreditNote (381)."""
    if not isinstance(doc, Invoice):
        raise RenderError(f"a UBL invoice is written from an invoice, not a {doc.type}")
    doc = peppol.with_line_amounts(doc)
    absent = peppol.missing(doc)
    if absent:
        raise RenderError(
            f"invoice {doc.number or '(no number)'}: missing for Peppol BIS 3 (EN 16931): "
            + ", ".join(absent),
            field=absent[0],
        )
    wrong = peppol.inconsistent(doc)
    if wrong:
        raise RenderError(
            f"invoice {doc.number or '(no number)'}: amounts that do not add up for Peppol"
            " BIS 3 (EN 16931): " + ", ".join(wrong),
            field=wrong[0].split(" ")[0],
        )
    credit = doc.invoice_kind == "credit_note"
    currency = doc.currency or ""
    root = root_element("CreditNote" if credit else "Invoice")
    _head(root, doc, credit)
    party(root, "cac:AccountingSupplierParty", doc.parties["seller"], en16931=True)
    party(root, "cac:AccountingCustomerParty", doc.parties["buyer"], en16931=True, max_ids=1)
    if "remit_to" in doc.parties:
        _payee(root, doc.parties["remit_to"])
    _delivery(root, doc)
    _payment(root, doc, credit)
    for ac in doc.allowance_charges:
        allowance_charge(root, ac, currency, taxed=True)
    t = peppol.totals(doc)
    _tax_total(root, doc, t.tax, currency)
    _totals(root, "cac:LegalMonetaryTotal", t, currency, t.payable)
    for n, line in enumerate(doc.lines, start=1):
        _line(root, n, line, currency, credit)
    return root


WRITERS: Mapping[str, tuple[type[Document], Callable[[Document], _E]]] = {
    "ubl:Invoice": (Invoice, invoice),
    "ubl:CreditNote": (Invoice, invoice),
}
