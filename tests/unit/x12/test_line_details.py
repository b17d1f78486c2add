"""Line details X12 carries, both ways: the lot number (LT pair of PO1 / LIN), line dates
(DTM 002 requested delivery, 036 expiry, 067 promised delivery; the 855 ACK04/05) and
the delivery location (N1*ST -> the ``ship_to`` party)."""

from __future__ import annotations

import datetime as dt

import msgspec

import translators
from tests.conftest import OWN_SAMPLES
from translators import WriteSettings
from translators.model import Document, Line, PartyId

_SETTINGS = WriteSettings(
    sender=PartyId(id="US", qualifier="ZZ"),
    receiver=PartyId(id="THEM", qualifier="ZZ"),
    timestamp=dt.datetime(2024, 5, 6, 7, 8),
    interchange_control=5,
)
_TARGET = {"purchase_order": "x12:850", "order_response": "x12:855", "ship_notice": "x12:856"}


def _read(data: bytes) -> Document:
    (ix,) = translators.read(data)
    assert ix.status == "accepted", [translators.format_issue(i, "t") for i in ix.all_issues]
    (doc,) = ix.documents
    return doc


def _sample(name: str, old: bytes, new: bytes, *, added: int = 0) -> bytes:
    """Our own sample ``name`` with one change, SE01 counting the segments it adds."""
    data = (OWN_SAMPLES / "x12" / name).read_bytes()
    assert data.count(old) == 1, old
    out = data.replace(old, new)
    se = next(s for s in out.split(b"~\n") if s.startswith(b"SE*"))
    count, control = se[3:].split(b"*")
    return out.replace(se, b"SE*%d*%s" % (int(count) + added, control))


def _written(doc: Document) -> tuple[str, Document]:
    """``doc`` as X12 text, and that text read back."""
    data = translators.write([doc], target=_TARGET[doc.type], settings=_SETTINGS)
    return data.decode(), _read(data)


def _same(a: Document, b: Document) -> None:
    assert msgspec.structs.replace(a, envelope=None) == msgspec.structs.replace(b, envelope=None)


def test_850_line_dtm_002_is_the_requested_delivery_both_ways() -> None:
    order = _read(
        _sample(
            "850.x12",
            b"PID*F****Blue widget~\n",
            b"PID*F****Blue widget~\nDTM*002*20240318~\nDTM*011*20240316~\n",
            added=2,
        )
    )
    first, second = order.lines
    assert first.dates == {"requested_delivery": dt.date(2024, 3, 18)}  # 011: not a line date
    assert second.dates == {}
    assert order.dates == {"requested_delivery": dt.date(2024, 3, 15)}  # the header's own
    assert order.parties["ship_to"].name == "ACME DC1"
    assert order.parties["ship_to"].address is not None
    text, back = _written(order)
    assert "PID*F****Blue widget~DTM*002*20240318~AMT*1*111.00~" in text.replace("\n", "")
    _same(back, order)


def test_855_ack04_067_is_the_promised_delivery_both_ways() -> None:
    response = _read(
        _sample(
            "855.x12",
            b"ACK*IA*12*EA~\n",
            b"ACK*IA*12*EA*067*20240320~\n",
        ).replace(b"ACK*IB*3*CA~", b"ACK*IB*3*CA*068*20240401~")
    )
    first, second = response.lines
    assert first.status == "accepted"
    assert first.dates == {"promised_delivery": dt.date(2024, 3, 20)}
    assert second.status == "backordered"
    assert second.dates == {}  # 068 is a ship date, which a line has no name for
    text, back = _written(response)
    assert "ACK*IA*12*EA*067*20240320~" in text
    assert "DTM*067" not in text
    _same(back, response)


def test_856_lin_lot_and_dtm_036_expiry_both_ways() -> None:
    notice = _read(
        _sample(
            "856.x12",
            b"LIN*1*EN*05412345000013*VN*WW-100~\nSN1**12*EA~\nPID*F****Blue widget~\n",
            b"LIN*1*EN*05412345000013*VN*WW-100*LT*L2024-07~\nSN1**12*EA~\n"
            b"PID*F****Blue widget~\nDTM*036*20250630~\n",
            added=1,
        )
    )
    first, second = notice.lines
    assert first.lot == "L2024-07"
    assert first.product == {"gtin": "05412345000013", "vendor": "WW-100"}
    assert first.dates == {"expiry": dt.date(2025, 6, 30)}
    assert (second.lot, second.dates) == (None, {})
    assert notice.packs[0].contents == (first,)
    assert notice.parties["ship_to"].name == "ACME DC1"
    text, back = _written(notice)
    flat = text.replace("\n", "")
    assert "LIN*1*EN*05412345000013*VN*WW-100*LT*L2024-07~" in flat
    assert "PID*F****Blue widget~DTM*036*20250630~" in flat
    _same(back, notice)


def test_canonical_lines_written_and_read_back() -> None:
    """From the model: a lot on an order line, every X12 line date on a ship notice line,
    and a promised date on a response line without a status (a DTM, as ACK needs one)."""
    order = _read((OWN_SAMPLES / "x12" / "850.x12").read_bytes())
    dates = {
        "requested_delivery": dt.date(2024, 4, 1),
        "promised_delivery": dt.date(2024, 4, 2),
        "expiry": dt.date(2026, 1, 31),
    }
    line = msgspec.structs.replace(order.lines[0], lot="B-17", dates=dates)
    order = msgspec.structs.replace(order, lines=(line, order.lines[1]))
    text, back = _written(order)
    assert "*VN*WW-100*LT*B-17~" in text
    _same(back, order)

    notice = _read((OWN_SAMPLES / "x12" / "856.x12").read_bytes())
    item = msgspec.structs.replace(notice.lines[1], lot="B-18", dates=dates)
    pack = msgspec.structs.replace(notice.packs[1], contents=(item,))
    notice = msgspec.structs.replace(
        notice, lines=(notice.lines[0], item), packs=(notice.packs[0], pack)
    )
    text, back = _written(notice)
    assert {"DTM*002*20240401~", "DTM*067*20240402~", "DTM*036*20260131~"} <= set(text.split())
    _same(back, notice)

    response = _read((OWN_SAMPLES / "x12" / "855.x12").read_bytes())
    plain = Line(line_no="9", quantity=line.quantity, uom="EA", dates=dates)
    response = msgspec.structs.replace(response, lines=(*response.lines, plain))
    text, back = _written(response)
    assert "ACK*" not in text.split("PO1*9*")[1]
    _same(back, response)
