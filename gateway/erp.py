"""The ERP step as an interface, and the recording ERP used by tests, demos and dry runs.

Every hand-off carries an idempotency key (our message id + document position): a job can
run twice (a worker killed after the ERP call but before its commit), so the ERP side must
recognise a key it has seen and return the record it made then.

The key alone is not enough: it is ours, and it is lost with our store. After a restore
(or a lost WAL) the partner resends, the file becomes a new message with new keys, and
only the ERP still knows the order. So an order is also found by its business key, the
partner and the order number (Odoo: ``client_order_ref`` on that customer).
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

_SCHEMA = """
CREATE TABLE IF NOT EXISTS orders (key TEXT PRIMARY KEY, partner TEXT NOT NULL,
    number TEXT, lines INTEGER NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS orders_by_number ON orders (partner, number);
CREATE TABLE IF NOT EXISTS repeats (key TEXT PRIMARY KEY, partner TEXT NOT NULL,
    number TEXT NOT NULL, order_rowid INTEGER NOT NULL);
"""


class ErpClient(Protocol):
    """Where orders go. Implementations must make ``submit_order`` idempotent twice over:
    a ``key`` seen before returns the order it made, and so does an order whose business
    key, (partner, ``order.number`` as the client order ref), is already there under
    another key. The Odoo connector searches ``sale.order`` by ``client_order_ref`` and
    the partner's customer before it creates one."""

    async def submit_order(self, order: PurchaseOrder, *, partner: Profile, key: str) -> str:
        """Create the sales order, or find it (same key, or same partner and client order
        ref); returns its reference."""
        ...

    async def close(self) -> None: ...


class RecordingErp:
    """Orders recorded in their own SQLite file, once per key and once per (partner,
    number); a repeat under a new key is recorded in ``repeats`` and answered with the
    first order's reference.

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
            # a new file gets its tables at once; an existing one is opened on first use,
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
            conn.executescript(_SCHEMA)  # IF NOT EXISTS: older files gain new tables
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
            conn.execute("BEGIN IMMEDIATE")  # the lookups and the insert as one: no race
            try:
                rowid = _find_or_create(conn, order, partner, key)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise ErpError(f"{self.path}: recording ERP failed: {exc}", retryable=True) from exc
        return _ref(rowid)

    def orders(self) -> list[tuple[str, str, str | None]]:
        """(key, partner, number) of every recorded order, for tests and the demo."""
        with closing(sqlite3.connect(self.path, timeout=60)) as conn:
            return list(conn.execute("SELECT key, partner, number FROM orders ORDER BY rowid"))

    def repeats(self) -> list[tuple[str, str, str, str]]:
        """(key, partner, number, reference answered) of each order submitted again under a
        new key, which got the existing order's reference instead of a new order."""
        with closing(sqlite3.connect(self.path, timeout=60)) as conn:
            rows = conn.execute(
                "SELECT key, partner, number, order_rowid FROM repeats ORDER BY rowid"
            )
            return [(k, p, n, _ref(r)) for k, p, n, r in rows]

    async def close(self) -> None:
        def disconnect() -> None:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

        await asyncio.get_running_loop().run_in_executor(self._thread, disconnect)
        self._thread.shutdown(wait=True)


def _ref(rowid: int) -> str:
    return f"SO{rowid:05d}"


def _find_or_create(conn: sqlite3.Connection, order: PurchaseOrder, partner: str, key: str) -> int:
    """The order's rowid: the one made for ``key``, else the one with the same business key
    (recorded as a repeat), else a new one."""
    for sql in (
        "SELECT rowid FROM orders WHERE key = ?",
        "SELECT order_rowid FROM repeats WHERE key = ?",
    ):
        if (found := conn.execute(sql, (key,)).fetchone()) is not None:
            return int(found[0])
    if order.number:
        same = conn.execute(
            "SELECT rowid FROM orders WHERE partner = ? AND number = ? ORDER BY rowid LIMIT 1",
            (partner, order.number),
        ).fetchone()
        if same is not None:
            conn.execute(
                "INSERT INTO repeats (key, partner, number, order_rowid) VALUES (?, ?, ?, ?)",
                (key, partner, order.number, same[0]),
            )
            return int(same[0])
    cur = conn.execute(
        "INSERT INTO orders (key, partner, number, lines, body) VALUES (?, ?, ?, ?, ?)",
        (key, partner, order.number, len(order.lines), to_json(order)),
    )
    return int(cur.lastrowid or 0)
