"""The Store contract, run against every implementation (SQLite now; PostgreSQL later)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from gateway.audit import verify
from gateway.errors import LeaseLost, StoreConflict
from gateway.store import DocumentRow, MessageRow, NewJob, SqliteStore, Store


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
    )
    base.update(kw)
    return MessageRow(**base)  # type: ignore[arg-type]


async def test_claim_orders_by_priority_and_leases(store: tuple[Store, Clock]) -> None:
    s, _ = store
    async with s.transaction() as tx:
        tx.enqueue(NewJob(kind="bulk", priority=80, idempotency_key="a"))
        tx.enqueue(NewJob(kind="order", priority=20, idempotency_key="b"))
        tx.enqueue(NewJob(kind="later", priority=1, delay=60, idempotency_key="c"))
    jobs = await s.claim("w1", 10, lease_seconds=30)
    assert [j.kind for j in jobs] == ["order", "bulk"]  # "later" is not due yet
    assert all(j.status == "running" and j.attempts == 1 and j.token for j in jobs)
    assert await s.claim("w2", 10, lease_seconds=30) == []  # leased: nobody else gets them
    started = [e for e in await s.audit_events() if e.action == "job.started"]
    assert [e.job_id for e in started] == [j.id for j in jobs]  # claims are audited


async def test_idempotency_key_enqueues_once(store: tuple[Store, Clock]) -> None:
    s, _ = store
    async with s.transaction() as tx:
        tx.enqueue(NewJob(kind="k", idempotency_key="same"))
        tx.enqueue(NewJob(kind="k", idempotency_key="same"))
    assert len(await s.jobs()) == 1


async def test_expired_lease_is_reaped_and_stale_claim_cannot_complete(
    store: tuple[Store, Clock],
) -> None:
    s, clock = store
    async with s.transaction() as tx:
        tx.enqueue(NewJob(kind="k"))
    (job,) = await s.claim("w1", 1, lease_seconds=10)
    clock.t += 11
    (reaped,) = await s.reap("w1")
    assert reaped.id == job.id and reaped.status == "queued"
    (again,) = await s.claim("w1", 1, lease_seconds=10)  # the same owner claims it again
    assert again.attempts == 2 and again.token != job.token
    assert not await s.extend_lease(job, 10)  # the stale run learns it lost the job
    with pytest.raises(LeaseLost):
        async with s.transaction() as tx:
            tx.audit(actor="w1", action="stale")
            tx.complete(job)
    async with s.transaction() as tx:
        tx.complete(again)
    (done,) = await s.jobs(status="done")
    assert done.id == job.id
    assert "stale" not in [e.action for e in await s.audit_events()]  # rolled back whole


async def test_lease_extension_keeps_a_long_run(store: tuple[Store, Clock]) -> None:
    s, clock = store
    async with s.transaction() as tx:
        tx.enqueue(NewJob(kind="k"))
    (job,) = await s.claim("w", 1, lease_seconds=10)
    for _ in range(5):  # 50 s of a slow partner, renewed every 8 s
        clock.t += 8
        assert await s.extend_lease(job, 10)
        assert await s.reap("w") == []
    async with s.transaction() as tx:
        tx.complete(job)


async def test_fail_retries_then_dead_letters(store: tuple[Store, Clock]) -> None:
    s, clock = store
    async with s.transaction() as tx:
        tx.enqueue(NewJob(kind="k", max_attempts=2))
    (job,) = await s.claim("w", 1, 10)
    async with s.transaction() as tx:
        tx.fail(job, "boom", retry_in=5)
    (queued,) = await s.jobs(status="queued")
    assert queued.last_error == "boom" and queued.run_at == clock.t + 5
    clock.t += 5
    (job,) = await s.claim("w", 1, 10)
    async with s.transaction() as tx:
        tx.fail(job, "boom again", retry_in=None)
    (dead,) = await s.jobs(status="dead")
    async with s.transaction() as tx:
        tx.retry(dead.id)  # an operator's retry
    assert (await s.jobs(status="queued"))[0].attempts == 0
    with pytest.raises(StoreConflict):  # a running or done job is not "retried"
        async with s.transaction() as tx:
            tx.retry(12345)


async def test_rollback_leaves_nothing(store: tuple[Store, Clock]) -> None:
    s, _ = store
    with pytest.raises(RuntimeError):
        async with s.transaction() as tx:
            tx.insert_message(_msg("m1"))
            tx.enqueue(NewJob(kind="k", message_id="m1"))
            tx.audit(actor="t", action="x", message_id="m1")
            raise RuntimeError("crash before commit")
    assert await s.get_message("m1") is None
    assert await s.jobs() == [] and await s.audit_events() == []


async def test_concurrent_units_commit_together_and_fail_alone(
    store: tuple[Store, Clock],
) -> None:
    """Group commit: one unit's failed guard rolls back that unit only, and the audit
    chain stays whole across the units that did commit."""
    s, _ = store
    async with s.transaction() as tx:
        tx.insert_message(_msg("m0"))
        tx.claim_duplicate_key("acme", "k", "m0")

    async def unit(i: int) -> None:
        async with s.transaction() as tx:
            tx.insert_message(_msg(f"m{i}"))
            tx.audit(actor="t", action=f"a{i}", message_id=f"m{i}")
            if i % 3 == 0:
                tx.claim_duplicate_key("acme", "k", f"m{i}")  # m0 holds it: refused

    results = await asyncio.gather(*(unit(i) for i in range(1, 31)), return_exceptions=True)
    failed = [i for i, r in enumerate(results, start=1) if isinstance(r, StoreConflict)]
    assert failed == list(range(3, 31, 3))
    for i in range(1, 31):
        assert (await s.get_message(f"m{i}") is None) == (i in failed)
    checked, broken = verify(await s.audit_events())
    assert broken is None and checked == 30 - len(failed)


async def test_control_numbers_are_atomic_and_never_reused(store: tuple[Store, Clock]) -> None:
    s, _ = store
    batches = await asyncio.gather(
        *(s.allocate_controls("acme", ["x12:interchange", "x12:group"]) for _ in range(50))
    )
    assert sorted(b[0] for b in batches) == list(range(1, 51))
    assert sorted(b[1] for b in batches) == list(range(1, 51))
    assert await s.allocate_controls("other", ["x12:interchange"]) == [1]  # per partner


async def test_duplicate_keys_and_transport_ids(store: tuple[Store, Clock]) -> None:
    s, _ = store
    async with s.transaction() as tx:
        tx.insert_message(_msg("m1", transport="as2", transport_id="<id@x>"))
        tx.insert_message(_msg("m2"))
        tx.claim_duplicate_key("acme", "x12:ZZ:ACME:1", "m1")
    async with s.transaction() as tx:
        tx.claim_duplicate_key("acme", "x12:ZZ:ACME:1", "m1")  # reprocess: still ours
    with pytest.raises(StoreConflict):
        async with s.transaction() as tx:
            tx.claim_duplicate_key("acme", "x12:ZZ:ACME:1", "m2")
    assert await s.duplicate_of("acme", "x12:ZZ:ACME:1", "m1") is None
    assert await s.duplicate_of("acme", "x12:ZZ:ACME:1", "m2") == "m1"
    assert await s.find_transport_id("acme", "as2", "<id@x>") == "m1"
    assert await s.find_transport_id("acme", "as2", "<other@x>") is None


async def test_documents_batches_and_jobs_per_document(store: tuple[Store, Clock]) -> None:
    s, _ = store

    def doc(seq: int, kind: str = "purchase_order") -> DocumentRow:
        return DocumentRow(message_id="m1", seq=seq, kind=kind, number=f"PO{seq}", body="{}")

    async with s.transaction() as tx:
        tx.insert_message(_msg("m1"))
        tx.put_documents([doc(i) for i in range(5)])
        tx.put_documents([doc(5, "invoice"), doc(6)])
    async with s.transaction() as tx:
        tx.put_documents([doc(6)])  # a re-run writes the same rows again
        tx.delete_documents("m1", (0, 2))
        tx.enqueue_per_document(
            NewJob(kind="erp", payload={"partner": "acme"}, idempotency_key="erp:m1"),
            message_id="m1",
            kind="purchase_order",
            seqs=(0, 7),
        )
        tx.enqueue_per_document(  # queued twice: each document still once
            NewJob(kind="erp", idempotency_key="erp:m1"),
            message_id="m1",
            kind="purchase_order",
            seqs=(0, 7),
        )
    assert [d.seq for d in await s.documents("m1")] == [2, 3, 4, 5, 6]
    row = await s.document("m1", 3)
    assert row is not None and row.number == "PO3"
    jobs = await s.jobs()
    assert [(j.payload, j.idempotency_key) for j in jobs] == [
        ({"partner": "acme", "seq": i}, f"erp:m1:{i}") for i in (2, 3, 4, 6)
    ]


async def test_expected_ack_reconciles_by_control_number(store: tuple[Store, Clock]) -> None:
    s, clock = store
    async with s.transaction() as tx:
        tx.insert_message(_msg("out1", direction="out"))
        tx.insert_message(_msg("ack1"))
        tx.expect_ack(
            message_id="out1",
            partner="acme",
            syntax="x12",
            group_control="000042",
            deadline=clock.t + 10,
        )
    clock.t += 11
    assert await s.overdue_acks() == [("out1", "acme", "42")]
    assert await s.expected_ack("acme", "x12", "42") == "out1"
    async with s.transaction() as tx:
        tx.reconcile_ack(
            partner="acme",
            syntax="x12",
            group_control="42",
            status="accepted",
            ack_message_id="ack1",
        )
    assert await s.overdue_acks() == []


async def test_audit_chain_verifies_and_names_a_tampered_event(
    store: tuple[Store, Clock], tmp_path: Path
) -> None:
    s, _ = store
    async with s.transaction() as tx:
        for i in range(5):
            tx.audit(actor="t", action=f"a{i}", details={"i": i})
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
