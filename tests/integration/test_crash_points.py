"""kill -9 at each step of the pipeline, then a restart: nothing lost, nothing twice.

A worker subprocess runs with one step wrapped so that the process SIGKILLs itself right
after that step (before whatever comes next); a second `edigw work --drain` then finishes
the work once the dead worker's leases expire.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import ROOT

from .conftest import make_850, run_edigw, write_config

pytestmark = pytest.mark.slow

#: step -> (module, attribute wrapped so that the process dies right after it)
STEPS = {
    "control numbers allocated": ("gateway.store.sqlite", "SqliteStore.allocate_controls"),
    "ack archived": ("gateway.archive", "Archive.put_many"),
    "inbound outcome committed": ("gateway.pipeline.inbound", "_finish"),
    "order sent to the ERP": ("gateway.erp", "RecordingErp.submit_order"),
    "ERP hand-off committed": ("gateway.pipeline.handlers", "deliver_erp"),
    "ack marked ready": ("gateway.pipeline.handlers", "send_outbound"),
}

_WORKER = textwrap.dedent(
    """
    import asyncio, functools, importlib, inspect, os, signal, sys
    from pathlib import Path
    sys.path.insert(0, {root!r})
    module = importlib.import_module({module!r})
    owner, _, name = {attr!r}.rpartition(".")
    holder = getattr(module, owner) if owner else module
    original = getattr(holder, name)

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    if inspect.iscoroutinefunction(original):
        @functools.wraps(original)
        async def wrapped(*args, **kwargs):
            result = await original(*args, **kwargs)
            die()
            return result
    else:
        @functools.wraps(original)
        def wrapped(*args, **kwargs):
            result = original(*args, **kwargs)
            if any(b"*997*" in item for item in args[-1]):  # the ack, not the payload
                die()
            return result

    setattr(holder, name, wrapped)
    if {attr!r} in ("deliver_erp", "send_outbound"):
        from gateway.pipeline import handlers
        handlers.HANDLERS = {{**handlers.HANDLERS, name: wrapped}}
        import gateway.pipeline
        gateway.pipeline.HANDLERS = handlers.HANDLERS
    from gateway.cli import main
    sys.exit(main(["--config", {config!r}, "work", "--drain"]))
    """
)


@pytest.mark.parametrize("step", list(STEPS))
def test_kill_after_each_step_then_restart(tmp_path: Path, step: str) -> None:
    config = write_config(tmp_path, lease=1)
    order = tmp_path / "order.x12"
    order.write_bytes(make_850(777))
    assert run_edigw(config, "receive", "acme", str(order)).returncode == 0
    module, attr = STEPS[step]
    script = _WORKER.format(root=str(ROOT), module=module, attr=attr, config=str(config))
    killed = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, timeout=120, check=False
    )
    assert killed.returncode == -9, killed.stderr.decode()[-2000:]

    finished = run_edigw(config, "work", "--drain")
    assert finished.returncode == 0, finished.stderr
    with sqlite3.connect(tmp_path / "var" / "gateway.sqlite") as db:
        inbound = db.execute("SELECT status FROM messages WHERE direction = 'in'").fetchall()
        acks = db.execute("SELECT status FROM messages WHERE direction = 'out'").fetchall()
        unfinished = db.execute("SELECT count(*) FROM jobs WHERE status != 'done'").fetchone()
    with sqlite3.connect(tmp_path / "var" / "erp-orders.sqlite") as erp:
        orders = erp.execute("SELECT number FROM orders").fetchall()
    assert inbound == [("processed",)]
    assert acks == [("ready",)]  # one 997, whatever was built before the kill
    assert orders == [("PO-777",)]  # the ERP got the order exactly once
    assert unfinished == (0,)
    verified = run_edigw(config, "audit", "verify")
    assert verified.returncode == 0, verified.stdout
    checked = run_edigw(config, "store", "check")
    stray = [line for line in checked.stdout.splitlines() if "named by no message" in line]
    # an ack archived before the kill is rebuilt with new control numbers after it; the
    # first file stays, unrecorded, and store check says so (nothing was sent from it)
    assert len(stray) == (1 if step == "ack archived" else 0), checked.stdout
    assert "is missing" not in checked.stdout and "is damaged" not in checked.stdout
