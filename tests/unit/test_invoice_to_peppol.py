"""An 810 and an INVOIC carrying EN 16931 data become Peppol BIS 3 invoices.

The samples state everything EN 16931 asks of a buyer's invoice (names, addresses with
country, seller VAT number, line tax category and rate, tax subtotals, due date and
terms, totals); rendered as UBL (as ``edigw render --to ubl:Invoice`` does), the
official Peppol rule sets report no fatal assert.
"""

from __future__ import annotations

import datetime as dt

import pytest

import translators
from tests.conftest import OWN_SAMPLES
from tests.peppol import fatal_asserts
from translators import WriteSettings
from translators.model import PartyId


@pytest.mark.parametrize("sample", ["x12/810_full.x12", "edifact/invoic_full.edi"])
def test_sample_renders_as_a_valid_peppol_invoice(sample: str) -> None:
    (ix,) = translators.read((OWN_SAMPLES / sample).read_bytes())
    assert ix.status == "accepted"
    (doc,) = ix.documents
    settings = WriteSettings(
        sender=PartyId(id="5400000000003", qualifier="14"),
        receiver=PartyId(id="5412345678908", qualifier="14"),
        timestamp=dt.datetime(2024, 3, 12, 12, 0),
    )
    xml = translators.write([doc], target="ubl:Invoice", settings=settings)
    assert fatal_asserts(xml) == []
