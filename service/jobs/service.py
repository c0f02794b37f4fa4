"""Jobs: submission, status pages and cancellation (`JobService`), and the consumer (`JobWorker`)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import msgspec
import structlog
from msgspec import Struct

from service.errors import (
    CallbackNotAllowedError,
    DeadlineExceededError,
    JobNotFoundError,
    NotReadyError,
    OverloadedError,
    ValidationFailedError,
)
from service.jobs.store import TERMINAL, JobRecord, JobStatus, JobStore
from service.jobs.webhooks import WebhookSender, check_callback
from service.logging import ThrottledLog
from service.metrics import Metrics
from service.settings import JobSettings

__all__ = [
    "DEFAULT_PAGE",
    "Item",
    "JobAccepted",
    "JobPage",
    "JobService",
    "JobView",
    "JobWorker",
    "Processor",
    "job_path",
]

log = structlog.get_logger("service.jobs")

DEFAULT_PAGE = 100
"""Results per page of GET /v1/jobs/{id}, and in a webhook body."""

Item = tuple[bytes, bool]
"""One article's encoded batch item (`{"index", "status", "result" | "error"}`) and whether it succeeded."""

Processor = Callable[[str, Sequence[int], Sequence[bytes]], Awaitable[list[Item]]]
"""Enriches a job's raw articles (with their indexes) into items; raises for the whole call only
when the engine cannot take them now (overloaded, deadline, not ready)."""

_ACTIVE = frozenset({"queued", "running"})
_QUEUED = frozenset({"queued"})
# How long an idle worker waits before asking the queue again, and the reaper's period.
_IDLE_SECONDS = 0.2
_REAP_SECONDS = 0.5
# After a Redis failure, a worker waits this long before trying again.
_ERROR_PAUSE_SECONDS = 1.0
# How long stopping waits for the consumers to hand their units back.
_CLOSE_SECONDS = 5.0
_TRANSIENT = (OverloadedError, DeadlineExceededError, NotReadyError)


class JobProgress(Struct, kw_only=True):
    """How many of the job's articles have a result."""

    done: int
    total: int


class JobAccepted(Struct, kw_only=True):
    """The answer to a submission."""

    id: str
    status: JobStatus
    created_at: str
    progress: JobProgress


class JobView(Struct, kw_only=True):
    """A job's state and one page of its results (items kept as the stored JSON)."""

    id: str
    status: JobStatus
    created_at: str
    finished_at: str | None
    progress: JobProgress
    metadata: msgspec.Raw | None
    results: list[msgspec.Raw]
    next: str | None


@dataclass(frozen=True, slots=True)
class JobPage:
    """Which results a view shows."""

    offset: int = 0
    limit: int = DEFAULT_PAGE


_encoder = msgspec.json.Encoder()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _units(job_id: str, total: int, size: int) -> list[str]:
    return [f"run:{job_id}:{start}:{min(start + size, total)}" for start in range(0, total, size)]


def _hook_unit(job_id: str, attempt: int) -> str:
    return f"hook:{job_id}:{attempt}"


def job_path(job_id: str) -> str:
    """Where a job is read, cancelled, and linked from."""
    return f"/v1/jobs/{job_id}"


async def render(store: JobStore, record: JobRecord, page: JobPage) -> bytes:
    """The job's JSON as GET answers it (and as its webhook carries it, with the first page)."""
    stop = min(page.offset + page.limit, record.total)
    items = await store.results(record.id, page.offset, stop)
    results = [msgspec.Raw(item) for item in items if item is not None]
    more = stop < record.total
    view = JobView(
        id=record.id,
        status=record.status,
        created_at=record.created_at,
        finished_at=record.finished_at,
        progress=JobProgress(done=await store.done_count(record.id), total=record.total),
        metadata=msgspec.Raw(record.metadata) if record.metadata is not None else None,
        results=results,
        next=f"{job_path(record.id)}?offset={stop}&limit={page.limit}" if more else None,
    )
    return _encoder.encode(view)


