"""``accept()``: the one door every transport comes through.

When ``accept`` returns, the payload is in the archive (fsync'd) and the message row, its
audit event and its processing job are committed together: only then may a transport
confirm receipt (MDN, HTTP 202, SFTP close). Concurrent accepts share one transaction
(group commit), so the fsync cost is paid once per batch, not once per message.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass

from translators import SizeLimitError

from ..app import Gateway
from ..errors import PartnerAuthError
from ..store import MessageRow, NewJob, Tx, iso
from .jobs import BULK_BYTES, PRIORITY_BULK, PRIORITY_INBOUND, PROCESS_INBOUND

__all__ = ["Accepted", "Inbox", "new_message_id"]

_MAX_BATCH = 256


def new_message_id(now: float) -> str:
    """Time-sortable and readable: ``20240301T120000123-9f1c2ab3de45``."""
    stamp = iso(now).replace("-", "").replace(":", "").replace(".", "")[:18]
    return f"{stamp}-{secrets.token_hex(6)}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Accepted:
    message_id: str
    sha256: str
    duplicate_of: str | None = None  # same transport message id seen before


@dataclass(frozen=True, slots=True, kw_only=True)
class _Pending:
    partner: str
    transport: str
    transport_id: str | None
    sha256: str
    size: int
    actor: str


class Inbox:
    def __init__(self, gw: Gateway) -> None:
        self.gw = gw
        self._pending: list[tuple[_Pending, asyncio.Future[Accepted]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def accept(
        self,
        *,
        partner: str,
        transport: str,
        payload: bytes,
        transport_id: str | None = None,
        actor: str | None = None,
    ) -> Accepted:
        """Durably take ``payload`` from an authenticated ``partner``; see module doc."""
        profile = self.gw.profiles.get(partner)
        if profile is None:
            raise PartnerAuthError(f"unknown partner {partner!r}")
        if profile.status == "suspended":
            raise PartnerAuthError(f"partner {partner!r} is suspended")
        limit = self.gw.settings.max_payload_bytes
        if len(payload) > limit:
            raise SizeLimitError(f"payload of {len(payload)} bytes exceeds the {limit} limit")
        sha = await self.gw.archive.put(payload)
        item = _Pending(
            partner=partner,
            transport=transport,
            transport_id=transport_id,
            sha256=sha,
            size=len(payload),
            actor=actor or f"transport:{transport}",
        )
        future: asyncio.Future[Accepted] = asyncio.get_running_loop().create_future()
        self._pending.append((item, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        while self._pending:
            batch, self._pending = self._pending[:_MAX_BATCH], self._pending[_MAX_BATCH:]
            try:
                async with self.gw.store.transaction() as tx:
                    results = [await self._insert(tx, item) for item, _ in batch]
            except Exception as exc:  # every waiter learns its message was not stored
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for (_, future), result in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(result)

    async def _insert(self, tx: Tx, item: _Pending) -> Accepted:
        now = self.gw.store.now()
        message_id = new_message_id(now)
        first = None
        if item.transport_id:
            first = await tx.find_transport_id(item.partner, item.transport, item.transport_id)
        await tx.insert_message(
            MessageRow(
                id=message_id,
                direction="in",
                partner=item.partner,
                transport=item.transport,
                transport_id=item.transport_id,
                status="duplicate" if first else "received",
                size=item.size,
                sha256=item.sha256,
                related_id=first,
                actor=item.actor,
                errors=(
                    {
                        "level": "transport",
                        "code": "duplicate",
                        "message": f"same {item.transport} message id as {first}",
                    },
                )
                if first
                else (),
                received_at=iso(now),
                updated_at=iso(now),
            )
        )
        details = {"transport": item.transport, "size": item.size, "sha256": item.sha256}
        if first:
            await tx.audit(
                actor=item.actor,
                action="message.duplicate",
                message_id=message_id,
                details={**details, "duplicate_of": first},
            )
            return Accepted(message_id=message_id, sha256=item.sha256, duplicate_of=first)
        await tx.audit(
            actor=item.actor, action="message.received", message_id=message_id, details=details
        )
        await tx.enqueue(
            NewJob(
                kind=PROCESS_INBOUND,
                message_id=message_id,
                priority=PRIORITY_BULK if item.size > BULK_BYTES else PRIORITY_INBOUND,
                max_attempts=self.gw.settings.jobs.max_attempts,
                idempotency_key=f"{PROCESS_INBOUND}:{message_id}",
            )
        )
        return Accepted(message_id=message_id, sha256=item.sha256)
