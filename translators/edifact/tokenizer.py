"""EDIFACT tokenising: chunks of bytes in, segments out; UNA, release character, charsets.

pydifact's tokenizer walks characters one by one (~0.8 MB/s); this one lets
``str.split`` find the separators and only looks closer where a release character
occurs: a piece ending in an odd number of release characters had its separator
released, so it is joined back to the next piece. Results equal pydifact's parse (a
test compares them on every sample).

Bytes are decoded with the character set the UNB syntax identifier declares (UNOA/UNOB
ASCII, UNOC Latin-1, UNOD..UNOK ISO 8859-x, UNOW/UNOY UTF-8), one block at a time. A
character the set cannot hold (a control character; in UNOA/UNOB anything beyond
ASCII; in UNOW/UNOY bytes that are not UTF-8) is noted in ``flaws`` as a located CONTRL
21 issue rather than read as garbage: one search per block finds whether there is any,
and only then are that block's segments looked at one by one. UNOA/UNOB are read as
printable ASCII: their strict repertoires leave out lower-case letters (UNOA) and ``@``,
which real UNOA files carry and partners expect us to read. A lower-case letter under
UNOA is still noted, as a CONTRL 21 *warning*: the document is read and acknowledged,
the operator sees where the partner strays from its declared set, and a partner profile
with ``[edifact] strict_charset = true`` turns the warning into a rejection.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Literal

from ..errors import Issue
from ..result import Delimiters
from ..segmented import TokenError, control_characters

__all__ = ["CHARSETS", "DEFAULT", "Segment", "TokenError", "blocks", "tokenize"]

DEFAULT = Delimiters(component=":", element="+", decimal=".", release="?", segment="'")
CHARSETS = {
    "UNOA": "latin-1",
    "UNOB": "latin-1",
    "UNOC": "latin-1",
    "UNOD": "iso8859-2",
    "UNOE": "iso8859-5",
    "UNOF": "iso8859-7",
    "UNOG": "iso8859-3",
    "UNOH": "iso8859-4",
    "UNOI": "iso8859-6",
    "UNOJ": "iso8859-8",
    "UNOK": "iso8859-9",
    "UNOW": "utf-8",
    "UNOY": "utf-8",
}  # UNOA/UNOB are ASCII subsets: Latin-1 reads them and never fails on a stray byte
_FILLER = b" \t\r\n\x00\x1a"
_LOWER = re.compile("[a-z]")  # what UNOA (level A) leaves out and UNOB adds
_BATCH = 64  # segments a block holds: small, so that they are still in the CPU caches


class Segment:
    """One segment. ``values`` is what the element separator cut, tag first (``values[0]``);
    components are split from an element only when they are asked for (``get``,
    ``elements``), so a simple element is never split. A segment holding a release
    character is split at once, with its escapes resolved, and has ``values`` None."""

    __slots__ = ("_elements", "delimiters", "number", "tag", "values")

    def __init__(
        self,
        number: int,
        tag: str,
        values: list[str] | None,
        delims: Delimiters,
        elements: list[list[str]] | None = None,
    ) -> None:
        self.number = number
        self.tag = tag
        self.values = values
        self.delimiters = delims
        self._elements = elements

    @property
    def elements(self) -> list[list[str]]:
        """``elements[i]`` is the list of components of element i+1."""
        elements = self._elements
        if elements is None:
            assert self.values is not None
            component = self.delimiters.component
            elements = self._elements = [v.split(component) for v in self.values[1:]]
        return elements

    def get(self, element: int, component: int = 1) -> str:
        """Element ``element`` component ``component`` (both 1-based), "" when absent."""
        values = self.values
        if values is None:
            if element <= len(self.elements):
                parts = self.elements[element - 1]
                if component <= len(parts):
                    return parts[component - 1]
            return ""
        if element >= len(values):
            return ""
        value = values[element]
        separator = self.delimiters.component
        if separator not in value:
            return value if component == 1 else ""
        parts = value.split(separator)
        return parts[component - 1] if component <= len(parts) else ""

    def components(self, element: int) -> list[str]:
        """The components of element ``element`` (1-based); [] when it is absent."""
        values = self.values
        if values is None:
            elements = self.elements
            return elements[element - 1] if element <= len(elements) else []
        return values[element].split(self.delimiters.component) if element < len(values) else []

    def plain(self) -> list[str | list[str]]:
        """pydifact's shape: a simple element as str, a composite as a list."""
        return [e[0] if len(e) == 1 else e for e in self.elements]


