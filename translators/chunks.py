"""Looking at the start of a chunked input without losing it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

__all__ = ["peek"]


def peek(chunks: Iterable[bytes], size: int) -> tuple[bytes, Iterator[bytes]]:
    """At least ``size`` leading bytes (fewer if the input is shorter), and every chunk
    again, those bytes included: detection reads the head, the reader the whole."""
    it = iter(chunks)
    head = b""
    for chunk in it:
        head += chunk
        if len(head) >= size:
            break

    def replay() -> Iterator[bytes]:
        if head:
            yield head
        yield from it

    return head, replay()
