"""A gateway in a temporary folder: gateway.toml, the ACME profile, generated 850s."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import msgspec
import pytest

import translators
from gateway.app import Gateway, open_gateway
from gateway.config import Settings, load_settings
from tests.conftest import OWN_SAMPLES, ROOT
from translators import WriteSettings
from translators.model import PartyId, PurchaseOrder

ORDER = translators.from_json((OWN_SAMPLES / "canonical" / "order.json").read_text())


def make_850(control: int, *, sender: str = "ACMERETAIL", number: str | None = None) -> bytes:
    """A valid 850 interchange from ``sender`` with ISA13/GS06 = ``control``."""
    assert isinstance(ORDER, PurchaseOrder)
    doc = msgspec.structs.replace(ORDER, number=number or f"PO-{control}")
    return translators.write(
        [doc],
        target="x12:850",
        settings=WriteSettings(
            sender=PartyId(id=sender, qualifier="ZZ"),
            receiver=PartyId(id="WIDGETWORKS", qualifier="ZZ"),
            interchange_control=control,
            group_control=control,
            timestamp=dt.datetime(2024, 3, 1, 12, 0),
        ),
    )


def write_config(
    folder: Path, *, erp_delay: float = 0.0, lease: float = 60, concurrency: int = 16
) -> Path:
    (folder / "partners").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "partners" / "acme.toml", folder / "partners" / "acme.toml")
    config = folder / "gateway.toml"
    config.write_text(
        'data_dir = "var"\npartners_dir = "partners"\n[x12]\nid = "WIDGETWORKS"\n'
        f"[jobs]\npoll_seconds = 0.05\nlease_seconds = {lease}\nbackoff_base = 0.05\n"
        f"concurrency = {concurrency}\n"
        f"[erp]\ndelay = {erp_delay}\n"
    )
    return config


def run_edigw(config: Path, *args: str, **kw: Any) -> subprocess.CompletedProcess[str]:
    """`edigw --config CONFIG ARGS...` as a user runs it; output as text."""
    return subprocess.run(
        [sys.executable, "-m", "gateway", "--config", str(config), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        **kw,
    )


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(write_config(tmp_path))


@pytest.fixture
async def gw(settings: Settings) -> AsyncIterator[Gateway]:
    async with open_gateway(settings) as gateway:
        yield gateway
