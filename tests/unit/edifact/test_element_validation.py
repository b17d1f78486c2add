"""Element lengths, code lists and character set from the message's directory, each with
its CONTRL answer read segment by segment (ISO 9735 0085: 39 too long, 40 too short, 12
invalid value, 21 invalid character)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import translators
from translators import WriteSettings
from translators.edifact import specs
from translators.edifact.tokenizer import Segment
from translators.model import Invoice
from translators.result import Delimiters

ACK = WriteSettings(
    interchange_control=77, message_control=1, timestamp=dt.datetime(2024, 3, 2, 8, 30)
)
ORDER = [
    "BGM+220+PO1+9",
    "DTM+137:20240301:102",
    "CUX+2:EUR:9",
    "NAD+BY+5412345678908::9++ACME RETAIL",
    "LIN+1++4006381333931:EN",
    "QTY+21:5:EA",
    "PRI+AAA:9.25",
    "UNS+S",
    "CNT+2:1",
]


def _interchange(
    body: list[str], *, kind: str = "ORDERS", version: str = "96A", charset: str = "UNOC"
) -> bytes:
    segments = [f"UNH+1+{kind}:D:{version}:UN", *body]
    segments.append(f"UNT+{len(segments) + 1}+1")
    unb = f"UNB+{charset}:3+5412345678908:14+5400000000003:14+240301:1200+3001"
    return "'".join(["UNA:+.? ", unb, *segments, "UNZ+1+3001", ""]).encode()


def _order(old: str, new: str, **kw: str) -> bytes:
    assert old in ORDER
    return _interchange([n for s in ORDER for n in (new.split("'") if s == old else [s])], **kw)


def _contrl(data: bytes) -> list[str]:
    """The CONTRL's segments after its UNH, up to its UNT (exclusive)."""
    (ix,) = translators.read(data)
    ack = translators.build_ack(ix, kind="CONTRL", settings=ACK)
    assert ack is not None
    segments = ack.decode().split("'")
    start = next(i for i, s in enumerate(segments) if s.startswith("UNH+"))
    end = next(i for i, s in enumerate(segments) if s.startswith("UNT+"))
    return segments[start + 1 : end]


UCI = "UCI+3001+5412345678908:14+5400000000003:14+7"
REJECTED, ACKNOWLEDGED = "UCM+1+ORDERS:D:96A:UN+4", "UCM+1+ORDERS:D:96A:UN+7"


def test_a_clean_order_is_acknowledged_without_ucm() -> None:
    (ix,) = translators.read(_interchange(ORDER))
    assert ix.status == "accepted", ix.all_issues
    assert _contrl(_interchange(ORDER)) == [UCI]


@pytest.mark.parametrize(
    ("old", "new", "ucs", "ucd"),
    [
        # RFF 1154 an..35 in D96A (an..70 from D00B)
        ("BGM+220+PO1+9", "BGM+220+PO1+9'RFF+CT:" + "C" * 36, "UCS+3", "UCD+39+1:2"),
        # BGM 1004 an..35 (read as C106 in every directory, D96A's simple 1004 its first part)
        ("BGM+220+PO1+9", "BGM+220+" + "P" * 36 + "+9", "UCS+2", "UCD+39+2:1"),
        # TAX 5283 is a simple element: no component position
        ("UNS+S", "UNS+S'TAX+8+VAT", "UCS+10", "UCD+12+1"),
        # QTY 6060 n..15: digits counted, not the decimal mark
        ("QTY+21:5:EA", "QTY+21:1234567890.123456:EA", "UCS+7", "UCD+39+1:2"),
        # CUX 6345: an ISO 4217 code has three letters
        ("CUX+2:EUR:9", "CUX+2:EU:9", "UCS+4", "UCD+40+1:2"),
        # DTM 2380 in format 102 (CCYYMMDD) is n8
        ("DTM+137:20240301:102", "DTM+137:2024031:102", "UCS+3", "UCD+40+1:2"),
        ("DTM+137:20240301:102", "DTM+137:240301:102", "UCS+3", "UCD+40+1:2"),
        # closed code lists: currency usage, ISO 4217, section identification
        ("CUX+2:EUR:9", "CUX+8:EUR:9", "UCS+4", "UCD+12+1:1"),
        ("CUX+2:EUR:9", "CUX+2:E1R:9", "UCS+4", "UCD+12+1:2"),
        ("UNS+S", "UNS+X", "UCS+9", "UCD+12+1"),
        ("UNS+S", "UNS+SS", "UCS+9", "UCD+39+1"),
        # LIN 1082 is n..6 in D96A (an..6 from D97A)
        ("LIN+1++4006381333931:EN", "LIN+A1++4006381333931:EN", "UCS+6", "UCD+37+1"),
    ],
)
def test_rejected_element_and_its_contrl(old: str, new: str, ucs: str, ucd: str) -> None:
    data = _order(old, new)
    (ix,) = translators.read(data)
    assert ix.status == "rejected" and ix.documents == ()
    assert _contrl(data) == [UCI, REJECTED, ucs, ucd]


def test_lengths_follow_the_message_directory() -> None:
    long_ref = "BGM+220+PO1+9'RFF+CT:" + "C" * 70
    assert translators.read(_order("BGM+220+PO1+9", long_ref, version="01B"))[0].status == (
        "accepted"
    )  # 1154 an..70 since D00B
    assert translators.read(_order("BGM+220+PO1+9", long_ref, version="99B"))[0].status == (
        "rejected"
    )
    letter = _order("LIN+1++4006381333931:EN", "LIN+A1++4006381333931:EN", version="97A")
    assert translators.read(letter)[0].status == "accepted"  # 1082 an..6 since D97A
    # an unknown directory is read with the widest lengths we know, never refused for them
    assert translators.read(_order("BGM+220+PO1+9", long_ref, version="X"))[0].status == (
        "accepted"
    )


