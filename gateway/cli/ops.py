"""Operations commands: messages, acks resend, manual receipt, workers, audit verify."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from ..app import Gateway, open_gateway
from ..audit import AuditAnchor, verify
from ..errors import InputRefused
from ..integrity import check_store
from ..names import shown
from ..pipeline import HANDLERS, Inbox, Worker
from ..pipeline.acks import queue_send
from ..pipeline.jobs import PRIORITY_INBOUND, PROCESS_INBOUND
from ..store import MessageRow, NewJob
from .common import operator, settings_of
from .payload import read_payload

__all__ = ["add_parser"]


def add_parser(sub: Any) -> None:
    m = sub.add_parser("messages", help="archive and operations: list, show, reprocess")
    msub = m.add_subparsers(dest="action", required=True)
    lst = msub.add_parser("list", help="newest first")
    lst.add_argument("--partner")
    lst.add_argument("--status")
    lst.add_argument("--direction", choices=("in", "out"))
    lst.add_argument("--limit", type=int, default=50)
    lst.add_argument("--json", action="store_true", help="one JSON object per line")
    lst.set_defaults(func=_sync(_list))
    show = msub.add_parser("show", help="one message: documents, errors, acks, audit timeline")
    show.add_argument("id")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=_sync(_show))
    rep = msub.add_parser("reprocess", help="run an inbound message through the pipeline again")
    rep.add_argument("id")
    rep.add_argument("--operator")
    rep.set_defaults(func=_sync(_reprocess))

    a = sub.add_parser("acks", help="acknowledgements")
    asub = a.add_subparsers(dest="action", required=True)
    resend = asub.add_parser("resend", help="queue the ack of an inbound message again")
    resend.add_argument("message_id")
    resend.add_argument("--operator")
    resend.set_defaults(func=_sync(_resend))

    r = sub.add_parser("receive", help="accept a file from a partner by hand (manual channel)")
    r.add_argument("partner")
    r.add_argument("file", help="a regular file, or - for standard input")
    r.add_argument(
        "--follow-symlinks",
        action="store_true",
        help="read what a symbolic link FILE points to (refused otherwise)",
    )
    r.add_argument("--operator")
    r.set_defaults(func=_sync(_receive))

    w = sub.add_parser("work", help="run the job workers")
    w.add_argument("--drain", action="store_true", help="exit once no job is runnable")
    w.add_argument(
        "--kinds",
        type=lambda text: tuple(k.strip() for k in text.split(",") if k.strip()),
        help="only these job kinds, comma-separated (e.g. a worker just for deliver_erp)",
    )
    w.set_defaults(func=_sync(_work))

    au = sub.add_parser("audit", help="the audit trail")
    ausub = au.add_subparsers(dest="action", required=True)
    ver = ausub.add_parser("verify", help="recompute the hash chain; name the first break")
    ver.set_defaults(func=_sync(_audit_verify))

    st = sub.add_parser("store", help="the store and the archive")
    stsub = st.add_subparsers(dest="action", required=True)
    chk = stsub.add_parser("check", help="messages without archive files and files without rows")
    chk.add_argument("--quick", action="store_true", help="do not re-hash every file")
    chk.set_defaults(func=_sync(_store_check))


def _sync(
    command: Callable[[Gateway, argparse.Namespace], Awaitable[int]],
) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        async def main() -> int:
            async with open_gateway(settings_of(args)) as gw:
                return await command(gw, args)

        return asyncio.run(main())  # errors are reported by cli.main

    return run


async def _summary(gw: Gateway, m: MessageRow) -> dict[str, Any]:
    docs = await gw.store.documents(m.id)
    out: dict[str, Any] = {
        "id": m.id,
        "partner": m.partner,
        "direction": m.direction,
        "status": m.status,
        "transport": m.transport,
        "format": m.format,
        "documents": [{"kind": d.kind, "number": d.number} for d in docs],
        "received_at": m.received_at,
        "size": m.size,
        "sha256": m.sha256,
    }
    if m.related_id:
        out["related_id"] = m.related_id
    if m.errors:
        out["errors"] = list(m.errors)
    return out


async def _list(gw: Gateway, args: argparse.Namespace) -> int:
    rows = await gw.store.list_messages(
        partner=args.partner, status=args.status, direction=args.direction, limit=args.limit
    )
    for m in rows:
        if args.json:
            print(json.dumps(await _summary(gw, m), ensure_ascii=False))
            continue
        docs = ",".join(f"{d.kind}:{d.number}" for d in await gw.store.documents(m.id))
        print(
            f"{m.id}  {m.direction:3} {m.partner:12} {m.status:10} {m.transport:7} "
            f"{m.format or '-':7} {docs or '-'}"
        )
    return 0


async def _show(gw: Gateway, args: argparse.Namespace) -> int:
    m = await gw.store.get_message(args.id)
    if m is None:
        print(f"no message {args.id}", file=sys.stderr)
        return 1
    data = await _summary(gw, m)
    data["acks"] = [await _summary(gw, r) for r in await gw.store.related(m.id)]
    data["jobs"] = [
        {
            "id": j.id,
            "kind": j.kind,
            "status": j.status,
            "attempts": j.attempts,
            "last_error": j.last_error,
        }
        for j in await gw.store.jobs(message_id=m.id)
    ]
    data["audit"] = [
        {"seq": e.seq, "at": e.at, "actor": e.actor, "action": e.action, "details": e.details}
        for e in await gw.store.audit_events(message_id=m.id)
    ]
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
        return 0
    for key in ("id", "partner", "direction", "status", "transport", "format", "received_at"):
        print(f"{key:12} {data.get(key)}")
    for d in data["documents"]:
        print(f"document     {d['kind']} {d['number']}")
    for e in data.get("errors", []):
        print(f"error        {e.get('message')} [{e.get('code')}]")
    for a in data["acks"]:
        print(f"ack          {a['id']} {a['status']} {a['format']}")
    for ev in data["audit"]:
        print(f"audit {ev['seq']:>6} {ev['at']} {ev['actor']:28} {ev['action']}")
    return 0


async def _reprocess(gw: Gateway, args: argparse.Namespace) -> int:
    m = await gw.store.get_message(args.id)
    if m is None or m.direction != "in":
        print(f"no inbound message {args.id}", file=sys.stderr)
        return 1
    n = len(await gw.store.jobs(message_id=m.id)) + 1  # reads outside the transaction
    async with gw.store.transaction() as tx:
        tx.update_message(m.id, status="received")
        tx.enqueue(
            NewJob(
                kind=PROCESS_INBOUND,
                message_id=m.id,
                priority=PRIORITY_INBOUND,
                max_attempts=gw.settings.jobs.max_attempts,
                idempotency_key=f"{PROCESS_INBOUND}:{m.id}:reprocess:{n}",
            )
        )
        tx.audit(actor=operator(args), action="message.reprocess", message_id=m.id)
    print(f"queued {m.id} for processing; run `edigw work --drain` (or the service) to process")
    return 0


async def _resend(gw: Gateway, args: argparse.Namespace) -> int:
    m = await gw.store.get_message(args.message_id)
    if m is None or m.direction != "in":
        print(f"no inbound message {args.message_id}", file=sys.stderr)
        return 1
    acks = [r for r in await gw.store.related(m.id) if "functional_ack" in r.kinds]
    if not acks:  # never built (e.g. profile said none then): rebuild by reprocessing
        print(f"{m.id} has no stored ack: reprocessing it builds one", file=sys.stderr)
        return await _reprocess(gw, argparse.Namespace(id=m.id, operator=args.operator))
    latest = acks[-1]
    n = len(await gw.store.jobs(message_id=latest.id)) + 1
    async with gw.store.transaction() as tx:
        tx.update_message(latest.id, status="queued")
        queue_send(tx, gw, latest.id, key=f"resend:{latest.id}:{n}")
        tx.audit(
            actor=operator(args),
            action="ack.resend",
            message_id=latest.id,
            details={"answers": m.id},
        )
    print(f"ack {latest.id} of {m.id} queued for sending again")
    return 0


async def _receive(gw: Gateway, args: argparse.Namespace) -> int:
    try:
        payload = read_payload(
            args.file,
            limit=gw.settings.max_payload_bytes,
            follow_symlinks=args.follow_symlinks,
        )
    except InputRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    accepted = await Inbox(gw).accept(
        partner=args.partner,
        transport="manual",
        payload=payload,
        transport_id=None,
        actor=operator(args),
    )
    name, partner = shown(args.file), shown(args.partner)
    print(f"accepted {name} from {partner} as message {accepted.message_id}")
    return 0


async def _work(gw: Gateway, args: argparse.Namespace) -> int:
    count = await Worker(gw, HANDLERS, kinds=args.kinds).run(drain=args.drain)
    waiting = await gw.store.count_jobs("queued")
    dead = await gw.store.count_jobs("dead")
    print(f"ran {count} jobs; {waiting} waiting for a retry, {dead} dead", file=sys.stderr)
    return 0


async def _audit_verify(gw: Gateway, args: argparse.Namespace) -> int:
    anchor = AuditAnchor(gw.settings.anchor_path)
    checked, broken = verify(await gw.store.audit_events(), anchor.heads())
    if broken is not None:
        print(
            f"audit chain BROKEN at event {broken.seq}: {broken.reason} "
            f"({checked} events before it verified)"
        )
        return 1
    print(f"audit chain ok: {checked} events verified")
    return 0


async def _store_check(gw: Gateway, args: argparse.Namespace) -> int:
    messages, files, problems = await check_store(gw, rehash=not args.quick)
    for problem in problems:
        print(problem)
    verdict = f"{len(problems)} problem(s)" if problems else "ok"
    print(f"store check {verdict}: {messages} messages, {files} archive files")
    return 1 if problems else 0
