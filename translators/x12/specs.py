"""Element specifications of the segments we read and write, as data, and their checks.

Each element is ``"<M|O> <type> <min> <max> [code-list]"``; types are the X12 data
types (AN, ID, DT, TM, N0, N2, R). Segments without a spec here are accepted as they
are: real partners send many segments we do not map, and refusing them would reject
good orders. Codes are the 997/999 AK4/IK4 element codes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..text import digits as ascii_digits

__all__ = [
    "CODE_LISTS",
    "SPECS",
    "VALID",
    "ElementError",
    "ElementSpec",
    "check_elements",
    "element_errors",
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
        parts[0] == "M",
        parts[1],
        int(parts[2]),
        int(parts[3]),
        CODE_LISTS[parts[4]] if len(parts) > 4 else None,
    )


def _seg(*elements: str) -> tuple[ElementSpec, ...]:
    return tuple(_spec(e) for e in elements)


SPECS: Mapping[str, tuple[ElementSpec, ...]] = {
    "ISA": _seg(
        "M ID 2 2 ISA01",
        "M AN 10 10",
        "M ID 2 2 ISA03",
        "M AN 10 10",
        "M ID 2 2 I05",
        "M AN 15 15",
        "M ID 2 2 I05",
        "M AN 15 15",
        "M DT 6 6",
        "M TM 4 4",
        "M AN 1 1",
        "M ID 5 5",
        "M N0 9 9",
        "M ID 1 1 ISA14",
        "M ID 1 1 ISA15",
        "M AN 1 1",
    ),
    "IEA": _seg("M N0 1 5", "M N0 9 9"),
    "GS": _seg(
        "M ID 2 2",
        "M AN 2 15",
        "M AN 2 15",
        "M DT 8 8",
        "M TM 4 8",
        "M N0 1 9",
        "M ID 1 2 GS07",
        "M AN 1 12",
    ),
    "GE": _seg("M N0 1 6", "M N0 1 9"),
    "ST": _seg("M ID 3 3", "M AN 4 9", "O AN 1 35"),
    "SE": _seg("M N0 1 10", "M AN 4 9"),
    "BEG": _seg(
        "M ID 2 2",
        "M ID 2 2",
        "M AN 1 22",
        "O AN 1 30",
        "M DT 8 8",
        "O AN 1 30",
        "O ID 2 2",
        "O ID 2 2",
        "O ID 2 2",
        "O ID 2 2",
        "O ID 2 2",
        "O ID 2 2",
    ),
    "CUR": _seg("M ID 2 3", "M ID 3 3", "O R 4 10"),
    "REF": _seg("M ID 2 3", "O AN 1 50", "O AN 1 80"),
    "DTM": _seg("M ID 3 3", "O DT 8 8", "O TM 4 8", "O ID 2 2", "O ID 2 3", "O AN 1 35"),
    "N1": _seg("M ID 2 3", "O AN 1 60", "O ID 1 2", "O AN 2 80", "O ID 2 2", "O ID 2 3"),
    "N2": _seg("M AN 1 60", "O AN 1 60"),
    "N3": _seg("M AN 1 55", "O AN 1 55"),
    "N4": _seg("O AN 2 30", "O ID 2 2", "O ID 3 15", "O ID 2 3", "O ID 1 2", "O AN 1 30"),
    "PO1": _seg("O AN 1 20", "O R 1 15", "O ID 2 2", "O R 1 17", "O ID 2 2"),
    "PID": _seg("M ID 1 1", "O ID 2 3", "O ID 2 2", "O AN 1 12", "O AN 1 80"),
    "CTT": _seg("M N0 1 6", "O R 1 10", "O R 1 10", "O ID 2 2", "O R 1 8", "O ID 2 2"),
    "AMT": _seg("M ID 1 3", "M R 1 18", "O ID 1 1"),
    "BAK": _seg(
        "M ID 2 2",
        "M ID 2 2 BAK02",
        "M AN 1 22",
        "M DT 8 8",
        "O AN 1 30",
        "O AN 1 30",
        "O AN 1 30",
        "O AN 1 30",
        "O DT 8 8",
    ),
    "ACK": _seg("M ID 2 2 ACK01", "O R 1 15", "O ID 2 2", "O ID 3 3", "O DT 8 8"),
    "BSN": _seg("M ID 2 2", "M AN 2 30", "M DT 8 8", "M TM 4 8", "O ID 4 4"),
    "HL": _seg("M AN 1 12", "O AN 1 12", "M ID 1 2 HL03", "O ID 1 1"),
    "TD1": _seg(
        "O AN 3 5",
        "O N0 1 7",
        "O ID 1 1",
        "O ID 1 3",
        "O AN 1 50",
        "O ID 1 2",
        "O R 1 10",
        "O ID 2 2",
    ),
    "TD5": _seg("O ID 1 2", "O ID 1 2", "O AN 2 80", "O ID 1 2", "O AN 1 35"),
    "PRF": _seg("M AN 1 22", "O AN 1 30", "O AN 1 8", "O DT 8 8"),
    "MAN": _seg("M ID 1 2", "M AN 1 48"),
    "LIN": _seg("O AN 1 20", "M ID 2 2", "M AN 1 48"),
    "SN1": _seg("O AN 1 20", "M R 1 10", "M ID 2 2"),
    "BIG": _seg(
        "M DT 8 8", "M AN 1 22", "O DT 8 8", "O AN 1 22", "O AN 1 30", "O AN 1 8", "O ID 2 2"
    ),
    "IT1": _seg("O AN 1 20", "O R 1 10", "O ID 2 2", "O R 1 17", "O ID 2 2"),
    "TDS": _seg("M N2 1 15", "O N2 1 15", "O N2 1 15", "O N2 1 15"),
    "TXI": _seg("M ID 2 2 TXI01", "O R 1 18", "O R 1 10"),
    "AK1": _seg("M ID 2 2", "M N0 1 9", "O AN 1 12"),
    "AK2": _seg("M ID 3 3", "M AN 4 9", "O AN 1 35"),
    "AK3": _seg("M ID 2 3", "M N0 1 10", "O AN 1 4", "O ID 1 3"),
    "IK3": _seg("M ID 2 3", "M N0 1 10", "O AN 1 4", "O ID 1 3"),
    "AK5": _seg("M ID 1 1 AK5", "O ID 1 3", "O ID 1 3", "O ID 1 3", "O ID 1 3", "O ID 1 3"),
    "IK5": _seg("M ID 1 1 AK5", "O ID 1 3", "O ID 1 3", "O ID 1 3", "O ID 1 3", "O ID 1 3"),
    "AK9": _seg(
        "M ID 1 1 AK9",
        "M N0 1 6",
        "M N0 1 6",
        "M N0 1 6",
        "O ID 1 3",
        "O ID 1 3",
        "O ID 1 3",
        "O ID 1 3",
        "O ID 1 3",
    ),
    "TA1": _seg("M N0 9 9", "M DT 6 6", "M TM 4 4", "M ID 1 1 TA104", "M ID 3 3"),
}

#: 810 segments for EN 16931 data (ITD terms, SAC allowances and charges), kept as their
#: own block; each element's reference number is in its comment.
_INVOICE_SPECS: Mapping[str, tuple[ElementSpec, ...]] = {
    "ITD": _seg(
        "O ID 2 2",  # 336 terms type
        "O ID 1 2",  # 333 terms basis date
        "O R 1 6",  # 338 terms discount percent
        "O DT 8 8",  # 370 terms discount due date
        "O N0 1 3",  # 351 terms discount days due
        "O DT 8 8",  # 446 terms net due date
        "O N0 1 3",  # 386 terms net days
        "O N2 1 10",  # 362 terms discount amount
        "O DT 8 8",  # 388 terms deferred due date
        "O N2 1 10",  # 389 deferred amount due
        "O R 1 5",  # 342 percent of invoice payable
        "O AN 1 80",  # 352 description
        "O N0 1 2",  # 765 day of month
        "O ID 1 2",  # 107 payment method
        "O R 1 10",  # 954 percent
    ),
    "SAC": _seg(
        "M ID 1 1 SAC01",  # 248 allowance or charge indicator
        "O ID 4 4",  # 1300 service, promotion, allowance or charge code
        "O ID 2 2",  # 559 agency qualifier
        "O AN 1 10",  # 1301 agency service, promotion, allowance or charge code
        "O N2 1 15",  # 610 amount
        "O ID 1 1",  # 378 allowance/charge percent qualifier
        "O R 1 6",  # 332 percent
        "O R 1 9",  # 118 rate
        "O ID 2 2",  # 355 unit of measure
        "O R 1 15",  # 380 quantity
        "O R 1 15",  # 380 quantity
        "O ID 2 2",  # 331 allowance or charge method of handling
        "O AN 1 30",  # 127 reference identification
        "O AN 1 20",  # 770 option number
        "O AN 1 80",  # 352 description
        "O ID 2 3",  # 819 language
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
    """Element errors of one segment (``elements[0]`` is the tag); unknown tags pass.

    A segment that its tag's compiled check (``VALID``) passes has no errors; any other
    goes through ``element_errors``, which finds each error's code and message.
    """
    valid = VALID.get(elements[0])
    if valid is None or valid(elements):
        return _NONE
    return element_errors(elements)


def element_errors(elements: list[str]) -> list[ElementError]:
    """The element-by-element check behind ``check_elements``: every error, with its
    position, code and message. Valid text and numbers take an inline path; only a
    suspect value goes through ``_bad_value``."""
    specs = _FAST.get(elements[0])
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
                errors.append(ElementError(pos, MISSING, "mandatory data element missing"))
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
            errors.append(ElementError(pos, bad[0], bad[1], value))
    return errors or _NONE


_FAST = {
    tag: tuple((s, s.kind, s.min, s.max, s.codes) for s in specs) for tag, specs in SPECS.items()
}


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


#: Tag -> "are this segment's elements free of errors?" (``elements[0]`` is the tag).
VALID: Mapping[str, Callable[[list[str]], bool]] = {
    tag: _compile(tag, specs) for tag, specs in SPECS.items()
}
