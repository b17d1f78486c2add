"""997 / 999 functional acknowledgements and the TA1 interchange acknowledgement.

The ack answers in the inbound group's own version (a 997 to a 004010 group is 004010,
to a 005010 group 005010; a 999 carries 005010X231A1, the 999's own guide), and its
envelope mirrors the inbound one: their receiver id becomes our sender id, unless the
caller names ours. Element and segment issues become AK3/AK4 (IK3/IK4), set issues
AK5/IK5 codes, group issues AK9 codes, interchange issues the TA1 note code.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from ..api import WriteSettings
from ..errors import Issue, RenderError
from ..model import PartyId
from ..result import GroupResult, InterchangeResult, MessageResult
from ..text import digits
from ..x12 import ebcdic
from ..x12.writer import GroupOut, interchange

__all__ = ["build_ack", "build_functional_ack", "build_ta1"]

_999_GUIDE = "005010X231A1"
_MAX_CODES = 5
_STATUS = {"accepted": "A", "accepted_with_errors": "E", "rejected": "R"}


def _mirror(ix: InterchangeResult, settings: WriteSettings) -> tuple[PartyId, PartyId]:
    sender = settings.sender or ix.receiver
    receiver = settings.receiver or ix.sender
    if sender is None or receiver is None:
        raise RenderError("the inbound interchange has no ISA ids to answer to")
    return sender, receiver


def _isa12(ix: InterchangeResult) -> str:
    version = (ix.version or "00401").strip()
    return version if len(version) == 5 and digits(version) else "00401"


def _set_status(m: MessageResult) -> str:
    return _STATUS[m.status]


def _segment_errors(m: MessageResult, five: bool, component: str) -> list[list[str]]:
    """AK3 (+AK4) or IK3 (+IK4) for each segment with problems, in segment order."""
    seg_tag, el_tag = ("IK3", "IK4") if five else ("AK3", "AK4")
    by_segment: dict[tuple[int, str], list[Issue]] = {}
    for issue in m.issues:
        if issue.level in ("segment", "element") and issue.segment_index is not None:
            key = (issue.segment_index, issue.segment_tag or "")
            by_segment.setdefault(key, []).append(issue)
    out: list[list[str]] = []
    for (index, tag), issues in sorted(by_segment.items()):
        seg_codes = [i.code for i in issues if i.level == "segment"]
        elements = [i for i in issues if i.level == "element"]
        code = seg_codes[0] if seg_codes else "8"  # 8: segment has data element errors
        out.append([seg_tag, tag, str(index), issues[0].loop_id or "", code])
        for el in elements:
            position = str(el.element or "")
            if el.component:
                position += f"{component}{el.component}"
            out.append(
                _trim([el_tag, position, el.element_ref or "", el.code, (el.bad_value or "")[:99]])
            )
    return [_trim(seg) for seg in out]


def _trim(elements: list[str]) -> list[str]:
    while len(elements) > 1 and not elements[-1]:
        elements.pop()
    return elements


def _set_codes(m: MessageResult) -> list[str]:
    codes = [i.code for i in m.issues if i.level == "message" and i.is_error]
    if m.status == "rejected" and not codes:
        codes = ["5"]  # one or more segments in error
    return codes[:_MAX_CODES]


def _group_body(g: GroupResult, five: bool, component: str) -> Iterator[list[str]]:
    """AK1, an AK2..AK5 loop per set, AK9: generated, so that a group of 200,000 sets
    is written as it is built rather than held as lists."""
    ak1 = ["AK1", g.functional_id or "", g.control or ""]
    if five and g.version:
        ak1.append(g.version)
    yield ak1
    accepted = errors = 0
    for m in g.messages:
        ak2 = ["AK2", m.code, m.control or ""]
        if five and m.version and m.version != g.version:
            ak2.append(m.version)
        yield ak2
        yield from _segment_errors(m, five, component)
        status = _set_status(m)
        accepted += status != "R"
        errors += status == "E"
        yield _trim(["IK5" if five else "AK5", status, *_set_codes(m)])
    group_codes = [i.code for i in g.issues if i.is_error][:_MAX_CODES]
    received = len(g.messages)
    if group_codes or (received and not accepted):
        status = "R"
    elif accepted < received:
        status = "P"
    elif errors:
        status = "E"
    else:
        status = "A"
    yield ["AK9", status, str(received), str(received), str(accepted), *group_codes]


def build_functional_ack(ix: InterchangeResult, *, kind: str, settings: WriteSettings) -> bytes:
    five = kind == "999"
    groups = [g for g in ix.groups if not g.implicit]
    if not groups:
        raise RenderError("no functional group to acknowledge")
    settings = _with_delims(settings, ix)
    component = settings.delimiters.component if settings.delimiters else ">"
    gs_sender = settings.group_sender or groups[0].receiver
    gs_receiver = settings.group_receiver or groups[0].sender
    out: list[GroupOut] = []
    for g in groups:
        version = (g.version or "004010").strip()
        code, gs08, st03 = ("999", _999_GUIDE, _999_GUIDE) if five else ("997", version, None)
        body = _group_body(g, five or version >= "005", component)
        out.append(GroupOut("FA", gs08, [(code, body, st03)], gs_sender, gs_receiver))
    sender, receiver = _mirror(ix, settings)
    return interchange(out, settings, sender=sender, receiver=receiver, isa12=_isa12(ix))


def _with_delims(settings: WriteSettings, ix: InterchangeResult) -> WriteSettings:
    """Answer in the partner's own delimiters unless the caller chose others."""
    if settings.delimiters is not None or ix.delimiters is None:
        return settings
    d = ix.delimiters
    suffix = "" if d.segment in "\r\n" else "\n"
    return replace(settings, delimiters=replace(d, suffix=suffix))


def build_ta1(ix: InterchangeResult, settings: WriteSettings) -> bytes | None:
    """A TA1 when the interchange envelope has errors, or when ISA14 asked for one."""
    errors = [i for i in ix.issues if i.level == "interchange" and i.is_error]
    if not errors and not ix.ack_requested:
        return None
    date = ix.date.strftime("%y%m%d") if ix.date else settings.timestamp.strftime("%y%m%d")
    time = (ix.time or settings.timestamp.strftime("%H%M"))[:4]
    status = "R" if errors else "A"
    note = errors[0].code if errors and digits(errors[0].code) else ("000" if not errors else "024")
    ta1 = ["TA1", (ix.control or "0").zfill(9)[:9], date, time, status, note]
    sender, receiver = _mirror(ix, settings)
    return interchange(
        [],
        _with_delims(settings, ix),
        sender=sender,
        receiver=receiver,
        isa12=_isa12(ix),
        loose=[ta1],
    )


def build_ack(ix: InterchangeResult, *, kind: str, settings: WriteSettings) -> bytes | None:
    """The acknowledgement, in the inbound's encoding (EBCDIC to a mainframe partner)."""
    if kind == "TA1":
        ack = build_ta1(ix, settings)
    elif kind in ("997", "999"):
        ack = build_functional_ack(ix, kind=kind, settings=settings)
    else:
        raise RenderError(f"X12 acknowledgements are 997, 999 and TA1, not {kind!r}")
    codec = ix.extra.get("encoding")
    return ebcdic.encode(ack, codec) if ack is not None and codec else ack
