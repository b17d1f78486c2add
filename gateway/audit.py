"""The audit trail's hash chain: each event's hash covers the previous hash and the event.

Changing, removing or reordering any stored event breaks every hash after it, and
``verify`` names the first event that no longer matches. The store appends events inside
the same transaction as the change they describe.

A chain alone cannot tell that its newest events were cut off (a deleted WAL, rows
deleted from the end). So the store also writes the head - sequence number and hash - to
an append-only anchor file outside the database after its commits (at most once a second),
and ``verify`` checks every anchored head against the chain: an anchored event that is
missing or different is a break.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .store.base import AuditEvent

__all__ = ["GENESIS", "AuditAnchor", "ChainBreak", "canonical_json", "event_hash", "verify"]

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


class AuditAnchor:
    """The append-only file of chain heads (``<seq> <hash>`` lines) beside the archive."""

    def __init__(self, path: Path, *, every: float = 1.0) -> None:
        self.path = path
        self.every = every
        self._last_write = -float("inf")
        self._unwritten: tuple[int, str] | None = None

    def note(self, seq: int, head: str) -> None:
        """A commit ended the chain at ``seq``: write it down, unless one was written in
        the last ``every`` seconds (then it waits for the next note or ``flush``)."""
        self._unwritten = (seq, head)
        if time.monotonic() - self._last_write >= self.every:
            self.flush()

    def flush(self) -> None:
        if self._unwritten is None:
            return
        seq, head = self._unwritten
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, f"{seq} {head}\n".encode("ascii"))
        finally:
            os.close(fd)
        self._unwritten, self._last_write = None, time.monotonic()

    def heads(self) -> Iterator[tuple[int, str]]:
        """Every anchored head, oldest first; a damaged line is skipped (and reported by
        ``verify`` as unreadable through its absence, not as a chain break)."""
        if not self.path.exists():
            return
        with self.path.open(encoding="ascii", errors="replace") as fh:
            for line in fh:
                seq, _, head = line.strip().partition(" ")
                if seq.isdigit() and len(head) == 64:
                    yield int(seq), head


def verify(
    events: Iterable[AuditEvent], anchored: Iterable[tuple[int, str]] = ()
) -> tuple[int, ChainBreak | None]:
    """(events checked, first break or None). Sequence gaps count as breaks, and so does
    an ``anchored`` head the chain does not hold."""
    anchors = dict(anchored)
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
        if anchors.pop(ev.seq, ev.hash) != ev.hash:
            return checked, ChainBreak(seq=ev.seq, reason="differs from the anchored head")
        prev = ev.hash
        expected_seq += 1
        checked += 1
    if anchors:
        missing = max(anchors)
        return checked, ChainBreak(
            seq=expected_seq,
            reason=f"the chain ends at event {expected_seq - 1} but the anchor file names "
            f"event {missing}: the newest events are missing",
        )
    return checked, None
