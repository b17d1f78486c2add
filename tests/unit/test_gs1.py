"""GS1 keys: the check digit, its properties, and what readers and writers do with a bad
SSCC, GTIN or GLN in X12, EDIFACT and UBL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

import translators
from tests.conftest import OWN_SAMPLES
from translators import WriteSettings
from translators.gs1 import check_digit, gtin_problem, key_problem
from translators.model import Document, Pack, PartyId, ShipNotice

NOW = WriteSettings(
    timestamp=dt.datetime(2024, 3, 1, 12),
    sender=PartyId(id="WIDGETWORKS", qualifier="ZZ"),
    receiver=PartyId(id="ACMERETAIL", qualifier="ZZ"),
)
GOOD_SSCC, BAD_SSCC = "354123450000000014", "354123450000000019"
GOOD_GTIN, BAD_GTIN = "05412345000013", "05412345000018"


@pytest.mark.parametrize(
    ("scheme", "key"),
    [
        ("gtin", "4006381333931"),  # GTIN-13
        ("gtin", "96385074"),  # GTIN-8
        ("gtin", "036000291452"),  # GTIN-12 (UPC-A)
        ("gtin", "10614141000415"),  # GTIN-14
        ("upc", "036000291452"),
        ("gln", "5412345678908"),
        ("gln", "0614141000012"),
        ("sscc", "106141411234567897"),
        ("sscc", GOOD_SSCC),
    ],
)
def test_known_good_keys(scheme: str, key: str) -> None:
    assert key_problem(scheme, key) is None
    assert check_digit(key[:-1]) == key[-1]


@pytest.mark.parametrize(
    ("scheme", "key", "why"),
    [
        ("sscc", "106141411234567890", "has a wrong check digit (7 expected)"),
        ("gtin", "4006381333932", "has a wrong check digit (1 expected)"),
        ("gln", "541234567890", "is not a GLN: 12 digits where 13 are required"),
        ("gtin", "1122334455", "is not a GTIN: 10 digits where 8/12/13/14 are required"),
        ("upc", "4006381333931", "is not a UPC (GTIN-12): 13 digits where 12 are required"),
        ("sscc", "10614141123456789X", "is not a SSCC: digits 0-9 only"),
        ("gln", "٥٤١٢٣٤٥٦٧٨٩٠٨", "is not a GLN: digits 0-9 only"),  # Arabic-Indic digits
    ],
)
def test_bad_keys(scheme: str, key: str, why: str) -> None:
    assert key_problem(scheme, key) == why


def test_other_schemes_are_not_checked() -> None:
    assert key_problem("vendor", "WW-100") is None and key_problem("duns", "1") is None
    assert gtin_problem("4006381333931") is None
    with pytest.raises(ValueError, match="digits"):
        check_digit("12a")


_BODIES = st.sampled_from([7, 11, 12, 13, 17]).flatmap(
    lambda n: st.text(alphabet="0123456789", min_size=n, max_size=n)
)


@given(body=_BODIES)
def test_a_computed_check_digit_always_validates(body: str) -> None:
    key = body + check_digit(body)
    scheme = "sscc" if len(key) == 18 else "gtin"
    assert key_problem(scheme, key) is None


@given(body=_BODIES, data=st.data())
def test_changing_any_one_digit_always_fails(body: str, data: st.DataObject) -> None:
    key = body + check_digit(body)
    at = data.draw(st.integers(min_value=0, max_value=len(key) - 1))
    new = data.draw(st.sampled_from([d for d in "0123456789" if d != key[at]]))
    changed = key[:at] + new + key[at + 1 :]
    scheme = "sscc" if len(key) == 18 else "gtin"
    assert key_problem(scheme, changed) is not None


# -- reading ------------------------------------------------------------------------------


def _sample(relative: str, old: str, new: str, count: int = 1) -> bytes:
    text = (OWN_SAMPLES / relative).read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, count).encode()


def _read(data: bytes) -> translators.InterchangeResult:
    (ix,) = translators.read(data)
    return ix


def test_856_with_a_wrong_sscc_is_rejected_with_ak4_7() -> None:
    ix = _read(_sample("x12/856.x12", GOOD_SSCC, BAD_SSCC))
    (m,) = ix.messages
    assert m.status == "rejected" and m.document is None
    (issue,) = m.issues
    assert (issue.code, issue.severity, issue.segment_tag, issue.element) == (
        "7",
        "error",
        "MAN",
        2,
    )
    assert (issue.segment_index, issue.segment_number, issue.bad_value) == (13, 15, BAD_SSCC)
    assert issue.message == f"SSCC {BAD_SSCC} has a wrong check digit (4 expected)"
    ack = translators.build_ack(ix, kind="997", settings=NOW)
    assert ack is not None
    assert b"AK3*MAN*13*HL*8~AK4*2*127*7*354123450000000019~AK5*R*5~" in ack.replace(b"\n", b"")


def test_desadv_with_a_wrong_sscc_is_rejected_with_contrl_12() -> None:
    ix = _read(_sample("edifact/desadv.edi", GOOD_SSCC, BAD_SSCC))
    (m,) = ix.messages
    assert m.status == "rejected" and m.document is None
    (issue,) = m.issues
    where = (issue.segment_tag, issue.element, issue.component, issue.segment_index)
    assert (issue.code, issue.severity, *where) == ("12", "error", "GIN", 2, 1, 15)
    ack = translators.build_ack(ix, kind="CONTRL", settings=NOW)
    assert ack is not None and b"UCD+12+2:1'" in ack


def test_ubl_despatch_advice_with_a_wrong_sscc_is_rejected() -> None:
    ix = _read(_sample("xml/despatch_advice.xml", GOOD_SSCC, BAD_SSCC))
    (m,) = ix.messages
    assert m.status == "rejected" and m.document is None
    (issue,) = m.issues
    assert (issue.code, issue.severity) == ("check_digit", "error")
    assert issue.xpath is not None and issue.xpath.endswith("TransportHandlingUnit/cbc:ID")


@pytest.mark.parametrize(
    ("relative", "code", "where"),
    [
        ("x12/850.x12", "7", ("PO1", 7, None)),
        ("edifact/orders.edi", "12", ("LIN", 3, 1)),
        ("xml/order.xml", "check_digit", (None, None, None)),
    ],
)
def test_a_wrong_gtin_in_an_order_is_a_located_warning(
    relative: str, code: str, where: tuple[object, ...]
) -> None:
    ix = _read(_sample(relative, GOOD_GTIN, BAD_GTIN))
    assert ix.status == "accepted_with_errors"
    (doc,) = ix.documents
    assert doc.lines[0].product["gtin"] == BAD_GTIN  # the fact is still read
    (issue,) = ix.all_issues
    assert (issue.code, issue.severity, issue.bad_value) == (code, "warning", BAD_GTIN)
    assert (issue.segment_tag, issue.element, issue.component) == where
    if issue.xpath is not None:
        assert issue.xpath.endswith(
            "OrderLine[1]/cac:LineItem/cac:Item/cac:StandardItemIdentification/cbc:ID"
        )
    assert "has a wrong check digit (3 expected)" in issue.message


def test_a_wrong_gln_is_a_located_warning_and_the_997_says_e() -> None:
    ix = _read(_sample("x12/850.x12", "UL*5412345678908", "UL*5412345678901"))
    (issue,) = ix.all_issues
    assert (issue.code, issue.segment_tag, issue.element, issue.severity) == (
        "7",
        "N1",
        4,
        "warning",
    )
    ack = translators.build_ack(ix, kind="997", settings=NOW)
    assert ack is not None and b"AK5*E~" in ack.replace(b"\n", b"")
    contrl = _read(_sample("edifact/orders.edi", "5412345678908::9", "5412345678901::9"))
    (issue,) = contrl.all_issues
    assert (issue.code, issue.segment_tag, issue.element, issue.component) == ("12", "NAD", 2, 1)


def test_a_ups_upc_is_a_gtin_12() -> None:
    good = _sample("x12/850.x12", "EN*05412345000013", "UP*036000291452")
    assert _read(good).status == "accepted"
    bad = _read(_sample("x12/850.x12", "EN*05412345000013", "UP*036000291453"))
    (issue,) = bad.all_issues
    assert issue.message == "UPC 036000291453 has a wrong check digit (2 expected)"


OWN = sorted(p for p in OWN_SAMPLES.rglob("*") if p.suffix in (".x12", ".edi", ".xml"))


@pytest.mark.parametrize("path", OWN, ids=lambda p: str(p.relative_to(OWN_SAMPLES)))
def test_our_samples_carry_valid_gs1_keys(path: Path) -> None:
    try:
        results = translators.read(path.read_bytes())
    except translators.TranslationError:
        return  # samples/*/invalid: not readable at all
    issues = [i for ix in results for i in ix.all_issues if "check digit" in i.message]
    assert issues == []


# -- writing ------------------------------------------------------------------------------


def _canonical(name: str) -> Document:
    return translators.from_json((OWN_SAMPLES / "canonical" / name).read_bytes())


@pytest.mark.parametrize("target", ["x12:856", "edifact:DESADV", "ubl:DespatchAdvice"])
def test_render_refuses_a_wrong_sscc(target: str) -> None:
    doc = _canonical("ship_notice.json")
    assert isinstance(doc, ShipNotice)
    translators.write([doc], target=target, settings=NOW)  # the sample itself is valid
    packs = (Pack(sscc="106141411234567890", contents=doc.packs[0].contents), *doc.packs[1:])
    bad = msgspec.structs.replace(doc, packs=packs)
    with pytest.raises(translators.RenderError) as caught:
        translators.write([bad], target=target, settings=NOW)
    assert (
        str(caught.value)
        == "packs[0].sscc: 106141411234567890 has a wrong check digit (7 expected)"
    )
    assert caught.value.field == "packs[0].sscc"


@pytest.mark.parametrize("target", ["x12:850", "edifact:ORDERS", "ubl:Order"])
def test_render_refuses_a_wrong_gtin_or_gln(target: str) -> None:
    # a Peppol order (ubl:Order) needs what the X12/EDIFACT reference lacks (seller address)
    doc = _canonical("order_peppol.json" if target == "ubl:Order" else "order.json")
    translators.write([doc], target=target, settings=NOW)
    line = msgspec.structs.replace(doc.lines[1], product={"gtin": BAD_GTIN})
    bad = msgspec.structs.replace(doc, lines=(doc.lines[0], line))
    with pytest.raises(translators.RenderError, match=r"^lines\[1\]\.product\[gtin\]: "):
        translators.write([bad], target=target, settings=NOW)
    buyer = msgspec.structs.replace(doc.parties["buyer"], ids={"gln": "5412345678901"})
    bad = msgspec.structs.replace(doc, parties={**doc.parties, "buyer": buyer})
    with pytest.raises(translators.RenderError) as caught:
        translators.write([bad], target=target, settings=NOW)
    assert caught.value.field == "parties[buyer].ids[gln]"
