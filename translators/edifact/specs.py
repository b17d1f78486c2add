"""The generic checks run on each segment we map, from the directory's specs
(``directory``), and their compiled fast path.

Per element: its "M"/"O" status and its components; per component: its representation
in the message's directory (length, numeric), the code list it takes and whether the
reader needs a number. Codes are the CONTRL syntax error codes (data element 0085)
reported in UCS / UCD.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from ..result import Delimiters
from .directory import DATE_LENGTHS, ComponentSpec, ElementSpec, release_key, segment_specs
from .tokenizer import Segment

__all__ = [
    "SPECS",
    "VALID",
    "Checks",
    "ElementError",
    "check_segment",
    "checks_for",
    "element_errors",
    "is_number",
]

MISSING, TOO_MANY, BAD_DECIMAL, INVALID = "13", "16", "19", "12"
BAD_CHARACTERS = "37"  # ISO 9735: invalid type of character(s), e.g. a letter in n..
TOO_LONG, TOO_SHORT = "39", "40"
Severity = Literal["error", "warning"]

#: The directory read when a message names none we know: the latest, whose lengths are
#: the widest (every change in ``directory.ELEMENTS`` widened an element).
_LATEST = (2099, "Z")


@dataclass(frozen=True, slots=True)
class ElementError:
    element: int
    component: int | None
    code: str
    message: str
    severity: Severity = "error"


Validator = Callable[[list[str], Delimiters], bool]


class Checks:
    """One directory's segment specs and, per tag, the compiled "no issue at all?" test."""

    __slots__ = ("specs", "valid")

    def __init__(self, specs: Mapping[str, tuple[ElementSpec, ...]]) -> None:
        self.specs = specs
        self.valid: Mapping[str, Validator] = {
            tag: _compile(tag, spec) for tag, spec in specs.items()
        }


@lru_cache(maxsize=64)
def _checks(release: tuple[int, str]) -> Checks:
    return Checks(segment_specs(release))


def checks_for(version: str | None) -> Checks:
    """The checks of the directory a message names (UNH S009: "D96A", "D01B")."""
    release = release_key(version or "")
    return _checks(release if release != (0, "") else _LATEST)


def is_number(value: str, mark: str) -> bool:
    """Digits with at most one decimal mark ``mark`` and a leading minus (ISO 9735 n..)."""
    body = value[1:] if value.startswith("-") else value
    if mark != "." and "." in body:
        return False
    digits = body.replace(mark, "", 1)
    return digits.isascii() and digits.isdigit()


_NONE: list[ElementError] = []


def check_segment(seg: Segment, checks: Checks | None = None) -> list[ElementError]:
    """Element issues of one segment; segments without a spec pass.

    A segment that its tag's compiled check passes has none; any other, and any segment
    that held a release character, goes through ``element_errors``.
    """
    checks = checks or _D96A
    valid = checks.valid.get(seg.tag)
    if valid is None:
        return _NONE
    if seg.values is not None and valid(seg.values, seg.delimiters):
        return _NONE
    return element_errors(seg, checks)


def element_errors(seg: Segment, checks: Checks | None = None) -> list[ElementError]:
    """Every element issue of a segment, with its position, code, message and severity."""
    specs = (checks or _D96A).specs.get(seg.tag)
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
        for comp, part in enumerate(spec.parts, start=1):
            value = parts[comp - 1] if comp <= len(parts) else ""
            if value:
                at = comp if spec.components > 1 else None  # UCD: element:component
                found = _component_error(pos, at, part, value, parts=parts, mark=mark)
                if found is not None:
                    errors.append(found)
    return errors


def _component_error(
    pos: int, at: int | None, spec: ComponentSpec, value: str, *, parts: list[str], mark: str
) -> ElementError | None:
    """The first issue of one component's value: its type, then its length, then its code
    (``at``: the component's position, None in a simple element)."""
    if spec.numeric and not is_number(value, mark):
        return _numeric_error(pos, at, value, mark)
    size = len(value) - value.startswith("-") - (mark in value) if spec.digits else len(value)
    low, high = spec.min, spec.max
    lenient: Severity = "warning" if spec.lenient else "error"
    if spec.date_format:
        fmt = parts[spec.date_format - 1] if spec.date_format <= len(parts) else ""
        fixed = DATE_LENGTHS.get(fmt or "102", 0)
        if fixed and size > fixed:  # a time after the date (invoice1): the date is there
            return ElementError(
                pos, at, TOO_LONG, f"{value!r} is longer than format {fmt or '102'}", "warning"
            )
        low = fixed or low
    if size > high:
        what = f"{size} digits" if spec.digits else f"{size} characters"
        return ElementError(
            pos, at, TOO_LONG, f"{value!r}: {what} where {spec.ref} holds {high}", lenient
        )
    if size < low:
        return ElementError(
            pos,
            at,
            TOO_SHORT,
            f"{value!r}: {size} characters where {spec.ref} needs {low}",
            lenient,
        )
    codes = spec.codes
    if codes is not None and value not in codes:
        severity: Severity = "error" if codes.closed and not spec.lenient else "warning"
        return ElementError(pos, at, INVALID, f"{value!r} is not a {codes.name} code", severity)
    return None


