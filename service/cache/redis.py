"""Redis result cache that fails open: a down or slow Redis costs latency, never an error."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import Literal, TypeAlias

import structlog
from redis.asyncio import Redis, RedisCluster
from redis.exceptions import RedisClusterException, RedisError

from service.logging import ThrottledLog

__all__ = ["REDIS_ERRORS", "RedisCache", "RedisClient", "call_timeout", "discover"]

RedisClient: TypeAlias = Redis | RedisCluster
"""A single Redis or a Redis Cluster: both answer the single-key commands the service sends."""

REDIS_ERRORS = (RedisError, RedisClusterException, OSError, TimeoutError)
"""Every failure a Redis call can raise; the cluster client's own (no reachable node, a slot not
covered) are not RedisErrors, and a cache that fails open must catch them too."""

log = structlog.get_logger("service.cache")

# After a failure, Redis is skipped for this long so that a dead server does not add a
# connect timeout to every request; the first call after the pause probes it again.
_BACKOFF_SECONDS = 1.0
# Hash slots of a Redis Cluster: the cache answers when every one is served.
_CLUSTER_SLOTS = 16_384


def _is_cluster(client: RedisClient) -> bool:
    # The exact-type test first: redis-py's clients derive from a typing.Protocol, whose isinstance
    # check is slow, and this runs on every cached request.
    return type(client) is not Redis and isinstance(client, RedisCluster)


def call_timeout(client: RedisClient, seconds: float) -> contextlib.AbstractAsyncContextManager[object]:
    """What bounds one call: `asyncio.timeout` for a single Redis, whose client has no socket timeout.

    The cluster client keeps its socket timeouts and is never cancelled from outside: a CLUSTERDOWN
    makes it close every connection and pause, and a cancelled close left sockets open.
    """
    if _is_cluster(client):
        return contextlib.nullcontext()
    return asyncio.timeout(seconds)


async def discover(client: RedisClient) -> None:
    """Read a cluster's topology before a command when the client has none; a no-op otherwise.

    The cluster client has none at first use and after a CLUSTERDOWN.

    redis-py 8.1's cluster client, when concurrent commands find it without a topology, resolves
    their routing before the topology is read and some fail with AttributeError or "connection
    closed by server" (24 concurrent GETs on a fresh client: 1 to 16 failed in each of 15 runs here).
    Reading it first, behind the client's own lock, makes every command find it.
    """
    if _is_cluster(client):
        await client.initialize()


class RedisCache:
    """Byte cache in Redis with short timeouts, error counting and throttled error logs."""

    backend: Literal["redis"] = "redis"

    def __init__(
        self,
        client: RedisClient,
        ttl_seconds: int,
        timeout_seconds: float,
        error_log_interval_seconds: float,
        on_error: Callable[[], None] | None = None,
    ) -> None:
        self._client = client
        self._ttl = ttl_seconds
        self._timeout = timeout_seconds
        self._on_error = on_error
        self._down_until = 0.0
        self._probe: asyncio.Task[bool] | None = None
        self._errors = ThrottledLog(log, "cache_error", error_log_interval_seconds)

    @property
    def available(self) -> bool:
        """False while the cache is pausing after a failure."""
        return time.monotonic() >= self._down_until

    async def get(self, key: str) -> bytes | None:
        """Return the cached bytes, or None on a miss, a failure or while pausing."""
        if not self.available:
            return None
        try:
            async with call_timeout(self._client, self._timeout):
                await discover(self._client)
                value = await self._client.get(key)
        except REDIS_ERRORS as exc:
            self._failed("get", exc)
            return None
        if value is None:
            return None
        return value if isinstance(value, bytes) else value.encode()

    async def set(self, key: str, value: bytes) -> None:
        """Store the bytes with the configured TTL; failures are counted and swallowed."""
        if not self.available:
            return
        try:
            async with call_timeout(self._client, self._timeout):
                await discover(self._client)
                await self._client.set(key, value, ex=self._ttl or None)
        except REDIS_ERRORS as exc:
            self._failed("set", exc)

    async def ping(self) -> bool:
        """Tell within the timeout, even while pausing, whether Redis answers.

        A single Redis answers PONG; a cluster must serve every hash slot (a lost primary loses
        its slots' results).
        """
        # The probe is awaited without being cancelled: a CLUSTERDOWN makes the cluster client
        # close all its connections and pause 0.25 s, and a timeout cancelling that close left
        # sockets open until garbage collection. One probe at a time; a slow one answers False.
        probe = self._probe
        if probe is None or probe.done():
            probe = self._probe = asyncio.create_task(self._answers())
        done, _ = await asyncio.wait({probe}, timeout=self._timeout)
        return probe.result() if done else False

    async def _answers(self) -> bool:
        try:
            await discover(self._client)
            if isinstance(self._client, RedisCluster):
                info = await self._client.cluster_info()
                return info["cluster_state"] == "ok" and int(info["cluster_slots_ok"]) == _CLUSTER_SLOTS
            async with call_timeout(self._client, self._timeout):
                return bool(await self._client.ping())
        except (*REDIS_ERRORS, KeyError, ValueError):
            return False

    def _failed(self, operation: str, exc: BaseException) -> None:
        if self._on_error is not None:
            self._on_error()
        now = time.monotonic()
        self._down_until = now + _BACKOFF_SECONDS
        self._errors.warning(operation=operation, error=type(exc).__name__, message=str(exc)[:200])
