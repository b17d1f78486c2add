"""The official Peppol rule sets (../shared/validators) run on documents we write.

A document passes when its rule sets report no fatal assert. The rules are compiled
schematron (XSLT 3), run with Saxon; each stylesheet is compiled once per test session.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from tests.conftest import ROOT

VALIDATORS = Path(os.environ.get("EDI_VALIDATORS", ROOT.parent / "shared" / "validators")).resolve()
BILLING = ("peppol-bis3/EN16931-UBL-validation.xslt", "peppol-bis3/PEPPOL-EN16931-UBL.xslt")
#: post-award rule set by document root (an order agreement is an OrderResponse whose
#: CustomizationID names BIS 42)
POST_AWARD = {
    "Order": "peppol-poacc/PEPPOLBIS-T01.xslt",
    "OrderResponse": "peppol-poacc/PEPPOLBIS-T76.xslt",
    "OrderAgreement": "peppol-poacc/PEPPOLBIS-T110.xslt",
    "DespatchAdvice": "peppol-poacc/PEPPOLBIS-T16.xslt",
}
SVRL = "{http://purl.oclc.org/dsdl/svrl}"


def examples(folder: str) -> list[Path]:
    """The official example documents of one rule set folder (empty when absent)."""
    base = VALIDATORS / folder / "examples"
    return sorted(base.glob("*.xml")) if base.is_dir() else []


@functools.cache
def _processor() -> Any:
    saxonche = pytest.importorskip("saxonche")
    return saxonche.PySaxonProcessor(license=False)


@functools.cache
def _compiled(relative: str) -> Any:
    path = VALIDATORS / relative
    if not path.is_file():
        pytest.skip(f"Peppol rules {relative} not available at {VALIDATORS}")
    return _processor().new_xslt30_processor().compile_stylesheet(stylesheet_file=str(path))


def rule_sets(xml: bytes) -> tuple[str, ...]:
    """The rule sets that apply to ``xml``, chosen by its root (and CustomizationID)."""
    root = etree.fromstring(xml)
    name = etree.QName(root).localname
    if name in ("Invoice", "CreditNote"):
        return BILLING
    customization = root.findtext("{*}CustomizationID") or ""
    if name == "OrderResponse" and "order_agreement" in customization:
        name = "OrderAgreement"
    if name not in POST_AWARD:
        raise ValueError(f"no Peppol rule set for a {name}")
    return (POST_AWARD[name],)


def fatal_asserts(xml: bytes) -> list[str]:
    """``RULE-ID: text`` of every fatal assert the applicable rule sets report."""
    node = _processor().parse_xml(xml_text=xml.decode("utf-8"))
    out: list[str] = []
    for relative in rule_sets(xml):
        report = etree.fromstring(_compiled(relative).transform_to_string(xdm_node=node).encode())
        for failed in report.iter(f"{SVRL}failed-assert"):
            if (failed.get("flag") or "fatal") == "fatal":
                message = " ".join(failed.findtext(f"{SVRL}text", "").split())
                out.append(f"{failed.get('id')}: {message}")
    return out