def _numeric_error(pos: int, comp: int | None, value: str, mark: str) -> ElementError:
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
# values (``Segment.values``: tag first, components not split) that answers "no issue at
# all?" with the tests of ``element_errors``: an element is missing when it holds nothing
# but component separators; a simple element is never split; a composite is split once
# and each present component checked for its type, length and code. False means "look
# closer": ``element_errors`` then says what is wrong (or, for an optional element of
# separators only, that nothing is).


def _component_source(x: str, j: int, spec: ComponentSpec, lists: dict[str, object]) -> list[str]:
    """Lines that return False when the non-empty value ``x`` of component ``j`` is not
    clean (``p``/``k``: the element's components and their count, for ``@N``)."""
    out = []
    if spec.numeric:
        out += [
            f'd = ({x}[1:] if {x}[:1] == "-" else {x}).replace(mark, "", 1)',
            "if not (d.isascii() and d.isdigit()",
            f'        and (mark == "." or "." not in {x})):',
            "    return False",
        ]
    counted = f'(len({x}) - ({x}[:1] == "-") - (mark in {x}))' if spec.digits else f"len({x})"
    if spec.date_format:
        n = spec.date_format
        fmt = f'(p[{n - 1}] if k >= {n} else "")'
        out += [f'if len({x}) != DATES.get({fmt} or "102", len({x})):', "    return False"]
    if spec.min > 1:
        out += [f"if not {spec.min} <= {counted} <= {spec.max}:", "    return False"]
    elif spec.digits:  # sign and mark are not counted: only a long value needs counting
        out += [f"if len({x}) > {spec.max} and {counted} > {spec.max}:", "    return False"]
    else:
        out += [f"if len({x}) > {spec.max}:", "    return False"]
    if spec.codes is not None:
        name = f"L{len(lists)}"
        lists[name] = spec.codes
        out += [f"if {x} not in {name}:", "    return False"]
    return out


def _element_source(pos: int, spec: ElementSpec, lists: dict[str, object]) -> list[str]:
    if spec.components == 1:
        checks = [
            "if c in v:",
            "    return False",
            *_component_source("v", 1, spec.parts[0], lists),
        ]
    else:
        checks = ["p = v.split(c)", "k = len(p)", f"if k > {spec.components}:", "    return False"]
        for j, part in enumerate(spec.parts, start=1):
            body = _component_source("x", j, part, lists)
            if j == 1:
                checks += ["x = p[0]", "if x:", *[f"    {line}" for line in body]]
            else:
                checks += [f"if k >= {j}:", f"    x = p[{j - 1}]", "    if x:"]
                checks += [f"        {line}" for line in body]
    if spec.required:
        return [f"v = values[{pos}]", "if not v.strip(c):", "    return False", *checks]
    return [f"v = values[{pos}]", "if v:", *[f"    {line}" for line in checks]]


def _compile(tag: str, specs: tuple[ElementSpec, ...]) -> Validator:
    last_required = max((p for p, s in enumerate(specs, start=1) if s.required), default=0)
    src = [
        "def valid(values, delimiters):",
        "    n = len(values)",
        f"    if n > {len(specs) + 1}:",
        "        return False",
    ]
    if last_required:
        src += [f"    if n <= {last_required}:", "        return False"]
    src += ["    c = delimiters.component", "    mark = delimiters.decimal"]
    lists: dict[str, object] = {"DATES": DATE_LENGTHS}
    for pos, spec in enumerate(specs, start=1):
        if pos > last_required:
            src += [f"    if n <= {pos}:", "        return True"]
        src += [f"    {line}" for line in _element_source(pos, spec, lists)]
    src.append("    return True")
    namespace: dict[str, object] = dict(lists)
    exec("\n".join(src), namespace)  # the source is built above from the specs only
    valid: Validator = namespace["valid"]  # type: ignore[assignment]
    valid.__qualname__ = valid.__name__ = f"valid_{tag}"
    return valid


_D96A = checks_for("D96A")  # what our writers send and most partners speak
SPECS: Mapping[str, tuple[ElementSpec, ...]] = _D96A.specs
#: Tag -> "are this segment's values free of issues?" in D96A (for a segment with ``values``).
VALID: Mapping[str, Validator] = _D96A.valid