def _released(piece: str, release: str) -> bool:
    """Does ``piece`` end in an odd run of release characters (its separator released)?"""
    run = len(piece) - len(piece.rstrip(release))
    return run % 2 == 1


def split_released(text: str, sep: str, release: str | None) -> list[str]:
    """``text.split(sep)`` that keeps released separators (still escaped) in their piece.

    Only a separator right after a release character can be released, so the text is cut
    at those first (few) places and the pieces between are split by ``str.split``.
    """
    marker = f"{release}{sep}"
    if not release or marker not in text:
        return text.split(sep)
    out: list[str] = []
    carry = ""
    chunks = text.split(marker)
    last = len(chunks) - 1
    for k, chunk in enumerate(chunks):
        pieces = chunk.split(sep)
        pieces[0] = carry + pieces[0]
        carry = ""
        if k < last:  # a release character and a separator were cut after this chunk
            tail = pieces.pop()
            if _released(tail + release, release):
                carry = tail + marker  # released: the piece goes on
            else:
                pieces.append(tail + release)  # an escaped release, then a real separator
        out.extend(pieces)
    return out


def unescape(value: str, release: str | None) -> str:
    if not release or release not in value:
        return value
    out, i = [], 0
    while i < len(value):
        ch = value[i]
        if ch == release and i + 1 < len(value):
            out.append(value[i + 1])
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _segment(number: int, raw: str, d: Delimiters) -> Segment:
    release = d.release
    if not release or release not in raw:  # the common, fast case
        values = raw.split(d.element)
        return Segment(number, values[0], values, d)
    return _released_segment(number, raw, d)


def _released_segment(number: int, raw: str, d: Delimiters) -> Segment:
    """A segment holding the release character: split and unescaped at once."""
    release = d.release
    parts = split_released(raw, d.element, release)
    elements = [
        [unescape(c, release) for c in split_released(p, d.component, release)] for p in parts[1:]
    ]
    return Segment(number, unescape(parts[0], release), None, d, elements)


def _segments(pieces: list[str], number: int, d: Delimiters) -> list[Segment]:
    """Segments numbered from ``number + 1`` of the non-empty pieces of a block."""
    raws = [raw for raw in [p.strip("\r\n") for p in pieces] if raw]
    sep, release = d.element, d.release
    if not release:
        return [
            Segment(n, (values := raw.split(sep))[0], values, d)
            for n, raw in enumerate(raws, number + 1)
        ]
    return [
        Segment(n, (values := raw.split(sep))[0], values, d)
        if release not in raw
        else _released_segment(n, raw, d)
        for n, raw in enumerate(raws, number + 1)
    ]


def parse_una(head: bytes) -> Delimiters:
    """UNA + six service characters: component, element, decimal, release, repetition
    (reserved in syntax 3), terminator."""
    chars = head[3:9].decode("latin-1")
    return Delimiters(
        component=chars[0],
        element=chars[1],
        decimal=chars[2],
        release=None if chars[3] == " " else chars[3],
        repetition=None if chars[4] == " " else chars[4],
        segment=chars[5],
    )


def _released_byte(buf: bytes, i: int, release: bytes | None) -> bool:
    """Is the byte at ``i`` released (an odd run of release characters before it)?"""
    if not release:
        return False
    run = 0
    while i - run > 0 and buf[i - run - 1] == release[0]:
        run += 1
    return run % 2 == 1


def _cut(buf: bytes, term: bytes, release: bytes | None) -> int:
    """Index of the last terminator in ``buf`` that is not released, or -1."""
    cut = buf.rfind(term)
    while cut > 0 and _released_byte(buf, cut, release):
        cut = buf.rfind(term, 0, cut)
    return cut


def _interchange_end(buf: bytes, last: int, term: bytes, sep: bytes, release: bytes | None) -> int:
    """The terminator that closes the first UNZ segment in ``buf[:last + 1]``, or -1. A
    block is cut there, so that a file of many interchanges is split and decoded once,
    not once again for every interchange in a block."""
    needle = b"UNZ" + sep
    at = buf.find(needle, 0, last)
    while at >= 0:
        i = at - 1
        while i >= 0 and buf[i] in b"\r\n":
            i -= 1
        if i < 0 or (buf[i] == term[0] and not _released_byte(buf, i, release)):
            end = buf.find(term, at, last + 1)
            while end >= 0 and _released_byte(buf, end, release):
                end = buf.find(term, end + 1, last + 1)
            return end
        at = buf.find(needle, at + 1, last)
    return -1


