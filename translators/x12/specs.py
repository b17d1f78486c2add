"""Element specifications of the segments we read and write, as data, and their checks.

Each element is ``"<ref> <M|O> <type> <min> <max> [code-list]"``: its data element
reference number (AK402 / IK402: BEG03 is 324, PO102 330), then the X12 data type
(AN, ID, DT, TM, N0, N2, R). Segments without a spec here are accepted as they
are: real partners send many segments we do not map, and refusing them would reject
good orders. Codes are the 997/999 AK4/IK4 element codes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..text import digits as ascii_digits

__all__ = [
    "CODE_LISTS",
    "RELEASES",
    "SPECS",
    "VALID",
    "ElementError",
    "ElementSpec",
    "Rules",
    "check_elements",
    "element_errors",
    "rules_for",
]

#: AK4 / IK4 element syntax error codes.
MISSING, TOO_MANY, TOO_SHORT, TOO_LONG, BAD_CHAR, BAD_CODE, BAD_DATE, BAD_TIME = (
    "1",
    "3",
    "4",
    "5",
    "6",
    "7",
    "8",
    "9",
)


@dataclass(frozen=True, slots=True)
class ElementSpec:
    ref: str  # data element reference number
    required: bool
    type: str
    min: int
    max: int
    codes: frozenset[str] | None = None

    @property
    def kind(self) -> int:
        """0 text, 1 decimal (R), 2 integer (Nn), 3 other: picks check_elements' fast path."""
        return _KINDS.get(self.type, 3 if not self.type.startswith("N") else 2)


@dataclass(frozen=True, slots=True)
class ElementError:
    position: int
    code: str
    message: str
    value: str | None = None
    ref: str | None = None  # data element reference number, where the spec has it


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


CODE_LISTS: Mapping[str, frozenset[str]] = {
    "ISA01": _codes("00 01 02 03 04 05 06"),
    "ISA03": _codes("00 01"),
    "I05": _codes(
        "01 02 03 04 07 08 09 10 11 12 13 14 15 16 17 18 19 20 27 28 29 30 31 32 33 34 NR SA SN ZZ"
    ),
    "ISA14": _codes("0 1"),
    "ISA15": _codes("P T I"),
    "GS07": _codes("T X"),
    "BAK02": _codes("AC AD AE AH AK AP AT NA RD RF RJ RO RV ZZ"),
    "ACK01": _codes("AC AR BP CP DR IA IB IC ID IE IF IH IP IQ IR IS IW R1 R2 R3 R4 SP"),
    "HL03": _codes("S O P T I F Q D E G"),
    "AK5": _codes("A E M R W X"),
    "AK9": _codes("A E M P R W X"),
    "TA104": _codes("A E R"),
    "SAC01": _codes("A C N"),
    "TXI01": _codes(
        "CA CB CG CI CP CS CT EQ ET EV FD FF FI FR FT GS HS LB LO LS LT LU MA MN MP MT OH OT "
        "PG PS SA SB SC SE SL SP ST SU SX TD TX VA ZZ"
    ),
}


def _spec(text: str) -> ElementSpec:
    parts = text.split()
    return ElementSpec(
        parts[0],
        parts[1] == "M",
        parts[2],
        int(parts[3]),
        int(parts[4]),
        CODE_LISTS[parts[5]] if len(parts) > 5 else None,
    )


def _seg(*elements: str) -> tuple[ElementSpec, ...]:
    return tuple(_spec(e) for e in elements)


