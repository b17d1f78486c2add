"""`edigw render` / `translate` on hostile input: clear errors naming what is wrong, exit
codes, never a traceback, never output our own reader rejects (issue "Hardening the
core")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import OWN_SAMPLES

from .test_cli_translate import edigw

ORDER_JSON = OWN_SAMPLES / "canonical" / "order.json"


def _order_with(tmp_path: Path, **changes: object) -> Path:
    doc = json.loads(ORDER_JSON.read_text())
    doc["lines"][0].update(changes.pop("line", {}))  # type: ignore[call-overload]
    doc.update(changes)
    path = tmp_path / "order.json"
    path.write_text(json.dumps(doc))
    return path


def test_render_sender_qualifier_longer_than_two_names_the_option() -> None:
    proc = edigw(
        "render", str(ORDER_JSON), "--to", "x12:850", "--sender", "ZZZ:ABC", "--receiver", "ZZ:B"
    )
    err = proc.stderr.decode()
    assert proc.returncode == 1 and proc.stdout == b"", err
    assert "--sender ZZZ:ABC: " in err and "'ZZZ'" in err and "Traceback" not in err


@pytest.mark.parametrize("target", ["x12:850", "edifact:ORDERS", "ubl:Order"])
@pytest.mark.parametrize("value", ["NaN", "Infinity"])
def test_render_refuses_non_finite_quantities(tmp_path: Path, target: str, value: str) -> None:
    path = _order_with(tmp_path, line={"quantity": value})
    proc = edigw("render", str(path), "--to", target, "--sender", "ZZ:A", "--receiver", "ZZ:B")
    err = proc.stderr.decode()
    assert proc.returncode == 1 and proc.stdout == b"", err
    assert f"lines[0].quantity: {value} cannot be written" in err and "Traceback" not in err


@pytest.mark.parametrize("target", ["x12:850", "ubl:Order"])
@pytest.mark.parametrize("name", ["A\\u0000B", "\\ud800"])
def test_render_of_nul_and_surrogates_is_a_render_error(
    tmp_path: Path, target: str, name: str
) -> None:
    path = tmp_path / "order.json"
    text = ORDER_JSON.read_text().replace('"ACME Retail"', f'"{name}"', 1)
    path.write_text(text)
    proc = edigw("render", str(path), "--to", target, "--sender", "ZZ:A", "--receiver", "ZZ:B")
    err = proc.stderr.decode(errors="replace")
    assert "Traceback" not in err and proc.stdout == b"", err
    if name == "\\ud800":  # JSON cannot carry a lone surrogate: refused where it is read
        assert proc.returncode == 2 and "line 4 column" in err
    else:
        assert proc.returncode == 1 and "parties[buyer].name: " in err


def test_a_lone_una_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "una.edi"
    path.write_bytes(b"UNA:+.? '")
    proc = edigw("translate", str(path))
    err = proc.stderr.decode()
    assert proc.returncode in (1, 2) and proc.stdout == b"", err
    assert err.startswith(f"{path}: segment 1 (UNA)") and "Traceback" not in err
