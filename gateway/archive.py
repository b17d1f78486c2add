"""Content-addressed, write-once archive of every payload, MDN and acknowledgement.

A file's name is the sha256 of its bytes, so writing twice is harmless and nothing can
be overwritten with other content; reading re-hashes and refuses a file that changed, and
a ``put`` that finds a damaged copy writes the good bytes back.

Durability is paid per batch, like the store's group commit: puts that arrive while a
flush runs are written together and made durable with one ``syncfs`` of the archive's
file system (Linux; PostgreSQL's ``recovery_init_sync_method=syncfs`` relies on the same
call), or elsewhere with an fsync per file and one per directory touched. Blocking file
I/O runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import ArchiveError

__all__ = ["Archive"]

_SHA = re.compile(r"^[0-9a-f]{64}$")
_BATCH_BYTES = 64 << 20  # a flush takes at most this much (or one bigger payload)


def _syncfs() -> Callable[[int], int] | None:
    if not hasattr(os, "O_DIRECTORY"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        fn: Callable[[int], int] = libc.syncfs
    except (OSError, AttributeError):
        return None
    return fn


_SYNCFS = _syncfs()


class Archive:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._pending: list[tuple[bytes, asyncio.Future[str]]] = []
        self._flusher: asyncio.Task[None] | None = None

    def path_of(self, sha256: str) -> Path:
        if not _SHA.match(sha256):
            raise ArchiveError(f"not a sha256 key: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    async def put(self, data: bytes) -> str:
        """Store ``data`` durably (on disk before this returns); returns its sha256 key."""
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._pending.append((data, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        loop = asyncio.get_running_loop()
        while self._pending:
            size, count = 0, 0
            for data, _ in self._pending:
                if count and size + len(data) > _BATCH_BYTES:
                    break
                size, count = size + len(data), count + 1
            batch = self._pending[:count]
            del self._pending[:count]
            try:
                keys = await loop.run_in_executor(None, self.put_many, [d for d, _ in batch])
            except Exception as exc:  # every waiter learns its bytes are not stored
                error = (
                    exc
                    if isinstance(exc, ArchiveError)
                    else ArchiveError(f"{self.root}: cannot archive: {exc}")
                )
                for _, future in batch:
                    if not future.done():
                        future.set_exception(error)
                continue
            for (_, future), key in zip(batch, keys, strict=True):
                if not future.done():
                    future.set_result(key)

    def put_sync(self, data: bytes) -> str:
        return self.put_many([data])[0]

    def put_many(self, items: list[bytes]) -> list[str]:
        """Write each payload not already intact on disk, then make the lot durable."""
        keys, written = [], []
        for data in items:
            key = hashlib.sha256(data).hexdigest()
            keys.append(key)
            final = self.path_of(key)
            if final in written or self._intact(final, key):
                continue
            final.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=".incoming-")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                    if _SYNCFS is None:
                        fh.flush()
                        os.fsync(fh.fileno())
                os.chmod(tmp, 0o440)
                os.replace(tmp, final)  # over a damaged copy too
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            written.append(final)
        if written:
            self._make_durable(written)
        return keys

    @staticmethod
    def _intact(path: Path, key: str) -> bool:
        try:
            with path.open("rb") as fh:
                return hashlib.file_digest(fh, "sha256").hexdigest() == key
        except FileNotFoundError:
            return False

    def _make_durable(self, written: list[Path]) -> None:
        if _SYNCFS is not None:
            fd = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY)
            try:
                if _SYNCFS(fd) != 0:
                    err = ctypes.get_errno()
                    raise OSError(err, f"syncfs: {os.strerror(err)}")
            finally:
                os.close(fd)
            return
        dirs = {p.parent for p in written}  # new folders' own entries are in their parents
        dirs |= {d.parent for d in dirs} | {d.parent.parent for d in dirs}
        for folder in dirs:
            fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    def keys(self) -> Iterator[str]:
        """The sha256 of every file in the archive (blocking: a directory walk)."""
        if not self.root.is_dir():
            return
        for _folder, _dirs, files in os.walk(self.root):
            yield from (name for name in files if _SHA.match(name))

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
