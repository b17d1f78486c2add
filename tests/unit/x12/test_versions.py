"""Each X12 group read by the rules of the release its GS08 declares (003010-008010),
an unknown release by the nearest one with a warning, and acknowledged in its release."""

from __future__ import annotations

import datetime as dt
import re

import pytest

import translators
from tests.conftest import OWN_SAMPLES
from translators import Issue, WriteSettings
from translators.x12.specs import RULES, rules_for

MIXED = (OWN_SAMPLES / "x12" / "mixed_versions.x12").read_bytes()
ACK = WriteSettings(interchange_control=7, timestamp=dt.datetime(2002, 9, 7, 8, 30))


def _key(i: Issue) -> tuple[object, ...]:
    return (i.level, i.code, i.severity, i.segment_tag, i.element)


def test_a_file_of_003010_003040_004010_and_005010_groups_is_read_group_by_group() -> None:
    (ix,) = translators.read(MIXED)
    assert ix.all_issues == ()
    assert [g.version for g in ix.groups] == ["003010", "003040", "004010", "005010"]
    docs = ix.documents
    assert [d.envelope.version for d in docs] == ["003010", "003040", "004010", "005010"]
    assert {d.date for d in docs} == {dt.date(2002, 9, 6)}
    assert {d.dates.get("requested_delivery") for d in docs} == {dt.date(2002, 9, 6)}


@pytest.mark.parametrize(
    ("old", "new", "expected", "group"),
    [
        # a YYMMDD GS04 is the 003xxx form and too short from 004010 on (AK9 code 2)
        (
            b"*20020906*0930*13*X*004010",
            b"*020906*0930*13*X*004010",
            ("group", "2", "error", "GS", 4),
            "13",
        ),
        (
            b"*020906*0930*11*X*003010",
            b"*20020906*0930*11*X*003010",
            ("group", "2", "error", "GS", 4),
            "11",
        ),
        # a set's dates (BEG05) follow the same rule: AK4 4 too short, 5 too long
        (b"PO-004010**20020906", b"PO-004010**020906", ("element", "4", "error", "BEG", 5), "13"),
        (b"PO-003040**020906", b"PO-003040**20020906", ("element", "5", "error", "BEG", 5), "12"),
    ],
)
def test_a_date_is_checked_by_its_own_group_release(
    old: bytes, new: bytes, expected: tuple[object, ...], group: str
) -> None:
    assert MIXED.count(old) == 1
    (ix,) = translators.read(MIXED.replace(old, new))
    (issue,) = ix.all_issues
    assert _key(issue) == expected
    assert issue.group_control in (None, group)
    faulty = next(g for g in ix.groups if g.control == group)
    others = [g for g in ix.groups if g is not faulty]
    assert all(m.status == "accepted" for g in others for m in g.messages)


@pytest.mark.parametrize(
    ("declared", "read_as", "date"),
    [
        ("003099", "003070", b"020906"),
        ("008020", "008010", b"20020906"),
        ("002001", "003010", b"020906"),
    ],
)
def test_an_unknown_release_is_read_as_the_nearest_with_a_warning(
    declared: str, read_as: str, date: bytes
) -> None:
    first = MIXED.index(b"GS*PO*ACMERETAIL*WIDGETWORKS*020906*0930*12*")
    last = MIXED.index(b"GE*1*12~")
    group_12 = MIXED[first:last].replace(b"X*003040~", b"X*" + declared.encode() + b"~")
    data = MIXED[:first] + group_12.replace(b"020906", date) + MIXED[last:]
    (ix,) = translators.read(data)
    group = next(g for g in ix.groups if g.control == "12")
    (message,) = group.messages
    (warning,) = ix.all_issues
    assert _key(warning) == ("group", "2", "warning", "GS", 8)
    assert f"read as {read_as}" in warning.message
    assert message.document is not None and message.status == "accepted_with_errors"
    assert message.document.date == dt.date(2002, 9, 6)
    ack = translators.build_ack(ix, kind="997", settings=ACK) or b""
    assert re.search(rb"AK2\*850\*0002~\n[AI]K5\*E~", ack)  # accepted, the release noted


def test_a_997_answers_a_003010_group_in_its_release_with_a_yymmdd_gs04() -> None:
    (ix,) = translators.read(MIXED)
    ack = translators.build_ack(ix, kind="997", settings=ACK) or b""
    gs = [s for s in ack.split(b"~\n") if s.startswith(b"GS*")]
    assert [s.split(b"*")[4] for s in gs] == [b"020907", b"020907", b"20020907", b"20020907"]
    assert [s.split(b"*")[8] for s in gs] == [b"003010", b"003040", b"004010", b"005010"]
    (read_back,) = translators.read(ack)
    assert not [i for i in read_back.all_issues if i.is_error]
    assert [m.document.status for m in read_back.messages if m.document] == ["accepted"] * 4


@pytest.mark.parametrize(
    ("version", "short_dates", "nearest"),
    [
        ("003010", True, None),
        ("003070", True, None),
        ("004010VICS", False, None),
        ("005010X231A1", False, None),
        ("008010", False, None),
        ("003099", True, "003070"),
        ("004099", False, "004060"),
        ("008020", False, "008010"),
        ("", False, None),
        ("ABC", False, None),
    ],
)
def test_rules_for_a_version(version: str, short_dates: bool, nearest: str | None) -> None:
    rules, read_as = rules_for(version)
    assert read_as == nearest
    assert (rules is not RULES) is short_dates
    assert (
        rules.check(["DTM", "002", "020906"] if short_dates else ["DTM", "002", "20020906"]) == []
    )
