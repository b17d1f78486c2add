"""The audit trail's hash chain: each event's hash covers the previous hash and the event.

Changing, removing or reordering any stored event breaks every hash after it, and
``verify`` names the first event that no longer matches. The store appends events inside
the same transaction as the change they describe.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .store.base import AuditEvent

__all__ = ["GENESIS", "ChainBreak", "canonical_json", "event_hash", "verify"]

GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(
    prev_hash: str,
    *,
    seq: int,
    at: str,
    actor: str,
    action: str,
    message_id: str | None,
    job_id: int | None,
    details: dict[str, Any],
) -> str:
    body = canonical_json(
        {
            "seq": seq,
            "at": at,
            "actor": actor,
            "action": action,
            "message_id": message_id,
            "job_id": job_id,
            "details": details,
        }
    )
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True, kw_only=True)
class ChainBreak:
    seq: int
    reason: str


def verify(events: Iterable[AuditEvent]) -> tuple[int, ChainBreak | None]:
    """(events checked, first break or None). Sequence gaps count as breaks."""
    prev = GENESIS
    expected_seq = 1
    checked = 0
    for ev in events:
        if ev.seq != expected_seq:
            return checked, ChainBreak(seq=ev.seq, reason=f"expected event {expected_seq} here")
        if ev.prev_hash != prev:
            return checked, ChainBreak(seq=ev.seq, reason="previous-hash link does not match")
        recomputed = event_hash(
            prev,
            seq=ev.seq,
            at=ev.at,
            actor=ev.actor,
            action=ev.action,
            message_id=ev.message_id,
            job_id=ev.job_id,
            details=ev.details,
        )
        if recomputed != ev.hash:
            return checked, ChainBreak(seq=ev.seq, reason="content does not match its hash")
        prev = ev.hash
        expected_seq += 1
        checked += 1
    return checked, None
