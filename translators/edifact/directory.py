"""The UN/EDIFACT directory facts our checks need, as data: segments, data elements and
the code lists we enforce.

``ELEMENTS`` is a small extract of the element directory (UNTDID EDED): each data
element's representation in D93A and the release from which it changed (``1004 an..35
08B:an..70``: an..35 up to D08A, an..70 from D08B on). ``SEGMENTS`` is the extract of
the segment directory (EDSD) for the segments our readers map: per element "M"/"O" and
its components as data element numbers. Where a segment gained a component in a later
directory (RFF 1060 in D98B, NAD C819 in D99B, IMD 3453 ...) the table holds the
longest form for every directory: a partner sending it early loses nothing we read.

An element that changed shape is ``FORM | RELEASE:FORM``: the second form from that
directory on (TDT C228 became C001 in D02B, RFF 4000 gave way to 1056 in D06A). A
component is ``REF[/REP][@N][=LIST][#][~]``:

- ``/REP`` a representation narrower than the directory's for this use (CUX 6345 is an..3
  in the directory and always three letters as ISO 4217 has it: ``an3``);
- ``@N`` its length is the one the date/time format in component N gives
  (``DATE_LENGTHS``: DTM 2380 "20240301" for 102 is n8, "240301" for 101 is n6);
- ``=LIST`` the code list (``CODE_LISTS``) its value must come from;
- ``#`` the reader needs a number here even where the directory allows text (QTY 6060 is
  an..35 from D99B on, but a quantity that is not a number cannot be ordered);
- ``~`` a value too long or not in the list is a warning, not a rejection: the element is
  one we read loosely (BGM 1225 falls back to ``edifact:<code>``) and public samples
  carry such values (``700101`` as a message function).

EANCOM subsets (EAN008 = D96A, EAN010 = D01B ...) are read with their UN directory: they
narrow it by usage rules, never by representation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = [
    "CODE_LISTS",
    "DATE_LENGTHS",
    "ELEMENTS",
    "SEGMENTS",
    "CodeList",
    "ComponentSpec",
    "ElementSpec",
    "release_key",
    "segment_specs",
]


@dataclass(frozen=True, slots=True)
class CodeList:
    """The values a coded element may take. ``closed``: a value outside is an error (12);
    otherwise the list is what we know of an open one and a value outside is a warning."""

    name: str
    codes: frozenset[str] | None
    pattern: re.Pattern[str] | None = None
    closed: bool = True

    def __contains__(self, value: object) -> bool:
        if self.codes is not None:
            return value in self.codes
        return (
            isinstance(value, str)
            and self.pattern is not None
            and bool(self.pattern.fullmatch(value))
        )


def _list(name: str, codes: str, *, closed: bool = True) -> CodeList:
    return CodeList(name, frozenset(codes.split()), closed=closed)


#: Union over D93A..D24A of each list: a code any directory knows is accepted in all (a
#: D96A invoice with VAT category AE, added in D08A, is what EN 16931 asks partners for).
CODE_LISTS: Mapping[str, CodeList] = {
    "0081": _list("0081 section identification", "D S"),
    "1225": _list("1225 message function", " ".join(str(n) for n in range(1, 74))),
    "2379": _list(
        "2379 date/time/period format",
        "2 3 4 5 6 7 8 9 10 101 102 103 104 105 106 107 108 109 110 201 202 203 204 205 "
        "206 207 208 209 210 301 302 303 304 305 306 307 308 401 402 404 405 406 501 502 "
        "503 600 601 602 603 604 608 609 610 613 614 615 616 701 702 703 704 705 706 707 "
        "708 709 710 711 713 715 716 717 718 719 720 721 801 802 803 804 805 806 807 808 "
        "809 810 811 812 813 814",
        closed=False,  # a format we do not know leaves the date unread: said, not refused
    ),
    "5125": _list(
        "5125 price code qualifier",
        "AAA AAB AAC AAD AAE AAF AAG AAH CAL INF INV ZZZ",
        closed=False,  # the price is read whatever its qualifier
    ),
    "5283": _list("5283 duty/tax/fee function qualifier", "1 2 3 4 5 6 7 9"),
    "5305": _list(
        "5305 duty/tax/fee category",
        "A AA AB AC AD AE B C D E F G H I J K L M N O S Z",
        closed=False,  # grows with every EU VAT rule (K in D18A, N in D22A)
    ),
    "6347": _list("6347 currency usage qualifier", "1 2 3 4 5 6 7"),
    "ISO4217": CodeList("ISO 4217 currency code", None, re.compile("[A-Z]{3}")),
}


def _elements(text: str) -> dict[str, tuple[tuple[tuple[int, str], str], ...]]:
    out = {}
    for line in text.strip().splitlines():
        ref, base, *changes = line.split()
        steps = [((0, ""), base)]
        for change in changes:
            release, _, rep = change.partition(":")
            steps.append((release_key(release), rep))
        out[ref] = tuple(steps)
    return out


def release_key(release: str) -> tuple[int, str]:
    """Sort key of a directory release: "96A" -> (1996, "A"), "01B" -> (2001, "B");
    (0, "") for what is not a release ("1", "0:96A"'s "096A" still reads as 96A)."""
    tail = release[-3:]
    if len(tail) < 3 or not tail[:2].isdigit() or not tail[2].isalpha():
        return (0, "")
    year = int(tail[:2])
    return (1900 + year if year >= 90 else 2000 + year, tail[2].upper())


#: Data element -> its representation in D93A, then "release:representation" changes.
ELEMENTS = _elements(
    """
    0062 an..14
    0065 an..6
    0052 an..3
    0054 an..3
    0051 an..3
    0057 an..6
    0068 an..35
    0070 n..2
    0073 a1
    0074 n..6
    0081 a1
    0110 an..6
    0113 an..6
    1000 an..35
    1001 an..3
    1004 an..35 08B:an..70
    1056 an..9
    1060 an..6
    1082 n..6 97A:an..6
    1131 an..3 00B:an..17
    1153 an..3
    1154 an..35 00B:an..70
    1156 an..6
    1222 n..2
    1225 an..3
    1227 an..3
    1229 an..3
    1230 an..35
    2005 an..3
    2009 an..3
    2151 an..3
    2152 n..3
    2379 an..3
    2380 an..35
    2475 an..3
    3035 an..3
    3036 an..35 08B:an..70
    3039 an..35
    3042 an..35 17A:an..256
    3045 an..3
    3055 an..3
    3124 an..35
    3127 an..17
    3128 an..35
    3164 an..35
    3207 an..3
    3222 an..70
    3223 an..25 06A:an..35
    3224 an..17 96A:an..70 99B:an..256
    3225 an..25 01C:an..35
    3227 an..3
    3228 an..70
    3229 an..9
    3232 an..70
    3233 an..25 06A:an..35
    3251 an..9 99B:an..17
    3446 an..20
    3453 an..3
    4000 an..35
    4276 an..35
    4277 an..17
    4279 an..3
    4343 an..3
    4347 an..3
    4405 an..3
    4440 an..70 99B:an..512
    4441 an..3 96B:an..17
    4447 an..3
    4451 an..3
    4453 an..3
    4471 an..3
    5004 n..18 98A:n..35
    5025 an..3
    5118 n..15
    5125 an..3
    5152 an..35
    5153 an..3
    5189 an..3
    5213 an..3
    5273 an..12
    5278 an..17
    5279 an..7
    5283 an..3
    5284 n..9
    5286 an..15
    5289 an..6
    5305 an..3
    5375 an..3
    5387 an..3
    5402 n..12
    5463 an..3
    5479 an..3
    5495 an..3
    6060 n..15 99B:an..35
    6063 an..3
    6066 n..18
    6069 an..3
    6341 an..3
    6343 an..3
    6345 an..3
    6347 an..3
    6348 n..4
    6411 an..3 03A:an..8
    7008 an..35 98B:an..256
    7009 an..7 95B:an..17
    7064 an..35
    7065 an..17
    7073 an..3
    7075 an..3
    7077 an..3
    7081 an..3
    7083 an..3
    7130 an..17
    7140 an..35
    7143 an..3
    7160 an..35
    7161 an..3
    7164 an..12 99A:an..35
    7166 an..12 99B:an..35
    7224 n..8
    7233 an..3
    7383 an..3
    7402 an..35
    7405 an..3
    8028 an..17
    8051 an..3
    8066 an..17
    8067 an..3
    8101 an..3
    8178 an..17
    8179 an..8
    8212 an..35 05B:an..70
    8213 an..9 05B:an..35
    8281 an..3
    8393 an..3
    8395 an..3
    8453 an..3
    8457 an..3
    8459 an..3
    """
)

#: Segment -> its elements: "M"/"O", then the components (see the module docstring).
SEGMENTS: Mapping[str, tuple[str, ...]] = {
    "UNH": (
        "M 0062",
        "M 0065 0052 0054 0051 0057 0110 0113",
        "O 0068",
        "O 0070 0073",
    ),
    "UNT": ("M 0074", "M 0062"),
    "BGM": ("O 1001 1131 3055 1000", "O 1004 1056 1060", "O 1225=1225~", "O 4343"),
    "DTM": ("M 2005 2380@3 2379=2379",),
    "RFF": ("M 1153 1154 1156 4000 1060 | 06A:M 1153 1154 1156 1056 1060",),
    "NAD": (
        "M 3035",
        "O 3039 1131 3055",
        "O 3124 3124 3124 3124 3124",
        "O 3036 3036 3036 3036 3036 3045",
        "O 3042 3042 3042 3042",
        "O 3164",
        "O 3229 1131 3055 3228",
        "O 3251",
        "O 3207",
    ),
    "CUX": (
        "O 6347=6347 6345/an3=ISO4217 6343 6348",
        "O 6347=6347 6345/an3=ISO4217 6343 6348",
        "O 5402",
        "O 6341",
    ),
    "LIN": ("O 1082", "O 1229", "O 7140 7143 1131 3055", "O 5495~ 1082", "O 1222", "O 7083"),
    "PIA": (
        "M 4347",
        "M 7140 7143 1131 3055",
        "O 7140 7143 1131 3055",
        "O 7140 7143 1131 3055",
        "O 7140 7143 1131 3055",
        "O 7140 7143 1131 3055",
    ),
    "IMD": ("O 7077", "O 7081 1131 3055", "O 7009 1131 3055 7008 7008 3453", "O 7383"),
    "QTY": ("M 6063 6060# 6411~",),
    "PRI": ("O 5125=5125 5118 5375 5387 5284 6411~", "O 5213"),
    "MOA": ("M 5025 5004 6345 6343 4405",),
    "TAX": (
        "M 5283=5283",
        "O 5153 1131 3055 5152",
        "O 5289 1131 3055",
        "O 5286",
        "O 5279 1131 3055 5278 5273 1131 3055",
        "O 5305=5305",
        "O 3446",
        "O 1227",
    ),
    "FTX": (
        "M 4451",
        "O 4453",
        "O 4441 1131 3055",
        "O 4440 4440 4440 4440 4440",
        "O 3453",
        "O 4447",
    ),
    "CNT": ("M 6069 6066 6411~",),
    "UNS": ("M 0081=0081",),
    "CPS": ("M 7164", "O 7166", "O 7075"),
    "PAC": (
        "O 7224",
        "O 7075 7233 7073",
        "O 7065 1131 3055 7064",
        "O 7077 7064 7143 7064 7143",
        "O 8395 8393",
    ),
    "GIN": (
        "M 7405",
        "M 7402 7402",
        "O 7402 7402",
        "O 7402 7402",
        "O 7402 7402",
        "O 7402 7402",
    ),
    "TDT": (
        "M 8051",
        "O 8028",
        "O 8067 8066",
        "O 8179 8178 | 02B:O 8179 1131 3055 8178",
        "O 3127 1131 3055 3128",
        "O 8101",
        "O 8457 8459 7130",
        "O 8213 1131 3055 8212 8453",
        "O 8281",
    ),
    "ALC": ("M 5463", "O 1230 5189", "O 4471", "O 1227", "O 7161 1131 3055 7160 7160"),
    "PAT": ("M 4279", "O 4277 1131 3055 4276 4276", "O 2475 2009 2151 2152"),
    "LOC": (
        "M 3227",
        "O 3225 1131 3055 3224",
        "O 3223 1131 3055 3222",
        "O 3233 1131 3055 3232",
        "O 5479",
    ),
}


#: DTM 2379 format -> the length of the 2380 value it describes (the formats we read,
#: and the common fixed-length ones); an unknown format fixes no length.
DATE_LENGTHS: Mapping[str, int] = {
    "101": 6,  # YYMMDD
    "102": 8,  # CCYYMMDD
    "201": 10,  # YYMMDDHHMM
    "203": 12,  # CCYYMMDDHHMM
    "204": 14,  # CCYYMMDDHHMMSS
    "401": 4,  # HHMM
    "616": 6,  # CCYYWW
}


@dataclass(frozen=True, slots=True)
class ComponentSpec:
    ref: str  # data element number, "1004"
    min: int
    max: int
    numeric: bool  # checked as a number: an n.. representation, or ``#``
    digits: bool  # the length counts digits only (n..: ISO 9735 leaves out sign and mark)
    codes: CodeList | None = None
    lenient: bool = False  # ``~``: length and code issues are warnings
    date_format: int = 0  # ``@N``: 1-based component whose format fixes the length


@dataclass(frozen=True, slots=True)
class ElementSpec:
    required: bool
    parts: tuple[ComponentSpec, ...]

    @property
    def components(self) -> int:
        return len(self.parts)


_REP = re.compile(r"(an|a|n)(\.\.)?(\d+)")
_COMPONENT = re.compile(r"(\d{4})(?:/(\w+\.?\.?\d+))?(?:@(\d))?(?:=(\w+))?(#?)(~?)")


def _component(token: str, release: tuple[int, str]) -> ComponentSpec:
    found = _COMPONENT.fullmatch(token)
    if found is None:
        raise ValueError(f"bad component {token!r}")
    ref, narrower, date_format, codes, number, lenient = found.groups()
    directory = _REP.fullmatch(_representation(ref, release))
    rep = _REP.fullmatch(narrower) if narrower else directory
    if rep is None or directory is None:
        raise ValueError(f"bad representation for {token!r}")
    size = int(rep.group(3))
    numeric = directory.group(1) == "n"
    return ComponentSpec(
        ref=ref,
        min=1 if rep.group(2) else size,
        max=size,
        numeric=numeric or number == "#",
        digits=numeric,
        codes=CODE_LISTS[codes] if codes else None,
        lenient=lenient == "~",
        date_format=int(date_format or 0),
    )


def _element(text: str, release: tuple[int, str]) -> ElementSpec:
    form, *later = text.split(" | ")
    for change in later:
        since, _, changed = change.partition(":")
        if release_key(since) <= release:
            form = changed
    status, *components = form.split()
    return ElementSpec(status == "M", tuple(_component(c, release) for c in components))


def segment_specs(release: tuple[int, str]) -> dict[str, tuple[ElementSpec, ...]]:
    """Every segment's element specs in the directory ``release`` (``release_key``)."""
    return {
        tag: tuple(_element(e, release) for e in elements) for tag, elements in SEGMENTS.items()
    }


def _representation(ref: str, release: tuple[int, str]) -> str:
    steps = ELEMENTS[ref]
    rep = steps[0][1]
    for since, changed in steps[1:]:
        if since <= release:
            rep = changed
    return rep
