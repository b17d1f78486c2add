"""The ERP step as an interface, and the recording ERP used by tests, demos and dry runs.

Every hand-off carries an idempotency key (our message id + document position): a job can
run twice (a worker killed after the ERP call but before its commit), so the ERP side must
recognise a key it has seen and return the record it made then. Odoo does this by
``client_order_ref`` lookup (later issue); the recording ERP by a UNIQUE key.
"""

from __future__ import annotations

import asyncio
import sqlite3
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
    """Orders recorded in their own SQLite file, once per key, durably (synchronous=FULL)."""

    def __init__(self, path: Path, *, delay: float = 0.0) -> None:
        self.path = path
        self.delay = delay
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS orders (key TEXT PRIMARY KEY, partner TEXT NOT NULL,"
                " number TEXT, lines INTEGER NOT NULL, body TEXT NOT NULL)"
            )

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        return conn

    async def submit_order(self, order: PurchaseOrder, *, partner: Profile, key: str) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        return await asyncio.to_thread(self._submit, order, partner.id, key)

    def _submit(self, order: PurchaseOrder, partner: str, key: str) -> str:
        try:
            with self._connect() as conn:
                conn.execute(
                    "INSERT INTO orders (key, partner, number, lines, body) VALUES (?, ?, ?, ?, ?)"
                    " ON CONFLICT (key) DO NOTHING",
                    (key, partner, order.number, len(order.lines), to_json(order)),
                )
                (rowid,) = conn.execute("SELECT rowid FROM orders WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as exc:
            raise ErpError(f"recording ERP failed: {exc}", retryable=True) from exc
        return f"SO{rowid:05d}"

    def orders(self) -> list[tuple[str, str, str | None]]:
        """(key, partner, number) of every recorded order, for tests and the demo."""
        with self._connect() as conn:
            return list(conn.execute("SELECT key, partner, number FROM orders ORDER BY rowid"))

    async def close(self) -> None:
        return None