SPECS: Mapping[str, tuple[ElementSpec, ...]] = {
    "ISA": _seg(
        "I01 M ID 2 2 ISA01",
        "I02 M AN 10 10",
        "I03 M ID 2 2 ISA03",
        "I04 M AN 10 10",
        "I05 M ID 2 2 I05",
        "I06 M AN 15 15",
        "I05 M ID 2 2 I05",
        "I07 M AN 15 15",
        "I08 M DT 6 6",
        "I09 M TM 4 4",
        "I10 M AN 1 1",
        "I11 M ID 5 5",
        "I12 M N0 9 9",
        "I13 M ID 1 1 ISA14",
        "I14 M ID 1 1 ISA15",
        "I15 M AN 1 1",
    ),
    "IEA": _seg("I16 M N0 1 5", "I12 M N0 9 9"),
    "GS": _seg(
        "479 M ID 2 2",
        "142 M AN 2 15",
        "124 M AN 2 15",
        "373 M DT 8 8",
        "337 M TM 4 8",
        "28 M N0 1 9",
        "455 M ID 1 2 GS07",
        "480 M AN 1 12",
    ),
    "GE": _seg("97 M N0 1 6", "28 M N0 1 9"),
    "ST": _seg("143 M ID 3 3", "329 M AN 4 9", "1705 O AN 1 35"),
    "SE": _seg("96 M N0 1 10", "329 M AN 4 9"),
    "BEG": _seg(
        "353 M ID 2 2",
        "92 M ID 2 2",
        "324 M AN 1 22",
        "328 O AN 1 30",
        "373 M DT 8 8",
        "367 O AN 1 30",
        "587 O ID 2 2",
        "1019 O ID 2 2",
        "1166 O ID 2 2",
        "1232 O ID 2 2",
        "786 O ID 2 2",
        "640 O ID 2 2",
    ),
    "CUR": _seg("98 M ID 2 3", "100 M ID 3 3", "280 O R 4 10"),
    "REF": _seg("128 M ID 2 3", "127 O AN 1 50", "352 O AN 1 80"),
    "DTM": _seg(
        "374 M ID 3 3",
        "373 O DT 8 8",
        "337 O TM 4 8",
        "623 O ID 2 2",
        "1250 O ID 2 3",
        "1251 O AN 1 35",
    ),
    "N1": _seg(
        "98 M ID 2 3",
        "93 O AN 1 60",
        "66 O ID 1 2",
        "67 O AN 2 80",
        "706 O ID 2 2",
        "98 O ID 2 3",
    ),
    "N2": _seg("93 M AN 1 60", "93 O AN 1 60"),
    "N3": _seg("166 M AN 1 55", "166 O AN 1 55"),
    "N4": _seg(
        "19 O AN 2 30",
        "156 O ID 2 2",
        "116 O ID 3 15",
        "26 O ID 2 3",
        "309 O ID 1 2",
        "310 O AN 1 30",
    ),
    "PO1": _seg("350 O AN 1 20", "330 O R 1 15", "355 O ID 2 2", "212 O R 1 17", "639 O ID 2 2"),
    "PID": _seg("349 M ID 1 1", "750 O ID 2 3", "559 O ID 2 2", "751 O AN 1 12", "352 O AN 1 80"),
    "CTT": _seg(
        "354 M N0 1 6",
        "347 O R 1 10",
        "81 O R 1 10",
        "355 O ID 2 2",
        "183 O R 1 8",
        "355 O ID 2 2",
    ),
    "AMT": _seg("522 M ID 1 3", "782 M R 1 18", "478 O ID 1 1"),
    "BAK": _seg(
        "353 M ID 2 2",
        "587 M ID 2 2 BAK02",
        "324 M AN 1 22",
        "373 M DT 8 8",
        "328 O AN 1 30",
        "326 O AN 1 30",
        "367 O AN 1 30",
        "127 O AN 1 30",
        "373 O DT 8 8",
    ),
    "ACK": _seg(
        "668 M ID 2 2 ACK01",
        "380 O R 1 15",
        "355 O ID 2 2",
        "374 O ID 3 3",
        "373 O DT 8 8",
    ),
    "BSN": _seg("353 M ID 2 2", "396 M AN 2 30", "373 M DT 8 8", "337 M TM 4 8", "1005 O ID 4 4"),
    "HL": _seg("628 M AN 1 12", "734 O AN 1 12", "735 M ID 1 2 HL03", "736 O ID 1 1"),
    "TD1": _seg(
        "103 O AN 3 5",
        "80 O N0 1 7",
        "23 O ID 1 1",
        "22 O ID 1 3",
        "79 O AN 1 50",
        "187 O ID 1 2",
        "81 O R 1 10",
        "355 O ID 2 2",
    ),
    "TD5": _seg("133 O ID 1 2", "66 O ID 1 2", "67 O AN 2 80", "91 O ID 1 2", "387 O AN 1 35"),
    "PRF": _seg("324 M AN 1 22", "328 O AN 1 30", "327 O AN 1 8", "373 O DT 8 8"),
    "MAN": _seg("88 M ID 1 2", "87 M AN 1 48"),
    "LIN": _seg("350 O AN 1 20", "235 M ID 2 2", "234 M AN 1 48"),
    "SN1": _seg("350 O AN 1 20", "382 M R 1 10", "355 M ID 2 2"),
    "BIG": _seg(
        "373 M DT 8 8",
        "76 M AN 1 22",
        "373 O DT 8 8",
        "324 O AN 1 22",
        "328 O AN 1 30",
        "327 O AN 1 8",
        "640 O ID 2 2",
    ),
    "IT1": _seg("350 O AN 1 20", "358 O R 1 10", "355 O ID 2 2", "212 O R 1 17", "639 O ID 2 2"),
    "TDS": _seg("610 M N2 1 15", "610 O N2 1 15", "610 O N2 1 15", "610 O N2 1 15"),
    "TXI": _seg("963 M ID 2 2 TXI01", "782 O R 1 18", "954 O R 1 10"),
    "AK1": _seg("479 M ID 2 2", "28 M N0 1 9", "480 O AN 1 12"),
    "AK2": _seg("143 M ID 3 3", "329 M AN 4 9", "1705 O AN 1 35"),
    "AK3": _seg("721 M ID 2 3", "719 M N0 1 10", "447 O AN 1 4", "720 O ID 1 3"),
    "IK3": _seg("721 M ID 2 3", "719 M N0 1 10", "447 O AN 1 4", "620 O ID 1 3"),
    "AK5": _seg(
        "717 M ID 1 1 AK5",
        "718 O ID 1 3",
        "718 O ID 1 3",
        "718 O ID 1 3",
        "718 O ID 1 3",
        "718 O ID 1 3",
    ),
    "IK5": _seg(
        "717 M ID 1 1 AK5",
        "618 O ID 1 3",
        "618 O ID 1 3",
        "618 O ID 1 3",
        "618 O ID 1 3",
        "618 O ID 1 3",
    ),
    "AK9": _seg(
        "715 M ID 1 1 AK9",
        "97 M N0 1 6",
        "123 M N0 1 6",
        "2 M N0 1 6",
        "716 O ID 1 3",
        "716 O ID 1 3",
        "716 O ID 1 3",
        "716 O ID 1 3",
        "716 O ID 1 3",
    ),
    "TA1": _seg(
        "I12 M N0 9 9", "I08 M DT 6 6", "I09 M TM 4 4", "I17 M ID 1 1 TA104", "I18 M ID 3 3"
    ),
}

