"""Leases and claim tokens with the real handlers: a stale run never counts twice."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from gateway.app import open_gateway
from gateway.config import load_settings
from gateway.erp import RecordingErp
from gateway.errors import LeaseLost
from gateway.pipeline import HANDLERS, Inbox, Worker
from gateway.pipeline.handlers import deliver_erp
from gateway.pipeline.jobs import DELIVER_ERP
from gateway.pipeline.worker import JobContext
from gateway.profiles import Profile
from translators.model import PurchaseOrder

from .conftest import make_850, write_config

OWNER = "worker:test:1"  # both runs come from the same process: tokens tell them apart


class GatedErp(RecordingErp):
    """The first call waits at the gate: a slow ERP holding a run past its lease."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.gate = asyncio.Event()
        self.calls = 0

    async def submit_order(self, order: PurchaseOrder, *, partner: Profile, key: str) -> str:
        self.calls += 1
        if self.calls == 1:
            await self.gate.wait()
        return await super().submit_order(order, partner=partner, key=key)


async def test_job_reaped_and_reclaimed_during_its_first_run_completes_once(
    tmp_path: Path,
) -> None:
    settings = load_settings(write_config(tmp_path))
    erp = GatedErp(tmp_path / "erp.sqlite")
    async with open_gateway(settings, erp=erp) as gw:
        await Inbox(gw).accept(partner="acme", transport="as2", payload=make_850(501))
        (inbound,) = await gw.store.claim(OWNER, 1, lease_seconds=60)
        await HANDLERS[inbound.kind](JobContext(gw, inbound, OWNER))
        deliveries = [j for j in await gw.store.jobs(status="queued") if j.kind == DELIVER_ERP]
        assert len(deliveries) == 1

        (first,) = [j for j in await gw.store.claim(OWNER, 5, 0.2) if j.kind == DELIVER_ERP]
        stale = asyncio.create_task(deliver_erp(JobContext(gw, first, OWNER)))
        await asyncio.sleep(0.3)  # the lease runs out while the ERP call hangs
        assert first.id in [j.id for j in await gw.store.reap(OWNER)]
        (second,) = [j for j in await gw.store.claim(OWNER, 5, 60) if j.kind == DELIVER_ERP]
        assert second.id == first.id and second.token != first.token

        await deliver_erp(JobContext(gw, second, OWNER))  # the fresh run completes
        erp.gate.set()  # the stale run's ERP call returns now: same key, same order
        with pytest.raises(LeaseLost):
            await stale

        assert erp.calls == 2 and len(erp.orders()) == 1
        (job,) = [j for j in await gw.store.jobs() if j.id == first.id]
        assert job.status == "done" and job.attempts == 2
        events = await gw.store.audit_events()
        assert [e.job_id for e in events if e.action == "job.done"].count(first.id) == 1
        assert [e.job_id for e in events if e.action == "erp.delivered"].count(first.id) == 1


async def test_worker_renews_the_lease_of_a_slow_handler(tmp_path: Path) -> None:
    """A handler slower than the lease is not reaped while its worker lives."""
    settings = load_settings(write_config(tmp_path, lease=0.3, erp_delay=1.0))
    async with open_gateway(settings) as gw:
        await Inbox(gw).accept(partner="acme", transport="as2", payload=make_850(601))
        await Worker(gw, HANDLERS, owner=OWNER).run(drain=True)
        events = await gw.store.audit_events()
        assert "job.lease_expired" not in [e.action for e in events]
        assert len(await gw.store.jobs(status="done")) == 3  # process, send ack, ERP
        assert isinstance(gw.erp, RecordingErp) and len(gw.erp.orders()) == 1