@pytest.mark.parametrize(
    ("old", "new", "ucs", "code", "position"),
    [
        ("PRI+AAA:9.25", "PRI+XYZ:9.25", 8, "12", "1:1"),  # 5125: open in practice
        ("DTM+137:20240301:102", "DTM+137:20240301:999", 3, "12", "1:3"),  # format unknown
        ("QTY+21:5:EA", "QTY+21:5:PACK", 7, "39", "1:3"),  # 6411: partners' own units
        ("BGM+220+PO1+9", "BGM+220+PO1+700101", 2, "39", "3"),  # 1225 -> edifact:<c>
        ("DTM+137:20240301:102", "DTM+137:202403011200:102", 3, "39", "1:2"),  # a time
    ],
)
def test_warnings_read_the_order_and_acknowledge_it(
    old: str, new: str, ucs: int, code: str, position: str
) -> None:
    data = _order(old, new)
    (ix,) = translators.read(data)
    assert ix.status == "accepted_with_errors" and len(ix.documents) == 1
    (issue,) = ix.all_issues
    assert (issue.code, issue.severity, issue.segment_index) == (code, "warning", ucs)
    # acknowledged (7), and what was noted is named
    assert _contrl(data) == [UCI, ACKNOWLEDGED, f"UCS+{ucs}", f"UCD+{code}+{position}"]


def test_lower_case_under_unoa_is_a_warning_and_its_contrl_acknowledges() -> None:
    data = _order(
        "NAD+BY+5412345678908::9++ACME RETAIL", "NAD+BY+5412345678908::9++Acme", charset="UNOA"
    )
    (ix,) = translators.read(data)
    assert ix.status == "accepted_with_errors"
    assert ix.documents[0].parties["buyer"].name == "Acme"
    (issue,) = ix.all_issues
    assert (issue.code, issue.severity, issue.segment_index, issue.element) == (
        "21",
        "warning",
        5,
        4,
    )
    assert _contrl(data) == [UCI, ACKNOWLEDGED, "UCS+5", "UCD+21+4"]
    unoc = _order("NAD+BY+5412345678908::9++ACME RETAIL", "NAD+BY+5412345678908::9++Acme")
    assert translators.read(unoc)[0].status == "accepted"


INVOICE = [
    "BGM+380+INV1+9",
    "DTM+137:20240301:102",
    "CUX+2:EUR:4",
    "LIN+1++4006381333931:EN",
    "QTY+47:5:EA",
    "MOA+203:50.00",
    "UNS+S",
    "MOA+77:50.00",
    "TAX+7+VAT+++:::Exempt art. 132+E",
    "MOA+124:0.00",
    "TAX+7+VAT+++:::21+S",
    "MOA+124:0.00",
    "CNT+2:1",
]


def test_a_text_tax_rate_is_a_note_not_an_error() -> None:
    data = _interchange(INVOICE, kind="INVOIC")
    (ix,) = translators.read(data)
    assert ix.status == "accepted", ix.all_issues
    (inv,) = ix.documents
    assert isinstance(inv, Invoice)
    assert [(t.rate, t.exemption_reason) for t in inv.taxes] == [
        (None, "Exempt art. 132"),
        (21, None),
    ]
    assert _contrl(data) == ["UCI+3001+5412345678908:14+5400000000003:14+7"]


def test_a_tax_rate_longer_than_an_17_is_too_long() -> None:
    body = [s.replace("Exempt art. 132", "Exempt under art. 132") for s in INVOICE]
    data = _interchange(body, kind="INVOIC")
    assert _contrl(data) == [
        "UCI+3001+5412345678908:14+5400000000003:14+7",
        "UCM+1+INVOIC:D:96A:UN+4",
        "UCS+10",
        "UCD+39+5:4",
    ]


_PIECES = ["", ":", "0", "1", "2", "21", "102", "718", "9.25", "-3", "20240301", "2024031",
           "EUR", "eu", "S", "AAA", "x" * 4, "x" * 18, "x" * 36]  # fmt: skip


@st.composite
def _segment(draw: st.DrawFn) -> tuple[str, Segment]:
    version = draw(st.sampled_from(["D93A", "D96A", "D97A", "D01B", "D03B", "D10A", "Q"]))
    checks = specs.checks_for(version)
    tag = draw(st.sampled_from(sorted(checks.specs)))
    count = draw(st.integers(0, len(checks.specs[tag]) + 1))
    values = ["".join(draw(st.lists(st.sampled_from(_PIECES), max_size=4))) for _ in range(count)]
    mark = draw(st.sampled_from([".", ","]))
    delims = Delimiters(component=":", element="+", decimal=mark, release=None, segment="'")
    return version, Segment(1, tag, [tag, *values], delims)


@settings(max_examples=800, deadline=None)
@given(_segment())
def test_compiled_checks_agree_in_every_directory(case: tuple[str, Segment]) -> None:
    version, seg = case
    checks = specs.checks_for(version)
    issues = specs.element_errors(seg, checks)
    assert seg.values is not None
    if checks.valid[seg.tag](seg.values, seg.delimiters):
        assert issues == []
    assert specs.check_segment(seg, checks) == issues
