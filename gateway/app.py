"""The running gateway's parts, built once from settings and passed down explicitly."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from .archive import Archive
from .config import Settings
from .erp import ErpClient, RecordingErp
from .profiles import ProfileRegistry
from .store import Store, open_store

__all__ = ["Gateway", "open_gateway"]


@dataclass(slots=True, kw_only=True)
class Gateway:
    settings: Settings
    store: Store
    archive: Archive
    profiles: ProfileRegistry
    erp: ErpClient

    def utcnow(self) -> dt.datetime:
        """Wall-clock time for what we write (ack timestamps); leases use the store's."""
        return dt.datetime.now(dt.UTC)


@asynccontextmanager
async def open_gateway(
    settings: Settings, *, erp: ErpClient | None = None
) -> AsyncIterator[Gateway]:
    store = open_store(settings)
    await store.open()
    try:
        erp_client = erp or RecordingErp(
            settings.erp.path or settings.data_dir / "erp-orders.sqlite", delay=settings.erp.delay
        )
    except BaseException:
        await store.close()
        raise
    try:
        yield Gateway(
            settings=settings,
            store=store,
            archive=Archive(settings.archive_dir),
            profiles=ProfileRegistry(settings.partners_dir),
            erp=erp_client,
        )
    finally:
        await erp_client.close()
        await store.close()
