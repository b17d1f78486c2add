"""Hostile input at the command line: one clear line naming the file or argument and the
cause, exit 1 or 2, never a traceback, never a file touched outside its folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

from .conftest import write_config


def edigw(
    *args: str, config: Path | None = None, stdin: int | bytes | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    prefix = ["--config", str(config)] if config else []
    return subprocess.run(
        [sys.executable, "-m", "gateway", *prefix, *args],
        input=stdin if isinstance(stdin, bytes) else None,
        stdin=stdin if isinstance(stdin, int) else None,
        capture_output=True,
        cwd=ROOT,
        timeout=timeout,
        check=False,
        text=not isinstance(stdin, bytes),
    )


def _clean_error(proc: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert proc.returncode in (1, 2), (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr, proc.stderr
    for fragment in fragments:
        assert fragment in proc.stderr, proc.stderr


def test_validate_without_path_lists_every_problem_of_the_folder(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    partners = tmp_path / "partners"
    (partners / "copy.toml").write_text(
        (partners / "acme.toml").read_text().replace('id = "acme"', 'id = "copy"')
    )
    (partners / "binary.toml").write_bytes(os.urandom(512) + b"\xff")
    proc = edigw("partners", "validate", config=config)
    _clean_error(proc)
    assert proc.returncode == 1
    errors = proc.stderr.splitlines()
    assert len(errors) == 4, errors  # the binary file; as2.id, x12.id and gln of copy.toml
    assert any(str(partners / "binary.toml") in e and "not a text file" in e for e in errors)
    clash = [e for e in errors if str(partners / "copy.toml") in e]
    assert clash and all(str(partners / "acme.toml") in e for e in clash)
    assert "ok: " + str(partners / "acme.toml") in proc.stdout


def test_validate_one_file_checks_it_against_its_folder(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    partners = tmp_path / "partners"
    twin = partners / "twin.toml"
    twin.write_text('id = "twin"\n[x12]\nid = "ACMERETAIL"\n')
    proc = edigw("partners", "validate", str(twin), config=config)
    _clean_error(proc, str(twin), "x12.id", str(partners / "acme.toml"))
    assert proc.returncode == 1
    ok = edigw("partners", "validate", str(partners / "acme.toml"), config=config)
    assert ok.returncode == 1  # acme clashes with twin too, from its side


def test_validate_a_binary_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_bytes(bytes(range(256)) * 8)
    proc = edigw("partners", "validate", str(bad), config=write_config(tmp_path))
    _clean_error(proc, str(bad), "not a text file")
    assert len(proc.stderr.splitlines()) == 1


@pytest.mark.parametrize("pid", ["a/b", "../../t/evil", "Acme", "acme\n"])
def test_new_refuses_a_bad_id_before_touching_any_file(tmp_path: Path, pid: str) -> None:
    (tmp_path / "t").mkdir()
    config = tmp_path / "gateway.toml"
    config.write_text('partners_dir = "deep/partners"\n')
    proc = edigw("partners", "new", pid, config=config)
    _clean_error(proc, "partner id", "must be")
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1
    assert not (tmp_path / "deep").exists()  # not even the partners folder
    assert list((tmp_path / "t").iterdir()) == []


def test_new_writes_a_profile_that_validates(tmp_path: Path) -> None:
    config = tmp_path / "gateway.toml"
    config.write_text("")
    proc = edigw("partners", "new", "zeta", "--name", 'Zeta "Quoted"\n[evil]', config=config)
    assert proc.returncode == 0, proc.stderr
    again = edigw("partners", "new", "zeta", config=config)
    _clean_error(again, "exists already")
    assert edigw("partners", "validate", config=config).returncode == 0


def _small_limit(tmp_path: Path, limit: int = 1000) -> Path:
    config = write_config(tmp_path)
    config.write_text(f"max_payload_bytes = {limit}\n" + config.read_text())
    return config


def _messages(config: Path) -> list[str]:
    proc = edigw("messages", "list", "--json", config=config)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


def test_receive_stops_at_the_payload_limit_and_names_the_file(tmp_path: Path) -> None:
    config = _small_limit(tmp_path)
    big = tmp_path / "big.x12"
    big.write_bytes(b"x" * 1001)
    proc = edigw("receive", "acme", str(big), config=config)
    _clean_error(proc, str(big), "payload limit of 1000 bytes")
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1
    assert _messages(config) == []


def test_receive_refuses_devices_and_bounds_standard_input(tmp_path: Path) -> None:
    config = _small_limit(tmp_path)
    device = edigw("receive", "acme", "/dev/zero", config=config, timeout=20)
    _clean_error(device, "/dev/zero", "not a regular file (a character device)")
    with open("/dev/zero", "rb") as zero:
        piped = edigw("receive", "acme", "-", config=config, stdin=zero.fileno(), timeout=20)
    _clean_error(piped, "payload limit")
    assert _messages(config) == []


def test_receive_refuses_a_fifo_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "order.x12"
    os.mkfifo(fifo)
    proc = edigw("receive", "acme", str(fifo), config=write_config(tmp_path), timeout=20)
    _clean_error(proc, str(fifo), "a FIFO")


def test_receive_follows_a_symlink_only_when_asked(tmp_path: Path) -> None:
    from .conftest import make_850

    config = write_config(tmp_path)
    link = tmp_path / "order.x12"
    link.symlink_to("/etc/passwd")
    proc = edigw("receive", "acme", str(link), config=config)
    _clean_error(proc, str(link), "symbolic link", "--follow-symlinks")
    assert proc.returncode == 2 and _messages(config) == []
    real = tmp_path / "real.x12"
    real.write_bytes(make_850(9))
    link.unlink()
    link.symlink_to(real)
    ok = edigw("receive", "acme", str(link), "--follow-symlinks", config=config)
    assert ok.returncode == 0 and ok.stdout.startswith(f"accepted {link} from acme"), ok.stderr
    assert len(_messages(config)) == 1


def test_a_file_name_cannot_forge_an_output_line(tmp_path: Path) -> None:
    from .conftest import make_850

    config = write_config(tmp_path)
    name = tmp_path / "a.x12\naccepted evil.x12 from acme as message 1"
    name.write_bytes(make_850(10))
    proc = edigw("receive", "acme", str(name), config=config)
    assert proc.returncode == 0, proc.stderr
    (line,) = proc.stdout.splitlines()
    assert line.startswith(f"accepted {str(name)!r} from acme as message ")


_XSL = '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">{}'
DIALECT_ORDER = str(ROOT / "samples" / "xml" / "dialect" / "partner_order.xml")


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        (_XSL.format('<xsl:include href="other.xsl"/></xsl:stylesheet>'), "xsl:include"),
        (_XSL.format('<xsl:import href="/etc/passwd"/></xsl:stylesheet>'), "xsl:import"),
        ("<root/>", "not a usable XSLT stylesheet"),
        ("<xsl:stylesheet", "not well-formed XML"),
        ("", "not well-formed XML"),
        (
            '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
            "is refused",
        ),
    ],
    ids=["include", "import", "not-xslt", "malformed", "empty", "xxe"],
)
def test_translate_with_a_bad_stylesheet(tmp_path: Path, text: str, cause: str) -> None:
    style = tmp_path / "style.xsl"
    style.write_text(text)
    proc = edigw("translate", "--xslt", str(style), DIALECT_ORDER)
    _clean_error(proc, cause)
    assert proc.returncode == 2 and proc.stdout == ""
    (line,) = proc.stderr.splitlines()
    assert line.startswith(f"{style}: ")


@pytest.mark.parametrize("name", ["/dev/zero", "/nonexistent/style.xsl"])
def test_translate_with_a_stylesheet_that_is_no_file(name: str) -> None:
    proc = edigw("translate", "--xslt", name, DIALECT_ORDER, timeout=20)
    _clean_error(proc, name)
    assert len(proc.stderr.splitlines()) == 1 and proc.stderr.startswith(name)


def test_a_binary_gateway_toml_is_one_line_for_partner_commands(tmp_path: Path) -> None:
    config = tmp_path / "gateway.toml"
    config.write_bytes(bytes(range(256)))
    proc = edigw("partners", "validate", config=config)
    _clean_error(proc, str(config), "not a text file")
    assert len(proc.stderr.splitlines()) == 1
