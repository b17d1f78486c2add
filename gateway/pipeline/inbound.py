"""``process_inbound``: from archived bytes to stored documents, acks and ERP hand-offs.

The payload is read as a stream (``translators.stream``): documents are stored in batches
as they come, so memory holds one batch, whatever the file's size. Order of work, so
that a crash anywhere loses nothing and repeats nothing harmful:

1. verify the archived bytes, then stream them; each batch of documents is one unit
   (the first one also clears what an earlier, interrupted run stored; the last one is
   part of the final unit, so a small message costs two units in all);
2. at each interchange's end its checks decide: documents of a refused or duplicate
   interchange are deleted again; nothing has left the store yet, ERP jobs come last;
3. allocate ack control numbers (own unit: a crash after it leaves a gap, never a reuse),
   build and archive the acks (write-once files), APERAKs too when the profile asks;
4. ONE unit: duplicate keys (guarded), message status, ack messages and their send jobs,
   ERP jobs (one per stored order, set-based), ack reconciliation, audit, job completion.

ERP hand-offs are queued only in step 4, after every check of the interchange has run.
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import translators
from translators import Delimiters, InterchangeResult, Issue, MessageResult
from translators.acks.aperak import Answer
from translators.model import FunctionalAck

from ..errors import StoreConflict
from ..profiles import Profile
from ..store import DocumentRow, NewJob, Tx
from .acks import PlannedAck, interchange_answers, plan_acks, plan_aperaks, store_ack
from .checks import (
    answer_duplicate,
    check_interchange,
    duplicate_key,
    rejected_by_ack,
    sender_refused,
)
from .jobs import DELIVER_ERP, PRIORITY_ERP
from .worker import JobContext

__all__ = ["issue_json", "process_inbound"]

_THREAD_BYTES = 256 * 1024  # parse bigger payloads off the event loop
_BATCH_DOCUMENTS = 500  # documents per unit of work
_BATCH_BYTES = 4 << 20  # canonical JSON bytes per unit of work
_QUEUE = 2  # batches read ahead of the store
_RACES = 3  # final units tried when another message claims the same interchange


def issue_json(issue: Issue) -> dict[str, Any]:
    return {k: v for k, v in dataclasses.asdict(issue).items() if v is not None}


@dataclass(slots=True)
class _Batch:
    """Documents read and not yet stored; ``ix`` closes an interchange after them."""

    rows: list[DocumentRow] = field(default_factory=list)
    size: int = 0
    #: (syntax, control, status) of each group / interchange an inbound ack answers
    acks: list[tuple[str, str, str]] = field(default_factory=list)
    ix: InterchangeResult | None = None


@dataclass(slots=True)
class _Interchange:
    """What the final unit needs of one checked interchange."""

    result: InterchangeResult
    seqs: tuple[int, int]
    key: str | None
    acks: list[tuple[str, str, str]]  # (syntax, control, status) it acknowledges
    duplicate_of: str | None = None
    rejected: bool = False  # its envelope is rejected by our ack (TA1 R, UCI 4)
    answered: bool = False  # a duplicate whose rejecting ack (TA1 025, UCI 26) is planned
    held_groups: frozenset[str | None] = frozenset()  # groups our ack rejects (AK9 R)
    #: (kind, number) of its documents by message control, for APERAKs (profile option)
    numbers: dict[str | None, tuple[str, str | None]] = field(default_factory=dict)


def _scan(chunks: Iterator[bytes], message_id: str) -> Iterator[_Batch]:
    """Pure and blocking: the readers' stream cut into batches of document rows."""
    batch, seq = _Batch(), 0
    for item in translators.stream(chunks):
        if isinstance(item, InterchangeResult):
            batch.ix = item
            yield batch
            batch = _Batch()
            continue
        doc = item.document
        if doc is None:
            continue
        body = translators.to_json(doc)
        batch.rows.append(_row(message_id, seq, item, doc, body))
        if isinstance(doc, FunctionalAck):
            syntax = doc.envelope.format if doc.envelope else "x12"
            batch.acks += [
                (syntax, ref.control, ref.status or doc.status)
                for ref in doc.acknowledges
                if ref.level in ("group", "interchange")
            ]
        batch.size += len(body)
        seq += 1
        if len(batch.rows) >= _BATCH_DOCUMENTS or batch.size >= _BATCH_BYTES:
            yield batch
            batch = _Batch()
    if batch.rows:
        yield batch


def _row(
    message_id: str, seq: int, m: MessageResult, doc: translators.Document, body: str
) -> DocumentRow:
    env = doc.envelope
    return DocumentRow(
        message_id=message_id,
        seq=seq,
        kind=doc.type,
        number=doc.number,
        body=body,
        interchange_control=env.interchange_control if env else m.interchange_control,
        group_control=env.group_control if env else m.group_control,
        message_control=env.message_control if env else m.control,
    )


