"""What the segment-based syntaxes (X12, EDIFACT) share around their own specifics.

Readers: the located-issue helper, the tokenizer's stop signal, and the streaming loop
that turns a token error into a SyntaxFault (nothing readable) or an interchange issue
(something was read). Writers: picking the message writer for a target and the parties
the interchange is addressed between.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Generic, Protocol, TypeVar

from .api import WriteSettings
from .errors import Issue, Level, RenderError, SyntaxFault
from .model import Document, Line, PartyId
from .result import InterchangeResult, MessageResult

__all__ = [
    "SegmentReader",
    "TokenError",
    "control_characters",
    "issue_at",
    "packs_apart",
    "pick_writer",
    "read_all",
    "run",
    "take_flaws",
]

Item = MessageResult | InterchangeResult
B = TypeVar("B")


class _Located(Protocol):
    number: int
    tag: str


class TokenError(Exception):
    """The tokenizer cannot go on; ``issue`` says where and why."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.message)
        self.issue = issue


def issue_at(
    level: Level,
    code: str,
    message: str,
    seg: _Located,
    *,
    element: int | None = None,
    segment_index: int | None = None,
) -> Issue:
    return Issue(
        level=level,
        code=code,
        message=message,
        segment_number=seg.number,
        segment_tag=seg.tag,
        element=element,
        segment_index=segment_index,
    )


class _Tagged(Protocol):
    @property
    def tag(self) -> str: ...


S = TypeVar("S", bound=_Tagged)


class SegmentReader(Protocol, Generic[S]):
    #: The segments of the open message (ST.. / UNH..), or None between messages. ``run``
    #: appends a segment here itself unless its tag is in ``ends``, without calling
    #: ``feed``: that is the path of nearly every segment of a file.
    body: list[S] | None
    #: Tags that ``feed`` must see even inside a message (envelope segments).
    ends: frozenset[str]

    @property
    def inside(self) -> bool:
        """An interchange is open (its header was read)."""
        ...

    def feed(self, seg: S) -> list[Item] | None:
        """Take one segment; what it completes (messages, interchanges), if anything."""
        ...

    def note(self, issue: Issue) -> None: ...
    def finish(self) -> Iterator[Item]: ...


def run(reader: SegmentReader[S], blocks: Iterable[list[S]]) -> Iterator[Item]:
    """Feed the tokenizer's blocks of segments to ``reader``; what completes is yielded at
    once. A segment inside a message is appended to its body here, inline."""
    feed, ends = reader.feed, reader.ends
    try:
        for block in blocks:
            body = reader.body
            for seg in block:
                if body is not None and seg.tag not in ends:
                    body.append(seg)
                    continue
                done = feed(seg)
                body = reader.body
                if done:
                    yield from done
    except TokenError as exc:
        if not reader.inside:
            raise SyntaxFault(exc.issue.message, issues=(exc.issue,), code=exc.issue.code) from exc
        reader.note(exc.issue)
    yield from reader.finish()


@lru_cache(maxsize=64)
def control_characters(allowed: str, *, ascii_only: bool = False) -> re.Pattern[str]:
    """A pattern for the characters no element may hold: C0 controls and DEL (tab, CR and
    LF are left to the segment split), and with ``ascii_only`` anything beyond ASCII;
    minus ``allowed`` (the interchange's own separators, which may be controls)."""
    if ascii_only:
        return re.compile(f"[^\t\r\n\x20-\x7e{re.escape(allowed)}]")
    bad = {chr(c) for c in range(0x20)} - set("\t\r\n") | {"\x7f"}
    chars = "".join(sorted(bad - set(allowed)))
    return re.compile(f"[{re.escape(chars)}]") if chars else re.compile("(?!)")


def take_flaws(flaws: list[Issue], first: int, last: int) -> list[Issue]:
    """The character flaws a tokenizer noted in segments ``first``..``last`` (input
    segment numbers), removed from ``flaws`` and located in that message: its header is
    ``segment_index`` 1, as AK3/IK3 and UCS count."""
    mine = [f for f in flaws if f.segment_number is not None and first <= f.segment_number <= last]
    if not mine:
        return []
    flaws[:] = [f for f in flaws if not any(f is m for m in mine)]
    return [replace(f, segment_index=(f.segment_number or first) - first + 1) for f in mine]


def read_all(stream: Callable[..., Iterator[Item]], data: bytes) -> list[InterchangeResult]:
    return [r for r in stream([data], keep_documents=True) if isinstance(r, InterchangeResult)]


def pick_writer(
    writers: Mapping[str, tuple[type[Document], Callable[[Document], B]]],
    syntax: str,
    target: str,
    documents: Sequence[Document],
    settings: WriteSettings,
) -> tuple[Callable[[Document], B], PartyId, PartyId]:
    """The body writer for ``target`` after checking the documents fit it, and the parties
    (from the settings, else the first document's envelope)."""
    entry = writers.get(target)
    if entry is None:
        raise RenderError(f"cannot write {syntax}:{target}: supported are {', '.join(writers)}")
    kind, body_of = entry
    if not documents:
        raise RenderError("nothing to write")
    for doc in documents:
        if not isinstance(doc, kind):
            raise RenderError(f"{syntax}:{target} writes {kind.type} documents, not {doc.type}")
    env = documents[0].envelope
    sender = settings.sender or (env.sender if env else None)
    receiver = settings.receiver or (env.receiver if env else None)
    if sender is None or receiver is None:
        raise RenderError(f"sender and receiver ids are needed to write a {syntax} interchange")
    return body_of, sender, receiver


def packs_apart(lines: Sequence[Line], packed: Sequence[Line]) -> bool:
    """Must a ship notice's lines be written apart from its packs' contents (856 and
    DESADV)? Yes unless the lines start with exactly the packed items in pack order (the
    rest unpacked): only then does reading every item as a line give the lines back."""
    return bool(packed) and tuple(lines[: len(packed)]) != tuple(packed)