#: 810 segments for EN 16931 data (ITD terms, SAC allowances and charges), kept as their
#: own block; each element's reference number is in its comment.
_INVOICE_SPECS: Mapping[str, tuple[ElementSpec, ...]] = {
    "ITD": _seg(
        "336 O ID 2 2",  # terms type
        "333 O ID 1 2",  # terms basis date
        "338 O R 1 6",  # terms discount percent
        "370 O DT 8 8",  # terms discount due date
        "351 O N0 1 3",  # terms discount days due
        "446 O DT 8 8",  # terms net due date
        "386 O N0 1 3",  # terms net days
        "362 O N2 1 10",  # terms discount amount
        "388 O DT 8 8",  # terms deferred due date
        "389 O N2 1 10",  # deferred amount due
        "342 O R 1 5",  # percent of invoice payable
        "352 O AN 1 80",  # description
        "765 O N0 1 2",  # day of month
        "107 O ID 1 2",  # payment method
        "954 O R 1 10",  # percent
    ),
    "SAC": _seg(
        "248 M ID 1 1 SAC01",  # allowance or charge indicator
        "1300 O ID 4 4",  # service, promotion, allowance or charge code
        "559 O ID 2 2",  # agency qualifier
        "1301 O AN 1 10",  # agency service, promotion, allowance or charge code
        "610 O N2 1 15",  # amount
        "378 O ID 1 1",  # allowance/charge percent qualifier
        "332 O R 1 6",  # percent
        "118 O R 1 9",  # rate
        "355 O ID 2 2",  # unit of measure
        "380 O R 1 15",  # quantity
        "380 O R 1 15",  # quantity
        "331 O ID 2 2",  # allowance or charge method of handling
        "127 O AN 1 30",  # reference identification
        "770 O AN 1 20",  # option number
        "352 O AN 1 80",  # description
        "819 O ID 2 3",  # language
    ),
}
SPECS = {**SPECS, **_INVOICE_SPECS}