class JobService:
    """What the API does with jobs: submit, read, cancel."""

    def __init__(self, store: JobStore, settings: JobSettings, metrics: Metrics) -> None:
        self.store = store
        self._settings = settings
        self._metrics = metrics
        self.consuming = False
        """Whether this process also runs a worker (set by `open_jobs`)."""

    @property
    def backend(self) -> str:
        """`redis` (jobs survive restarts) or `memory` (they do not)."""
        return self.store.backend

    async def check_callback(self, url: str) -> None:
        """Refuse a callback URL before the job exists: unsigned, unlisted or private hosts."""
        if self._settings.webhook_secret is None:
            msg = "this service sends no webhooks (WEBHOOK_SECRET is not set)"
            raise CallbackNotAllowedError(msg)
        await check_callback(url, self._settings.webhook_allowed_hosts)

    async def submit(
        self, articles: Sequence[bytes], callback_url: str | None, metadata: bytes | None
    ) -> bytes:
        """Store and queue a job of raw articles; returns the 202 body."""
        if len(articles) > self._settings.max_articles:
            msg = f"a job holds at most {self._settings.max_articles} articles; got {len(articles)}"
            raise ValidationFailedError(msg, path="$.articles")
        if callback_url is not None:
            await self.check_callback(callback_url)
        record = JobRecord(
            id=uuid.uuid4().hex,
            status="queued",
            created_at=_now(),
            total=len(articles),
            metadata=metadata,
            callback_url=callback_url,
        )
        units = _units(record.id, record.total, self._settings.chunk_articles)
        await self.store.create(record, list(articles), units)
        self._metrics.jobs.labels("queued").inc()
        log.info("job_submitted", job=record.id, articles=record.total, callback=callback_url is not None)
        accepted = JobAccepted(
            id=record.id,
            status=record.status,
            created_at=record.created_at,
            progress=JobProgress(done=0, total=record.total),
        )
        return _encoder.encode(accepted)

    async def view(self, job_id: str, page: JobPage) -> bytes:
        """The job's state and a page of results."""
        record = await self.store.get(job_id)
        if record is None:
            raise JobNotFoundError(f"no job {job_id!r} (unknown, or expired after JOB_TTL_SECONDS)")
        return await render(self.store, record, page)

    async def cancel(self, job_id: str) -> bytes:
        """Cancel a queued or running job (articles already enriched stay); a finished job is left as is."""
        if await self.store.get(job_id) is None:
            raise JobNotFoundError(f"no job {job_id!r} (unknown, or expired after JOB_TTL_SECONDS)")
        await finish(self.store, self._metrics, job_id, "cancelled")
        return await self.view(job_id, JobPage())


async def finish(store: JobStore, metrics: Metrics, job_id: str, status: JobStatus) -> bool:
    """End an active job once (whoever gets there first), queueing its webhook; True if this call ended it."""
    if not await store.transition(job_id, status, _ACTIVE, _now()):
        return False
    metrics.jobs.labels(status).inc()
    record = await store.get(job_id)
    log.info("job_finished", job=job_id, status=status)
    if record is not None and record.callback_url is not None:
        await store.schedule(_hook_unit(job_id, 1), 0)
    return True


