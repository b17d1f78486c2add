"""Profile checks on a read interchange, expressed as extra located issues.

Adding the finding to the interchange (rather than raising) means the negative
acknowledgement is built by the same translator code as for any syntax error: an
impostor sender becomes a TA1 006 / CONTRL UCI 23, a kind the partner may not send an
AK5 1 / UCM 17.
"""

from __future__ import annotations

import dataclasses

from translators import InterchangeResult, Issue, MessageResult

from ..profiles import Profile

__all__ = [
    "answer_duplicate",
    "check_interchange",
    "duplicate_key",
    "is_duplicate_answer",
    "rejected_by_ack",
    "sender_refused",
]

#: "sender not known / not agreed" in each syntax's interchange-level code list.
_SENDER_CODE = {"x12": "006", "edifact": "23", "xml": "sender"}
#: "message/set not supported or not agreed" at message level.
_KIND_CODE = {"x12": "1", "edifact": "17", "xml": "not_allowed"}
_SENDER_REF = "sender_not_partner"
#: "duplicate interchange" in each syntax's interchange-level code list (XML has none).
_DUPLICATE_CODE = {"x12": "025", "edifact": "26"}
_DUPLICATE_REF = "duplicate_interchange"


def _refuse_sender(ix: InterchangeResult, profile: Profile) -> InterchangeResult:
    """A sender the profile does not own is refused; so is a document that names none,
    unless the profile says the transport's authentication is enough (``[xml] sender =
    "transport"``): otherwise one file could stand for any partner it is sent as."""
    sender = ix.sender
    if sender is None:
        if ix.syntax == "xml" and profile.xml_sender == "transport":
            return ix
        why = f"the document names no sender, and partner {profile.id!r} requires one"
        return _refused(ix, why)
    if profile.owns_sender(ix.syntax, sender.qualifier, sender.id):
        return ix
    shown = f"{sender.qualifier}/{sender.id}" if sender.qualifier else sender.id
    return _refused(
        ix, f"envelope sender {shown.strip()} does not belong to partner {profile.id!r}"
    )


def _refused(ix: InterchangeResult, message: str) -> InterchangeResult:
    issue = Issue(
        level="interchange",
        code=_SENDER_CODE[ix.syntax],
        message=message,
        segment_tag={"x12": "ISA", "edifact": "UNB"}.get(ix.syntax),
        segment_number=1 if ix.syntax != "xml" else None,
        element={"x12": 6, "edifact": 2}.get(ix.syntax),
        element_ref=_SENDER_REF,
        interchange_control=ix.control,
    )
    return dataclasses.replace(ix, issues=(*ix.issues, issue))


def _message_problem(
    ix: InterchangeResult, m: MessageResult, profile: Profile
) -> tuple[str, bool, int | None] | None:
    """(what is wrong, refused?, element) for a message the profile does not agree to."""
    if m.kind is not None and m.kind not in profile.inbound:
        return f"partner {profile.id!r} may not send {m.kind} ({m.code})", True, None
    agreed = profile.edifact.version if ix.syntax == "edifact" and profile.edifact else None
    if agreed and m.kind is not None and m.version and m.version != agreed:
        refuse = profile.edifact is not None and profile.edifact.other_versions == "refuse"
        return f"{m.code} in directory {m.version}; agreed with {profile.id!r}: {agreed}", refuse, 2
    return None


def _reject_unknown_segments(m: MessageResult) -> MessageResult:
    """A message whose reader noted a segment its table does not have there (AK304 1 or 2,
    UCS 15) is rejected: the notes become the errors that the ack names (AK3 under AK5 R,
    UCS under UCM action 4), and its document is not kept, so it never reaches the ERP."""
    if m.kind is None or not any(i.is_unexpected_segment and not i.is_error for i in m.issues):
        return m
    issues = tuple(
        dataclasses.replace(i, severity="error") if i.is_unexpected_segment else i for i in m.issues
    )
    return dataclasses.replace(m, document=None, kind=None, issues=issues)


