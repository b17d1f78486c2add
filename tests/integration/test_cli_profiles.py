"""`edigw render` / `translate` with `--partner`: the interchange addressed from
gateway.toml and the partner's profile, as the gateway would send it."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest

import translators
from tests.conftest import OWN_SAMPLES
from tests.integration.conftest import write_config
from tests.integration.test_cli_behaviour import edigw

CANONICAL = OWN_SAMPLES / "canonical"


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """Our side WIDGETWORKS / 5400000000003:14; acme (X12, active) and eurofoods (EDIFACT,
    in test) as partners."""
    path = write_config(tmp_path)
    text = path.read_text().replace(
        "[jobs]", '[edifact]\nid = "5400000000003"\nqualifier = "14"\n[jobs]'
    )
    path.write_text(text)
    (tmp_path / "partners" / "eurofoods.toml").write_bytes(
        (OWN_SAMPLES.parent / "partners" / "eurofoods.toml").read_bytes()
    )
    return path


def test_render_x12_addressed_from_the_profile(config: Path) -> None:
    order = str(CANONICAL / "order.json")
    proc = edigw("render", order, "--to", "x12:850", "--partner", "acme", "--config", str(config))
    assert proc.returncode == 0, proc.stderr
    isa, gs = proc.stdout.split("~")[:2]
    fields = isa.split("*")
    assert (fields[5], fields[6].strip(), fields[7], fields[8].strip()) == (
        "ZZ",
        "WIDGETWORKS",
        "ZZ",
        "ACMERETAIL",
    )
    assert fields[12] == "00401" and fields[15] == "P"  # acme is active
    assert gs.split("*")[2:4] == ["WIDGETWORKS", "ACMERETAIL"] and gs.endswith("*004010")
    (ix,) = translators.read(proc.stdout.encode())
    assert ix.status == "accepted" and ix.documents[0].number == "PO-2024-0042"


def test_render_edifact_takes_target_version_charset_and_test_flag_from_the_profile(
    config: Path,
) -> None:
    proc = edigw(
        "render",
        str(CANONICAL / "ship_notice.json"),
        "--partner",
        "eurofoods",
        "--config",
        str(config),
    )  # no --to: the profile's outbound ship_notice
    assert proc.returncode == 0, proc.stderr
    unb, unh = proc.stdout.split("'")[:2]
    assert unb.startswith("UNB+UNOC:3+5400000000003:14+8711576000012:14+")
    assert unb.endswith("+1")  # eurofoods is in test: UNB 0035
    assert unh == "UNH+1+DESADV:D:96A:UN"


def test_render_without_ids_names_the_options() -> None:
    proc = edigw("render", str(CANONICAL / "order.json"), "--to", "x12:850")
    assert proc.returncode == 1
    assert "--sender/--receiver" in proc.stderr and "--partner" in proc.stderr


def test_a_partner_without_that_syntax_is_refused(config: Path) -> None:
    proc = edigw(
        "render",
        str(CANONICAL / "order.json"),
        "--to",
        "edifact:ORDERS",
        "--partner",
        "acme",
        "--config",
        str(config),
    )
    assert proc.returncode == 1 and "partner 'acme' has no [edifact]" in proc.stderr


def test_ubl_credit_note_target(tmp_path: Path) -> None:
    credit = edigw("render", str(CANONICAL / "peppol_credit_note.json"), "--to", "ubl:CreditNote")
    assert credit.returncode == 0, credit.stderr
    assert "<CreditNote xmlns=" in credit.stdout and "<cbc:CreditNoteTypeCode>381" in credit.stdout
    # an invoice is not turned into a credit note (nor the reverse): the kind is the JSON's
    refused = edigw("render", str(CANONICAL / "peppol_invoice.json"), "--to", "ubl:CreditNote")
    assert refused.returncode == 1 and refused.stdout == ""
    assert "invoice_kind 'invoice'" in refused.stderr and "--to ubl:Invoice" in refused.stderr


def test_backordered_855_line_renders_to_ordrsp(tmp_path: Path) -> None:
    read = edigw("translate", str(OWN_SAMPLES / "x12" / "855.x12"))
    assert read.returncode == 0, read.stderr
    doc = json.loads(read.stdout)
    statuses = [line["status"] for line in doc["lines"]]
    assert "backordered" in statuses
    source = tmp_path / "855.json"
    source.write_text(read.stdout)
    proc = edigw(
        "render",
        str(source),
        "--to",
        "edifact:ORDRSP",
        "--sender",
        "14:5400000000003",
        "--receiver",
        "14:5412345678908",
    )
    assert proc.returncode == 0, proc.stderr
    lins = [s for s in proc.stdout.split("'") if s.startswith("LIN+")]
    codes = {"accepted": "5", "accepted_with_changes": "3", "backordered": "3", "rejected": "7"}
    assert [s.split("+")[2] for s in lins] == [codes[s] for s in statuses]


@pytest.mark.parametrize(
    ("target", "bad", "named"),
    [
        ("x12:850", "009999", "004010, 005010"),
        ("edifact:ORDERS", "D99Z", "D93A to D24A"),
        ("edifact:ORDERS", "D25A", "D93A to D24A"),
    ],
)
def test_an_unknown_version_names_the_versions_we_write(target: str, bad: str, named: str) -> None:
    proc = edigw(
        "render",
        str(CANONICAL / "order.json"),
        "--to",
        target,
        "--version",
        bad,
        "--sender",
        "14:5400000000003",
        "--receiver",
        "14:5412345678908",
    )
    assert proc.returncode == 1 and proc.stdout == ""
    assert f"--version {bad}" in proc.stderr and named in proc.stderr


def test_the_unknown_target_hint_lists_only_targets_that_exist() -> None:
    proc = edigw("render", str(CANONICAL / "order.json"), "--to", "cxml:Invoice")
    assert proc.returncode == 1
    unknown = edigw("render", str(CANONICAL / "order.json"), "--to", "edi:850")
    listed = unknown.stderr.rsplit("use one of ", 1)[1].strip().split(", ")
    assert listed == list(translators.write_targets())
    assert "ubl:CreditNote" in listed and "cxml:Invoice" not in listed
    for target in listed:  # each one a writer knows: refused for the document, not unknown
        tried = edigw(
            "render",
            str(CANONICAL / "order.json"),
            "--to",
            target,
            "--sender",
            "14:5400000000003",
            "--receiver",
            "14:5412345678908",
        )
        assert "unknown target" not in tried.stderr and "cannot write" not in tried.stderr


def test_translate_checks_the_partner_profile(config: Path) -> None:
    order = str(OWN_SAMPLES / "x12" / "850.x12")
    ok = edigw("translate", order, "--partner", "acme", "--config", str(config))
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["number"] == "PO-2024-0042"
    other = edigw("translate", order, "--partner", "eurofoods", "--config", str(config))
    assert other.returncode == 1
    assert "does not belong to partner 'eurofoods' [006]" in other.stderr
    unknown = edigw("translate", order, "--partner", "nobody", "--config", str(config))
    assert unknown.returncode == 2 and "no partner 'nobody'" in unknown.stderr


def _with_key(config: Path, partner: str, after: str, line: str) -> None:
    """Add ``line`` to the partner's profile below the line ``after``."""
    profile = config.parent / "partners" / f"{partner}.toml"
    text = profile.read_text()
    assert after in text
    profile.write_text(text.replace(after, f"{after}\n{line}", 1))


