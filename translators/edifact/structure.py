"""Which segments each message we read may hold, as data, and the checks built on them.

A message's list is the union of its segment tables in the UN/EDIFACT directories D.94B
to D.24A (EANCOM messages are subsets of them), so a segment any directory allows passes
whatever directory a partner writes. Codes are CONTRL's (data element 0085):

- a segment the message has in no directory (``ZZZ+1`` in an ORDERS): UCS 15, "segment
  not supported in this position". A warning: the gateway's partner profile
  (``[acks] unknown_segments``) says whether it rejects the message;
- a mandatory segment that is absent: UCS 13, "missing", at the position of the last
  segment before the gap (the UNH: every one we require follows it).
"""

from __future__ import annotations

from collections.abc import Mapping

from ..errors import Issue
from .tokenizer import Segment

__all__ = ["REQUIRED", "structure_issues"]


def _tags(text: str) -> frozenset[str]:
    return frozenset(text.split()) | {"UNH", "UNT"}


_SEGMENTS: Mapping[str, frozenset[str]] = {
    "ORDERS": _tags(
        "ALC ALI API APR BGM CAV CCI CED CNT COM CTA CUX DGS DOC DTM EFI EQD FII FTX GEI GIN "
        "GIR GIS HAN IMD LIN LOC MEA MOA MTD NAD PAC PAI PAT PCD PCI PIA PRI PYT QTY QVA QVR "
        "RCS RFF RJL RNG RTE SCC STG STS TAX TDT TOD UNS"
    ),
    "ORDRSP": _tags(
        "AJT ALC ALI API APR BGM CAV CCI CED CNT COM CTA CUX DOC DTM EFI EQD FII FTX GEI GIN "
        "GIR GIS HAN IMD LIN LOC MEA MOA MTD NAD PAC PAI PAT PCD PCI PIA PRI PYT QTY QVA QVR "
        "RCS RFF RNG RTE SCC STG STS TAX TDT TOD UNS"
    ),
    "DESADV": _tags(
        "ALI BGM CED CNT COD COM CPS CTA CUX DGS DLM DTM EFI EQA EQD FTX GIN GIR HAN IMD LIN "
        "LOC MEA MOA NAD PAC PCD PCI PIA QTY QVA QVR RFF SEL SGP TDT TMD TOD"
    ),
    "INVOIC": _tags(
        "AJT ALC ALI API APR BGM CED CNT COM CTA CUX DGS DOC DTM EFI EQD FII FTX GEI GIN GIR "
        "GIS IMD INP LIN LOC MEA MOA NAD PAC PAI PAT PCD PCI PGI PIA PRI PYT QTY QVA QVR RCS "
        "RFF RNG RTE SEL TAX TDT TOD TSR UNS"
    ),
    "APERAK": _tags("BGM CNT COM CTA DOC DTM ERC FTX NAD RFF"),
    "CONTRL": _tags("UCD UCF UCI UCM UCS"),
}

#: Segments without which a message cannot be understood; each follows the UNH.
REQUIRED: Mapping[str, tuple[str, ...]] = {
    "ORDERS": ("BGM",),
    "ORDRSP": ("BGM",),
    "DESADV": ("BGM",),
    "INVOIC": ("BGM",),
    "CONTRL": ("UCI",),
    "APERAK": ("BGM",),
}
_MISSING, _NOT_SUPPORTED = "13", "15"


def structure_issues(segments: list[Segment], code: str) -> list[Issue]:
    """Unknown segments (UCS 15, warnings) and missing mandatory ones (UCS 13) of a
    message (UNH..UNT); nothing for a message type we have no list of."""
    known = _SEGMENTS.get(code)
    if known is None:
        return []
    tags = [seg.tag for seg in segments]
    issues = []
    if not known.issuperset(tags):  # the common case skips this loop
        issues = [
            Issue(
                level="segment",
                code=_NOT_SUPPORTED,
                severity="warning",
                message=f"{seg.tag} (position {index}) is not a segment of the {code}",
                segment_number=seg.number,
                segment_index=index,
                segment_tag=seg.tag,
            )
            for index, seg in enumerate(segments, start=1)
            if seg.tag not in known
        ]
    unh = segments[0]
    issues += [
        Issue(
            level="segment",
            code=_MISSING,
            message=f"mandatory segment {tag} is missing after the UNH (position 1)",
            segment_number=unh.number,
            segment_index=1,
            segment_tag=tag,
        )
        for tag in REQUIRED.get(code, ())
        if tag not in tags
    ]
    return issues