def tokenize(chunks: Iterable[bytes]) -> Iterator[Segment]:
    """Segments of every interchange in ``chunks``. UNA/UNB may change delimiters and
    charset between interchanges; each UNA is yielded as a segment too."""
    for block in blocks(chunks):
        yield from block


def _syntax_id(buf: bytes, d: Delimiters) -> str:
    """The UNB syntax identifier (S001/0001), upper-cased; "" when there is no UNB."""
    start = buf.find(b"UNB")
    if start < 0:
        return ""
    end = buf.find(d.element.encode("latin-1"), start + 4)
    ident = buf[start + 4 : end if end > 0 else start + 8].split(d.component.encode("latin-1"))[0]
    return ident.decode("latin-1", "replace").upper()


def _bad_characters(syntax_id: str, d: Delimiters) -> re.Pattern[str]:
    """What no element of this interchange may hold (its separators aside)."""
    allowed = "".join(c for c in (d.component, d.element, d.release, d.repetition, d.segment) if c)
    return control_characters(allowed, ascii_only=syntax_id in ("UNOA", "UNOB"))


def _flaws(
    segments: list[Segment],
    bad: re.Pattern[str],
    utf8: bool,
    syntax_id: str,
    lower: re.Pattern[str] | None = None,
) -> list[Issue]:
    """CONTRL 21 (invalid character) for the first bad character of each segment; with
    ``lower``, a warning for the first lower-case letter of a segment that has none."""
    out = []
    for seg in segments:
        issue = _flaw(seg, bad, utf8, syntax_id)
        if issue is None and lower is not None:
            issue = _flaw(seg, lower, False, syntax_id, "warning")
        if issue is not None:
            out.append(issue)
    return out


def _flaw(
    seg: Segment,
    bad: re.Pattern[str],
    utf8: bool,
    syntax_id: str,
    severity: Literal["error", "warning"] = "error",
) -> Issue | None:
    for e, element in enumerate(seg.elements, start=1):
        for c, value in enumerate(element, start=1):
            found = bad.search(value) or (re.search("\ufffd", value) if utf8 else None)
            if found is None:
                continue
            char = found.group()
            if char == "\ufffd" and utf8:
                what = "bytes that are not UTF-8"
            elif syntax_id in ("UNOA", "UNOB") and ord(char) > 0x7F:
                what = f"byte 0x{ord(char):02X} (not ASCII)"  # decoded as Latin-1
            elif severity == "warning":
                what = f"lower-case {char!r} (UNOA holds upper case only)"
            else:
                what = repr(char)
            return Issue(
                level="element",
                code="21",
                severity=severity,
                message=f"invalid character: {what} in a {syntax_id or 'UNOA'} interchange",
                segment_number=seg.number,
                segment_tag=seg.tag,
                element=e,
                component=c if len(element) > 1 else None,
            )
    return None


