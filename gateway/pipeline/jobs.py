"""Job kinds, priorities and the retry policy (pure: tested without an event loop)."""

from __future__ import annotations

import random

__all__ = [
    "BULK_BYTES",
    "DELIVER_ERP",
    "PRIORITY_ACK",
    "PRIORITY_BULK",
    "PRIORITY_ERP",
    "PRIORITY_INBOUND",
    "PROCESS_INBOUND",
    "SEND_OUTBOUND",
    "backoff",
]

PROCESS_INBOUND = "process_inbound"
DELIVER_ERP = "deliver_erp"
SEND_OUTBOUND = "send_outbound"

# Lower runs first: orders and acknowledgements never wait behind a bulk backlog.
PRIORITY_ACK = 10
PRIORITY_INBOUND = 20
PRIORITY_ERP = 30
PRIORITY_BULK = 80
BULK_BYTES = 1 << 20  # inbound payloads above this are "bulk"


def backoff(attempt: int, *, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Seconds before retry ``attempt`` (1-based): exponential, capped, with full jitter
    in the upper half so that a burst of failures does not retry in lockstep."""
    ceiling = min(cap, base * 2.0 ** max(0, attempt - 1))
    draw = rng.random() if rng is not None else random.random()
    return ceiling / 2 + draw * ceiling / 2
