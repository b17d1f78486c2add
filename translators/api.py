"""The translators' public surface: detect, read, stream, write and build acknowledgements.

Each syntax is a backend module (``translators.x12``, ``translators.edifact``,
``translators.xml``) with the same four functions; this module picks one by content
(reading) or by target name (writing) so callers never branch on syntax.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol, cast

from .chunks import peek
from .errors import DetectError, RenderError
from .model import Document, PartyId, Syntax
from .result import Delimiters, InterchangeResult, MessageResult

__all__ = [
    "Backend",
    "WriteSettings",
    "build_ack",
    "detect",
    "read",
    "stream",
    "target_backend",
    "write",
    "write_targets",
]

_BACKENDS: dict[Syntax, str] = {
    "x12": "translators.x12",
    "edifact": "translators.edifact",
    "xml": "translators.xml",
}
#: Target prefixes (``x12:856``, ``ubl:Invoice``) -> backend that writes them.
_TARGET_PREFIX: dict[str, Syntax] = {
    "x12": "x12",
    "edifact": "edifact",
    "ubl": "xml",
    "cxml": "xml",
}

_SNIFF = 512  # bytes looked at to detect the syntax
#: "ISA" in EBCDIC (cp037 and cp500) and the filler before it; ``translators.x12.ebcdic``
#: reads such an input (not imported here: the X12 package imports this module)
_EBCDIC_ISA, _EBCDIC_FILLER = b"\xc9\xe2\xc1", b"\x40\x05\x0d\x15\x25\x00"


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteSettings:
    """Everything a writer needs that is not in the canonical document.

    Control numbers and the timestamp come from the caller (the gateway allocates them
    atomically per partner); translators hold no clock and no counters.
    """

    sender: PartyId | None = None  # None: mirrored from the inbound (acks) or the envelope
    receiver: PartyId | None = None
    group_sender: str | None = None  # GS02 / UNG; defaults to sender.id
    group_receiver: str | None = None
    version: str | None = None  # "004010", "005010", "D96A", "D01B", "2.1"
    interchange_control: int = 1
    group_control: int = 1
    message_control: int = 1  # first ST02 / UNH 0062; the next messages count up
    timestamp: dt.datetime = dt.datetime(2000, 1, 1)
    test: bool = False
    ack_requested: bool = False
    delimiters: Delimiters | None = None
    charset: str | None = None  # EDIFACT syntax identifier "UNOA".."UNOY"
    association: str | None = None  # EDIFACT association code (EAN008) / X12 GS08 suffix
    #: refuse an SSCC, GTIN or GLN whose check digit is wrong. Off only to reproduce a
    #: received document exactly as it came (what a partner sent us, bad keys and all)
    check_gs1: bool = True


class Backend(Protocol):
    def read(self, data: bytes) -> list[InterchangeResult]: ...

    def stream(self, chunks: Iterable[bytes]) -> Iterator[MessageResult | InterchangeResult]: ...

    def write(
        self, documents: Sequence[Document], *, target: str, settings: WriteSettings
    ) -> bytes: ...

    def build_ack(
        self, interchange: InterchangeResult, *, kind: str, settings: WriteSettings
    ) -> bytes | None: ...


def _backend(syntax: Syntax) -> Backend:
    return cast(Backend, importlib.import_module(_BACKENDS[syntax]))


def detect(data: bytes) -> Syntax:
    """Syntax by content, never by file name. Raises ``DetectError`` for anything else."""
    head = data[:_SNIFF]
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    head = head.lstrip(b" \t\r\n\x00")
    if head[:3] == b"ISA" or head.lstrip(_EBCDIC_FILLER)[:3] == _EBCDIC_ISA:
        return "x12"
    if head[:3] in (b"UNA", b"UNB"):
        return "edifact"
    if head[:1] == b"<":
        return "xml"
    if not head:
        raise DetectError("empty input: nothing to translate")
    raise DetectError(
        "not X12 (ISA), EDIFACT (UNA/UNB) or XML: starts with " + repr(bytes(head[:16]))
    )


def read(data: bytes, *, syntax: Syntax | None = None) -> list[InterchangeResult]:
    """Every interchange in ``data`` with its documents and located issues."""
    return _backend(syntax or detect(data)).read(data)


def stream(
    chunks: Iterable[bytes], *, syntax: Syntax | None = None
) -> Iterator[MessageResult | InterchangeResult]:
    """Messages as they complete, then each interchange's summary (documents dropped).

    Memory stays bounded by the largest message, not the input: for large files.
    """
    first, replay = peek(chunks, _SNIFF)
    return _backend(syntax or detect(first)).stream(replay)


def target_backend(target: str) -> tuple[Syntax, str]:
    """``"x12:856"`` -> (``"x12"``, ``"856"``); ``"ubl:Invoice"`` -> (``"xml"``, same)."""
    prefix, sep, code = target.partition(":")
    syntax = _TARGET_PREFIX.get(prefix.lower())
    if not sep or not code or syntax is None:
        raise RenderError(f"unknown target {target!r}: use one of {', '.join(write_targets())}")
    return syntax, (target if syntax == "xml" else code.upper())


def write_targets() -> tuple[str, ...]:
    """Every target ``write`` accepts, from the writers' own registries."""
    from .edifact.writer import TARGETS as edifact
    from .x12.writer import TARGETS as x12
    from .xml import TARGETS as xml

    return (*(f"x12:{c}" for c in x12), *(f"edifact:{c}" for c in edifact), *xml)


def write(documents: Sequence[Document], *, target: str, settings: WriteSettings) -> bytes:
    """One interchange holding ``documents`` in the target syntax and message."""
    syntax, code = target_backend(target)
    return _backend(syntax).write(documents, target=code, settings=settings)


def build_ack(
    interchange: InterchangeResult, *, kind: str, settings: WriteSettings
) -> bytes | None:
    """The acknowledgement ``kind`` (997, 999, TA1, CONTRL, ApplicationResponse) or None
    when the standard sends none for this input (e.g. a TA1 for a clean interchange)."""
    return _backend(interchange.syntax).build_ack(interchange, kind=kind, settings=settings)
