"""The job handlers that are not inbound processing: ERP delivery and outbound sending.

An order's ERP step is what its APERAK reports (profile ``[acks] application``): the
positive one is queued in the unit that completes the job; the negative one, for a
failure that ends the job, in a unit of its own just before the failure is recorded
(its key keeps a rerun from sending it twice).
"""

from __future__ import annotations

from collections.abc import Mapping

import translators
from translators.acks.aperak import Answer
from translators.model import AckError, PurchaseOrder

from ..errors import ErpError
from ..profiles import Profile
from .acks import answers_to, plan_aperaks, store_ack
from .inbound import process_inbound
from .jobs import DELIVER_ERP, PROCESS_INBOUND, SEND_OUTBOUND
from .worker import Handler, JobContext, is_final

__all__ = ["HANDLERS", "deliver_erp", "send_outbound"]


async def deliver_erp(ctx: JobContext) -> None:
    gw, job = ctx.gw, ctx.job
    assert job.message_id is not None and job.idempotency_key is not None
    seq = int(job.payload["seq"])
    row = await gw.store.document(job.message_id, seq)
    partner = job.payload.get("partner")
    if partner is None:  # jobs queued before the partner was carried in the payload
        msg = await gw.store.get_message(job.message_id)
        partner = msg.partner if msg else None
    profile = gw.profiles.get(partner) if partner else None
    if row is None or profile is None:
        raise ErpError(
            f"document {seq} of {job.message_id} or its partner is gone", retryable=False
        )
    order = translators.from_json(row.body)
    if not isinstance(order, PurchaseOrder):
        raise ErpError(f"document {seq} is a {order.type}, not an order", retryable=False)
    try:
        ref = await gw.erp.submit_order(order, partner=profile, key=job.idempotency_key)
    except Exception as exc:
        if is_final(job, exc) and answers_to(profile, order):
            await _refused(ctx, profile, order, exc)
        raise
    answers = [([Answer.of(order)], None)] if answers_to(profile, order) else []
    aperaks = await plan_aperaks(gw, profile, job.message_id, answers)
    async with gw.store.transaction() as tx:
        for aperak in aperaks:
            store_ack(tx, ctx, profile, aperak)
        tx.audit(
            actor=ctx.owner,
            action="erp.delivered",
            message_id=job.message_id,
            job_id=job.id,
            details={"seq": seq, "number": order.number, "erp": ref},
        )
        ctx.complete(tx, erp=ref)


def _reason(exc: Exception) -> AckError:
    """What the partner is told: the ERP's own refusal (master data, validation: CONTRL
    0085 12, invalid value), or, for a failure of ours, that it was not processed (18)
    without our internals."""
    if isinstance(exc, ErpError) and not exc.retryable:
        return AckError(code="12", message=f"order not entered: {exc}")
    return AckError(code="18", message="order not entered: our system could not process it")


async def _refused(ctx: JobContext, profile: Profile, order: PurchaseOrder, exc: Exception) -> None:
    """The negative APERAK of an order whose ERP step ends in failure."""
    message_id = ctx.job.message_id or ""
    answers = [([Answer.of(order, [_reason(exc)])], None)]
    for aperak in await plan_aperaks(ctx.gw, profile, message_id, answers):
        async with ctx.gw.store.transaction() as tx:
            store_ack(tx, ctx, profile, aperak)


async def send_outbound(ctx: JobContext) -> None:
    """Transports arrive in their own issue; until then an outbound message is marked
    ``ready`` (built, archived, waiting for its transport) - never reported as sent."""
    job = ctx.job
    assert job.message_id is not None
    msg = await ctx.gw.store.get_message(job.message_id)
    if msg is None:
        raise translators.GatewayError(f"outbound message {job.message_id} not found")
    async with ctx.gw.store.transaction() as tx:
        tx.update_message(msg.id, status="ready")
        tx.audit(
            actor=ctx.owner,
            action="outbound.ready",
            message_id=msg.id,
            job_id=job.id,
            details={"transport": msg.transport},
        )
        ctx.complete(tx)


HANDLERS: Mapping[str, Handler] = {
    PROCESS_INBOUND: process_inbound,
    DELIVER_ERP: deliver_erp,
    SEND_OUTBOUND: send_outbound,
}
