"""Summary MOA totals <-> canonical ``Totals``: each 5025 qualifier read in the documented
order (``body.TOTALS``) and written back under the qualifier its directory has; partner
shaped INVOICs in D93A, D96A (EANCOM), D97B and D01B (EANCOM) and an ORDERS."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

import translators
from tests.conftest import OWN_SAMPLES, public_sample
from translators import WriteSettings
from translators.model import Document, Invoice, OrderResponse, PartyId, PurchaseOrder, Totals

_SAMPLES = OWN_SAMPLES / "edifact"


def _settings(version: str) -> WriteSettings:
    return WriteSettings(
        sender=PartyId(id="US", qualifier="ZZ"),
        receiver=PartyId(id="THEM", qualifier="ZZ"),
        timestamp=dt.datetime(2024, 5, 6, 7, 8),
        version=version,
    )


def _read(data: bytes) -> Document:
    (ix,) = translators.read(data)
    assert ix.status == "accepted", [translators.format_issue(i, "EDIFACT") for i in ix.all_issues]
    (doc,) = ix.documents
    return doc


def _summary_moas(data: bytes) -> list[str]:
    """The MOA segments written right after UNS (``MOA+79:1000``): the totals, before
    the TAX groups."""
    segments = data.decode("latin-1").split("'")
    start = next(i for i, s in enumerate(segments) if s.startswith("UNS")) + 1
    end = next(i for i in range(start, len(segments)) if not segments[i].startswith("MOA+"))
    return segments[start:end]


def _write(doc: Document, target: str, version: str) -> bytes:
    return translators.write([doc], target=f"edifact:{target}", settings=_settings(version))


_INVOICES = [
    (
        "invoic_d93a.edi",
        "D93A",
        Totals(
            lines=D("1000.00"),
            charges=D("25.00"),  # 131, nothing more precise given
            net=D("1025.00"),
            tax=D("153.75"),
            gross=D("1178.75"),  # 39 invoice total
        ),
        ["MOA+79:1000.00", "MOA+259:25.00", "MOA+125:1025.00", "MOA+176:153.75",
         "MOA+77:1178.75"],
    ),
    (
        "invoic_d96a.edi",
        "D96A",
        Totals(
            lines=D("200.00"),
            allowances=D("10.00"),
            charges=D("5.00"),
            net=D("195.00"),
            tax=D("40.95"),  # 124 outside a TAX group
            gross=D("235.95"),
            prepaid=D("50.00"),
            payable=D("186.00"),
            rounding=D("0.05"),  # 165: D96A has no 366
        ),
        ["MOA+79:200.00", "MOA+260:10.00", "MOA+259:5.00", "MOA+125:195.00",
         "MOA+176:40.95", "MOA+77:235.95", "MOA+113:50.00", "MOA+9:186.00",
         "MOA+165:0.05"],
    ),
    (
        "invoic_d97b.edi",
        "D97B",
        Totals(
            lines=D("100.00"),
            allowances=D("4.00"),  # two summary ALC+A groups summed
            charges=D("7.50"),  # the summary ALC+C group
            net=D("103.50"),
            tax=D("20.70"),
            gross=D("124.20"),  # 86 message total
            payable=D("124.00"),
            rounding=D("-0.20"),  # 366
        ),
        ["MOA+79:100.00", "MOA+260:4.00", "MOA+259:7.50", "MOA+125:103.50",
         "MOA+176:20.70", "MOA+77:124.20", "MOA+9:124.00", "MOA+366:-0.20"],
    ),
    (
        "invoic_d01b.edi",
        "D01B",
        Totals(
            lines=D("2000.00"),
            allowances=D("100.00"),
            charges=D("50.00"),
            net=D("1950.00"),  # 389
            tax=D("487.50"),
            gross=D("2437.50"),  # 388
            prepaid=D("437.50"),
            payable=D("2000.00"),
        ),
        ["MOA+79:2000.00", "MOA+260:100.00", "MOA+259:50.00", "MOA+125:1950.00",
         "MOA+176:487.50", "MOA+86:2437.50", "MOA+113:437.50", "MOA+9:2000.00"],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("name", "version", "totals", "written"), _INVOICES)
def test_invoice_totals_read_and_written_back(
    name: str, version: str, totals: Totals, written: list[str]
) -> None:
    doc = _read((_SAMPLES / name).read_bytes())
    assert isinstance(doc, Invoice) and doc.envelope is not None
    assert doc.envelope.version == version
    assert doc.totals == totals
    assert sum(ln.amount or 0 for ln in doc.lines) == totals.lines  # the lines' MOA 203
    data = _write(doc, "INVOIC", version)
    assert _summary_moas(data) == written
    back = _read(data)
    assert isinstance(back, Invoice)
    assert (back.totals, back.taxes, back.lines) == (doc.totals, doc.taxes, doc.lines)
    assert _write(back, "INVOIC", version) == data


_ALL = Totals(
    lines=D("100"),
    allowances=D("2"),
    charges=D("3"),
    net=D("101"),
    tax=D("21.21"),
    gross=D("122.21"),
    prepaid=D("20"),
    payable=D("102.20"),
    rounding=D("-0.01"),
)


@pytest.mark.parametrize("version", ["D93A", "D96A", "D97A", "D97B", "D01A", "D01B", "D03B"])
@pytest.mark.parametrize(
    ("target", "doc"),
    [
        ("INVOIC", Invoice(number="I1", totals=_ALL)),
        ("ORDERS", PurchaseOrder(number="P1", totals=_ALL)),
        ("ORDRSP", OrderResponse(number="R1", totals=_ALL)),
    ],
)
def test_every_total_survives_every_directory(target: str, doc: Document, version: str) -> None:
    back = _read(_write(doc, target, version))
    assert back.totals == _ALL


def _summary(*moas: str, version: str = "D96A") -> bytes:
    segments = [f"UNH+1+INVOIC:D:{version[1:]}:UN", "BGM+380+INV1+9", "UNS+S", *moas]
    segments.append(f"UNT+{len(segments) + 1}+1")
    return (
        "'".join(["UNB+UNOC:3+THEM:ZZ+US:ZZ+240312:1200+1", *segments, "UNZ+1+1"]).encode() + b"'"
    )


@pytest.mark.parametrize(
    ("moas", "totals"),
    [
        (("MOA+86:3", "MOA+39:2", "MOA+77:1"), Totals(gross=D("1"))),
        (("MOA+77:1", "MOA+388:4"), Totals(gross=D("4"))),
        (("MOA+86:3", "MOA+39:2"), Totals(gross=D("2"))),
        (("MOA+128:5", "MOA+86:3"), Totals(gross=D("3"))),
        (("MOA+128:5",), Totals(gross=D("5"))),
        (("MOA+124:1", "MOA+176:2"), Totals(tax=D("2"))),
        (("MOA+125:1", "MOA+389:2"), Totals(net=D("2"))),
        (("MOA+165:1", "MOA+366:2"), Totals(rounding=D("2"))),
        (("MOA+131:1", "ALC+C", "MOA+23:2", "ALC+C", "MOA+8:3"), Totals(charges=D("5"))),
        (("MOA+259:9", "ALC+C", "MOA+23:2"), Totals(charges=D("9"))),
        (("ALC+A", "MOA+131:4", "ALC+A", "MOA+204:1"), Totals(allowances=D("5"))),
        (("MOA+260:7", "ALC+A", "MOA+8:4"), Totals(allowances=D("7"))),
        (("MOA+129:50", "MOA+136:1", "MOA+64:2", "MOA+9:3"), Totals(payable=D("3"))),
        (("MOA+79:5", "MOA+79:6", "MOA+113:1"), Totals(lines=D("5"), prepaid=D("1"))),
    ],
)  # fmt: skip
def test_synonyms_read_in_their_documented_order(moas: tuple[str, ...], totals: Totals) -> None:
    """The first present of a field's sources wins, whatever the order in the message;
    a qualifier without a canonical total (129, 136, 64) is not read."""
    assert _read(_summary(*moas)).totals == totals


def test_a_tax_groups_amounts_are_not_totals() -> None:
    doc = _read(_summary("TAX+7+VAT+++:::21+S", "MOA+124:21", "MOA+125:100", "MOA+9:121"))
    assert isinstance(doc, Invoice)
    assert doc.totals == Totals(payable=D("121"))
    assert (doc.taxes[0].amount, doc.taxes[0].base) == (D("21"), D("100"))


def test_orders_totals_round_trip() -> None:
    doc = _read((_SAMPLES / "orders_moa.edi").read_bytes())
    assert isinstance(doc, PurchaseOrder)
    # 124 outside a TAX group is the tax; 86 and 128 both say the gross: 86 counts
    assert doc.totals == Totals(
        lines=D("305.00"), net=D("305.00"), tax=D("64.05"), gross=D("369.05")
    )
    data = _write(doc, "ORDERS", "D96A")
    assert _summary_moas(data) == [
        "MOA+79:305.00",
        "MOA+125:305.00",
        "MOA+176:64.05",
        "MOA+86:369.05",
    ]
    back = _read(data)
    assert (back.totals, back.lines) == (doc.totals, doc.lines)


@pytest.mark.parametrize(
    ("name", "version", "gross"),
    [
        ("pydifact__invoice1.edi", "D97A", "MOA+77:1960.29"),
        ("dfdl-edifact__INVOIC_D.03B_Interchange_with_UNA.txt", "D03B", "MOA+86:362.00"),
    ],
)
def test_public_invoices_gross_written_as_their_directory_does(
    name: str, version: str, gross: str
) -> None:
    (ix,) = translators.read(public_sample(f"edifact/{name}").read_bytes())
    (doc,) = ix.documents
    assert isinstance(doc, Invoice) and doc.envelope is not None
    assert doc.envelope.version == version
    data = _write(doc, "INVOIC", version)
    assert gross in _summary_moas(data)
    assert _read(data).totals == doc.totals
