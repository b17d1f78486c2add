"""EDIFACT envelopes: UNB/UNZ, optional UNG/UNE, UNH/UNT, as a state machine.

Issues carry CONTRL codes (0085) at the level CONTRL reports them: interchange (UCI),
group (UCF), message (UCM), segment (UCS) and element (UCD). Messages are mapped as
soon as their UNT arrives and yielded at once, so memory holds one message.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..errors import Issue, SyntaxFault
from ..model import Envelope, PartyId
from ..result import GroupResult, InterchangeResult, MessageResult
from ..segmented import issue_at, read_all, run, take_flaws
from ..text import digits
from .common import parse_date
from .messages import read_message
from .tokenizer import CHARSETS, Segment, blocks

__all__ = ["read", "stream"]


def _count(value: str) -> int | None:
    value = value.strip()
    return int(value) if digits(value) else None


@dataclass(slots=True)
class _Group:
    header: Segment | None
    messages: list[MessageResult] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


#: Tags ``feed`` must see even inside a message (``run`` appends the others to it).
_ENDS = frozenset({"UNA", "UNB", "UNT", "UNH", "UNE", "UNZ", "UNG"})


class _Reader:
    ends = _ENDS

    def __init__(self, keep_documents: bool) -> None:
        self.keep = keep_documents
        self.unb: Segment | None = None
        self.groups: list[GroupResult] = []
        self.issues: list[Issue] = []
        self.group: _Group | None = None
        self.body: list[Segment] | None = None  # the open message, UNH first
        self.last: Segment | None = None
        self.units = 0  # messages, or groups when UNG is used: what UNZ counts
        #: invalid characters the tokenizer found, until their message or interchange closes
        self.flaws: list[Issue] = []

    def _start(self, seg: Segment) -> None:
        self.unb, self.groups, self.issues, self.units = seg, [], [], 0
        self.group = None
        syntax_id = seg.get(1, 1)
        if syntax_id.upper() not in CHARSETS:
            self.issues.append(
                Issue(
                    level="interchange",
                    code="2",
                    message=f"syntax identifier {syntax_id!r} is not supported: "
                    f"expected one of {', '.join(CHARSETS)}",
                    segment_number=seg.number,
                    segment_tag="UNB",
                    element=1,
                    component=1,
                )
            )

    def _envelope(self, unh: Segment) -> Envelope:
        unb = self.unb
        assert unb is not None
        ung = self.group.header if self.group else None
        return Envelope(
            format="edifact",
            version=f"{unh.get(2, 2)}{unh.get(2, 3)}" or None,
            message_type=unh.get(2, 1) or None,
            sender=PartyId(id=unb.get(2, 1), qualifier=unb.get(2, 2) or None),
            receiver=PartyId(id=unb.get(3, 1), qualifier=unb.get(3, 2) or None),
            group_sender=ung.get(2, 1) if ung else None,
            group_receiver=ung.get(3, 1) if ung else None,
            interchange_control=unb.get(5) or None,
            group_control=ung.get(5) if ung else None,
            message_control=unh.get(1) or None,
            test=unb.get(11) == "1",
            syntax_version=":".join(c for c in unb.elements[0] if c) if unb.elements else None,
        )

    def _close_message(self, unt: Segment | None) -> MessageResult:
        segments, self.body = self.body, None
        assert segments is not None
        unh = segments[0]
        issues: list[Issue] = []
        if self.flaws:
            end = unt.number if unt is not None else segments[-1].number
            issues += take_flaws(self.flaws, unh.number, end)
        if unt is None:
            issues.append(issue_at("message", "13", "message has no UNT trailer", segments[-1]))
        else:
            segments.append(unt)
            if unt.get(2) != unh.get(1):
                issues.append(
                    issue_at(
                        "message",
                        "28",
                        f"UNT reference {unt.get(2)!r} does not match UNH {unh.get(1)!r}",
                        unt,
                        element=2,
                        segment_index=len(segments),
                    )
                )
            if _count(unt.get(1)) != len(segments):
                issues.append(
                    issue_at(
                        "message",
                        "29",
                        f"UNT says {unt.get(1)!r} segments, found {len(segments)}",
                        unt,
                        element=1,
                        segment_index=len(segments),
                    )
                )
        result = read_message(segments, self._envelope(unh), issues)
        if self.group is None:
            self.group = _Group(header=None)
        self.group.messages.append(
            result if self.keep else dataclasses.replace(result, document=None)
        )
        if self.group.header is None:
            self.units += 1
        return result

    def _close_group(self, une: Segment | None) -> None:
        g = self.group
        if g is None:
            return
        self.group = None
        ung = g.header
        if ung is not None:
            self.units += 1
            if une is None:
                g.issues.append(
                    issue_at("group", "13", "group has no UNE trailer", self.last or ung)
                )
            else:
                if une.get(2) != ung.get(5):
                    g.issues.append(
                        issue_at("group", "28", "UNE reference does not match UNG", une, element=2)
                    )
                if _count(une.get(1)) != len(g.messages):
                    g.issues.append(
                        issue_at(
                            "group",
                            "29",
                            f"UNE says {une.get(1)!r} messages, found {len(g.messages)}",
                            une,
                            element=1,
                        )
                    )
        self.groups.append(
            GroupResult(
                functional_id=ung.get(1) if ung else None,
                sender=ung.get(2, 1) if ung else None,
                receiver=ung.get(3, 1) if ung else None,
                control=ung.get(5) if ung else None,
                version=f"{ung.get(6, 2)}{ung.get(6, 3)}" if ung else None,
                messages=tuple(g.messages),
                issues=tuple(g.issues),
                implicit=ung is None,
            )
        )

    def _close_interchange(self, unz: Segment | None) -> list[MessageResult | InterchangeResult]:
        out: list[MessageResult | InterchangeResult] = []
        if self.body is not None:
            out.append(self._close_message(None))
        self._close_group(None)
        unb = self.unb
        assert unb is not None
        if self.flaws:  # in the envelope (UNB, UNG, UNZ ...): the interchange's own
            self.issues += [dataclasses.replace(f, level="interchange") for f in self.flaws]
            self.flaws.clear()
        if unz is None:
            self.issues.append(
                issue_at(
                    "interchange",
                    "13",
                    "interchange ends without UNZ (truncated)",
                    self.last or unb,
                )
            )
        else:
            if unz.get(2) != unb.get(5):
                self.issues.append(
                    issue_at(
                        "interchange",
                        "28",
                        f"UNZ reference {unz.get(2)!r} does not match UNB {unb.get(5)!r}",
                        unz,
                        element=2,
                    )
                )
            if _count(unz.get(1)) != self.units:
                self.issues.append(
                    issue_at(
                        "interchange",
                        "29",
                        f"UNZ says {unz.get(1)!r}, found {self.units}",
                        unz,
                        element=1,
                    )
                )
        stamp = unb.get(4, 1)
        out.append(
            InterchangeResult(
                syntax="edifact",
                sender=PartyId(id=unb.get(2, 1), qualifier=unb.get(2, 2) or None),
                receiver=PartyId(id=unb.get(3, 1), qualifier=unb.get(3, 2) or None),
                control=unb.get(5) or None,
                version=":".join(c for c in unb.elements[0] if c) if unb.elements else None,
                test=unb.get(11) == "1",
                date=parse_date(stamp, "102" if len(stamp) == 8 else "101"),
                time=unb.get(4, 2) or None,
                delimiters=unb.delimiters,
                groups=tuple(self.groups),
                issues=tuple(self.issues),
                streamed=not self.keep,
                ack_requested=unb.get(9) == "1",
            )
        )
        self.unb = None
        return out

    def feed(self, seg: Segment) -> list[MessageResult | InterchangeResult] | None:
        tag = seg.tag
        self.last = seg
        if tag == "UNA":
            return None
        if tag == "UNB":
            before = self._close_interchange(None) if self.unb is not None else None
            self._start(seg)
            return before
        if self.unb is None:
            raise SyntaxFault(
                "segment outside an interchange",
                issues=(issue_at("interchange", "33", f"{tag} outside UNB/UNZ", seg),),
            )
        if self.body is not None and tag not in _ENDS:
            self.body.append(seg)
            return None
        if tag == "UNT" and self.body is not None:
            return [self._close_message(seg)]
        if tag in ("UNH", "UNE", "UNZ", "UNG", "UNT"):
            done: list[MessageResult | InterchangeResult] = []
            if self.body is not None:
                done.append(self._close_message(None))
            if tag == "UNH":
                self.body = [seg]
            elif tag == "UNG":
                self._close_group(None)
                self.group = _Group(header=seg)
            elif tag == "UNE":
                self._close_group(seg)
            elif tag == "UNZ":
                done += self._close_interchange(seg)
            else:
                self.issues.append(issue_at("interchange", "33", "UNT without UNH", seg))
            return done
        self.issues.append(issue_at("interchange", "33", f"{tag} outside a message", seg))
        return None

    @property
    def inside(self) -> bool:
        return self.unb is not None

    def note(self, issue: Issue) -> None:
        self.issues.append(issue)

    def finish(self) -> Iterator[MessageResult | InterchangeResult]:
        if self.body and self.body[-1].number > (self.last.number if self.last else 0):
            self.last = self.body[-1]  # ``run`` appended it without ``feed``
        if self.unb is not None:
            yield from self._close_interchange(None)


def stream(
    chunks: Iterable[bytes], *, keep_documents: bool = False
) -> Iterator[MessageResult | InterchangeResult]:
    reader = _Reader(keep_documents)
    return run(reader, blocks(chunks, reader.flaws))


def read(data: bytes) -> list[InterchangeResult]:
    return read_all(stream, data)
