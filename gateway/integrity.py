"""Does the store agree with the archive? What a lost WAL or a damaged disk leaves behind.

Every accepted payload and every acknowledgement we built is a file in the archive, and
every message row names its file by sha256. So after a crash or an operator's mistake the
two can be compared: a message whose file is missing or changed has lost its evidence; a
file no message names is a payload whose row was lost (the WAL deleted after a crash), or
one written just before a crash that never committed - the partner got no receipt for it
then, and will send it again. Both are listed for an operator to look at.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from .app import Gateway
from .errors import ArchiveError

__all__ = ["Problem", "check_store"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    kind: str  # missing | damaged | unrecorded
    sha256: str
    message_id: str | None = None

    def __str__(self) -> str:
        if self.kind == "unrecorded":
            return f"archive file {self.sha256} is named by no message (a lost or unfinished row)"
        return f"message {self.message_id}: its archive file {self.sha256} is {self.kind}"


async def check_store(gw: Gateway, *, rehash: bool = True) -> tuple[int, int, list[Problem]]:
    """(messages checked, archive files seen, problems)."""
    named = await gw.store.archive_keys()
    on_disk = await asyncio.to_thread(lambda: set(gw.archive.keys()))
    problems: list[Problem] = []
    for message_id, sha in named:
        if sha not in on_disk:
            problems.append(Problem(kind="missing", sha256=sha, message_id=message_id))
        elif rehash:
            try:
                await gw.archive.verify(sha)
            except ArchiveError:
                problems.append(Problem(kind="damaged", sha256=sha, message_id=message_id))
    recorded = {sha for _, sha in named}
    problems += [Problem(kind="unrecorded", sha256=s) for s in sorted(on_disk - recorded)]
    return len(named), len(on_disk), problems
