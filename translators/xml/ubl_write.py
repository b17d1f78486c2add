"""The UBL 2.1 building blocks the writers share: the Peppol post-award documents
(``ubl_ordering``) and the Peppol BIS Billing 3.0 invoice (``ubl_billing_write``).

Elements are written in the XSD's sequence order, so the output validates.
"""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from .. import codes
from ..errors import RenderError
from ..model import Address, AllowanceCharge, Line, Party, Tax, Totals
from ..text import digits
from .ubl_read import CAC, CBC

__all__ = ["address", "allowance_charge", "element", "party", "root_element", "tax_category"]

_E = etree._Element
_NSMAP = {"cac": CAC, "cbc": CBC}


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


def tax_category(parent: _E, tag: str, tax: Tax, *, exemption: bool = False) -> None:
    """A TaxCategory / ClassifiedTaxCategory; no Percent for "not subject to VAT" (BR-O-*);
    ``exemption``: with the exemption reason (an invoice's VAT breakdown)."""
    node = element(parent, tag)
    if tax.code:
        element(node, "cbc:ID", tax.code)
    if tax.rate is not None and tax.code != "O":
        element(node, "cbc:Percent", format(tax.rate, "f"))
    if exemption and tax.exemption_code:
        element(node, "cbc:TaxExemptionReasonCode", tax.exemption_code)
    if exemption and tax.exemption_reason:
        element(node, "cbc:TaxExemptionReason", tax.exemption_reason)
    element(element(node, "cac:TaxScheme"), "cbc:ID", tax.category or "VAT")


def allowance_charge(parent: _E, ac: AllowanceCharge, currency: str | None, *, taxed: bool) -> None:
    """An AllowanceCharge; ``taxed``: with its TaxCategory (document level)."""
    node = element(parent, "cac:AllowanceCharge")
    element(node, "cbc:ChargeIndicator", "true" if ac.charge else "false")
    if ac.reason_code:
        element(node, "cbc:AllowanceChargeReasonCode", ac.reason_code)
    if ac.reason:
        element(node, "cbc:AllowanceChargeReason", ac.reason)
    if ac.percent is not None and ac.base is not None:
        # EN 16931 takes a percentage only with its base (PEPPOL-EN16931-R041); an X12
        # SAC states none, and then the amount alone is what binds
        element(node, "cbc:MultiplierFactorNumeric", format(ac.percent, "f"))
    _amount(node, "cbc:Amount", ac.amount, currency)
    _amount(node, "cbc:BaseAmount", ac.base, currency)
    if taxed and ac.tax is not None:
        tax_category(node, "cac:TaxCategory", ac.tax)
