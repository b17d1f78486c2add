"""Reading a file an operator names by hand (``edigw receive``), without trusting it.

The manual channel archives whatever it reads as a partner's message, so what it reads
is checked first: a symbolic link is followed only when asked (a link to /etc/passwd
would otherwise be archived as a partner file), only a regular file is read (a FIFO
blocks, a device such as /dev/zero never ends; ``-`` reads standard input, on purpose),
and reading stops at the payload limit instead of holding the whole file in memory.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from typing import BinaryIO

from ..errors import InputRefused
from ..names import shown

__all__ = ["STDIN", "read_payload"]

STDIN = "-"


def read_payload(
    name: str, *, limit: int, follow_symlinks: bool = False, stdin: bool = True
) -> bytes:
    """The bytes of ``name`` (``-``: standard input, if ``stdin``), at most ``limit``."""
    if name == STDIN and stdin:
        return _read_limited(sys.stdin.buffer, name, limit)
    with _open_regular(name, follow_symlinks=follow_symlinks, stdin=stdin) as fh:
        return _read_limited(fh, name, limit)


def _open_regular(name: str, *, follow_symlinks: bool, stdin: bool) -> BinaryIO:
    # O_NONBLOCK: opening a FIFO must not wait for a writer; the fstat below refuses it
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC
    flags |= 0 if follow_symlinks else os.O_NOFOLLOW
    try:
        fd = os.open(name, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow_symlinks:
            raise InputRefused(
                f"{shown(name)}: is a symbolic link; not followed unless --follow-symlinks"
            ) from exc
        raise InputRefused(f"{shown(name)}: cannot read: {exc.strerror or exc}") from exc
    fh = os.fdopen(fd, "rb")
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        fh.close()
        hint = "; use - to read standard input" if stdin else ""
        raise InputRefused(f"{shown(name)}: not a regular file ({_kind(mode)}){hint}")
    return fh


def _kind(mode: int) -> str:
    for test, what in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return what
    return "not a plain file"


def _read_limited(fh: BinaryIO, name: str, limit: int) -> bytes:
    """Up to ``limit`` bytes; one byte more means too large. One read into one buffer
    (a buffered read loops until it has them or the input ends), so a file near the
    limit is held once, not once in chunks and again joined."""
    try:
        data = fh.read(limit + 1)
    except OSError as exc:
        raise InputRefused(f"{shown(name)}: cannot read: {exc.strerror or exc}") from exc
    if len(data) > limit:
        raise InputRefused(
            f"{shown(name)}: larger than the payload limit of {limit} bytes (max_payload_bytes)"
        )
    return data
