"""Every EDIFACT file of ../shared/samples-public read as its MANIFEST.md says, and
tokenised exactly as pydifact's own parser tokenises it."""

from __future__ import annotations

import datetime as dt
import warnings
from collections import Counter
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

import pytest
from pydifact.parser import Parser

import translators
from tests.conftest import PUBLIC_SAMPLES, public_sample, public_samples
from tests.unit.gs1_samples import BAD_CHECK_DIGITS, check_digit_warnings, expected_status
from translators.edifact import tokenize
from translators.model import FunctionalAck, Invoice, PurchaseOrder, ShipNotice

D = Decimal
FILES = [*public_samples("edifact"), PUBLIC_SAMPLES / "as2" / "django-pyas2__testmessage.edi"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_tokens_equal_pydifacts_parse(path: Path) -> None:
    if not path.is_file():
        pytest.skip("public samples not available")
    data = path.read_bytes()
    with warnings.catch_warnings():  # pydifact's MissingImplementationWarning stays here
        warnings.simplefilter("ignore")
        theirs = [(s.tag, s.elements) for s in Parser().parse(data.decode("latin-1"))]
    chunks = [data[i : i + 7] for i in range(0, len(data), 7)]
    ours = [(s.tag, s.plain()) for s in tokenize(chunks)]
    assert ours == theirs


#: Public samples that stray from their directory or character set: (CONTRL code, segment)
#: -> how often. Each is a warning; the document is read and acknowledged.
STRAYS: Mapping[str, Mapping[tuple[str, str], int]] = {
    # BGM 1225 message function "700101" where the directory has an..3 codes
    "php-edifact__D96ADESADV.edi": {("39", "BGM"): 1},
    # QTY 6411 units "GBND", "PACK", "SCHA": an..3 until D03A (an..8 since)
    "php-edifact__example_order_ok.edi": {("39", "QTY"): 123},
    # DTM 102 (CCYYMMDD) values followed by a time: "199910060000"
    "pydifact__invoice1.edi": {("39", "DTM"): 2},
    # lower case under UNOA: a COM address and the book titles in FTX
    "dfdl-edifact__ORDERS_D.03B_Interchange.txt": {("21", "COM"): 1, ("21", "FTX"): 4},
}


def _ix(name: str) -> translators.InterchangeResult:
    (ix,) = translators.read(public_sample(f"edifact/{name}").read_bytes())
    return ix


@pytest.mark.parametrize(
    ("name", "sender", "receiver", "ref", "unh", "kind", "syntax"),
    [
        (
            "dfdl-edifact__INVOIC_D.03B_Interchange_with_UNA.txt",
            ("5790000274017", "14"),
            ("5708601000836", "14"),
            "17",
            "30",
            "INVOIC",
            "UNOC:4",
        ),
        (
            "dfdl-edifact__ORDERS_D.03B_Interchange.txt",
            ("APPLICATION", "1"),
            ("COMPANY", "1"),
            "6002",
            "SSDD1",
            "ORDERS",
            "UNOA:4",
        ),
        (
            "php-edifact__D96ADESADV.edi",
            ("1556150", "31B"),
            ("8888888", "ZZ"),
            "1",
            "142",
            "DESADV",
            "UNOC:1",
        ),
        (
            "php-edifact__example_order_ok.edi",
            ("4250159300001", "14"),
            ("unbekannt", "14"),
            "896",
            "2019265563",
            "ORDERS",
            "UNOC:3",
        ),
        (
            "pydifact__invoice1.edi",
            ("01010000253001", None),
            ("O0013000093SCHA-Z59", None),
            "PAYO0012101221",
            "1",
            "INVOIC",
            "UNOA:1",
        ),
    ],
)
def test_envelope_facts(
    name: str,
    sender: tuple[str, str | None],
    receiver: tuple[str, str | None],
    ref: str,
    unh: str,
    kind: str,
    syntax: str,
) -> None:
    ix = _ix(name)
    assert (ix.sender.id, ix.sender.qualifier) == sender  # type: ignore[union-attr]
    assert (ix.receiver.id, ix.receiver.qualifier) == receiver  # type: ignore[union-attr]
    assert (ix.control, ix.version) == (ref, syntax)
    (m,) = ix.messages
    strays = STRAYS.get(name, {})
    status = "accepted_with_errors" if strays else expected_status(name)
    assert (m.control, m.code, m.status) == (unh, kind, status)
    gs1 = check_digit_warnings(ix)  # a GLN with a wrong check digit is a warning
    assert len(gs1) == BAD_CHECK_DIGITS.get(name, 0), gs1
    others = [i for i in ix.all_issues if i not in gs1]
    assert all(i.severity == "warning" for i in others), others
    assert Counter((i.code, i.segment_tag) for i in others) == strays


def test_dfdl_invoice() -> None:
    (inv,) = _ix("dfdl-edifact__INVOIC_D.03B_Interchange_with_UNA.txt").documents
    assert isinstance(inv, Invoice)
    assert (inv.number, inv.date, inv.currency) == ("539602", dt.date(1999, 4, 20), "GBP")
    assert inv.references == {"edifact:CO": "01671727"}
    assert inv.parties["buyer"].ids == {"gln": "5708601000836", "vat": "UK37499919"}
    assert inv.parties["seller"].name == "IBM UK"
    assert inv.parties["seller"].ids == {"vat": "UK19430839", "edifact:ADE": "00000767"}
    assert inv.parties["ship_to"].address.city == "MyTown"  # type: ignore[union-attr]
    first = inv.lines[0]
    assert (first.line_no, first.product, first.quantity, first.uom, first.unit_price) == (
        "1",
        {"buyer": "V0370246"},
        D("5"),
        "PCE",
        D("9.83"),
    )
    assert first.description == (
        "Collectors edition of The Hobbit with Tolkien's original colours on sleeve"
    )
    assert len(inv.lines) == 2 and inv.totals is not None and inv.totals.gross == D("362.00")


def test_dfdl_orders_and_pyas2_payload() -> None:
    (po,) = _ix("dfdl-edifact__ORDERS_D.03B_Interchange.txt").documents
    assert isinstance(po, PurchaseOrder)
    assert (po.number, po.order_type, len(po.lines)) == ("BKOD99", "220", 4)
    assert po.parties["buyer"].ids == {"gln": "5412345000176"}
    assert (po.lines[0].product, po.lines[0].quantity) == ({"edifact:IB": "0764569104"}, D("25"))
    (as2,) = translators.read(public_sample("as2/django-pyas2__testmessage.edi").read_bytes())
    (order,) = as2.documents
    assert order.number == "1AA1TEST" and len(order.lines) == 3
    assert (order.lines[0].quantity, order.lines[0].unit_price) == (D("5"), D("27.5"))
    assert order.lines[0].product == {"gtin": "9783898307529"}


def test_php_order_ok_with_release_characters_and_146_lines() -> None:
    (po,) = _ix("php-edifact__example_order_ok.edi").documents
    assert isinstance(po, PurchaseOrder) and len(po.lines) == 146
    assert po.parties["buyer"].name is not None and po.parties["buyer"].name.startswith("A+A")
    # RFF+IT follows NAD+DP: in ORDERS (SG2 > SG3) it is that party's reference
    assert po.parties["ship_to"].ids == {"gln": "4250159399005", "edifact:IT": "9949940"}
    first = po.lines[0]
    assert (first.product, first.quantity, first.uom) == (
        {"vendor": "1001", "buyer": "6001001"},
        D("2"),
        "GBND",
    )
    assert any("1:10" in (ln.description or "") for ln in po.lines)


def test_desadv_and_pydifact_invoice() -> None:
    (asn,) = _ix("php-edifact__D96ADESADV.edi").documents
    assert isinstance(asn, ShipNotice)
    assert (asn.number, asn.shipment.ship_date) == ("Y02197250", dt.date(2016, 7, 26))  # type: ignore[union-attr]
    assert [r.number for r in asn.order_refs] == ["6877871"]
    assert asn.lines[0].product == {"edifact:5": "9780738507330"} or asn.lines[0].quantity == 1
    (inv,) = _ix("pydifact__invoice1.edi").documents
    assert isinstance(inv, Invoice) and inv.invoice_kind == "credit_note"
    line = inv.lines[0]
    assert (line.line_no, line.product, line.quantity, line.unit_price) == (
        None,
        {"buyer": "090346642"},
        D("54"),
        D("3630.1724"),
    )
    assert inv.totals is not None and inv.totals.gross == D("1960.29")


@pytest.mark.parametrize(
    ("name", "level", "code", "tag"),
    [
        ("php-edifact__example_order_error.edi", "element", "16", "IMD"),
        ("pydifact__order.edi", "interchange", "13", "UNT"),
        ("pydifact__wikipedia_de.edi", "interchange", "28", "UNZ"),
        ("pydifact__aperak.edi", "message", "29", "UNT"),
        ("pydifact__aperak_rejected.edi", "message", "29", "UNT"),
        ("php-edifact__example_release_character.edi", "message", "29", "UNT"),
    ],
)
def test_invalid_files_give_located_contrl_codes(
    name: str, level: str, code: str, tag: str
) -> None:
    issues = [(i.level, i.code, i.segment_tag) for i in _ix(name).all_issues]
    assert (level, code, tag) in issues


def test_aperak_reads_as_a_functional_ack_once_counts_are_right() -> None:
    data = public_sample("edifact/pydifact__aperak.edi").read_bytes().replace(b"UNT+8+", b"UNT+7+")
    (ix,) = translators.read(data)
    (ack,) = ix.documents
    assert isinstance(ack, FunctionalAck) and ack.number == "APERAK001"
    assert ack.acknowledges[0].control == "PO123456" and ack.status == "rejected"


def test_unsupported_message_is_reported_not_crashed() -> None:
    ix = _ix("php-edifact__exampleMulti.edi")
    assert [m.code for m in ix.messages] == ["PAORES", "PAORES"]
    assert all(m.issues[0].code == "14" for m in ix.messages)


def test_several_interchanges_in_one_file_with_different_separators() -> None:
    from tests.conftest import OWN_SAMPLES

    orders = (OWN_SAMPLES / "edifact" / "orders.edi").read_bytes()
    custom = (OWN_SAMPLES / "edifact" / "orders_custom_una.edi").read_bytes()
    invoice = (OWN_SAMPLES / "edifact" / "invoic.edi").read_bytes()
    results = translators.read(orders + b"\r\n" + custom + invoice)
    assert [ix.control for ix in results] == ["3001", "3005", "3001"]
    assert [d.type for ix in results for d in ix.documents] == [
        "purchase_order",
        "purchase_order",
        "invoice",
    ]
    assert all(ix.status == "accepted" for ix in results)