_KINDS = {"AN": 0, "ID": 0, "R": 1}
#: Segments whose spec lists every element, so extra elements are an error (AK4 3).
_ENVELOPE = frozenset({"ISA", "IEA", "GS", "GE", "ST", "SE", "TA1"})


def _bad_value(spec: ElementSpec, value: str) -> tuple[str, str] | None:
    t = spec.type
    if t in ("N0", "N2") or t.startswith("N"):
        digits = value[1:] if value.startswith("-") else value
        if not ascii_digits(digits):
            return BAD_CHAR, f"{value!r} is not a whole number"
        size = len(digits)
    elif t == "R":
        body = value[1:] if value.startswith("-") else value
        if body.count(".") > 1 or not ascii_digits(body.replace(".", "")):
            return BAD_CHAR, f"{value!r} is not a decimal number"
        size = len(body.replace(".", ""))
    else:
        size = len(value)
    if size < spec.min:
        return TOO_SHORT, f"{value!r} is shorter than {spec.min}"
    if size > spec.max:
        return TOO_LONG, f"{value!r} is longer than {spec.max}"
    if t == "DT" and not _valid_date(value):
        return BAD_DATE, f"{value!r} is not a valid date"
    if t == "TM" and not _valid_time(value):
        return BAD_TIME, f"{value!r} is not a valid time"
    if spec.codes is not None and value not in spec.codes:
        return BAD_CODE, f"{value!r} is not a valid code here"
    return None


def _valid_date(value: str) -> bool:
    if not ascii_digits(value) or len(value) not in (6, 8):
        return False
    year = int(value[:-4]) + (2000 if len(value) == 6 else 0)
    try:
        dt.date(year, int(value[-4:-2]), int(value[-2:]))
    except ValueError:
        return False
    return True


def _valid_time(value: str) -> bool:
    if not ascii_digits(value) or len(value) < 4:
        return False
    hh, mm, ss = int(value[:2]), int(value[2:4]), int(value[4:6] or 0)
    return hh < 24 and mm < 60 and ss < 60


_NONE: list[ElementError] = []


def check_elements(elements: list[str]) -> list[ElementError]:
    """Element errors of one segment (``elements[0]`` is the tag) by the 004010 and later
    rules; unknown tags pass. ``Rules.check`` does the same for a release's own rules."""
    return RULES.check(elements)


def element_errors(elements: list[str]) -> list[ElementError]:
    """Every error of one segment by the 004010 and later rules (see ``Rules.errors``)."""
    return RULES.errors(elements)


_Fast = Mapping[str, tuple[tuple[ElementSpec, int, int, int, frozenset[str] | None], ...]]


