"""``process_inbound``: from archived bytes to stored documents, acks and ERP hand-offs.

Order of work, so that a crash anywhere loses nothing and repeats nothing harmful:
read and check (no writes) -> allocate ack control numbers (own transaction: a crash
after it leaves a gap, never a reuse) -> build and archive the acks (write-once files)
-> ONE transaction: duplicate index, documents, message status, ack messages and their
send jobs, ERP jobs, ack reconciliation, audit, job completion.
"""

from __future__ import annotations

import asyncio
import dataclasses
from dataclasses import dataclass, field
from typing import Any

import translators
from translators import InterchangeResult, Issue
from translators.model import FunctionalAck

from ..profiles import Profile
from ..store import DocumentRow, NewJob, Tx
from .acks import plan_acks, store_ack
from .checks import check_interchange, duplicate_key, sender_refused
from .jobs import DELIVER_ERP, PRIORITY_ERP
from .worker import JobContext

__all__ = ["issue_json", "process_inbound"]

_THREAD_BYTES = 256 * 1024  # parse bigger payloads off the event loop


def issue_json(issue: Issue) -> dict[str, Any]:
    return {k: v for k, v in dataclasses.asdict(issue).items() if v is not None}


@dataclass(slots=True)
class _Outcome:
    documents: list[DocumentRow] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    accepted: int = 0
    rejected: int = 0
    refused: bool = False
    duplicates: list[str] = field(default_factory=list)


async def _read(payload: bytes) -> list[InterchangeResult]:
    if len(payload) > _THREAD_BYTES:
        return await asyncio.to_thread(translators.read, payload)
    return translators.read(payload)


async def process_inbound(ctx: JobContext) -> None:
    gw, job = ctx.gw, ctx.job
    assert job.message_id is not None
    msg = await gw.store.get_message(job.message_id)
    if msg is None:
        raise translators.GatewayError(f"message {job.message_id} not found")
    profile = gw.profiles.get(msg.partner)
    if profile is None:
        raise translators.GatewayError(f"no profile for partner {msg.partner!r}")
    payload = await gw.archive.get(msg.sha256)
    try:
        results = [check_interchange(ix, profile) for ix in await _read(payload)]
    except translators.TranslationError as exc:
        await _unreadable(ctx, exc)
        return
    planned = await plan_acks(gw, profile, results)
    async with gw.store.transaction() as tx:
        outcome = await _record(tx, ctx, profile, results)
        ack_ids = [
            await store_ack(tx, ctx, profile, ack)
            for ack in planned
            if ack.interchange_control not in outcome.duplicates
        ]
        status = _status(outcome)
        await tx.replace_documents(msg.id, outcome.documents)
        await tx.update_message(
            msg.id,
            status=status,
            format=results[0].syntax if results else None,
            kinds=sorted({d.kind for d in outcome.documents}),
            errors=outcome.errors,
        )
        await tx.audit(
            actor=ctx.owner,
            action=f"message.{status}",
            message_id=msg.id,
            job_id=job.id,
            details={
                "documents": len(outcome.documents),
                "accepted": outcome.accepted,
                "rejected": outcome.rejected,
                "acks": ack_ids,
                "duplicate_of": outcome.duplicates,
            },
        )
        await ctx.complete(tx)


def _status(o: _Outcome) -> str:
    if o.refused:
        return "refused"
    if o.duplicates and not o.accepted and not o.rejected:
        return "duplicate"
    if o.rejected and not o.accepted:
        return "rejected"
    return "partial" if o.rejected else "processed"


async def _record(
    tx: Tx, ctx: JobContext, profile: Profile, results: list[InterchangeResult]
) -> _Outcome:
    out = _Outcome()
    msg_id = ctx.job.message_id
    assert msg_id is not None
    for ix in results:
        out.errors += [issue_json(i) for i in ix.all_issues]
        if sender_refused(ix):
            out.refused = True
            continue
        key = duplicate_key(ix)
        first = await tx.claim_duplicate_key(profile.id, key, msg_id) if key else None
        if first is not None:
            out.duplicates.append(ix.control or "")
            out.errors.append(
                {
                    "level": "interchange",
                    "code": "duplicate",
                    "interchange_control": ix.control,
                    "message": f"interchange {ix.control} already received in message {first}",
                }
            )
            continue
        for m in ix.messages:
            if m.document is None:
                out.rejected += 1
                continue
            out.accepted += 1
            doc, seq = m.document, len(out.documents)
            env = doc.envelope
            out.documents.append(
                DocumentRow(
                    message_id=msg_id,
                    seq=seq,
                    kind=doc.type,
                    number=doc.number,
                    body=translators.to_json(doc),
                    interchange_control=env.interchange_control if env else ix.control,
                    group_control=env.group_control if env else None,
                    message_control=env.message_control if env else m.control,
                )
            )
            await _follow_up(tx, ctx, profile, doc, seq)
    return out


async def _follow_up(
    tx: Tx, ctx: JobContext, profile: Profile, doc: translators.Document, seq: int
) -> None:
    """Orders go to the ERP step; acknowledgements close what we are waiting for."""
    msg_id = ctx.job.message_id
    assert msg_id is not None
    if doc.type == "purchase_order":
        if doc.envelope is not None and doc.envelope.test:
            await tx.audit(
                actor=ctx.owner,
                action="erp.skipped",
                message_id=msg_id,
                details={"seq": seq, "reason": "test interchange (not for ERP)"},
            )
            return
        await tx.enqueue(
            NewJob(
                kind=DELIVER_ERP,
                message_id=msg_id,
                payload={"seq": seq},
                priority=PRIORITY_ERP,
                max_attempts=profile.max_attempts or ctx.gw.settings.jobs.max_attempts,
                idempotency_key=f"{DELIVER_ERP}:{msg_id}:{seq}",
            )
        )
    elif isinstance(doc, FunctionalAck):
        syntax = doc.envelope.format if doc.envelope else "x12"
        for ref in doc.acknowledges:
            if ref.level not in ("group", "interchange"):
                continue
            outbound = await tx.reconcile_ack(
                partner=profile.id,
                syntax=syntax,
                group_control=ref.control,
                status=ref.status or doc.status,
                ack_message_id=msg_id,
            )
            if outbound is not None:
                await tx.audit(
                    actor=ctx.owner,
                    action="ack.reconciled",
                    message_id=outbound,
                    details={"ack_message": msg_id, "status": ref.status or doc.status},
                )


async def _unreadable(ctx: JobContext, exc: translators.TranslationError) -> None:
    """Not even an envelope: reject with what the reader could say; bytes stay archived."""
    issues = getattr(exc, "issues", ()) or ()
    errors = [issue_json(i) for i in issues] or [
        {"level": "interchange", "code": exc.code or "unreadable", "message": str(exc)}
    ]
    assert ctx.job.message_id is not None
    async with ctx.gw.store.transaction() as tx:
        await tx.update_message(ctx.job.message_id, status="rejected", errors=errors)
        await tx.audit(
            actor=ctx.owner,
            action="message.rejected",
            message_id=ctx.job.message_id,
            job_id=ctx.job.id,
            details={"reason": str(exc)[:500]},
        )
        await ctx.complete(tx)
