"""The embedded store: SQLite in WAL mode through aiosqlite.

``synchronous=FULL``: a transaction is on disk when COMMIT returns, which is what lets a
transport confirm receipt right after ``accept()``. NORMAL would be faster but, in WAL
mode, may lose the last commits on power loss: a partner would hold an MDN for a message
we no longer have. The Inbox amortises the fsync by committing concurrent accepts
together (group commit).

Writers across processes serialise on ``BEGIN IMMEDIATE`` (with a busy timeout); inside
one process an asyncio lock keeps one transaction at a time on the connection.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from ..audit import GENESIS, canonical_json, event_hash
from ..errors import StoreError
from .base import AuditEvent, DocumentRow, Job, MessageRow, NewJob
from .schema import MIGRATIONS

__all__ = ["SqliteStore", "iso"]

_BUSY_TIMEOUT_MS = 60_000


def iso(ts: float) -> str:
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


class _Tx:
    """One open ``BEGIN IMMEDIATE`` transaction; see ``base.Tx`` for the contract."""

    def __init__(self, conn: aiosqlite.Connection, clock: Callable[[], float]) -> None:
        self._conn = conn
        self._clock = clock

    async def _one(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        async with self._conn.execute(sql, params) as cur:
            row: sqlite3.Row | None = await cur.fetchone()
            return row

    async def _all(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        async with self._conn.execute(sql, params) as cur:
            return list(await cur.fetchall())

    async def insert_message(self, row: MessageRow) -> None:
        await self._conn.execute(
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
                row.received_at,
                row.updated_at,
            ),
        )

    async def update_message(
        self,
        message_id: str,
        *,
        status: str,
        format: str | None = None,
        kinds: Sequence[str] | None = None,
        errors: Sequence[dict[str, Any]] | None = None,
    ) -> None:
        await self._conn.execute(
            "UPDATE messages SET status = ?, format = COALESCE(?, format),"
            " kinds = COALESCE(?, kinds), errors = CASE WHEN ? THEN ? ELSE errors END,"
            " updated_at = ? WHERE id = ?",
            (
                status,
                format,
                ",".join(kinds) if kinds is not None else None,
                errors is not None,
                json.dumps(list(errors)) if errors else None,
                iso(self._clock()),
                message_id,
            ),
        )

    async def replace_documents(self, message_id: str, rows: Sequence[DocumentRow]) -> None:
        await self._conn.execute("DELETE FROM documents WHERE message_id = ?", (message_id,))
        await self._conn.executemany(
            "INSERT INTO documents (message_id, seq, kind, number, interchange_control,"
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

    async def enqueue(self, job: NewJob) -> int | None:
        now = self._clock()
        row = await self._one(
            "INSERT INTO jobs (kind, message_id, payload, priority, run_at, max_attempts,"
            " idempotency_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
            (
                job.kind,
                job.message_id,
                json.dumps(job.payload),
                job.priority,
                job.run_at if job.run_at is not None else now,
                job.max_attempts,
                job.idempotency_key,
                now,
                now,
            ),
        )
        return None if row is None else int(row["id"])

    async def claim(self, owner: str, limit: int, lease_seconds: float) -> list[Job]:
        now = self._clock()
        rows = await self._all(
            "UPDATE jobs SET status = 'running', lease_owner = ?, lease_expires = ?,"
            " attempts = attempts + 1, updated_at = ?"
            " WHERE id IN (SELECT id FROM jobs WHERE status = 'queued' AND run_at <= ?"
            " ORDER BY priority, run_at, id LIMIT ?) RETURNING *",
            (owner, now + lease_seconds, now, now, limit),
        )
        return sorted((_job(r) for r in rows), key=lambda j: (j.priority, j.run_at, j.id))

    async def reap(self) -> list[Job]:
        now = self._clock()
        rows = await self._all(
            "UPDATE jobs SET status = 'queued', lease_owner = NULL, lease_expires = NULL,"
            " last_error = 'lease expired (worker stopped or too slow)', updated_at = ?"
            " WHERE status = 'running' AND lease_expires < ? RETURNING *",
            (now, now),
        )
        return [_job(r) for r in rows]

    async def complete(self, job: Job, owner: str) -> bool:
        cur = await self._conn.execute(
            "UPDATE jobs SET status = 'done', lease_owner = NULL, lease_expires = NULL,"
            " updated_at = ? WHERE id = ? AND status = 'running' AND lease_owner = ?",
            (self._clock(), job.id, owner),
        )
        return cur.rowcount == 1

    async def fail(self, job: Job, owner: str, error: str, retry_at: float | None) -> bool:
        cur = await self._conn.execute(
            "UPDATE jobs SET status = ?, run_at = COALESCE(?, run_at), last_error = ?,"
            " lease_owner = NULL, lease_expires = NULL, updated_at = ?"
            " WHERE id = ? AND status = 'running' AND lease_owner = ?",
            (
                "queued" if retry_at is not None else "dead",
                retry_at,
                error[:2000],
                self._clock(),
                job.id,
                owner,
            ),
        )
        return cur.rowcount == 1

    async def retry(self, job_id: int) -> bool:
        """An operator's retry of a dead (or waiting) job: run it now, with fresh attempts."""
        cur = await self._conn.execute(
            "UPDATE jobs SET status = 'queued', run_at = ?, attempts = 0, updated_at = ?"
            " WHERE id = ? AND status IN ('dead', 'queued')",
            (self._clock(), self._clock(), job_id),
        )
        return cur.rowcount == 1

    async def next_control(self, partner: str, purpose: str) -> int:
        row = await self._one(
            "INSERT INTO counters (partner, purpose, value) VALUES (?, ?, 1)"
            " ON CONFLICT (partner, purpose) DO UPDATE SET value = value + 1 RETURNING value",
            (partner, purpose),
        )
        assert row is not None
        return int(row["value"])

    async def claim_duplicate_key(self, partner: str, key: str, message_id: str) -> str | None:
        row = await self._one(
            "INSERT INTO duplicates (partner, key, message_id) VALUES (?, ?, ?)"
            " ON CONFLICT (partner, key) DO NOTHING RETURNING message_id",
            (partner, key, message_id),
        )
        if row is not None:
            return None
        first = await self._one(
            "SELECT message_id FROM duplicates WHERE partner = ? AND key = ?", (partner, key)
        )
        assert first is not None
        found: str = first["message_id"]
        return None if found == message_id else found

    async def find_transport_id(
        self, partner: str, transport: str, transport_id: str
    ) -> str | None:
        row = await self._one(
            "SELECT id FROM messages WHERE partner = ? AND transport = ? AND transport_id = ?"
            " AND status != 'duplicate' ORDER BY id LIMIT 1",
            (partner, transport, transport_id),
        )
        return None if row is None else str(row["id"])

    async def expect_ack(
        self, *, message_id: str, partner: str, syntax: str, group_control: str, deadline: float
    ) -> None:
        await self._conn.execute(
            "INSERT INTO expected_acks (message_id, partner, syntax, group_control, deadline)"
            " VALUES (?, ?, ?, ?, ?)",
            (message_id, partner, syntax, _control(group_control), deadline),
        )

    async def reconcile_ack(
        self, *, partner: str, syntax: str, group_control: str, status: str, ack_message_id: str
    ) -> str | None:
        row = await self._one(
            "UPDATE expected_acks SET status = ?, ack_message_id = ?"
            " WHERE partner = ? AND syntax = ? AND group_control = ? RETURNING message_id",
            (status, ack_message_id, partner, syntax, _control(group_control)),
        )
        return None if row is None else str(row["message_id"])

    async def audit(
        self,
        *,
        actor: str,
        action: str,
        message_id: str | None = None,
        job_id: int | None = None,
        details: dict[str, Any] | None = None,
    ) -> AuditEvent:
        last = await self._one("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
        seq = 1 if last is None else int(last["seq"]) + 1
        prev = GENESIS if last is None else str(last["hash"])
        at = iso(self._clock())
        body = dict(details or {})
        digest = event_hash(
            prev,
            seq=seq,
            at=at,
            actor=actor,
            action=action,
            message_id=message_id,
            job_id=job_id,
            details=body,
        )
        await self._conn.execute(
            "INSERT INTO audit (seq, at, actor, action, message_id, job_id, details,"
            " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (seq, at, actor, action, message_id, job_id, canonical_json(body), prev, digest),
        )
        return AuditEvent(
            seq=seq,
            at=at,
            actor=actor,
            action=action,
            message_id=message_id,
            job_id=job_id,
            details=body,
            prev_hash=prev,
            hash=digest,
        )


class SqliteStore:
    def __init__(self, path: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self._clock = clock
        self._conn: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()

    def now(self) -> float:
        return self._clock()

    async def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = await aiosqlite.connect(self.path, isolation_level=None)
            conn.row_factory = sqlite3.Row
            for pragma in (
                "PRAGMA journal_mode = WAL",
                "PRAGMA synchronous = FULL",
                f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}",
                "PRAGMA foreign_keys = ON",
            ):
                await conn.execute(pragma)
            self._conn = conn
            await self._migrate()
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the store: {exc}") from exc

    async def _migrate(self) -> None:
        conn = self._connection()
        await conn.execute("BEGIN IMMEDIATE")
        try:
            async with conn.execute("PRAGMA user_version") as cur:
                row = await cur.fetchone()
            current = int(row[0]) if row else 0
            for version, _name, sql in MIGRATIONS:
                if version > current:
                    for statement in sql.split(";"):
                        if statement.strip():
                            await conn.execute(statement)
                    await conn.execute(f"PRAGMA user_version = {version}")
            await conn.execute("COMMIT")
        except BaseException:
            await conn.execute("ROLLBACK")
            raise

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    def _connection(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise StoreError("store is not open")
        return self._conn

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[_Tx]:
        """BEGIN IMMEDIATE ... COMMIT; any exception rolls back and propagates."""
        conn = self._connection()
        async with self._lock:
            try:
                await conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise StoreError(f"cannot begin a transaction: {exc}") from exc
            try:
                yield _Tx(conn, self._clock)
                await conn.execute("COMMIT")
            except BaseException as exc:
                await conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise StoreError(f"store transaction failed: {exc}") from exc
                raise

    async def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        conn = self._connection()
        async with self._lock:
            try:
                async with conn.execute(sql, params) as cur:
                    return list(await cur.fetchall())
            except sqlite3.Error as exc:
                raise StoreError(f"store query failed: {exc}") from exc

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

    async def documents(self, message_id: str) -> list[DocumentRow]:
        rows = await self._rows(
            "SELECT * FROM documents WHERE message_id = ? ORDER BY seq", (message_id,)
        )
        return [
            DocumentRow(
                message_id=r["message_id"],
                seq=r["seq"],
                kind=r["kind"],
                number=r["number"],
                body=r["body"],
                interchange_control=r["interchange_control"],
                group_control=r["group_control"],
                message_control=r["message_control"],
            )
            for r in rows
        ]

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

    async def overdue_acks(self) -> list[tuple[str, str, str]]:
        rows = await self._rows(
            "SELECT message_id, partner, group_control FROM expected_acks"
            " WHERE status = 'waiting' AND deadline < ? ORDER BY deadline",
            (self._clock(),),
        )
        return [(r[0], r[1], r[2]) for r in rows]
