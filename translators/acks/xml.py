"""UBL ApplicationResponse: the acknowledgement of a received XML document.

ResponseCode AP (accepted) or RE (rejected) for the document, and for each located
problem a LineResponse whose LineID is the XPath of the fault, so the partner's system
can point at it. Sender and receiver mirror the inbound document's parties.
"""

from __future__ import annotations

from lxml import etree

from ..api import WriteSettings
from ..errors import RenderError
from ..model import Party, PartyId
from ..result import InterchangeResult
from ..xml.ubl_write import element, party, root_element

__all__ = ["build_ack"]


def _party(pid: PartyId | None, fallback: str) -> Party:
    if pid is None:
        return Party(ids={"ubl": fallback})
    scheme = f"ubl:{pid.qualifier}" if pid.qualifier else "ubl"
    return Party(ids={scheme: pid.id})


def build_ack(ix: InterchangeResult, *, kind: str, settings: WriteSettings) -> bytes | None:
    if kind != "ApplicationResponse":
        raise RenderError(f"the XML acknowledgement is ApplicationResponse, not {kind!r}")
    root = root_element("ApplicationResponse")
    element(root, "cbc:ID", str(settings.message_control))
    element(root, "cbc:IssueDate", settings.timestamp.date().isoformat())
    party(
        root, "cac:SenderParty", _party(settings.sender or ix.receiver, "receiver"), endpoint=True
    )
    party(
        root, "cac:ReceiverParty", _party(settings.receiver or ix.sender, "sender"), endpoint=True
    )
    for m in ix.messages:
        response = element(root, "cac:DocumentResponse")
        rejected = m.status == "rejected"
        body = element(response, "cac:Response")
        element(body, "cbc:ResponseCode", "RE" if rejected else "AP")
        if rejected:
            element(body, "cbc:Description", f"{len(m.issues)} problem(s) found")
        ref = element(response, "cac:DocumentReference")
        element(ref, "cbc:ID", m.control or "")
        element(ref, "cbc:DocumentTypeCode", m.code)
        for issue in m.issues:
            line = element(response, "cac:LineResponse")
            element(element(line, "cac:LineReference"), "cbc:LineID", issue.xpath or "/")
            answer = element(line, "cac:Response")
            element(answer, "cbc:ResponseCode", issue.code)
            element(answer, "cbc:Description", issue.message)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
