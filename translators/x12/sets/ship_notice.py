"""856 ship notice: the HL hierarchy shipment -> order -> pack (tare) -> item.

Canonical ``lines`` lists every item; ``packs`` lists the same items grouped under the
pack (P or T level) whose MAN*GM carries the SSCC. Items directly under the order level
are in ``lines`` only.

When the lines are not simply the packs' contents followed by the unpacked lines (a line
of 10 shipped as 4 + 6 in two packs, or lines in another order), one hierarchy cannot
say both, so the notice lists them twice: the lines as items under the order
(S-O-I) and the packs hung from the shipment (S-P-I). A reader seeing items under the
order *and* packs outside any order takes the first as the lines and the second as the
packs' contents only; in any other layout every item is a line.
"""

from __future__ import annotations

import datetime as dt

from ... import codes
from ...errors import Issue
from ...model import Document, Envelope, Line, OrderRef, Pack, Party, Shipment, ShipNotice
from ...segmented import packs_apart
from ...text import digits
from ..common import (
    DATE_QUALIFIERS,
    dec,
    fmt_date,
    fmt_dec,
    parse_date,
    party_from,
    party_segments,
    product_ids,
    trim,
)
from ..tokenizer import Segment
from .orders import date_segments, line_date, product_elements

__all__ = ["read_856", "write_856"]

_PACK_LEVELS = ("P", "T")
_TRACKING_REFS = ("BM", "CN", "2I")  # bill of lading, carrier pro number, tracking number


class _Item:
    __slots__ = ("dates", "fields", "pack")

    def __init__(self, pack: int | None) -> None:
        self.fields: dict[str, object] = {}
        self.dates: dict[str, dt.date] = {}
        self.pack = pack


def _has_order(hl: str, levels: dict[str, str], parents: dict[str, str]) -> bool:
    """Is there an order level (O) among ``hl`` and its ancestors?"""
    seen: set[str] = set()
    while hl and hl not in seen:
        if levels.get(hl) == "O":
            return True
        seen.add(hl)
        hl = parents.get(hl, "")
    return False


def read_856(segments: list[Segment], envelope: Envelope) -> tuple[Document, list[Issue]]:
    bsn = next(s for s in segments if s.tag == "BSN")
    issues: list[Issue] = []
    parties: dict[str, Party] = {}
    dates: dict[str, dt.date] = {}
    shipment: dict[str, object] = {}
    order_refs: list[OrderRef] = []
    packs: list[dict[str, object]] = []
    items: list[_Item] = []
    level = ""
    levels: dict[str, str] = {}  # HL01 -> HL03
    parents: dict[str, str] = {}
    pack_of: dict[str, int] = {}  # HL01 of a pack -> index in packs
    hl_count = 0
    i = 1
    while i < len(segments) - 1:
        seg = segments[i]
        tag = seg.tag
        if tag == "HL":
            hl_count += 1
            hl_id, parent, level = seg.get(1), seg.get(2), seg.get(3)
            levels[hl_id], parents[hl_id] = level, parent
            if level in _PACK_LEVELS:
                pack_of[hl_id] = len(packs)
                packs.append({"_order": _has_order(parent, levels, parents)})
            elif level == "I":
                ancestor, seen = parent, {hl_id}
                while ancestor and ancestor not in pack_of and ancestor in parents:
                    if ancestor in seen:  # HL02 naming itself or a loop: no pack above
                        break
                    seen.add(ancestor)
                    ancestor = parents[ancestor]
                items.append(_Item(pack_of.get(ancestor)))
        elif tag == "N1" and level == "S":
            loop = [seg]
            while i + 1 < len(segments) and segments[i + 1].tag in ("N2", "N3", "N4", "PER"):
                i += 1
                loop.append(segments[i])
            role, party = party_from(loop)
            parties.setdefault(role, party)
        elif tag == "TD5" and level == "S":
            shipment["carrier"] = seg.get(3) or seg.get(5) or None
            if seg.get(3) and seg.get(5):
                shipment["service"] = seg.get(5)
        elif tag == "TD1" and level == "S":
            shipment["package_count"] = int(seg.get(2)) if digits(seg.get(2)) else None
            shipment["weight"] = dec(seg.get(7))
            shipment["weight_uom"] = codes.uom_from_x12(seg.get(8)) if seg.get(8) else None
        elif tag == "REF" and level == "S" and seg.get(1) in _TRACKING_REFS:
            shipment.setdefault("tracking", seg.get(2) or None)
        elif tag == "DTM" and level == "S":
            when = parse_date(seg.get(2))
            if seg.get(1) == "011":
                shipment["ship_date"] = when
            elif seg.get(1) in ("017", "067"):
                shipment["delivery_date"] = when
            elif when is not None:
                dates[DATE_QUALIFIERS.get(seg.get(1), f"x12:{seg.get(1)}")] = when
        elif tag == "PRF" and level == "O":
            order_refs.append(OrderRef(number=seg.get(1), date=parse_date(seg.get(4))))
        elif tag == "MAN" and level in _PACK_LEVELS and seg.get(1) == "GM":
            packs[-1]["sscc"] = seg.get(2)
        elif tag == "LIN" and level == "I" and items:
            items[-1].fields["line_no"] = seg.get(1) or None
            items[-1].fields["product"], lot = product_ids(seg, 2)
            if lot:
                items[-1].fields["lot"] = lot
        elif tag == "SN1" and level == "I" and items:
            items[-1].fields["quantity"] = dec(seg.get(2))
            items[-1].fields["uom"] = codes.uom_from_x12(seg.get(3)) if seg.get(3) else None
            if seg.get(1) and "line_no" not in items[-1].fields:
                items[-1].fields["line_no"] = seg.get(1)
        elif tag == "PID" and level == "I" and items and seg.get(1) == "F":
            items[-1].fields.setdefault("description", seg.get(5) or None)
        elif tag == "DTM" and level == "I" and items:
            line_date(items[-1].dates, seg.get(1), seg.get(2))
        elif tag == "CTT" and digits(seg.get(1)) and int(seg.get(1)) != hl_count:
            issues.append(
                Issue(
                    level="segment",
                    code="8",
                    severity="warning",
                    segment_tag="CTT",
                    segment_number=seg.number,
                    segment_index=i + 1,
                    element=1,
                    message=f"CTT01 says {seg.get(1)} HL levels, found {hl_count}",
                )
            )
        i += 1
    built = [Line(**it.fields, dates=it.dates) for it in items]  # type: ignore[arg-type]
    grouped = [
        Pack(
            sscc=p.get("sscc"),  # type: ignore[arg-type]
            contents=tuple(line for it, line in zip(items, built, strict=True) if it.pack == n),
        )
        for n, p in enumerate(packs)
    ]
    apart = any(it.pack is None for it in items) and any(not p["_order"] for p in packs)
    lines = [  # packs outside any order next to unpacked items: contents only (docstring)
        line
        for it, line in zip(items, built, strict=True)
        if not (apart and it.pack is not None and not packs[it.pack]["_order"])
    ]
    doc = ShipNotice(
        number=bsn.get(2) or None,
        date=parse_date(bsn.get(3)),
        parties=parties,
        lines=tuple(lines),
        envelope=envelope,
        dates=dates,
        shipment=Shipment(**shipment) if shipment else None,  # type: ignore[arg-type]
        packs=tuple(grouped),
        order_refs=tuple(order_refs),
    )
    return doc, issues


