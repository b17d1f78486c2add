"""Content-addressed, write-once archive of every payload, MDN and acknowledgement.

A file's name is the sha256 of its bytes, so writing twice is harmless and nothing can
be overwritten with other content; reading re-hashes and refuses a file that changed.
Blocking file I/O runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import ArchiveError

__all__ = ["Archive"]

_SHA = re.compile(r"^[0-9a-f]{64}$")


class Archive:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, sha256: str) -> Path:
        if not _SHA.match(sha256):
            raise ArchiveError(f"not a sha256 key: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    async def put(self, data: bytes) -> str:
        """Store ``data`` durably (fsync'd before return); returns its sha256 key."""
        return await asyncio.to_thread(self.put_sync, data)

    def put_sync(self, data: bytes) -> str:
        key = hashlib.sha256(data).hexdigest()
        final = self.path_of(key)
        if final.exists():
            return key
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o440)
            os.replace(tmp, final)
            dir_fd = os.open(final.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return key

    def size_of(self, sha256: str) -> int:
        try:
            return self.path_of(sha256).stat().st_size
        except FileNotFoundError as exc:
            raise ArchiveError(f"archive file {sha256} is missing") from exc

    async def verify(self, sha256: str) -> None:
        """Re-hash a stored file without holding it: raises ArchiveError if it changed."""
        await asyncio.to_thread(lambda: sum(1 for _ in self.chunks(sha256)))

    def chunks(self, sha256: str, size: int = 1 << 20) -> Iterator[bytes]:
        """The file in ``size`` pieces, re-hashed as it goes; a mismatch raises at the end,
        so callers that must not act on changed bytes ``verify`` first."""
        path = self.path_of(sha256)
        digest = hashlib.sha256()
        try:
            with path.open("rb") as fh:
                while chunk := fh.read(size):
                    digest.update(chunk)
                    yield chunk
        except FileNotFoundError as exc:
            raise ArchiveError(f"archive file {sha256} is missing") from exc
        if digest.hexdigest() != sha256:
            raise ArchiveError(f"archive file {sha256} does not match its hash: tampered")

    async def get(self, sha256: str) -> bytes:
        return await asyncio.to_thread(self.get_sync, sha256)

    def get_sync(self, sha256: str) -> bytes:
        path = self.path_of(sha256)
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise ArchiveError(f"archive file {sha256} is missing") from exc
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ArchiveError(f"archive file {sha256} does not match its hash: tampered")
        return data
