"""Durable accepts/s and processed messages/s, next to raw aiosqlite commit rates.

Same machine, same run: the raw rates are the ceiling any SQLite-backed gateway works
under. Accepts are measured one at a time (a transport that waits for each) and with 64
in flight (what concurrent AS2/SFTP/HTTP sessions produce, where group commit shares one
fsync). Each accept also writes and fsyncs the payload's archive file.

    python benchmarks/pipeline.py [--messages 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

import aiosqlite

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gateway.app import open_gateway
from gateway.config import load_settings
from gateway.pipeline import HANDLERS, Inbox, Worker
from tests.integration.conftest import make_850, write_config

ROW = os.urandom(1024).hex().encode()  # 2 KB, like a small 850


async def raw_rate(folder: Path, synchronous: str, count: int, batch: int) -> float:
    path = folder / f"raw-{synchronous}-{batch}.sqlite"
    async with aiosqlite.connect(path, isolation_level=None) as db:
        await db.execute("PRAGMA journal_mode = WAL")
        await db.execute(f"PRAGMA synchronous = {synchronous}")
        await db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, payload BLOB)")
        start = time.perf_counter()
        for _ in range(count // batch):
            await db.execute("BEGIN")
            for _ in range(batch):
                await db.execute("INSERT INTO t (payload) VALUES (?)", (ROW,))
            await db.execute("COMMIT")
        return count / (time.perf_counter() - start)


async def gateway_rates(folder: Path, count: int) -> tuple[float, float, float]:
    config = write_config(folder)
    payloads = [make_850(10_000 + i) for i in range(count)]
    async with open_gateway(load_settings(config)) as gw:
        inbox = Inbox(gw)
        one = count // 4
        start = time.perf_counter()
        for p in payloads[:one]:
            await inbox.accept(partner="acme", transport="bench", payload=p)
        sequential = one / (time.perf_counter() - start)
        start = time.perf_counter()
        rest = payloads[one:]
        for i in range(0, len(rest), 64):
            await asyncio.gather(
                *(
                    inbox.accept(partner="acme", transport="bench", payload=p)
                    for p in rest[i : i + 64]
                )
            )
        concurrent = len(rest) / (time.perf_counter() - start)
        start = time.perf_counter()
        await Worker(gw, HANDLERS).run(drain=True)
        processed = count / (time.perf_counter() - start)
    return sequential, concurrent, processed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rows = [
            (
                "aiosqlite insert+commit, synchronous=NORMAL",
                await raw_rate(folder, "NORMAL", 2000, 1),
            ),
            ("aiosqlite insert+commit, synchronous=FULL", await raw_rate(folder, "FULL", 1000, 1)),
            (
                "aiosqlite batches of 100, synchronous=FULL",
                await raw_rate(folder, "FULL", 10_000, 100),
            ),
        ]
        seq, conc, processed = await gateway_rates(folder / "gw", args.messages)
    full = rows[1][1]
    rows += [
        ("edigw accept(), one at a time (FULL + archive fsync)", seq),
        ("edigw accept(), 64 in flight (group commit)", conc),
        ("edigw processed messages (read, 997, ERP, send)", processed),
    ]
    print(f"{'measure':58} {'per s':>9} {'vs FULL commit':>15}")
    for name, rate in rows:
        print(f"{name:58} {rate:9.0f} {rate / full:15.2f}")


if __name__ == "__main__":
    asyncio.run(main())
