"""Durable accepts/s and processed messages/s, next to the store's raw commit rate.

Same machine, same run: the raw rate (one row, one synchronous=FULL commit, on the
store's own driver in a thread) is the ceiling any SQLite-backed gateway works under.
Accepts are measured one at a time and with 64 in flight (concurrent AS2/SFTP/HTTP
sessions, where group commit shares one fsync). Processing is measured as users run it:
`edigw work --drain` in its own process over the accepted messages (read, 997 built,
archived and queued, order handed to the ERP step, ack marked ready), so its figure
includes the command's start-up.

The same again with two worker processes on the one store (the machine has two cores).
Per processed message the benchmark also counts, from a second in-process drain of the
same number of messages: units of work, SQL transactions (COMMITs) and statements; and,
from `strace -f` on a third `edigw work --drain`, the fsync/fdatasync/syncfs calls.

    python benchmarks/pipeline.py [--messages 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gateway.app import open_gateway  # noqa: E402
from gateway.config import load_settings  # noqa: E402
from gateway.pipeline import HANDLERS, Inbox, Worker  # noqa: E402
from gateway.store.sqlite import SqliteStore  # noqa: E402
from tests.integration.conftest import make_850, write_config  # noqa: E402

ROW = os.urandom(1024)  # like a small 850


def raw_rate(path: Path, count: int) -> float:
    """Single-row BEGIN IMMEDIATE / INSERT / COMMIT, WAL, synchronous=FULL."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, payload BLOB)")
    start = time.perf_counter()
    for _ in range(count):
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO t (payload) VALUES (?)", (ROW,))
        db.execute("COMMIT")
    rate = count / (time.perf_counter() - start)
    db.close()
    return rate


async def accept(config: Path, count: int, *, first: int, in_flight: int) -> float:
    payloads = [make_850(first + i) for i in range(count)]
    async with open_gateway(load_settings(config)) as gw:
        inbox = Inbox(gw)
        start = time.perf_counter()
        for i in range(0, count, in_flight):
            await asyncio.gather(
                *(
                    inbox.accept(partner="acme", transport="bench", payload=p)
                    for p in payloads[i : i + in_flight]
                )
            )
        return count / (time.perf_counter() - start)


def drain(config: Path, *wrapper: str, workers: int = 1) -> float:
    """Seconds until ``workers`` `edigw work --drain` processes on one store are done."""
    start = time.perf_counter()
    procs = [
        subprocess.Popen(
            [*wrapper, sys.executable, "-m", "gateway", "--config", str(config), "work", "--drain"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(workers)
    ]
    for proc in procs:
        if proc.wait() != 0:
            raise SystemExit(f"edigw work --drain exited {proc.returncode}")
    return time.perf_counter() - start


async def counted_drain(config: Path) -> Counter[str]:
    """Units, transactions and statements of one in-process drain."""
    counts: Counter[str] = Counter()
    original = SqliteStore._commit

    async def commit(self: SqliteStore, units: list[list[object]]) -> list[object]:
        counts["units"] += len(units)
        counts["transactions"] += 1
        return await original(self, units)  # type: ignore[arg-type]

    def trace(statement: str) -> None:
        counts["statements"] += 1

    SqliteStore._commit = commit  # type: ignore[method-assign]
    try:
        async with open_gateway(load_settings(config)) as gw:
            store = gw.store
            assert isinstance(store, SqliteStore)
            for db in (store._writer, store._reader):
                assert db is not None and db.conn is not None
                await db.call(db.conn.set_trace_callback, trace)
            await Worker(gw, HANDLERS).run(drain=True)
    finally:
        SqliteStore._commit = original  # type: ignore[method-assign]
    return counts


def fsyncs(config: Path, count: int) -> float | None:
    if shutil.which("strace") is None:
        return None
    log = config.parent / "strace.txt"
    drain(config, "strace", "-f", "-qq", "-e", "trace=fsync,fdatasync,syncfs", "-o", str(log))
    calls = sum(1 for line in log.read_text().splitlines() if "sync" in line)
    return calls / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    args = parser.parse_args()
    n = args.messages
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        raw = raw_rate(folder / "raw.sqlite", 1000)
        configs = []
        for name in ("timed", "counted", "traced", "two"):
            (folder / name).mkdir()
            configs.append(write_config(folder / name, concurrency=32))
        one = asyncio.run(accept(configs[0], n // 4, first=10_000, in_flight=1))
        many = asyncio.run(accept(configs[0], n - n // 4, first=20_000, in_flight=64))
        seconds = drain(configs[0])
        asyncio.run(accept(configs[3], n, first=50_000, in_flight=64))
        two = drain(configs[3], workers=2)
        asyncio.run(accept(configs[1], n, first=30_000, in_flight=64))
        counts = asyncio.run(counted_drain(configs[1]))
        asyncio.run(accept(configs[2], n, first=40_000, in_flight=64))
        syncs = fsyncs(configs[2], n)
    rows = [
        ("sqlite3 insert + commit, synchronous=FULL (raw)", raw),
        ("edigw accept(), one at a time", one),
        ("edigw accept(), 64 in flight (group commit)", many),
        (f"edigw work --drain: {n} messages processed", n / seconds),
        ("the same with two edigw work --drain processes", n / two),
    ]
    print(f"{'measure':58} {'per s':>9} {'vs raw commit':>14}")
    for name, rate in rows:
        print(f"{name:58} {rate:9.0f} {rate / raw:14.2f}")
    per = {k: v / n for k, v in counts.items()}
    print(
        f"per processed message: {per['units']:.1f} units of work in "
        f"{per['transactions']:.2f} transactions, {per['statements']:.1f} statements, "
        + (f"{syncs:.2f} fsync/syncfs calls" if syncs is not None else "fsyncs not counted")
    )


if __name__ == "__main__":
    main()
