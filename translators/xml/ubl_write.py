"""Canonical documents -> UBL 2.1 (Invoice in the Peppol BIS Billing 3.0 style); the
ordering documents are in ``ubl_ordering``, which builds on the helpers here.

Elements are written in the XSD's sequence order, so the output validates. Where UBL
makes an element mandatory that the canonical document does not state, the writer says
what it uses: PayableAmount is the stated payable amount, else the gross (invoice) or the
line total (order); a missing party or currency is a RenderError, never invented.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

from lxml import etree

from .. import codes
from ..errors import RenderError
from ..model import (
    Document,
    Invoice,
    Line,
    Party,
    Totals,
)
from ..text import digits
from .ubl_read import CAC, CBC

__all__ = ["WRITERS", "element", "party", "root_element"]

_E = etree._Element
_NSMAP = {"cac": CAC, "cbc": CBC}
_PEPPOL_CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
_PEPPOL_PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"


def element(parent: _E, tag: str, text: str | None = None, **attrs: str) -> _E:
    prefix, _, local = tag.partition(":")
    node = etree.SubElement(parent, f"{{{_NSMAP[prefix]}}}{local}", attrs)
    if text is not None:
        node.text = text
    return node


def root_element(name: str, *, version: bool = True) -> _E:
    """The root of a UBL 2.1 document ``name``, with its namespaces and (unless ``version``
    is false: Peppol post-award data models have none) its UBLVersionID."""
    ns = f"urn:oasis:names:specification:ubl:schema:xsd:{name}-2"
    root = etree.Element(f"{{{ns}}}{name}", nsmap={None: ns, **_NSMAP})  # type: ignore[dict-item]
    if version:
        element(root, "cbc:UBLVersionID", "2.1")
    return root


def _scheme_id(scheme: str) -> str | None:
    if scheme == "ubl":
        return None
    if scheme.startswith("ubl:"):
        return scheme[4:]
    for code, name in codes.UBL_SCHEME.items():
        if name == scheme and digits(code):
            return code
    return scheme


def _id(parent: _E, tag: str, scheme: str, value: str) -> None:
    scheme_id = _scheme_id(scheme)
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


def party(parent: _E, tag: str, p: Party, *, endpoint: bool = False) -> None:
    node = element(parent, tag)
    if tag not in _PARTY_TYPED:
        node = element(node, "cac:Party")
    ids = {k: v for k, v in p.ids.items() if not k.startswith("endpoint:")}
    ends = {k[9:]: v for k, v in p.ids.items() if k.startswith("endpoint:")}
    if ends or (endpoint and ids):  # Peppol needs one; a read one is always written back
        scheme, value = next(iter((ends or ids).items()))
        _id(node, "cbc:EndpointID", scheme, value)
    for scheme, value in ids.items():
        _id(element(node, "cac:PartyIdentification"), "cbc:ID", scheme, value)
    if p.name:
        element(element(node, "cac:PartyName"), "cbc:Name", p.name)
    a = p.address
    if a is not None:
        addr = element(node, "cac:PostalAddress")
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
        for line in a.lines:
            element(element(addr, "cac:AddressLine"), "cbc:Line", line)
        if a.country:
            element(element(addr, "cac:Country"), "cbc:IdentificationCode", a.country)


def _amount(parent: _E, tag: str, value: Decimal | None, currency: str | None) -> None:
    if value is None:
        return
    if not currency:
        raise RenderError("UBL amounts need a currency: the document has none")
    element(parent, tag, format(value, "f"), currencyID=currency)


def _item(parent: _E, line: Line) -> None:
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
        ("cbc:PayableRoundingAmount", t.rounding),
        ("cbc:PayableAmount", t.payable if t.payable is not None else payable),
    ):
        _amount(node, name, value, currency)


def _head(root: _E, doc: Document) -> None:
    element(root, "cbc:ID", doc.number or "")
    if doc.date is None:
        raise RenderError("UBL documents need an issue date")
    element(root, "cbc:IssueDate", doc.date.isoformat())


def _invoice(doc: Document) -> _E:
    assert isinstance(doc, Invoice)
    credit = doc.invoice_kind == "credit_note"
    root = root_element("CreditNote" if credit else "Invoice")
    element(root, "cbc:CustomizationID", _PEPPOL_CUSTOMIZATION)
    element(root, "cbc:ProfileID", _PEPPOL_PROFILE)
    _head(root, doc)
    due = doc.dates.get("due")
    if due and not credit:
        element(root, "cbc:DueDate", due.isoformat())
    element(
        root,
        "cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode",
        "381" if credit else "380",
    )
    for note in doc.notes:
        element(root, "cbc:Note", note)
    if not doc.currency:
        raise RenderError("a UBL invoice needs a currency")
    element(root, "cbc:DocumentCurrencyCode", doc.currency)
    if doc.order_refs:
        ref = element(root, "cac:OrderReference")
        element(ref, "cbc:ID", doc.order_refs[0].number)
        if doc.order_refs[0].date:
            element(ref, "cbc:IssueDate", doc.order_refs[0].date.isoformat())
    party(root, "cac:AccountingSupplierParty", _need(doc, "seller", "invoice"), endpoint=True)
    party(root, "cac:AccountingCustomerParty", _need(doc, "buyer", "invoice"), endpoint=True)
    if "remit_to" in doc.parties:
        party(root, "cac:PayeeParty", doc.parties["remit_to"])
    t = doc.totals or Totals()
    if t.tax is not None or doc.taxes:
        total = element(root, "cac:TaxTotal")
        _amount(total, "cbc:TaxAmount", t.tax if t.tax is not None else Decimal(0), doc.currency)
        for tax in doc.taxes:
            sub = element(total, "cac:TaxSubtotal")
            _amount(sub, "cbc:TaxableAmount", tax.base, doc.currency)
            _amount(sub, "cbc:TaxAmount", tax.amount or Decimal(0), doc.currency)
            category = element(sub, "cac:TaxCategory")
            element(category, "cbc:ID", "S")
            if tax.rate is not None:
                element(category, "cbc:Percent", format(tax.rate, "f"))
            element(element(category, "cac:TaxScheme"), "cbc:ID", tax.category or "VAT")
    _totals(root, "cac:LegalMonetaryTotal", t, doc.currency, t.gross)
    for n, line in enumerate(doc.lines, start=1):
        node = element(root, "cac:CreditNoteLine" if credit else "cac:InvoiceLine")
        element(node, "cbc:ID", line.line_no or str(n))
        _quantity(node, "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity", line)
        if line.amount is None:
            raise RenderError(f"UBL invoice line {n} needs its line amount")
        _amount(node, "cbc:LineExtensionAmount", line.amount, doc.currency)
        _item(node, line)
        _price(node, line, doc.currency)
    return root


WRITERS: Mapping[str, tuple[type[Document], Callable[[Document], _E]]] = {
    "ubl:Invoice": (Invoice, _invoice),
    "ubl:CreditNote": (Invoice, _invoice),
}