def blocks(chunks: Iterable[bytes], flaws: list[Issue] | None = None) -> Iterator[list[Segment]]:
    """``tokenize`` a block at a time: the segments of each run of whole segments in the
    buffer, as a list (readers loop over lists without a generator step per segment).
    Characters the interchange's character set cannot hold are added to ``flaws``."""
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
        buf = buf.lstrip(_FILLER)
        while len(buf) < 64 and (chunk := more()) is not None:
            buf = (buf + chunk).lstrip(_FILLER)
        if buf.startswith(b"\xef\xbb\xbf"):
            buf = buf[3:]
        if not buf:
            return
        number += 1
        if buf[:3] == b"UNA":
            if len(buf) < 9:
                raise TokenError(
                    Issue(
                        level="interchange",
                        code="22",
                        segment_number=number,
                        segment_tag="UNA",
                        message="UNA is shorter than 9 characters",
                    )
                )
            delims = parse_una(buf)
            yield [Segment(number, "UNA", None, delims, [[buf[3:9].decode("latin-1")]])]
            buf = buf[9:].lstrip(_FILLER)
            while len(buf) < 3 and (chunk := more()) is not None:
                buf = (buf + chunk).lstrip(_FILLER)
            if not buf:
                raise TokenError(
                    Issue(
                        level="interchange",
                        code="13",
                        segment_number=number,
                        segment_tag="UNA",
                        message="UNA without an interchange: no UNB follows",
                    )
                )
            number += 1
        elif buf[:3] == b"UNB":
            delims = DEFAULT
        else:
            raise TokenError(
                Issue(
                    level="interchange",
                    code="22",
                    segment_number=number,
                    message=f"expected UNA or UNB, found {bytes(buf[:20])!r}",
                )
            )
        syntax_id = _syntax_id(buf, delims)
        encoding = CHARSETS.get(syntax_id, "latin-1")
        bad = _bad_characters(syntax_id, delims)
        lower = _LOWER if syntax_id == "UNOA" else None
        utf8 = encoding == "utf-8"
        term_b = delims.segment.encode("latin-1")
        release_b = delims.release.encode("latin-1") if delims.release else None
        number -= 1
        while True:  # inside one interchange: whole blocks up to the last real terminator
            cut = _cut(buf, term_b, release_b)
            if cut < 0:
                chunk = more()
                if chunk is not None:
                    buf += chunk
                    continue
                rest = buf.strip(_FILLER).decode(encoding, "replace")
                if rest:
                    number += 1
                    last = [_segment(number, rest, delims)]
                    if flaws is not None and _suspect(rest, buf, bad, utf8, lower):
                        noted += _flaws(last, bad, utf8, syntax_id, lower)
                    yield last
                return
            end = _interchange_end(buf, cut, term_b, delims.element.encode("latin-1"), release_b)
            cut = end if end >= 0 else cut
            block, buf = buf[:cut], buf[cut + 1 :]
            text = block.decode(encoding, "replace")
            suspect = flaws is not None and _suspect(text, block, bad, utf8, lower)
            pieces = split_released(text, delims.segment, delims.release)
            # does the interchange end in this block? (a released character may hide in a
            # tag: "UN?Z" is UNZ too)
            may_end = "UNZ" in (text.replace(delims.release, "") if delims.release else text)
            for start in range(0, len(pieces), _BATCH):
                batch = pieces[start : start + _BATCH]
                segments = _segments(batch, number, delims)
                end = _index_of(segments, "UNZ") if may_end else -1
                if end < 0:
                    number += len(segments)
                    if suspect:
                        noted += _flaws(segments, bad, utf8, syntax_id, lower)
                    yield segments
                    continue
                # what follows the UNZ may bring a UNA with other delimiters or a UNB with
                # another charset, so it goes back to the buffer as bytes
                number += end + 1
                if suspect:
                    noted += _flaws(segments[: end + 1], bad, utf8, syntax_id, lower)
                yield segments[: end + 1]
                if suspect and utf8:  # keep bytes that are not UTF-8 for the next look
                    raw = block.decode(encoding, "surrogateescape")
                    pieces = split_released(raw, delims.segment, delims.release)
                after = pieces[start + _next(batch, end) :]
                later = delims.segment.join(after) + delims.segment if after else ""
                buf = later.encode(encoding, "surrogateescape") + buf
                break
            else:
                continue
            break


def _suspect(
    text: str, raw: bytes, bad: re.Pattern[str], utf8: bool, lower: re.Pattern[str] | None
) -> bool:
    """Might ``text`` (decoded from ``raw``) hold a character its set cannot? One search
    per block (two under UNOA); a U+FFFD counts only when ``raw`` really is not UTF-8."""
    if bad.search(text) is not None or (lower is not None and lower.search(text)):
        return True
    if utf8 and "\ufffd" in text:
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            return True
    return False


def _index_of(segments: list[Segment], tag: str) -> int:
    """Index of the first segment with ``tag``, or -1."""
    for i, seg in enumerate(segments):
        if seg.tag == tag:
            return i
    return -1


def _next(pieces: list[str], index: int) -> int:
    """Index of the piece after the one that became segment ``index`` (empty pieces make
    none), or ``len(pieces)``."""
    for i, piece in enumerate(pieces):
        if piece.strip("\r\n"):
            if index == 0:
                return i + 1
            index -= 1
    return len(pieces)
