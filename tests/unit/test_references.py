"""Contract, quotation and project references read to the same canonical keys in every
syntax (UBL Contract / QuotationDocumentReference / ProjectReference, X12 REF CT/PR/PJ,
EDIFACT RFF CT/AAG/AEP) and written back where they came from."""

from __future__ import annotations

import datetime as dt

import pytest

import translators
from tests.conftest import OWN_SAMPLES
from translators import WriteSettings
from translators.model import PartyId

REFERENCES = {"contract": "C-77", "quotation": "Q-12", "project": "P-3"}
SETTINGS = WriteSettings(
    sender=PartyId(id="ACMERETAIL", qualifier="ZZ"),
    receiver=PartyId(id="WIDGETWORKS", qualifier="ZZ"),
    timestamp=dt.datetime(2024, 3, 1, 12),
)


@pytest.mark.parametrize(
    ("target", "segments"),
    [
        ("x12:850", [b"REF*CT*C-77~", b"REF*PR*Q-12~", b"REF*PJ*P-3~"]),
        ("edifact:ORDERS", [b"RFF+CT:C-77'", b"RFF+AAG:Q-12'", b"RFF+AEP:P-3'"]),
    ],
)
def test_references_travel_between_syntaxes(target: str, segments: list[bytes]) -> None:
    order = translators.from_json((OWN_SAMPLES / "canonical" / "order.json").read_text())
    order = order.__class__(**{**_fields(order), "references": REFERENCES})
    data = translators.write([order], target=target, settings=SETTINGS)
    for segment in segments:
        assert segment in data.replace(b"\n", b"").replace(b"\r", b"")
    (back,) = translators.read(data)[0].documents
    assert back.references == REFERENCES


def _fields(doc: object) -> dict[str, object]:
    return {f: getattr(doc, f) for f in doc.__struct_fields__}  # type: ignore[attr-defined]


@pytest.mark.parametrize("target", ["x12:856", "edifact:DESADV"])
def test_a_line_detail_the_syntax_has_no_place_for_is_refused(target: str) -> None:
    notice = translators.from_json((OWN_SAMPLES / "canonical" / "ship_notice.json").read_text())
    line = notice.lines[0].__class__(**{**_fields(notice.lines[0]), "trace_id": "T-1"})
    notice = notice.__class__(**{**_fields(notice), "lines": (line, *notice.lines[1:])})
    with pytest.raises(translators.RenderError, match=r"trace_id: .* has no place for it"):
        translators.write([notice], target=target, settings=SETTINGS)
