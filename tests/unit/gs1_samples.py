"""Public samples whose GS1 keys fail their check digit, and what reading them reports.

Their facts are still read: a bad GTIN, UPC or GLN is a located warning (accepted with
errors), and our writers refuse to send it again (``RenderError``). None of them carries
a bad SSCC, which would reject a ship notice.
"""

from __future__ import annotations

from collections.abc import Mapping

import translators
from translators.errors import Issue

__all__ = ["BAD_CHECK_DIGITS", "assert_gs1_only", "check_digit_warnings", "expected_status"]

#: public sample file name -> number of GS1 keys with a wrong check digit (or length)
BAD_CHECK_DIGITS: Mapping[str, int] = {
    "django-pyas2__testmessage.edi": 2,  # NAD "<Supplier GLN>", LIN UP 390787706322
    "dfdl-edifact__ORDERS_D.03B_Interchange.txt": 2,  # NAD GLNs 5412345000176, 4012345000094
    "node-x12__856.edi": 2,  # LIN UP 999999310145, 999999311746
    "oca-edi__UBL-Order-2.1-Example.xml": 8,  # GLNs and GTINs such as 1234567890123
    "ph-ubl__UBL-Invoice-2.1-Example.xml": 7,
    "ph-ubl__UBL-OrderResponse-2.1-Example.xml": 2,
}
_CODES = frozenset({"7", "12", "check_digit"})


def check_digit_warnings(ix: translators.InterchangeResult) -> list[Issue]:
    """The issues of ``ix`` that are GS1 check digit warnings."""
    return [
        i
        for i in ix.all_issues
        if i.code in _CODES and i.severity == "warning" and i.bad_value is not None
    ]


def expected_status(name: str) -> str:
    return "accepted_with_errors" if name in BAD_CHECK_DIGITS else "accepted"


def assert_gs1_only(ix: translators.InterchangeResult, name: str) -> None:
    """``ix`` has exactly the known check digit warnings of ``name`` and no other issue."""
    warnings = check_digit_warnings(ix)
    assert len(warnings) == BAD_CHECK_DIGITS.get(name, 0), warnings
    assert len(warnings) == len(ix.all_issues), ix.all_issues
