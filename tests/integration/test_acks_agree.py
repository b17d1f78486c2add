"""What our acknowledgement rejects, the gateway holds: a partner that reads "rejected"
sends again, so an order from a rejected group or interchange must not reach the ERP."""

from __future__ import annotations

import datetime as dt
import shutil

import msgspec

import translators
from gateway.app import Gateway
from gateway.erp import RecordingErp
from gateway.pipeline import HANDLERS, Inbox, Worker
from tests.conftest import ROOT
from translators import WriteSettings
from translators.model import PartyId

from .conftest import ORDER, make_850


async def _process(gw: Gateway, partner: str, payload: bytes) -> tuple[str, str, list[str]]:
    """(message status, the ack's text, numbers the ERP got) after a full drain."""
    accepted = await Inbox(gw).accept(partner=partner, transport="sftp", payload=payload)
    await Worker(gw, HANDLERS).run(drain=True)
    msg = await gw.store.get_message(accepted.message_id)
    assert msg is not None
    acks = await gw.store.related(accepted.message_id)
    text = "".join([(await gw.archive.get(a.sha256)).decode() for a in acks])
    assert isinstance(gw.erp, RecordingErp)
    return msg.status, text, [number or "" for _, _, number in gw.erp.orders()]


def _groups(*interchanges: bytes) -> list[str]:
    """The GS..GE segments of each one-group interchange."""
    out = []
    for data in interchanges:
        segments = data.decode().split("~\n")
        out.append("~\n".join(s for s in segments if s and not s.startswith(("ISA", "IEA"))))
    return out


def _interchange(control: int, groups: list[str], count: int | None = None) -> bytes:
    isa = make_850(control).decode().split("~\n")[0]
    body = "~\n".join(groups)
    return f"{isa}~\n{body}~\nIEA*{count or len(groups)}*{control:09d}~\n".encode()


async def test_a_group_the_997_rejects_reaches_no_erp(gw: Gateway) -> None:
    good, bad = _groups(make_850(810, number="PO-GOOD"), make_850(811, number="PO-BAD"))
    bad = bad.replace("GE*1*811", "GE*9*811")  # the group's count is wrong: AK9 R
    status, ack, orders = await _process(gw, "acme", _interchange(812, [good, bad]))
    assert "AK1*PO*810~" in ack and "AK9*A*1*1*1~" in ack
    assert "AK1*PO*811~" in ack and "AK9*R*1*1*1*5~" in ack
    assert orders == ["PO-GOOD"]
    assert status == "partial"


async def test_an_interchange_the_ta1_rejects_reaches_no_erp(gw: Gateway) -> None:
    (group,) = _groups(make_850(820, number="PO-IEA"))
    payload = _interchange(820, [group], count=2)  # IEA01 says 2 groups: TA1 R 021
    status, ack, orders = await _process(gw, "acme", payload)
    assert "TA1*000000820*" in ack and "*R*021~" in ack
    assert orders == []
    assert status == "rejected"


async def test_an_interchange_the_contrl_rejects_reaches_no_erp(gw: Gateway) -> None:
    shutil.copy(ROOT / "partners" / "eurofoods.toml", gw.settings.partners_dir)
    gw.profiles.refresh()
    payload = translators.write(
        [msgspec.structs.replace(ORDER, number="EF-UNZ")],
        target="edifact:ORDERS",
        settings=WriteSettings(
            sender=PartyId(id="8711576000012", qualifier="14"),
            receiver=PartyId(id="5400000000003", qualifier="14"),
            interchange_control=62,
            timestamp=dt.datetime(2024, 3, 1),
        ),
    )
    payload = payload.replace(b"UNZ+1+62'", b"UNZ+3+62'")  # the count is wrong
    assert b"UNZ+3+62'" in payload
    status, ack, orders = await _process(gw, "eurofoods", payload)
    assert "UCI+62+" in ack and "+4+" in ack.split("UCI+62+")[1].split("'")[0] + "+"
    assert orders == []
    assert status == "rejected"


async def test_an_accepted_interchange_still_reaches_the_erp(gw: Gateway) -> None:
    status, ack, orders = await _process(gw, "acme", make_850(830, number="PO-OK"))
    assert "AK9*A*1*1*1~" in ack and orders == ["PO-OK"] and status == "processed"


def _orders(number: str, version: str, control: int) -> bytes:
    return translators.write(
        [msgspec.structs.replace(ORDER, number=number)],
        target="edifact:ORDERS",
        settings=WriteSettings(
            sender=PartyId(id="8711576000012", qualifier="14"),
            receiver=PartyId(id="5400000000003", qualifier="14"),
            interchange_control=control,
            timestamp=dt.datetime(2024, 3, 1),
            version=version,
        ),
    )


