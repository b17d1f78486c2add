"""Durable state: messages, documents, jobs, counters, duplicates, expected acks, audit."""

from pathlib import Path

from ..audit import AuditAnchor
from ..config import Settings
from ..errors import ConfigError
from .base import AuditEvent, DocumentRow, Job, MessageRow, NewJob, Store, Tx
from .sqlite import SqliteStore

__all__ = [
    "AuditEvent",
    "DocumentRow",
    "Job",
    "MessageRow",
    "NewJob",
    "SqliteStore",
    "Store",
    "Tx",
    "open_store",
]


def open_store(settings: Settings) -> Store:
    """The store named by ``settings.store`` (not yet opened)."""
    anchor = AuditAnchor(settings.anchor_path)
    if settings.store == "sqlite":
        return SqliteStore(settings.sqlite_path, anchor=anchor)
    if settings.store.endswith((".sqlite", ".db")):
        return SqliteStore(Path(settings.store), anchor=anchor)
    raise ConfigError(
        f"{settings.path}: store: {settings.store!r} is not supported yet (sqlite for now; "
        "PostgreSQL arrives with the scale-out work)"
    )
