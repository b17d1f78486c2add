"""The worker: claims jobs, runs their handlers, retries with backoff, dead-letters.

A handler does its writes and ``ctx.complete(tx)`` in one unit of work, so a job's effects
and its completion commit together; if the worker dies before that commit the lease
expires, the reaper re-queues the job, and it runs again from the start. Side effects
outside the store (the ERP call) carry idempotency keys for exactly that case.

While a handler runs, the worker renews its lease every third of the lease time, so a
slow partner or ERP is not cut off at the lease; a renewal refused (the job was reaped
and claimed again) cancels the run, and its unit would be refused anyway (claim token).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from translators import GatewayError

from ..app import Gateway
from ..errors import ArchiveError, ErpError, LeaseLost
from ..store import Job, Tx
from .jobs import backoff

__all__ = ["Handler", "JobContext", "Worker", "is_final"]

log = logging.getLogger("edigw.worker")


@dataclass(frozen=True, slots=True)
class JobContext:
    gw: Gateway
    job: Job
    owner: str

    def complete(self, tx: Tx, **details: object) -> None:
        """Mark the job done in ``tx`` (refused at commit if the claim is not ours)."""
        tx.complete(self.job)
        tx.audit(
            actor=self.owner,
            action="job.done",
            message_id=self.job.message_id,
            job_id=self.job.id,
            details={"kind": self.job.kind, **details},
        )


Handler = Callable[[JobContext], Coroutine[Any, Any, None]]


def _permanent(exc: BaseException) -> bool:
    """Errors that another attempt cannot fix go straight to the dead letter."""
    if isinstance(exc, ErpError):
        return not exc.retryable
    return isinstance(exc, ArchiveError)


def is_final(job: Job, exc: BaseException) -> bool:
    """Does this failure dead-letter the job? (A handler that answers a partner for a job
    that ends here asks this before it re-raises.)"""
    return _permanent(exc) or job.attempts >= job.max_attempts


class Worker:
    def __init__(
        self,
        gw: Gateway,
        handlers: Mapping[str, Handler],
        *,
        owner: str | None = None,
        kinds: Sequence[str] | None = None,
    ):
        unknown = set(kinds or ()) - set(handlers)
        if unknown:
            raise GatewayError(f"no such job kind: {', '.join(sorted(unknown))}")
        self.gw = gw
        self.handlers = handlers
        self.kinds = tuple(kinds) if kinds else None
        self.owner = owner or f"worker:{socket.gethostname()}:{os.getpid()}"
        self.processed = 0

    async def run(self, *, drain: bool = False, stop: asyncio.Event | None = None) -> int:
        """Run jobs; with ``drain``, return once no job is due and none is running in any
        worker (jobs waiting for a retry later do not hold it). Returns the jobs run."""
        cfg = self.gw.settings.jobs
        stop = stop or asyncio.Event()
        running: set[asyncio.Task[None]] = set()
        loop = asyncio.get_running_loop()
        housekept = -float("inf")
        async with asyncio.TaskGroup() as group:
            while not stop.is_set():
                if loop.time() - housekept >= cfg.poll_seconds:  # not on every claim
                    self._reload_profiles()
                    await self._reap()
                    housekept = loop.time()
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
        await self.gw.store.reap(self.owner)

    async def _claim(self, limit: int) -> list[Job]:
        lease = self.gw.settings.jobs.lease_seconds
        return await self.gw.store.claim(self.owner, limit, lease, kinds=self.kinds)

    async def _run_one(self, job: Job) -> None:
        handler = self.handlers.get(job.kind)
        try:
            if handler is None:
                raise GatewayError(f"no handler for job kind {job.kind!r}")
            if await self._supervised(job, handler(JobContext(self.gw, job, self.owner))):
                self.processed += 1
        except LeaseLost:
            log.warning("lease lost", extra={"job_id": job.id, "action": job.kind})
        except Exception as exc:  # recorded on the job; the worker keeps going
            await self._failed(job, exc)

    async def _supervised(self, job: Job, work: Coroutine[Any, Any, None]) -> bool:
        """Run ``work``, renewing the lease; False (and ``work`` cancelled) once the
        store says the claim is no longer ours."""
        lease = self.gw.settings.jobs.lease_seconds
        run = asyncio.ensure_future(work)
        try:
            async with asyncio.timeout(self.gw.settings.jobs.run_timeout):
                while True:
                    done, _ = await asyncio.wait({run}, timeout=lease / 3)
                    if done:
                        run.result()
                        return True
                    if not await self.gw.store.extend_lease(job, lease):
                        if run.done():  # it finished while we asked: its own unit decided
                            run.result()
                            return True
                        log.warning("lease lost", extra={"job_id": job.id, "action": job.kind})
                        return False
        finally:
            if not run.done():
                run.cancel()
                await asyncio.gather(run, return_exceptions=True)

    async def _failed(self, job: Job, exc: BaseException) -> None:
        cfg = self.gw.settings.jobs
        error = f"{type(exc).__name__}: {exc}"
        dead = is_final(job, exc)
        retry_in = (
            None if dead else backoff(job.attempts, base=cfg.backoff_base, cap=cfg.backoff_max)
        )
        log.warning(
            "job failed", extra={"job_id": job.id, "message_id": job.message_id, "action": job.kind}
        )
        try:
            async with self.gw.store.transaction() as tx:
                self._record_failure(tx, job, error, retry_in)
        except LeaseLost:
            return  # reaped meanwhile: the run that holds it now decides

    def _record_failure(self, tx: Tx, job: Job, error: str, retry_in: float | None) -> None:
        dead = retry_in is None
        tx.fail(job, error, retry_in)
        tx.audit(
            actor=self.owner,
            action="job.dead" if dead else "job.retry",
            message_id=job.message_id,
            job_id=job.id,
            details={
                "kind": job.kind,
                "attempt": job.attempts,
                "error": error[:500],
                "retry_in": retry_in,
            },
        )
        if dead and job.message_id is not None:
            tx.update_message(
                job.message_id,
                status="failed",
                errors=[{"level": "job", "code": job.kind, "message": error[:500]}],
            )
