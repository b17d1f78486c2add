"""GS1 keys in UBL documents: SSCC, GTIN and GLN check digits, as issues located by XPath.

Where ``ubl_read`` takes ids: a party's EndpointID and PartyIdentification, an Order's
DeliveryLocation, an item's Standard- and AdditionalItemIdentification. Among them a GLN
is an id whose schemeID reads as ``gln`` (0088, GLN), a GTIN one whose schemeID reads as
``gtin`` (0160, GTIN) or a StandardItemIdentification without schemeID (the reader takes
it as a GTIN); an SSCC the TransportHandlingUnit ID of a DespatchAdvice line (UBL
2.1 has no SSCCID element; that ID is what ``ubl_read`` takes as the pack's SSCC) when
``ubl_read.is_sscc`` says it is one (schemeID SSCC, or none and 18 characters). A bad
key is code ``check_digit``: a warning (accepted with errors), except an SSCC, which
rejects the despatch advice.
"""

from __future__ import annotations

from lxml import etree

from ..errors import Issue
from ..gs1 import key_issue
from .ubl_read import CAC, CBC, NS, is_sscc, scheme_of

__all__ = ["CHECK_DIGIT", "key_issues"]

CHECK_DIGIT = "check_digit"
_ID = f"{{{CBC}}}ID"
_ENDPOINT = f"{{{CBC}}}EndpointID"
_STANDARD = f"{{{CAC}}}StandardItemIdentification"
_LOCATION = f"{{{CAC}}}DeliveryLocation"
#: parents of a cbc:ID that the reader takes as a party, location or item id
_ID_PARENTS = frozenset(
    f"{{{CAC}}}{name}"
    for name in (
        "PartyIdentification",
        "DeliveryLocation",
        "StandardItemIdentification",
        "AdditionalItemIdentification",
    )
)
_SSCC = "cac:DespatchLine/cac:Shipment/cac:TransportHandlingUnit/cbc:ID"


def _issue(node: etree._Element, key: str, *, error: bool = False) -> Issue | None:
    return key_issue(
        key,
        (node.text or "").strip(),
        code=CHECK_DIGIT,
        level="document",
        error=error,
        xpath=node.getroottree().getpath(node),
    )


def key_issues(root: etree._Element, name: str) -> list[Issue]:
    """A located issue for each SSCC, GTIN or GLN of the document with a bad check digit."""
    found: list[Issue | None] = []
    for node in root.iter(_ID, _ENDPOINT):
        parent = node.getparent()
        parent_tag = parent.tag if parent is not None else None
        if node.tag == _ID and parent_tag not in _ID_PARENTS:
            continue
        if parent_tag == _LOCATION and name != "Order":  # only an Order's is read
            continue
        scheme_id = node.get("schemeID")
        if scheme_id:
            key = scheme_of(scheme_id)
        elif parent_tag == _STANDARD:
            key = "gtin"
        else:
            continue
        if key in ("gln", "gtin") and (node.text or "").strip():
            found.append(_issue(node, key))
    if name == "DespatchAdvice":
        for node in root.iterfind(_SSCC, NS):
            if (node.text or "").strip() and is_sscc(node):
                found.append(_issue(node, "sscc", error=True))
    return [i for i in found if i is not None]
