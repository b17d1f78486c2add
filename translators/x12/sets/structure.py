"""Segment tables of the sets we read, as data, and what they let us say about a set.

A table lists a set's segments area by area (heading | detail | summary); ``TAG(...)``
is a loop opened by TAG holding what the parentheses hold. Each table is the union of the
set's tables in releases 004010 to 006030, so that a segment any of them allows passes
whatever release a partner writes. From a table:

- where each segment stands: its loop (AK303 / IK303: ``PO1``, ``N1``, ``HL``);
- a segment the set has nowhere (``ZZZ``, a ``W05`` in an 850): AK304 1, unrecognized
  segment ID; a segment of the set where it cannot stand (a PO1 after the CTT, a second
  BEG): AK304 2, unexpected segment. Both are warnings: the gateway's partner profile
  (``[acks] unknown_segments``) says whether they reject the set;
- a beginning segment of another set (a BEG inside an 855): an error, code 2 (the set
  is not what its ST says);
- a mandatory segment that is absent: AK304 3, located where it should have stood (the
  position of the segment that follows the gap, as 004010 997 practice reports it).

The check is lenient on order inside an area (partners put heading segments in any
order and every translator reads them): it only says what it can tell for sure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from ...errors import Issue
from ..tokenizer import Segment

__all__ = ["REQUIRED", "Placed", "place"]

_TABLES: Mapping[str, str] = {
    "850": (
        "BEG CUR REF PER TAX FOB CTP PAM CSH TC2 SAC(CUR) ITD DIS INC DTM LDT LIN SI PID MEA "
        "PWK PKG TD1 TD5 TD3 TD4 MAN PCT CTB TXI AMT(REF DTM PCT FA1(FA2)) "
        "N9(DTM MSG MTX PWK EFI) N1(N2 N3 N4 NX2 REF PER SI FOB TD1 TD5 TD3 TD4 PKG IN2) "
        "LM(LQ) SPI(REF DTM MSG N1(N2 N3 N4 REF G61 MSG MTX) CB1(REF DTM LDT MSG MTX) MTX) "
        "ADV(DTM MTX) | "
        "PO1(LIN SI CUR CN1 PO3 CTP(CUR) PAM MEA PID(MEA) PWK PO4 REF PER SAC(CUR CTP) IT8 "
        "CSH ITD DIS INC TAX FOB SDQ IT3 DTM TC2 TD1 TD5 TD3 TD4 PCT MAN MSG SPI TXI CTB "
        "QTY(SI) SCH(TD1 TD5 TD3 TD4 REF) PKG(MEA) LS(LDT(QTY MSG REF LM(LQ) MTX) LE) "
        "N9(DTM MEA MSG MTX PWK EFI) N1(N2 N3 N4 QTY NX2 REF PER SI DTM FOB SCH TD1 TD5 TD3 "
        "TD4 PKG LDT(MAN QTY MSG REF MTX) IN2) SLN(MSG SI PID PO3 TC2 ADV DTM CTP PAM PO4 "
        "TAX N9(DTM MSG MTX) SAC(CUR CTP) QTY(SI) N1(N2 N3 N4 NX2 REF PER SI IN2) MTX MEA) "
        "AMT(REF PCT) LM(LQ) MTX) | "
        "CTT(AMT) LDT(QTY MTX REF)"
    ),
    "855": (
        "BAK CUR REF PER TAX FOB CTP PAM CSH SAC(CUR) ITD DIS INC DTM LDT LIN SI PID MEA PWK "
        "PKG TD1 TD5 TD3 TD4 MAN TXI CTB N9(DTM MSG MTX PWK EFI) "
        "N1(N2 N3 N4 NX2 REF PER SI FOB TD1 TD5 TD3 TD4 PKG MSG IN2 MTX) ADV(DTM MTX) | "
        "PO1(LIN SI CUR PO3 CTP PAM MEA PID(MEA) PWK PO4 REF PER SAC(CUR) IT8 CSH ITD DIS "
        "INC TAX FOB SDQ DTM LDT TD1 TD5 TD3 TD4 ACK(DTM) MAN AMT CTB TXI QTY(SI) PKG(MEA) "
        "SCH(TD1 TD5 TD3 TD4 REF) N9(DTM MSG MTX PWK EFI) "
        "N1(N2 N3 N4 NX2 REF PER SI DTM FOB SCH TD1 TD5 TD3 TD4 QTY PKG IN2) "
        "SLN(MSG SI PID PO3 CTP PAM ACK SAC(CUR) DTM PO4 TAX ADV QTY(SI) N9(DTM MSG MTX) "
        "N1(N2 N3 N4 NX2 REF PER SI IN2) MTX MEA)) | "
        "CTT(AMT)"
    ),
    "856": (
        "BSN DTM | "
        "HL(LIN SN1 SLN PRF PO4 PID MEA PWK PKG TD1 TD5 TD3(AT9) TD4 TSD REF PER "
        "LH1(LH2 LH3 LFH LEP LH4 LHT LHR PER LHE) CLD(REF DTP) MAN DTM FOB PAL "
        "N1(N2 N3 N4 REF PER FOB) SDQ ETD CUR SAC(CUR) GF YNQ LM(LQ) V1(R4 DTM)) | "
        "CTT"
    ),
    "810": (
        "BIG NTE CUR REF YNQ PER N1(N2 N3 N4 REF PER DMG) ITD DTM FOB PID MEA PWK PKG L7 BAL "
        "INC PAM LM(LQ) N9(MSG) V1(R4 DTM) FA1(FA2) | "
        "IT1(CRC QTY CUR IT3 TXI CTP PAM MEA PID(MEA) PWK PKG PO4 ITD REF YNQ PER SDQ DTM "
        "CAD L7 SR SAC(TXI DTM) SLN(DTM REF PID SAC TC2 TXI) N1(N2 N3 N4 REF PER DMG) LM(LQ) "
        "V1(R4 DTM) FA1(FA2)) | "
        "TDS TXI CAD AMT SAC(TXI DTM) ISS(PID) CTT CRC MTX"
    ),
    "997": "AK1 | AK2(AK3(AK4) AK5) | AK9",
    "999": "AK1 | AK2(IK3(CTX IK4(CTX)) CTX IK5) | AK9",
}

#: Mandatory segments, each the first of its area (AK304 3 when absent).
REQUIRED: Mapping[str, tuple[str, ...]] = {
    "850": ("BEG",),
    "855": ("BAK",),
    "856": ("BSN", "HL"),
    "810": ("BIG", "TDS"),
    "997": ("AK1", "AK9"),
    "999": ("AK1", "AK9"),
}
#: Beginning segments of the sets we read: inside another set, an error (code 2).
_BEGINS = {"BEG": "850", "BAK": "855", "BSN": "856", "BIG": "810", "AK1": "997"}
_UNRECOGNIZED, _UNEXPECTED, _MISSING = "1", "2", "3"


@dataclass(slots=True, eq=False)
class _Node:
    """An area (``loop`` None) or a loop: the segments it holds and the loops it opens.

    ``step`` is the walk compiled: for each segment that may come next, the node it
    leaves the walk in (a loop it opens, this node, an enclosing one, or a later area)
    and its loop id ("" outside any loop). A tag missing from ``step`` cannot stand
    here."""

    loop: str | None
    parent: _Node | None = None
    members: set[str] = field(default_factory=set)
    loops: dict[str, _Node] = field(default_factory=dict)
    step: dict[str, tuple[_Node, str]] = field(default_factory=dict)

    def tags(self) -> set[str]:
        out = set(self.members) | set(self.loops)
        for child in self.loops.values():
            out |= child.tags()
        return out

    def nodes(self) -> list[_Node]:
        return [self, *(n for child in self.loops.values() for n in child.nodes())]


@dataclass(frozen=True, slots=True)
class _Table:
    areas: tuple[_Node, ...]
    begins: str
    known: frozenset[str]
    #: per area: every segment of the areas before it (a gap before this area's first
    #: segment ends at the first segment that is none of these)
    earlier: tuple[frozenset[str], ...]


def _target(node: _Node | None, tag: str) -> tuple[_Node, str] | None:
    """Where ``tag`` goes from ``node``: the innermost of it and its enclosing loops that
    opens or holds it (leaving the loops inside that one)."""
    while node is not None:
        child = node.loops.get(tag)
        if child is not None:
            return child, tag
        if tag in node.members:
            return node, node.loop or ""
        node = node.parent
    return None


def _parse(text: str) -> _Table:
    areas: list[_Node] = []
    for area_text in text.split("|"):
        stack = [_Node(None)]
        for token in re.findall(r"[A-Z0-9]+\(?|\)", area_text):
            if token == ")":
                stack.pop()
            elif token.endswith("("):
                child = stack[-1].loops.setdefault(token[:-1], _Node(token[:-1], stack[-1]))
                stack.append(child)
            else:
                stack[-1].members.add(token)
        areas.append(stack[0])
    seen: set[str] = set()
    earlier = []
    for area in areas:
        earlier.append(frozenset(seen))
        seen |= area.tags()
    begins = text.split(maxsplit=1)[0]
    for index, area in enumerate(areas):
        for node in area.nodes():
            for tag in seen - {begins}:
                found = _target(node, tag)
                for later in areas[index + 1 :]:  # else the next area it opens
                    found = found or _target(later, tag)
                if found is not None:
                    node.step[tag] = found
    return _Table(tuple(areas), begins, frozenset(seen), tuple(earlier))


_PARSED: Mapping[str, _Table] = {code: _parse(text) for code, text in _TABLES.items()}


@dataclass(frozen=True, slots=True)
class Placed:
    """What the table says of a set: each segment's loop id ("" outside any loop), by
    position (ST = 1), and the structure issues."""

    loops: tuple[str, ...]
    issues: list[Issue]


def place(segments: list[Segment], code: str) -> Placed | None:
    """Walk the set (ST..SE) through its table; None for a set we have no table of."""
    table = _PARSED.get(code)
    if table is None:
        return None
    issues: list[Issue] = []
    end = len(segments) - 1 if segments[-1].tag == "SE" else len(segments)
    start = 2 if end > 1 and segments[1].tag == table.begins else 1
    loops = [""] * start  # ST, and the beginning segment
    node = table.areas[0]
    for index in range(start, end):
        seg = segments[index]
        hit = node.step.get(seg.tag)
        if hit is not None:
            node, loop = hit
            loops.append(loop)
            continue
        loop = node.loop or ""
        loops.append(loop)
        issues.append(_misplaced(seg, index, code, table, loop))
    loops += [""] * (len(segments) - len(loops))  # SE
    missing = _missing(segments, code, table, end)
    if missing:  # the segments a missing loop would hold are not "unexpected" on top
        issues = [i for i in issues if i.code != _UNEXPECTED or i.is_error]
    return Placed(tuple(loops), issues + missing)


def _misplaced(seg: Segment, index: int, code: str, table: _Table, loop: str) -> Issue:
    """The issue of a segment that cannot stand where it does."""
    tag = seg.tag
    owner = _BEGINS.get(tag)
    if owner is not None and owner != code and not (owner == "997" and code == "999"):
        why = f"{tag} does not belong in a {code}"
        return _issue(seg, index, _UNEXPECTED, why, severity="error")
    if tag in table.known:
        why = f"{tag} cannot stand at position {index + 1} of the {code}"
        return _issue(seg, index, _UNEXPECTED, why, loop=loop)
    why = f"{tag} (position {index + 1}) is not a segment of the {code}"
    return _issue(seg, index, _UNRECOGNIZED, why, loop=loop)


def _missing(segments: list[Segment], code: str, table: _Table, end: int) -> list[Issue]:
    present = {s.tag for s in segments}
    out = []
    for tag in REQUIRED.get(code, ()):
        if tag in present:
            continue
        area = next(i for i, a in enumerate(table.areas) if tag in a.members or tag in a.loops)
        before = table.earlier[area] if tag != table.begins else frozenset()
        gap = next((i for i in range(1, end) if segments[i].tag not in before), end)
        at = segments[gap] if gap < len(segments) else segments[-1]
        out.append(
            Issue(
                level="segment",
                code=_MISSING,
                message=(
                    f"mandatory segment {tag} is missing: it should stand at position "
                    f"{gap + 1} of the {code}, before {at.tag}"
                ),
                segment_number=at.number,
                segment_index=gap + 1,
                segment_tag=tag,
                loop_id=tag if tag in table.areas[area].loops else None,
            )
        )
    return out


def _issue(
    seg: Segment,
    index: int,
    code: str,
    message: str,
    *,
    loop: str = "",
    severity: Literal["error", "warning"] = "warning",
) -> Issue:
    return Issue(
        level="segment",
        code=code,
        severity=severity,
        message=message,
        segment_number=seg.number,
        segment_index=index + 1,
        segment_tag=seg.tag,
        loop_id=loop or None,
    )
