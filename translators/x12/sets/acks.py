"""Reading 997 / 999 functional acknowledgements and TA1 interchange acknowledgements."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from ...errors import Issue
from ...model import AckError, AckRef, Document, Envelope, FunctionalAck, PartyId
from ...text import digits
from ..common import parse_date
from ..tokenizer import Segment

__all__ = ["STATUS", "read_997", "read_ta1"]

AckStatus = Literal["accepted", "accepted_with_errors", "rejected"]

#: AK501 / IK501 / AK901 / TA104 -> canonical status.
STATUS: Mapping[str, AckStatus] = {
    "A": "accepted",
    "E": "accepted_with_errors",
    "P": "accepted_with_errors",
    "R": "rejected",
    "M": "rejected",
    "W": "rejected",
    "X": "rejected",
}


def _codes(seg: Segment, start: int) -> tuple[str, ...]:
    return tuple(e for e in seg.elements[start:] if e)


def _position(value: str, component: str) -> tuple[int | None, int | None]:
    """AK401 / IK401 (C030): element position, optionally ``:component:repetition``."""
    parts = value.split(component)
    nums = [int(p) if digits(p) else None for p in parts]
    return (nums[0] if nums else None), (nums[1] if len(nums) > 1 else None)


def read_997(segments: list[Segment], envelope: Envelope) -> tuple[Document, list[Issue]]:
    refs: list[AckRef] = []
    group: dict[str, object] = {}
    current: dict[str, object] | None = None
    errors: list[AckError] = []
    seg_ctx: tuple[str, int | None] = ("", None)

    def close_set() -> None:
        nonlocal current, errors
        if current is not None:
            refs.append(AckRef(level="message", errors=tuple(errors), **current))  # type: ignore[arg-type]
        current, errors = None, []

    for seg in segments[1:-1]:
        tag = seg.tag
        if tag == "AK1":
            group = {"control": seg.get(2).strip(), "code": seg.get(1) or None}
        elif tag == "AK2":
            close_set()
            current = {"control": seg.get(2).strip(), "code": seg.get(1) or None}
        elif tag in ("AK3", "IK3"):
            pos = seg.get(2).strip()
            seg_ctx = (seg.get(1), int(pos) if digits(pos) else None)
            errors.append(
                AckError(code=seg.get(4), segment_tag=seg.get(1), segment_index=seg_ctx[1])
            )
        elif tag in ("AK4", "IK4"):
            element, component = _position(seg.get(1), seg.delimiters.component)
            errors.append(
                AckError(
                    code=seg.get(3),
                    segment_tag=seg_ctx[0] or None,
                    segment_index=seg_ctx[1],
                    element=element,
                    component=component,
                    message=seg.get(4) or None,
                )
            )
        elif tag in ("AK5", "IK5") and current is not None:
            current["status"] = STATUS.get(seg.get(1), "rejected")
            current["codes"] = _codes(seg, 2)
            close_set()
        elif tag == "AK9":
            group["status"] = STATUS.get(seg.get(1), "rejected")
            group["codes"] = _codes(seg, 5)
    close_set()
    status: AckStatus = group.get("status", "accepted")  # type: ignore[assignment]
    group_ref = AckRef(level="group", **group)  # type: ignore[arg-type]
    doc = FunctionalAck(
        number=envelope.message_control,
        date=None,
        envelope=envelope,
        status=status,
        acknowledges=(group_ref, *refs),
    )
    return doc, []


def read_ta1(seg: Segment, isa: Segment) -> tuple[Document, list[Issue]]:
    status = STATUS.get(seg.get(4), "rejected")
    note = seg.get(5)
    doc = FunctionalAck(
        number=seg.get(1).strip() or None,
        date=parse_date(seg.get(2)),
        envelope=Envelope(
            format="x12",
            message_type="TA1",
            sender=PartyId(id=isa.get(6).strip(), qualifier=isa.get(5).strip() or None),
            receiver=PartyId(id=isa.get(8).strip(), qualifier=isa.get(7).strip() or None),
            interchange_control=isa.get(13).strip() or None,
            test=isa.get(15).strip() == "T",
            syntax_version=isa.get(12) or None,
        ),
        status=status,
        acknowledges=(
            AckRef(
                level="interchange",
                control=seg.get(1).strip(),
                status=status,
                codes=(note,) if note else (),
            ),
        ),
        errors=(AckError(code=note),) if note and note != "000" else (),
    )
    return doc, []
