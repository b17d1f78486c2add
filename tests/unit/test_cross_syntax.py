"""The same business document in X12, EDIFACT and UBL gives one canonical document.

samples/canonical/*.json is the reference; samples/x12/, samples/edifact/ and
samples/xml/ express it in each syntax (and a partner dialect through its XSLT). Compared
after dropping only what a syntax cannot carry, on both sides: the envelope; the order
purpose/type codes (BEG01/02 vs BGM, none in UBL); line amounts on an X12 810 (no such
element); UBL's PayableAmount, which UBL makes mandatory and the others do not state.
"""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

import translators
from tests.conftest import OWN_SAMPLES
from translators.model import Document

_CASES = {  # the first three: X12, EDIFACT, UBL; then variants of the same document
    "order": (
        "x12/850.x12",
        "edifact/orders.edi",
        "xml/order.xml",
        "x12/850_5010.x12",
        "edifact/orders_ung_groups.edi",
        "edifact/orders_custom_una.edi",
    ),
    "ship_notice": ("x12/856.x12", "edifact/desadv.edi", "xml/despatch_advice.xml"),
    "invoice": ("x12/810.x12", "edifact/invoic.edi", "xml/invoice.xml"),
}


def _comparable(doc: Document, syntax: str) -> Document:
    changes: dict[str, object] = {"envelope": None}
    if doc.type == "purchase_order":
        changes.update(purpose=None, order_type=None)
    if doc.type == "invoice" and syntax == "x12":
        changes["lines"] = tuple(msgspec.structs.replace(ln, amount=None) for ln in doc.lines)
    if doc.totals is not None:
        changes["totals"] = msgspec.structs.replace(doc.totals, payable=None)
    return msgspec.structs.replace(doc, **changes)  # type: ignore[arg-type]


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
def test_the_three_syntaxes_agree(name: str) -> None:
    docs = [_comparable(_read_one(OWN_SAMPLES / s), "x12") for s in _CASES[name][:3]]
    assert docs[0] == docs[1] == docs[2]


def test_a_partner_dialect_reads_to_the_same_order() -> None:
    from translators import xml

    dialect = OWN_SAMPLES / "xml" / "dialect"
    (ix,) = xml.read(
        (dialect / "partner_order.xml").read_bytes(),
        inbound_xslt=xml.xslt((dialect / "to_ubl.xsl").read_bytes()),
    )
    (doc,) = ix.documents
    reference = translators.from_json((OWN_SAMPLES / "canonical" / "order.json").read_text())
    # the dialect carries no ship-to, delivery date or total: compare what it does carry
    assert _comparable(doc, "xml") == _comparable(
        msgspec.structs.replace(
            reference,
            parties={k: v for k, v in reference.parties.items() if k != "ship_to"},
            dates={},
            totals=None,
        ),
        "xml",
    )
