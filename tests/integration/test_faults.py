"""Faults from outside: damaged files, unusable folders, a full disk, a lost WAL.

Every command must end (never hang) with one clear line naming the file and the cause,
and what was lost must show up in `audit verify` and `store check`.
"""

from __future__ import annotations

import asyncio
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from gateway.archive import Archive
from tests.conftest import OWN_SAMPLES, ROOT

from .conftest import make_850, run_edigw, write_config

pytestmark = pytest.mark.slow

ORDER = OWN_SAMPLES / "x12" / "850.x12"


def _clean_error(proc: subprocess.CompletedProcess[str], *words: str) -> None:
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.startswith("error: "), proc.stderr
    for word in words:
        assert word in proc.stderr, proc.stderr


@pytest.mark.parametrize(
    "command",
    [("audit", "verify"), ("messages", "list"), ("work", "--drain"), ("receive", "acme")],
)
def test_damaged_store_file_is_named_by_every_command(tmp_path: Path, command: tuple[str]) -> None:
    config = write_config(tmp_path)
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "gateway.sqlite").write_bytes(os.urandom(65536))
    args = (*command, str(ORDER)) if command[0] == "receive" else command
    _clean_error(run_edigw(config, *args), "gateway.sqlite", "not a database")


def test_damaged_erp_file_spares_other_commands_and_fails_hand_offs(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    assert run_edigw(config, "receive", "acme", str(ORDER)).returncode == 0
    (tmp_path / "var" / "erp-orders.sqlite").write_bytes(os.urandom(65536))
    verified = run_edigw(config, "audit", "verify")
    assert verified.returncode == 0 and "audit chain ok" in verified.stdout
    drained = run_edigw(config, "work", "--drain")
    assert drained.returncode == 0 and "Traceback" not in drained.stderr
    with sqlite3.connect(tmp_path / "var" / "gateway.sqlite") as db:
        (error,) = db.execute("SELECT last_error FROM jobs WHERE kind = 'deliver_erp'").fetchone()
    assert "erp-orders.sqlite" in error and "not a database" in error


def test_unusable_data_folder(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    (tmp_path / "var").write_text("a file where the data folder should be")
    for args in (("messages", "list"), ("receive", "acme", str(ORDER))):
        _clean_error(run_edigw(config, *args), str(tmp_path / "var"))


def _small_disk() -> None:
    """In the child: files may not grow past 64 KiB, as on a full disk (EFBIG, no signal)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))


def test_full_disk_refuses_the_payload_and_keeps_running(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    big = tmp_path / "big.x12"
    big.write_bytes(make_850(1) * 400)  # 240 KB: more than the disk takes
    assert big.stat().st_size > 3 * 65536
    assert run_edigw(config, "receive", "acme", str(ORDER)).returncode == 0  # store exists
    refused = run_edigw(config, "receive", "acme", str(big), preexec_fn=_small_disk)
    _clean_error(refused, "archive")
    listed = run_edigw(config, "messages", "list", "--json")
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == 1


_KILLED_AFTER_ACCEPTS = textwrap.dedent(
    """
    import asyncio, os, signal, sys
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from gateway.app import open_gateway
    from gateway.config import load_settings
    from gateway.pipeline import Inbox
    from tests.integration.conftest import make_850

    async def main():
        async with open_gateway(load_settings(Path({config!r}))) as gw:
            for i in range(5):
                await Inbox(gw).accept(partner="acme", transport="sftp", payload=make_850(300 + i))
            os.kill(os.getpid(), signal.SIGKILL)  # committed, never checkpointed

    asyncio.run(main())
    """
)


def test_deleted_wal_after_a_crash_is_found(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    assert run_edigw(config, "receive", "acme", str(ORDER)).returncode == 0  # checkpointed
    script = _KILLED_AFTER_ACCEPTS.format(root=str(ROOT), config=str(config))
    crashed = subprocess.run([sys.executable, "-c", script], cwd=ROOT, timeout=60, check=False)
    assert crashed.returncode == -signal.SIGKILL
    wal = tmp_path / "var" / "gateway.sqlite-wal"
    assert wal.exists() and wal.stat().st_size > 0
    wal.unlink()
    (tmp_path / "var" / "gateway.sqlite-shm").unlink(missing_ok=True)

    verified = run_edigw(config, "audit", "verify")
    assert verified.returncode == 1 and "newest events are missing" in verified.stdout
    checked = run_edigw(config, "store", "check")
    assert checked.returncode == 1
    unrecorded = [line for line in checked.stdout.splitlines() if "named by no message" in line]
    assert len(unrecorded) == 5  # the five lost payloads are still in the archive


def test_deleting_the_newest_audit_rows_is_found(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    for i in range(3):
        path = tmp_path / f"o{i}.x12"
        path.write_bytes(make_850(400 + i))
        assert run_edigw(config, "receive", "acme", str(path)).returncode == 0
    assert run_edigw(config, "work", "--drain").returncode == 0
    assert run_edigw(config, "audit", "verify").returncode == 0
    with sqlite3.connect(tmp_path / "var" / "gateway.sqlite") as db:
        (top,) = db.execute("SELECT max(seq) FROM audit").fetchone()
        db.execute("DELETE FROM audit WHERE seq > ?", (top - 5,))
    verified = run_edigw(config, "audit", "verify")
    assert verified.returncode == 1 and "BROKEN" in verified.stdout


def test_store_check_names_missing_and_damaged_files(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    for i in range(2):
        path = tmp_path / f"o{i}.x12"
        path.write_bytes(make_850(500 + i))
        assert run_edigw(config, "receive", "acme", str(path)).returncode == 0
    assert run_edigw(config, "store", "check").returncode == 0
    archive = Archive(tmp_path / "var" / "archive")
    first, second = sorted(archive.keys())
    archive.path_of(first).unlink()
    damaged = archive.path_of(second)
    damaged.chmod(0o640)
    damaged.write_bytes(b"ISA*garbage")
    checked = run_edigw(config, "store", "check")
    assert checked.returncode == 1
    assert f"archive file {first} is missing" in checked.stdout
    assert f"archive file {second} is damaged" in checked.stdout


def test_archive_put_restores_a_damaged_copy(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    data = make_850(600)
    key = asyncio.run(archive.put(data))
    path = archive.path_of(key)
    path.chmod(0o640)
    path.write_bytes(b"not what the partner sent")
    assert asyncio.run(archive.put(data)) == key  # the partner's resend
    assert asyncio.run(archive.get(key)) == data


def test_profile_broken_while_messages_wait(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    assert run_edigw(config, "receive", "acme", str(ORDER)).returncode == 0
    profile = tmp_path / "partners" / "acme.toml"
    good = profile.read_text()
    profile.write_text(good + "\n[x12\n")  # an edit saved half-way
    first = run_edigw(config, "work", "--drain")
    assert first.returncode == 0 and "1 waiting for a retry" in first.stderr
    with sqlite3.connect(tmp_path / "var" / "gateway.sqlite") as db:
        (error,) = db.execute("SELECT last_error FROM jobs").fetchone()
    assert "acme.toml" in error and "not valid TOML" in error  # the operator sees why
    profile.write_text(good)  # fixed: the waiting job runs at its next try
    again = run_edigw(config, "work", "--drain")
    assert again.returncode == 0
    listed = run_edigw(config, "messages", "list", "--direction", "in", "--json")
    assert '"status": "processed"' in listed.stdout
