"""Named dates are written with their DTM 2005 code, and one EDIFACT has no code for is
refused by name rather than written as a code it is not."""

from __future__ import annotations

import datetime as dt

import msgspec
import pytest

import translators
from tests.conftest import OWN_SAMPLES
from translators import RenderError, WriteSettings
from translators.model import PartyId

SETTINGS = WriteSettings(
    sender=PartyId(id="5400000000003", qualifier="14"),
    receiver=PartyId(id="5412345678908", qualifier="14"),
    timestamp=dt.datetime(2024, 3, 2, 9),
)
RESPONSE = translators.from_json((OWN_SAMPLES / "canonical" / "order_response.json").read_text())


def test_a_promised_delivery_date_is_dtm_69_and_reads_back() -> None:
    data = translators.write([RESPONSE], target="edifact:ORDRSP", settings=SETTINGS)
    assert b"DTM+69:20240315:102'" in data
    (back,) = translators.read(data)[0].documents
    assert back.dates["promised_delivery"] == dt.date(2024, 3, 15)


def test_a_date_without_an_edifact_code_is_refused_by_name() -> None:
    doc = msgspec.structs.replace(
        RESPONSE, dates={**RESPONSE.dates, "promised_delivery_end": dt.date(2024, 3, 20)}
    )
    with pytest.raises(RenderError, match=r"dates\.promised_delivery_end: EDIFACT has no"):
        translators.write([doc], target="edifact:ORDRSP", settings=SETTINGS)
