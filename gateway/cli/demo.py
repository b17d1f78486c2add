"""``edigw demo``: the gateway end to end on embedded defaults, in a few seconds.

Translates every sample in samples/, then runs a fresh gateway (SQLite store and
archive under <data_dir>/demo, recreated each run) through a day in the life: ACME's
order arrives, a broken order, a resend of the first order, an interchange whose
sender is not ACME; the workers process them; the demo shows the messages, the
acknowledgements, the orders handed to the (recording) ERP and the audit check.
The Odoo simulator replaces the recording ERP when the connector arrives.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import shutil
import sys
from pathlib import Path
from typing import Any

import translators

from ..app import open_gateway
from ..audit import verify
from ..config import Settings
from ..erp import RecordingErp
from ..pipeline import HANDLERS, Inbox, Worker
from .common import settings_of

__all__ = ["add_parser"]

_ROOT = Path(__file__).resolve().parents[2]
_SAMPLES = _ROOT / "samples"


def add_parser(sub: Any) -> None:
    p = sub.add_parser("demo", help="translate the samples, then run the gateway end to end")
    p.add_argument("--samples", type=Path, default=_SAMPLES, help="folder of sample documents")
    p.set_defaults(func=run_demo)


def _translate_samples(folder: Path) -> list[str]:
    """The valid samples that failed to translate, by name. Only EDI and XML documents
    count (by content, as ``translate`` detects them): a README or an image in the
    folder is neither a success nor a failure. Samples under ``invalid/`` must fail."""
    print(f"== translating the samples in {folder}")
    failed: list[str] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix in (".md", ".json", ".xsl") or "dialect" in path.parts:
            continue  # prose, canonical references, a partner dialect (needs its XSLT)
        name = str(path.relative_to(folder))
        data = path.read_bytes()
        try:
            translators.detect(data)
        except translators.DetectError:
            continue
        expected = "invalid" not in path.parts
        try:
            results = translators.read(data)
        except translators.TranslationError as exc:
            print(f"   {name}: {exc}")
            failed += [name] if expected else []
            continue
        for ix in results:
            for m in ix.messages:
                doc = m.document
                what = f"{doc.type} {doc.number or ''}".strip() if doc else "-"
                print(f"   {name}: {ix.syntax} {m.code} #{m.control} -> {what} [{m.status}]")
        if expected and any(ix.status == "rejected" for ix in results):
            failed.append(name)
    return failed


async def _pipeline(settings: Settings) -> int:
    demo = dataclasses.replace(settings, data_dir=settings.data_dir / "demo")
    shutil.rmtree(demo.data_dir, ignore_errors=True)
    print(f"\n== running the gateway on {demo.data_dir} (SQLite + archive + recording ERP)")
    order = (_SAMPLES / "x12" / "850.x12").read_bytes()
    arrivals = [
        ("ACME's order over AS2", order, "as2", "<order-1@acme>"),
        (
            "a broken order",
            (_SAMPLES / "x12" / "invalid" / "850_bad_values.x12").read_bytes(),
            "sftp",
            None,
        ),
        ("the same order again (same interchange number)", order, "http", None),
        (
            "an order whose ISA sender is not ACME",
            order.replace(b"ACMERETAIL     ", b"SOMEBODYELSE   ", 1),
            "as2",
            "<spoof@acme>",
        ),
    ]
    async with open_gateway(demo) as gw:
        inbox = Inbox(gw)
        for label, payload, transport, transport_id in arrivals:
            accepted = await inbox.accept(
                partner="acme",
                transport=transport,
                payload=payload,
                transport_id=transport_id,
                actor="demo",
            )
            print(f"   accepted {label}: message {accepted.message_id}")
        ran = await Worker(gw, HANDLERS).run(drain=True)
        print(f"   workers ran {ran} jobs")
        print("\n== messages (newest first)")
        for m in await gw.store.list_messages():
            docs = ", ".join(f"{d.kind} {d.number}" for d in await gw.store.documents(m.id))
            shown = docs or ", ".join(m.kinds) or "-"
            answers = f" (answers {m.related_id})" if m.related_id else ""
            print(f"   {m.id} {m.direction:3} {m.status:10} {m.transport:6} {shown}{answers}")
            for e in m.errors[:3]:
                print(
                    f"       {e.get('segment_tag') or e.get('level')}: {e.get('message')} "
                    f"[{e.get('code')}]"
                )
        if isinstance(gw.erp, RecordingErp):
            print(f"\n== orders handed to the ERP: {[n for _, _, n in gw.erp.orders()]}")
        checked, broken = verify(await gw.store.audit_events())
        print(f"== audit chain: {checked} events, {'BROKEN' if broken else 'verified'}")
        print(f"   store, archive and ERP file stay in {demo.data_dir} until the next demo")
    return 1 if broken else 0


def run_demo(args: argparse.Namespace) -> int:
    if not args.samples.is_dir():
        print(f"error: --samples {args.samples}: not a folder", file=sys.stderr)
        return 2
    failed = _translate_samples(args.samples)
    status = asyncio.run(_pipeline(settings_of(args, must_exist=False)))
    if failed:
        print(f"{len(failed)} valid sample(s) failed to translate:", file=sys.stderr)
        for name in failed:
            print(f"   {name}", file=sys.stderr)
    return 1 if failed else status
