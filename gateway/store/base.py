"""The ``Store`` protocol and its row types: one interface, several back ends.

Everything that must happen together happens in one ``Tx`` (``async with
store.transaction() as tx``): a message, its archive key, its audit event and its job
are committed as one, or not at all. The SQLite store is the embedded default; a
PostgreSQL store implements the same protocol and passes the same contract tests.
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
    received_at: str
    updated_at: str
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
    run_at: float | None = None  # None: now
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
    """Writes that commit together. Reads inside see the transaction's own writes."""

    async def insert_message(self, row: MessageRow) -> None: ...
    async def update_message(
        self,
        message_id: str,
        *,
        status: str,
        format: str | None = None,
        kinds: Sequence[str] | None = None,
        errors: Sequence[dict[str, Any]] | None = None,
    ) -> None: ...
    async def replace_documents(self, message_id: str, rows: Sequence[DocumentRow]) -> None: ...
    async def enqueue(self, job: NewJob) -> int | None: ...
    async def claim(self, owner: str, limit: int, lease_seconds: float) -> list[Job]: ...
    async def reap(self) -> list[Job]: ...
    async def complete(self, job: Job, owner: str) -> bool: ...
    async def fail(self, job: Job, owner: str, error: str, retry_at: float | None) -> bool: ...
    async def retry(self, job_id: int) -> bool: ...
    async def next_control(self, partner: str, purpose: str) -> int: ...
    async def claim_duplicate_key(self, partner: str, key: str, message_id: str) -> str | None: ...
    async def find_transport_id(
        self, partner: str, transport: str, transport_id: str
    ) -> str | None: ...
    async def expect_ack(
        self, *, message_id: str, partner: str, syntax: str, group_control: str, deadline: float
    ) -> None: ...
    async def reconcile_ack(
        self, *, partner: str, syntax: str, group_control: str, status: str, ack_message_id: str
    ) -> str | None: ...
    async def audit(
        self,
        *,
        actor: str,
        action: str,
        message_id: str | None = None,
        job_id: int | None = None,
        details: dict[str, Any] | None = None,
    ) -> AuditEvent: ...


class Store(Protocol):
    async def open(self) -> None: ...
    async def close(self) -> None: ...
    def transaction(self) -> AbstractAsyncContextManager[Tx]: ...
    def now(self) -> float: ...

    async def get_message(self, message_id: str) -> MessageRow | None: ...
    async def list_messages(
        self,
        *,
        partner: str | None = None,
        status: str | None = None,
        direction: str | None = None,
        limit: int = 100,
    ) -> list[MessageRow]: ...
    async def documents(self, message_id: str) -> list[DocumentRow]: ...
    async def related(self, message_id: str) -> list[MessageRow]: ...
    async def jobs(
        self, *, message_id: str | None = None, status: str | None = None
    ) -> list[Job]: ...
    async def count_jobs(self, status: str) -> int: ...
    async def audit_events(self, *, message_id: str | None = None) -> list[AuditEvent]: ...
    async def overdue_acks(self) -> list[tuple[str, str, str]]: ...
