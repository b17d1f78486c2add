"""CONTRL: the EDIFACT syntax and service report for a received interchange.

Positive: UCI with action 7 (interchange acknowledged). Negative: UCI with action 4 and
the interchange error code when the envelope is wrong; otherwise one UCM per message
with its action (7 or 4) and UCS (segment position, code) and UCD (code,
element:component) for each located issue: under a rejected message its errors, under an
acknowledged one what was noted (an unknown segment ignored, a value kept with a
warning). The envelope mirrors the inbound one.
"""

from __future__ import annotations

from dataclasses import replace

from ..api import WriteSettings
from ..edifact.writer import Body, envelope
from ..errors import Issue, RenderError
from ..result import InterchangeResult, MessageResult

__all__ = ["build_ack", "build_contrl"]

ACKNOWLEDGED, REJECTED = "7", "4"


def _ucs_ucd(issues: tuple[Issue, ...]) -> Body:
    out: Body = []
    for issue in issues:
        if issue.level not in ("segment", "element") or issue.segment_index is None:
            continue
        if issue.level == "segment":
            out.append([["UCS"], [str(issue.segment_index)], [issue.code]])
        else:
            out.append([["UCS"], [str(issue.segment_index)]])
            position = [str(issue.element or "")]
            if issue.component:
                position.append(str(issue.component))
            out.append([["UCD"], [issue.code], position])
    return out


def _ucm(m: MessageResult) -> Body:
    rejected = m.status == "rejected"
    codes = [i.code for i in m.issues if i.level == "message" and i.is_error]
    directory = (m.version[:1], m.version[1:]) if m.version else ("", "")
    s009 = [m.code, *directory, "UN"]
    ucm = [["UCM"], [m.control or ""], s009, [REJECTED if rejected else ACKNOWLEDGED]]
    if rejected and codes:
        ucm.append([codes[0]])
    # an acknowledged message (7) still names what was noted (an unknown segment ignored,
    # UCS 15; a lower-case letter under UNOA, UCD 21): the partner learns of it, and the
    # action says the message itself was taken
    return [ucm, *_ucs_ucd(m.issues)]


def build_contrl(ix: InterchangeResult, settings: WriteSettings) -> bytes:
    sender = settings.sender or ix.receiver
    receiver = settings.receiver or ix.sender
    if sender is None or receiver is None:
        raise RenderError("the inbound interchange has no UNB ids to answer to")
    envelope_errors = [i for i in ix.issues if i.is_error]
    uci = [
        ["UCI"],
        [ix.control or ""],
        [ix.sender.id, ix.sender.qualifier or ""] if ix.sender else [""],
        [ix.receiver.id, ix.receiver.qualifier or ""] if ix.receiver else [""],
        [REJECTED if envelope_errors else ACKNOWLEDGED],
    ]
    if envelope_errors:
        uci.append([envelope_errors[0].code])
    body: Body = [uci]
    if not envelope_errors:
        for m in ix.messages:
            if m.status != "accepted" or ix.status != "accepted":
                body += _ucm(m)
    charset = (ix.version or "UNOC").split(":")[0]
    answer = replace(
        settings,
        charset=settings.charset or charset,
        delimiters=settings.delimiters or ix.delimiters,
    )
    return envelope([("CONTRL", "D:3", body)], answer, sender=sender, receiver=receiver)


def build_ack(ix: InterchangeResult, *, kind: str, settings: WriteSettings) -> bytes | None:
    if kind != "CONTRL":
        raise RenderError(f"the EDIFACT acknowledgement is CONTRL, not {kind!r}")
    return build_contrl(ix, settings)
