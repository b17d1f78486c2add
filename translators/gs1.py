"""GS1 keys: the mod-10 check digit and the SSCC, GTIN and GLN validators.

Every GS1 key of fixed length ends in a check digit computed over the digits before it:
from the right, weights 3, 1, 3, 1 ...; the check digit brings the sum up to the next
multiple of ten (GS1 General Specifications, 7.9.1). Retailers charge back an ASN whose
SSCC fails it, and a wrong GTIN or GLN matches no product or location, so readers report
a bad key and writers refuse to send one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import Issue, Level
from .text import digits

__all__ = [
    "KEY_LENGTHS",
    "check_digit",
    "gtin_problem",
    "key_issue",
    "key_problem",
    "problem",
]

#: The lengths a key may have: GTIN-8/12/13/14 (UPC-A is the GTIN-12), GLN, SSCC.
KEY_LENGTHS: Mapping[str, tuple[int, ...]] = {
    "gtin": (8, 12, 13, 14),
    "upc": (12,),
    "gln": (13,),
    "sscc": (18,),
}
_NAMES = {"gtin": "GTIN", "upc": "UPC (GTIN-12)", "gln": "GLN", "sscc": "SSCC"}


def check_digit(body: str) -> str:
    """The GS1 check digit of ``body`` (the key without its last digit).

    ``body`` must be ASCII digits; the weights 3, 1, 3 ... start at its rightmost digit.
    """
    if not digits(body):
        raise ValueError(f"{body!r} is not made of digits 0-9")
    return str(_check(body.encode("ascii")[::-1]))


def _check(reversed_body: bytes) -> int:
    """The check digit of a key body given as ASCII digits from the right (weights 3, 1,
    3 ...). Sums over byte slices run in C: this is done for every line item read."""
    odd, even = reversed_body[::2], reversed_body[1::2]
    return -(3 * (sum(odd) - 48 * len(odd)) + sum(even) - 48 * len(even)) % 10


def _valid(value: str, lengths: tuple[int, ...]) -> bool:
    """``problem(value, lengths, ...) is None``, in one pass without its messages."""
    if len(value) not in lengths or not (value.isascii() and value.isdigit()):
        return False
    raw = value.encode("ascii")
    return _check(raw[-2::-1]) == raw[-1] - 48


def problem(value: str, lengths: tuple[int, ...], name: str) -> str | None:
    """Why ``value`` is not a valid GS1 key of one of ``lengths`` digits, or None.

    The reason reads after the value: ``has a wrong check digit (7 expected)``.
    """
    if not digits(value):
        return f"is not a {name}: digits 0-9 only"
    if len(value) not in lengths:
        allowed = "/".join(str(n) for n in lengths)
        return f"is not a {name}: {len(value)} digits where {allowed} are required"
    expected = check_digit(value[:-1])
    if value[-1] != expected:
        return f"has a wrong check digit ({expected} expected)"
    return None


def key_problem(scheme: str, value: str) -> str | None:
    """``problem`` for a canonical id scheme (``sscc``, ``gtin``, ``upc``, ``gln``);
    None for a valid key and for any other scheme (not a GS1 key we check)."""
    lengths = KEY_LENGTHS.get(scheme)
    if lengths is None:
        return None
    return problem(value, lengths, _NAMES[scheme])


def gtin_problem(value: str) -> str | None:
    """``problem`` for a GTIN-8, -12, -13 or -14."""
    return key_problem("gtin", value)


def key_issue(
    key: str, value: str, *, code: str, level: Level, error: bool = False, **where: Any
) -> Issue | None:
    """The located issue for a ``key`` (gtin, upc, gln, sscc) that fails, or None: a
    warning (accepted with errors), or an ``error`` where the key must be right (an SSCC
    on a ship notice). ``where`` is the syntax's location (segment and element, xpath)."""
    lengths = KEY_LENGTHS.get(key)
    if lengths is None or _valid(value, lengths):  # the common case, read per line item
        return None
    why = key_problem(key, value)
    if why is None:
        return None
    return Issue(
        level=level,
        code=code,
        severity="error" if error else "warning",
        message=f"{key.upper()} {value} {why}",
        bad_value=value,
        **where,
    )
