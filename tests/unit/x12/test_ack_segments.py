"""Segment-level findings of the set tables, and the 997 / 999 that report them, segment
by segment: unknown and misplaced segments (AK304 1 / 2), missing mandatory segments
located where they should stand (AK304 3), AK303 loop ids and AK402 / IK402 element
reference numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import translators
from tests.conftest import OWN_SAMPLES, public_samples
from translators import InterchangeResult, Issue, WriteSettings

ORDER = (OWN_SAMPLES / "x12" / "850.x12").read_bytes()
ACK = WriteSettings(
    interchange_control=77,
    group_control=78,
    message_control=79,
    timestamp=dt.datetime(2024, 3, 2, 8, 30),
)


def _edit(data: bytes, old: bytes, new: bytes, *, added: int = 0) -> bytes:
    """``data`` with one change, and SE01 counting the segments it adds or removes."""
    assert data.count(old) == 1, old
    out = data.replace(old, new)
    se = next(s for s in out.split(b"~\n") if s.startswith(b"SE*"))
    count, control = se[3:].split(b"*")
    return out.replace(se, b"SE*%d*%s" % (int(count) + added, control))


def _read(data: bytes) -> InterchangeResult:
    (ix,) = translators.read(data)
    return ix


def _body(ix: InterchangeResult, kind: str) -> list[str]:
    """The ack's segments from AK1 to the last before SE."""
    ack = translators.build_ack(ix, kind=kind, settings=ACK)
    assert ack is not None
    segments = [s.strip() for s in ack.decode().split("~") if s.strip()]
    first = next(i for i, s in enumerate(segments) if s.startswith("AK1"))
    last = next(i for i, s in enumerate(segments) if s.startswith("SE*"))
    return segments[first:last]


def _only(ix: InterchangeResult) -> Issue:
    (issue,) = ix.all_issues
    return issue


def test_an_unrecognized_segment_in_a_line_is_noted_with_its_loop() -> None:
    ix = _read(
        _edit(ORDER, b"PID*F****Blue widget~\n", b"ZZZ*1~\nPID*F****Blue widget~\n", added=1)
    )
    issue = _only(ix)
    assert (issue.level, issue.code, issue.severity) == ("segment", "1", "warning")
    assert (issue.segment_tag, issue.segment_index, issue.segment_number, issue.loop_id) == (
        "ZZZ",
        11,
        13,
        "PO1",
    )
    assert translators.format_issue(issue, "po.x12") == (
        "po.x12: segment 13 (ZZZ): warning: ZZZ (position 11) is not a segment of the 850 [1]"
    )
    (m,) = ix.messages
    assert m.status == "accepted_with_errors" and m.document is not None
    assert len(m.document.lines) == 2  # the order is read as if ZZZ were not there
    assert _body(ix, "997") == [
        "AK1*PO*1001",
        "AK2*850*0001",
        "AK3*ZZZ*11*PO1*1",
        "AK5*E",
        "AK9*E*1*1*1",
    ]
    assert _body(ix, "999")[2:4] == ["IK3*ZZZ*11*PO1*1", "IK5*E"]


def test_an_unrecognized_segment_in_the_heading_has_no_loop() -> None:
    ix = _read(_edit(ORDER, b"CUR*BY*EUR~\n", b"CUR*BY*EUR~\nZZZ*1~\n", added=1))
    assert _body(ix, "997")[2:4] == ["AK3*ZZZ*4**1", "AK5*E"]


@pytest.mark.parametrize(
    ("old", "new", "ak3"),
    [
        # a line after the summary: PO1 is an 850 segment, not after the CTT
        (b"AMT*1*311.00~\n", b"AMT*1*311.00~\nPO1*3*1*EA*1.00~\n", "AK3*PO1*18*CTT*2"),
        # a second beginning segment
        (b"CUR*BY*EUR~\n", b"CUR*BY*EUR~\nBEG*00*SA*PO-2**20240301~\n", "AK3*BEG*4**2"),
    ],
)
def test_a_known_segment_out_of_place_is_unexpected(old: bytes, new: bytes, ak3: str) -> None:
    ix = _read(_edit(ORDER, old, new, added=1))
    assert any(i.is_unexpected_segment and not i.is_error for i in ix.all_issues)
    body = _body(ix, "997")
    assert ak3 in body and body[-2] == "AK5*E"


def test_the_beginning_segment_of_another_set_is_an_error() -> None:
    data = (OWN_SAMPLES / "x12" / "855.x12").read_bytes()
    ix = _read(_edit(data, b"CUR*", b"BEG*00*SA*PO-1**20240301~\nCUR*", added=1))
    issue = _only(ix)
    assert (issue.code, issue.severity, issue.segment_tag) == ("2", "error", "BEG")
    assert _body(ix, "997")[2:4] == ["AK3*BEG*3**2", "AK5*R*5"]


