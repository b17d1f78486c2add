"""The job handlers that are not inbound processing: ERP delivery and outbound sending."""

from __future__ import annotations

from collections.abc import Mapping

import translators
from translators.model import PurchaseOrder

from ..errors import ErpError
from .inbound import process_inbound
from .jobs import DELIVER_ERP, PROCESS_INBOUND, SEND_OUTBOUND
from .worker import Handler, JobContext

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
    ref = await gw.erp.submit_order(order, partner=profile, key=job.idempotency_key)
    async with gw.store.transaction() as tx:
        tx.audit(
            actor=ctx.owner,
            action="erp.delivered",
            message_id=job.message_id,
            job_id=job.id,
            details={"seq": seq, "number": order.number, "erp": ref},
        )
        ctx.complete(tx, erp=ref)


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
