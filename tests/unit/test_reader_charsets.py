"""Readers: characters a character set cannot hold are located errors with the
acknowledgement's code, never garbled or silently replaced text (issue "Hardening the
core", item 3)."""

from __future__ import annotations

import pytest

import translators
from tests.conftest import OWN_SAMPLES

ORDERS = (OWN_SAMPLES / "edifact" / "orders.edi").read_bytes()  # UNOC:3, NAD ... ACME Retail
ORDER_850 = (OWN_SAMPLES / "x12" / "850.x12").read_bytes()


def _issues(data: bytes) -> list[tuple[str, str, str | None, int | None, int | None]]:
    (ix,) = translators.read(data)
    return [(i.level, i.code, i.segment_tag, i.segment_number, i.element) for i in ix.all_issues]


def _nad_by(data: bytes) -> int:
    """Segment number of the buyer's NAD (1-based, as issues count)."""
    segments = data.split(b"'")
    return next(n for n, s in enumerate(segments, start=1) if s.strip().startswith(b"NAD+BY"))


def test_utf8_text_in_a_unoa_interchange_is_contrl_21_at_its_element() -> None:
    data = ORDERS.replace(b"UNOC", b"UNOA").replace(b"ACME Retail", "ÄCME Rétail".encode())
    (ix,) = translators.read(data)
    assert ix.status == "rejected" and ix.documents == ()
    assert ("element", "21", "NAD", _nad_by(data), 4) in _issues(data)
    # the lower case of other segments is a warning (UNOA is upper case only)
    (issue,) = [i for i in ix.all_issues if i.code == "21" and i.is_error]
    assert issue.segment_index is not None and issue.message_control == "1"


def test_unoa_and_unob_still_read_printable_ascii() -> None:
    data = ORDERS.replace(b"ACME Retail", b"Acme @ Retail")
    (ix,) = translators.read(data.replace(b"UNOC", b"UNOB"))
    assert ix.status == "accepted", ix.all_issues
    # UNOA leaves lower case out: read, and noted as a CONTRL 21 warning where it stands
    (ix,) = translators.read(data.replace(b"UNOC", b"UNOA"))
    assert ix.status == "accepted_with_errors"
    assert ix.documents[0].parties["buyer"].name == "Acme @ Retail"
    assert all((i.code, i.severity) == ("21", "warning") for i in ix.all_issues)
    (issue,) = [i for i in ix.all_issues if i.segment_number == _nad_by(data)]
    assert (issue.segment_tag, issue.element, issue.segment_index) == ("NAD", 4, 5)
    assert "'c'" in issue.message


def test_invalid_utf8_in_a_unoy_interchange_is_contrl_21_not_a_replacement() -> None:
    data = ORDERS.replace(b"UNOC", b"UNOY").replace(b"ACME Retail", b"ACME \xff\xfeRetail")
    (ix,) = translators.read(data)
    assert ix.status == "rejected" and ix.documents == ()
    assert ("element", "21", "NAD", _nad_by(data), 4) in _issues(data)


def test_valid_utf8_in_unoy_and_a_real_replacement_character_are_read() -> None:
    data = ORDERS.replace(b"UNOC", b"UNOY").replace(b"ACME Retail", "ACME \ufffd 東京".encode())
    (ix,) = translators.read(data)
    assert ix.status == "accepted"
    assert ix.documents[0].parties["buyer"].name == "ACME \ufffd 東京"


@pytest.mark.parametrize("char", [b"\x00", b"\x07", b"\x1b", b"\x7f"])
def test_control_characters_in_edifact_are_contrl_21(char: bytes) -> None:
    data = ORDERS.replace(b"ACME Retail", b"ACME" + char + b"Retail")
    assert ("element", "21", "NAD", _nad_by(data), 4) in _issues(data)


def test_unknown_syntax_identifier_is_contrl_2() -> None:
    data = ORDERS.replace(b"UNOC", b"UNOZ")
    (ix,) = translators.read(data)
    assert ix.status == "rejected"
    assert ("interchange", "2", "UNB", 1, 1) in _issues(data)


def test_a_lone_una_is_a_located_syntax_fault() -> None:
    with pytest.raises(translators.SyntaxFault) as info:
        translators.read(b"UNA:+.? '")
    (issue,) = info.value.issues
    assert (issue.segment_number, issue.segment_tag, issue.code) == (1, "UNA", "13")


def test_a_lone_una_in_chunks_is_a_syntax_fault_too() -> None:
    with pytest.raises(translators.SyntaxFault):
        list(translators.stream(iter([b"UNA:+.", b"? '", b"\r\n"])))


def test_nul_in_an_x12_element_is_ak4_6_located() -> None:
    data = ORDER_850.replace(b"ACME Retail", b"AC\x00ME Retail", 1)
    (ix,) = translators.read(data)
    assert ix.status == "rejected" and ix.documents == ()
    (issue,) = ix.all_issues
    assert (issue.level, issue.code, issue.segment_tag, issue.element) == ("element", "6", "N1", 2)
    assert issue.segment_index == 5
    ack = translators.build_ack(ix, kind="997", settings=translators.WriteSettings())
    assert ack is not None and b"AK4*2**6~" in ack and b"\x00" not in ack


def test_x12_control_character_delimiters_are_not_flagged() -> None:
    data = (
        ORDER_850.replace(b"*", b"\x1d")
        .replace(b"~\n", b"\x1c")
        .replace(b"\x1d>\x1c", b"\x1d\x1f\x1c")
    )
    (ix,) = translators.read(data)
    assert ix.status == "accepted", ix.all_issues


def test_invalid_utf8_in_a_second_interchange_of_the_same_block_is_found() -> None:
    # the text after a UNZ goes back to the buffer as bytes: re-encoding its U+FFFD
    # replacement made the bad bytes valid UTF-8 and hid them
    good = ORDERS.replace(b"UNOC", b"UNOY")
    bad = good.replace(b"ACME Retail", b"ACME \xff Retail")
    first, second = translators.read(good + bad)
    assert first.status == "accepted"
    assert second.status == "rejected"
    assert [(i.code, i.segment_tag) for i in second.all_issues] == [("21", "NAD")]