@pytest.mark.parametrize(
    ("sample", "old", "ak3", "shown"),
    [
        # BEG stands right after ST: the gap is before CUR, the set's 2nd segment
        ("850.x12", b"BEG*00*SA*PO-2024-0042**20240301~\n", "AK3*BEG*2**3", "segment 4 (BEG)"),
        # TDS opens the summary: the gap ends at the first segment that cannot come before
        ("810.x12", b"TDS*37631*31100~\n", "AK3*TDS*11**3", "segment 13 (TDS)"),
        # AK9 closes the 997: the gap is before the SE
        ("997.x12", b"AK9*A*1*1*1~\n", "AK3*AK9*5**3", "segment 7 (AK9)"),
    ],
)
def test_a_missing_mandatory_segment_is_located_where_it_should_stand(
    sample: str, old: bytes, ak3: str, shown: str
) -> None:
    ix = _read(_edit((OWN_SAMPLES / "x12" / sample).read_bytes(), old, b"", added=-1))
    issue = _only(ix)
    assert (issue.level, issue.code, issue.severity) == ("segment", "3", "error")
    text = translators.format_issue(issue, "f")
    assert text.startswith(f"f: {shown}: mandatory segment {issue.segment_tag} is missing")
    assert f"position {ak3.split('*')[2]}" in text  # and where, in the set, it belongs
    (m,) = ix.messages
    assert m.status == "rejected" and m.document is None
    body = _body(ix, "997")
    assert body[2:4] == [ak3, "AK5*R*5"]


def test_a_missing_hl_loop_is_named_with_its_loop_id() -> None:
    asn = (
        b"ISA*00*          *00*          *ZZ*ACMERETAIL     *ZZ*WIDGETWORKS    *240301*1200*U"
        b"*00401*000001001*0*P*>~\nGS*SH*ACMERETAIL*WIDGETWORKS*20240301*1200*1001*X*004010~\n"
        b"ST*856*0001~\nBSN*00*ASN-1*20240310*0000~\nDTM*011*20240310~\nCTT*0~\nSE*5*0001~\n"
        b"GE*1*1001~\nIEA*1*000001001~\n"
    )
    ix = _read(asn)
    assert _body(ix, "997")[2:4] == ["AK3*HL*4*HL*3", "AK5*R*5"]


@pytest.mark.parametrize(
    ("old", "new", "ak3", "ak4"),
    [
        (b"BEG*00*SA*PO-2024-0042**", b"BEG*00*SA***", "AK3*BEG*2**8", "AK4*3*324*1"),
        (b"PO1*1*12*EA*9.25", b"PO1*1*12*EAX*9.25", "AK3*PO1*10*PO1*8", "AK4*3*355*5*EAX"),
        (b"PO1*1*12*EA*9.25", b"PO1*1*12*EA*9.2x5", "AK3*PO1*10*PO1*8", "AK4*4*212*6*9.2x5"),
        (b"DTM*002*20240315", b"DTM*002*20241315", "AK3*DTM*4**8", "AK4*2*373*8*20241315"),
        (
            b"N1*ST*ACME DC1*UL*0614141000012",
            b"N1*ST*ACME DC1*UL*" + b"9" * 81,
            "AK3*N1*7*N1*8",
            "AK4*4*67*5*" + "9" * 81,
        ),
        (b"N4*Antwerp**2000*BE", b"N4*A**2000*BE", "AK3*N4*9*N1*8", "AK4*1*19*4*A"),
    ],
)
def test_element_errors_name_the_loop_and_the_element_reference(
    old: bytes, new: bytes, ak3: str, ak4: str
) -> None:
    ix = _read(_edit(ORDER, old, new))
    body = _body(ix, "997")
    assert body[2:5] == [ak3, ak4, "AK5*R*5"], body
    five = _body(ix, "999")
    assert five[2:4] == [ak3.replace("AK3", "IK3"), ak4.replace("AK4", "IK4")]


@pytest.mark.parametrize("path", public_samples("x12"), ids=lambda p: p.name)
def test_the_tables_hold_every_segment_of_the_public_samples(path: Path) -> None:
    for ix in translators.read(path.read_bytes()):
        assert not [i for i in ix.all_issues if i.is_unexpected_segment], path.name


@pytest.mark.parametrize("path", sorted((OWN_SAMPLES / "x12").glob("*.x12")), ids=lambda p: p.name)
def test_the_tables_hold_every_segment_of_our_samples(path: Path) -> None:
    for ix in translators.read(path.read_bytes()):
        assert not [i for i in ix.all_issues if i.is_unexpected_segment], path.name
