"""EBCDIC interchanges: mainframe partners send X12 in cp037 (US) or cp500 (international).

The input is translated byte for byte into Latin-1 before the tokenizer sees it (both
code pages are permutations of Latin-1), so offsets, the fixed-width ISA and one-byte
delimiters stay as they are and the rest of the reader is unchanged. The answer goes back
through the inverse table. EBCDIC NL (0x15), the mainframe's line end, is read as "\\n"
like LF (0x25), so "~" + NL and "~" + CR LF files read like "~\\n"; "\\n" is written
back as NL (as ICU's ``swaplfnl`` converters do).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator

from ..chunks import peek
from ..errors import RenderError

__all__ = ["CODECS", "ISA", "decoded", "encode", "sniff"]

CODECS = ("cp037", "cp500")
#: "ISA" in both code pages.
ISA = b"\xc9\xe2\xc1"
_FILLER = b"\x40\x05\x0d\x15\x25\x00"  # space, tab, CR, NL, LF, NUL
_ISA_HEAD = 110  # bytes that hold the ISA and the filler before it


@functools.cache
def _tables(codec: str) -> tuple[bytes, bytes]:
    """(EBCDIC -> Latin-1, Latin-1 -> EBCDIC) translation tables."""
    every = bytes(range(256))
    text = every.decode(codec)  # NL (0x15) is U+0085 in Python's codecs
    reading = text.replace("\x85", "\n").encode("latin-1")
    writing = text.translate({0x0A: 0x85, 0x85: 0x0A}).encode("latin-1")
    return bytes.maketrans(every, reading), bytes.maketrans(writing, every)


def sniff(head: bytes) -> str | None:
    """The code page of an input starting with an EBCDIC ISA, else None.

    The two differ only in seven punctuation bytes, none in the ISA's letters and digits:
    cp037 unless the ISA's delimiters (element, repetition, component, terminator) are
    ASCII only when read as cp500 (0x5F is "^" there, the usual repetition separator,
    and "¬" in cp037)."""
    head = head.lstrip(_FILLER)
    if not head.startswith(ISA):
        return None
    delimiters = bytes(head[i] for i in (3, 82, 104, 105) if i < len(head))
    if delimiters.decode("cp037").isascii() or not delimiters.decode("cp500").isascii():
        return "cp037"
    return "cp500"


def decoded(chunks: Iterable[bytes]) -> tuple[Iterator[bytes], str | None]:
    """``chunks`` as Latin-1 bytes when they are EBCDIC, and the code page (None: as is)."""
    head, replay = peek(chunks, _ISA_HEAD)
    codec = sniff(head)
    if codec is None:
        return replay, None
    table = _tables(codec)[0]
    return (chunk.translate(table) for chunk in replay), codec


def encode(data: bytes, codec: str) -> bytes:
    """A UTF-8 answer (what the writers produce) in ``codec``."""
    try:
        latin = data.decode("utf-8").encode("latin-1")
    except UnicodeError as exc:
        raise RenderError(f"the answer holds characters {codec} cannot carry") from exc
    return latin.translate(_tables(codec)[1])
