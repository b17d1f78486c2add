"""810 <-> canonical for the EN 16931 data: VAT numbers, taxes, terms, allowances/charges.

Each mapping both ways: a segment read gives the canonical fields, and canonical fields
written and read back give the same fields.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import msgspec
import pytest

import translators
from tests.conftest import OWN_SAMPLES, public_sample
from translators import WriteSettings
from translators.model import (
    Address,
    AllowanceCharge,
    Invoice,
    Line,
    Party,
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


def _read(data: bytes) -> Invoice:
    (ix,) = translators.read(data)
    assert ix.status == "accepted", [translators.format_issue(i, "810") for i in ix.all_issues]
    (doc,) = ix.documents
    assert isinstance(doc, Invoice)
    return doc


def _810(*body: str) -> bytes:
    """An 810 around ``body`` (the segments between BIG and TDS, and after TDS)."""
    segments = ["ST*810*0001", "BIG*20240312*INV1", *body]
    if not any(s.startswith("TDS") for s in body):
        segments.append("TDS*100")
    segments += ["CTT*1" if any(s.startswith("IT1") for s in body) else "CTT*0"]
    segments.append(f"SE*{len(segments) + 1}*0001")
    return (
        "~".join(
            [
                "ISA*00*          *00*          *ZZ*THEM           *ZZ*US             "
                "*240312*1200*U*00401*000000001*0*P*>",
                "GS*IN*THEM*US*20240312*1200*1*X*004010",
                *segments,
                "GE*1*1",
                "IEA*1*000000001",
            ]
        )
        + "~"
    ).encode()


def _again(doc: Invoice) -> Invoice:
    return _read(translators.write([doc], target="x12:810", settings=_SETTINGS))


def test_the_full_sample_carries_what_en16931_needs() -> None:
    doc = _read((OWN_SAMPLES / "x12" / "810_full.x12").read_bytes())
    seller, buyer = doc.parties["seller"], doc.parties["buyer"]
    assert seller.ids == {"gln": "5400000000003", "vat": "BE0477472701"}
    assert seller.address == Address(
        street="Industrieweg 12", city="Gent", postal_code="9000", country="BE"
    )
    assert buyer.ids["vat"] == "BE0123456749"
    assert buyer.address is not None and buyer.address.street2 == "Building B"
    assert [ln.tax for ln in doc.lines] == [Tax(category="VAT", code="S", rate=D("21"))] * 2
    assert doc.lines[1].allowance_charges == (
        AllowanceCharge(
            amount=D("20.00"), percent=D("10"), reason="Volume discount", reason_code="95"
        ),
    )
    assert doc.taxes == (
        Tax(category="VAT", code="S", rate=D("21"), base=D("445.00"), amount=D("93.45")),
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
    assert doc.payment == Payment(due_date=dt.date(2024, 4, 11), terms="Net 30 days")
    assert doc.totals == Totals(
        lines=D("430.00"), net=D("445.00"), tax=D("93.45"), gross=D("538.45")
    )
    assert doc.references == {}  # REF*VA is a VAT number, not a document reference
    back = _again(doc)
    assert (back.parties, back.lines, back.totals) == (doc.parties, doc.lines, doc.totals)
    assert (back.taxes, back.payment, back.allowance_charges) == (
        doc.taxes,
        doc.payment,
        doc.allowance_charges,
    )


def test_bots_810_addresses_and_terms() -> None:
    doc = _read(public_sample("x12/bots__810_1.x12").read_bytes())
    assert doc.parties["seller"].address == Address(
        street="375 PLYMOUTH PARK", street2="SUITE 205", city="IRVING", region="TX",
        postal_code="75061",
    )  # fmt: skip
    assert doc.parties["ship_to"].address == Address(
        street="BUILDING 3B", street2="2001 ENTERPRISE PARK", city="JUAREZ", region="CH",
        country="MEX",
    )  # fmt: skip
    # ITD***2.5**30: no description, so the discount terms it states, as text
    assert doc.payment == Payment(terms="2.5% discount within 30 days")
    assert _again(doc).payment == doc.payment


@pytest.mark.parametrize(
    ("txi", "tax"),
    [
        ("TXI*VA*21*21***2", Tax(category="VAT", code="S", rate=D("21"), amount=D("21"))),
        ("TXI*VA**0***2", Tax(category="VAT", code="Z", rate=D("0"))),  # not exempt, rate 0
        ("TXI*VA**0***1", Tax(category="VAT", code="E", rate=D("0"))),
        ("TXI*VA**0***0", Tax(category="VAT", code="G", rate=D("0"))),
        ("TXI*VA**0*VD*AE", Tax(category="VAT", code="AE", rate=D("0"))),  # no 441 code
        ("TXI*ST*5*5***3", Tax(category="sales", code="x12:3", rate=D("5"), amount=D("5"))),
        ("TXI*VA*2.1*21*****10.00", Tax(category="VAT", rate=D("21"), amount=D("2.1"),
                                        base=D("10.00"))),
    ],
)  # fmt: skip
def test_txi_both_ways(txi: str, tax: Tax) -> None:
    summary = _read(_810("TDS*100", txi))
    line = _read(_810("IT1*1*1*EA*1", txi, "TDS*100"))
    assert summary.taxes == (tax,) and line.lines[0].tax == tax
    assert _again(summary).taxes == (tax,) and _again(line).lines[0].tax == tax


def test_a_category_441_cannot_say_is_written_as_vendor_defined() -> None:
    doc = Invoice(
        number="INV1",
        date=dt.date(2024, 3, 12),
        taxes=(Tax(category="VAT", code="K", rate=D("0")),),
        totals=Totals(gross=D(1)),
    )
    data = translators.write([doc], target="x12:810", settings=_SETTINGS)
    assert b"TXI*VA**0*VD*K~" in data
    assert _read(data).taxes == doc.taxes


@pytest.mark.parametrize(
    ("sac", "charge"),
    [
        ("SAC*A*C310***1050*3*10", AllowanceCharge(amount=D("10.50"), percent=D("10"),
                                                   reason_code="95")),
        ("SAC*C*D240***995**********Freight", AllowanceCharge(charge=True, amount=D("9.95"),
                                                              reason="Freight", reason_code="FC")),
        ("SAC*C*H850***100",
         AllowanceCharge(charge=True, amount=D("1.00"), reason_code="x12:H850")),
        ("SAC*A**ZZ*41*500", AllowanceCharge(amount=D("5.00"), reason_code="41")),
        ("SAC*A*ZZZZ**", AllowanceCharge()),
    ],
)  # fmt: skip
def test_sac_both_ways(sac: str, charge: AllowanceCharge) -> None:
    summary = _read(_810("TDS*100", sac))
    line = _read(_810("IT1*1*1*EA*1", sac, "TDS*100"))
    assert summary.allowance_charges == (charge,)
    assert line.lines[0].allowance_charges == (charge,)
    assert _again(summary).allowance_charges == (charge,)
    assert _again(line).lines[0].allowance_charges == (charge,)


def test_a_txi_after_a_sac_is_the_sacs_tax_not_a_subtotal() -> None:
    doc = _read(_810("TDS*100", "TXI*VA*10*10", "SAC*C*D240***500", "TXI*VA**10***2"))
    assert doc.taxes == (Tax(category="VAT", rate=D("10"), amount=D("10")),)
    assert doc.allowance_charges[0].tax == Tax(category="VAT", code="S", rate=D("10"))


def test_vat_numbers_belong_to_their_n1_loop_and_the_header_one_to_the_seller() -> None:
    doc = _read(
        _810(
            "REF*VA*SELLERVAT",
            "N1*BY*Buyer",
            "N3*Street 1",
            "N4*City**1000*BE",
            "REF*VA*BUYERVAT",
            "PER*IC*Jane",
        )
    )
    assert doc.parties["seller"] == Party(ids={"vat": "SELLERVAT"})
    buyer = doc.parties["buyer"]
    assert buyer.ids == {"vat": "BUYERVAT"} and buyer.address is not None
    assert "x12:VA" not in doc.references
    assert _again(doc).parties == doc.parties


def test_terms_and_due_date_both_ways() -> None:
    doc = _read(_810("ITD*01*3****20240411*30*****Net 30 days"))
    assert doc.payment == Payment(due_date=dt.date(2024, 4, 11), terms="Net 30 days")
    assert _read(_810("ITD*01*3*2**10**30")).payment == Payment(
        terms="2% discount within 10 days; net 30 days"
    )
    assert _again(doc).payment == doc.payment


def test_what_an_810_cannot_carry_is_not_written() -> None:
    """Line amounts, allowance bases, bank details and exemption texts have no 810
    element (module docstring): the rest of the document still round-trips."""
    doc = Invoice(
        number="INV1",
        date=dt.date(2024, 3, 12),
        lines=(Line(quantity=D(1), uom="EA", amount=D(5)),),
        payment=Payment(due_date=dt.date(2024, 1, 31), iban="BE68539007547034", means="58"),
        allowance_charges=(AllowanceCharge(amount=D(1), base=D(10), reason_code="95"),),
        taxes=(Tax(category="VAT", code="E", rate=D(0), exemption_reason="Exempt"),),
        totals=Totals(gross=D(4)),
    )
    back = _again(doc)
    assert back.lines[0].amount is None and back.payment == Payment(due_date=dt.date(2024, 1, 31))
    assert back.allowance_charges == (msgspec.structs.replace(doc.allowance_charges[0], base=None),)
    assert back.taxes == (Tax(category="VAT", code="E", rate=D(0)),)
