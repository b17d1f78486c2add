"""Every X12 file of ../shared/samples-public/x12 read as its MANIFEST.md says."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import translators
from tests.conftest import public_sample, public_samples
from tests.unit.gs1_samples import assert_gs1_only, expected_status
from translators.model import FunctionalAck, Invoice, OrderResponse, PurchaseOrder, ShipNotice

D = Decimal

# file: (ISA sender q/id, receiver q/id, ISA13, GS01, GS06, GS08, ST01, ST02, test)
ENVELOPES = {
    "bots__810_1.x12": (
        "01",
        "0011223456",
        "01",
        "999999999",
        "000000001",
        "IN",
        "1",
        "004010",
        "810",
        "0063",
        False,
    ),
    "bots__997_1.x12": (
        "01",
        "1234",
        "01",
        "TEST",
        "000000001",
        "FA",
        "1",
        "004010",
        "997",
        "0015",
        False,
    ),
    "node-x12__850.edi": (
        "12",
        "4405197800",
        "01",
        "999999999",
        "000003438",
        "PO",
        "1421",
        "004010VICS",
        "850",
        "000000010",
        False,
    ),
    "node-x12__850_2.edi": (
        "12",
        "4405197800",
        "01",
        "999999999",
        "000003438",
        "PO",
        "1421",
        "004010VICS",
        "850",
        "000000010",
        False,
    ),
    "node-x12__850_3.edi": (
        "12",
        "0000000000",
        "12",
        "0000000000",
        "010001398",
        "PO",
        "10000774",
        "004010",
        "850",
        "8830",
        False,
    ),
    "node-x12__855.edi": (
        "ZZ",
        "1556150",
        "ZZ",
        "123MILL",
        "000000005",
        "PR",
        "5",
        "004010",
        "855",
        "0005",
        False,
    ),
    "node-x12__856.edi": (
        "12",
        "4405197800",
        "01",
        "999999999",
        "000000049",
        "SH",
        "49",
        "004060",
        "856",
        "0008",
        False,
    ),
    "pyx12__834_ls_le_ls_5010.999.txt": (
        "ZZ",
        "MB888880",
        "ZZ",
        "ORDHS",
        "000000238",
        "FA",
        "146",
        "005010X231",
        "999",
        "0001",
        False,
    ),
    "stedi-bootstrap__inbound.edi": (
        "14",
        "ANOTHERMERCH",
        "ZZ",
        "THISISME",
        "000001746",
        "PR",
        "000001746",
        "005010",
        "855",
        "0001",
        True,
    ),
    "x12-types__004010_850.edi": (
        "ZZ",
        "SENDERISA",
        "14",
        "0073268795005",
        "000000001",
        "PO",
        "1",
        "004010",
        "850",
        "000000001",
        True,
    ),
}


def _one(name: str) -> translators.InterchangeResult:
    (ix,) = translators.read(public_sample(f"x12/{name}").read_bytes())
    return ix


@pytest.mark.parametrize("name", sorted(ENVELOPES))
def test_envelope_facts(name: str) -> None:
    sq, sid, rq, rid, icn, fid, gcn, ver, st01, st02, test = ENVELOPES[name]
    ix = _one(name)
    assert (ix.sender.qualifier, ix.sender.id) == (sq, sid)  # type: ignore[union-attr]
    assert (ix.receiver.qualifier, ix.receiver.id) == (rq, rid)  # type: ignore[union-attr]
    assert ix.control == icn and ix.test is test
    group = ix.groups[0]
    assert (group.functional_id, group.control, group.version) == (fid, gcn, ver)
    message = group.messages[0]
    assert (message.code, message.control) == (st01, st02)
    issues = [translators.format_issue(i, name) for i in ix.all_issues]
    assert ix.status == expected_status(name), issues
    assert_gs1_only(ix, name)  # a UPC with a wrong check digit is a warning
    env = message.document.envelope  # type: ignore[union-attr]
    assert env is not None and env.interchange_control == icn and env.message_control == st02


def _doc(name: str) -> translators.Document:
    (doc,) = _one(name).documents
    return doc


@pytest.mark.parametrize("name", ["node-x12__850.edi", "node-x12__850_2.edi"])
def test_node_850(name: str) -> None:
    po = _doc(name)
    assert isinstance(po, PurchaseOrder)
    assert (po.number, po.order_type, po.date) == ("08292233294", "SA", dt.date(2010, 11, 27))
    assert len(po.lines) == 6
    first = po.lines[0]
    assert (first.quantity, first.uom, first.unit_price) == (D("120"), "EA", D("9.25"))
    assert first.product == {"x12:CB": "065322-117", "x12:PR": "RO", "vendor": "AB3542"}
    assert po.totals is not None and po.totals.lines == D("13045.94")


def test_fat_850_two_identical_interchanges() -> None:
    results = translators.read(public_sample("x12/node-x12__850_fat.edi").read_bytes())
    assert [ix.control for ix in results] == ["000003438", "000003438"]
    assert [d.number for ix in results for d in ix.documents] == ["08292233294"] * 2


def test_node_850_3_lf_terminator_and_empty_po101() -> None:
    po = _doc("node-x12__850_3.edi")
    assert isinstance(po, PurchaseOrder)
    assert (po.number, po.order_type, po.date) == ("----------", "NE", dt.date(2016, 4, 26))
    (line,) = po.lines
    assert line.line_no is None
    assert (line.quantity, line.uom, line.unit_price) == (D("1"), "KI", D("225"))
    assert line.product == {
        "vendor": "UNKNOWN",
        "x12:PD": "SU - SPARK - AQ FREEZER PUSHER",
        "sku": "000000000001010700",
    }


def test_x12_types_850() -> None:
    po = _doc("x12-types__004010_850.edi")
    assert isinstance(po, PurchaseOrder)
    assert (po.number, po.date, len(po.lines)) == ("A99999-01", dt.date(1997, 2, 14), 7)
    first = po.lines[0]
    assert (first.quantity, first.uom, first.unit_price) == (D("16"), "CS", D("12.34"))
    assert first.product == {"x12:CB": "000111111", "x12:UA": "002840022222"}
    assert po.parties["bill_to"].ids == {"duns4": "1223334444"}


def test_bots_810() -> None:
    inv = _doc("bots__810_1.x12")
    assert isinstance(inv, Invoice)
    assert (inv.number, inv.date) == ("95018017", dt.date(2007, 9, 29))
    assert [r.number for r in inv.order_refs] == ["ordernumber"]
    (line,) = inv.lines
    assert (line.quantity, line.uom, line.unit_price) == (D("4"), "EA", D("330"))
    assert line.product == {"vendor": "X357-W2", "buyer": "525"}
    assert line.description == "HIGH PERFORMANCE WIDGET"
    assert inv.totals is not None and inv.totals.gross == D("12345.79")
    assert inv.parties["seller"].name == "UNIVERSAL WIDGETS"
    assert inv.parties["bill_to"].name == "JIT MANUFACTURING ACCOUNTS  PAYABLE DEPARTMENT"


@pytest.mark.parametrize(
    ("name", "po", "status", "date", "lines", "first"),
    [
        (
            "node-x12__855.edi",
            "POTEST1112",
            "accepted",
            dt.date(2020, 10, 15),
            4,
            (
                D("3"),
                "C62",
                D("4.5"),
                {
                    "gtin": "9780446360265",
                    "x12:B6": "NEUFELDT, VICTORIA",
                    "x12:B3": "00",
                    "x12:B4": "P",
                },
            ),
        ),
        (
            "stedi-bootstrap__inbound.edi",
            "365465413",
            "accepted",
            dt.date(2022, 9, 14),
            2,
            (D("8"), "EA", D("400"), {"x12:VC": "VND1234567", "sku": "ACM/8900-400"}),
        ),
    ],
)
def test_855(name: str, po: str, status: str, date: dt.date, lines: int, first: tuple) -> None:  # type: ignore[type-arg]
    resp = _doc(name)
    assert isinstance(resp, OrderResponse)
    assert [r.number for r in resp.order_refs] == [po] and resp.status == status
    assert resp.order_refs[0].date == date and len(resp.lines) == lines
    line = resp.lines[0]
    assert (line.quantity, line.uom, line.unit_price, line.product) == first
    if name == "node-x12__855.edi":
        assert [ln.status for ln in resp.lines] == ["accepted", "rejected", "rejected", "accepted"]


def test_856_hierarchy() -> None:
    asn = _doc("node-x12__856.edi")
    assert isinstance(asn, ShipNotice)
    assert (asn.number, asn.date, len(asn.lines)) == ("829716", dt.date(2011, 12, 6), 2)
    first = asn.lines[0]
    assert (first.quantity, first.uom) == (D("24"), "EA")
    assert first.product == {"vendor": "87787D", "upc": "999999310145"}
    assert [(r.number, r.date) for r in asn.order_refs] == [("99999817", dt.date(2011, 12, 5))]
    assert asn.shipment is not None and asn.shipment.tracking == "999999-001"
    assert asn.shipment.ship_date == dt.date(2011, 12, 6) and asn.shipment.weight == D("60.310")


def test_997_and_999() -> None:
    ack = _doc("bots__997_1.x12")
    assert isinstance(ack, FunctionalAck) and ack.status == "accepted"
    group, message = ack.acknowledges
    assert (group.level, group.code, group.control) == ("group", "PO", "214")
    assert (message.code, message.control, message.status) == ("850", "000000390", "accepted")
    results = translators.read(public_sample("x12/pyx12__834_lui_id_5010.999.txt").read_bytes())
    (ix,) = results
    assert [g.control for g in ix.groups] == ["344666205", "102"]
    assert [m.control for m in ix.messages] == ["0001", "0002", "0003", "0004"]
    assert all(isinstance(d, FunctionalAck) and d.status == "accepted" for d in ix.documents)
    assert ix.documents[0].acknowledges[1].code == "834"  # type: ignore[attr-defined]


def test_truncated_isa_gives_a_located_error() -> None:
    (ix,) = translators.read(public_sample("x12/badx12__segment_terminator.edi").read_bytes())
    assert ix.status == "rejected" and ix.control == "000010216" and ix.test
    (issue,) = ix.issues
    assert (issue.level, issue.code, issue.segment_tag) == ("interchange", "023", "ISA")


def test_every_public_file_is_covered() -> None:
    names = {p.name for p in public_samples("x12")}
    covered = set(ENVELOPES) | {
        "node-x12__850_fat.edi",
        "badx12__segment_terminator.edi",
        "pyx12__834_lui_id_5010.999.txt",
    }
    assert names <= covered, names - covered
