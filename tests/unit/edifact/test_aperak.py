"""The APERAK builder: segment by segment, positive and negative, read back by our reader."""

from __future__ import annotations

import datetime as dt

import msgspec
import pytest

import translators
from tests.conftest import OWN_SAMPLES, public_sample
from translators import RenderError, WriteSettings
from translators.acks.aperak import Answer, build_aperak, reasons
from translators.model import AckError, FunctionalAck, PurchaseOrder

_SETTINGS = WriteSettings(interchange_control=41, timestamp=dt.datetime(2024, 3, 2, 10, 30))


def _order(name: str = "orders.edi") -> PurchaseOrder:
    (ix,) = translators.read((OWN_SAMPLES / "edifact" / name).read_bytes())
    (doc,) = ix.documents
    assert isinstance(doc, PurchaseOrder)
    return doc


def _segments(data: bytes) -> list[str]:
    return [s.strip() for s in data.decode("latin-1").split("'") if s.strip()]


def _read(data: bytes, *, lower_case: bool = False) -> FunctionalAck:
    """``lower_case``: the UNOA input has lower-case text (a CONTRL 21 warning each)."""
    (ix,) = translators.read(data)
    shown = [translators.format_issue(i, "aperak") for i in ix.all_issues]
    if lower_case:
        assert ix.status == "accepted_with_errors", shown
        assert {(i.code, i.severity) for i in ix.all_issues} == {("21", "warning")}, shown
    else:
        assert ix.status == "accepted", shown
    (ack,) = ix.documents
    assert isinstance(ack, FunctionalAck)
    return ack


def test_positive_segment_by_segment_and_read_back() -> None:
    data = build_aperak([Answer.of(_order())], _SETTINGS)
    assert _segments(data) == [
        "UNB+UNOC:3+5400000000003:14+5412345678908:14+240302:1030+41",  # mirrored
        "UNH+1+APERAK:D:96A:UN",
        "BGM+305+41-1+9+AP",
        "DTM+137:20240302:102",
        "FTX+AAI+++accepted for processing",
        "RFF+ACW:1",  # the UNH reference of the order answered
        "RFF+ON:PO-2024-0042",
        "DTM+171:20240301:102",
        "NAD+MS+5400000000003::9",  # us
        "NAD+MR+5412345678908::9",  # the partner
        "UNT+10+1",
        "UNZ+1+41",
    ]
    ack = _read(data)
    assert ack.status == "accepted" and ack.errors == ()
    (ref,) = ack.acknowledges
    assert (ref.level, ref.control, ref.status, ref.errors) == ("message", "1", "accepted", ())


def test_negative_names_each_reason_with_its_location() -> None:
    errors = [
        AckError(code="12", message="unknown product", segment_index=10, segment_tag="LIN"),
        AckError(code="13", message="no delivery date"),
    ]
    data = build_aperak([Answer.of(_order(), errors)], _SETTINGS)
    segments = _segments(data)
    assert segments[2] == "BGM+305+41-1+9+RE"
    assert "FTX+AAI+++accepted for processing" not in segments
    assert segments[-6:-2] == [
        "ERC+12",
        "FTX+AAO+++segment 10 (LIN)?: unknown product",  # ':' released in the text
        "ERC+13",
        "FTX+AAO+++no delivery date",
    ]
    ack = _read(data)
    assert ack.status == "rejected"
    (ref,) = ack.acknowledges
    assert ref.control == "1" and ref.status == "rejected"
    assert [e.code for e in ref.errors] == ["12", "13"]
    assert [e.message for e in ref.errors] == [  # each ERC with the FTX that explains it
        "segment 10 (LIN): unknown product",
        "no delivery date",
    ]
    assert ack.references["edifact:ON"] == "PO-2024-0042"


def _fixed(name: str) -> bytes:
    """A public APERAK with its UNT count put right (the samples declare 8 for 7)."""
    return public_sample(f"edifact/{name}").read_bytes().replace(b"UNT+8+", b"UNT+7+")


def _tags(data: bytes) -> list[str]:
    return [s.split("+")[0] for s in _segments(data) if not s.startswith("UNA")]


def test_looks_like_what_partners_send() -> None:
    """Every segment of the public rejected APERAK has its counterpart, in the same order
    and with its data elements; both read as the same kind of rejection."""
    theirs = _fixed("pydifact__aperak_rejected.edi")
    ours = build_aperak(
        [Answer.of(_order(), [AckError(code="12", message="invalid product code")])], _SETTINGS
    )
    wanted, tags = iter(_tags(ours)), _tags(theirs)[1:]  # after their UNA
    assert all(tag in wanted for tag in tags), (tags, _tags(ours))  # a subsequence
    mine = {s.split("+")[0]: s for s in reversed(_segments(ours))}  # first of each tag
    for segment in _segments(theirs):
        tag = segment.split("+")[0]
        if tag[:3] in ("UNA", "UNB", "UNZ", "UNT"):
            continue
        # as many data elements at least, the same code where theirs has one (not the
        # free text of theirs, whose ':' is not released and so splits it)
        elements, mine_elements = segment.split("+"), mine[tag].split("+")
        assert len(mine_elements) >= len(elements), tag
        assert mine_elements[1].split(":")[0].isalnum(), tag
        if tag in ("DTM", "RFF", "ERC"):  # BGM 305 and FTX AAO differ on purpose
            assert mine_elements[1].split(":")[0] == elements[1].split(":")[0], tag
    a, b = _read(theirs, lower_case=True), _read(ours)  # theirs: UNOA, "Order rejected: ..."
    assert (a.status, b.status) == ("rejected", "rejected")
    assert [e.code for e in a.acknowledges[0].errors] == [e.code for e in b.acknowledges[0].errors]


