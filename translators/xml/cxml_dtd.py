"""The cXML 1.2 DTD's structure for what we read and write, checked without the DTD.

Every cXML document names its DTD (``<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/...">``)
but a translator never fetches it (``safe.parse`` loads no DTD and reaches no network),
so the parts of the DTD that matter here are encoded below from cXML 1.2.0xx: each
element's required attributes, closed attribute values, and its children in DTD order
with their occurrence (``?`` optional, ``*`` any, ``+`` one or more, none: exactly one;
``A|B`` either). Children not listed are left alone (the DTD allows far more than we
read), so the check never refuses an element we do not use. A fault is a located issue,
code ``dtd``, with the XPath of the element at fault; a cXML amount or quantity that is
not a decimal number is one too.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..errors import Issue
from .numbers import xsd_decimal

__all__ = ["DTD", "structure_issues"]

DTD = "dtd"
_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True, slots=True)
class _Slot:
    names: frozenset[str]
    required: bool
    repeat: bool

    @classmethod
    def parse(cls, spec: str) -> _Slot:
        mark = spec[-1] if spec[-1] in "?*+" else ""
        names = frozenset(spec.rstrip("?*+").split("|"))
        return cls(names, required=mark in ("", "+"), repeat=mark in ("*", "+"))

    @property
    def label(self) -> str:
        return "|".join(sorted(self.names))


@dataclass(frozen=True, slots=True)
class _Rule:
    children: tuple[_Slot, ...] = ()
    attrs: tuple[str, ...] = ()
    values: tuple[tuple[str, frozenset[str]], ...] = ()


def _rule(children: str = "", attrs: str = "", **values: str) -> _Rule:
    return _Rule(
        children=tuple(_Slot.parse(s) for s in children.split()),
        attrs=tuple(attrs.split()),
        values=tuple((k, frozenset(v.split())) for k, v in values.items()),
    )


_MONEY = _rule("Money")
_RULES: dict[str, _Rule] = {
    "cXML": _rule("Header Request|Response|Message", "payloadID timestamp"),
    "Header": _rule("From To Sender Path? OriginalDocument?"),
    "From": _rule("Credential+ Correspondent?"),
    "To": _rule("Credential+ Correspondent?"),
    "Sender": _rule("Credential+ UserAgent"),
    "Credential": _rule("Identity SharedSecret|DigitalSignature|CredentialMac?", "domain"),
    "Request": _rule(deploymentMode="production test"),
    "Contact": _rule("Name PostalAddress* Email* Phone* Fax* URL* IdReference* Extrinsic*"),
    "PostalAddress": _rule("DeliverTo* Street+ City Municipality? State? PostalCode? Country"),
    "Country": _rule(attrs="isoCountryCode"),
    "IdReference": _rule(attrs="identifier domain"),
    "Name": _rule(attrs=_LANG),
    "Description": _rule(attrs=_LANG),
    "Money": _rule(attrs="currency"),
    "ItemID": _rule("SupplierPartID SupplierPartAuxiliaryID? BuyerPartID?"),
    "UnitPrice": _MONEY,
    "Total": _MONEY,
    "OrderReference": _rule("DocumentReference"),
    "DocumentReference": _rule(attrs="payloadID"),
    # InvoiceDetail.dtd
    "InvoiceDetailRequest": _rule(
        "InvoiceDetailRequestHeader InvoiceDetailOrder|InvoiceDetailHeaderOrder+ "
        "InvoiceDetailSummary"
    ),
    "InvoiceDetailRequestHeader": _rule(
        "InvoiceDetailHeaderIndicator InvoiceDetailLineIndicator InvoicePartner* "
        "DocumentReference? InvoiceIDInfo? PaymentProposalIDInfo? InvoiceDetailShipping? "
        "Comments? Extrinsic*",
        "invoiceID invoiceDate",
        purpose="standard creditMemo debitMemo lineLevelCreditMemo lineLevelDebitMemo",
        operation="new delete",
    ),
    "InvoicePartner": _rule("Contact IdReference*"),
    "InvoiceDetailShipping": _rule("Contact+"),
    "InvoiceDetailOrder": _rule(
        "InvoiceDetailOrderInfo InvoiceDetailReceiptInfo? InvoiceDetailShipNoticeInfo? "
        "InvoiceDetailItem|InvoiceDetailServiceItem+"
    ),
    "InvoiceDetailOrderInfo": _rule(
        "OrderReference|MasterAgreementReference|MasterAgreementIDInfo|OrderIDInfo+ "
        "SupplierOrderInfo?"
    ),
    "InvoiceDetailItem": _rule(
        "UnitOfMeasure UnitPrice InvoiceDetailItemReference ReceiptLineItemReference? "
        "ShipNoticeLineItemReference? ServiceEntryItemReference? SubtotalAmount? Tax? "
        "InvoiceDetailLineSpecialHandling? InvoiceDetailLineShipping? ShipNoticeIDInfo? "
        "GrossAmount? InvoiceDetailDiscount? InvoiceItemModifications? TotalCharges? "
        "TotalAllowances? TotalAmountWithoutTax? NetAmount? Distribution* Comments? "
        "Extrinsic*",
        "invoiceLineNumber quantity",
    ),
    "InvoiceDetailItemReference": _rule(
        "ItemID? Description? Classification* ManufacturerPartID? ManufacturerName? Country? "
        "SerialNumber* SupplierBatchID? InvoiceDetailItemReferenceIndustry?",
        "lineNumber",
    ),
    "ShipNoticeItemDetail": _rule("UnitPrice? Description* UnitOfMeasure? ItemDetailIndustry?"),
    "InvoiceDetailSummary": _rule(
        "SubtotalAmount Tax SpecialHandlingAmount? ShippingAmount? GrossAmount? "
        "InvoiceDetailDiscount? InvoiceHeaderModifications? "
        "InvoiceDetailSummaryLineItemModifications? TotalCharges? TotalAllowances? "
        "TotalAmountWithoutTax? NetAmount DepositAmount? DueAmount?"
    ),
    "Tax": _rule("Money TaxAdjustmentAmount? Description TaxDetail*"),
    "TaxDetail": _rule("TaxableAmount? TaxAmount TaxLocation? Description?", "category"),
    **{
        name: _MONEY
        for name in (
            "SubtotalAmount",
            "GrossAmount",
            "NetAmount",
            "DueAmount",
            "TotalAmountWithoutTax",
            "TotalAllowances",
            "TotalCharges",
            "TaxableAmount",
            "TaxAmount",
            "DepositAmount",
        )
    },
    # Fulfill.dtd: ship notices and confirmations
    "ShipNoticeRequest": _rule("ShipNoticeHeader ShipControl* ShipNoticePortion*"),
    "ShipNoticeHeader": _rule(
        "ServiceLevel* DocumentReference? Contact* Comments* Extrinsic*",
        "shipmentID noticeDate",
        operation="new update delete",
    ),
    "ShipControl": _rule(
        "CarrierIdentifier+ ShipmentIdentifier+ PackageIdentification? Route* Contact* "
        "Comments? Extrinsic*"
    ),
    "CarrierIdentifier": _rule(attrs="domain"),
    "ShipNoticePortion": _rule(
        "OrderReference MasterAgreementReference|MasterAgreementIDInfo? Contact* Comments* "
        "Extrinsic* ShipNoticeItem*"
    ),
    "ShipNoticeItem": _rule(
        "ItemID? ShipNoticeItemDetail? UnitOfMeasure Packaging*", "quantity lineNumber"
    ),
    "ConfirmationRequest": _rule("ConfirmationHeader OrderReference ConfirmationItem*"),
    "ConfirmationHeader": _rule(
        "Total? Shipping? Tax? Contact* Hazard* Comments? IdReference* Extrinsic*",
        "type noticeDate",
        type="accept allDetail detail backordered except reject requestToPay replace",
    ),
    "ConfirmationItem": _rule(
        "UnitOfMeasure Contact* Hazard* ConfirmationStatus+", "lineNumber quantity"
    ),
    "ConfirmationStatus": _rule(
        "UnitOfMeasure ItemIn? UnitPrice? Tax? Shipping? Comments? Extrinsic*",
        "quantity type",
        type="accept reject backordered detail unknown requestToPay",
    ),
}
#: attributes that hold a decimal number (quantities, rates)
_NUMBER_ATTRS = ("quantity", "percentageRate")


def _issue(tree: etree._ElementTree, node: etree._Element, message: str) -> Issue:
    return Issue(level="document", code=DTD, xpath=tree.getpath(node), message=message)


def _attr_name(name: str) -> str:
    return "xml:lang" if name == _LANG else name


def _element_issues(tree: etree._ElementTree, node: etree._Element, rule: _Rule) -> list[Issue]:
    tag = node.tag
    out = [
        _issue(tree, node, f"{tag} lacks the required attribute {_attr_name(a)}")
        for a in rule.attrs
        if node.get(a) is None
    ]
    for attr, allowed in rule.values:
        value = node.get(attr)
        if value is not None and value not in allowed:
            out.append(_issue(tree, node, f"{tag}/@{attr} {value!r} is not one of the DTD's"))
    counts = [0] * len(rule.children)
    last = -1
    for child in node.iterchildren(tag=etree.Element):
        at = next((i for i, s in enumerate(rule.children) if child.tag in s.names), None)
        if at is None:
            continue
        slot = rule.children[at]
        if at < last:
            following = rule.children[last].label
            out.append(_issue(tree, child, f"{child.tag} must come before {following} in {tag}"))
        elif counts[at] and not slot.repeat:
            out.append(_issue(tree, child, f"{tag} allows one {child.tag}"))
        counts[at] += 1
        last = max(last, at)
    out += [
        _issue(tree, node, f"{tag} lacks the required element {slot.label}")
        for slot, n in zip(rule.children, counts, strict=True)
        if slot.required and not n
    ]
    return out


def _number_issues(tree: etree._ElementTree, node: etree._Element) -> list[Issue]:
    out = []
    values = [(f"@{a}", node.get(a)) for a in _NUMBER_ATTRS]
    if node.tag == "Money":
        values.append(("", node.text or ""))
    for where, value in values:
        if value is not None and xsd_decimal(value) is None:
            out.append(_issue(tree, node, f"{node.tag}{where} {value[:40]!r} is not a number"))
    return out


def structure_issues(root: etree._Element) -> list[Issue]:
    """A located issue for each place the document departs from the encoded DTD."""
    tree = root.getroottree()
    out: list[Issue] = []
    for node in root.iter(etree.Element):
        rule = _RULES.get(node.tag) if isinstance(node.tag, str) else None
        if rule is not None:
            out += _element_issues(tree, node, rule)
        out += _number_issues(tree, node)
    return out
