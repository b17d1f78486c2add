"""X12 envelopes: ISA/IEA, GS/GE, ST/SE as a state machine over tokenised segments.

Sets are mapped as soon as their SE arrives and yielded at once (``stream``), so memory
holds one set, not the file. Envelope problems become issues at the level the
acknowledgements report them: TA1 (interchange), AK9 (group), AK5/IK5 (set).
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
from . import ebcdic, sets
from .common import parse_date
from .specs import RULES, Rules, check_elements, rules_for
from .tokenizer import Segment, blocks

__all__ = ["read", "stream"]

#: ISA element position -> TA1 note code for an invalid value there.
_TA1_FOR_ISA = {
    1: "010",
    2: "011",
    3: "012",
    4: "013",
    5: "005",
    6: "006",
    7: "007",
    8: "008",
    9: "014",
    10: "015",
    11: "016",
    12: "017",
    13: "018",
    14: "019",
    15: "020",
    16: "026",
}


@dataclass(slots=True)
class _Group:
    header: Segment
    rules: Rules = RULES  # by the release GS08 declares
    read_as: Issue | None = None  # GS08 is no release we know: noted on each of its sets
    messages: list[MessageResult] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    count: int = 0


@dataclass(slots=True)
class _Interchange:
    header: Segment
    groups: list[GroupResult] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    loose: list[MessageResult] = field(default_factory=list)  # TA1s outside any group


def _num(value: str) -> int | None:
    value = value.strip()
    return int(value) if digits(value) else None


#: Tags ``feed`` must see even inside a set (``run`` appends the others to the set).
_ENDS = frozenset({"ISA", "SE", "ST", "GE", "IEA", "GS"})


class _Reader:
    """Feed segments in order; finished messages and interchanges come out of ``feed``."""

    ends = _ENDS

    def __init__(self, keep_documents: bool, encoding: str | None = None) -> None:
        self.keep = keep_documents
        self.encoding = encoding  # an EBCDIC code page, noted on each interchange
        self.ix: _Interchange | None = None
        self.group: _Group | None = None
        self.body: list[Segment] | None = None  # the open set, ST first
        self.last: Segment | None = None  # where an unclosed envelope is reported
        #: invalid characters the tokenizer found, until their set or interchange closes
        self.flaws: list[Issue] = []

    # -- interchange ---------------------------------------------------------------------
    def _isa(self, seg: Segment) -> None:
        ix = _Interchange(header=seg)
        for err in check_elements(seg.elements):
            ix.issues.append(
                issue_at(
                    "interchange",
                    _TA1_FOR_ISA.get(err.position, "024"),
                    f"ISA{err.position:02d}: {err.message}",
                    seg,
                    element=err.position,
                )
            )
        self.ix = ix

    def _close_interchange(
        self, trailer: Segment | None
    ) -> list[MessageResult | InterchangeResult]:
        """The interchange's result, preceded by a set it leaves unclosed (truncation)."""
        ix = self.ix
        assert ix is not None
        last = trailer or self.last or ix.header
        out: list[MessageResult | InterchangeResult] = []
        if self.body is not None:
            out.append(self._close_set(None))
        if self.group is not None:
            self._close_group(None, last)
        isa = ix.header
        if self.flaws:  # in an envelope segment (GS, GE, IEA): TA1 024, invalid content
            ix.issues += [
                dataclasses.replace(f, level="interchange", code="024") for f in self.flaws
            ]
            self.flaws.clear()
        if trailer is None:
            ix.issues.append(
                issue_at(
                    "interchange", "023", "interchange ends without IEA (truncated file)", last
                )
            )
        else:
            if trailer.get(2).strip() != isa.get(13).strip():
                ix.issues.append(
                    issue_at(
                        "interchange",
                        "001",
                        f"IEA02 {trailer.get(2)!r} does not match ISA13 {isa.get(13)!r}",
                        trailer,
                        element=2,
                    )
                )
            if _num(trailer.get(1)) != len(ix.groups):
                ix.issues.append(
                    issue_at(
                        "interchange",
                        "021",
                        f"IEA01 says {trailer.get(1)!r} groups, found {len(ix.groups)}",
                        trailer,
                        element=1,
                    )
                )
        groups = list(ix.groups)
        if ix.loose:
            groups.insert(
                0,
                GroupResult(
                    functional_id=None,
                    sender=None,
                    receiver=None,
                    control=None,
                    version=None,
                    implicit=True,
                    messages=tuple(ix.loose),
                ),
            )
        result = InterchangeResult(
            syntax="x12",
            sender=PartyId(id=isa.get(6).strip(), qualifier=isa.get(5).strip() or None),
            receiver=PartyId(id=isa.get(8).strip(), qualifier=isa.get(7).strip() or None),
            control=isa.get(13).strip() or None,
            version=isa.get(12).strip() or None,
            test=isa.get(15).strip() == "T",
            date=parse_date(isa.get(9)),
            time=isa.get(10) or None,
            delimiters=isa.delimiters,
            groups=tuple(groups),
            issues=tuple(ix.issues),
            streamed=not self.keep,
            ack_requested=isa.get(14).strip() == "1",
            extra={"encoding": self.encoding} if self.encoding else {},
        )
        self.ix = None
        out.append(result)
        return out

    # -- group -----------------------------------------------------------------------------
    def _close_group(self, trailer: Segment | None, at: Segment) -> None:
        g, ix = self.group, self.ix
        assert g is not None and ix is not None
        gs = g.header
        if trailer is None:
            g.issues.append(issue_at("group", "3", "functional group has no GE trailer", at))
        else:
            if trailer.get(2).strip() != gs.get(6).strip():
                g.issues.append(
                    issue_at(
                        "group",
                        "4",
                        f"GE02 {trailer.get(2)!r} does not match GS06 {gs.get(6)!r}",
                        trailer,
                        element=2,
                    )
                )
            if _num(trailer.get(1)) != g.count:
                g.issues.append(
                    issue_at(
                        "group",
                        "5",
                        f"GE01 says {trailer.get(1)!r} sets, found {g.count}",
                        trailer,
                        element=1,
                    )
                )
        ix.groups.append(
            GroupResult(
                functional_id=gs.get(1) or None,
                sender=gs.get(2) or None,
                receiver=gs.get(3) or None,
                control=gs.get(6).strip() or None,
                version=gs.get(8) or None,
                date=parse_date(gs.get(4)),
                time=gs.get(5) or None,
                messages=tuple(g.messages),
                issues=tuple(g.issues),
            )
        )
        self.group = None

    # -- transaction set ---------------------------------------------------------------
    def _close_set(self, trailer: Segment | None) -> MessageResult:
        segments, self.body = self.body, None
        assert segments is not None and self.ix is not None
        st = segments[0]
        issues: list[Issue] = []
        if self.flaws:
            end = trailer.number if trailer is not None else segments[-1].number
            issues += take_flaws(self.flaws, st.number, end)
        if trailer is None:
            issues.append(
                issue_at("message", "2", "transaction set has no SE trailer", segments[-1])
            )
        else:
            segments.append(trailer)
            if trailer.get(2).strip() != st.get(2).strip():
                issues.append(
                    issue_at(
                        "message",
                        "3",
                        f"SE02 {trailer.get(2)!r} does not match ST02 {st.get(2)!r}",
                        trailer,
                        element=2,
                        segment_index=len(segments),
                    )
                )
            if _num(trailer.get(1)) != len(segments):
                issues.append(
                    issue_at(
                        "message",
                        "4",
                        f"SE01 says {trailer.get(1)!r} segments, found {len(segments)}",
                        trailer,
                        element=1,
                        segment_index=len(segments),
                    )
                )
        if self.group is not None and self.group.read_as is not None:
            issues.append(self.group.read_as)
        gs = self.group.header if self.group else None
        isa = self.ix.header
        envelope = Envelope(
            format="x12",
            version=(gs.get(8) if gs else None) or None,
            message_type=st.get(1) or None,
            sender=PartyId(id=isa.get(6).strip(), qualifier=isa.get(5).strip() or None),
            receiver=PartyId(id=isa.get(8).strip(), qualifier=isa.get(7).strip() or None),
            group_sender=gs.get(2) if gs else None,
            group_receiver=gs.get(3) if gs else None,
            interchange_control=isa.get(13).strip() or None,
            group_control=gs.get(6).strip() if gs else None,
            message_control=st.get(2).strip() or None,
            test=isa.get(15).strip() == "T",
            syntax_version=isa.get(12) or None,
        )
        rules = self.group.rules if self.group else RULES
        result = sets.read_set(segments, envelope, issues, rules)
        if self.group is not None:
            self.group.count += 1
            self.group.messages.append(
                result if self.keep else dataclasses.replace(result, document=None)
            )
        return result

    def feed(self, seg: Segment) -> list[MessageResult | InterchangeResult] | None:
        tag = seg.tag
        self.last = seg
        if tag == "ISA":
            done = self._close_interchange(None) if self.ix is not None else None
            self._isa(seg)
            return done
        if self.ix is None:
            raise SyntaxFault(
                "segment outside an interchange",
                issues=(issue_at("interchange", "024", f"{tag} outside an ISA/IEA envelope", seg),),
            )
        if self.body is not None and tag not in _ENDS:
            self.body.append(seg)
            return None
        if tag == "SE" and self.body is not None:
            return [self._close_set(seg)]
        if tag in ("ST", "GE", "IEA", "GS", "SE"):
            unclosed = [self._close_set(None)] if self.body is not None else []  # no SE
            return unclosed + self._envelope(seg)
        if tag == "TA1":
            return [self._ta1(seg)]
        self.ix.issues.append(
            issue_at("interchange", "024", f"{tag} outside a transaction set", seg)
        )
        return None

    def _envelope(self, seg: Segment) -> list[MessageResult | InterchangeResult]:
        assert self.ix is not None
        tag = seg.tag
        if tag == "ST":
            if self.group is None:
                self.ix.issues.append(issue_at("interchange", "024", "ST outside a GS group", seg))
            self.body = [seg]
        elif tag == "GS":
            if self.group is not None:
                self._close_group(None, seg)
            rules, nearest = rules_for(seg.get(8))
            self.group = _Group(header=seg, rules=rules, read_as=_read_as(seg, nearest))
            for err in rules.check(seg.elements):
                code = "6" if err.position == 6 else "1" if err.position == 1 else "2"
                self.group.issues.append(
                    issue_at(
                        "group",
                        code,
                        f"GS{err.position:02d}: {err.message}",
                        seg,
                        element=err.position,
                    )
                )
        elif tag == "GE":
            if self.group is None:
                self.ix.issues.append(issue_at("interchange", "024", "GE without GS", seg))
            else:
                self._close_group(seg, seg)
        elif tag == "IEA":
            return self._close_interchange(seg)
        else:  # SE without ST
            self.ix.issues.append(issue_at("interchange", "024", "SE without ST", seg))
        return []

    def _ta1(self, seg: Segment) -> MessageResult:
        result = sets.read_ta1(seg, self.ix.header if self.ix else seg)
        assert self.ix is not None
        self.ix.loose.append(result if self.keep else dataclasses.replace(result, document=None))
        return result

    @property
    def inside(self) -> bool:
        return self.ix is not None

    def note(self, issue: Issue) -> None:
        assert self.ix is not None
        self.ix.issues.append(issue)

    def finish(self) -> Iterator[MessageResult | InterchangeResult]:
        if self.body and self.body[-1].number > (self.last.number if self.last else 0):
            self.last = self.body[-1]  # ``run`` appended it without ``feed``
        if self.ix is not None:
            yield from self._close_interchange(None)


def _read_as(gs: Segment, nearest: str | None) -> Issue | None:
    """The warning that a set is read by a release other than the one GS08 declares.

    Its code is AK905's "2" (functional group version not supported), at the level of
    the group; it travels with each set, so the set is accepted with a note (AK5 E)."""
    if nearest is None:
        return None
    message = f"GS08 version {gs.get(8)!r} is no X12 release we know: read as {nearest}"
    return dataclasses.replace(issue_at("group", "2", message, gs, element=8), severity="warning")


def stream(
    chunks: Iterable[bytes], *, keep_documents: bool = False
) -> Iterator[MessageResult | InterchangeResult]:
    source, encoding = ebcdic.decoded(chunks)
    reader = _Reader(keep_documents, encoding)
    return run(reader, blocks(source, reader.flaws, latin1=encoding is not None))


def read(data: bytes) -> list[InterchangeResult]:
    return read_all(stream, data)