def test_long_reasons_are_cut_to_five_parts_of_70() -> None:
    text = "x" * 400
    data = build_aperak([Answer.of(_order(), [AckError(code="18", message=text)])], _SETTINGS)
    (ftx,) = [s for s in _segments(data) if s.startswith("FTX+AAO")]
    parts = ftx.split("+")[4].split(":")
    assert [len(p) for p in parts] == [70] * 5


def test_text_fits_the_character_set() -> None:
    """UNOA has no lower case and no accents: the reason is written so that it fits, and
    the APERAK reads back without a character error."""
    order = _order()
    assert order.envelope is not None
    env = msgspec.structs.replace(order.envelope, syntax_version="UNOA:3")
    answer = Answer(
        envelope=env,
        kind="purchase_order",
        number="po-1",
        errors=(AckError(code="12", message="produit inconnu: café #5"),),
    )
    data = build_aperak([answer], _SETTINGS)
    assert data.startswith(b"UNB+UNOA:3+")
    assert "FTX+AAO+++PRODUIT INCONNU?: CAF?? ??5" in _segments(data)  # '?' released
    assert "RFF+ON:PO-1" in _segments(data)
    assert _read(data).status == "rejected"


def test_several_messages_one_interchange_in_their_directories() -> None:
    order = _order()
    assert order.envelope is not None
    later = msgspec.structs.replace(
        order, envelope=msgspec.structs.replace(order.envelope, version="D01B", message_control="2")
    )
    odd = msgspec.structs.replace(
        order, envelope=msgspec.structs.replace(order.envelope, version="?", message_control="3")
    )
    data = build_aperak(
        [Answer.of(order), Answer.of(later, [AckError(code="12")]), Answer.of(odd)], _SETTINGS
    )
    segments = _segments(data)
    assert [s for s in segments if s.startswith(("UNH", "BGM"))] == [
        "UNH+1+APERAK:D:96A:UN",
        "BGM+305+41-1+9+AP",
        "UNH+2+APERAK:D:01B:UN",  # the directory of the message answered
        "BGM+305+41-2+9+RE",
        "UNH+3+APERAK:D:96A:UN",  # none usable: D96A
        "BGM+305+41-3+9+AP",
    ]
    (ix,) = translators.read(data)
    assert [d.status for d in ix.documents] == ["accepted", "rejected", "accepted"]  # type: ignore[attr-defined]


def test_delimiters_and_test_flag_are_mirrored() -> None:
    (ix,) = translators.read((OWN_SAMPLES / "edifact" / "orders_custom_una.edi").read_bytes())
    (order,) = ix.documents
    assert order.envelope is not None
    order = msgspec.structs.replace(
        order, envelope=msgspec.structs.replace(order.envelope, test=True)
    )
    data = build_aperak(
        [Answer.of(order)],
        WriteSettings(
            interchange_control=42, timestamp=_SETTINGS.timestamp, delimiters=ix.delimiters
        ),
    )
    assert data.startswith(b"UNA|^.\\ ~")
    (back,) = translators.read(data)
    assert back.test and back.documents[0].status == "accepted"  # type: ignore[attr-defined]


def test_unb_ack_request_and_test_flags_are_where_the_reader_looks() -> None:
    """UNB 0031 (acknowledgement request) and 0035 (test indicator), elements 9 and 11."""
    data = translators.write(
        [_order()],
        target="edifact:ORDERS",
        settings=WriteSettings(
            sender=_order().envelope.sender,  # type: ignore[union-attr]
            receiver=_order().envelope.receiver,  # type: ignore[union-attr]
            test=True,
            ack_requested=True,
        ),
    )
    assert _segments(data)[0].endswith("+1++++1++1")
    (ix,) = translators.read(data)
    assert ix.test and ix.ack_requested


def test_reasons_are_the_errors_of_located_issues() -> None:
    data = (OWN_SAMPLES / "edifact" / "orders.edi").read_bytes().replace(b"QTY+21:12", b"QTY+21:x")
    (ix,) = translators.read(data)
    (m,) = ix.messages
    found = reasons(m.issues)
    assert found and all(e.code and e.segment_index for e in found)
    assert found[0].segment_tag == "QTY"


def test_only_edifact_documents_are_answered() -> None:
    order = msgspec.structs.replace(_order(), envelope=None)
    with pytest.raises(RenderError, match="EDIFACT"):
        Answer.of(order)
    with pytest.raises(RenderError, match="at least one"):
        build_aperak([], _SETTINGS)
