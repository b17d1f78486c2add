"""X12 tokenising: chunks of bytes in, segments out, delimiters taken from each ISA.

Speed comes from letting ``bytes.split`` do the scanning: each chunk is split on the
segment terminator and each segment on the element separator; Python never walks
characters. Memory is bounded by the chunk size plus one segment. A new ISA may bring
new delimiters, so after every IEA the rest of the input is looked at afresh.

A control character inside an element (NUL, ESC, ...) is no X12 character: it is noted
in ``flaws`` as a located AK4 6 (invalid character); one search per block finds whether
there is any, and only then are that block's segments looked at one by one.

Repetition separators are recorded but not applied here: the sets we map have no
repeating elements, and applying ISA11 blindly would split data (00406 files use "-").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from ..errors import Issue
from ..result import Delimiters
from ..segmented import TokenError, control_characters

__all__ = ["ISA_LENGTH", "Segment", "TokenError", "blocks", "parse_isa", "tokenize"]

ISA_LENGTH = 106
#: Offsets of the element separator in a fixed-width ISA (after ISA01..ISA15).
_ISA_SEPARATORS = (3, 6, 17, 20, 31, 34, 50, 53, 69, 76, 81, 83, 89, 99, 101, 103)
_TRAILING = b" \t\r\n\x00\x1a"  # tolerated between and after interchanges (Ctrl-Z, NUL)
_BATCH = 64  # segments a block holds: small, so that they are still in the CPU caches


class Segment:
    """One segment: a plain slotted class, not a frozen dataclass, because one is made
    per segment read and frozen dataclasses construct several times slower."""

    __slots__ = ("delimiters", "elements", "number", "tag")

    def __init__(self, number: int, elements: list[str], delimiters: Delimiters) -> None:
        self.number = number  # 1-based position in the input, across interchanges
        self.elements = elements  # elements[0] is the tag
        self.tag = elements[0]
        self.delimiters = delimiters

    def get(self, position: int) -> str:
        """Element ``position`` (1-based) or "" when absent."""
        return self.elements[position] if position < len(self.elements) else ""


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _latin1(raw: bytes) -> str:
    return raw.decode("latin-1")


def parse_isa(
    head: bytes, number: int, decode: Callable[[bytes], str] = _decode
) -> tuple[Delimiters, list[str], int]:
    """Delimiters, ISA elements and the ISA's length in bytes (terminator included).

    Fixed width is the standard; a short ISA whose 16 elements are still separable is
    read too (some senders trim ISA06/ISA08), but anything else is refused with TA1 codes.
    """
    if len(head) < 4 or head[:3] != b"ISA":
        raise TokenError(_isa_issue("024", "interchange does not start with ISA", number))
    sep = head[3:4]
    if sep.isalnum() or sep in b" \r\n":
        raise TokenError(_isa_issue("026", f"invalid element separator {sep!r}", number))
    fixed = len(head) >= ISA_LENGTH and all(head[i : i + 1] == sep for i in _ISA_SEPARATORS)
    if fixed:
        component, term, length = head[104:105], head[105:106], ISA_LENGTH
    else:
        parts = head.split(sep, 16)
        tail = parts[16] if len(parts) == 17 else b""
        if len(tail) < 2 or tail[1:2].isalnum() or tail[1:2] in (sep, b" "):
            raise TokenError(
                _isa_issue(
                    "023",
                    f"ISA is shorter than the {ISA_LENGTH} characters of a fixed-width ISA and "
                    "its 16 elements cannot be separated",
                    number,
                )
            )
        component, term = tail[0:1], tail[1:2]
        length = len(sep.join(parts[:16])) + 1 + 2
    if term.isalnum() or term in (sep, component, b" "):
        raise TokenError(_isa_issue("026", f"invalid segment terminator {term!r}", number))
    if component.isalnum() or component == sep:
        raise TokenError(_isa_issue("026", f"invalid component separator {component!r}", number))
    elements = [decode(e) for e in head[: length - 1].split(sep)]
    repetition = elements[11] if len(elements) > 11 and not elements[11].isalnum() else None
    delims = Delimiters(
        element=sep.decode("latin-1"),
        component=component.decode("latin-1"),
        segment=term.decode("latin-1"),
        repetition=repetition,
    )
    return delims, elements, length


def _isa_issue(code: str, message: str, number: int) -> Issue:
    return Issue(
        level="interchange", code=code, message=message, segment_number=number, segment_tag="ISA"
    )


def _past_filler(buf: bytes, pos: int) -> int:
    """Where the next interchange may start: past tolerated filler and a UTF-8 BOM."""
    size = len(buf)
    while pos < size and buf[pos] in _TRAILING:
        pos += 1
    if buf.startswith(b"\xef\xbb\xbf", pos):
        return _past_filler(buf, pos + 3)
    return pos


def _interchange_end(buf: bytes, start: int, last: int, term: bytes, sep: bytes) -> int:
    """The terminator that closes the first IEA segment in ``buf[start:last + 1]``, or
    -1. A block is cut there, so that what follows (maybe an ISA with other delimiters)
    stays undecoded in the buffer."""
    needle = b"IEA" + sep
    at = buf.find(needle, start, last)
    while at >= 0:
        i = at - 1
        while i >= start and buf[i] in b"\r\n":
            i -= 1
        if i < start or buf[i] == term[0]:  # a segment's start, not text inside one
            return buf.find(term, at, last + 1)
        at = buf.find(needle, at + 1, last)
    return -1


def tokenize(chunks: Iterable[bytes]) -> Iterator[Segment]:
    """Every segment of every interchange in ``chunks``; raises ``TokenError`` where the
    input cannot be tokenised further (no ISA, unusable ISA, garbage between interchanges)."""
    for block in blocks(chunks):
        yield from block


def _flaws(segments: list[Segment], bad: re.Pattern[str]) -> list[Issue]:
    """AK4 6 (invalid character) for the first control character of each segment."""
    out = []
    for seg in segments:
        for position, value in enumerate(seg.elements):
            found = bad.search(value)
            if found is not None:
                out.append(
                    Issue(
                        level="element" if position else "segment",
                        code="6" if position else "1",  # AK4 6 / AK3 1 (segment id)
                        message=f"invalid character {found.group()!r}",
                        segment_number=seg.number,
                        segment_tag=seg.tag,
                        element=position or None,
                    )
                )
                break
    return out


def blocks(
    chunks: Iterable[bytes], flaws: list[Issue] | None = None, *, latin1: bool = False
) -> Iterator[list[Segment]]:
    """``tokenize`` a block at a time: the segments of each run of whole segments in the
    buffer, as a list (readers loop over lists without a generator step per segment).
    Control characters inside elements are added to ``flaws``. ``latin1``: the bytes
    are Latin-1 (an EBCDIC input translated, see ``ebcdic``), never UTF-8.

    The buffer is read through an offset and a block ends at its interchange's IEA, so a
    file of many small interchanges costs what one big one does: nothing is copied or
    decoded again for each interchange."""
    noted: list[Issue] = flaws if flaws is not None else []
    decode = _latin1 if latin1 else _decode
    it = iter(chunks)
    buf, pos, number = b"", 0, 0

    def more() -> bool:
        """The next chunk onto the buffer (what was read is dropped); False at the end."""
        nonlocal buf, pos
        for chunk in it:
            if chunk:
                buf, pos = buf[pos:] + chunk, 0
                return True
        return False

    while True:
        # -- between interchanges: skip tolerated filler, then expect an ISA -------------
        pos = _past_filler(buf, pos)
        while len(buf) - pos < ISA_LENGTH + 2 and more():
            pos = _past_filler(buf, pos)
        if pos >= len(buf):
            return
        number += 1
        if buf[pos : pos + 3] != b"ISA":
            shown = bytes(buf[pos : pos + 20])
            raise TokenError(
                _isa_issue("024", f"expected ISA, found {shown!r}", number)
                if number == 1
                else Issue(
                    level="interchange",
                    code="023",
                    segment_number=number,
                    message=f"unexpected data after the interchange: {shown!r}",
                )
            )
        delims, isa, length = parse_isa(buf[pos : pos + ISA_LENGTH + 2], number, decode)
        yield [Segment(number, isa, delims)]
        pos += length
        term_b, sep_b = delims.segment.encode("latin-1"), delims.element.encode("latin-1")
        term, sep = delims.segment, delims.element
        bad = control_characters(
            "".join(c for c in (sep, delims.component, term, delims.repetition) if c)
        )
        # -- inside an interchange: decode and split whole blocks, up to its IEA ---------
        while True:
            cut = buf.rfind(term_b, pos)
            if cut < 0:
                if more():
                    continue
                rest = decode(buf[pos:].strip(_TRAILING))
                pos = len(buf)
                if rest:  # a last segment without its terminator
                    number += 1
                    last = [Segment(number, rest.split(sep), delims)]
                    if flaws is not None and bad.search(rest):
                        noted += _flaws(last, bad)
                    yield last
                return
            end = _interchange_end(buf, pos, cut, term_b, sep_b)
            stop = end if end >= 0 else cut
            text, pos = decode(buf[pos:stop]), stop + 1
            pieces = text.split(term)
            suspect = flaws is not None and bad.search(text) is not None
            for start in range(0, len(pieces), _BATCH):
                batch = [p.strip("\r\n") for p in pieces[start : start + _BATCH]]
                segments = [
                    Segment(n, raw.split(sep), delims)
                    for n, raw in enumerate((raw for raw in batch if raw), number + 1)
                ]
                number += len(segments)
                if suspect:
                    noted += _flaws(segments, bad)
                yield segments
            if end >= 0:
                break
