"""read -> write -> read for EDIFACT, charsets and release characters, and CONTRL."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import translators
from tests.conftest import OWN_SAMPLES, public_samples
from tests.unit.x12.strategies import invoices, purchase_orders, ship_notices
from translators import Delimiters, WriteSettings
from translators.model import Document, Line, Party, PartyId

_TARGET = {
    "purchase_order": "edifact:ORDERS",
    "order_response": "edifact:ORDRSP",
    "ship_notice": "edifact:DESADV",
    "invoice": "edifact:INVOIC",
}
_SETTINGS = WriteSettings(
    sender=PartyId(id="5400000000003", qualifier="14"),
    receiver=PartyId(id="5412345678908", qualifier="14"),
    timestamp=dt.datetime(2024, 5, 6, 7, 8),
    interchange_control=9,
    charset="UNOY",
)


def _bare(doc: Document) -> Document:
    changes: dict[str, object] = {"envelope": None}
    if doc.type == "purchase_order":
        changes["order_type"] = None  # the BGM document code (220) has no X12/UBL twin
    return msgspec.structs.replace(doc, **changes)  # type: ignore[arg-type]


def _again(doc: Document, **kw: object) -> Document:
    data = translators.write(
        [doc], target=_TARGET[doc.type], settings=dataclasses.replace(_SETTINGS, **kw)
    )  # type: ignore[arg-type]
    (ix,) = translators.read(data)
    assert ix.status == "accepted", [translators.format_issue(i, "rt") for i in ix.all_issues]
    (back,) = ix.documents
    return back


def _samples() -> list[tuple[str, Document]]:
    files = [*public_samples("edifact"), *sorted((OWN_SAMPLES / "edifact").glob("*.edi"))]
    out = []
    for path in files:
        for ix in translators.read(Path(path).read_bytes()):
            if ix.status == "accepted":
                out += [(path.name, d) for d in ix.documents if d.type in _TARGET]
    return out


@pytest.mark.parametrize(("name", "doc"), _samples(), ids=lambda v: v if isinstance(v, str) else "")
def test_samples_round_trip(name: str, doc: Document) -> None:
    # written back in the directory it came in: a D03B description of 74 characters (IMD
    # 7008 an..256) is too long for D96A (an..35)
    version = doc.envelope.version if doc.envelope else None
    assert _bare(_again(doc, version=version)) == _bare(doc)


def _expressible(doc: Document) -> Document:
    """The shared strategies' X12-only parts in EDIFACT terms: no 'sku' item type, no
    carrier service level, references under the edifact prefix (a writer leaves other
    syntaxes' references out)."""

    def fix(line: Line) -> Line:
        return msgspec.structs.replace(
            line,
            product={k: v for k, v in line.product.items() if k != "sku"}
            or {"gtin": "4006381333931"},
        )

    packs = tuple(
        msgspec.structs.replace(p, contents=tuple(fix(c) for c in p.contents))
        for p in getattr(doc, "packs", ())
    )
    extra: dict[str, object] = {}
    if doc.type == "ship_notice":  # DESADV here carries carrier id, not its service level
        shipment = getattr(doc, "shipment", None)
        extra = {
            "packs": packs,
            "shipment": shipment and msgspec.structs.replace(shipment, service=None),
        }
    if doc.type == "invoice":  # TAX C241 5153 is an..3: "VAT" fits, X12's "sales" does not
        extra["taxes"] = tuple(
            msgspec.structs.replace(t, category="VAT") if len(t.category or "") > 3 else t
            for t in getattr(doc, "taxes", ())
        )
    refs = {k.replace("x12:", "edifact:"): v for k, v in doc.references.items()}
    return msgspec.structs.replace(
        doc, lines=tuple(fix(ln) for ln in doc.lines), references=refs, **extra
    )  # type: ignore[arg-type]


_NAMES = st.text(alphabet=st.sampled_from("AbcÄöüßÆøéĀŁ?'+: *-"), min_size=1, max_size=24)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=purchase_orders | invoices() | ship_notices(), name=_NAMES)
def test_generated_documents_round_trip_with_release_characters(doc: Document, name: str) -> None:
    doc = _expressible(
        msgspec.structs.replace(
            doc, parties={"buyer": Party(name=name, ids={"gln": "5412345678908"})}
        )
    )
    assert _bare(_again(doc)) == _bare(doc)


@settings(max_examples=20, deadline=None)
@given(doc=purchase_orders)
def test_round_trip_latin1_and_a_custom_una(doc: Document) -> None:
    doc = _expressible(
        msgspec.structs.replace(doc, parties={"buyer": Party(name="Kälte?+Söhne: Ø'")})
    )
    # what UNOC (Latin-1) can hold: other letters become "x"
    doc = translators.from_json(
        "".join(c if ord(c) < 256 else "x" for c in translators.to_json(doc))
    )
    odd = Delimiters(component="|", element="^", decimal=".", release="\\", segment="~")
    assert _bare(_again(doc, charset="UNOC", delimiters=odd)) == _bare(doc)


def test_non_latin1_text_in_unoc_is_a_render_error() -> None:
    doc = translators.from_json((OWN_SAMPLES / "canonical" / "order.json").read_text())
    doc = msgspec.structs.replace(doc, parties={"buyer": Party(name="Łódź")})
    with pytest.raises(translators.RenderError, match="UNOY"):
        _again(doc, charset="UNOC")


ACK = WriteSettings(
    interchange_control=77, message_control=1, timestamp=dt.datetime(2024, 3, 2, 8, 30)
)


def test_positive_contrl_mirrors_the_envelope() -> None:
    (ix,) = translators.read((OWN_SAMPLES / "edifact" / "orders.edi").read_bytes())
    contrl = translators.build_ack(ix, kind="CONTRL", settings=ACK)
    assert contrl is not None
    text = contrl.decode()
    assert "UNB+UNOC:3+5400000000003:14+5412345678908:14+" in text
    assert "UCI+3001+5412345678908:14+5400000000003:14+7'" in text and "UCM" not in text
    (back,) = translators.read(contrl)
    (doc,) = back.documents
    assert doc.status == "accepted" and doc.acknowledges[0].control == "3001"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # UCS counts segments from UNH = 1 (QTY is the 13th segment of the file)
        ("letter_in_number.edi", "UCM+1+ORDERS:D:96A:UN+4'UCS+12'UCD+37+1:2'"),
        ("bad_decimal.edi", "UCM+1+ORDERS:D:96A:UN+4'UCS+12'UCD+19+1:2'"),
        # D96A IMD C273 has six components (3453 language last): the 7th is one too many
        ("unreleased_colon.edi", "UCM+1+ORDERS:D:96A:UN+4'UCS+11'UCD+16+3:7'"),
        ("unt_count.edi", "UCM+1+ORDERS:D:96A:UN+4+29'"),
        ("unz_reference.edi", "UCI+3001+5412345678908:14+5400000000003:14+4+28'"),
    ],
)
def test_negative_contrl(name: str, expected: str) -> None:
    (ix,) = translators.read((OWN_SAMPLES / "edifact" / "invalid" / name).read_bytes())
    contrl = translators.build_ack(ix, kind="CONTRL", settings=ACK)
    assert contrl is not None and expected in contrl.decode()
    (back,) = translators.read(contrl)
    assert back.status == "accepted"  # a well-formed CONTRL that reports a rejection
