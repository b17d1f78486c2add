"""The embedded store: SQLite in WAL mode, driven from one database thread.

``synchronous=FULL``: a transaction is on disk when COMMIT returns, which is what lets a
transport confirm receipt right after ``accept()``. NORMAL would be faster but, in WAL
mode, may lose the last commits on power loss: a partner would hold an MDN for a message
we no longer have.

Why not one await per statement (aiosqlite): a round trip into the database thread costs
more than the statement. Here a unit of work is a list of recorded operations that the
database thread runs in one call; units that arrive while a commit is in progress are
committed together in the next one (group commit), each in its own SAVEPOINT so a failed
guard undoes only its unit. The audit chain head is read once per batch under the write
lock (``BEGIN IMMEDIATE``) and carried forward in memory. Writers in other processes
serialise on ``BEGIN IMMEDIATE`` with a busy timeout, waited out in the database thread,
never on the event loop.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from ..audit import GENESIS, AuditAnchor, canonical_json, event_hash
from ..errors import LeaseLost, StoreConflict, StoreError
from .base import AuditEvent, DocumentRow, Job, MessageRow, NewJob
from .schema import MIGRATIONS

__all__ = ["SqliteStore"]

_BUSY_TIMEOUT_MS = 60_000
_MAX_UNITS_PER_COMMIT = 512
T = TypeVar("T")


def _iso(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).isoformat(timespec="milliseconds")


def _control(number: str) -> str:
    """Control numbers compare as numbers: GS06 "000042" and AK102 "42" are one group."""
    return number.strip().lstrip("0") or "0"


def _message(row: sqlite3.Row) -> MessageRow:
    return MessageRow(
        id=row["id"],
        direction=row["direction"],
        partner=row["partner"],
        transport=row["transport"],
        transport_id=row["transport_id"],
        status=row["status"],
        format=row["format"],
        kinds=tuple(k for k in row["kinds"].split(",") if k),
        size=row["size"],
        sha256=row["sha256"],
        errors=tuple(json.loads(row["errors"])) if row["errors"] else (),
        related_id=row["related_id"],
        actor=row["actor"],
        received_at=row["received_at"],
        updated_at=row["updated_at"],
    )


def _job(row: sqlite3.Row) -> Job:
    return Job(
        id=row["id"],
        kind=row["kind"],
        message_id=row["message_id"],
        payload=json.loads(row["payload"]),
        priority=row["priority"],
        status=row["status"],
        run_at=row["run_at"],
        attempts=row["attempts"],
        max_attempts=row["max_attempts"],
        idempotency_key=row["idempotency_key"],
        lease_owner=row["lease_owner"],
        lease_expires=row["lease_expires"],
        last_error=row["last_error"],
        token=row["lease_token"],
    )


def _document(r: sqlite3.Row) -> DocumentRow:
    return DocumentRow(
        message_id=r["message_id"],
        seq=r["seq"],
        kind=r["kind"],
        number=r["number"],
        body=r["body"],
        interchange_control=r["interchange_control"],
        group_control=r["group_control"],
        message_control=r["message_control"],
    )


def _event(row: sqlite3.Row) -> AuditEvent:
    return AuditEvent(
        seq=row["seq"],
        at=row["at"],
        actor=row["actor"],
        action=row["action"],
        message_id=row["message_id"],
        job_id=row["job_id"],
        details=json.loads(row["details"]),
        prev_hash=row["prev_hash"],
        hash=row["hash"],
    )


@dataclass(slots=True)
class _Batch:
    """What the ops of one commit share: the clock reading and the audit chain head."""

    conn: sqlite3.Connection
    now: float
    seq: int
    head: str
    at: str = ""  # ``now`` as ISO 8601, formatted once

    def __post_init__(self) -> None:
        self.at = _iso(self.now)


Op = tuple[Callable[..., Any], dict[str, Any]]


# -- operations (run in the database thread) ---------------------------------------------


def _insert_message(b: _Batch, *, row: MessageRow) -> None:
    at = b.at
    b.conn.execute(
        "INSERT INTO messages (id, direction, partner, transport, transport_id, status,"
        " format, kinds, size, sha256, errors, related_id, actor, received_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            row.id,
            row.direction,
            row.partner,
            row.transport,
            row.transport_id,
            row.status,
            row.format,
            ",".join(row.kinds),
            row.size,
            row.sha256,
            json.dumps(list(row.errors)) if row.errors else None,
            row.related_id,
            row.actor,
            row.received_at or at,
            row.updated_at or at,
        ),
    )


def _update_message(
    b: _Batch,
    *,
    message_id: str,
    status: str,
    format: str | None,
    kinds: Sequence[str] | None,
    errors: Sequence[dict[str, Any]] | None,
) -> None:
    b.conn.execute(
        "UPDATE messages SET status = ?, format = COALESCE(?, format),"
        " kinds = COALESCE(?, kinds), errors = CASE WHEN ? THEN ? ELSE errors END,"
        " updated_at = ? WHERE id = ?",
        (
            status,
            format,
            ",".join(kinds) if kinds is not None else None,
            errors is not None,
            json.dumps(list(errors)) if errors else None,
            b.at,
            message_id,
        ),
    )


def _put_documents(b: _Batch, *, rows: Sequence[DocumentRow]) -> None:
    b.conn.executemany(
        "INSERT OR REPLACE INTO documents (message_id, seq, kind, number, interchange_control,"
        " group_control, message_control, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                r.message_id,
                r.seq,
                r.kind,
                r.number,
                r.interchange_control,
                r.group_control,
                r.message_control,
                r.body,
            )
            for r in rows
        ],
    )


def _delete_documents(b: _Batch, *, message_id: str, seqs: tuple[int, int] | None) -> None:
    start, stop = seqs or (0, 1 << 62)
    b.conn.execute(
        "DELETE FROM documents WHERE message_id = ? AND seq >= ? AND seq < ?",
        (message_id, start, stop),
    )


def _enqueue(b: _Batch, *, job: NewJob) -> None:
    b.conn.execute(
        "INSERT INTO jobs (kind, message_id, payload, priority, run_at, max_attempts,"
        " idempotency_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (idempotency_key) DO NOTHING",
        (
            job.kind,
            job.message_id,
            json.dumps(job.payload),
            job.priority,
            b.now + job.delay,
            job.max_attempts,
            job.idempotency_key,
            b.now,
            b.now,
        ),
    )


def _enqueue_per_document(
    b: _Batch, *, job: NewJob, message_id: str, kind: str, seqs: tuple[int, int]
) -> None:
    b.conn.execute(
        "INSERT INTO jobs (kind, message_id, payload, priority, run_at, max_attempts,"
        " idempotency_key, created_at, updated_at)"
        " SELECT ?, message_id, json_set(?, '$.seq', seq), ?, ?, ?, ? || ':' || seq, ?, ?"
        " FROM documents WHERE message_id = ? AND kind = ? AND seq >= ? AND seq < ?"
        " ORDER BY seq ON CONFLICT (idempotency_key) DO NOTHING",
        (
            job.kind,
            json.dumps(job.payload),
            job.priority,
            b.now + job.delay,
            job.max_attempts,
            job.idempotency_key or f"{job.kind}:{message_id}",
            b.now,
            b.now,
            message_id,
            kind,
            *seqs,
        ),
    )


def _complete(b: _Batch, *, job: Job) -> None:
    cur = b.conn.execute(
        "UPDATE jobs SET status = 'done', lease_owner = NULL, lease_expires = NULL,"
        " lease_token = NULL, updated_at = ? WHERE id = ? AND status = 'running'"
        " AND lease_token = ?",
        (b.now, job.id, job.token),
    )
    if cur.rowcount != 1:
        raise LeaseLost(f"job {job.id} is no longer held by this claim")


def _fail(b: _Batch, *, job: Job, error: str, retry_in: float | None) -> None:
    cur = b.conn.execute(
        "UPDATE jobs SET status = ?, run_at = COALESCE(?, run_at), last_error = ?,"
        " lease_owner = NULL, lease_expires = NULL, lease_token = NULL, updated_at = ?"
        " WHERE id = ? AND status = 'running' AND lease_token = ?",
        (
            "queued" if retry_in is not None else "dead",
            None if retry_in is None else b.now + retry_in,
            error[:2000],
            b.now,
            job.id,
            job.token,
        ),
    )
    if cur.rowcount != 1:
        raise LeaseLost(f"job {job.id} is no longer held by this claim")


def _retry(b: _Batch, *, job_id: int) -> None:
    cur = b.conn.execute(
        "UPDATE jobs SET status = 'queued', run_at = ?, attempts = 0, updated_at = ?"
        " WHERE id = ? AND status IN ('dead', 'queued')",
        (b.now, b.now, job_id),
    )
    if cur.rowcount != 1:
        raise StoreConflict(f"job {job_id} is neither dead nor waiting")


def _claim_duplicate_key(b: _Batch, *, partner: str, key: str, message_id: str) -> None:
    row = b.conn.execute(
        "INSERT INTO duplicates (partner, key, message_id) VALUES (?, ?, ?)"
        " ON CONFLICT (partner, key) DO UPDATE SET message_id = message_id"
        " RETURNING message_id",
        (partner, key, message_id),
    ).fetchone()
    if row[0] != message_id:
        raise StoreConflict(f"{key} was claimed by message {row[0]} first")


def _expect_ack(
    b: _Batch, *, message_id: str, partner: str, syntax: str, group_control: str, deadline: float
) -> None:
    b.conn.execute(
        "INSERT INTO expected_acks (message_id, partner, syntax, group_control, deadline)"
        " VALUES (?, ?, ?, ?, ?)",
        (message_id, partner, syntax, _control(group_control), deadline),
    )


def _reconcile_ack(
    b: _Batch, *, partner: str, syntax: str, group_control: str, status: str, ack_message_id: str
) -> None:
    b.conn.execute(
        "UPDATE expected_acks SET status = ?, ack_message_id = ?"
        " WHERE partner = ? AND syntax = ? AND group_control = ?",
        (status, ack_message_id, partner, syntax, _control(group_control)),
    )


def _audit(
    b: _Batch,
    *,
    actor: str,
    action: str,
    message_id: str | None,
    job_id: int | None,
    details: dict[str, Any] | None,
) -> None:
    seq, at, body = b.seq + 1, b.at, dict(details or {})
    digest = event_hash(
        b.head,
        seq=seq,
        at=at,
        actor=actor,
        action=action,
        message_id=message_id,
        job_id=job_id,
        details=body,
    )
    b.conn.execute(
        "INSERT INTO audit (seq, at, actor, action, message_id, job_id, details,"
        " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (seq, at, actor, action, message_id, job_id, canonical_json(body), b.head, digest),
    )
    b.seq, b.head = seq, digest


def _claim(
    b: _Batch, *, owner: str, limit: int, lease_seconds: float, kinds: Sequence[str] | None
) -> list[Job]:
    rows = b.conn.execute(
        "UPDATE jobs SET status = 'running', lease_owner = ?, lease_expires = ?,"
        " lease_token = lower(hex(randomblob(12))), attempts = attempts + 1, updated_at = ?"
        " WHERE id IN (SELECT id FROM jobs WHERE status = 'queued' AND run_at <= ?"
        " AND (? IS NULL OR kind IN (SELECT value FROM json_each(?)))"
        " ORDER BY priority, run_at, id LIMIT ?) RETURNING *",
        (
            owner,
            b.now + lease_seconds,
            b.now,
            b.now,
            None if kinds is None else 1,
            json.dumps(list(kinds or ())),
            limit,
        ),
    ).fetchall()
    jobs = sorted((_job(r) for r in rows), key=lambda j: (j.priority, j.run_at, j.id))
    for job in jobs:
        _audit(
            b,
            actor=owner,
            action="job.started",
            message_id=job.message_id,
            job_id=job.id,
            details={"kind": job.kind, "attempt": job.attempts},
        )
    return jobs


def _reap(b: _Batch, *, actor: str) -> list[Job]:
    rows = b.conn.execute(
        "UPDATE jobs SET status = 'queued', lease_owner = NULL, lease_expires = NULL,"
        " lease_token = NULL, last_error = 'lease expired (worker stopped or too slow)',"
        " updated_at = ? WHERE status = 'running' AND lease_expires < ? RETURNING *",
        (b.now, b.now),
    ).fetchall()
    jobs = [_job(r) for r in rows]
    for job in jobs:
        _audit(
            b,
            actor=actor,
            action="job.lease_expired",
            message_id=job.message_id,
            job_id=job.id,
            details={"kind": job.kind, "attempts": job.attempts},
        )
    return jobs


def _extend_lease(b: _Batch, *, job: Job, lease_seconds: float) -> bool:
    cur = b.conn.execute(
        "UPDATE jobs SET lease_expires = ? WHERE id = ? AND status = 'running' AND lease_token = ?",
        (b.now + lease_seconds, job.id, job.token),
    )
    return cur.rowcount == 1


def _next_controls(b: _Batch, *, partner: str, purposes: Sequence[str]) -> list[int]:
    return [
        int(
            b.conn.execute(
                "INSERT INTO counters (partner, purpose, value) VALUES (?, ?, 1)"
                " ON CONFLICT (partner, purpose) DO UPDATE SET value = value + 1"
                " RETURNING value",
                (partner, purpose),
            ).fetchone()[0]
        )
        for purpose in purposes
    ]


class _Unit:
    """``Tx`` for SQLite: records operations; ``SqliteStore`` runs them at the block's end."""

    __slots__ = ("ops",)

    def __init__(self) -> None:
        self.ops: list[Op] = []

    def _add(self, op: Callable[..., Any], **kw: Any) -> None:
        self.ops.append((op, kw))

    def insert_message(self, row: MessageRow) -> None:
        self._add(_insert_message, row=row)

    def update_message(
        self,
        message_id: str,
        *,
        status: str,
        format: str | None = None,
        kinds: Sequence[str] | None = None,
        errors: Sequence[dict[str, Any]] | None = None,
    ) -> None:
        self._add(
            _update_message,
            message_id=message_id,
            status=status,
            format=format,
            kinds=kinds,
            errors=errors,
        )

    def put_documents(self, rows: Sequence[DocumentRow]) -> None:
        self._add(_put_documents, rows=list(rows))

    def delete_documents(self, message_id: str, seqs: tuple[int, int] | None = None) -> None:
        self._add(_delete_documents, message_id=message_id, seqs=seqs)

    def enqueue(self, job: NewJob) -> None:
        self._add(_enqueue, job=job)

    def enqueue_per_document(
        self, job: NewJob, *, message_id: str, kind: str, seqs: tuple[int, int]
    ) -> None:
        self._add(_enqueue_per_document, job=job, message_id=message_id, kind=kind, seqs=seqs)

    def complete(self, job: Job) -> None:
        self._add(_complete, job=job)

    def fail(self, job: Job, error: str, retry_in: float | None) -> None:
        self._add(_fail, job=job, error=error, retry_in=retry_in)

    def retry(self, job_id: int) -> None:
        self._add(_retry, job_id=job_id)

    def claim_duplicate_key(self, partner: str, key: str, message_id: str) -> None:
        self._add(_claim_duplicate_key, partner=partner, key=key, message_id=message_id)

    def expect_ack(
        self, *, message_id: str, partner: str, syntax: str, group_control: str, deadline: float
    ) -> None:
        self._add(
            _expect_ack,
            message_id=message_id,
            partner=partner,
            syntax=syntax,
            group_control=group_control,
            deadline=deadline,
        )

    def reconcile_ack(
        self, *, partner: str, syntax: str, group_control: str, status: str, ack_message_id: str
    ) -> None:
        self._add(
            _reconcile_ack,
            partner=partner,
            syntax=syntax,
            group_control=group_control,
            status=status,
            ack_message_id=ack_message_id,
        )

    def audit(
        self,
        *,
        actor: str,
        action: str,
        message_id: str | None = None,
        job_id: int | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self._add(
            _audit,
            actor=actor,
            action=action,
            message_id=message_id,
            job_id=job_id,
            details=details,
        )


class _DbThread:
    """One connection and the one thread that uses it."""

    def __init__(self, name: str) -> None:
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self.conn: sqlite3.Connection | None = None

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.executor, fn, *args)

    def connect(self, path: Path, *pragmas: str) -> sqlite3.Connection:
        conn = sqlite3.connect(
            path,
            isolation_level=None,
            timeout=_BUSY_TIMEOUT_MS / 1000,
            check_same_thread=False,  # the writer's statements run on the event loop
        )
        conn.row_factory = sqlite3.Row
        try:
            for pragma in pragmas:
                conn.execute(pragma)
        except BaseException:
            conn.close()
            raise
        self.conn = conn
        return conn

    def disconnect(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    async def close(self) -> None:
        try:
            await self.call(self.disconnect)
        finally:
            self.executor.shutdown(wait=True)


class SqliteStore:
    """Writes go through the writer thread (group commit); reads through a reader thread
    of their own, so a point read never waits behind a commit's fsync (WAL readers do not
    block the writer, nor it them)."""

    def __init__(
        self,
        path: Path,
        *,
        clock: Callable[[], float] = time.time,
        anchor: AuditAnchor | None = None,
    ) -> None:
        self.path = path
        self._clock = clock
        self._anchor = anchor
        self._writer: _DbThread | None = None
        self._reader: _DbThread | None = None
        self._pending: list[tuple[list[Op], asyncio.Future[list[Any]]]] = []
        self._flusher: asyncio.Task[None] | None = None

    def now(self) -> float:
        return self._clock()

    # -- the database threads --------------------------------------------------------------
    def _open_writer(self, db: _DbThread) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = db.connect(
            self.path,
            "PRAGMA journal_mode = WAL",
            "PRAGMA synchronous = FULL",
            f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}",
            "PRAGMA foreign_keys = ON",
        )
        self._migrate(conn)

    def _open_reader(self, db: _DbThread) -> None:
        db.connect(self.path, f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}", "PRAGMA query_only = 1")

    @staticmethod
    def _migrate(conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = int(conn.execute("PRAGMA user_version").fetchone()[0])
            for version, _name, sql in MIGRATIONS:
                if version > current:
                    for statement in sql.split(";"):
                        if statement.strip():
                            conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _apply(
        self, conn: sqlite3.Connection, units: list[list[Op]]
    ) -> tuple[list[Any], tuple[int, str] | None]:
        """Run each unit in its own savepoint of the open transaction; per unit, its
        results or the exception that rolled it back; and the new chain head, if any."""
        last = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        batch = _Batch(conn, self._clock(), *((last[0], last[1]) if last else (0, GENESIS)))
        start = batch.seq
        outcomes: list[Any] = []
        for ops in units:
            seq, head = batch.seq, batch.head
            conn.execute("SAVEPOINT unit")
            try:
                outcomes.append([fn(batch, **kw) for fn, kw in ops])
            except Exception as exc:
                conn.execute("ROLLBACK TO unit")
                batch.seq, batch.head = seq, head
                if isinstance(exc, sqlite3.Error):
                    exc = StoreError(f"{self.path}: store write failed: {exc}")
                outcomes.append(exc)
            conn.execute("RELEASE unit")
        return outcomes, (batch.seq, batch.head) if batch.seq != start else None

    async def _commit(self, units: list[list[Op]]) -> list[Any]:
        """BEGIN IMMEDIATE (may wait for another process) and COMMIT (the fsync) run in
        the writer thread; the statements between them run here, on the event loop: they
        are short and CPU-only, and a thread would pay a GIL hand-off for every one of
        them while the loop is busy (measured: 50 us a statement instead of 4)."""
        db = self._writer
        if db is None or db.conn is None:
            raise StoreError("store is not open")
        conn = db.conn
        await db.call(conn.execute, "BEGIN IMMEDIATE")
        try:
            outcomes, head = self._apply(conn, units)
            await db.call(conn.execute, "COMMIT")
        except BaseException:
            if conn.in_transaction:
                await asyncio.shield(db.call(conn.execute, "ROLLBACK"))
            raise
        if head is not None and self._anchor is not None:
            self._anchor.note(*head)
        return outcomes

    async def _run(self, ops: list[Op]) -> list[Any]:
        """Queue a unit for the next group commit and wait for its outcome."""
        future: asyncio.Future[list[Any]] = asyncio.get_running_loop().create_future()
        self._pending.append((ops, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        while self._pending:
            batch = self._pending[:_MAX_UNITS_PER_COMMIT]
            del self._pending[:_MAX_UNITS_PER_COMMIT]
            try:
                outcomes = await self._commit([ops for ops, _ in batch])
            except Exception as exc:  # the commit itself failed: every unit learns it
                error = (
                    exc
                    if isinstance(exc, StoreError)
                    else StoreError(f"{self.path}: store commit failed: {exc}")
                )
                for _, future in batch:
                    if not future.done():
                        future.set_exception(error)
                continue
            for (_, future), outcome in zip(batch, outcomes, strict=True):
                if future.done():
                    continue
                if isinstance(outcome, BaseException):
                    future.set_exception(outcome)
                else:
                    future.set_result(outcome)

    # -- lifecycle -------------------------------------------------------------------------
    async def open(self) -> None:
        self._writer = _DbThread("edigw-sqlite-writer")
        self._reader = _DbThread("edigw-sqlite-reader")
        try:
            await self._writer.call(self._open_writer, self._writer)
            await self._reader.call(self._open_reader, self._reader)
        except (sqlite3.Error, OSError) as exc:
            await self.close()
            raise StoreError(f"{self.path}: cannot open the store: {exc}") from exc
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        if self._flusher is not None and not self._flusher.done():
            await asyncio.gather(self._flusher, return_exceptions=True)
        if self._anchor is not None:
            self._anchor.flush()
        for db in (self._reader, self._writer):
            if db is not None:
                await db.close()
        self._reader = self._writer = None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[_Unit]:
        """Record writes; they commit when the block ends (nothing if it raises)."""
        unit = _Unit()
        yield unit
        if unit.ops:
            await self._run(unit.ops)

    # -- units that return what they took ------------------------------------------------
    async def claim(
        self, owner: str, limit: int, lease_seconds: float, *, kinds: Sequence[str] | None = None
    ) -> list[Job]:
        args = {"owner": owner, "limit": limit, "lease_seconds": lease_seconds, "kinds": kinds}
        (jobs,) = await self._run([(_claim, args)])
        return list(jobs)

    async def reap(self, actor: str) -> list[Job]:
        (jobs,) = await self._run([(_reap, {"actor": actor})])
        return list(jobs)

    async def extend_lease(self, job: Job, lease_seconds: float) -> bool:
        (ok,) = await self._run([(_extend_lease, {"job": job, "lease_seconds": lease_seconds})])
        return bool(ok)

    async def allocate_controls(self, partner: str, purposes: Sequence[str]) -> list[int]:
        (numbers,) = await self._run(
            [(_next_controls, {"partner": partner, "purposes": list(purposes)})]
        )
        return list(numbers)

    # -- reads -------------------------------------------------------------------------------
    def _query(self, sql: str, params: Sequence[Any]) -> list[sqlite3.Row]:
        conn = self._reader.conn if self._reader else None
        if conn is None:
            raise StoreError("store is not open")
        return conn.execute(sql, params).fetchall()

    async def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        if self._reader is None:
            raise StoreError("store is not open")
        try:
            return await self._reader.call(self._query, sql, params)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: store query failed: {exc}") from exc

    async def duplicate_of(self, partner: str, key: str, message_id: str) -> str | None:
        rows = await self._rows(
            "SELECT message_id FROM duplicates WHERE partner = ? AND key = ?", (partner, key)
        )
        found = str(rows[0][0]) if rows else None
        return None if found == message_id else found

    async def find_transport_id(
        self, partner: str, transport: str, transport_id: str
    ) -> str | None:
        rows = await self._rows(
            "SELECT id FROM messages WHERE partner = ? AND transport = ? AND transport_id = ?"
            " AND status != 'duplicate' ORDER BY id LIMIT 1",
            (partner, transport, transport_id),
        )
        return str(rows[0][0]) if rows else None

    async def expected_ack(self, partner: str, syntax: str, group_control: str) -> str | None:
        rows = await self._rows(
            "SELECT message_id FROM expected_acks WHERE partner = ? AND syntax = ?"
            " AND group_control = ?",
            (partner, syntax, _control(group_control)),
        )
        return str(rows[0][0]) if rows else None

    async def get_message(self, message_id: str) -> MessageRow | None:
        rows = await self._rows("SELECT * FROM messages WHERE id = ?", (message_id,))
        return _message(rows[0]) if rows else None

    async def list_messages(
        self,
        *,
        partner: str | None = None,
        status: str | None = None,
        direction: str | None = None,
        limit: int = 100,
    ) -> list[MessageRow]:
        rows = await self._rows(
            "SELECT * FROM messages WHERE (? IS NULL OR partner = ?) AND (? IS NULL OR status = ?)"
            " AND (? IS NULL OR direction = ?) ORDER BY received_at DESC, id DESC LIMIT ?",
            (partner, partner, status, status, direction, direction, limit),
        )
        return [_message(r) for r in rows]

    async def document(self, message_id: str, seq: int) -> DocumentRow | None:
        rows = await self._rows(
            "SELECT * FROM documents WHERE message_id = ? AND seq = ?", (message_id, seq)
        )
        return _document(rows[0]) if rows else None

    async def documents(self, message_id: str) -> list[DocumentRow]:
        rows = await self._rows(
            "SELECT * FROM documents WHERE message_id = ? ORDER BY seq", (message_id,)
        )
        return [_document(r) for r in rows]

    async def related(self, message_id: str) -> list[MessageRow]:
        rows = await self._rows(
            "SELECT * FROM messages WHERE related_id = ? ORDER BY id", (message_id,)
        )
        return [_message(r) for r in rows]

    async def jobs(self, *, message_id: str | None = None, status: str | None = None) -> list[Job]:
        rows = await self._rows(
            "SELECT * FROM jobs WHERE (? IS NULL OR message_id = ?) AND (? IS NULL OR status = ?)"
            " ORDER BY id",
            (message_id, message_id, status, status),
        )
        return [_job(r) for r in rows]

    async def count_jobs(self, status: str) -> int:
        rows = await self._rows("SELECT count(*) FROM jobs WHERE status = ?", (status,))
        return int(rows[0][0])

    async def audit_events(self, *, message_id: str | None = None) -> list[AuditEvent]:
        rows = await self._rows(
            "SELECT * FROM audit WHERE (? IS NULL OR message_id = ?) ORDER BY seq",
            (message_id, message_id),
        )
        return [_event(r) for r in rows]

    async def archive_keys(self) -> list[tuple[str, str]]:
        rows = await self._rows("SELECT id, sha256 FROM messages ORDER BY id")
        return [(r[0], r[1]) for r in rows]

    async def overdue_acks(self) -> list[tuple[str, str, str]]:
        rows = await self._rows(
            "SELECT message_id, partner, group_control FROM expected_acks"
            " WHERE status = 'waiting' AND deadline < ? ORDER BY deadline",
            (self._clock(),),
        )
        return [(r[0], r[1], r[2]) for r in rows]
