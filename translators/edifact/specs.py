"""Structure of the segments we map, as data, and the generic checks run on each one.

Per segment: each element's "M"/"O" status, its maximum number of components and which
components are numeric (checked against the UNA decimal mark). Codes are the CONTRL
syntax error codes (data element 0085) reported in UCS / UCD.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .tokenizer import Segment

__all__ = ["SPECS", "ElementError", "check_segment"]

MISSING, TOO_MANY, BAD_DECIMAL, TOO_LONG, INVALID = "13", "16", "19", "39", "12"


@dataclass(frozen=True, slots=True)
class ElementSpec:
    required: bool
    components: int
    numeric: tuple[int, ...] = ()  # 1-based component positions holding numbers
    max_length: int = 512


@dataclass(frozen=True, slots=True)
class ElementError:
    element: int
    component: int | None
    code: str
    message: str


def _e(text: str) -> ElementSpec:
    """ "M3", "O1", "M2n2" (component 2 numeric), "O5" ..."""
    required = text[0] == "M"
    count, _, numeric = text[1:].partition("n")
    return ElementSpec(required, int(count), tuple(int(c) for c in numeric.split(",") if c))


def _s(*elements: str) -> tuple[ElementSpec, ...]:
    return tuple(_e(e) for e in elements)


SPECS: Mapping[str, tuple[ElementSpec, ...]] = {
    "UNH": _s("M1", "M7", "O1", "O4"),
    "UNT": _s("M1n1", "M1"),
    "BGM": _s("O4", "O3", "O1", "O1"),
    "DTM": _s("M3"),
    "RFF": _s("M4"),
    "NAD": _s("M1", "O3", "O5", "O6", "O4", "O1", "O3", "O1", "O1"),
    "CUX": _s("O4", "O4", "O1", "O1"),
    "LIN": _s("O1", "O1", "O4", "O2", "O1", "O1"),
    "PIA": _s("M1", "M4", "O4", "O4", "O4", "O4"),
    "IMD": _s("O1", "O4", "O5", "O1", "O1", "O1"),
    "QTY": _s("M3n2"),
    "PRI": _s("O6n2,5", "O1"),
    "MOA": _s("M5n2"),
    "TAX": _s("M1", "O3", "O3", "O1", "O4n4", "O1", "O1", "O1"),
    "CNT": _s("M3n2"),
    "UNS": _s("M1"),
    "CPS": _s("M1", "O1", "O1"),
    "PAC": _s("O1", "O3", "O6", "O6"),
    "GIN": _s("M1", "M2", "O2", "O2", "O2", "O2"),
    "TDT": _s("M1", "O1", "O2", "O4", "O4", "O1", "O1", "O4"),
    "ALC": _s("M1", "O2", "O1", "O1", "O4"),
}


def _decimal_ok(value: str, mark: str) -> bool:
    body = value[1:] if value.startswith("-") else value
    if mark != "." and "." in body:
        return False
    digits = body.replace(mark, "", 1)
    return digits.isdigit()


def check_segment(seg: Segment) -> list[ElementError]:
    specs = SPECS.get(seg.tag)
    if specs is None:
        return []
    errors = []
    mark = seg.delimiters.decimal
    if len(seg.elements) > len(specs):
        errors.append(ElementError(len(specs) + 1, None, TOO_MANY, "too many data elements"))
    for pos, spec in enumerate(specs, start=1):
        parts = seg.elements[pos - 1] if pos <= len(seg.elements) else []
        if not any(parts):
            if spec.required:
                errors.append(ElementError(pos, None, MISSING, "mandatory element missing"))
            continue
        if len(parts) > spec.components:
            errors.append(
                ElementError(
                    pos,
                    spec.components + 1,
                    TOO_MANY,
                    f"{len(parts)} components where at most "
                    f"{spec.components} are allowed (an unreleased "
                    f"{seg.delimiters.component!r}?)",
                )
            )
        for comp in spec.numeric:
            value = parts[comp - 1] if comp <= len(parts) else ""
            if value and not _decimal_ok(value, mark):
                errors.append(
                    ElementError(
                        pos, comp, BAD_DECIMAL, f"{value!r} is not a number (decimal mark {mark!r})"
                    )
                )
    return errors
