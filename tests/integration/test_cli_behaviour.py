"""`edigw` as people use it: --config anywhere, no silent new store, one-line config
errors, --version, a profile template that is valid TOML, demo naming its failures."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.conftest import OWN_SAMPLES, ROOT
from tests.integration.conftest import write_config


def edigw(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """The real command in a folder of our choosing (no --config added)."""
    return subprocess.run(
        [sys.executable, "-m", "gateway", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_config_before_or_after_the_command(tmp_path: Path) -> None:
    config = str(write_config(tmp_path))
    before = edigw("--config", config, "partners", "list", cwd=tmp_path)
    after = edigw("partners", "list", "--config", config, cwd=tmp_path)
    joined = edigw("partners", "list", f"--config={config}", cwd=tmp_path)
    assert before.returncode == after.returncode == joined.returncode == 0, after.stderr
    assert before.stdout == after.stdout == joined.stdout
    assert "acme" in after.stdout


@pytest.mark.parametrize(
    "command",
    [("messages", "list"), ("partners", "list"), ("work", "--drain"), ("audit", "verify")],
)
def test_a_missing_config_is_an_error_and_creates_nothing(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    proc = edigw(*command, cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: ") and "no such settings file" in proc.stderr
    assert "--config" in proc.stderr
    assert list(tmp_path.iterdir()) == []  # no ./var, no store


@pytest.mark.parametrize(
    "command",
    [
        ("partners", "list"),
        ("partners", "show", "acme"),
        ("messages", "list"),
        ("work", "--drain"),
        ("audit", "verify"),
        ("render", str(OWN_SAMPLES / "canonical" / "order.json"), "--partner", "acme"),
        ("translate", str(OWN_SAMPLES / "x12" / "850.x12"), "--partner", "acme"),
    ],
)
def test_a_bad_config_is_one_clean_line(tmp_path: Path, command: tuple[str, ...]) -> None:
    config = write_config(tmp_path)
    config.write_text(config.read_text().replace("[jobs]\n", "[jobs]\nmax_attempts = 0\n"))
    proc = edigw(*command, "--config", str(config), cwd=tmp_path)
    assert proc.returncode in (1, 2)
    assert "Traceback" not in proc.stderr
    (line,) = proc.stderr.splitlines()
    assert "gateway.toml: jobs.max_attempts: must be a number >= 1" in line
    assert not (tmp_path / "var").exists()


def test_version_comes_from_the_package_metadata() -> None:
    proc = edigw("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"edigw {version('edigw')}"


@pytest.mark.parametrize("name", ['Quote "q"', "back\\slash", "tab\tnew\nline", "del\x7f", "é ü"])
def test_partners_new_writes_valid_toml_for_any_name(tmp_path: Path, name: str) -> None:
    config = write_config(tmp_path)
    proc = edigw("partners", "new", "newco", "--name", name, "--config", str(config))
    assert proc.returncode == 0, proc.stderr
    path = tmp_path / "partners" / "newco.toml"
    assert tomllib.loads(path.read_text(encoding="utf-8"))["name"] == name
    checked = edigw("partners", "validate", str(path), "--config", str(config))
    assert checked.returncode == 0, checked.stderr


def test_demo_counts_only_edi_documents_and_names_each_failure(tmp_path: Path) -> None:
    samples = tmp_path / "samples"
    (samples / "invalid").mkdir(parents=True)
    order = (OWN_SAMPLES / "x12" / "850.x12").read_bytes()
    (samples / "850.x12").write_bytes(order)
    (samples / "notes.txt").write_text("not a document\n")
    (samples / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (samples / "cut.x12").write_bytes(order[:300])
    (samples / "broken.xml").write_text("<Order>")
    (samples / "invalid" / "cut.x12").write_bytes(order[:300])  # expected to fail
    config = write_config(tmp_path / "gw")
    proc = edigw("demo", "--samples", str(samples), "--config", str(config), cwd=tmp_path)
    assert proc.returncode == 1
    assert "notes.txt" not in proc.stdout + proc.stderr
    assert "photo.png" not in proc.stdout + proc.stderr
    assert "2 valid sample(s) failed to translate:" in proc.stderr
    named = [line.strip() for line in proc.stderr.splitlines()[1:]]
    assert named == ["broken.xml", "cut.x12"]
