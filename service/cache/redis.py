"""Redis result cache that fails open: a down or slow Redis costs latency, never an error."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Literal

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from service.logging import ThrottledLog

__all__ = ["RedisCache"]

log = structlog.get_logger("service.cache")

# After a failure, Redis is skipped for this long so that a dead server does not add a
# connect timeout to every request; the first call after the pause probes it again.
_BACKOFF_SECONDS = 1.0


class RedisCache:
    """Byte cache in Redis with short timeouts, error counting and throttled error logs."""

    backend: Literal["redis"] = "redis"

    def __init__(
        self,
        client: Redis,
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
            # The client's socket timeouts bound the call; no extra timer on the hot path.
            value = await self._client.get(key)
        except (RedisError, OSError, TimeoutError) as exc:
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
            await self._client.set(key, value, ex=self._ttl or None)
        except (RedisError, OSError, TimeoutError) as exc:
            self._failed("set", exc)

    async def ping(self) -> bool:
        """Ask Redis for PONG within the timeout, even while pausing."""
        try:
            async with asyncio.timeout(self._timeout):
                return bool(await self._client.ping())
        except (RedisError, OSError, TimeoutError):
            return False

    def _failed(self, operation: str, exc: BaseException) -> None:
        if self._on_error is not None:
            self._on_error()
        now = time.monotonic()
        self._down_until = now + _BACKOFF_SECONDS
        self._errors.warning(operation=operation, error=type(exc).__name__, message=str(exc)[:200])
