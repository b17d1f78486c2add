"""Whole inbound flows through accept() and the workers, with real X12 files."""

from __future__ import annotations

import dataclasses
import json

import pytest

import translators
from gateway.app import Gateway
from gateway.audit import verify
from gateway.erp import RecordingErp
from gateway.pipeline import HANDLERS, Inbox, Worker
from tests.conftest import OWN_SAMPLES
from translators import SizeLimitError

from .conftest import make_850


async def _run(gw: Gateway) -> None:
    await Worker(gw, HANDLERS).run(drain=True)


async def _ack_of(gw: Gateway, message_id: str) -> translators.InterchangeResult:
    (ack,) = await gw.store.related(message_id)
    assert ack.direction == "out" and ack.kinds == ("functional_ack",)
    (ix,) = translators.read(await gw.archive.get(ack.sha256))
    return ix


async def test_valid_850_is_stored_acked_and_handed_to_the_erp(gw: Gateway) -> None:
    inbox = Inbox(gw)
    first = await inbox.accept(
        partner="acme", transport="as2", payload=make_850(101), transport_id="<a@acme>"
    )
    second = await inbox.accept(
        partner="acme", transport="as2", payload=make_850(102), transport_id="<b@acme>"
    )
    await _run(gw)
    msg = await gw.store.get_message(first.message_id)
    assert msg is not None and msg.status == "processed" and msg.format == "x12"
    (doc,) = await gw.store.documents(first.message_id)
    assert (doc.kind, doc.number, doc.interchange_control) == (
        "purchase_order",
        "PO-101",
        "000000101",
    )
    assert json.loads(doc.body)["lines"][0]["product"]["gtin"] == "05412345000013"
    # each 997 answers its GS06, with our next control numbers (workers run concurrently,
    # so which message gets 1 and which 2 is not fixed; that both are used once is)
    acks = [await _ack_of(gw, m) for m in (first.message_id, second.message_id)]
    assert sorted(a.control for a in acks) == ["000000001", "000000002"]
    fa = acks[0].documents[0]
    assert fa.status == "accepted" and fa.acknowledges[0].control == "101"  # type: ignore[attr-defined]
    assert acks[0].sender.id == "WIDGETWORKS" and acks[0].receiver.id == "ACMERETAIL"  # type: ignore[union-attr]
    erp = gw.erp
    assert isinstance(erp, RecordingErp)
    assert sorted(number for _, _, number in erp.orders()) == ["PO-101", "PO-102"]


async def test_broken_850_is_rejected_with_a_negative_997(gw: Gateway) -> None:
    broken = (
        make_850(201).replace(b"PO1*2*5*", b"PO1*2*5x*").replace(b"**20240301~", b"**20241301~")
    )
    accepted = await Inbox(gw).accept(partner="acme", transport="http", payload=broken)
    await _run(gw)
    msg = await gw.store.get_message(accepted.message_id)
    assert msg is not None and msg.status == "rejected"
    assert {(e["segment_tag"], e["element"], e["code"]) for e in msg.errors} == {
        ("BEG", 5, "8"),
        ("PO1", 2, "6"),
    }
    assert await gw.store.documents(accepted.message_id) == []
    ack = await _ack_of(gw, accepted.message_id)
    (fa,) = ack.documents
    assert fa.status == "rejected"  # type: ignore[attr-defined]
    errors = {
        (e.segment_tag, e.segment_index, e.element, e.code)
        for ref in fa.acknowledges
        for e in ref.errors
    }  # type: ignore[attr-defined]
    assert ("BEG", 2, 5, "8") in errors and ("PO1", 13, 2, "6") in errors
    assert isinstance(gw.erp, RecordingErp) and gw.erp.orders() == []
    # the original bytes are kept, unchanged
    assert await gw.archive.get(msg.sha256) == broken


async def test_duplicate_interchange_is_flagged_not_processed_again(gw: Gateway) -> None:
    inbox = Inbox(gw)
    first = await inbox.accept(partner="acme", transport="sftp", payload=make_850(301))
    await _run(gw)
    again = await inbox.accept(partner="acme", transport="sftp", payload=make_850(301))
    await _run(gw)
    msg = await gw.store.get_message(again.message_id)
    assert msg is not None and msg.status == "duplicate"
    assert any(first.message_id in e.get("message", "") for e in msg.errors)
    assert await gw.store.related(again.message_id) == []  # no second 997
    assert isinstance(gw.erp, RecordingErp) and len(gw.erp.orders()) == 1
    # same AS2 Message-ID: recorded at accept time, never queued
    a = await inbox.accept(
        partner="acme", transport="as2", payload=make_850(302), transport_id="<same@acme>"
    )
    b = await inbox.accept(
        partner="acme", transport="as2", payload=make_850(302), transport_id="<same@acme>"
    )
    assert a.duplicate_of is None and b.duplicate_of == a.message_id
    assert await gw.store.jobs(message_id=b.message_id) == []


async def test_envelope_sender_of_another_partner_is_refused(gw: Gateway) -> None:
    impostor = make_850(401, sender="SOMEONEELSE")
    accepted = await Inbox(gw).accept(partner="acme", transport="as2", payload=impostor)
    await _run(gw)
    msg = await gw.store.get_message(accepted.message_id)
    assert msg is not None and msg.status == "refused"
    (err,) = [e for e in msg.errors if e["code"] == "006"]
    assert "SOMEONEELSE" in err["message"] and err["segment_tag"] == "ISA"
    assert await gw.store.documents(accepted.message_id) == []
    assert isinstance(gw.erp, RecordingErp) and gw.erp.orders() == []
    ack = await _ack_of(gw, accepted.message_id)  # a TA1 rejecting the interchange
    (ta1,) = ack.documents
    assert ta1.status == "rejected" and ta1.acknowledges[0].codes == ("006",)  # type: ignore[attr-defined]