def _item(line: Line) -> list[list[str]]:
    out = [trim(["LIN", line.line_no or "", *product_elements(line)])]
    out.append(
        trim(
            [
                "SN1",
                "",
                fmt_dec(line.quantity) if line.quantity is not None else "0",
                codes.uom_to_x12(line.uom) if line.uom else "EA",
            ]
        )
    )
    if line.description:
        out.append(["PID", "F", "", "", "", line.description])
    return out + date_segments(line)


def write_856(doc: Document) -> list[list[str]]:
    assert isinstance(doc, ShipNotice)
    out = [["BSN", "00", doc.number or "", fmt_date(doc.date) if doc.date else "", "0000"]]
    hl = 0

    def level(parent: int, code: str) -> int:
        nonlocal hl
        hl += 1
        out.append(trim(["HL", str(hl), str(parent) if parent else "", code]))
        return hl

    shipment_hl = level(0, "S")
    s = doc.shipment
    if s is not None:
        if s.package_count is not None or s.weight is not None:
            out.append(
                trim(
                    [
                        "TD1",
                        "",
                        str(s.package_count or ""),
                        "",
                        "",
                        "",
                        "G",
                        fmt_dec(s.weight) if s.weight is not None else "",
                        codes.uom_to_x12(s.weight_uom) if s.weight_uom else "",
                    ]
                )
            )
        if s.carrier:
            out.append(trim(["TD5", "", "2", s.carrier, "", s.service or ""]))
        if s.tracking:
            out.append(["REF", "BM", s.tracking])
        if s.ship_date:
            out.append(["DTM", "011", fmt_date(s.ship_date)])
        if s.delivery_date:
            out.append(["DTM", "017", fmt_date(s.delivery_date)])
    for role, party in doc.parties.items():
        out += party_segments(role, party)
    refs = doc.order_refs or (OrderRef(number=""),)
    order_hl = level(shipment_hl, "O")
    ref = refs[0]
    out.append(trim(["PRF", ref.number, "", "", fmt_date(ref.date) if ref.date else ""]))
    packed = [line for pack in doc.packs for line in pack.contents]
    loose = list(doc.lines)
    for line in packed:  # lines holds every item; the packed ones go under their pack
        if line in loose:
            loose.remove(line)
    separate = packs_apart(doc.lines, packed)
    if separate:  # the lines under the order, the packs under the shipment (docstring)
        loose, packs_parent = list(doc.lines), shipment_hl
    else:
        packs_parent = order_hl
    if separate:
        for line in loose:
            level(order_hl, "I")
            out += _item(line)
    for pack in doc.packs:
        pack_hl = level(packs_parent, "P")
        if pack.sscc:
            out.append(["MAN", "GM", pack.sscc])
        for line in pack.contents:
            level(pack_hl, "I")
            out += _item(line)
    if not separate:
        for line in loose:
            level(order_hl, "I")
            out += _item(line)
    for extra in refs[1:]:  # further orders in the same shipment, without their items
        level(shipment_hl, "O")
        out.append(trim(["PRF", extra.number, "", "", fmt_date(extra.date) if extra.date else ""]))
    out.append(["CTT", str(hl)])
    return out
