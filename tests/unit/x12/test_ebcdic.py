"""EBCDIC interchanges (cp037, cp500): detected from the ISA, read to the same documents
as their ASCII twins, and answered (997, 999, TA1) in the partner's own code page."""

from __future__ import annotations

import datetime as dt

import pytest

import translators
from tests.conftest import OWN_SAMPLES
from translators import WriteSettings

ASCII_850 = (OWN_SAMPLES / "x12" / "850.x12").read_bytes()
EBCDIC_850 = (OWN_SAMPLES / "x12" / "850_ebcdic.x12").read_bytes()
ACK = WriteSettings(interchange_control=9, timestamp=dt.datetime(2024, 3, 2, 8, 30))


def _mainframe(data: bytes, codec: str, line_end: str = "\x85") -> bytes:
    """``data`` as a mainframe writes it: in ``codec``, each line ended by NL (0x15,
    U+0085 in Python's codecs) or CR LF. Independent of the code under test."""
    return data.decode("ascii").replace("\r\n", "\n").replace("\n", line_end).encode(codec)


def _segments(ebcdic: bytes, codec: str) -> list[str]:
    text = ebcdic.decode(codec).replace("\x85", "\n")
    return [s.strip("\r\n") for s in text.split("~") if s.strip("\r\n")]


def test_the_cp037_sample_is_the_ascii_order_as_a_mainframe_writes_it() -> None:
    assert _mainframe(ASCII_850, "cp037") == EBCDIC_850
    assert EBCDIC_850.startswith(b"\xc9\xe2\xc1")


@pytest.mark.parametrize(
    ("sample", "codec", "line_end", "found"),
    [
        ("850.x12", "cp037", "\x85", "cp037"),
        ("850.x12", "cp037", "\r\n", "cp037"),
        ("850_5010.x12", "cp500", "\r\n", "cp500"),  # "^" repetition: 0x5F, "¬" in cp037
        ("856.x12", "cp037", "\x85", "cp037"),
        # "*", ">" and "~" are the same bytes in both: read (and answered) as cp037
        ("810.x12", "cp500", "\x85", "cp037"),
    ],
)
def test_an_ebcdic_interchange_reads_as_its_ascii_twin(
    sample: str, codec: str, line_end: str, found: str
) -> None:
    plain = (OWN_SAMPLES / "x12" / sample).read_bytes()
    data = _mainframe(plain, codec, line_end)
    assert translators.detect(data) == "x12"
    (ix,) = translators.read(data)
    (twin,) = translators.read(plain)
    assert ix.extra == {"encoding": found}
    assert ix.all_issues == twin.all_issues == ()
    assert ix.documents == twin.documents and ix.documents
    assert ix.delimiters == twin.delimiters


def test_a_streamed_ebcdic_interchange_in_small_chunks() -> None:
    chunks = [EBCDIC_850[i : i + 7] for i in range(0, len(EBCDIC_850), 7)]
    out = list(translators.stream(iter(chunks)))
    (twin,) = translators.read(ASCII_850)
    assert [m.document for m in out[:-1]] == list(twin.documents)  # type: ignore[union-attr]
    assert out[-1].extra == {"encoding": "cp037"}  # type: ignore[union-attr]


def test_text_beyond_ascii_reads_from_the_code_page() -> None:
    text = ASCII_850.decode("ascii").replace("Blue widget", "Blue widget café")
    data = text.replace("\n", "\x85").encode("cp037")
    (ix,) = translators.read(data)
    assert ix.all_issues == ()
    assert ix.documents[0].lines[0].description == "Blue widget café"


@pytest.mark.parametrize(("kind", "sample"), [("997", "850.x12"), ("999", "850_5010.x12")])
def test_the_functional_ack_goes_back_in_ebcdic_segment_for_segment(kind: str, sample: str) -> None:
    plain = (OWN_SAMPLES / "x12" / sample).read_bytes()
    (ix,) = translators.read(_mainframe(plain, "cp037"))
    (twin,) = translators.read(plain)
    ack = translators.build_ack(ix, kind=kind, settings=ACK)
    expected = translators.build_ack(twin, kind=kind, settings=ACK)
    assert ack is not None and expected is not None
    assert ack.startswith(b"\xc9\xe2\xc1") and b"\xa1\x15" in ack  # ISA; "~" and NL
    assert _segments(ack, "cp037") == [
        s.strip("\r\n") for s in expected.decode("ascii").split("~") if s.strip("\r\n")
    ]
    (read_back,) = translators.read(ack)
    assert read_back.extra == {"encoding": "cp037"} and read_back.all_issues == ()
    assert read_back.documents[0].status == "accepted"  # type: ignore[union-attr]


def test_a_ta1_rejecting_an_ebcdic_interchange_is_ebcdic_too() -> None:
    broken = ASCII_850.replace(b"IEA*1*000001001", b"IEA*1*000001002")
    (ix,) = translators.read(_mainframe(broken, "cp500"))
    ta1 = translators.build_ack(ix, kind="TA1", settings=ACK)
    assert ta1 is not None
    (segment,) = [s for s in _segments(ta1, "cp500") if s.startswith("TA1")]
    assert segment == "TA1*000001001*240301*1200*R*001"


def test_ascii_input_is_answered_in_ascii() -> None:
    (ix,) = translators.read(ASCII_850)
    assert ix.extra == {}
    assert (translators.build_ack(ix, kind="997", settings=ACK) or b"").startswith(b"ISA*")
