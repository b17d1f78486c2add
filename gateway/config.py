"""``gateway.toml``: our own side, read once at the edge into frozen settings.

Only the sections the running parts use are parsed here; later parts (transports, Odoo,
admin tokens) add theirs. A missing file at the default path means the embedded defaults
(SQLite and the archive under ./var, partners from ./partners).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from translators.model import PartyId

from .errors import ConfigError
from .tomlread import Table, load_toml

__all__ = ["ErpSettings", "JobSettings", "Settings", "load_settings"]


@dataclass(frozen=True, slots=True, kw_only=True)
class JobSettings:
    max_attempts: int = 8  # then the job is dead-lettered (a profile may lower it)
    backoff_base: float = 2.0  # seconds; delay = base * 2**(attempt-1), jittered
    backoff_max: float = 3600.0
    #: a claim lasts this long unless its worker renews it (it does, every third of it,
    #: while the handler runs): a dead worker's jobs come back after at most this
    lease_seconds: float = 60.0
    run_timeout: float = 3600.0  # a handler still running after this fails and retries
    concurrency: int = 16  # jobs one worker process runs at once (their commits are shared)
    poll_seconds: float = 0.5


@dataclass(frozen=True, slots=True, kw_only=True)
class ErpSettings:
    """Which ERP step orders go to. ``recording`` keeps them in a local SQLite file (tests,
    demos, and a dry-run before a partner goes live); the Odoo connector comes later."""

    driver: str = "recording"
    path: Path | None = None
    delay: float = 0.0  # seconds per call: lets tests catch a worker mid-batch


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    path: Path
    data_dir: Path
    partners_dir: Path
    store: str = "sqlite"
    x12: PartyId = field(default_factory=lambda: PartyId(id="OURCOMPANY", qualifier="ZZ"))
    edifact: PartyId = field(default_factory=lambda: PartyId(id="OURCOMPANY", qualifier="ZZ"))
    as2_id: str | None = None
    jobs: JobSettings = field(default_factory=JobSettings)
    erp: ErpSettings = field(default_factory=ErpSettings)
    max_payload_bytes: int = 100 * 1024 * 1024
    #: XML is parsed whole (lxml needs about 13x the document's size), so XML payloads
    #: have a lower limit; a profile's ``[xml] max_bytes`` may change it for one partner
    max_xml_bytes: int = 10 * 1024 * 1024

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "gateway.sqlite"

    @property
    def archive_dir(self) -> Path:
        return self.data_dir / "archive"

    @property
    def anchor_path(self) -> Path:
        """The audit chain's heads, outside the database (see ``gateway.audit``)."""
        return self.data_dir / "audit-anchor.log"


def load_settings(path: Path, *, must_exist: bool = False) -> Settings:
    path = path.resolve()
    if not path.exists():
        if must_exist:
            raise ConfigError(f"{path}: no such settings file (give --config PATH)")
        root = path.parent
        return Settings(path=path, data_dir=root / "var", partners_dir=root / "partners")
    t = Table(load_toml(path), path=path)
    data_dir = t.path_of("data_dir", "var")
    partners_dir = t.path_of("partners_dir", "partners")
    assert data_dir is not None and partners_dir is not None
    x12, edifact, as2 = t.table("x12"), t.table("edifact"), t.table("as2")
    jobs, erp = t.table("jobs"), t.table("erp")
    defaults = JobSettings()
    return Settings(
        path=path,
        data_dir=data_dir,
        partners_dir=partners_dir,
        store=t.text("store", "sqlite") or "sqlite",
        x12=PartyId(id=x12.req("id"), qualifier=x12.text("qualifier", "ZZ"))
        if x12
        else PartyId(id="OURCOMPANY", qualifier="ZZ"),
        edifact=PartyId(id=edifact.req("id"), qualifier=edifact.text("qualifier"))
        if edifact
        else PartyId(id="OURCOMPANY", qualifier="ZZ"),
        as2_id=as2.text("id") if as2 else None,
        jobs=JobSettings(
            max_attempts=int(jobs.number("max_attempts", defaults.max_attempts, minimum=1)),
            backoff_base=jobs.number("backoff_base", defaults.backoff_base),
            backoff_max=jobs.number("backoff_max", defaults.backoff_max),
            lease_seconds=jobs.number("lease_seconds", defaults.lease_seconds, minimum=0.1),
            run_timeout=jobs.number("run_timeout", defaults.run_timeout, minimum=1),
            concurrency=int(jobs.number("concurrency", defaults.concurrency, minimum=1)),
            poll_seconds=jobs.number("poll_seconds", defaults.poll_seconds, minimum=0.01),
        )
        if jobs
        else defaults,
        erp=ErpSettings(
            driver=erp.choice("driver", ("recording",), "recording"),
            path=erp.path_of("path"),
            delay=erp.number("delay", 0.0),
        )
        if erp
        else ErpSettings(),
        max_payload_bytes=int(t.number("max_payload_bytes", 100 * 1024 * 1024, minimum=1)),
        max_xml_bytes=int(t.number("max_xml_bytes", 10 * 1024 * 1024, minimum=1)),
    )