def _settle(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


async def _batches(ctx: JobContext, sha256: str, size: int) -> AsyncIterator[_Batch]:
    """``_scan`` over the archived file: inline when small, else in a reader thread that
    stays at most ``_QUEUE`` batches ahead (bounded memory for any file size)."""
    archive, message_id = ctx.gw.archive, ctx.job.message_id or ""
    if size <= _THREAD_BYTES:
        for batch in _scan(iter([await archive.get(sha256)]), message_id):
            yield batch
        return
    await archive.verify(sha256)
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[_Batch | BaseException | None] = asyncio.Queue(_QUEUE)
    stop = threading.Event()

    finished: asyncio.Future[None] = loop.create_future()

    def produce() -> None:
        def put(item: _Batch | BaseException | None) -> None:
            if not stop.is_set():
                asyncio.run_coroutine_threadsafe(queue.put(item), loop).result()

        try:
            for batch in _scan(archive.chunks(sha256), message_id):
                if stop.is_set():
                    return
                put(batch)
            put(None)
        except BaseException as exc:  # handed to the consumer, raised there
            put(exc)
        finally:
            loop.call_soon_threadsafe(_settle, finished)

    # a thread of its own, not the shared pool: it waits on the queue for long stretches
    threading.Thread(target=produce, name="edigw-reader", daemon=True).start()
    try:
        while (item := await queue.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while not queue.empty():  # unblock a producer waiting on a full queue
            queue.get_nowait()
        await finished


async def process_inbound(ctx: JobContext) -> None:
    gw, job = ctx.gw, ctx.job
    if job.message_id is None:
        raise translators.GatewayError(f"job {job.id} names no message")
    msg = await gw.store.get_message(job.message_id)
    if msg is None:
        raise translators.GatewayError(f"message {job.message_id} not found")
    profile = gw.profiles.get(msg.partner)
    if profile is None:  # retried with backoff: an operator may be fixing the profile now
        why = [p for path, p in gw.profiles.problems.items() if path.stem == msg.partner]
        raise translators.GatewayError(
            f"no usable profile for partner {msg.partner!r}" + (f": {why[0]}" if why else "")
        )
    try:
        interchanges, unwritten = await _store_documents(ctx, profile, msg.sha256, msg.size)
    except translators.TranslationError as exc:
        await _unreadable(ctx, exc)
        return
    for ix in interchanges:  # repeated interchanges are answered only if the profile asks
        if ix.duplicate_of is not None and profile.answer_duplicates:
            marked = answer_duplicate(ix.result, ix.duplicate_of)
            if marked is not None:
                ix.result, ix.answered = marked, True
    planned = await plan_acks(
        gw, profile, [i.result for i in interchanges if i.duplicate_of is None or i.answered]
    )
    if profile.application_acks:  # APERAKs: stored with the acks, in the same unit
        planned += await plan_aperaks(gw, profile, msg.id, [_answers(i) for i in interchanges])
    for _ in range(_RACES):
        try:
            await _finish(ctx, profile, interchanges, planned, unwritten)
            return
        except StoreConflict:  # another message claimed one of our interchanges first
            for ix in interchanges:
                if ix.key is not None and ix.duplicate_of is None:
                    ix.duplicate_of = await gw.store.duplicate_of(profile.id, ix.key, msg.id)
    raise StoreConflict(f"message {msg.id}: interchange keys keep changing hands")


def _answers(ix: _Interchange) -> tuple[list[Answer], Delimiters | None]:
    """What the APERAKs to ``ix`` say now (a duplicate's were given the first time)."""
    if ix.duplicate_of is not None:
        return [], None
    found = interchange_answers(
        ix.result,
        held=ix.rejected,
        held_groups=ix.held_groups,
        numbers=ix.numbers,
        to_erp=not ix.result.test,  # as _hand_off: orders of a test interchange stay here
    )
    return found, ix.result.delimiters


@dataclass(slots=True)
class _Unwritten:
    """Document writes not committed yet. Each batch is written with the next one's
    arrival, so the last (for most messages the only) batch joins the final unit."""

    rows: list[DocumentRow] = field(default_factory=list)
    drops: list[tuple[int, int]] = field(default_factory=list)  # seqs that may not stand
    fresh: bool = True  # nothing written yet: first clear what an interrupted run left

    def write(self, tx: Tx, message_id: str) -> None:
        """Record the writes in ``tx``; ``committed()`` once it has committed."""
        if self.fresh:
            tx.delete_documents(message_id)
        if self.rows:
            tx.put_documents(self.rows)
        for seqs in self.drops:
            tx.delete_documents(message_id, seqs)

    def committed(self) -> None:
        self.rows, self.drops, self.fresh = [], [], False


async def _store_documents(
    ctx: JobContext, profile: Profile, sha256: str, size: int
) -> tuple[list[_Interchange], _Unwritten]:
    """Steps 1-2 of the module doc: batches of documents in, interchanges checked."""
    msg_id = ctx.job.message_id or ""
    interchanges: list[_Interchange] = []
    unwritten = _Unwritten()
    start = end = 0  # seqs of the interchange being read
    acks: list[tuple[str, str, str]] = []  # what the interchange being read acknowledges
    groups: dict[str | None, tuple[int, int]] = {}  # its groups' seqs (contiguous)
    numbers: dict[str | None, tuple[str, str | None]] = {}  # its documents, for APERAKs
    async for batch in _batches(ctx, sha256, size):
        if unwritten.rows or unwritten.drops:
            async with ctx.gw.store.transaction() as tx:
                unwritten.write(tx, msg_id)
            unwritten.committed()
        unwritten.rows = [r for r in batch.rows if r.kind in profile.inbound]
        for row in batch.rows:
            first, _ = groups.get(row.group_control, (row.seq, row.seq))
            groups[row.group_control] = (first, row.seq + 1)
        end = batch.rows[-1].seq + 1 if batch.rows else end
        if "functional_ack" in profile.inbound:
            acks += batch.acks
        if profile.application_acks:
            numbers.update((r.message_control, (r.kind, r.number)) for r in batch.rows)
        if batch.ix is None:
            continue
        ix = check_interchange(batch.ix, profile)
        rejected, held = rejected_by_ack(ix)
        key = None if rejected else duplicate_key(ix)
        entry = _Interchange(
            result=ix,
            seqs=(start, end),
            key=key,
            acks=acks,
            rejected=rejected,
            held_groups=held,
            numbers=numbers,
        )
        if key is not None:
            entry.duplicate_of = await ctx.gw.store.duplicate_of(profile.id, key, msg_id)
        if not _stands(entry):
            unwritten.drops.append(entry.seqs)
        else:
            unwritten.drops += [groups[g] for g in held if g in groups]
            unwritten.drops += _refused_here(batch.ix, ix, start)
        interchanges.append(entry)
        start, acks, groups, numbers = end, [], {}, {}
    return interchanges, unwritten


def _refused_here(
    read: InterchangeResult, checked: InterchangeResult, start: int
) -> list[tuple[int, int]]:
    """Seqs of the documents the profile checks refused (each message the reader gave a
    document has the next seq, in order)."""
    drops, seq = [], start
    for before, after in zip(read.messages, checked.messages, strict=True):
        if before.kind is None:
            continue
        if after.kind is None:
            drops.append((seq, seq + 1))
        seq += 1
    return drops


async def _finish(
    ctx: JobContext,
    profile: Profile,
    interchanges: list[_Interchange],
    planned: list[PlannedAck],
    unwritten: _Unwritten,
) -> None:
    """Step 4: the one unit that records the outcome (module doc)."""
    gw, msg_id = ctx.gw, ctx.job.message_id or ""
    standing = [i for i in interchanges if _stands(i)]
    answered = [
        (ack, await gw.store.expected_ack(profile.id, ack[0], ack[1]))
        for ix in standing
        for ack in ix.acks
    ]
    duplicates = sorted(i.result.control or "" for i in interchanges if i.duplicate_of)
    # a duplicate found only at commit (a race) had a positive ack planned: not sent
    unanswered = {i.result.control or "" for i in interchanges if i.duplicate_of and not i.answered}
    kinds = {m.kind for i in standing for m in _accepted(i) if m.kind}
    accepted = sum(_count(i, accepted=True) for i in interchanges)
    async with gw.store.transaction() as tx:
        unwritten.write(tx, msg_id)
        ack_ids = [
            store_ack(tx, ctx, profile, ack)
            for ack in planned
            if (ack.interchange_control or "") not in unanswered
        ]
        for ix in interchanges:
            _hand_off(tx, ctx, profile, ix)
        for (syntax, control, ack_status), outbound in answered:
            _reconcile(
                tx,
                ctx,
                profile=profile,
                syntax=syntax,
                control=control,
                status=ack_status,
                outbound=outbound,
            )
        status = _status(interchanges)
        tx.update_message(
            msg_id,
            status=status,
            format=interchanges[0].result.syntax if interchanges else None,
            kinds=sorted(kinds),
            errors=[e for i in interchanges for e in _errors(i)],
        )
        tx.audit(
            actor=ctx.owner,
            action=f"message.{status}",
            message_id=msg_id,
            job_id=ctx.job.id,
            details={
                "documents": accepted,
                "accepted": accepted,
                "rejected": sum(_count(i, accepted=False) for i in interchanges),
                "acks": ack_ids,
                "duplicate_of": duplicates,
            },
        )
        ctx.complete(tx)


def _stands(ix: _Interchange) -> bool:
    return ix.duplicate_of is None and not ix.rejected


def _accepted(ix: _Interchange) -> list[MessageResult]:
    """Messages that are processed: accepted themselves, in a group and an interchange
    that our acknowledgement does not reject."""
    if not _stands(ix):
        return []
    return [
        m
        for g in ix.result.groups
        if g.control not in ix.held_groups
        for m in g.messages
        if m.status != "rejected" and m.kind
    ]


def _hand_off(tx: Tx, ctx: JobContext, profile: Profile, ix: _Interchange) -> None:
    """Orders of an interchange that stands go to the ERP step, as one set-based enqueue;
    one found to be a duplicate only now (a race) loses its documents again."""
    msg_id = ctx.job.message_id or ""
    if not _stands(ix):
        tx.delete_documents(msg_id, ix.seqs)
        return
    if ix.key is not None:
        tx.claim_duplicate_key(profile.id, ix.key, msg_id)
    if not any(m.kind == "purchase_order" for m in _accepted(ix)):
        return
    if ix.result.test:
        tx.audit(
            actor=ctx.owner,
            action="erp.skipped",
            message_id=msg_id,
            details={"seqs": list(ix.seqs), "reason": "test interchange (not for ERP)"},
        )
        return
    tx.enqueue_per_document(
        NewJob(
            kind=DELIVER_ERP,
            message_id=msg_id,
            payload={"partner": profile.id},
            priority=PRIORITY_ERP,
            max_attempts=profile.max_attempts or ctx.gw.settings.jobs.max_attempts,
            idempotency_key=f"{DELIVER_ERP}:{msg_id}",
        ),
        message_id=msg_id,
        kind="purchase_order",
        seqs=ix.seqs,
    )


def _reconcile(
    tx: Tx,
    ctx: JobContext,
    *,
    profile: Profile,
    syntax: str,
    control: str,
    status: str,
    outbound: str | None,
) -> None:
    """An inbound 997/999/CONTRL closes the outbound message it acknowledges."""
    msg_id = ctx.job.message_id or ""
    tx.reconcile_ack(
        partner=profile.id,
        syntax=syntax,
        group_control=control,
        status=status,
        ack_message_id=msg_id,
    )
    if outbound is not None:
        tx.audit(
            actor=ctx.owner,
            action="ack.reconciled",
            message_id=outbound,
            details={"ack_message": msg_id, "status": status},
        )


def _count(ix: _Interchange, *, accepted: bool) -> int:
    if ix.duplicate_of is not None or sender_refused(ix.result):
        return 0  # not ours to count: status duplicate / refused
    ok = len(_accepted(ix))
    return ok if accepted else len(ix.result.messages) - ok


def _status(interchanges: list[_Interchange]) -> str:
    accepted = sum(_count(i, accepted=True) for i in interchanges)
    rejected = sum(_count(i, accepted=False) for i in interchanges)
    if any(sender_refused(i.result) for i in interchanges):
        return "refused"
    if any(i.duplicate_of for i in interchanges) and not accepted and not rejected:
        return "duplicate"
    if rejected and not accepted:
        return "rejected"
    return "partial" if rejected else "processed"


def _errors(ix: _Interchange) -> list[dict[str, Any]]:
    errors = [issue_json(i) for i in ix.result.all_issues]
    control = ix.result.control
    if ix.rejected and not sender_refused(ix.result):
        errors.append(
            {
                "level": "interchange",
                "code": "held",
                "interchange_control": control,
                "message": f"interchange {control} is rejected by its acknowledgement: "
                "none of its documents is processed",
            }
        )
    errors += [
        {
            "level": "group",
            "code": "held",
            "group_control": group,
            "message": f"group {group} is rejected by its acknowledgement: "
            "none of its documents is processed",
        }
        for group in sorted(g or "" for g in ix.held_groups)
    ]
    if ix.duplicate_of is not None:
        errors.append(
            {
                "level": "interchange",
                "code": "duplicate",
                "interchange_control": control,
                "message": f"interchange {control} already received in message {ix.duplicate_of}",
            }
        )
    return errors


async def _unreadable(ctx: JobContext, exc: translators.TranslationError) -> None:
    """Not even an envelope: reject with what the reader could say; bytes stay archived."""
    issues = getattr(exc, "issues", ()) or ()
    errors = [issue_json(i) for i in issues] or [
        {"level": "interchange", "code": exc.code or "unreadable", "message": str(exc)}
    ]
    msg_id = ctx.job.message_id or ""
    async with ctx.gw.store.transaction() as tx:
        tx.delete_documents(msg_id)
        tx.update_message(msg_id, status="rejected", errors=errors)
        tx.audit(
            actor=ctx.owner,
            action="message.rejected",
            message_id=msg_id,
            job_id=ctx.job.id,
            details={"reason": str(exc)[:500]},
        )
        ctx.complete(tx)
