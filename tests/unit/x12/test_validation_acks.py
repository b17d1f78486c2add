"""Located errors with their AK/IK/TA1 codes, and the acknowledgements built from them."""

from __future__ import annotations

import dataclasses
import datetime as dt

import msgspec
import pytest

import translators
from tests.conftest import OWN_SAMPLES
from translators import Issue, WriteSettings

ORDER = (OWN_SAMPLES / "x12" / "850.x12").read_bytes()
ACK = WriteSettings(
    interchange_control=77,
    group_control=78,
    message_control=79,
    timestamp=dt.datetime(2024, 3, 2, 8, 30),
)


def _issues(data: bytes) -> list[Issue]:
    return [i for ix in translators.read(data) for i in ix.all_issues]


def _key(i: Issue) -> tuple[object, ...]:
    return (i.level, i.code, i.segment_tag, i.segment_index, i.element)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            (b"BEG*00*SA*PO-2024-0042**20240301", b"BEG*00*SA*PO-2024-0042**20241301"),
            ("element", "8", "BEG", 2, 5),
        ),
        ((b"PO1*2*5*CA*40.00", b"PO1*2*5x*CA*40.00"), ("element", "6", "PO1", 13, 2)),
        ((b"BEG*00*SA*PO-2024-0042**", b"BEG*00**PO-2024-0042**"), ("element", "1", "BEG", 2, 2)),
        ((b"CUR*BY*EUR", b"CUR*BY*EURO"), ("element", "5", "CUR", 3, 2)),
        ((b"DTM*002*20240315", b"DTM*2*20240315"), ("element", "4", "DTM", 4, 1)),
        ((b"SE*18*0001", b"SE*18*0002"), ("message", "3", "SE", 18, 2)),
        ((b"SE*18*0001", b"SE*17*0001"), ("message", "4", "SE", 18, 1)),
        ((b"GE*1*1001", b"GE*1*1002"), ("group", "4", "GE", None, 2)),
        ((b"GE*1*1001", b"GE*2*1001"), ("group", "5", "GE", None, 1)),
        ((b"IEA*1*000001001", b"IEA*1*000001002"), ("interchange", "001", "IEA", None, 2)),
        ((b"IEA*1*000001001", b"IEA*3*000001001"), ("interchange", "021", "IEA", None, 1)),
        (
            (b"*ZZ*WIDGETWORKS    *", b"*QQ*WIDGETWORKS    *"),
            ("interchange", "007", "ISA", None, 7),
        ),
        ((b"ST*850*0001", b"ST*851*0001"), ("message", "1", "ST", 1, 1)),
        ((b"CTT*2", b"CTT*3"), ("segment", "8", "CTT", 16, 1)),
    ],
)
def test_error_is_located_with_its_code(
    change: tuple[bytes, bytes], expected: tuple[object, ...]
) -> None:
    assert change[0] in ORDER
    found = [_key(i) for i in _issues(ORDER.replace(*change))]
    assert expected in found, found


def test_ctt_mismatch_is_a_warning_and_the_set_is_accepted_with_errors() -> None:
    (ix,) = translators.read(ORDER.replace(b"CTT*2", b"CTT*3"))
    (m,) = ix.messages
    assert m.status == "accepted_with_errors" and m.document is not None
    ack = translators.build_ack(ix, kind="997", settings=ACK)
    assert ack is not None and b"AK5*E~" in ack and b"AK9*E*1*1*1~" in ack


def test_negative_997_for_a_broken_850() -> None:
    broken = (OWN_SAMPLES / "x12" / "invalid" / "850_bad_values.x12").read_bytes()
    (ix,) = translators.read(broken)
    ack = translators.build_ack(ix, kind="997", settings=ACK)
    assert ack is not None
    segments = [s.strip() for s in ack.decode().split("~") if s.strip()]
    assert segments[2:11] == [
        "ST*997*0079",
        "AK1*PO*1005",
        "AK2*850*0001",
        "AK3*BEG*2**8",
        "AK4*5*373*8*20241301",  # AK402: BEG05 is element 373 (date)
        "AK3*PO1*13*PO1*8",  # AK303: the PO1 loop
        "AK4*2*330*6*5x",  # PO102 is element 330 (quantity ordered)
        "AK5*R*4",
        "AK9*R*1*1*0",
    ]
    # the ack mirrors the inbound envelope: their receiver is our sender
    assert segments[0][:106].split("*")[6].strip() == "WIDGETWORKS"
    assert segments[1].startswith("GS*FA*WIDGETWORKS*ACMERETAIL*") and segments[1].endswith(
        "*004010"
    )
    (back,) = translators.read(ack)
    (fa,) = back.documents
    assert fa.status == "rejected"  # type: ignore[attr-defined]


def test_999_answers_in_5010_and_mirrors_the_version() -> None:
    order5 = (OWN_SAMPLES / "x12" / "850_5010.x12").read_bytes()
    (ix,) = translators.read(order5)
    ack = translators.build_ack(ix, kind="999", settings=ACK)
    assert ack is not None
    text = ack.decode()
    assert "*00501*" in text[:106] and text[104] == ":" and text[82] == "^"
    assert "GS*FA*WIDGETWORKS*ACMERETAIL*" in text and "*X*005010X231A1~" in text
    assert "ST*999*0079*005010X231A1~" in text and "AK1*PO*1002*005010~" in text
    assert "IK5*A~" in text
    ack997 = translators.build_ack(ix, kind="997", settings=ACK)
    assert ack997 is not None and b"*X*005010~" in ack997  # a 997 to 005010 is 005010


def test_ta1_only_for_envelope_errors_or_when_asked() -> None:
    (clean,) = translators.read(ORDER)
    assert translators.build_ack(clean, kind="TA1", settings=ACK) is None
    asked = dataclasses.replace(clean, ack_requested=True)
    assert b"TA1*000001001*240301*1200*A*000~" in translators.build_ack(
        asked, kind="TA1", settings=ACK
    )  # type: ignore[operator]
    (bad,) = translators.read(ORDER.replace(b"IEA*1*000001001", b"IEA*1*000001002"))
    ta1 = translators.build_ack(bad, kind="TA1", settings=ACK)
    assert ta1 is not None and b"TA1*000001001*240301*1200*R*001~" in ta1
    (back,) = translators.read(ta1)
    (doc,) = back.documents
    assert doc.status == "rejected" and doc.acknowledges[0].codes == ("001",)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", None),
        (b"ISA*00*00*ZZ*ACME*ZZ*US*240301*1200*U*00401*1*0*P*>~GS*PO~", "023"),
        (b"ISAX00*", "026"),
        (b"\x00\xff\x10garbage", None),
    ],
)
def test_unreadable_input_raises_a_located_translation_error(data: bytes, code: str | None) -> None:
    with pytest.raises(translators.TranslationError) as err:
        translators.read(data, syntax="x12") if data[:3] == b"ISA" else translators.read(data)
    if code is not None:
        assert isinstance(err.value, translators.SyntaxFault)
        assert err.value.issues[0].code == code


def test_render_refuses_values_containing_a_delimiter() -> None:
    (doc,) = translators.read(ORDER)[0].documents
    bad = msgspec.structs.replace(doc, number="PO*42")
    with pytest.raises(translators.RenderError, match="element separator"):
        translators.write(
            [bad],
            target="x12:850",
            settings=dataclasses.replace(
                ACK,
                sender=doc.envelope.sender,  # type: ignore[union-attr]
                receiver=doc.envelope.receiver,
            ),
        )  # type: ignore[union-attr]