def _rendered(config: Path, source: str, target: str, partner: str) -> str:
    proc = edigw(
        "render",
        str(CANONICAL / source),
        "--to",
        target,
        "--partner",
        partner,
        "--config",
        str(config),
        "--control",
        "7",
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _document(data: str) -> translators.Document:
    (ix,) = translators.read(data.encode())
    assert ix.status == "accepted", ix.all_issues
    (doc,) = ix.documents
    return msgspec.structs.replace(doc, envelope=None)


def test_render_x12_with_the_partners_delimiters(config: Path) -> None:
    plain = _rendered(config, "order.json", "x12:850", "acme")
    _with_key(config, "acme", 'version = "004010"', 'delimiters = "|^!"')
    out = _rendered(config, "order.json", "x12:850", "acme")
    assert out.startswith("ISA|") and out[104:106] == "^!" and "~" not in out
    assert out.split("!\n")[1].startswith("GS|PO|WIDGETWORKS|ACMERETAIL|")
    ix = translators.read(out.encode())[0]
    assert ix.delimiters is not None
    assert (ix.delimiters.element, ix.delimiters.component, ix.delimiters.segment) == tuple("|^!")
    assert _document(out) == _document(plain)


def test_x12_005010_delimiters_take_the_repetition_separator(config: Path) -> None:
    _with_key(config, "acme", 'version = "004010"', 'delimiters = "|^!{"')
    text = (config.parent / "partners" / "acme.toml").read_text()
    (config.parent / "partners" / "acme.toml").write_text(text.replace("004010", "005010"))
    out = _rendered(config, "order.json", "x12:850", "acme")
    isa = out.split("!")[0].split("|")
    assert isa[11] == "{" and isa[12] == "00501"
    assert translators.read(out.encode())[0].status == "accepted"


def test_render_edifact_with_the_partners_una(config: Path) -> None:
    plain = _rendered(config, "order.json", "edifact:ORDERS", "eurofoods")
    _with_key(config, "eurofoods", "[edifact]", 'delimiters = "/|.! #"')
    out = _rendered(config, "order.json", "edifact:ORDERS", "eurofoods")
    assert out.startswith("UNA/|.! #UNB|UNOC/3|5400000000003/14|8711576000012/14|")
    assert "'" not in out and out.count("#") == plain.count("'") + 1  # +1: the UNA's own
    ix = translators.read(out.encode())[0]
    assert ix.delimiters is not None and ix.delimiters.release == "!"
    assert _document(out) == _document(plain)


@pytest.mark.parametrize(
    ("partner", "after", "value", "why"),
    [
        ("acme", 'version = "004010"', '"|^"', "must be 3 or 4 characters"),
        ("acme", 'version = "004010"', '"|^!!"', "'!' is used twice"),
        ("acme", 'version = "004010"', '"X^!"', "'X' cannot be the element separator"),
        ("acme", 'version = "004010"', '" ^!"', "' ' cannot be the element separator"),
        ("eurofoods", "[edifact]", '":+.?\'"', "must be the 6 characters of a UNA"),
        ("eurofoods", "[edifact]", '":+.?*\'"', "the 5th character is reserved"),
        ("eurofoods", "[edifact]", '":+;? \'"', "the decimal mark (3rd) must be"),
        ("eurofoods", "[edifact]", '":+.  \'"', "' ' cannot be the release separator"),
        ("eurofoods", "[edifact]", '"::.? \'"', "':' is used twice"),
    ],
)
def test_bad_delimiters_are_a_located_profile_error(
    config: Path, partner: str, after: str, value: str, why: str
) -> None:
    _with_key(config, partner, after, f"delimiters = {value}")
    target = "x12:850" if partner == "acme" else "edifact:ORDERS"
    proc = edigw(
        "render",
        str(CANONICAL / "order.json"),
        "--to",
        target,
        "--partner",
        partner,
        "--config",
        str(config),
    )
    assert proc.returncode == 1 and proc.stdout == ""
    section = "x12" if partner == "acme" else "edifact"
    assert f"{partner}.toml: {section}.delimiters: " in proc.stderr and why in proc.stderr


def test_005010_needs_a_repetition_separator_among_the_delimiters(config: Path) -> None:
    _with_key(config, "acme", 'version = "004010"', 'delimiters = "|^!"')
    order = str(CANONICAL / "order.json")
    args = ("render", order, "--to", "x12:850", "--partner", "acme", "--config", str(config))
    proc = edigw(*args, "--version", "005010")  # the profile says 004010: loaded, refused here
    assert proc.returncode == 1 and proc.stdout == ""
    assert "ISA11" in proc.stderr and "4th character" in proc.stderr
    profile = config.parent / "partners" / "acme.toml"
    profile.write_text(profile.read_text().replace("004010", "005010"))
    proc = edigw(*args)
    assert proc.returncode == 1 and "acme.toml: x12.delimiters: " in proc.stderr