def _check_messages(ix: InterchangeResult, profile: Profile) -> InterchangeResult:
    """Kinds the profile does not list are refused; a message in another EDIFACT
    directory than the agreed one is noted or refused, as ``[edifact] other_versions``
    says (UCM 17, "no agreement"); one with a segment out of its table is noted (as
    read) or rejected, as ``[acks] unknown_segments`` says."""

    def check(m: MessageResult) -> MessageResult:
        if profile.unknown_segments == "reject":
            m = _reject_unknown_segments(m)
        found = _message_problem(ix, m, profile)
        if found is None:
            return m
        message, refuse, element = found
        issue = Issue(
            level="message",
            code=_KIND_CODE[ix.syntax],
            severity="error" if refuse else "warning",
            message=message,
            segment_tag={"x12": "ST", "edifact": "UNH"}.get(ix.syntax),
            segment_number=m.first_segment,
            segment_index=1 if ix.syntax != "xml" else None,
            element=element,
            message_control=m.control,
        )
        if not refuse:
            return dataclasses.replace(m, issues=(*m.issues, issue))
        return dataclasses.replace(m, document=None, kind=None, issues=(*m.issues, issue))

    groups = tuple(
        dataclasses.replace(g, messages=tuple(check(m) for m in g.messages)) for g in ix.groups
    )
    return dataclasses.replace(ix, groups=groups)


def _strict_charset(ix: InterchangeResult) -> InterchangeResult:
    """``[edifact] strict_charset``: the reader's CONTRL 21 warnings (lower case under
    UNOA) become errors, so the message (or, in UNB, the interchange) is rejected."""

    def strict(issues: tuple[Issue, ...]) -> tuple[Issue, ...]:
        return tuple(
            dataclasses.replace(i, severity="error") if i.code == "21" and not i.is_error else i
            for i in issues
        )

    def check(m: MessageResult) -> MessageResult:
        issues = strict(m.issues)
        if issues == m.issues:
            return m
        return dataclasses.replace(m, document=None, kind=None, issues=issues)

    groups = tuple(
        dataclasses.replace(g, messages=tuple(check(m) for m in g.messages)) for g in ix.groups
    )
    return dataclasses.replace(ix, issues=strict(ix.issues), groups=groups)


def check_interchange(ix: InterchangeResult, profile: Profile) -> InterchangeResult:
    if ix.syntax == "edifact" and profile.edifact is not None and profile.edifact.strict_charset:
        ix = _strict_charset(ix)
    return _check_messages(_refuse_sender(ix, profile), profile)


def sender_refused(ix: InterchangeResult) -> bool:
    return any(i.element_ref == _SENDER_REF for i in ix.issues)


def duplicate_key(ix: InterchangeResult) -> str | None:
    """Same sender + same interchange control number = the same interchange sent again."""
    control = ix.control or next((m.control for m in ix.messages if m.control), None)
    if control is None:
        return None
    sender = ix.sender
    who = f"{sender.qualifier or ''}:{sender.id.strip()}" if sender else "-"
    return f"{ix.syntax}:{who}:{control.strip()}"


def rejected_by_ack(ix: InterchangeResult) -> tuple[bool, frozenset[str | None]]:
    """What the acknowledgement of ``ix`` rejects as a whole: the interchange (an envelope
    error: TA1 R, CONTRL UCI action 4) and the groups (a GE/UNE error: AK9 R, UCF 4).

    The gateway holds exactly that: a partner that reads "rejected" sends again, so an
    order from a rejected group or interchange handed to the ERP would be entered twice.
    """
    whole = any(i.level == "interchange" and i.is_error for i in ix.issues)
    groups = frozenset(g.control for g in ix.groups if any(i.is_error for i in g.issues))
    return whole, groups


def answer_duplicate(ix: InterchangeResult, first: str) -> InterchangeResult | None:
    """``ix`` with the issue its rejecting ack names (TA1 025, CONTRL UCI 26), for a
    partner whose profile asks for an answer to a repeated interchange; None where the
    syntax has no such answer."""
    code = _DUPLICATE_CODE.get(ix.syntax)
    if code is None:
        return None
    issue = Issue(
        level="interchange",
        code=code,
        message=f"interchange {ix.control} was received before, in message {first}",
        segment_tag={"x12": "ISA", "edifact": "UNB"}[ix.syntax],
        segment_number=1,
        element={"x12": 13, "edifact": 5}[ix.syntax],
        element_ref=_DUPLICATE_REF,
        interchange_control=ix.control,
    )
    return dataclasses.replace(ix, issues=(*ix.issues, issue))


def is_duplicate_answer(ix: InterchangeResult) -> bool:
    return any(i.element_ref == _DUPLICATE_REF for i in ix.issues)
