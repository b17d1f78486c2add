"""The same business document in X12 and EDIFACT gives one canonical document.

samples/canonical/*.json is the reference; samples/x12/ and samples/edifact/ express it
in each syntax (UBL joins when the XML translator lands). Compared after dropping only
what a syntax cannot carry, on both sides: the envelope; the order purpose/type codes
(BEG01/02 vs BGM); line amounts on an X12 810 (no such element).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import translators
from tests.conftest import OWN_SAMPLES
from translators.model import Document

_CASES = {
    "order": (
        "x12/850.x12",
        "edifact/orders.edi",
        "x12/850_5010.x12",
        "edifact/orders_ung_groups.edi",
        "edifact/orders_custom_una.edi",
    ),
    "ship_notice": ("x12/856.x12", "edifact/desadv.edi"),
    "invoice": ("x12/810.x12", "edifact/invoic.edi"),
}


def _comparable(doc: Document, syntax: str) -> Document:
    changes: dict[str, object] = {"envelope": None}
    if doc.type == "purchase_order":
        changes.update(purpose=None, order_type=None)
    if doc.type == "invoice" and syntax == "x12":
        changes["lines"] = tuple(dataclasses.replace(ln, amount=None) for ln in doc.lines)
    return dataclasses.replace(doc, **changes)  # type: ignore[arg-type]


def _read_one(path: Path) -> Document:
    (ix,) = translators.read(path.read_bytes())
    assert ix.status == "accepted", [translators.format_issue(i, path.name) for i in ix.all_issues]
    (doc,) = ix.documents
    return doc


@pytest.mark.parametrize(
    ("name", "sample"), [(name, s) for name, samples in _CASES.items() for s in samples]
)
def test_sample_reads_to_the_reference(name: str, sample: str) -> None:
    reference = translators.from_json((OWN_SAMPLES / "canonical" / f"{name}.json").read_text())
    syntax = sample.split("/", maxsplit=1)[0]
    doc = _read_one(OWN_SAMPLES / sample)
    assert _comparable(doc, syntax) == _comparable(reference, syntax)


@pytest.mark.parametrize("name", sorted(_CASES))
def test_the_syntaxes_agree(name: str) -> None:
    x12 = _read_one(OWN_SAMPLES / _CASES[name][0])
    edifact = _read_one(OWN_SAMPLES / _CASES[name][1])
    assert _comparable(x12, "x12") == _comparable(edifact, "x12")
