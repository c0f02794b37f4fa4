"""Lifespan-owned resources: the Redis client, the result cache, the engine and its pipeline.

The Redis client is shared by the cache and the rate limiter; everything is created on start-up
and closed on shutdown.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import structlog
from redis.asyncio import Redis, RedisCluster
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from service.cache.base import ResultCache
from service.cache.memory import MemoryCache
from service.cache.redis import RedisCache, RedisClient
from service.engine import Batcher, EnrichmentEngine, HubCache, HubConnection, NlpQueue, RemoteBatcher
from service.identity import pipeline_version
from service.metrics import Metrics
from service.pipeline.chain import Pipeline
from service.settings import CacheSettings, LimitSettings, NlpSettings, Settings

__all__ = ["Resources", "build_pipeline", "open_resources"]

_HEALTH_CHECK_SECONDS = 30
# A cluster command that meets a dead node is tried once more after re-reading the topology (a
# fail-over moves the slot); more attempts would only add timeouts to a request the cache must not slow.
_CLUSTER_RETRIES = 1

log = structlog.get_logger("service.app")


@dataclass(frozen=True, slots=True)
class Resources:
    """What the lifespan opened for one worker."""

    redis: RedisClient | None
    cache: ResultCache
    engine: EnrichmentEngine


def build_pipeline(settings: NlpSettings, max_text_chars: int = LimitSettings().max_text_chars) -> Pipeline:
    """Load the pipeline named by `settings`, versioned by its stages and data."""
    return Pipeline.load(
        settings.model, settings.min_french_confidence, pipeline_version(settings.model), max_text_chars
    )


def _redis(settings: CacheSettings) -> RedisClient | None:
    if not settings.redis_url:
        return None
    if settings.redis_cluster:
        # Every key the service writes is one slot (a result, a rate window), so the cluster
        # client sends each command to the node owning it and needs no hash tags.
        return RedisCluster.from_url(
            settings.redis_url,
            socket_timeout=settings.redis_timeout_seconds,
            socket_connect_timeout=settings.redis_timeout_seconds,
            retry=Retry(NoBackoff(), _CLUSTER_RETRIES),
            health_check_interval=_HEALTH_CHECK_SECONDS,
        )
    # No socket timeout: the cache and the rate limiter bound each call with `asyncio.timeout`
    # (`call_timeout`). redis-py wraps every write of a client with one in `asyncio.wait_for`, which on
    # Python 3.11 makes a task per command: 4 % of a cached request's CPU (py-spy, 64 connections).
    return Redis.from_url(
        settings.redis_url,
        # None, not left out: redis-py's default is a 5 s socket timeout.
        socket_timeout=None,
        socket_connect_timeout=settings.redis_timeout_seconds,
        retry_on_timeout=False,
        health_check_interval=_HEALTH_CHECK_SECONDS,
    )


def _cache(settings: CacheSettings, redis: RedisClient | None, metrics: Metrics) -> ResultCache:
    if redis is not None:
        return RedisCache(
            redis,
            ttl_seconds=settings.ttl_seconds,
            timeout_seconds=settings.redis_timeout_seconds,
            error_log_interval_seconds=settings.error_log_interval_seconds,
            on_error=metrics.cache_error.inc,
        )
    return MemoryCache(settings.memory_max_entries, settings.memory_max_bytes, settings.ttl_seconds)


@asynccontextmanager
async def open_resources(
    settings: Settings, metrics: Metrics, pipeline: Pipeline | None = None, hub: str | None = None
) -> AsyncIterator[Resources]:
    """Open Redis (when configured), the cache and the engine; the model loads in the background.

    `pipeline` lets a caller share an already-loaded pipeline (tests, benches). With `hub` (the
    Unix socket of the machine's NLP queue; `pipeline` then required), articles are computed by
    the machine's NLP processes, and without Redis the cache is the hub's, shared by every worker.
    """
    redis = _redis(settings.cache)
    version = pipeline.version if pipeline is not None else pipeline_version(settings.nlp.model)
    connection = HubConnection(hub, metrics) if hub is not None else None
    cache: ResultCache = (
        HubCache(connection)
        if connection is not None and redis is None
        else _cache(settings.cache, redis, metrics)
    )

    def ready(loaded: Pipeline) -> None:
        # The one line that says this worker serves: where, with what cache and model.
        log.info(
            "ready",
            address=f"http://{settings.http.host}:{settings.http.port}",
            workers=settings.http.workers,
            cache=cache.backend,
            model=loaded.model,
            pipeline_version=loaded.version,
        )

    batcher: NlpQueue
    if connection is not None:
        if pipeline is None:
            msg = "a worker fed by the hub admits articles with the pipeline it was forked with"
            raise ValueError(msg)
        batcher = RemoteBatcher(pipeline, connection, metrics, ready)
    else:
        batcher = Batcher(
            functools.partial(build_pipeline, settings.nlp, settings.limits.max_text_chars),
            metrics,
            pipeline,
            ready,
        )
    engine = EnrichmentEngine(settings.limits, version, cache, batcher, metrics)
    engine.start()
    try:
        yield Resources(redis=redis, cache=engine.cache, engine=engine)
    finally:
        await engine.close()
        if redis is not None:
            await redis.aclose()
