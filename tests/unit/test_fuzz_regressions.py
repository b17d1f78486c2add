"""Minimal regressions for what tests/unit/test_fuzz.py found: each crashed a reader
with a foreign exception (or hung it) before its fix."""

from __future__ import annotations

import re
import warnings
from decimal import Decimal

import pytest

import translators
from tests.conftest import OWN_SAMPLES
from translators.model import Line, Party, PartyId, ShipNotice

ORDER_850 = (OWN_SAMPLES / "x12" / "850.x12").read_bytes()
ORDERS = (OWN_SAMPLES / "edifact" / "orders.edi").read_bytes()


def test_a_superscript_digit_in_an_x12_date_is_a_bad_date_not_a_crash() -> None:
    # "²".isdigit() is true, int("²") raises ValueError
    data = ORDER_850.replace(b"*20240301*1200*1001", "*²0240301*1200*1001".encode())
    (ix,) = translators.read(data)
    assert ix.status == "rejected"
    assert any(i.segment_tag == "GS" and i.element == 4 for i in ix.all_issues)


def test_a_superscript_digit_in_an_x12_count_is_an_issue_not_a_crash() -> None:
    data = ORDER_850.replace(b"CTT*2", "CTT*²".encode())
    (ix,) = translators.read(data)
    assert ix.all_issues


def test_a_control_character_after_a_edifact_count_is_an_issue_not_a_crash() -> None:
    # "1\x1d".strip() is "1", but int("1\x1d") raises ValueError
    unt = ORDERS.rindex(b"UNT+")
    data = ORDERS[: unt + 4] + b"\x1d" + ORDERS[unt + 4 :]
    (ix,) = translators.read(data)
    assert ix.status == "rejected" and ix.all_issues


def _ubl_invoice_with_quantity(value: bytes) -> bytes:
    data = (OWN_SAMPLES / "xml" / "invoice.xml").read_bytes()
    return re.sub(rb'(InvoicedQuantity unitCode="EA">)[^<]*', rb"\g<1>" + value, data, count=1)


@pytest.mark.parametrize("value", [b"abc", b"NaN", b"Infinity", b"1_000", b"1E+999", b""])
def test_a_ubl_quantity_that_is_not_a_decimal_is_located_not_a_crash_or_nan(value: bytes) -> None:
    # "abc" raised decimal.InvalidOperation out of read; NaN and 1_000 were read as numbers
    (ix,) = translators.read(_ubl_invoice_with_quantity(value))
    assert ix.status == "rejected" and ix.documents == ()
    (issue,) = ix.all_issues
    assert issue.code == "xsd" and issue.xpath is not None
    assert issue.xpath.endswith("cbc:InvoicedQuantity")


def test_a_ubl_quantity_in_xsd_decimal_form_is_read() -> None:
    (ix,) = translators.read(_ubl_invoice_with_quantity(b" +12.50 "))
    assert ix.status == "accepted"
    assert ix.documents[0].lines[0].quantity == Decimal("12.50")


_IDS = translators.WriteSettings(
    sender=PartyId(id="US", qualifier="14"), receiver=PartyId(id="THEM", qualifier="14")
)


def test_a_desadv_line_with_neither_number_nor_product_is_written_and_reread() -> None:
    # pydifact warned "Segment LIN is empty" (an error under -W error) for a bare LIN
    doc = ShipNotice(number="A1", lines=(Line(quantity=Decimal(1)),))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = translators.write([doc], target="edifact:DESADV", settings=_IDS)
    (ix,) = translators.read(out)
    assert ix.status == "accepted" and ix.documents[0].lines == doc.lines


def test_a_party_role_without_an_edifact_code_is_a_render_error() -> None:
    # "edifact:" gave an empty NAD 3035, which our reader rejects (CONTRL 13)
    doc = ShipNotice(number="A1", parties={"edifact:": Party(name="X")})
    with pytest.raises(translators.RenderError, match=r"parties\[edifact:\]"):
        translators.write([doc], target="edifact:DESADV", settings=_IDS)
