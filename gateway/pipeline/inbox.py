"""``accept()``: the one door every transport comes through.

When ``accept`` returns, the payload is in the archive (fsync'd) and the message row, its
audit event and its processing job are committed as one unit: only then may a transport
confirm receipt (MDN, HTTP 202, SFTP close). The store commits concurrent units together
(group commit), so the fsync cost is paid once per batch, not once per message.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from dataclasses import dataclass

import translators
from translators import SizeLimitError

from ..app import Gateway
from ..errors import PartnerAuthError
from ..store import MessageRow, NewJob
from .jobs import BULK_BYTES, PRIORITY_BULK, PRIORITY_INBOUND, PROCESS_INBOUND

__all__ = ["Accepted", "Inbox", "new_message_id"]


def new_message_id(now: float | None = None) -> str:
    """Time-sortable and readable: ``20240301T120000123-9f1c2ab3de45``."""
    stamp = dt.datetime.fromtimestamp(time.time() if now is None else now, dt.UTC)
    return f"{stamp:%Y%m%dT%H%M%S}{stamp.microsecond // 1000:03d}-{secrets.token_hex(6)}"


def _is_xml(payload: bytes) -> bool:
    try:
        return translators.detect(payload[:512]) == "xml"
    except translators.DetectError:
        return False


@dataclass(frozen=True, slots=True, kw_only=True)
class Accepted:
    message_id: str
    sha256: str
    duplicate_of: str | None = None  # same transport message id seen before


class Inbox:
    def __init__(self, gw: Gateway) -> None:
        self.gw = gw

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
        xml_limit = profile.xml_max_bytes or self.gw.settings.max_xml_bytes
        if len(payload) > xml_limit and _is_xml(payload):
            raise SizeLimitError(
                f"XML payload of {len(payload)} bytes exceeds the {xml_limit} limit for XML"
                " (max_xml_bytes, or the profile's [xml] max_bytes)"
            )
        sha = await self.gw.archive.put(payload)
        first = None
        if transport_id:
            first = await self.gw.store.find_transport_id(partner, transport, transport_id)
        message_id = new_message_id()
        actor = actor or f"transport:{transport}"
        details = {"transport": transport, "size": len(payload), "sha256": sha}
        async with self.gw.store.transaction() as tx:
            tx.insert_message(
                MessageRow(
                    id=message_id,
                    direction="in",
                    partner=partner,
                    transport=transport,
                    transport_id=transport_id,
                    status="duplicate" if first else "received",
                    size=len(payload),
                    sha256=sha,
                    related_id=first,
                    actor=actor,
                    errors=(
                        {
                            "level": "transport",
                            "code": "duplicate",
                            "message": f"same {transport} message id as {first}",
                        },
                    )
                    if first
                    else (),
                )
            )
            if first:
                tx.audit(
                    actor=actor,
                    action="message.duplicate",
                    message_id=message_id,
                    details={**details, "duplicate_of": first},
                )
            else:
                tx.audit(
                    actor=actor, action="message.received", message_id=message_id, details=details
                )
                tx.enqueue(
                    NewJob(
                        kind=PROCESS_INBOUND,
                        message_id=message_id,
                        priority=PRIORITY_BULK if len(payload) > BULK_BYTES else PRIORITY_INBOUND,
                        max_attempts=self.gw.settings.jobs.max_attempts,
                        idempotency_key=f"{PROCESS_INBOUND}:{message_id}",
                    )
                )
        return Accepted(message_id=message_id, sha256=sha, duplicate_of=first)
