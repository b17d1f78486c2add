"""INVOIC <-> canonical for the EN 16931 data: party VAT and address, line and summary
taxes, payment, allowances and charges, totals. Each mapping both ways."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

import translators
from tests.conftest import OWN_SAMPLES, public_sample
from translators import WriteSettings
from translators.edifact.invoice import read_invoice
from translators.edifact.tokenizer import tokenize
from translators.model import (
    Address,
    AllowanceCharge,
    Invoice,
    Line,
    PartyId,
    Payment,
    Tax,
    Totals,
)

_SETTINGS = WriteSettings(
    sender=PartyId(id="US", qualifier="ZZ"),
    receiver=PartyId(id="THEM", qualifier="ZZ"),
    timestamp=dt.datetime(2024, 5, 6, 7, 8),
)
_FULL = OWN_SAMPLES / "edifact" / "invoic_full.edi"


def _read(data: bytes) -> Invoice:
    (ix,) = translators.read(data)
    assert ix.status == "accepted", [translators.format_issue(i, "INVOIC") for i in ix.all_issues]
    (doc,) = ix.documents
    assert isinstance(doc, Invoice)
    return doc


def _public(name: str) -> Invoice:
    (ix,) = translators.read(public_sample(f"edifact/{name}").read_bytes())
    (doc,) = ix.documents
    assert isinstance(doc, Invoice)
    return doc


def _invoic(*body: str) -> bytes:
    segments = ["UNH+1+INVOIC:D:96A:UN", "BGM+380+INV1+9", *body]
    segments.append(f"UNT+{len(segments) + 1}+1")
    text = "'".join(["UNB+UNOC:3+THEM:ZZ+US:ZZ+240312:1200+1", *segments, "UNZ+1+1"]) + "'"
    return text.encode()


def _again(doc: Invoice) -> Invoice:
    return _read(translators.write([doc], target="edifact:INVOIC", settings=_SETTINGS))


def test_the_full_sample_carries_what_en16931_needs() -> None:
    doc = _read(_FULL.read_bytes())
    seller = doc.parties["seller"]
    assert seller.ids == {"gln": "5400000000003", "vat": "BE0477472701"}
    assert seller.address == Address(
        street="Industrieweg 12", city="Gent", postal_code="9000", country="BE"
    )
    assert doc.parties["buyer"].address == Address(
        street="Kerkstraat 1", street2="Building B", city="Antwerpen", postal_code="2000",
        country="BE",
    )  # fmt: skip
    assert doc.payment == Payment(
        due_date=dt.date(2024, 4, 11),
        terms="Net 30 days",
        means="58",
        iban="BE68539007547034",
        bic="GKCCBEBB",
        account_name="Widget Works BV",
        reference="RF18539007547034",
    )
    assert doc.dates == {} and doc.references == {}  # DTM+13, RFF+PQ are the payment's
    assert [ln.tax for ln in doc.lines] == [Tax(category="VAT", code="S", rate=D("21"))] * 2
    assert doc.lines[1].allowance_charges == (
        AllowanceCharge(
            amount=D("20.00"),
            base=D("200.00"),
            percent=D("10"),
            reason="Volume discount",
            reason_code="95",
        ),
    )
    assert doc.allowance_charges == (
        AllowanceCharge(
            charge=True,
            amount=D("15.00"),
            reason="Freight",
            reason_code="FC",
            tax=Tax(category="VAT", code="S", rate=D("21")),
        ),
    )
    assert doc.taxes == (
        Tax(category="VAT", code="S", rate=D("21"), base=D("445.00"), amount=D("93.45")),
    )
    assert doc.totals == Totals(
        lines=D("430.00"),
        charges=D("15.00"),
        net=D("445.00"),
        tax=D("93.45"),
        gross=D("538.45"),
        payable=D("538.45"),
    )


def test_the_full_sample_round_trips() -> None:
    doc = _read(_FULL.read_bytes())
    back = _again(doc)
    assert back.parties == doc.parties and back.lines == doc.lines
    assert (back.payment, back.taxes, back.allowance_charges, back.totals) == (
        doc.payment,
        doc.taxes,
        doc.allowance_charges,
        doc.totals,
    )


def test_pydifact_invoice_vat_numbers_line_tax_and_due_date() -> None:
    doc = _public("pydifact__invoice1.edi")
    assert doc.parties["bill_to"].ids["vat"] == "382324067"
    assert doc.parties["seller"].ids["vat"] == "123844750"
    assert doc.lines[0].tax == Tax(category="VAT", rate=D("0"))
    # PAT+1 then DTM+140 (payment due date): the payment's, not a document date
    assert doc.payment == Payment(due_date=dt.date(1999, 10, 31))
    assert "edifact:140" not in doc.dates
    assert doc.taxes == (Tax(category="VAT"),)


def test_dfdl_invoice_line_charge_and_tax_amounts() -> None:
    doc = _public("dfdl-edifact__INVOIC_D.03B_Interchange_with_UNA.txt")
    assert doc.lines[0].allowance_charges == (AllowanceCharge(charge=True, amount=D("13.6")),)
    assert doc.taxes == (
        Tax(category="VAT", amount=D("72.36")),
        Tax(category="VAT", amount=D("539.82")),
    )


@pytest.mark.parametrize(
    ("tax_group", "tax"),
    [
        (("TAX+7+VAT+++:::21+S", "MOA+124:21.00", "MOA+125:100.00"),
         Tax(category="VAT", code="S", rate=D("21"), amount=D("21.00"), base=D("100.00"))),
        (("TAX+7+VAT+++:::0+Z",), Tax(category="VAT", code="Z", rate=D("0"))),
        (("TAX+7+GST+++:::7.5",), Tax(category="GST", rate=D("7.5"))),
    ],
)  # fmt: skip
def test_tax_groups_both_ways(tax_group: tuple[str, ...], tax: Tax) -> None:
    line = _read(_invoic("LIN+1", *tax_group, "UNS+S"))
    summary = _read(_invoic("UNS+S", *tax_group))
    assert line.lines[0].tax == tax and summary.taxes == (tax,)
    assert _again(line).lines[0].tax == tax and _again(summary).taxes == (tax,)


def test_a_text_rate_is_the_exemption_reason() -> None:
    """5278 is an..17: text there is an exemption note, kept as ``exemption_reason`` and
    written back in its place. (The mapping is read below the element checks: the
    D96A spec on main still calls 5278 numeric.)"""
    data = _invoic("UNS+S", "TAX+7+VAT+++:::Export exempt+E", "MOA+125:50.00")
    segments = list(tokenize([data]))
    unh = next(i for i, s in enumerate(segments) if s.tag == "UNH")
    parts = read_invoice(segments[unh:-1])
    expected = Tax(category="VAT", code="E", exemption_reason="Export exempt", base=D("50.00"))
    assert parts.taxes == [expected]
    doc = Invoice(number="INV1", taxes=(expected,))
    written = translators.write([doc], target="edifact:INVOIC", settings=_SETTINGS)
    assert b"TAX+7+VAT+++:::Export exempt+E'MOA+125:50.00'" in written


@pytest.mark.parametrize(
    ("group", "charge"),
    [
        (("ALC+A+:95+++:::Volume discount", "PCD+1:10", "MOA+204:20.00", "MOA+25:200.00"),
         AllowanceCharge(amount=D("20.00"), base=D("200.00"), percent=D("10"),
                         reason="Volume discount", reason_code="95")),
        (("ALC+C++++FC:::Freight", "MOA+23:15.00", "TAX+7+VAT+++:::21+S"),
         AllowanceCharge(charge=True, amount=D("15.00"), reason="Freight", reason_code="FC",
                         tax=Tax(category="VAT", code="S", rate=D("21")))),
        (("ALC+C", "MOA+8:1.5"), AllowanceCharge(charge=True, amount=D("1.5"))),
    ],
)  # fmt: skip
def test_alc_groups_both_ways(group: tuple[str, ...], charge: AllowanceCharge) -> None:
    header = _read(_invoic("CUX+2:EUR:9", *group, "LIN+1", "UNS+S"))
    line = _read(_invoic("LIN+1", *group, "UNS+S"))
    assert header.allowance_charges == (charge,) and line.lines[0].allowance_charges == (charge,)
    assert _again(header).allowance_charges == (charge,)
    assert _again(line).lines[0].allowance_charges == (charge,)


def test_summary_alc_groups_stay_totals() -> None:
    doc = _read(_invoic("UNS+S", "ALC+A", "MOA+8:5.00", "ALC+C", "MOA+23:2.00"))
    assert doc.allowance_charges == () and doc.totals == Totals(
        allowances=D("5.00"), charges=D("2.00")
    )
    assert _again(doc).totals == doc.totals


@pytest.mark.parametrize(
    ("segments", "payment"),
    [
        (("PAI+::30",), Payment(means="30")),
        (("FTX+AAB+++2% 10 days:net 30",), Payment(terms="2% 10 days net 30")),
        (("PAT+1++5:3:D:30",), None),
        (("PAT+1+::::Net 30 days", "DTM+13:20240411:102"),
         Payment(terms="Net 30 days", due_date=dt.date(2024, 4, 11))),
        (("NAD+SU+5400000000003::9", "FII+RB+BE68539007547034+GKCCBEBB:25:17",
          "RFF+VA:NL1"), Payment(iban="BE68539007547034", bic="GKCCBEBB")),
        (("RFF+PQ:RF18",), Payment(reference="RF18")),
    ],
)  # fmt: skip
def test_payment_both_ways(segments: tuple[str, ...], payment: Payment | None) -> None:
    doc = _read(_invoic(*segments))
    assert doc.payment == payment
    assert _again(doc).payment == payment


def test_the_fii_stays_in_its_nad_group() -> None:
    """FII stands between NAD and RFF (SG2): the RFF+VA after it is still the party's."""
    doc = _read(_invoic("NAD+SU+5400000000003::9", "FII+RB+BE68539007547034", "RFF+VA:NL1"))
    assert doc.parties["seller"].ids == {"gln": "5400000000003", "vat": "NL1"}
    written = translators.write([doc], target="edifact:INVOIC", settings=_SETTINGS)
    assert b"NAD+SU+5400000000003::9'FII+RB+BE68539007547034'RFF+VA:NL1'" in written


def test_lines_without_taxes_or_charges_are_unchanged() -> None:
    doc = Invoice(number="INV1", lines=(Line(line_no="1", quantity=D(2), uom="EA"),))
    assert _again(doc).lines == doc.lines
