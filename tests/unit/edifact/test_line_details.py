"""The delivery location (LOC+7), line dates (DTM 2, 69, 36, 361), lots (GIN+BX) and
backorder quantities (QTY+83) are read into the canonical model and written back, so
read -> write -> read is equal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import msgspec
import pytest

import translators
from translators import RenderError, WriteSettings
from translators.model import Document, Line, PartyId

SETTINGS = WriteSettings(
    sender=PartyId(id="5400000000003", qualifier="14"),
    receiver=PartyId(id="5412345678908", qualifier="14"),
    timestamp=dt.datetime(2024, 3, 2, 9),
)
_UNB = "UNA:+.? 'UNB+UNOC:3+5400000000003:14+5412345678908:14+240302:0900+1'"

ORDERS = (
    _UNB + "UNH+1+ORDERS:D:96A:UN'BGM+220+PO-1+9'DTM+137:20240301:102'"
    "NAD+BY+5400000000003::9'"
    "NAD+DP+5412345678908::9++Depot North+Dock 4+Gent++9000+BE'LOC+7+5400000000010::9'"
    "LIN+1++4000862141404:EN'QTY+21:10:PCE'DTM+2:20240310:102'DTM+69:20240312:102'"
    "PRI+AAA:2.5'RFF+ON:X'DTM+171:20240101:102'"
    "LIN+2++4000862141411:EN'QTY+21:3:PCE'"
    "UNS+S'CNT+2:2'UNT+18+1'UNZ+1+1'"
)
DESADV = (
    _UNB + "UNH+1+DESADV:D:96A:UN'BGM+351+DN-1+9'DTM+137:20240305:102'"
    "RFF+ON:PO-1'LOC+7+5400000000010::9'NAD+SU+5412345678908::9'"
    "CPS+1'CPS+2+1'PAC+1'GIN+BJ+354123450000000014'"
    "LIN+1++4000862141404:EN'QTY+12:8:PCE'QTY+83:2:PCE'"
    "PCI+36E'DTM+36:20250131:102'DTM+361:20241231:102'GIN+BX+LOT-7'"
    "CNT+2:1'UNT+19+1'UNZ+1+1'"
)


def _read(text: str) -> Document:
    (result,) = translators.read(text.encode())
    (message,) = result.messages
    assert not message.issues, message.issues
    assert message.document is not None
    return message.document


def _again(doc: Document, target: str) -> tuple[bytes, Document]:
    data = translators.write([doc], target=target, settings=SETTINGS)
    return data, _read(data.decode())


def test_orders_place_of_delivery_joins_the_ship_to_party() -> None:
    ship_to = _read(ORDERS).parties["ship_to"]
    # the NAD+DP's own GLN stays; the LOC's, another GLN, is the location's
    assert ship_to.ids == {"gln": "5412345678908", "location:gln": "5400000000010"}
    assert ship_to.name == "Depot North"
    assert ship_to.address is not None and ship_to.address.city == "Gent"


def test_orders_line_delivery_dates_not_a_reference_date() -> None:
    first, second = _read(ORDERS).lines
    # DTM+171 after RFF+ON is the reference's date, never the line's
    assert first.dates == {
        "requested_delivery": dt.date(2024, 3, 10),
        "promised_delivery": dt.date(2024, 3, 12),
    }
    assert second.dates == {}


def test_orders_written_back_carries_loc_and_line_dates() -> None:
    doc = _read(ORDERS)
    data, back = _again(doc, "edifact:ORDERS")
    assert b"NAD+DP+5412345678908::9++Depot North+Dock 4+Gent++9000+BE'LOC+7+5400000000010::9'" in (
        data
    )
    assert b"DTM+2:20240310:102'DTM+69:20240312:102'" in data
    assert back == doc


def test_desadv_lot_dates_and_outstanding_quantity() -> None:
    doc = _read(DESADV)
    (line,) = doc.lines
    assert line.quantity == Decimal(8)  # QTY+83 is never the line's quantity
    assert line.outstanding_quantity == Decimal(2)
    assert line.lot == "LOT-7"
    assert line.dates == {"expiry": dt.date(2025, 1, 31), "best_before": dt.date(2024, 12, 31)}
    # no NAD+DP: the place of delivery is the ship_to party, under its plain scheme
    assert doc.parties["ship_to"].ids == {"gln": "5400000000010"}


def test_desadv_written_back_reads_equal() -> None:
    doc = _read(DESADV)
    data, back = _again(doc, "edifact:DESADV")
    assert b"QTY+83:2:PCE'" in data
    assert b"DTM+36:20250131:102'DTM+361:20241231:102'" in data
    assert b"GIN+BX+LOT-7'" in data
    assert back == doc


def test_a_backorder_quantity_alone_is_no_line_quantity() -> None:
    text = DESADV.replace("QTY+12:8:PCE'", "").replace("UNT+19+", "UNT+18+")
    (line,) = _read(text).lines
    assert line.quantity is None
    assert line.outstanding_quantity == Decimal(2)


def test_canonical_line_details_written_and_read_back() -> None:
    doc = _read(ORDERS)
    line = Line(
        line_no="1",
        product={"gtin": "4000862141404"},
        quantity=Decimal(5),
        uom="PCE",
        lot="B1",
        outstanding_quantity=Decimal("1.5"),
        dates={"best_before": dt.date(2026, 1, 1), "requested_delivery": dt.date(2024, 4, 1)},
    )
    order = msgspec.structs.replace(doc, lines=(line,))
    _, back = _again(order, "edifact:ORDERS")
    assert back.lines == (line,)


def test_a_line_date_without_an_edifact_code_is_refused_by_name() -> None:
    doc = _read(ORDERS)
    line = Line(line_no="1", dates={"requested_delivery_end": dt.date(2024, 4, 1)})
    with pytest.raises(RenderError, match=r"dates\.requested_delivery_end"):
        translators.write(
            [msgspec.structs.replace(doc, lines=(line,))],
            target="edifact:ORDERS",
            settings=SETTINGS,
        )


def test_a_location_scheme_without_an_agency_is_refused() -> None:
    doc = _read(ORDERS)
    ship_to = msgspec.structs.replace(doc.parties["ship_to"], ids={"location:x12:ZZ": "L1"})
    doc = msgspec.structs.replace(doc, parties={**doc.parties, "ship_to": ship_to})
    with pytest.raises(RenderError, match=r"location:x12:ZZ"):
        translators.write([doc], target="edifact:ORDERS", settings=SETTINGS)
