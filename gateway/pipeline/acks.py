"""Acknowledgements we owe: which, with what control numbers, stored how.

Which ack a partner gets is the profile's choice (997 / 999 / CONTRL / none); a TA1 is
added for X12 interchange envelope errors. Acks are never sent for acks (X12 and EDIFACT
both forbid acknowledging a 997 / CONTRL).

An EDIFACT partner whose profile says ``[acks] application = true`` also gets an APERAK
per business message: when the inbound run decides (held: negative; accepted and not
going to the ERP: positive) or when the ERP step does. Each answer claims a key (the
inbound message, the message answered, the outcome) in the unit that queues it, so a
rerun, a retry or a reprocess never answers the same message the same way twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import translators
from translators import Delimiters, InterchangeResult, MessageResult, WriteSettings
from translators.acks.aperak import Answer, build_aperak, reasons
from translators.model import AckError, Document, Envelope

from ..app import Gateway
from ..profiles import Profile
from ..store import MessageRow, NewJob, Tx
from .checks import is_duplicate_answer, sender_refused
from .inbox import new_message_id
from .jobs import PRIORITY_ACK, SEND_OUTBOUND
from .worker import JobContext

__all__ = [
    "PlannedAck",
    "ack_kinds",
    "answers_to",
    "interchange_answers",
    "plan_acks",
    "plan_aperaks",
    "queue_send",
    "store_ack",
]

#: What a held message is told when nothing more precise was located (CONTRL 0085 18:
#: "unspecified error"); without an ERC an APERAK would read as positive.
_UNSPECIFIED = "18"
#: (any accepted, any rejected) -> what an APERAK interchange says, for the audit.
_STATUS = {(True, False): "accepted", (False, True): "rejected", (True, True): "partial"}
#: Kinds that are not business messages: never answered by an APERAK.
_ACK_CODES = frozenset({"CONTRL", "APERAK"})


@dataclass(frozen=True, slots=True, kw_only=True)
class PlannedAck:
    kind: str  # 997 | 999 | TA1 | CONTRL | APERAK
    syntax: str
    data: bytes
    sha256: str
    interchange_control: str | None  # of the inbound interchange it answers
    status: str  # of that interchange (APERAK: of the messages it answers)
    #: claimed by the ack in the unit that stores it: what it answers, once (APERAK)
    keys: tuple[str, ...] = ()


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
        if envelope_errors:  # a TA1 R: the interchange is held whole, no 997 may accept a part
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
            # an APERAK answers the application, not the syntax: `acks resend` re-sends the
            # 997/CONTRL, never an APERAK in its place
            kinds=("application_ack" if ack.kind == "APERAK" else "functional_ack",),
            size=len(ack.data),
            sha256=ack.sha256,
            related_id=ctx.job.message_id,
        )
    )
    for key in ack.keys:  # after the row: a key names the message that holds it
        tx.claim_duplicate_key(profile.id, key, ack_id)
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


def answers_to(profile: Profile, doc: Document) -> bool:
    """Does this inbound document get an APERAK from the ERP step?"""
    env = doc.envelope
    return profile.application_acks and env is not None and env.format == "edifact"


def interchange_answers(
    ix: InterchangeResult,
    *,
    held: bool,
    held_groups: frozenset[str | None],
    numbers: Mapping[str | None, tuple[str, str | None]],
    to_erp: bool,
) -> list[Answer]:
    """The APERAKs the inbound run gives for one checked interchange: a negative one for
    each business message the gateway holds (rejected itself, or in a group or an
    interchange that our CONTRL rejects), with the reasons; a positive one for each that
    is accepted and no ERP step answers later (not an order, or ``to_erp`` False).
    ``numbers`` gives (kind, document number) by UNH reference, where a document was read.
    """
    if ix.syntax != "edifact" or sender_refused(ix):  # not theirs: the CONTRL says so
        return []
    out = []
    for group in ix.groups:
        above = reasons(ix.issues) if held else ()
        if group.control in held_groups:
            above += reasons(group.issues)
        for m in group.messages:
            if m.code in _ACK_CODES or m.kind == "functional_ack":
                continue
            errors = (reasons(m.issues) if m.status == "rejected" else ()) + above
            if m.status == "rejected" or held or group.control in held_groups:
                errors = errors or (AckError(code=_UNSPECIFIED, message="not processed"),)
            elif to_erp and m.kind == "purchase_order":
                continue  # the ERP step answers it
            kind, number = numbers.get(m.control, (m.kind, None))
            out.append(Answer(envelope=_envelope(ix, m), kind=kind, number=number, errors=errors))
    return out


def _envelope(ix: InterchangeResult, m: MessageResult) -> Envelope:
    return Envelope(
        format="edifact",
        version=m.version,
        message_type=m.code,
        sender=ix.sender,
        receiver=ix.receiver,
        interchange_control=ix.control,
        group_control=m.group_control,
        message_control=m.control,
        test=ix.test,
        syntax_version=ix.version,
    )


def _key(message_id: str, answer: Answer) -> str:
    env = answer.envelope
    outcome = "accepted" if answer.accepted else "rejected"
    return f"aperak:{message_id}:{env.interchange_control}:{env.message_control}:{outcome}"


async def _not_given(
    gw: Gateway, profile: Profile, message_id: str, answers: Sequence[Answer]
) -> list[Answer]:
    """``answers`` but those an earlier run gave already (none before any ack was sent)."""
    if not await gw.store.related(message_id):
        return list(answers)
    return [
        a
        for a in answers
        if await gw.store.duplicate_of(profile.id, _key(message_id, a), "") is None
    ]


async def plan_aperaks(
    gw: Gateway,
    profile: Profile,
    message_id: str,
    batches: Sequence[tuple[Sequence[Answer], Delimiters | None]],
) -> list[PlannedAck]:
    """One APERAK interchange per batch (the answers to one inbound interchange, with its
    delimiters when known), built and archived like ``plan_acks``; what was answered
    before is left out. Store each with ``store_ack`` in the unit that decides."""
    wanted = []
    for answers, delimiters in batches:
        if kept := await _not_given(gw, profile, message_id, answers):
            wanted.append((kept, delimiters))
    if not wanted:
        return []
    flat = await gw.store.allocate_controls(
        profile.id, ["edifact:interchange", "edifact:message"] * len(wanted)
    )
    stamp = gw.utcnow().replace(tzinfo=None, microsecond=0)
    planned = []
    for (answers, delimiters), icn, mcn in zip(wanted, flat[::2], flat[1::2], strict=True):
        data = build_aperak(
            answers,
            WriteSettings(
                interchange_control=icn,
                message_control=mcn,
                timestamp=stamp,
                delimiters=delimiters,
            ),
        )
        given = {a.accepted for a in answers}
        planned.append(
            PlannedAck(
                kind="APERAK",
                syntax="edifact",
                data=data,
                sha256=await gw.archive.put(data),
                interchange_control=answers[0].envelope.interchange_control,
                status=_STATUS[True in given, False in given],
                keys=tuple(_key(message_id, a) for a in answers),
            )
        )
    return planned
