"""Duplicates that used to slip through: a document naming no sender, processed for every
partner it was sent as; a resend after the store lost its last messages."""

from __future__ import annotations

import re
import shutil
import sqlite3
from contextlib import closing

import pytest

from gateway.app import Gateway
from gateway.erp import RecordingErp
from gateway.pipeline import HANDLERS, Inbox, Worker
from tests.conftest import OWN_SAMPLES, ROOT

from .conftest import make_850

#: the sample UBL order with the buyer's PartyIdentification taken out: no sender id
ANONYMOUS_ORDER = re.sub(
    rb"(<cac:BuyerCustomerParty>\s*<cac:Party>)\s*<cac:PartyIdentification>.*?"
    rb"</cac:PartyIdentification>",
    rb"\1",
    (OWN_SAMPLES / "xml" / "order.xml").read_bytes(),
    count=1,
    flags=re.DOTALL,
)


async def _run(gw: Gateway) -> None:
    await Worker(gw, HANDLERS).run(drain=True)


def _orders(gw: Gateway) -> list[tuple[str, str, str | None]]:
    assert isinstance(gw.erp, RecordingErp)
    return gw.erp.orders()


def _add_partners(gw: Gateway, *names: str, xml_sender: str | None = None) -> None:
    for name in names:
        shutil.copy(ROOT / "partners" / f"{name}.toml", gw.settings.partners_dir)
    if xml_sender is not None:
        path = gw.settings.partners_dir / "nordbuild.toml"
        text = path.read_text().replace("[xml]\n", f'[xml]\nsender = "{xml_sender}"\n')
        path.write_text(text)
    gw.profiles.refresh()
    assert not gw.profiles.problems, gw.profiles.problems


async def test_a_document_naming_no_sender_is_refused_for_every_partner(gw: Gateway) -> None:
    assert b"5412345678908" not in ANONYMOUS_ORDER.split(b"</cac:BuyerCustomerParty>")[0]
    _add_partners(gw, "nordbuild", "eurofoods")
    inbox = Inbox(gw)
    ids = [
        (await inbox.accept(partner=p, transport="http", payload=ANONYMOUS_ORDER)).message_id
        for p in ("nordbuild", "eurofoods")
    ]
    await _run(gw)
    for message_id in ids:
        msg = await gw.store.get_message(message_id)
        assert msg is not None and msg.status == "refused", (msg, msg and msg.errors)
        (err,) = msg.errors
        assert err["code"] == "sender" and "names no sender" in err["message"]
        assert await gw.store.documents(message_id) == []
    assert _orders(gw) == []


async def test_transport_sender_key_lets_the_authenticated_partner_stand(gw: Gateway) -> None:
    _add_partners(gw, "nordbuild", "eurofoods", xml_sender="transport")
    inbox = Inbox(gw)
    ok = await inbox.accept(partner="nordbuild", transport="http", payload=ANONYMOUS_ORDER)
    other = await inbox.accept(partner="eurofoods", transport="http", payload=ANONYMOUS_ORDER)
    await _run(gw)
    msg = await gw.store.get_message(ok.message_id)
    assert msg is not None and msg.status == "processed", msg.errors
    refused = await gw.store.get_message(other.message_id)
    assert refused is not None and refused.status == "refused"  # eurofoods did not opt in
    assert [(p, n) for _, p, n in _orders(gw)] == [("nordbuild", "PO-2024-0042")]


@pytest.mark.parametrize("value", ["document", "transport"])
async def test_a_document_naming_another_sender_is_refused_either_way(
    gw: Gateway, value: str
) -> None:
    _add_partners(gw, "nordbuild", xml_sender=value)
    other = (OWN_SAMPLES / "xml" / "order.xml").read_bytes()  # buyer 5412345678908: acme's
    accepted = await Inbox(gw).accept(partner="nordbuild", transport="http", payload=other)
    await _run(gw)
    msg = await gw.store.get_message(accepted.message_id)
    assert msg is not None and msg.status == "refused"
    assert _orders(gw) == []


def _forget(gw: Gateway, message_ids: list[str]) -> None:
    """What a lost WAL does: the store's last messages are gone, with everything that
    hangs off them (documents, jobs, duplicate keys, their audit events, their acks)."""
    with closing(sqlite3.connect(gw.settings.sqlite_path)) as conn, conn:
        marks = ",".join("?" * len(message_ids))
        related = [
            r[0]
            for r in conn.execute(
                f"SELECT id FROM messages WHERE related_id IN ({marks})", message_ids
            )
        ]
        every = [*message_ids, *related]
        marks = ",".join("?" * len(every))
        for table in ("documents", "jobs", "duplicates", "expected_acks"):
            conn.execute(f"DELETE FROM {table} WHERE message_id IN ({marks})", every)
        seq = conn.execute(
            f"SELECT MIN(seq) FROM audit WHERE message_id IN ({marks})", every
        ).fetchone()[0]
        conn.execute("DELETE FROM audit WHERE seq >= ?", (seq,))  # the chain's lost tail
        conn.execute(f"DELETE FROM messages WHERE id IN ({marks})", every)


async def test_a_resend_after_the_store_lost_its_last_messages_orders_once(
    gw: Gateway,
) -> None:
    inbox = Inbox(gw)
    payload = make_850(701)
    first = await inbox.accept(partner="acme", transport="sftp", payload=payload)
    await _run(gw)
    assert [n for _, _, n in _orders(gw)] == ["PO-701"]
    _forget(gw, [first.message_id])
    assert await gw.store.get_message(first.message_id) is None
    again = await inbox.accept(partner="acme", transport="sftp", payload=payload)
    await _run(gw)
    msg = await gw.store.get_message(again.message_id)
    assert msg is not None and msg.status == "processed", msg.errors  # not known as a duplicate
    assert [n for _, _, n in _orders(gw)] == ["PO-701"]  # ... yet still one ERP order
    erp = gw.erp
    assert isinstance(erp, RecordingErp)
    ((key, partner, number, ref),) = erp.repeats()
    assert again.message_id in key and (partner, number) == ("acme", "PO-701")
    delivered = [
        e.details
        for e in await gw.store.audit_events(message_id=again.message_id)
        if e.action == "erp.delivered"
    ]
    assert [d["erp"] for d in delivered] == [ref]


async def test_same_number_from_two_partners_is_two_orders(gw: Gateway) -> None:
    _add_partners(gw, "eurofoods")
    erp = gw.erp
    assert isinstance(erp, RecordingErp)
    from tests.integration.conftest import ORDER
    from translators.model import PurchaseOrder

    assert isinstance(ORDER, PurchaseOrder)
    acme, euro = gw.profiles.get("acme"), gw.profiles.get("eurofoods")
    assert acme is not None and euro is not None
    a = await erp.submit_order(ORDER, partner=acme, key="k1")
    b = await erp.submit_order(ORDER, partner=euro, key="k2")
    c = await erp.submit_order(ORDER, partner=acme, key="k3")
    assert a != b and c == a and await erp.submit_order(ORDER, partner=acme, key="k1") == a
    assert len(erp.orders()) == 2 and [r[0] for r in erp.repeats()] == ["k3"]
