"""Worker processes: SIGKILL mid-batch loses and repeats nothing; two workers share a store."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from gateway.app import open_gateway
from gateway.config import load_settings
from gateway.pipeline import Inbox
from tests.conftest import ROOT

from .conftest import make_850, write_config

pytestmark = pytest.mark.slow


def _worker(config: Path, *extra: str, quiet: bool = False) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "gateway", "--config", str(config), "work", *extra],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL if quiet else subprocess.PIPE,
    )


def _finish(proc: subprocess.Popen[bytes], timeout: float) -> None:
    """Wait for a draining worker; its stderr is the failure message if it failed."""
    _, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err.decode()


async def _accept(config: Path, count: int, start: int) -> list[str]:
    async with open_gateway(load_settings(config)) as gw:
        inbox = Inbox(gw)
        accepted = await asyncio.gather(
            *(
                inbox.accept(partner="acme", transport="sftp", payload=make_850(start + i))
                for i in range(count)
            )
        )
    return [a.message_id for a in accepted]


def _orders(path: Path) -> list[tuple[str, str]]:
    if not path.exists():
        return []
    with sqlite3.connect(path, timeout=30) as conn:
        return list(conn.execute("SELECT key, number FROM orders"))


def _db(config: Path) -> sqlite3.Connection:
    return sqlite3.connect(config.parent / "var" / "gateway.sqlite", timeout=30)


def test_sigkill_mid_batch_then_restart_processes_everything_once(tmp_path: Path) -> None:
    config = write_config(tmp_path, erp_delay=0.05, lease=2)
    ids = asyncio.run(_accept(config, 40, 1000))
    erp = tmp_path / "var" / "erp-orders.sqlite"
    worker = _worker(config, quiet=True)
    try:
        deadline = time.monotonic() + 60
        while len(_orders(erp)) < 8 and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(worker.pid, signal.SIGKILL)  # in the middle of the batch
    finally:
        worker.wait(timeout=10)
    handed_before = len(_orders(erp))
    assert 8 <= handed_before < 40, "the kill must land mid-batch"
    with _db(config) as db:
        assert db.execute("SELECT count(*) FROM jobs WHERE status != 'done'").fetchone()[0] > 0
    _finish(_worker(config, "--drain"), timeout=120)
    orders = _orders(erp)
    assert len(orders) == 40 and len({key for key, _ in orders}) == 40
    assert sorted(number for _, number in orders) == sorted(f"PO-{1000 + i}" for i in range(40))
    with _db(config) as db:
        statuses = Counter(
            r[0] for r in db.execute("SELECT status FROM messages WHERE direction = 'in'")
        )
        assert statuses == {"processed": 40}
        acks = Counter(
            r[0] for r in db.execute("SELECT related_id FROM messages WHERE direction = 'out'")
        )
        assert set(acks) == set(ids) and set(acks.values()) == {1}  # one 997 each
        assert db.execute("SELECT count(*) FROM jobs WHERE status != 'done'").fetchone()[0] == 0
    audit = subprocess.run(
        [sys.executable, "-m", "gateway", "--config", str(config), "audit", "verify"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert audit.returncode == 0 and "audit chain ok" in audit.stdout


def test_two_workers_share_one_store_and_handle_nothing_twice(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    ids = asyncio.run(_accept(config, 1000, 5000))
    workers = [_worker(config, "--drain") for _ in range(2)]
    for w in workers:
        _finish(w, timeout=280)
    with _db(config) as db:
        started = Counter(
            r[0] for r in db.execute("SELECT job_id FROM audit WHERE action = 'job.started'")
        )
        assert started and set(started.values()) == {1}, "a job was started twice"
        owners = {
            r[0] for r in db.execute("SELECT DISTINCT actor FROM audit WHERE action = 'job.done'")
        }
        assert len(owners) == 2, "both workers must have taken part"
        processed = db.execute(
            "SELECT count(*) FROM messages WHERE direction = 'in' AND status = 'processed'"
        ).fetchone()[0]
        assert processed == 1000
    orders = _orders(tmp_path / "var" / "erp-orders.sqlite")
    assert len(orders) == 1000 and len({k for k, _ in orders}) == 1000
    assert len(ids) == 1000


def test_audit_verify_names_a_tampered_event(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    asyncio.run(_accept(config, 3, 9000))
    _finish(_worker(config, "--drain"), timeout=60)
    with _db(config) as db:
        db.execute("UPDATE audit SET actor = 'mallory' WHERE seq = 5")
    proc = subprocess.run(
        [sys.executable, "-m", "gateway", "--config", str(config), "audit", "verify"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "BROKEN at event 5" in proc.stdout and "4 events before it verified" in proc.stdout
