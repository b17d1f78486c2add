"""The compiled per-tag segment checks agree with the element-by-element checks.

``VALID[tag]`` may only say "no errors" where the full check finds none; where it says
"look closer", the full check gives the errors (or, for a few odd values such as an
optional number of spaces, finds none).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from translators.edifact import specs as edifact_specs
from translators.edifact.tokenizer import DEFAULT, Segment
from translators.result import Delimiters
from translators.x12 import specs as x12_specs

_X12_PIECES = ["", "0", "1", "9", "12", "2024", "0301", "20240301", "20240230", "1200", "2460",
               "-", ".", "-1.5", "9.25", "1.2.3", " ", "  ", "EA", "UP", "00", "SA", "P", "T",
               "ABC", "x" * 12, "Ä", "١٢"]  # fmt: skip


@st.composite
def _x12_elements(draw: st.DrawFn) -> list[str]:
    tag = draw(st.sampled_from(sorted(x12_specs.SPECS)))
    count = draw(st.integers(0, len(x12_specs.SPECS[tag]) + 2))
    values = [
        "".join(draw(st.lists(st.sampled_from(_X12_PIECES), max_size=3))) for _ in range(count)
    ]
    return [tag, *values]


@settings(max_examples=800, deadline=None)
@given(_x12_elements())
def test_x12_compiled_check_agrees(elements: list[str]) -> None:
    errors = x12_specs.element_errors(elements)
    if x12_specs.VALID[elements[0]](elements):
        assert errors == []
    assert x12_specs.check_elements(elements) == errors


def test_x12_compiled_check_passes_a_valid_line() -> None:
    elements = ["PO1", "1", "23", "EA", "9.25", "", "UP", "000000000101", "VN", "WW-001"]
    assert x12_specs.VALID["PO1"](elements)
    assert not x12_specs.VALID["PO1"](["PO1", "1", "2x", "EA"])


_EDI_PIECES = ["", ":", "::", "0", "1", "21", "9.25", "9,25", "-3", "1.2.3", "?", " ", "EA",
               "ORDERS", "ab", "x" * 20]  # fmt: skip


@st.composite
def _edifact_segment(draw: st.DrawFn) -> Segment:
    tag = draw(st.sampled_from(sorted(edifact_specs.SPECS)))
    count = draw(st.integers(0, len(edifact_specs.SPECS[tag]) + 2))
    values = [
        "".join(draw(st.lists(st.sampled_from(_EDI_PIECES), max_size=4))) for _ in range(count)
    ]
    mark = draw(st.sampled_from([".", ","]))
    delims = Delimiters(component=":", element="+", decimal=mark, release=None, segment="'")
    return Segment(1, tag, [tag, *values], delims)


@settings(max_examples=800, deadline=None)
@given(_edifact_segment())
def test_edifact_compiled_check_agrees(seg: Segment) -> None:
    errors = edifact_specs.element_errors(seg)
    assert seg.values is not None
    if edifact_specs.VALID[seg.tag](seg.values, seg.delimiters):
        assert errors == []
    assert edifact_specs.check_segment(seg) == errors


def test_edifact_compiled_check_passes_a_valid_segment() -> None:
    seg = Segment(1, "QTY", ["QTY", "21:5:EA"], DEFAULT)
    assert edifact_specs.VALID["QTY"](["QTY", "21:5:EA"], DEFAULT)
    assert edifact_specs.check_segment(seg) == []
    assert not edifact_specs.VALID["QTY"](["QTY", "21:5x:EA"], DEFAULT)
