"""`edigw translate` / `render` as a user runs them: no traceback, clear errors, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import OWN_SAMPLES, PUBLIC_SAMPLES, ROOT, public_samples

ORDER = (OWN_SAMPLES / "x12" / "850.x12").read_bytes()


def edigw(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "gateway", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_translate_prints_json_lines() -> None:
    proc = edigw("translate", str(OWN_SAMPLES / "x12" / "850.x12"))
    assert proc.returncode == 0, proc.stderr
    (line,) = proc.stdout.decode().splitlines()
    doc = json.loads(line)
    assert doc["type"] == "purchase_order" and doc["number"] == "PO-2024-0042"
    assert doc["envelope"]["sender"] == {"id": "ACMERETAIL", "qualifier": "ZZ"}


@pytest.mark.parametrize(
    ("name", "data", "status", "fragment"),
    [
        ("empty.x12", b"", 2, "empty input"),
        ("garbage.bin", bytes(range(256)) * 4, 2, "not X12"),
        ("truncated.x12", ORDER[: ORDER.index(b"PO1*2")], 1, "truncated file) [023]"),
        (
            "short_isa.x12",
            b"ISA*00*00*ZZ*A*ZZ*B*240301*1200*U*00401*1*0*P*>~GS*PO~",
            1,
            "segment 1 (ISA): ISA is shorter than the 106 characters",
        ),
        ("wrong_delims.x12", ORDER.replace(b"~", b"\n").replace(b"*", b"~", 2), 1, "[0"),
        (
            "mismatch.x12",
            ORDER.replace(b"IEA*1*000001001", b"IEA*1*000001009"),
            1,
            "segment 22 (IEA) element 2: IEA02 '000001009' does not match ISA13 '000001001' [001]",
        ),
        (
            "bad_value.x12",
            ORDER.replace(b"PO1*2*5*", b"PO1*2*5x*"),
            1,
            "segment 15 (PO1) element 2: '5x' is not a decimal number [6]",
        ),
    ],
)
def test_bad_input_gives_a_clear_error_and_no_traceback(
    tmp_path: Path, name: str, data: bytes, status: int, fragment: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    proc = edigw("translate", str(path))
    err = proc.stderr.decode()
    assert proc.returncode == status, err
    assert "Traceback" not in err and fragment in err, err
    assert err.startswith(str(path))


def test_missing_file_is_unreadable() -> None:
    proc = edigw("translate", "/nonexistent/file.x12")
    assert proc.returncode == 2 and b"cannot read" in proc.stderr


def test_json_report_carries_located_issues(tmp_path: Path) -> None:
    path = tmp_path / "bad.x12"
    path.write_bytes(ORDER.replace(b"PO1*2*5*", b"PO1*2*5x*"))
    proc = edigw("translate", "--json", str(path))
    (report,) = [json.loads(x) for x in proc.stdout.decode().splitlines()]
    assert report["status"] == "rejected" and "document" not in report
    (issue,) = report["issues"]
    assert issue["segment_tag"] == "PO1" and issue["element"] == 2 and issue["code"] == "6"


@pytest.mark.parametrize("target", ["x12:850", "x12:856", "x12:810"])
def test_render_from_canonical_json(target: str) -> None:
    name = {"x12:850": "order", "x12:856": "ship_notice", "x12:810": "invoice"}[target]
    proc = edigw(
        "render",
        str(OWN_SAMPLES / "canonical" / f"{name}.json"),
        "--to",
        target,
        "--sender",
        "ZZ:WIDGETWORKS",
        "--receiver",
        "ZZ:ACMERETAIL",
        "--control",
        "9",
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(b"ISA*") and b"*000000009*" in proc.stdout
    back = edigw("translate", "-", stdin=proc.stdout)
    assert back.returncode == 0 and json.loads(back.stdout)["number"]


def test_render_without_ids_says_what_is_missing() -> None:
    proc = edigw("render", str(OWN_SAMPLES / "canonical" / "order.json"), "--to", "x12:850")
    assert proc.returncode == 1 and b"sender and receiver" in proc.stderr


@pytest.mark.parametrize("path", public_samples("x12"), ids=lambda p: p.name)
def test_every_public_x12_file_translates_without_traceback(path: Path) -> None:
    proc = edigw("translate", str(path))
    assert proc.returncode in (0, 1) and b"Traceback" not in proc.stderr


def test_demo_runs_end_to_end(tmp_path: Path) -> None:
    config = tmp_path / "gateway.toml"
    config.write_text(
        f'data_dir = "var"\npartners_dir = "{ROOT / "partners"}"\n[x12]\nid = "WIDGETWORKS"\n'
    )
    proc = edigw("--config", str(config), "demo")
    out = proc.stdout.decode()
    assert proc.returncode == 0, proc.stderr
    assert "orders handed to the ERP: ['PO-2024-0042']" in out
    assert "refused" in out and "duplicate" in out and "rejected" in out
    assert "audit chain:" in out and "verified" in out


@pytest.mark.parametrize(
    "path",
    [*public_samples("edifact"), *sorted((OWN_SAMPLES / "edifact" / "invalid").glob("*.edi"))],
    ids=lambda p: p.name,
)
def test_every_edifact_file_translates_without_traceback(path: Path) -> None:
    proc = edigw("translate", str(path))
    assert proc.returncode in (0, 1) and b"Traceback" not in proc.stderr
    if "invalid" in path.parts:
        assert proc.returncode == 1 and b"segment " in proc.stderr


def test_syntax_is_detected_by_content_not_name(tmp_path: Path) -> None:
    disguised = tmp_path / "order.x12"  # EDIFACT bytes behind an X12 file name
    disguised.write_bytes((OWN_SAMPLES / "edifact" / "orders.edi").read_bytes())
    proc = edigw("translate", str(disguised))
    assert proc.returncode == 0 and json.loads(proc.stdout)["envelope"]["format"] == "edifact"


def test_render_edifact_desadv() -> None:
    proc = edigw(
        "render",
        str(OWN_SAMPLES / "canonical" / "ship_notice.json"),
        "--to",
        "edifact:DESADV",
        "--sender",
        "14:5400000000003",
        "--receiver",
        "14:5412345678908",
    )
    assert proc.returncode == 0, proc.stderr
    assert b"UNH+1+DESADV:D:96A:UN'" in proc.stdout and b"GIN+BJ+354123450000000014'" in proc.stdout


@pytest.mark.parametrize(
    "path",
    [*public_samples("xml"), *sorted((OWN_SAMPLES / "xml" / "invalid").glob("*.xml"))],
    ids=lambda p: p.name,
)
def test_every_xml_file_translates_without_traceback(path: Path) -> None:
    proc = edigw("translate", str(path))
    assert proc.returncode in (0, 1) and b"Traceback" not in proc.stderr
    if path.name in ("xxe.xml", "billion_laughs.xml", "not_well_formed.xml"):
        assert proc.returncode == 1 and (b"refused" in proc.stderr or b"line 70" in proc.stderr)


def test_translate_with_schema_and_dialect() -> None:
    xsd = PUBLIC_SAMPLES / "xsd" / "oca-edi__UBL-2.1" / "maindoc" / "UBL-Order-2.1.xsd"
    if not xsd.is_file():
        pytest.skip("UBL schemas not available")
    bad = edigw(
        "translate",
        "--schema",
        str(xsd),
        str(OWN_SAMPLES / "xml" / "invalid" / "xsd_missing_buyer.xml"),
    )
    assert bad.returncode == 1 and b"/Order: " in bad.stderr and b"[xsd]" in bad.stderr
    dialect = OWN_SAMPLES / "xml" / "dialect"
    ok = edigw(
        "translate", "--xslt", str(dialect / "to_ubl.xsl"), str(dialect / "partner_order.xml")
    )
    assert ok.returncode == 0 and json.loads(ok.stdout)["number"] == "PO-2024-0042"


def test_translate_several_files_in_turn_worst_status_wins(tmp_path: Path) -> None:
    bad = tmp_path / "bad.x12"
    bad.write_bytes(ORDER.replace(b"PO1*2*5*", b"PO1*2*5x*"))
    edifact = OWN_SAMPLES / "edifact" / "orders.edi"
    ok = OWN_SAMPLES / "x12" / "850.x12"
    proc = edigw("translate", str(ok), str(bad), str(edifact))
    err = proc.stderr.decode()
    assert proc.returncode == 1 and "Traceback" not in err
    assert err.startswith(f"{bad}: segment 15 (PO1) element 2:"), err
    docs = [json.loads(x) for x in proc.stdout.decode().splitlines()]
    assert [d["envelope"]["format"] for d in docs] == ["x12", "edifact"]  # bad 850 rejected
    both = edigw("translate", str(ok), "/nonexistent/file.x12", str(ok))
    assert both.returncode == 2 and len(both.stdout.splitlines()) == 2
    assert b"/nonexistent/file.x12: cannot read" in both.stderr
    clean = edigw("translate", "--json", str(ok), str(ok))
    assert clean.returncode == 0
    reports = [json.loads(x) for x in clean.stdout.decode().splitlines()]
    assert [r["document"]["number"] for r in reports] == ["PO-2024-0042"] * 2


_GOOD = (OWN_SAMPLES / "canonical" / "order.json").read_text()


@pytest.mark.parametrize(
    ("name", "text", "fragment"),
    [
        ("missing.json", '{"type": "invoice", "order_refs": [{"date": "2024-03-01"}]}',
         "$.order_refs[0].number: missing required key"),
        ("wrong_type.json", '{"type": "invoice", "number": 42}',
         "$.number: Expected `str | null`, got `int`"),
        ("not_a_number.json", '{"type": "invoice", "lines": [{"quantity": "abc"}]}',
         "$.lines[0].quantity: Invalid decimal string"),
        ("array_qty.json", '{"type": "invoice", "lines": [{"quantity": []}]}',
         "$.lines[0].quantity: Expected `decimal | null`, got `array`"),
        ("bad_date.json", '{"type": "invoice", "date": "2024-13-01"}', "$.date: Invalid"),
        ("unknown_type.json", '{"type": "order"}', "$.type: unknown document type 'order'"),
        ("unknown_key.json", '{"type": "invoice", "lines": [{"qty": "1"}]}',
         "$.lines[0].qty: unknown key"),
        ("invalid.json", '{"type": "invoice",\n  "number": "1",,}',
         "line 2 column 17: JSON is malformed"),
        ("truncated.json", '{"type": "invoice",\n "number": "1"',
         "line 2: Input data was truncated"),
        ("list.json", f'[{_GOOD}, {{"type": "invoice", "date": 5}}]', "$[1].date: Expected"),
        ("lines.jsonl", '{"type": "invoice"}\n{"type": "invoice"}\n{"type": "x"}\n',
         "line 3: $.type: unknown document type 'x'"),
        ("bad_line.jsonl", '{"type": "invoice"}\n{"type": "invoice", "number": }\n',
         "line 2 column 31: JSON is malformed"),
    ],
)  # fmt: skip
def test_render_malformed_json_gives_a_located_error(
    tmp_path: Path, name: str, text: str, fragment: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    proc = edigw("render", str(path), "--to", "x12:810")
    err = proc.stderr.decode()
    assert proc.returncode == 2 and proc.stdout == b"", err
    assert "Traceback" not in err and err.startswith(f"{path}: {fragment}"), err
    assert len(err.splitlines()) == 1


def test_render_empty_file_says_no_documents(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    path.write_text("\n")
    proc = edigw("render", str(path), "--to", "x12:850")
    assert proc.returncode == 1 and proc.stderr.decode() == f"{path}: no documents\n"


def test_render_json_lines_and_lists(tmp_path: Path) -> None:
    one = json.dumps(json.loads(_GOOD))
    ids = ("--sender", "ZZ:WIDGETWORKS", "--receiver", "ZZ:ACMERETAIL")
    for name, text in [("a.jsonl", f"{one}\n{one}\n"), ("a.json", f"[{_GOOD}, {_GOOD}]")]:
        path = tmp_path / name
        path.write_text(text)
        proc = edigw("render", str(path), "--to", "x12:850", *ids)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.count(b"ST*850*") == 2
