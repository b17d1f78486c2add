"""UBL numbers: an amount, quantity, percent, measure or numeric must be an xsd:decimal.

``Decimal`` alone would take ``NaN``, ``Infinity``, ``1_000`` and ``1E+999`` (and raise
on ``abc``), so a hostile document could put a NaN quantity into the canonical model or
crash the reader. Every such element is checked before mapping; a bad one is a located
issue (code ``xsd``: the value is outside the schema's decimal type) and the document is
not read.
"""

from __future__ import annotations

import re
from decimal import Decimal

from lxml import etree

from ..errors import Issue

__all__ = ["decimal_issues", "xsd_decimal"]

_DECIMAL = re.compile(r"\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*")
#: UBL basic components of the Amount, Quantity, Percent, Measure and Numeric types.
_NUMERIC_SUFFIXES = ("Amount", "Quantity", "Percent", "Measure", "Numeric")
_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"


def xsd_decimal(value: str | None) -> Decimal | None:
    """``value`` as a Decimal when it is an xsd:decimal, else None."""
    if value is None or _DECIMAL.fullmatch(value) is None:
        return None
    return Decimal(value.strip())


def decimal_issues(root: etree._Element) -> list[Issue]:
    """A located issue for each UBL number that is not an xsd:decimal."""
    issues = []
    tree = root.getroottree()
    for node in root.iter(f"{{{_CBC}}}*"):
        name = etree.QName(node).localname
        if not name.endswith(_NUMERIC_SUFFIXES):
            continue
        value = node.text or ""
        if _DECIMAL.fullmatch(value) is None:
            issues.append(
                Issue(
                    level="document",
                    code="xsd",
                    xpath=tree.getpath(node),
                    message=f"cbc:{name} {value[:40]!r} is not a decimal number",
                )
            )
    return issues
