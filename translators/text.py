"""Small text tests the readers and writers share.

``str.isdigit`` is true for superscripts and other Unicode digits ("²") that ``int`` and
``Decimal`` refuse, so a reader that tests with it and then converts crashes on hostile
input; numbers in X12 and EDIFACT are ASCII digits only.
"""

from __future__ import annotations

__all__ = ["digits"]


def digits(value: str) -> bool:
    """Is ``value`` non-empty and made of ASCII digits 0-9 only?"""
    return value.isascii() and value.isdigit()
