"""A big accepted file through the commands a user runs: peak RSS and time of each.

Generates one X12 interchange of small 850s from the sample partner ACME (the size of the
issue's repro: 95 MB is about 230,000 orders), then runs, each as its own process:

    edigw receive acme FILE                                  archive + message + job
    edigw work --drain --kinds process_inbound,send_outbound documents, 997, ERP jobs queued
    edigw work --drain                                       every order to the ERP step

The first drain leaves the ERP jobs queued, to show what reading and storing cost; the
second delivers every order to the recording ERP.

    python benchmarks/big_file.py --mb 95
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.integration.conftest import write_config  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from x12_read import generate  # noqa: E402

_FIRST = "process_inbound,send_outbound"


def run(config: Path, *args: str) -> tuple[float, float]:
    """(seconds, peak RSS MB) of one edigw command, in its own process."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "gateway", "--config", str(config), *args],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak RSS
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise SystemExit(f"edigw {' '.join(args)} failed:\n{err.read()[-2000:].decode()}")
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=95)
    parser.add_argument("--skip-erp", action="store_true", help="stop after processing")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        folder = Path(tmp)
        config = write_config(folder)
        big = folder / "big.x12"
        # two lines an order: about the 410 bytes a set of the 95 MB repro
        sets = generate(big, args.mb, lines=2, sender="ACMERETAIL", receiver="WIDGETWORKS")
        mb = big.stat().st_size / 1e6
        print(f"{mb:.1f} MB, {sets} orders in one interchange")
        steps = (
            ("edigw receive acme FILE", ("receive", "acme", str(big))),
            ("edigw work --drain --kinds process_inbound", ("work", "--drain", "--kinds", _FIRST)),
        )
        for label, cmd in steps:
            seconds, rss = run(config, *cmd)
            print(f"{label:44} {seconds:8.1f} s  peak RSS {rss:6.0f} MB")
        db = sqlite3.connect(folder / "var" / "gateway.sqlite")
        (status,) = db.execute("SELECT status FROM messages WHERE direction='in'").fetchone()
        (docs,) = db.execute("SELECT count(*) FROM documents").fetchone()
        (queued,) = db.execute("SELECT count(*) FROM jobs WHERE status='queued'").fetchone()
        print(f"message {status}: {docs} documents stored, {queued} ERP hand-offs queued")
        if not args.skip_erp:
            seconds, rss = run(config, "work", "--drain")
            print(
                f"{'edigw work --drain (the ERP hand-offs)':44} {seconds:8.1f} s  peak RSS"
                f" {rss:6.0f} MB  ({queued / seconds:.0f} orders/s)"
            )


if __name__ == "__main__":
    main()