def _element_errors(fast: _Fast, elements: list[str]) -> list[ElementError]:
    """The element-by-element check behind ``Rules.check``: every error, with its
    position, code and message. Valid text and numbers take an inline path; only a
    suspect value goes through ``_bad_value``."""
    specs = fast.get(elements[0])
    if specs is None:
        return _NONE
    errors: list[ElementError] | None = None
    count = len(elements)
    if count - 1 > len(specs) and elements[0] in _ENVELOPE:
        errors = [ElementError(len(specs) + 1, TOO_MANY, "too many data elements")]
    for pos, (spec, kind, low, high, codes) in enumerate(specs, start=1):
        value = elements[pos] if pos < count else ""
        if not value or (kind and value.isspace()):
            if spec.required:
                errors = errors or []
                errors.append(
                    ElementError(pos, MISSING, "mandatory data element missing", ref=spec.ref)
                )
            continue
        if kind == 0:
            if low <= len(value) <= high and (codes is None or value in codes):
                continue
        elif kind == 1:
            digits = value.lstrip("-").replace(".", "", 1)
            if digits.isascii() and digits.isdigit() and low <= len(digits) <= high:
                continue
        elif kind == 2:
            digits = value.lstrip("-")
            if digits.isascii() and digits.isdigit() and low <= len(digits) <= high:
                continue
        bad = _bad_value(spec, value)
        if bad is not None:
            errors = errors or []
            errors.append(ElementError(pos, bad[0], bad[1], value, spec.ref))
    return errors or _NONE


# --- compiled checks -----------------------------------------------------------------------
# Each segment spec becomes one straight-line function of the element list that answers
# "no errors at all?" with the same tests as ``element_errors`` (its inline path for AN/ID,
# R and Nn; ``_bad_value``'s length and date/time tests for DT/TM), element after element,
# without a loop, tuple unpacking or a call per element. False means "look closer":
# ``element_errors`` then finds what is wrong (or, for a whitespace optional number,
# that nothing is).


def _element_source(pos: int, spec: ElementSpec, kind: int) -> list[str]:
    low, high = spec.min, spec.max
    size = f"len({'d' if kind in (1, 2) else 'v'})"
    length = f"{size} == {low}" if low == high else f"{low} <= {size} <= {high}"
    ok = length
    if kind == 1:
        prep = ['d = v.lstrip("-").replace(".", "", 1)']
        ok = f"d.isascii() and d.isdigit() and {length}"
    elif kind == 2:
        prep = ['d = v.lstrip("-")']
        ok = f"d.isascii() and d.isdigit() and {length}"
    else:
        prep = []
        if spec.type == "DT":
            ok += " and _valid_date(v)"
        elif spec.type == "TM":
            ok += " and _valid_time(v)"
    if spec.codes is not None:
        ok += f" and v in C{pos}"
    body = [f"v = els[{pos}]"]
    if spec.required:
        body += ["if not v:", "    return False", *prep, f"if not ({ok}):", "    return False"]
    else:
        body += [
            "if v:",
            *[f"    {p}" for p in prep],
            f"    if not ({ok}):",
            "        return False",
        ]
    return body


def _compile(tag: str, specs: tuple[ElementSpec, ...]) -> Callable[[list[str]], bool]:
    last_required = max((p for p, s in enumerate(specs, start=1) if s.required), default=0)
    src = ["def valid(els):", "    n = len(els)"]
    if tag in _ENVELOPE:
        src += [f"    if n > {len(specs) + 1}:", "        return False"]
    if last_required:
        src += [f"    if n <= {last_required}:", "        return False"]
    namespace: dict[str, object] = {"_valid_date": _valid_date, "_valid_time": _valid_time}
    for pos, spec in enumerate(specs, start=1):
        if pos > last_required:
            src += [f"    if n <= {pos}:", "        return True"]
        src += [f"    {line}" for line in _element_source(pos, spec, spec.kind)]
        if spec.codes is not None:
            namespace[f"C{pos}"] = spec.codes
    src.append("    return True")
    exec("\n".join(src), namespace)  # the source is built above from SPECS only
    valid: Callable[[list[str]], bool] = namespace["valid"]  # type: ignore[assignment]
    valid.__qualname__ = valid.__name__ = f"valid_{tag}"
    return valid


