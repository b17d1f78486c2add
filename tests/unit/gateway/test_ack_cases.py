"""Each acknowledgement case of the envelope, a value and a repeat, answered as the
004010 rules for a 997 (and TA1) and ISO 9735 for CONTRL say, segment by segment; and
what the acknowledgement rejects is what the gateway holds (``rejected_by_ack``).

Segment-level cases (unknown and missing segments, AK303/AK402) are in
tests/unit/x12/test_ack_segments.py and tests/unit/edifact/test_contrl_segments.py;
element representation cases (lengths 39/40, code lists 12, UNOA 21) in
tests/unit/edifact/test_element_validation.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import translators
from gateway.pipeline.acks import ack_kinds
from gateway.pipeline.checks import answer_duplicate, rejected_by_ack
from gateway.profiles import EdifactProfile, Profile, X12Profile
from tests.conftest import OWN_SAMPLES
from translators import InterchangeResult, WriteSettings

X12 = (OWN_SAMPLES / "x12" / "850.x12").read_bytes()
EDI = (OWN_SAMPLES / "edifact" / "orders.edi").read_bytes()
ACK = WriteSettings(
    interchange_control=77,
    group_control=78,
    message_control=79,
    timestamp=dt.datetime(2024, 3, 2, 8, 30),
)
PROFILE = Profile(
    id="acme",
    name="ACME",
    status="active",
    path=Path("acme.toml"),
    x12=X12Profile(qualifier="ZZ", id="ACMERETAIL", gs_id="ACMERETAIL"),
    edifact=EdifactProfile(id="5412345678908", qualifier="14"),
)


def _read(data: bytes, old: bytes, new: bytes) -> InterchangeResult:
    assert data.count(old) == 1, old
    (ix,) = translators.read(data.replace(old, new))
    return ix


def _acks(ix: InterchangeResult) -> dict[str, list[str]]:
    """Every ack the gateway sends for ``ix``, as its segments inside the envelope."""
    out = {}
    for kind in ack_kinds(ix, PROFILE):
        data = translators.build_ack(ix, kind=kind, settings=ACK)
        assert data is not None
        text = data.decode()
        sep = "~" if ix.syntax == "x12" else "'"
        segments = [s.strip() for s in text.split(sep) if s.strip() and not s.startswith("UNA")]
        # inside ST..SE / UNH..UNT; a TA1 stands between ISA and IEA
        out[kind] = (
            segments[1:-1] if kind == "TA1" else segments[3:-3] if sep == "~" else segments[2:-2]
        )
    return out


X12_CASES = {
    "GE01 count": (
        (b"GE*1*1001", b"GE*2*1001"),
        {"997": ["AK1*PO*1001", "AK2*850*0001", "AK5*A", "AK9*R*1*1*1*5"]},
        (False, {"1001"}),
    ),
    "GE02 reference": (
        (b"GE*1*1001", b"GE*1*1002"),
        {"997": ["AK1*PO*1001", "AK2*850*0001", "AK5*A", "AK9*R*1*1*1*4"]},
        (False, {"1001"}),
    ),
    "SE01 count": (
        (b"SE*18*", b"SE*17*"),
        {"997": ["AK1*PO*1001", "AK2*850*0001", "AK5*R*4", "AK9*R*1*1*0"]},
        (False, set()),
    ),
    "impossible date": (
        (b"**20240301~", b"**20241301~"),
        {
            "997": [
                "AK1*PO*1001",
                "AK2*850*0001",
                "AK3*BEG*2**8",
                "AK4*5*373*8*20241301",
                "AK5*R*5",
                "AK9*R*1*1*0",
            ]
        },
        (False, set()),
    ),
    # the interchange is held whole: a TA1 R alone, no 997 that accepts a part of it
    "IEA01 count": (
        (b"IEA*1*", b"IEA*2*"),
        {"TA1": ["TA1*000001001*240301*1200*R*021"]},
        (True, set()),
    ),
    "IEA02 reference": (
        (b"IEA*1*000001001", b"IEA*1*000001002"),
        {"TA1": ["TA1*000001001*240301*1200*R*001"]},
        (True, set()),
    ),
}


@pytest.mark.parametrize("case", list(X12_CASES))
def test_x12_case(case: str) -> None:
    (old, new), acks, (whole, groups) = X12_CASES[case]
    ix = _read(X12, old, new)
    assert _acks(ix) == acks
    assert rejected_by_ack(ix) == (whole, frozenset(groups))


def test_x12_repeat_answered_by_ta1_025_alone() -> None:
    (first,) = translators.read(X12)
    ix = answer_duplicate(first, "M1")
    assert ix is not None
    assert _acks(ix) == {"TA1": ["TA1*000001001*240301*1200*R*025"]}
    assert rejected_by_ack(ix)[0]


UCI = "UCI+3001+5412345678908:14+5400000000003:14"
EDIFACT_CASES = {
    "UNZ count": ((b"UNZ+1+3001", b"UNZ+2+3001"), [f"{UCI}+4+29"], (True, set())),
    "UNZ reference": ((b"UNZ+1+3001", b"UNZ+1+3002"), [f"{UCI}+4+28"], (True, set())),
    "UNT count": (
        (b"UNT+24+1", b"UNT+23+1"),
        [f"{UCI}+7", "UCM+1+ORDERS:D:96A:UN+4+29"],
        (False, set()),
    ),
    "letter in a number": (
        (b"QTY+21:12:EA", b"QTY+21:1x:EA"),
        [f"{UCI}+7", "UCM+1+ORDERS:D:96A:UN+4", "UCS+12", "UCD+37+1:2"],
        (False, set()),
    ),
    # DTM 2380 is an..35: the syntax holds it, the CONTRL acknowledges the message and
    # names the value (12); the document carries the issue and no invented date
    "impossible date": (
        (b"DTM+2:20240315:102", b"DTM+2:20241340:102"),
        [f"{UCI}+7", "UCM+1+ORDERS:D:96A:UN+7", "UCS+4", "UCD+12+1:2"],
        (False, set()),
    ),
}


@pytest.mark.parametrize("case", list(EDIFACT_CASES))
def test_edifact_case(case: str) -> None:
    (old, new), contrl, (whole, groups) = EDIFACT_CASES[case]
    ix = _read(EDI, old, new)
    assert _acks(ix) == {"CONTRL": contrl}
    assert rejected_by_ack(ix) == (whole, frozenset(groups))


def test_edifact_impossible_date_is_an_issue_on_the_document() -> None:
    ix = _read(EDI, b"DTM+2:20240315:102", b"DTM+2:20241340:102")
    (issue,) = ix.all_issues
    assert (issue.code, issue.severity, issue.segment_tag) == ("12", "warning", "DTM")
    (m,) = ix.messages
    assert m.document is not None and "requested_delivery" not in m.document.dates


def test_edifact_repeat_answered_by_contrl_26() -> None:
    (first,) = translators.read(EDI)
    ix = answer_duplicate(first, "M1")
    assert ix is not None
    assert _acks(ix) == {"CONTRL": [f"{UCI}+4+26"]}
    assert rejected_by_ack(ix)[0]