async def test_incoming_997_reconciles_what_we_sent(gw: Gateway) -> None:
    async with gw.store.transaction() as tx:
        from gateway.store import MessageRow

        tx.insert_message(
            MessageRow(
                id="out-1",
                direction="out",
                partner="acme",
                transport="as2",
                status="sent",
                size=1,
                sha256="0" * 64,
            )
        )
        tx.expect_ack(
            message_id="out-1",
            partner="acme",
            syntax="x12",
            group_control="1001",
            deadline=gw.store.now() + 3600,
        )
    ack_997 = (OWN_SAMPLES / "x12" / "997.x12").read_bytes()  # accepts group 1001
    ack_997 = ack_997.replace(
        b"*ZZ*WIDGETWORKS    *ZZ*ACMERETAIL     *", b"*ZZ*ACMERETAIL     *ZZ*WIDGETWORKS    *"
    )
    accepted = await Inbox(gw).accept(partner="acme", transport="as2", payload=ack_997)
    await _run(gw)
    msg = await gw.store.get_message(accepted.message_id)
    assert msg is not None and msg.status == "processed", msg.errors
    assert await gw.store.related(accepted.message_id) == []  # no ack for an ack
    events = await gw.store.audit_events(message_id="out-1")
    assert [e.action for e in events] == ["ack.reconciled"]
    assert await gw.store.overdue_acks() == []


async def test_kind_not_in_profile_is_rejected(gw: Gateway) -> None:
    asn = (OWN_SAMPLES / "x12" / "856.x12").read_bytes()  # acme may send orders, not ASNs
    accepted = await Inbox(gw).accept(partner="acme", transport="as2", payload=asn)
    await _run(gw)
    msg = await gw.store.get_message(accepted.message_id)
    assert msg is not None and msg.status == "rejected"
    assert [e["code"] for e in msg.errors] == ["1"]
    (fa,) = (await _ack_of(gw, accepted.message_id)).documents
    assert fa.acknowledges[1].codes == ("1",)  # type: ignore[attr-defined]


async def test_reprocess_does_not_hand_the_order_to_the_erp_twice(gw: Gateway) -> None:
    accepted = await Inbox(gw).accept(partner="acme", transport="as2", payload=make_850(501))
    await _run(gw)
    import argparse

    from gateway.cli.ops import _reprocess  # the operator's command, minus argument parsing

    await _reprocess(gw, argparse.Namespace(id=accepted.message_id, operator="alice"))
    await _run(gw)
    assert isinstance(gw.erp, RecordingErp) and len(gw.erp.orders()) == 1
    assert len(await gw.store.related(accepted.message_id)) == 2  # a new 997
    checked, broken = verify(await gw.store.audit_events())
    assert broken is None and checked > 10
    actions = [e.action for e in await gw.store.audit_events(message_id=accepted.message_id)]
    assert "message.reprocess" in actions


async def test_unreadable_payload_is_rejected_and_kept(gw: Gateway) -> None:
    accepted = await Inbox(gw).accept(partner="acme", transport="http", payload=b"\x00junk")
    await _run(gw)
    msg = await gw.store.get_message(accepted.message_id)
    assert msg is not None and msg.status == "rejected" and msg.errors
    assert await gw.archive.get(msg.sha256) == b"\x00junk"


async def test_edifact_partner_gets_a_contrl(gw: Gateway, tmp_path_factory: object) -> None:
    import datetime as dt
    import shutil

    import msgspec

    from tests.conftest import ROOT
    from translators import WriteSettings
    from translators.model import PartyId

    shutil.copy(ROOT / "partners" / "eurofoods.toml", gw.settings.partners_dir)
    gw.profiles.refresh()
    order = translators.from_json((OWN_SAMPLES / "canonical" / "order.json").read_text())
    payload = translators.write(
        [msgspec.structs.replace(order, number="EF-1")],
        target="edifact:ORDERS",
        settings=WriteSettings(
            sender=PartyId(id="8711576000012", qualifier="14"),
            receiver=PartyId(id="5400000000003", qualifier="14"),
            interchange_control=61,
            timestamp=dt.datetime(2024, 3, 1),
        ),
    )
    accepted = await Inbox(gw).accept(partner="eurofoods", transport="sftp", payload=payload)
    await _run(gw)
    msg = await gw.store.get_message(accepted.message_id)
    assert msg is not None and msg.status == "processed" and msg.format == "edifact"
    (contrl,) = await gw.store.related(accepted.message_id)
    (ix,) = translators.read(await gw.archive.get(contrl.sha256))
    (doc,) = ix.documents
    assert doc.status == "accepted" and doc.acknowledges[0].control == "61"  # type: ignore[attr-defined]
    assert isinstance(gw.erp, RecordingErp) and [n for _, _, n in gw.erp.orders()] == ["EF-1"]


async def test_xml_has_a_lower_size_limit_at_the_door(gw: Gateway) -> None:
    """lxml holds a whole document at about 13x its size: XML is bounded on its own."""

    gw.settings = dataclasses.replace(gw.settings, max_xml_bytes=4096)
    ubl = (OWN_SAMPLES / "xml" / "order.xml").read_bytes()
    big_xml = ubl.replace(b"</Order>", b"<!--" + b"x" * 8192 + b"--></Order>")
    with pytest.raises(SizeLimitError, match="limit for XML"):
        await Inbox(gw).accept(partner="acme", transport="http", payload=big_xml)
    big_x12 = make_850(990) + b"\n" * 8192  # the same size in X12 is fine
    await Inbox(gw).accept(partner="acme", transport="http", payload=big_x12)
    assert len(await gw.store.list_messages()) == 1
