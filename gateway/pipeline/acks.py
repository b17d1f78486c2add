"""Functional acknowledgements we owe: which, with what control numbers, stored how.

Which ack a partner gets is the profile's choice (997 / 999 / CONTRL / none); a TA1 is
added for X12 interchange envelope errors. Acks are never sent for acks (X12 and EDIFACT
both forbid acknowledging a 997 / CONTRL).
"""

from __future__ import annotations

from dataclasses import dataclass

import translators
from translators import InterchangeResult, WriteSettings

from ..app import Gateway
from ..profiles import Profile
from ..store import MessageRow, NewJob, Tx
from .checks import is_duplicate_answer, sender_refused
from .inbox import new_message_id
from .jobs import PRIORITY_ACK, SEND_OUTBOUND
from .worker import JobContext

__all__ = ["PlannedAck", "ack_kinds", "plan_acks", "queue_send", "store_ack"]


@dataclass(frozen=True, slots=True, kw_only=True)
class PlannedAck:
    kind: str  # 997 | 999 | TA1 | CONTRL
    syntax: str
    data: bytes
    sha256: str
    interchange_control: str | None  # of the inbound interchange it answers
    status: str  # of that interchange


def ack_kinds(ix: InterchangeResult, profile: Profile) -> list[str]:
    """Which acks this interchange gets. Control numbers are allocated for each, so a kind
    is listed only when the ack will really be sent (no gaps for nothing)."""
    only_acks = bool(ix.messages) and all(m.kind == "functional_ack" for m in ix.messages)
    if ix.syntax == "x12":
        envelope_errors = any(i.level == "interchange" and i.is_error for i in ix.issues)
        ta1 = ["TA1"] if envelope_errors or ix.ack_requested else []
        wanted = profile.x12.ack if profile.x12 else "997"
        if wanted == "none" or only_acks or not ix.groups or sender_refused(ix):
            return ta1
        if is_duplicate_answer(ix):  # the TA1 025 says it all; its sets were answered before
            return ta1
        return [*ta1, wanted]
    if ix.syntax == "edifact":
        wanted = profile.edifact.ack if profile.edifact else "CONTRL"
        return [] if wanted == "none" or only_acks else [wanted]  # CONTRL covers UNB errors
    return []


async def plan_acks(
    gw: Gateway, profile: Profile, results: list[InterchangeResult]
) -> list[PlannedAck]:
    """Allocate control numbers (own transaction: a crash leaves a gap, never a reuse),
    build each ack with the translators and archive it."""
    wanted = [(ix, kind) for ix in results for kind in ack_kinds(ix, profile)]
    if not wanted:
        return []
    units = ("interchange", "group", "message")
    flat = await gw.store.allocate_controls(
        profile.id, [f"{ix.syntax}:{unit}" for ix, _ in wanted for unit in units]
    )
    numbers = [tuple(flat[i : i + 3]) for i in range(0, len(flat), 3)]
    planned = []
    stamp = gw.utcnow().replace(tzinfo=None, microsecond=0)
    for (ix, kind), (icn, gcn, mcn) in zip(wanted, numbers, strict=True):
        data = translators.build_ack(
            ix,
            kind=kind,
            settings=WriteSettings(
                interchange_control=icn,
                group_control=gcn,
                message_control=mcn,
                timestamp=stamp,
                test=ix.test,
            ),
        )
        if data is None:
            continue
        planned.append(
            PlannedAck(
                kind=kind,
                syntax=ix.syntax,
                data=data,
                sha256=await gw.archive.put(data),
                interchange_control=ix.control,
                status=ix.status,
            )
        )
    return planned


def store_ack(tx: Tx, ctx: JobContext, profile: Profile, ack: PlannedAck) -> str:
    """The ack as an outbound message answering the inbound one, with its send job."""
    ack_id = new_message_id()
    tx.insert_message(
        MessageRow(
            id=ack_id,
            direction="out",
            partner=profile.id,
            transport=profile.send_via or "none",
            status="queued",
            format=ack.syntax,
            kinds=("functional_ack",),
            size=len(ack.data),
            sha256=ack.sha256,
            related_id=ctx.job.message_id,
        )
    )
    tx.audit(
        actor=ctx.owner,
        action="ack.queued",
        message_id=ack_id,
        details={
            "kind": ack.kind,
            "answers": ctx.job.message_id,
            "status": ack.status,
            "interchange_control": ack.interchange_control,
        },
    )
    queue_send(tx, ctx.gw, ack_id, key=f"{SEND_OUTBOUND}:{ack_id}")
    return ack_id


def queue_send(tx: Tx, gw: Gateway, message_id: str, *, key: str) -> None:
    tx.enqueue(
        NewJob(
            kind=SEND_OUTBOUND,
            message_id=message_id,
            priority=PRIORITY_ACK,
            max_attempts=gw.settings.jobs.max_attempts,
            idempotency_key=key,
        )
    )
