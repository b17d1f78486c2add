"""The ``Store`` protocol and its row types: one interface, several back ends.

A transaction is a *unit of work*: ``async with store.transaction() as tx`` records writes
(plain method calls, no awaits) and the store runs them all in one call when the block
ends: one round trip to the database thread (SQLite) or one pipelined transaction
(PostgreSQL), instead of one await per statement. Units from concurrent tasks commit
together (group commit), each inside its own savepoint, so one unit's failed guard rolls
back that unit alone. Guards (``complete``/``fail`` of a claim that is no longer ours,
``claim_duplicate_key`` that lost a race) raise ``LeaseLost`` / ``StoreConflict`` from
the ``async with`` and nothing of that unit is written.

Writes that need a value first (job claims, control numbers) are single store calls
that are units of their own. Timestamps, lease deadlines and control-number
normalisation belong to the store (its clock: the database's, for PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = [
    "AuditEvent",
    "DocumentRow",
    "Job",
    "MessageRow",
    "NewJob",
    "Store",
    "Tx",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageRow:
    id: str
    direction: str  # in | out
    partner: str
    transport: str
    status: str
    size: int
    sha256: str
    received_at: str = ""  # set by the store's clock on insert
    updated_at: str = ""
    transport_id: str | None = None
    format: str | None = None
    kinds: tuple[str, ...] = ()
    errors: tuple[dict[str, Any], ...] = ()
    related_id: str | None = None
    actor: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentRow:
    message_id: str
    seq: int
    kind: str
    number: str | None
    body: str  # canonical JSON
    interchange_control: str | None = None
    group_control: str | None = None
    message_control: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class NewJob:
    kind: str
    message_id: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    priority: int = 100
    delay: float = 0.0  # seconds from the store's now
    max_attempts: int = 8
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Job:
    id: int
    kind: str
    message_id: str | None
    payload: dict[str, Any]
    priority: int
    status: str
    run_at: float
    attempts: int
    max_attempts: int
    idempotency_key: str | None
    lease_owner: str | None
    lease_expires: float | None
    last_error: str | None
    #: this claim's own token: a reaped and re-claimed job has a new one, so the stale
    #: run's complete()/fail() are refused even in the same process
    token: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditEvent:
    seq: int
    at: str
    actor: str
    action: str
    message_id: str | None
    job_id: int | None
    details: dict[str, Any]
    prev_hash: str
    hash: str


class Tx(Protocol):
    """Writes recorded now, committed together when the ``async with`` block ends."""

    def insert_message(self, row: MessageRow) -> None: ...
    def update_message(
        self,
        message_id: str,
        *,
        status: str,
        format: str | None = None,
        kinds: Sequence[str] | None = None,
        errors: Sequence[dict[str, Any]] | None = None,
    ) -> None: ...
    def put_documents(self, rows: Sequence[DocumentRow]) -> None:
        """Insert or replace by (message_id, seq): a re-run writes the same rows again."""
        ...

    def delete_documents(self, message_id: str, seqs: tuple[int, int] | None = None) -> None:
        """All of a message's documents, or those with ``start <= seq < stop``."""
        ...

    def enqueue(self, job: NewJob) -> None:
        """A job, once per idempotency key (a second enqueue of a key is a no-op)."""
        ...

    def enqueue_per_document(
        self, job: NewJob, *, message_id: str, kind: str, seqs: tuple[int, int]
    ) -> None:
        """One ``job`` per stored document of ``kind`` with ``start <= seq < stop``: its
        payload gains ``seq`` and its idempotency key ``:<seq>``. Set-based, so a message
        of 200,000 orders queues its hand-offs without holding them in memory."""
        ...

    def complete(self, job: Job) -> None:
        """Guard: raises ``LeaseLost`` at commit unless this claim still holds the job."""
        ...

    def fail(self, job: Job, error: str, retry_in: float | None) -> None:
        """Guard like ``complete``; ``retry_in`` None is the dead letter."""
        ...

    def retry(self, job_id: int) -> None:
        """An operator's retry of a dead or waiting job: due now, attempts reset."""
        ...

    def claim_duplicate_key(self, partner: str, key: str, message_id: str) -> None:
        """Guard: raises ``StoreConflict`` if another message holds the key."""
        ...

    def expect_ack(
        self, *, message_id: str, partner: str, syntax: str, group_control: str, deadline: float
    ) -> None: ...
    def reconcile_ack(
        self, *, partner: str, syntax: str, group_control: str, status: str, ack_message_id: str
    ) -> None: ...
    def audit(
        self,
        *,
        actor: str,
        action: str,
        message_id: str | None = None,
        job_id: int | None = None,
        details: dict[str, Any] | None = None,
    ) -> None: ...


class Store(Protocol):
    async def open(self) -> None: ...
    async def close(self) -> None: ...
    def transaction(self) -> AbstractAsyncContextManager[Tx]: ...
    def now(self) -> float:
        """The store's clock (leases, retries, ack deadlines are measured on it)."""
        ...

    # -- writes that return what they took: each one unit ------------------------------
    async def claim(
        self, owner: str, limit: int, lease_seconds: float, *, kinds: Sequence[str] | None = None
    ) -> list[Job]:
        """Due jobs (of ``kinds``, or any), highest priority first, each with a fresh
        token; audited."""
        ...

    async def reap(self, actor: str) -> list[Job]:
        """Jobs whose lease expired go back to the queue; audited."""
        ...

    async def extend_lease(self, job: Job, lease_seconds: float) -> bool:
        """Keep a long-running claim; False when it is no longer ours."""
        ...

    async def allocate_controls(self, partner: str, purposes: Sequence[str]) -> list[int]:
        """The next control number for each purpose, committed: never reused."""
        ...

    # -- reads ---------------------------------------------------------------------------
    async def duplicate_of(self, partner: str, key: str, message_id: str) -> str | None: ...
    async def find_transport_id(
        self, partner: str, transport: str, transport_id: str
    ) -> str | None: ...
    async def expected_ack(self, partner: str, syntax: str, group_control: str) -> str | None: ...
    async def get_message(self, message_id: str) -> MessageRow | None: ...
    async def list_messages(
        self,
        *,
        partner: str | None = None,
        status: str | None = None,
        direction: str | None = None,
        limit: int = 100,
    ) -> list[MessageRow]: ...
    async def document(self, message_id: str, seq: int) -> DocumentRow | None: ...
    async def documents(self, message_id: str) -> list[DocumentRow]: ...
    async def related(self, message_id: str) -> list[MessageRow]: ...
    async def jobs(
        self, *, message_id: str | None = None, status: str | None = None
    ) -> list[Job]: ...
    async def count_jobs(self, status: str) -> int: ...
    async def audit_events(self, *, message_id: str | None = None) -> list[AuditEvent]: ...
    async def archive_keys(self) -> list[tuple[str, str]]:
        """(message id, sha256) of every message: what the archive must hold."""
        ...

    async def overdue_acks(self) -> list[tuple[str, str, str]]: ...
