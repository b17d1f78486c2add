"""The Store contract, run against every implementation (SQLite now; PostgreSQL later)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from gateway.audit import verify
from gateway.store import MessageRow, NewJob, SqliteStore, Store


class Clock:
    def __init__(self) -> None:
        self.t = 1_700_000_000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture(params=["sqlite"])
async def store(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[tuple[Store, Clock]]:
    clock = Clock()
    s = SqliteStore(tmp_path / "gw.sqlite", clock=clock)
    await s.open()
    try:
        yield s, clock
    finally:
        await s.close()


def _msg(mid: str, **kw: object) -> MessageRow:
    base: dict[str, object] = dict(
        id=mid,
        direction="in",
        partner="acme",
        transport="manual",
        status="received",
        size=3,
        sha256="0" * 64,
        received_at="2024-01-01T00:00:00",
        updated_at="2024-01-01T00:00:00",
    )
    base.update(kw)
    return MessageRow(**base)  # type: ignore[arg-type]


async def test_claim_orders_by_priority_and_leases(store: tuple[Store, Clock]) -> None:
    s, clock = store
    async with s.transaction() as tx:
        await tx.enqueue(NewJob(kind="bulk", priority=80, idempotency_key="a"))
        await tx.enqueue(NewJob(kind="order", priority=20, idempotency_key="b"))
        await tx.enqueue(NewJob(kind="later", priority=1, run_at=clock.t + 60, idempotency_key="c"))
    async with s.transaction() as tx:
        jobs = await tx.claim("w1", 10, lease_seconds=30)
    assert [j.kind for j in jobs] == ["order", "bulk"]  # "later" is not due yet
    assert all(j.status == "running" and j.attempts == 1 for j in jobs)
    async with s.transaction() as tx:
        assert await tx.claim("w2", 10, lease_seconds=30) == []  # leased: nobody else gets them


async def test_idempotency_key_enqueues_once(store: tuple[Store, Clock]) -> None:
    s, _ = store
    async with s.transaction() as tx:
        first = await tx.enqueue(NewJob(kind="k", idempotency_key="same"))
        second = await tx.enqueue(NewJob(kind="k", idempotency_key="same"))
    assert first is not None and second is None
    assert len(await s.jobs()) == 1


async def test_expired_lease_is_reaped_and_old_owner_cannot_complete(
    store: tuple[Store, Clock],
) -> None:
    s, clock = store
    async with s.transaction() as tx:
        await tx.enqueue(NewJob(kind="k"))
        (job,) = await tx.claim("w1", 1, lease_seconds=10)
    clock.t += 11
    async with s.transaction() as tx:
        (reaped,) = await tx.reap()
        assert reaped.id == job.id and reaped.status == "queued"
        (again,) = await tx.claim("w2", 1, lease_seconds=10)
        assert again.attempts == 2
        assert not await tx.complete(job, "w1")  # w1's lease is gone
        assert await tx.complete(again, "w2")


async def test_fail_retries_then_dead_letters(store: tuple[Store, Clock]) -> None:
    s, clock = store
    async with s.transaction() as tx:
        await tx.enqueue(NewJob(kind="k", max_attempts=2))
        (job,) = await tx.claim("w", 1, 10)
        assert await tx.fail(job, "w", "boom", retry_at=clock.t + 5)
    (queued,) = await s.jobs(status="queued")
    assert queued.last_error == "boom" and queued.run_at == clock.t + 5
    clock.t += 5
    async with s.transaction() as tx:
        (job,) = await tx.claim("w", 1, 10)
        assert await tx.fail(job, "w", "boom again", retry_at=None)
    (dead,) = await s.jobs(status="dead")
    async with s.transaction() as tx:
        assert await tx.retry(dead.id)  # an operator's retry
    assert (await s.jobs(status="queued"))[0].attempts == 0


async def test_rollback_leaves_nothing(store: tuple[Store, Clock]) -> None:
    s, _ = store
    with pytest.raises(RuntimeError):
        async with s.transaction() as tx:
            await tx.insert_message(_msg("m1"))
            await tx.enqueue(NewJob(kind="k", message_id="m1"))
            await tx.audit(actor="t", action="x", message_id="m1")
            raise RuntimeError("crash before commit")
    assert await s.get_message("m1") is None
    assert await s.jobs() == [] and await s.audit_events() == []


async def test_control_numbers_are_atomic_and_never_reused(store: tuple[Store, Clock]) -> None:
    s, _ = store

    async def take() -> int:
        async with s.transaction() as tx:
            return await tx.next_control("acme", "x12:interchange")

    numbers = await asyncio.gather(*(take() for _ in range(50)))
    assert sorted(numbers) == list(range(1, 51))
    async with s.transaction() as tx:
        assert await tx.next_control("other", "x12:interchange") == 1  # per partner


async def test_duplicate_keys_and_transport_ids(store: tuple[Store, Clock]) -> None:
    s, _ = store
    async with s.transaction() as tx:
        await tx.insert_message(_msg("m1", transport="as2", transport_id="<id@x>"))
        await tx.insert_message(_msg("m2"))
        assert await tx.claim_duplicate_key("acme", "x12:ZZ:ACME:1", "m1") is None
        assert await tx.claim_duplicate_key("acme", "x12:ZZ:ACME:1", "m1") is None  # reprocess
        assert await tx.claim_duplicate_key("acme", "x12:ZZ:ACME:1", "m2") == "m1"
        assert await tx.find_transport_id("acme", "as2", "<id@x>") == "m1"
        assert await tx.find_transport_id("acme", "as2", "<other@x>") is None


async def test_expected_ack_reconciles_by_control_number(store: tuple[Store, Clock]) -> None:
    s, clock = store
    async with s.transaction() as tx:
        await tx.insert_message(_msg("out1", direction="out"))
        await tx.insert_message(_msg("ack1"))
        await tx.expect_ack(
            message_id="out1",
            partner="acme",
            syntax="x12",
            group_control="000042",
            deadline=clock.t + 10,
        )
    clock.t += 11
    assert await s.overdue_acks() == [("out1", "acme", "42")]
    async with s.transaction() as tx:
        found = await tx.reconcile_ack(
            partner="acme",
            syntax="x12",
            group_control="42",
            status="accepted",
            ack_message_id="ack1",
        )
    assert found == "out1" and await s.overdue_acks() == []


async def test_audit_chain_verifies_and_names_a_tampered_event(
    store: tuple[Store, Clock], tmp_path: Path
) -> None:
    s, _ = store
    async with s.transaction() as tx:
        for i in range(5):
            await tx.audit(actor="t", action=f"a{i}", details={"i": i})
    checked, broken = verify(await s.audit_events())
    assert (checked, broken) == (5, None)
    await s.close()
    import sqlite3

    with sqlite3.connect(tmp_path / "gw.sqlite") as conn:
        conn.execute("UPDATE audit SET details = '{\"i\":99}' WHERE seq = 3")
    await s.open()
    checked, broken = verify(await s.audit_events())
    assert checked == 2 and broken is not None and broken.seq == 3


async def test_migrations_are_idempotent(tmp_path: Path) -> None:
    import sqlite3

    from gateway.store.schema import MIGRATIONS

    for _ in range(2):  # reopening applies nothing twice
        s = SqliteStore(tmp_path / "m.sqlite")
        await s.open()
        await s.close()
    with sqlite3.connect(tmp_path / "m.sqlite") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == MIGRATIONS[-1][0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert {
        "messages",
        "documents",
        "jobs",
        "counters",
        "duplicates",
        "expected_acks",
        "audit",
    } <= tables
