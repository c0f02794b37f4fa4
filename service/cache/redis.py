"""Redis result cache that fails open: a down or slow Redis costs latency, never an error."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Literal

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

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
        url: str,
        ttl_seconds: int,
        timeout_seconds: float,
        error_log_interval_seconds: float,
        on_error: Callable[[], None] | None = None,
    ) -> None:
        self._client: Redis = Redis.from_url(
            url,
            socket_timeout=timeout_seconds,
            socket_connect_timeout=timeout_seconds,
            retry_on_timeout=False,
            health_check_interval=30,
        )
        self._ttl = ttl_seconds
        self._timeout = timeout_seconds
        self._log_interval = error_log_interval_seconds
        self._on_error = on_error
        self._down_until = 0.0
        self._last_log = float("-inf")
        self._suppressed = 0

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

    @property
    def client(self) -> Redis:
        """The underlying client, shared with the rate limiter."""
        return self._client

    async def close(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    def _failed(self, operation: str, exc: BaseException) -> None:
        if self._on_error is not None:
            self._on_error()
        now = time.monotonic()
        self._down_until = now + _BACKOFF_SECONDS
        if now - self._last_log >= self._log_interval:
            log.warning(
                "cache_error",
                operation=operation,
                error=type(exc).__name__,
                message=str(exc)[:200],
                suppressed=self._suppressed,
            )
            self._last_log = now
            self._suppressed = 0
        else:
            self._suppressed += 1
