"""GS1 keys in EDIFACT messages: SSCC, GTIN and GLN check digits, as located issues.

Checks the keys ``body.read_body`` takes, where it takes them: GIN+BJ (the first C208
identity number), LIN C212 and PIA item ids of type EN or SRV (GTIN) or UP (UPC-A, a
GTIN-12), and NAD C082 ids of agency 9 (GLN) outside line groups. A bad key is CONTRL
code 12 (invalid value); a warning (the message is accepted with errors) except an SSCC
in a DESADV, which rejects the message.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..errors import Issue
from ..gs1 import key_issue
from .tokenizer import Segment

__all__ = ["key_issues"]

_INVALID_VALUE = "12"
#: 7143 item types whose id is a GS1 key (as ``codes.EDIFACT_PRODUCT_ID`` maps them).
_PRODUCT_KEYS: Mapping[str, str] = {"EN": "gtin", "SRV": "gtin", "UP": "upc"}


def _issue(
    seg: Segment, index: int, element: int, component: int, key: str, *, error: bool = False
) -> Issue | None:
    return key_issue(
        key,
        seg.get(element, component),
        code=_INVALID_VALUE,
        level="element",
        error=error,
        segment_number=seg.number,
        segment_index=index,
        segment_tag=seg.tag,
        element=element,
        component=component,
    )


def _item(seg: Segment, index: int, element: int) -> Issue | None:
    key = _PRODUCT_KEYS.get(seg.get(element, 2))
    if key is None or not seg.get(element, 1):
        return None
    return _issue(seg, index, element, 1, key)


def key_issues(segments: list[Segment], code: str) -> list[Issue]:
    """A located issue for each SSCC, GTIN or GLN of the message with a bad check digit."""
    found: list[Issue | None] = []
    in_line = False
    despatch = code == "DESADV"  # only a despatch advice maps its packages
    for index, seg in enumerate(segments, start=1):
        tag = seg.tag
        if tag == "LIN":
            in_line = True
            found.append(_item(seg, index, 3))
        elif tag in ("UNS", "CPS"):
            in_line = False
        elif tag == "PIA" and in_line:
            for element in range(2, len(seg.elements) + 1):
                found.append(_item(seg, index, element))
        elif tag == "GIN" and despatch and seg.get(1) == "BJ" and seg.get(2, 1):
            found.append(_issue(seg, index, 2, 1, "sscc", error=True))
        elif tag == "NAD" and not in_line and seg.get(2, 3) == "9" and seg.get(2, 1):
            found.append(_issue(seg, index, 2, 1, "gln"))
    return [i for i in found if i is not None]
