"""Opening the job machinery of one process: the store, the service and (optionally) the worker."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from redis.asyncio import Redis

from service.jobs.service import JobService, JobWorker, Processor
from service.jobs.store import JobStore, MemoryJobStore, RedisJobStore
from service.jobs.webhooks import WebhookSender
from service.metrics import Metrics
from service.settings import JobSettings

__all__ = ["open_jobs"]

log = structlog.get_logger("service.jobs")

# Job operations move whole chunks of articles: they get a longer timeout than cache lookups,
# which must stay fast because a request waits on them.
_JOB_REDIS_TIMEOUT_SECONDS = 5.0


@asynccontextmanager
async def open_jobs(
    settings: JobSettings,
    redis_url: str | None,
    metrics: Metrics,
    process: Processor,
    *,
    consume: bool,
) -> AsyncIterator[JobService]:
    """Open the job store (Redis when `redis_url` is set) and, when `consume`, a worker on it."""
    client = (
        Redis.from_url(
            redis_url,
            socket_timeout=_JOB_REDIS_TIMEOUT_SECONDS,
            socket_connect_timeout=_JOB_REDIS_TIMEOUT_SECONDS,
        )
        if redis_url
        else None
    )
    store: JobStore = (
        RedisJobStore(client, settings.ttl_seconds)
        if client is not None
        else MemoryJobStore(settings.ttl_seconds)
    )
    service = JobService(store, settings, metrics)
    worker = None
    if consume:
        sender = WebhookSender(
            settings.webhook_secret, settings.webhook_allowed_hosts, settings.webhook_timeout_seconds
        )
        worker = JobWorker(store, settings, process, metrics, sender)
        worker.start()
    service.consuming = worker is not None
    try:
        yield service
    finally:
        if worker is not None:
            await worker.close()
        if client is not None:
            try:
                async with asyncio.timeout(_JOB_REDIS_TIMEOUT_SECONDS):
                    await client.aclose()
            except TimeoutError:
                log.warning("job_redis_close_timeout")
