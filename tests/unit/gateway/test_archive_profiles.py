"""Archive (write-once, verified), profiles (located errors, reload keeps last good),
settings and the retry policy."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from gateway.archive import Archive
from gateway.config import load_settings
from gateway.errors import ArchiveError, ProfileError
from gateway.pipeline.jobs import backoff
from gateway.profiles import ProfileRegistry, load_profile

ROOT = Path(__file__).resolve().parents[3]


async def test_archive_is_content_addressed_and_verified(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    key = await archive.put(b"ISA*...")
    assert await archive.put(b"ISA*...") == key  # writing twice is harmless
    assert await archive.get(key) == b"ISA*..."
    path = archive.path_of(key)
    os.chmod(path, 0o640)
    path.write_bytes(b"tampered")
    with pytest.raises(ArchiveError, match="does not match"):
        await archive.get(key)
    with pytest.raises(ArchiveError, match="missing"):
        await archive.get("f" * 64)
    with pytest.raises(ArchiveError):
        archive.path_of("../../etc/passwd")


def test_example_profiles_load() -> None:
    reg = ProfileRegistry(ROOT / "partners")
    assert {p.id for p in reg} >= {"acme", "eurofoods", "nordbuild"}
    acme = reg.get("acme")
    assert acme is not None and acme.x12 is not None and acme.x12.ack == "997"
    assert acme.owns_sender("x12", "ZZ", "ACMERETAIL     ")
    assert not acme.owns_sender("x12", "ZZ", "SOMEONEELSE")
    assert not acme.owns_sender("edifact", None, "ACMERETAIL")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('id = "p"\nstatus = "live"\n', "status"),
        ('id = "p"\n[x12]\nack = "997"\n', "x12.id"),
        ('id = "p"\n[x12]\nid = "P"\nack = "998"\n', "x12.ack"),
        ('id = "p"\n[http]\ntoken_sha256 = "secret"\n', "http.token_sha256"),
        ('id = "p"\n[documents]\ninbound = ["orders"]\n', "documents.inbound"),
        ('id = "other"\n', "id"),
    ],
)
def test_profile_errors_name_file_and_key(tmp_path: Path, text: str, key: str) -> None:
    path = tmp_path / "p.toml"
    path.write_text(text)
    with pytest.raises(ProfileError) as err:
        load_profile(path)
    assert err.value.key == key and str(path) in str(err.value)


def test_broken_edit_keeps_last_good_profile(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text('id = "p"\nname = "First"\n')
    reg = ProfileRegistry(tmp_path)
    assert reg.get("p") is not None and reg.get("p").name == "First"  # type: ignore[union-attr]
    path.write_text('id = "p"\nname = "Second\n')  # unterminated string
    os.utime(path, (1, 1))
    problems = reg.refresh()
    assert problems and "not valid TOML" in problems[0]
    assert reg.get("p").name == "First"  # type: ignore[union-attr]
    path.write_text('id = "p"\nname = "Third"\n')
    os.utime(path, (2, 2))
    assert reg.refresh() == [] and reg.get("p").name == "Third"  # type: ignore[union-attr]
    assert reg.problems == {}


def test_settings_resolve_paths_relative_to_the_file(tmp_path: Path) -> None:
    cfg = tmp_path / "conf" / "gateway.toml"
    cfg.parent.mkdir()
    cfg.write_text('data_dir = "../data"\n[x12]\nid = "US"\n')
    s = load_settings(cfg)
    assert s.data_dir == (tmp_path / "conf" / ".." / "data")
    assert s.x12.id == "US" and s.x12.qualifier == "ZZ"
    missing = load_settings(tmp_path / "nope.toml")  # embedded defaults
    assert missing.data_dir == tmp_path / "var"


def test_backoff_grows_is_capped_and_jittered() -> None:
    rng = random.Random(7)
    delays = [backoff(a, base=2, cap=60, rng=rng) for a in range(1, 10)]
    assert 1 <= delays[0] <= 2 and 2 <= delays[1] <= 4
    assert all(30 <= d <= 60 for d in delays[5:])
    assert len({round(d, 6) for d in delays}) == len(delays)


async def test_a_running_worker_picks_up_profile_edits(tmp_path: Path) -> None:
    from gateway.app import open_gateway
    from gateway.pipeline import HANDLERS, Worker

    (tmp_path / "partners").mkdir()
    profile = tmp_path / "partners" / "p.toml"
    profile.write_text('id = "p"\nstatus = "test"\n')
    config = tmp_path / "gateway.toml"
    config.write_text('data_dir = "var"\n')
    async with open_gateway(load_settings(config)) as gw:
        profile.write_text('id = "p"\nstatus = "active"\n')
        os.utime(profile, (5, 5))
        await Worker(gw, HANDLERS).run(drain=True)
        assert gw.profiles.get("p").status == "active"  # type: ignore[union-attr]
