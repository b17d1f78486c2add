"""The ERP step as an interface, and the recording ERP used by tests, demos and dry runs.

Every hand-off carries an idempotency key (our message id + document position): a job can
run twice (a worker killed after the ERP call but before its commit), so the ERP side must
recognise a key it has seen and return the record it made then. Odoo does this by
``client_order_ref`` lookup (later issue); the recording ERP by a UNIQUE key.
"""

from __future__ import annotations

import asyncio
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path
from typing import Protocol

from translators.model import PurchaseOrder, to_json

from .errors import ErpError
from .profiles import Profile

__all__ = ["ErpClient", "RecordingErp"]


class ErpClient(Protocol):
    async def submit_order(self, order: PurchaseOrder, *, partner: Profile, key: str) -> str:
        """Create (or find, for a key already seen) the sales order; returns its reference."""
        ...

    async def close(self) -> None: ...


class RecordingErp:
    """Orders recorded in their own SQLite file, once per key.

    A stand-in for Odoo: one connection in its own thread, WAL with synchronous=NORMAL,
    which survives a killed process (what the crash tests do) though not a power cut.
    """

    def __init__(self, path: Path, *, delay: float = 0.0) -> None:
        self.path = path
        self.delay = delay
        path.parent.mkdir(parents=True, exist_ok=True)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="edigw-erp")
        self._conn: sqlite3.Connection | None = None
        if not path.exists():
            # a new file gets its table at once; an existing one is opened on first use,
            # so a damaged file fails the hand-offs (retried, then dead, naming it) and
            # not every command that opens the gateway
            try:
                self._open().close()
            except sqlite3.Error as exc:
                raise ErpError(
                    f"{path}: cannot create the recording ERP: {exc}", retryable=False
                ) from exc

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS orders (key TEXT PRIMARY KEY, partner TEXT NOT NULL,"
                " number TEXT, lines INTEGER NOT NULL, body TEXT NOT NULL)"
            )
        except BaseException:
            conn.close()
            raise
        return conn

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = self._open()
        return self._conn

    async def submit_order(self, order: PurchaseOrder, *, partner: Profile, key: str) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._thread, self._submit, order, partner.id, key)

    def _submit(self, order: PurchaseOrder, partner: str, key: str) -> str:
        try:
            conn = self._connect()
            conn.execute(
                "INSERT INTO orders (key, partner, number, lines, body) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (key) DO NOTHING",
                (key, partner, order.number, len(order.lines), to_json(order)),
            )
            (rowid,) = conn.execute("SELECT rowid FROM orders WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as exc:
            raise ErpError(f"{self.path}: recording ERP failed: {exc}", retryable=True) from exc
        return f"SO{rowid:05d}"

    def orders(self) -> list[tuple[str, str, str | None]]:
        """(key, partner, number) of every recorded order, for tests and the demo."""
        with closing(sqlite3.connect(self.path, timeout=60)) as conn:
            return list(conn.execute("SELECT key, partner, number FROM orders ORDER BY rowid"))

    async def close(self) -> None:
        def disconnect() -> None:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

        await asyncio.get_running_loop().run_in_executor(self._thread, disconnect)
        self._thread.shutdown(wait=True)
