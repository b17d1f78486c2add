"""The worker: claims jobs, runs their handlers, retries with backoff, dead-letters.

A handler does its writes and ``ctx.complete(tx)`` in one transaction, so a job's effects
and its completion commit together; if the worker dies before that commit the lease
expires, the reaper re-queues the job, and it runs again from the start. Side effects
outside the store (the ERP call) carry idempotency keys for exactly that case.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from translators import GatewayError

from ..app import Gateway
from ..errors import ArchiveError, ErpError
from ..store import Job, Tx
from .jobs import backoff

__all__ = ["Handler", "JobContext", "LeaseLost", "Worker"]

log = logging.getLogger("edigw.worker")


class LeaseLost(GatewayError):
    """Another worker took the job over (our lease expired): our writes are rolled back."""


@dataclass(frozen=True, slots=True)
class JobContext:
    gw: Gateway
    job: Job
    owner: str

    async def complete(self, tx: Tx, **details: object) -> None:
        if not await tx.complete(self.job, self.owner):
            raise LeaseLost(f"job {self.job.id} is no longer ours")
        await tx.audit(
            actor=self.owner,
            action="job.done",
            message_id=self.job.message_id,
            job_id=self.job.id,
            details={"kind": self.job.kind, **details},
        )


Handler = Callable[[JobContext], Awaitable[None]]


def _permanent(exc: BaseException) -> bool:
    """Errors that another attempt cannot fix go straight to the dead letter."""
    if isinstance(exc, ErpError):
        return not exc.retryable
    return isinstance(exc, ArchiveError)


class Worker:
    def __init__(self, gw: Gateway, handlers: Mapping[str, Handler], *, owner: str | None = None):
        self.gw = gw
        self.handlers = handlers
        self.owner = owner or f"worker:{socket.gethostname()}:{os.getpid()}"
        self.processed = 0

    async def run(self, *, drain: bool = False, stop: asyncio.Event | None = None) -> int:
        """Run jobs; with ``drain``, return once no job is due and none is running in any
        worker (jobs waiting for a retry later do not hold it). Returns the jobs run."""
        cfg = self.gw.settings.jobs
        stop = stop or asyncio.Event()
        running: set[asyncio.Task[None]] = set()
        async with asyncio.TaskGroup() as group:
            while not stop.is_set():
                self._reload_profiles()
                await self._reap()
                free = cfg.concurrency - len(running)
                jobs = await self._claim(free) if free > 0 else []
                for job in jobs:
                    task = group.create_task(self._run_one(job))
                    running.add(task)
                    task.add_done_callback(running.discard)
                if jobs:
                    await asyncio.sleep(0)
                    continue
                # leased elsewhere (another worker, or one that died: the reaper frees those)
                if drain and not running and await self.gw.store.count_jobs("running") == 0:
                    break
                wait = [asyncio.create_task(stop.wait())]
                try:
                    await asyncio.wait(
                        [*running, *wait],
                        timeout=cfg.poll_seconds,
                        return_when=asyncio.FIRST_COMPLETED,
                    )
                finally:
                    wait[0].cancel()
        return self.processed

    def _reload_profiles(self) -> None:
        """Partner edits take effect without a restart; a broken edit is logged and the
        last good profile stays in force (ProfileRegistry keeps it)."""
        for problem in self.gw.profiles.refresh():
            log.error("partner profile not reloaded: %s", problem, extra={"action": "profile"})

    async def _reap(self) -> None:
        async with self.gw.store.transaction() as tx:
            for job in await tx.reap():
                await tx.audit(
                    actor=self.owner,
                    action="job.lease_expired",
                    message_id=job.message_id,
                    job_id=job.id,
                    details={"kind": job.kind, "attempts": job.attempts},
                )

    async def _claim(self, limit: int) -> list[Job]:
        async with self.gw.store.transaction() as tx:
            jobs = await tx.claim(self.owner, limit, self.gw.settings.jobs.lease_seconds)
            for job in jobs:
                await tx.audit(
                    actor=self.owner,
                    action="job.started",
                    message_id=job.message_id,
                    job_id=job.id,
                    details={"kind": job.kind, "attempt": job.attempts},
                )
        return jobs

    async def _run_one(self, job: Job) -> None:
        handler = self.handlers.get(job.kind)
        try:
            if handler is None:
                raise GatewayError(f"no handler for job kind {job.kind!r}")
            async with asyncio.timeout(self.gw.settings.jobs.lease_seconds):
                await handler(JobContext(self.gw, job, self.owner))
            self.processed += 1
        except LeaseLost:
            log.warning("lease lost", extra={"job_id": job.id, "action": job.kind})
        except Exception as exc:  # recorded on the job; the worker keeps going
            await self._failed(job, exc)

    async def _failed(self, job: Job, exc: BaseException) -> None:
        cfg = self.gw.settings.jobs
        error = f"{type(exc).__name__}: {exc}"
        dead = _permanent(exc) or job.attempts >= job.max_attempts
        retry_at = (
            None
            if dead
            else self.gw.store.now()
            + backoff(job.attempts, base=cfg.backoff_base, cap=cfg.backoff_max)
        )
        log.warning(
            "job failed", extra={"job_id": job.id, "message_id": job.message_id, "action": job.kind}
        )
        async with self.gw.store.transaction() as tx:
            if not await tx.fail(job, self.owner, error, retry_at):
                return
            await tx.audit(
                actor=self.owner,
                action="job.dead" if dead else "job.retry",
                message_id=job.message_id,
                job_id=job.id,
                details={
                    "kind": job.kind,
                    "attempt": job.attempts,
                    "error": error[:500],
                    "retry_at": retry_at,
                },
            )
            if dead and job.message_id is not None:
                await tx.update_message(
                    job.message_id,
                    status="failed",
                    errors=[{"level": "job", "code": job.kind, "message": error[:500]}],
                )
