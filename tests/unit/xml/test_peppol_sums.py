"""Amounts that do not add up are refused before a Peppol access point refuses them: the
writers run the rules' own arithmetic (PEPPOL-EN16931-R120, BR-CO-10..17, T01-R024) on
what the document states, and name each amount that is off."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import msgspec
import pytest

import translators
from tests.conftest import OWN_SAMPLES
from tests.peppol import fatal_asserts
from translators import RenderError, WriteSettings
from translators.model import Document

NOW = WriteSettings(timestamp=dt.datetime(2024, 3, 1, 12))


def _load(name: str) -> Document:
    return translators.from_json((OWN_SAMPLES / "canonical" / name).read_text())


def _line(doc: Document, n: int, **changes: object) -> Document:
    lines = list(doc.lines)
    lines[n] = msgspec.structs.replace(lines[n], **changes)
    return msgspec.structs.replace(doc, lines=tuple(lines))


@pytest.mark.parametrize(
    ("name", "target"),
    [("peppol_invoice.json", "ubl:Invoice"), ("order_peppol.json", "ubl:Order")],
)
def test_the_complete_samples_add_up(name: str, target: str) -> None:
    data = translators.write([_load(name)], target=target, settings=NOW)
    assert fatal_asserts(data) == []


@pytest.mark.parametrize(
    ("name", "target"),
    [("peppol_invoice.json", "ubl:Invoice"), ("order_peppol.json", "ubl:Order")],
)
def test_a_line_amount_that_is_not_quantity_times_price_is_refused(name: str, target: str) -> None:
    doc = _line(_load(name), 0, amount=D("999.00"))
    with pytest.raises(RenderError) as err:
        translators.write([doc], target=target, settings=NOW)
    assert err.value.field == "lines[0].amount"
    assert "lines[0].amount (999.00 != 111.00)" in str(err.value)


def test_a_line_total_that_is_not_the_sum_of_the_lines_is_refused() -> None:
    doc = _load("peppol_invoice.json")
    assert doc.totals is not None
    doc = msgspec.structs.replace(doc, totals=msgspec.structs.replace(doc.totals, lines=D("1")))
    with pytest.raises(RenderError, match=r"totals\.lines \(1 != 311\.00\)"):
        translators.write([doc], target="ubl:Invoice", settings=NOW)


def test_repeated_line_ids_are_refused() -> None:
    doc = _line(_load("order_peppol.json"), 1, line_no="1")
    with pytest.raises(RenderError, match=r"lines\[1\]\.line_no \('1' is also lines\[0\]'s id\)"):
        translators.write([doc], target="ubl:Order", settings=NOW)
