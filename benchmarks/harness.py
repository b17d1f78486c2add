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

__all__ = ["chunks", "edigw_translate", "measure", "report", "run_child"]

ROOT = Path(__file__).resolve().parents[1]


def chunks(path: str) -> Iterator[bytes]:
    """The file in 1 MiB pieces, as `edigw translate` reads it."""
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            yield chunk


def edigw_translate(path: str, *options: str) -> int:
    """`edigw translate FILE` as a user runs it, its JSON Lines read from a pipe; the
    number of lines written."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "gateway", "translate", path, *options],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert proc.stdout is not None
    lines = 0
    while chunk := proc.stdout.read(1 << 16):
        lines += chunk.count(b"\n")
    if proc.wait() not in (0, 1):
        raise RuntimeError(f"edigw translate exited {proc.returncode}")
    return lines


def run_child(work: Mapping[str, Callable[[str], int]], name: str, path: str) -> None:
    start = time.perf_counter()
    count = work[name](path)
    seconds = time.perf_counter() - start
    rss_mb = (
        max(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,  # a measured command
        )
        / 1024
    )
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


def report(script: str, rows: list[tuple[str, Path]], versus: str | None = None) -> None:
    """One line per (name, input): MB/s, ratio to the first row (the split floor), peak
    RSS, and with ``versus`` the ratio to that row too. Every row is measured in this
    run, so the ratios hold even when the machine's speed swings between runs."""
    measured: dict[str, tuple[float, dict[str, float] | str]] = {}
    for name, path in rows:
        measured[name] = (path.stat().st_size / 1e6, measure(script, name, path))
    rates = {n: mb / r["seconds"] for n, (mb, r) in measured.items() if not isinstance(r, str)}
    floor = next(iter(rates.values()), 1.0)
    other = rates.get(versus or "")
    head = f"{'reader':34} {'MB':>6} {'MB/s':>8} {'x floor':>8} {'peak RSS MB':>12}"
    print(head + (f"  x {versus}" if versus else ""))
    for name, (mb, res) in measured.items():
        if isinstance(res, str):
            print(f"{name:34} {mb:6.1f}  skipped: {res}")
            continue
        rate = rates[name]
        line = f"{name:34} {mb:6.1f} {rate:8.1f} {rate / floor:8.3f} {res['rss_mb']:12.0f}"
        print(line + (f"  {rate / other:8.1f}" if other else ""))
