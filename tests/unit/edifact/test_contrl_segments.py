"""Segment-level findings of the message lists, and the CONTRL that reports them, segment
by segment: a segment the message has in no directory (UCS 15), noted or rejected as the
partner profile says, and a missing mandatory segment (UCS 13) located before the gap."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

import translators
from gateway.pipeline.checks import check_interchange
from gateway.profiles import EdifactProfile, Profile
from tests.conftest import OWN_SAMPLES, public_samples
from translators import InterchangeResult, WriteSettings

ORDERS = (OWN_SAMPLES / "edifact" / "orders.edi").read_bytes()
ACK = WriteSettings(
    interchange_control=77, message_control=1, timestamp=dt.datetime(2024, 3, 2, 8, 30)
)
PROFILE = Profile(
    id="acme",
    name="ACME",
    status="active",
    path=Path("acme.toml"),
    edifact=EdifactProfile(id="5412345678908", qualifier="14"),
)


def _edit(old: bytes, new: bytes, *, added: int) -> bytes:
    """The sample ORDERS with one change, UNT counting the segments it adds or removes."""
    assert ORDERS.count(old) == 1
    return ORDERS.replace(old, new).replace(b"UNT+24+1'", b"UNT+%d+1'" % (24 + added))


def _read(data: bytes) -> InterchangeResult:
    (ix,) = translators.read(data)
    return ix


def _contrl(ix: InterchangeResult) -> list[str]:
    """The CONTRL's segments from UCI to the last before UNT."""
    contrl = translators.build_ack(ix, kind="CONTRL", settings=ACK)
    assert contrl is not None
    segments = [s.strip() for s in contrl.decode().split("'") if s.strip()]
    first = next(i for i, s in enumerate(segments) if s.startswith("UCI+"))
    last = next(i for i, s in enumerate(segments) if s.startswith("UNT+"))
    return segments[first:last]


UNKNOWN = _edit(b"PIA+5+WW-100:SA'\n", b"PIA+5+WW-100:SA'\nZZZ+1'\n", added=1)


def test_an_unknown_segment_is_noted_where_it_stands() -> None:
    ix = _read(UNKNOWN)
    (issue,) = ix.all_issues
    assert (issue.level, issue.code, issue.severity) == ("segment", "15", "warning")
    assert (issue.segment_tag, issue.segment_index, issue.segment_number) == ("ZZZ", 11, 12)
    assert translators.format_issue(issue, "o.edi") == (
        "o.edi: segment 12 (ZZZ): warning: ZZZ (position 11) is not a segment of the ORDERS [15]"
    )
    (m,) = ix.messages
    assert m.status == "accepted_with_errors" and m.document is not None
    assert len(m.document.lines) == 2
    # noted: the message is acknowledged (7), and the segment it ignored is named
    assert _contrl(ix) == [
        "UCI+3001+5412345678908:14+5400000000003:14+7",
        "UCM+1+ORDERS:D:96A:UN+7",
        "UCS+11+15",
    ]


def test_a_profile_that_rejects_unknown_segments_answers_ucs_15() -> None:
    strict = dataclasses.replace(PROFILE, unknown_segments="reject")
    ix = check_interchange(_read(UNKNOWN), strict)
    (m,) = ix.messages
    assert m.status == "rejected" and m.document is None and m.kind is None
    (issue,) = m.issues
    assert (issue.code, issue.severity, issue.segment_index) == ("15", "error", 11)
    assert _contrl(ix) == [
        "UCI+3001+5412345678908:14+5400000000003:14+7",
        "UCM+1+ORDERS:D:96A:UN+4",
        "UCS+11+15",
    ]
    noted = check_interchange(_read(UNKNOWN), PROFILE)  # the default: note
    assert noted.messages[0].status == "accepted_with_errors"


def test_a_missing_bgm_is_located_after_the_unh() -> None:
    ix = _read(_edit(b"BGM+220+PO-2024-0042+9'\n", b"", added=-1))
    (issue,) = ix.all_issues
    assert (issue.level, issue.code, issue.segment_tag) == ("segment", "13", "BGM")
    assert (issue.segment_index, issue.segment_number) == (1, 2)  # the UNH, before the gap
    assert translators.format_issue(issue, "o.edi").startswith(
        "o.edi: segment 2 (BGM): mandatory segment BGM is missing after the UNH"
    )
    assert _contrl(ix) == [
        "UCI+3001+5412345678908:14+5400000000003:14+7",
        "UCM+1+ORDERS:D:96A:UN+4",
        "UCS+1+13",
    ]


@pytest.mark.parametrize(
    "path",
    [*public_samples("edifact"), *sorted((OWN_SAMPLES / "edifact").glob("*.edi"))],
    ids=lambda p: p.name,
)
def test_the_lists_hold_every_segment_of_the_samples(path: Path) -> None:
    for ix in translators.read(path.read_bytes()):
        assert not [i for i in ix.all_issues if i.is_unexpected_segment], path.name