class Rules:
    """One release family's element rules: the compiled checks (tag -> "are this
    segment's elements free of errors?") and the full check that says what is wrong."""

    __slots__ = ("_fast", "_short_dates", "valid")

    def __init__(self, specs: Mapping[str, tuple[ElementSpec, ...]]) -> None:
        self._short_dates: Mapping[str, tuple[int, ...]] = {
            tag: short
            for tag, s in specs.items()
            if tag not in ("ISA", "TA1")  # YYMMDD in every release, written so
            and (short := tuple(p for p, e in enumerate(s, 1) if e.type == "DT" and e.max == 6))
        }
        self.valid: Mapping[str, Callable[[list[str]], bool]] = {
            tag: _compile(tag, s) for tag, s in specs.items()
        }
        self._fast: _Fast = {
            tag: tuple((e, e.kind, e.min, e.max, e.codes) for e in s) for tag, s in specs.items()
        }

    def check(self, elements: list[str]) -> list[ElementError]:
        """Element errors of one segment; a segment its compiled check passes has none."""
        valid = self.valid.get(elements[0])
        if valid is None or valid(elements):
            return _NONE
        return _element_errors(self._fast, elements)

    def errors(self, elements: list[str]) -> list[ElementError]:
        return _element_errors(self._fast, elements)

    def written(self, elements: list[str]) -> list[str]:
        """A segment as these rules write it: set writers give CCYYMMDD dates, and a
        release whose dates are YYMMDD drops the century."""
        short = self._short_dates.get(elements[0])
        if short is None:
            return elements
        out = list(elements)
        for p in short:
            if p < len(out) and len(out[p]) == 8 and ascii_digits(out[p]):
                out[p] = out[p][2:]
        return out


def _six_digit_dates(
    specs: Mapping[str, tuple[ElementSpec, ...]],
) -> dict[str, tuple[ElementSpec, ...]]:
    """Before 004010 (the Y2K release) every date element was DT 6/6, YYMMDD."""
    return {
        tag: tuple(
            dataclasses.replace(e, min=6, max=6) if e.type == "DT" and e.max == 8 else e for e in s
        )
        for tag, s in specs.items()
    }


RULES = Rules(SPECS)
_RULES_003 = Rules(_six_digit_dates(SPECS))
#: Tag -> "are this segment's elements free of errors?" by the 004010 and later rules.
VALID: Mapping[str, Callable[[list[str]], bool]] = RULES.valid

#: The X12 releases we read. Their rules differ where it matters for reading: dates are
#: YYMMDD before 004010 and CCYYMMDD from it; lengths and code lists are the union of the
#: releases (lenient, as the segment tables in ``sets.structure`` are).
RELEASES: tuple[str, ...] = (
    *(f"0030{n}0" for n in range(1, 8)),
    *(f"0040{n}0" for n in range(1, 7)),
    *(f"0050{n}0" for n in range(1, 6)),
    *(f"0060{n}0" for n in range(1, 6)),
    *(f"0070{n}0" for n in range(1, 7)),
    "008010",
)


def rules_for(version: str) -> tuple[Rules, str | None]:
    """The rules for a GS08 version ("003040", "004010VICS", "005010X231A1") and, when
    it is no release we know, the nearest release it is read as. A value with no
    six-digit release at all (GS08 missing or garbled: already a GS error) gets the
    004010 rules and no second complaint."""
    release = version.strip()[:6]
    if len(release) != 6 or not ascii_digits(release):
        return RULES, None
    nearest = None
    if release not in RELEASES:
        nearest = min(RELEASES, key=lambda known: abs(int(known) - int(release)))
        release = nearest
    return (_RULES_003 if release < "004010" else RULES), nearest
