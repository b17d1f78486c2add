"""GS1 keys in X12 sets: SSCC, GTIN and GLN check digits, as located issues.

Checks the keys the mappers take, where they take them: MAN*GM at a pack (P/T) level of
an 856, UP/EN/UK product ids of the line segments (PO1/IT1 from element 6, LIN from
element 2) and N1 ids qualified UL outside the line loops (the 856 reads N1 at the
shipment level only). A bad key is AK4 code 7 (invalid code value); a warning (the set
is accepted with errors, AK5 E) except an SSCC, which rejects the ship notice.
"""

from __future__ import annotations

from collections.abc import Mapping

from ...errors import Issue
from ...gs1 import key_issue
from ..tokenizer import Segment

__all__ = ["key_issues"]

_INVALID_CODE = "7"
#: X12 235 qualifiers whose id is a GS1 key -> the key (UPC-A "UP" is a GTIN-12).
_PRODUCT_KEYS: Mapping[str, str] = {"UP": "upc", "EN": "gtin", "UK": "gtin"}
#: set -> (line segment, element of its first qualifier)
_LINES: Mapping[str, tuple[str, int]] = {
    "850": ("PO1", 6),
    "855": ("PO1", 6),
    "810": ("IT1", 6),
    "856": ("LIN", 2),
}
_PACK_LEVELS = ("P", "T")


def _issue(
    seg: Segment, index: int, element: int, ref: str, key: str, *, error: bool = False
) -> Issue | None:
    return key_issue(
        key,
        seg.get(element),
        code=_INVALID_CODE,
        level="element",
        error=error,
        segment_number=seg.number,
        segment_index=index,
        segment_tag=seg.tag,
        element=element,
        element_ref=ref,
    )


def key_issues(segments: list[Segment], code: str) -> list[Issue]:
    """A located issue for each SSCC, GTIN or GLN of the set with a bad check digit."""
    line_tag, first = _LINES.get(code, ("", 0))
    ship_notice = code == "856"
    found: list[Issue | None] = []
    level = ""
    in_line = False
    for index, seg in enumerate(segments, start=1):
        tag = seg.tag
        if tag == "HL":
            level = seg.get(3)
        elif tag == line_tag and (not ship_notice or level == "I"):
            in_line = not ship_notice
            els = seg.elements
            for i in range(first, len(els) - 1, 2):
                key = _PRODUCT_KEYS.get(els[i])
                if key is not None and els[i + 1]:
                    found.append(_issue(seg, index, i + 1, "234", key))
        elif tag == "CTT":
            in_line = False
        elif tag == "MAN" and ship_notice and level in _PACK_LEVELS and seg.get(1) == "GM":
            found.append(_issue(seg, index, 2, "127", "sscc", error=True))
        elif (
            tag == "N1"
            and seg.get(3) == "UL"
            and seg.get(4)
            and (level == "S" if ship_notice else not in_line)
        ):
            found.append(_issue(seg, index, 4, "67", "gln"))
    return [i for i in found if i is not None]
