"""Transaction sets: generic element checks and the set's table (``structure``), then
the set's own mapping.

A mapper takes the set's segments (ST..SE) and returns the canonical document plus any
issues only it can see (CTT totals, HL structure); GS1 keys with a bad check digit are
then located by ``keys``. A set with an error is rejected: its
``MessageResult.document`` is None and its issues say why, located for AK3/AK4.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from ...errors import Issue
from ...model import Document, Envelope
from ...result import MessageResult
from ..specs import RULES, Rules
from ..tokenizer import Segment
from . import acks, invoice, orders, ship_notice, structure
from .keys import key_issues

__all__ = ["MAPPERS", "read_set", "read_ta1"]

Mapper = Callable[[list[Segment], Envelope], tuple[Document, list[Issue]]]

MAPPERS: Mapping[str, Mapper] = {
    "850": orders.read_850,
    "855": orders.read_855,
    "856": ship_notice.read_856,
    "810": invoice.read_810,
    "997": acks.read_997,
    "999": acks.read_997,
}


def _element_issues(segments: list[Segment], rules: Rules) -> list[Issue]:
    issues: list[Issue] = []
    valid_for = rules.valid.get
    for index, seg in enumerate(segments, start=1):
        valid = valid_for(seg.tag)
        if valid is None or valid(seg.elements):  # the common case: nothing to report
            continue
        for err in rules.errors(seg.elements):
            issues.append(
                Issue(
                    level="element",
                    code=err.code,
                    message=err.message,
                    segment_number=seg.number,
                    segment_index=index,
                    segment_tag=seg.tag,
                    element=err.position,
                    element_ref=err.ref,
                    bad_value=err.value,
                )
            )
    return issues


def _in_loops(issues: list[Issue], segments: list[Segment], loops: tuple[str, ...]) -> list[Issue]:
    """Each segment or element issue with the loop its segment stands in (AK303 / IK303);
    a missing segment's issue names a tag that is not there and keeps its own."""

    def loop_of(issue: Issue) -> str:
        index = issue.segment_index
        if issue.loop_id is not None or issue.level not in ("segment", "element"):
            return ""
        if index is None or not 0 < index <= len(loops):
            return ""
        return loops[index - 1] if segments[index - 1].tag == issue.segment_tag else ""

    return [replace(i, loop_id=loop) if (loop := loop_of(i)) else i for i in issues]


def read_set(
    segments: list[Segment], envelope: Envelope, issues: list[Issue], rules: Rules = RULES
) -> MessageResult:
    """The set's document and issues, its elements checked by ``rules`` (its release's)."""
    st = segments[0]
    code = st.get(1)
    mapper = MAPPERS.get(code)
    found = [*issues, *_element_issues(segments, rules)]
    placed = structure.place(segments, code)
    document = None
    if mapper is None:
        found.append(
            Issue(
                level="message",
                code="1",
                message=f"transaction set {code!r} is not supported",
                segment_number=st.number,
                segment_index=1,
                segment_tag="ST",
                element=1,
            )
        )
    else:
        found += placed.issues if placed is not None else ()
        if not any(i.is_error for i in found):
            document, more = mapper(segments, envelope)
            found += more
            found += key_issues(segments, code)
    if placed is not None and found:
        found = _in_loops(found, segments, placed.loops)
    located = [i if i.message_control else _with_control(i, envelope) for i in found]
    rejected = any(i.is_error for i in located)
    return MessageResult(
        code=code,
        control=st.get(2).strip() or None,
        version=st.get(3) or envelope.version,
        document=None if rejected else document,
        issues=tuple(located),
        segment_count=len(segments),
        first_segment=st.number,
        interchange_control=envelope.interchange_control,
        group_control=envelope.group_control,
    )


def _with_control(issue: Issue, envelope: Envelope) -> Issue:
    return replace(
        issue,
        message_control=envelope.message_control,
        group_control=envelope.group_control,
        interchange_control=envelope.interchange_control,
    )


def read_ta1(seg: Segment, isa: Segment) -> MessageResult:
    document, issues = acks.read_ta1(seg, isa)
    return MessageResult(
        code="TA1",
        control=seg.get(1).strip() or None,
        document=document,
        issues=tuple(issues),
        segment_count=1,
        first_segment=seg.number,
        interchange_control=isa.get(13).strip() or None,
    )
