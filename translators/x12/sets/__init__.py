"""Transaction sets: generic element checks, then the set's own mapping.

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
from ..specs import VALID, element_errors
from ..tokenizer import Segment
from . import acks, invoice, orders, ship_notice
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

#: Segments without which a set cannot be understood (AK3 code 3 when absent).
REQUIRED: Mapping[str, tuple[str, ...]] = {
    "850": ("BEG",),
    "855": ("BAK",),
    "856": ("BSN", "HL"),
    "810": ("BIG", "TDS"),
    "997": ("AK1", "AK9"),
    "999": ("AK1", "AK9"),
}
#: Beginning segments of other sets: inside this set they are unexpected (AK3 code 2).
_FOREIGN = {"BEG": "850", "BAK": "855", "BSN": "856", "BIG": "810", "AK1": "997"}


def _element_issues(segments: list[Segment], code: str) -> list[Issue]:
    issues: list[Issue] = []
    valid_for = VALID.get
    for index, seg in enumerate(segments, start=1):
        tag = seg.tag
        if tag in _FOREIGN:
            owner = _FOREIGN[tag]
            if owner != code and not (owner == "997" and code == "999"):
                issues.append(
                    Issue(
                        level="segment",
                        code="2",
                        message=f"{tag} does not belong in a {code}",
                        segment_number=seg.number,
                        segment_index=index,
                        segment_tag=tag,
                    )
                )
        valid = valid_for(tag)
        if valid is None or valid(seg.elements):  # the common case: nothing to report
            continue
        for err in element_errors(seg.elements):
            issues.append(
                Issue(
                    level="element",
                    code=err.code,
                    message=err.message,
                    segment_number=seg.number,
                    segment_index=index,
                    segment_tag=tag,
                    element=err.position,
                    bad_value=err.value,
                )
            )
    return issues


def _missing(segments: list[Segment], code: str) -> list[Issue]:
    present = {s.tag for s in segments}
    end = segments[-1]
    return [
        Issue(
            level="segment",
            code="3",
            message=f"mandatory segment {tag} is missing",
            segment_number=end.number,
            segment_index=len(segments),
            segment_tag=tag,
        )
        for tag in REQUIRED.get(code, ())
        if tag not in present
    ]


def read_set(segments: list[Segment], envelope: Envelope, issues: list[Issue]) -> MessageResult:
    st = segments[0]
    code = st.get(1)
    mapper = MAPPERS.get(code)
    found = [*issues, *_element_issues(segments, code)]
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
        found += _missing(segments, code)
        if not any(i.is_error for i in found):
            document, more = mapper(segments, envelope)
            found += more
            found += key_issues(segments, code)
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