class JobWorker:
    """Claims units from the queue and runs them through the engine, JOB_CONCURRENCY at a time.

    On shutdown, units in progress go back to the head of the queue at once; the articles they
    had finished are stored, so the next worker does only the rest.
    """

    def __init__(
        self,
        store: JobStore,
        settings: JobSettings,
        process: Processor,
        metrics: Metrics,
        sender: WebhookSender,
    ) -> None:
        self._store = store
        self._settings = settings
        self._process = process
        self._metrics = metrics
        self._sender = sender
        self._tasks: list[asyncio.Task[None]] = []
        self._errors = ThrottledLog(log, "job_queue_error", 30.0)

    def start(self) -> None:
        """Start the consumers and the reaper."""
        self._tasks = [asyncio.create_task(self._consume()) for _ in range(self._settings.concurrency)]
        self._tasks.append(asyncio.create_task(self._reaper()))

    async def close(self) -> None:
        """Stop: units in progress are released, then the webhook client closes.

        Bounded: a Redis that stopped answering must not hold the process's shutdown (a unit
        not handed back returns to the queue when its lease runs out).
        """
        for task in self._tasks:
            task.cancel()
        if self._tasks:
            _, stuck = await asyncio.wait(self._tasks, timeout=_CLOSE_SECONDS)
            if stuck:
                log.warning("job_worker_close_timeout", tasks=len(stuck))
        self._tasks = []
        await self._sender.close()

    async def _reaper(self) -> None:
        while True:
            try:
                await self._store.reap()
                self._metrics.job_queue_depth.set(await self._store.depth())
            except Exception as exc:  # a down Redis pauses the jobs; the API keeps serving
                self._errors.warning(operation="reap", error=type(exc).__name__)
            await asyncio.sleep(_REAP_SECONDS)

    async def _consume(self) -> None:
        lease = self._settings.visibility_seconds
        while True:
            try:
                unit = await self._store.claim(lease)
            except Exception as exc:
                self._errors.warning(operation="claim", error=type(exc).__name__)
                await asyncio.sleep(_ERROR_PAUSE_SECONDS)
                continue
            if unit is None:
                await asyncio.sleep(_IDLE_SECONDS)
                continue
            heartbeat = asyncio.create_task(self._renew(unit))
            try:
                await self._run(unit)
                await self._store.ack(unit)
            except asyncio.CancelledError:
                # Stopping: hand the unit back now rather than after its lease expires; a
                # stop is not a failed attempt, so it does not count towards failing the job.
                with contextlib.suppress(Exception):
                    await asyncio.shield(self._give_back(unit))
                raise
            except Exception as exc:
                log.error("job_unit_failed", unit=unit, error=type(exc).__name__, exc_info=exc)
                with contextlib.suppress(Exception):
                    await self._store.release(unit)
                await asyncio.sleep(_ERROR_PAUSE_SECONDS)
            finally:
                heartbeat.cancel()

    async def _give_back(self, unit: str) -> None:
        kind, job_id, *_ = unit.split(":")
        if kind == "run":
            await self._store.attempt(job_id, unit, -1)
        await self._store.release(unit)

    async def _renew(self, unit: str) -> None:
        lease = self._settings.visibility_seconds
        while True:
            await asyncio.sleep(lease / 3)
            with contextlib.suppress(Exception):
                await self._store.extend(unit, lease)

    async def _run(self, unit: str) -> None:
        kind, job_id, *rest = unit.split(":")
        if kind == "run":
            await self._run_chunk(job_id, int(rest[0]), int(rest[1]), unit)
        elif kind == "hook":
            await self._deliver(job_id, int(rest[0]), unit)

    async def _run_chunk(self, job_id: str, start: int, stop: int, unit: str) -> None:
        record = await self._store.get(job_id)
        if record is None or record.status in TERMINAL:
            return  # expired or cancelled: nothing left to do for this unit
        if await self._store.attempt(job_id, unit) > self._settings.max_unit_attempts:
            log.error("job_unit_abandoned", job=job_id, unit=unit)
            await finish(self._store, self._metrics, job_id, "failed")
            return
        if await self._store.transition(job_id, "running", _QUEUED, None):
            self._metrics.jobs.labels("running").inc()
        stored = await self._store.results(job_id, start, stop)
        missing = [start + i for i, item in enumerate(stored) if item is None]
        if missing:
            raws = await self._store.articles(job_id, start, stop)
            items = await self._enrich(job_id, missing, [raws[i - start] for i in missing])
            done = await self._store.save(
                job_id, {i: item for i, (item, _) in zip(missing, items, strict=True)}
            )
            ok = sum(success for _, success in items)
            self._metrics.job_articles.labels("ok").inc(ok)
            self._metrics.job_articles.labels("error").inc(len(items) - ok)
        else:
            done = await self._store.done_count(job_id)
        if done >= record.total:
            await finish(self._store, self._metrics, job_id, "done")

    async def _enrich(self, job_id: str, indexes: list[int], raws: list[bytes]) -> list[Item]:
        """Enrich through the engine, waiting while it is full (jobs yield to synchronous requests)."""
        while True:
            try:
                return await self._process(job_id, indexes, raws)
            except _TRANSIENT as exc:
                await asyncio.sleep(float(getattr(exc, "retry_after", _ERROR_PAUSE_SECONDS)))

    async def _deliver(self, job_id: str, attempt: int, unit: str) -> None:
        record = await self._store.get(job_id)
        if record is None or record.callback_url is None:
            return
        body = await render(self._store, record, JobPage())
        outcome = await self._sender.deliver(record.callback_url, f"msg_{job_id}", body)
        if outcome == "retry" and attempt < self._settings.webhook_max_attempts:
            self._metrics.webhooks.labels("retried").inc()
            delay = self._settings.webhook_backoff_seconds * 2 ** (attempt - 1)
            await self._store.schedule(_hook_unit(job_id, attempt + 1), delay, replaces=unit)
            return
        self._metrics.webhooks.labels("failed" if outcome == "retry" else outcome).inc()
        log.info("webhook_done", job=job_id, outcome=outcome, attempts=attempt)
