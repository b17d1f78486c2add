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
from collections.abc import Iterable, Iterator

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


def parse_isa(head: bytes, number: int) -> tuple[Delimiters, list[str], int]:
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
    elements = [_decode(e) for e in head[: length - 1].split(sep)]
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


def _skip_filler(buf: bytes) -> bytes:
    buf = buf.lstrip(_TRAILING)
    if buf.startswith(b"\xef\xbb\xbf"):
        buf = buf[3:].lstrip(_TRAILING)
    return buf


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


def blocks(chunks: Iterable[bytes], flaws: list[Issue] | None = None) -> Iterator[list[Segment]]:
    """``tokenize`` a block at a time: the segments of each run of whole segments in the
    buffer, as a list (readers loop over lists without a generator step per segment).
    Control characters inside elements are added to ``flaws``."""
    noted: list[Issue] = flaws if flaws is not None else []
    it = iter(chunks)
    buf = b""
    number = 0

    def more() -> bytes | None:
        for chunk in it:
            if chunk:
                return chunk
        return None

    while True:
        # -- between interchanges: skip tolerated filler, then expect an ISA -------------
        buf = _skip_filler(buf)
        while len(buf) < ISA_LENGTH + 2 and (chunk := more()) is not None:
            buf = _skip_filler(buf + chunk)
        if not buf:
            return
        number += 1
        if buf[:3] != b"ISA":
            shown = bytes(buf[:20])
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
        delims, isa, length = parse_isa(buf[: ISA_LENGTH + 2], number)
        yield [Segment(number, isa, delims)]
        buf = buf[length:]
        term_b = delims.segment.encode("latin-1")
        term, sep = delims.segment, delims.element
        bad = control_characters(
            "".join(c for c in (sep, delims.component, term, delims.repetition) if c)
        )
        # -- inside an interchange: decode and split whole blocks, keep the tail as bytes --
        while True:
            cut = buf.rfind(term_b)
            if cut < 0:
                chunk = more()
                if chunk is not None:
                    buf += chunk
                    continue
                rest = _decode(buf.strip(_TRAILING))
                if rest:  # a last segment without its terminator
                    number += 1
                    last = [Segment(number, rest.split(sep), delims)]
                    if flaws is not None and bad.search(rest):
                        noted += _flaws(last, bad)
                    yield last
                return
            block, buf = buf[:cut], buf[cut + 1 :]
            try:
                text, encoding = block.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                text, encoding = block.decode("latin-1"), "latin-1"
            pieces = text.split(term)
            may_end = "IEA" in text  # does the interchange end in this block?
            suspect = flaws is not None and bad.search(text) is not None
            for start in range(0, len(pieces), _BATCH):
                batch = pieces[start : start + _BATCH]
                raws = [raw for raw in [p.strip("\r\n") for p in batch] if raw]
                segments = [
                    Segment(n, raw.split(sep), delims) for n, raw in enumerate(raws, number + 1)
                ]
                end = _index_of(segments, "IEA") if may_end else -1
                if end < 0:
                    number += len(segments)
                    if suspect:
                        noted += _flaws(segments, bad)
                    yield segments
                    continue
                # what follows the IEA may bring an ISA with other delimiters, so it goes
                # back to the buffer as bytes (the cut terminator closes the last of them)
                number += end + 1
                if suspect:
                    noted += _flaws(segments[: end + 1], bad)
                yield segments[: end + 1]
                after = _after(batch, end) + pieces[start + _BATCH :]
                later = term.join(after) + term if after else ""
                buf = later.encode(encoding) + buf
                break
            else:
                continue
            break


def _index_of(segments: list[Segment], tag: str) -> int:
    """Index of the first segment with ``tag``, or -1."""
    for i, seg in enumerate(segments):
        if seg.tag == tag:
            return i
    return -1


def _after(pieces: list[str], index: int) -> list[str]:
    """The pieces after the one that became segment ``index`` (empty pieces make none)."""
    for i, piece in enumerate(pieces):
        if piece.strip("\r\n"):
            if index == 0:
                return pieces[i + 1 :]
            index -= 1
    return []
