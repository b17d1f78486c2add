"""A message of many documents: stored in batches, processed in bounded memory, and an
interrupted run picked up again without a document or a hand-off twice."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import msgspec

import translators
from gateway.app import open_gateway
from gateway.config import load_settings
from gateway.erp import RecordingErp
from gateway.pipeline import HANDLERS, Inbox, Worker
from gateway.pipeline.jobs import DELIVER_ERP
from gateway.pipeline.worker import JobContext
from translators import WriteSettings
from translators.model import PartyId

from .conftest import ORDER, write_config

COUNT = 1234  # three batches of documents, read in the reader thread (> 256 KB)


def _interchange() -> bytes:
    orders = [msgspec.structs.replace(ORDER, number=f"BIG-{i:05d}") for i in range(COUNT)]
    return translators.write(
        orders,
        target="x12:850",
        settings=WriteSettings(
            sender=PartyId(id="ACMERETAIL", qualifier="ZZ"),
            receiver=PartyId(id="WIDGETWORKS", qualifier="ZZ"),
            interchange_control=4242,
            group_control=4242,
            timestamp=dt.datetime(2024, 3, 1, 12, 0),
        ),
    )


async def test_interrupted_big_message_is_finished_once(tmp_path: Path) -> None:
    settings = load_settings(write_config(tmp_path, lease=0.5))
    payload = _interchange()
    assert len(payload) > 256 * 1024
    async with open_gateway(settings) as gw:
        accepted = await Inbox(gw).accept(partner="acme", transport="sftp", payload=payload)
        (job,) = await gw.store.claim("worker:first", 1, 0.5)
        run = asyncio.create_task(HANDLERS[job.kind](JobContext(gw, job, "worker:first")))
        while not await gw.store.documents(accepted.message_id):  # a batch is in
            await asyncio.sleep(0.01)
        run.cancel()  # the worker dies mid-message
        await asyncio.gather(run, return_exceptions=True)
        stored = len(await gw.store.documents(accepted.message_id))
        assert 0 < stored < COUNT
        await asyncio.sleep(0.6)  # its lease runs out; another worker takes over
        await Worker(gw, HANDLERS, kinds=["process_inbound", "send_outbound"]).run(drain=True)

        msg = await gw.store.get_message(accepted.message_id)
        assert msg is not None and msg.status == "processed", msg.errors
        docs = await gw.store.documents(accepted.message_id)
        assert [d.number for d in docs] == [f"BIG-{i:05d}" for i in range(COUNT)]
        hand_offs = [j for j in await gw.store.jobs() if j.kind == DELIVER_ERP]
        assert sorted(j.payload["seq"] for j in hand_offs) == list(range(COUNT))
        (ack,) = await gw.store.related(accepted.message_id)
        (ix,) = translators.read(await gw.archive.get(ack.sha256))
        (fa,) = ix.documents
        refs = fa.acknowledges  # type: ignore[attr-defined]
        (group,) = [r for r in refs if r.level == "group"]
        assert group.control == "4242" and group.status == "accepted"
        assert sum(1 for r in refs if r.level == "message") == COUNT
        text = (await gw.archive.get(ack.sha256)).decode()
        assert text.count("AK2*850*") == COUNT and f"AK9*A*{COUNT}*{COUNT}*{COUNT}" in text

        # each hand-off reads its one document, not the message's 1,234
        await Worker(gw, HANDLERS, kinds=[DELIVER_ERP]).run(drain=True)
        assert isinstance(gw.erp, RecordingErp)
        numbers = [number for _, _, number in gw.erp.orders()]
        assert sorted(numbers) == [f"BIG-{i:05d}" for i in range(COUNT)]