async def test_another_directory_version_is_noted_or_refused_as_the_profile_says(
    gw: Gateway,
) -> None:
    profile = gw.settings.partners_dir / "eurofoods.toml"
    shutil.copy(ROOT / "partners" / "eurofoods.toml", profile)
    gw.profiles.refresh()
    assert gw.profiles.get("eurofoods").edifact.version == "D96A"  # type: ignore[union-attr]
    status, ack, orders = await _process(gw, "eurofoods", _orders("EF-D01B", "D01B", 71))
    assert status == "processed" and orders == ["EF-D01B"]  # noted: still an order
    assert "UCM+" in ack and "+ORDERS:D:01B" in ack
    (msg,) = await gw.store.list_messages(direction="in")
    assert any(e["code"] == "17" and "D01B" in e["message"] for e in msg.errors)

    text = profile.read_text().replace("[edifact]\n", '[edifact]\nother_versions = "refuse"\n')
    profile.write_text(text)
    gw.profiles.refresh()
    status, ack, orders = await _process(gw, "eurofoods", _orders("EF-D01B-2", "D01B", 72))
    assert status == "rejected" and orders == ["EF-D01B"]  # the second never reached the ERP
    assert "UCM+1+ORDERS:D:01B:UN+4+17'" in ack  # message rejected: no agreement


async def test_a_duplicate_is_answered_when_the_profile_asks(gw: Gateway) -> None:
    for name in ("acme", "eurofoods"):
        path = gw.settings.partners_dir / f"{name}.toml"
        shutil.copy(ROOT / "partners" / f"{name}.toml", path)
        text = path.read_text()
        text = (
            text.replace("[acks]\n", "[acks]\nanswer_duplicates = true\n")
            if "[acks]\n" in text
            else text + "\n[acks]\nanswer_duplicates = true\n"
        )
        path.write_text(text)
    assert gw.profiles.refresh() == []
    assert all(gw.profiles.get(n).answer_duplicates for n in ("acme", "eurofoods"))  # type: ignore[union-attr]
    first = make_850(840, number="PO-ONCE")
    assert (await _process(gw, "acme", first))[0] == "processed"
    status, ack, orders = await _process(gw, "acme", first)
    assert status == "duplicate" and orders == ["PO-ONCE"]
    assert "TA1*000000840*" in ack and "*R*025~" in ack and "AK1*" not in ack

    payload = _orders("EF-ONCE", "D96A", 85)
    assert (await _process(gw, "eurofoods", payload))[0] == "processed"
    status, ack, orders = await _process(gw, "eurofoods", payload)
    assert status == "duplicate" and orders.count("EF-ONCE") == 1
    assert "UCI+85+8711576000012:14+5400000000003:14+4+26" in ack


def _with_unknown_segment(payload: bytes, segment: bytes, before: bytes, trailer: bytes) -> bytes:
    """``payload`` with ``segment`` inserted before ``before``, and its SE01 / UNT count
    (the number after the last ``trailer``, "SE*" or "UNT+") one more."""
    assert payload.count(before) == 1
    head, _, tail = payload.replace(before, segment + before).rpartition(trailer)
    count, separator, rest = tail.partition(trailer[-1:])
    return head + trailer + str(int(count) + 1).encode() + separator + rest


def _set_acks(gw: Gateway, name: str, line: str) -> None:
    path = gw.settings.partners_dir / f"{name}.toml"
    text = (ROOT / "partners" / f"{name}.toml").read_text()
    text = (
        text.replace("[acks]\n", f"[acks]\n{line}\n")
        if "[acks]\n" in text
        else f"{text}\n[acks]\n{line}\n"
    )
    path.write_text(text)
    assert gw.profiles.refresh() == []


async def test_an_unknown_segment_is_noted_or_rejected_as_the_profile_says(gw: Gateway) -> None:
    noted = _with_unknown_segment(make_850(850, number="PO-ZZZ"), b"ZZZ*1~\n", b"CTT*", b"SE*")
    status, ack, orders = await _process(gw, "acme", noted)
    assert status == "processed" and orders == ["PO-ZZZ"]  # note, the default
    assert "AK3*ZZZ*" in ack and "AK5*E~" in ack
    (msg,) = await gw.store.list_messages(direction="in")
    assert any(e["segment_tag"] == "ZZZ" and e["code"] == "1" for e in msg.errors)

    _set_acks(gw, "acme", 'unknown_segments = "reject"')
    assert gw.profiles.get("acme").unknown_segments == "reject"  # type: ignore[union-attr]
    rejected = _with_unknown_segment(make_850(851, number="PO-ZZZ-2"), b"ZZZ*1~\n", b"CTT*", b"SE*")
    status, ack, orders = await _process(gw, "acme", rejected)
    assert status == "rejected" and orders == ["PO-ZZZ"]  # the second never reached the ERP
    assert "AK3*ZZZ*" in ack and "AK5*R*5~" in ack and "AK9*R*1*1*0~" in ack


async def test_an_edifact_unknown_segment_rejected_by_the_profile_reaches_no_erp(
    gw: Gateway,
) -> None:
    _set_acks(gw, "eurofoods", 'unknown_segments = "reject"')
    payload = _with_unknown_segment(_orders("EF-ZZZ", "D96A", 91), b"ZZZ+1'", b"UNS+", b"UNT+")
    status, ack, orders = await _process(gw, "eurofoods", payload)
    assert status == "rejected" and orders == []
    assert "UCM+1+ORDERS:D:96A:UN+4'" in ack and "+15'" in ack.split("UCM+1+")[1]
