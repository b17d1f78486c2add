"""Structure of the segments we map, as data, and the generic checks run on each one.

Per segment: each element's "M"/"O" status, its maximum number of components and which
components are numeric (checked against the UNA decimal mark). Codes are the CONTRL
syntax error codes (data element 0085) reported in UCS / UCD.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..result import Delimiters
from .tokenizer import Segment

__all__ = ["SPECS", "VALID", "ElementError", "check_segment", "element_errors"]

MISSING, TOO_MANY, BAD_DECIMAL, TOO_LONG, INVALID = "13", "16", "19", "39", "12"
BAD_CHARACTERS = "37"  # ISO 9735: invalid type of character(s), e.g. a letter in n..


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
    return digits.isascii() and digits.isdigit()


_NONE: list[ElementError] = []


def check_segment(seg: Segment) -> list[ElementError]:
    """Element errors of one segment; segments without a spec pass.

    A segment that its tag's compiled check (``VALID``) passes has no errors; any other,
    and any segment that held a release character, goes through ``element_errors``.
    """
    valid = VALID.get(seg.tag)
    if valid is None:
        return _NONE
    if seg.values is not None and valid(seg.values, seg.delimiters):
        return _NONE
    return element_errors(seg)


def element_errors(seg: Segment) -> list[ElementError]:
    """Every element error of a segment, with its position, code and message."""
    specs = SPECS.get(seg.tag)
    if specs is None:
        return []
    errors = []
    mark = seg.delimiters.decimal
    elements = seg.elements
    if len(elements) > len(specs):
        errors.append(ElementError(len(specs) + 1, None, TOO_MANY, "too many data elements"))
    for pos, spec in enumerate(specs, start=1):
        parts = elements[pos - 1] if pos <= len(elements) else []
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
                errors.append(_numeric_error(pos, comp, value, mark))
    return errors


def _numeric_error(pos: int, comp: int, value: str, mark: str) -> ElementError:
    """37 when the value holds what no number holds (a letter); 19 when it holds only
    digits and decimal marks but they are wrong (a ',' where '.' is declared, two marks)."""
    body = value[1:] if value.startswith("-") else value
    if body and all(ch in "0123456789.," for ch in body):
        return ElementError(
            pos, comp, BAD_DECIMAL, f"{value!r} is not a number (decimal mark {mark!r})"
        )
    return ElementError(
        pos, comp, BAD_CHARACTERS, f"{value!r} has characters a numeric element cannot hold"
    )


# --- compiled checks -----------------------------------------------------------------------
# Each segment spec becomes one straight-line function of the segment's unsplit element
# values (``Segment.values``: tag first, components not split) that answers "no errors at
# all?" with the tests of ``element_errors``: an element is missing when it holds nothing
# but component separators, has too many components when it holds as many separators as
# it may have components, and only an element with numeric components is split. False
# means "look closer": ``element_errors`` then says what is wrong (or, for an optional
# element of separators only, that nothing is).


def _element_source(pos: int, spec: ElementSpec) -> list[str]:
    many = "c in v" if spec.components == 1 else f"v.count(c) >= {spec.components}"
    checks = [f"if {many}:", "    return False"]
    if spec.numeric:
        checks.append("parts = v.split(c)" if spec.components > 1 else "parts = [v]")
    for comp in spec.numeric:
        value = "parts[0]" if comp == 1 else f"parts[{comp - 1}]"
        if comp > 1:
            checks += [f"if len(parts) >= {comp} and parts[{comp - 1}]:"]
        else:
            checks += [f"if {value}:"]
        checks += [
            f"    x = {value}",
            '    d = (x[1:] if x[:1] == "-" else x).replace(mark, "", 1)',
            "    if not (d.isascii() and d.isdigit()",
            '            and (mark == "." or "." not in x)):',
            "        return False",
        ]
    if spec.required:
        return [f"v = values[{pos}]", "if not v.strip(c):", "    return False", *checks]
    return [f"v = values[{pos}]", "if v:", *[f"    {line}" for line in checks]]


def _compile(tag: str, specs: tuple[ElementSpec, ...]) -> Callable[[list[str], Delimiters], bool]:
    last_required = max((p for p, s in enumerate(specs, start=1) if s.required), default=0)
    src = [
        "def valid(values, delimiters):",
        "    n = len(values)",
        f"    if n > {len(specs) + 1}:",
        "        return False",
    ]
    if last_required:
        src += [f"    if n <= {last_required}:", "        return False"]
    src += ["    c = delimiters.component"]
    if any(s.numeric for s in specs):
        src += ["    mark = delimiters.decimal"]
    for pos, spec in enumerate(specs, start=1):
        if pos > last_required:
            src += [f"    if n <= {pos}:", "        return True"]
        src += [f"    {line}" for line in _element_source(pos, spec)]
    src.append("    return True")
    namespace: dict[str, object] = {}
    exec("\n".join(src), namespace)  # the source is built above from SPECS only
    valid: Callable[[list[str], Delimiters], bool] = namespace["valid"]  # type: ignore[assignment]
    valid.__qualname__ = valid.__name__ = f"valid_{tag}"
    return valid


#: Tag -> "are this segment's values free of errors?" (for a segment with ``values``).
VALID: Mapping[str, Callable[[list[str], Delimiters], bool]] = {
    tag: _compile(tag, specs) for tag, specs in SPECS.items()
}
