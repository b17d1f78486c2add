"""Run each measured reader in its own child process, so its peak RSS is its own.

A benchmark script defines ``WORK = {name: fn(path) -> count}`` and calls ``main`` with
a function that generates its inputs; the child re-enters the script with ``--child``.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

__all__ = ["chunks", "measure", "report", "run_child"]


def chunks(path: str) -> Iterator[bytes]:
    """The file in 1 MiB pieces, as `edigw translate` reads it."""
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            yield chunk


def run_child(work: Mapping[str, Callable[[str], int]], name: str, path: str) -> None:
    start = time.perf_counter()
    count = work[name](path)
    seconds = time.perf_counter() - start
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "count": count, "rss_mb": rss_mb}))


def measure(script: str, name: str, path: Path) -> dict[str, float] | str:
    """Numbers from a child run of ``script --child name path``, or why it was skipped."""
    proc = subprocess.run(
        [sys.executable, script, "--child", name, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        return (proc.stderr.strip().splitlines() or ["failed"])[-1][:80]
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def report(script: str, rows: list[tuple[str, Path]]) -> None:
    """One line per (name, input): MB/s, ratio to the first row, peak RSS."""
    print(f"{'reader':34} {'MB':>6} {'MB/s':>8} {'ratio':>6} {'peak RSS MB':>12}")
    floor = None
    for name, path in rows:
        mb = path.stat().st_size / 1e6
        res = measure(script, name, path)
        if isinstance(res, str):
            print(f"{name:34} {mb:6.1f}  skipped: {res}")
            continue
        rate = mb / res["seconds"]
        floor = floor or rate
        print(f"{name:34} {mb:6.1f} {rate:8.1f} {rate / floor:6.2f} {res['rss_mb']:12.0f}")
