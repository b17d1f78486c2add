"""XML backend: UBL 2.1 (Order, OrderResponse, DespatchAdvice, Invoice, CreditNote,
ApplicationResponse) both ways; cXML OrderRequest read, InvoiceDetailRequest and
ShipNoticeRequest both ways, ConfirmationRequest both ways; XSD validation (UBL), the cXML
DTD's structure (checked without fetching the DTD), XSLT dialects.

Implements the ``translators.api.Backend`` protocol. One XML file is one document. A
partner's own dialect is mapped to UBL by an inbound XSLT before reading, and from UBL by
an outbound XSLT after writing; stylesheets may not read files or the network.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol

from lxml import etree

from ..acks.xml import build_ack
from ..api import WriteSettings
from ..errors import Issue, RenderError, SizeLimitError, SyntaxFault, TranslationError
from ..model import Document, Envelope, PartyId
from ..result import GroupResult, InterchangeResult, MessageResult
from ..writable import XML, check_documents
from .cxml import envelope_of
from .cxml_dtd import structure_issues
from .cxml_read import READERS as _CXML_READERS
from .cxml_write import WRITERS as _CXML_WRITERS
from .cxml_write import doctype
from .keys import key_issues
from .numbers import decimal_issues
from .safe import MAX_BYTES, parse
from .ubl_billing_read import READERS as _BILLING_READERS
from .ubl_billing_write import WRITERS as _BILLING_WRITERS
from .ubl_ordering import WRITERS as _ORDERING_WRITERS
from .ubl_read import NS, text
from .ubl_read import READERS as _READERS

__all__ = ["TARGETS", "Validator", "build_ack", "read", "stream", "transform", "write", "xslt"]

_UBL = "urn:oasis:names:specification:ubl:schema:xsd:"
READERS = {**_READERS, **_BILLING_READERS}
#: target name -> (document kind, UBL builder). ``ubl:OrderAgreement`` writes an order
#: response as a Peppol order agreement (BIS 42: an OrderResponse with its own
#: CustomizationID, no response codes, with totals); ``ubl:OrderResponse`` as a BIS 28 one.
WRITERS = {**_ORDERING_WRITERS, **_BILLING_WRITERS}
#: every target ``write`` accepts: the UBL documents, then the cXML requests
TARGETS = (*WRITERS, *_CXML_WRITERS)
#: which party speaks for a UBL document: its EndpointID (or first id) is the sender
_SENDER = {
    "Order": "cac:BuyerCustomerParty",
    "OrderResponse": "cac:SellerSupplierParty",
    "DespatchAdvice": "cac:DespatchSupplierParty",
    "Invoice": "cac:AccountingSupplierParty",
    "CreditNote": "cac:AccountingSupplierParty",
    "ApplicationResponse": "cac:SenderParty",
}
_RECEIVER = {
    "Order": "cac:SellerSupplierParty",
    "OrderResponse": "cac:BuyerCustomerParty",
    "DespatchAdvice": "cac:DeliveryCustomerParty",
    "Invoice": "cac:AccountingCustomerParty",
    "CreditNote": "cac:AccountingCustomerParty",
    "ApplicationResponse": "cac:ReceiverParty",
}


class Validator(Protocol):
    """An XSD check built at the edge (gateway.xml_schemas), used here without I/O."""

    def validate(self, root: etree._Element) -> list[Issue]: ...


def xslt(stylesheet: bytes) -> etree.XSLT:
    """A partner dialect stylesheet that can neither read files nor reach the network."""
    access = etree.XSLTAccessControl.DENY_ALL  # type: ignore[attr-defined]  # not in lxml-stubs
    return etree.XSLT(parse(stylesheet), access_control=access)


def transform(root: etree._Element, style: etree.XSLT) -> etree._Element:
    try:
        result = style(root)
    except etree.XSLTApplyError as exc:
        raise TranslationError(f"partner XSLT failed: {exc}") from exc
    out = result.getroot()
    if out is None:
        raise TranslationError("partner XSLT produced no document")
    return out


def _endpoint(root: etree._Element, path: str | None) -> PartyId | None:
    if path is None:
        return None
    node = root.find(f"{path}/cac:Party/cbc:EndpointID", NS)
    if node is None:
        node = root.find(f"{path}/cac:Party/cac:PartyIdentification/cbc:ID", NS)
    if node is None or not node.text:
        return None
    return PartyId(id=node.text.strip(), qualifier=node.get("schemeID"))


def _cxml_kind(root: etree._Element) -> str:
    """The request a cXML document carries (the Request element's child)."""
    return next((str(c.tag) for c in root.iterfind("Request/*")), "cXML")


def _message(
    root: etree._Element, validator: Validator | None
) -> tuple[MessageResult, Envelope | None]:
    qname = etree.QName(root)
    name, ns = qname.localname, qname.namespace or ""
    issues = validator.validate(root) if validator is not None else []
    env: Envelope | None = None
    document = None
    if ns.startswith(_UBL) and name in READERS:
        env = Envelope(
            format="xml",
            version=text(root, "cbc:UBLVersionID"),
            message_type=name,
            sender=_endpoint(root, _SENDER.get(name)),
            receiver=_endpoint(root, _RECEIVER.get(name)),
            message_control=text(root, "cbc:ID"),
        )
        issues += decimal_issues(root)
        if not any(i.is_error for i in issues):
            document = READERS[name](root, env)
            issues += key_issues(root, name)
            if any(i.is_error for i in issues):  # an SSCC with a wrong check digit
                document = None
    elif name == "cXML" and _cxml_kind(root) in _CXML_READERS:
        kind = _cxml_kind(root)
        env = envelope_of(root, kind)
        issues += structure_issues(root)
        if not any(i.is_error for i in issues):
            document = _CXML_READERS[kind](root, env)
    else:
        kind = name if name != "cXML" else _cxml_kind(root)
        issues.append(
            Issue(
                level="document",
                code="not_supported",
                xpath=f"/{name}",
                message=f"XML document {kind!r} ({ns or 'no namespace'}) is not supported",
            )
        )
    control = env.message_control if env else None
    return MessageResult(
        code=(env.message_type if env else None) or name,
        control=control,
        version=env.version if env else None,
        document=document,
        issues=tuple(issues),
        interchange_control=control,
    ), env


def read(
    data: bytes,
    *,
    inbound_xslt: etree.XSLT | None = None,
    validator: Validator | None = None,
    max_bytes: int = MAX_BYTES,
) -> list[InterchangeResult]:
    try:
        root = parse(data, max_bytes=max_bytes)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 0
        issue = Issue(
            level="document",
            code="not_well_formed",
            xpath=f"line {line}",
            message=f"not well-formed XML: {exc.msg}",
        )
        raise SyntaxFault(issue.message, issues=(issue,), code=issue.code) from exc
    if inbound_xslt is not None:
        root = transform(root, inbound_xslt)
    message, env = _message(root, validator)
    return [
        InterchangeResult(
            syntax="xml",
            sender=env.sender if env else None,
            receiver=env.receiver if env else None,
            control=message.control,
            version=env.version if env else None,
            groups=(
                GroupResult(
                    functional_id=message.code,
                    sender=None,
                    receiver=None,
                    control=None,
                    version=None,
                    implicit=True,
                    messages=(message,),
                ),
            ),
        )
    ]


def stream(chunks: Iterable[bytes]) -> Iterator[MessageResult | InterchangeResult]:
    """An XML file is one document: collect it (bounded), then read it."""
    data = bytearray()
    for chunk in chunks:
        data += chunk
        if len(data) > MAX_BYTES:
            raise SizeLimitError(f"XML document exceeds the {MAX_BYTES} byte limit")
    for ix in read(bytes(data)):
        yield from ix.messages
        yield ix


def write(
    documents: Sequence[Document],
    *,
    target: str,
    settings: WriteSettings,
    outbound_xslt: etree.XSLT | None = None,
) -> bytes:
    entry = WRITERS.get(target)
    cxml = _CXML_WRITERS.get(target)
    kind = entry[0] if entry else cxml[0] if cxml else None
    if kind is None:
        raise RenderError(f"cannot write {target}: supported are {', '.join(TARGETS)}")
    if len(documents) != 1:
        raise RenderError("an XML file holds exactly one document")
    (doc,) = documents
    if not isinstance(doc, kind):
        raise RenderError(f"{target} writes {kind.type} documents, not {doc.type}")
    check_documents([doc], XML, gs1=settings.check_gs1)
    root = cxml[1](doc, settings) if cxml else entry[1](doc)  # type: ignore[index]
    if outbound_xslt is not None:
        root = transform(root, outbound_xslt)
    data = bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
    if cxml is None or outbound_xslt is not None:
        return data
    declaration, _, body = data.partition(b"\n")
    return b"\n".join((declaration, doctype(root, cxml[2]).encode(), body))
