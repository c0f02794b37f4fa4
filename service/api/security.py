"""Optional API keys (constant-time check) and a per-key fixed-window rate limit that fails open."""

from __future__ import annotations

import hashlib
import hmac
import math
import time

import structlog

from service.cache.redis import REDIS_ERRORS, RedisClient, call_timeout, discover
from service.errors import RateLimitedError, UnauthorizedError
from service.logging import ThrottledLog

__all__ = ["Guard", "KeyChecker", "RateLimiter"]

log = structlog.get_logger("service.security")

# A Redis outage fails every request's count: one warning per interval is enough.
_ERROR_LOG_INTERVAL_SECONDS = 30.0
# The in-process limiter forgets past windows once it holds this many counters.
_MAX_LOCAL_COUNTERS = 10_000
# An address or label longer than this (a forged header) is hashed before it becomes a key.
_MAX_CLIENT_CHARS = 64

# INCR and set the window's expiry in one round trip; the key dies with its window. The script
# touches its one key only, so it runs on that key's node of a Redis Cluster.
_WINDOW_SCRIPT = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n
"""


def _digest(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8")).digest()


class KeyChecker:
    """Accepts the configured keys, given in clear or as `sha256:<hex>` of the key."""

    def __init__(self, keys: tuple[str, ...]) -> None:
        digests = []
        for key in keys:
            if key.startswith("sha256:"):
                digests.append(bytes.fromhex(key.removeprefix("sha256:")))
            else:
                digests.append(_digest(key))
        self._digests = tuple(digests)

    @property
    def enabled(self) -> bool:
        """True when at least one key is configured."""
        return bool(self._digests)

    def identify(self, presented: str | None) -> str | None:
        """Return a non-secret id of the presented key when it is valid, else None."""
        if presented is None:
            return None
        candidate = _digest(presented)
        matched = False
        # Compare against every key, without stopping early, so timing says nothing.
        for digest in self._digests:
            matched |= hmac.compare_digest(candidate, digest)
        return candidate.hex()[:16] if matched else None


def _bounded(value: str) -> str:
    """A client label short enough for a Redis key: long values are replaced by their hash."""
    if len(value) <= _MAX_CLIENT_CHARS:
        return value
    return "sha256:" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]


class RateLimiter:
    """Counts requests per client in fixed windows, in Redis when given, else in this process."""

    def __init__(
        self, limit: int, window_seconds: int, redis: RedisClient | None, timeout_seconds: float
    ) -> None:
        self._limit = limit
        self._window = window_seconds
        self._redis = redis
        self._timeout = timeout_seconds
        self._local: dict[tuple[str, int], int] = {}
        self._script = redis.register_script(_WINDOW_SCRIPT) if redis is not None else None
        self._errors = ThrottledLog(log, "rate_limit_unavailable", _ERROR_LOG_INTERVAL_SECONDS)

    async def hit(self, client: str) -> int | None:
        """Count one request; return the seconds to wait when over the limit, else None."""
        now = time.time()
        window = int(now // self._window)
        retry_after = max(1, math.ceil((window + 1) * self._window - now))
        count = await self._count(client, window)
        return retry_after if count is not None and count > self._limit else None

    async def _count(self, client: str, window: int) -> int | None:
        if self._script is None or self._redis is None:
            key = (client, window)
            self._local[key] = self._local.get(key, 0) + 1
            if len(self._local) > _MAX_LOCAL_COUNTERS:
                self._local = {k: v for k, v in self._local.items() if k[1] == window}
            return self._local[key]
        try:
            async with call_timeout(self._redis, self._timeout):
                await discover(self._redis)
                result = await self._script(keys=[f"ratelimit:{client}:{window}"], args=[self._window])
        except REDIS_ERRORS as exc:
            # Fail open: a Redis outage must not turn into refused requests.
            self._errors.warning(error=type(exc).__name__)
            return None
        return int(result)


class Guard:
    """Checks a request's API key and rate budget; the limiter is attached once Redis is up."""

    def __init__(self, keys: KeyChecker, limiter: RateLimiter | None = None) -> None:
        self.keys = keys
        self.limiter = limiter

    async def check(self, key: str | None, address: str | None) -> None:
        """Raise UnauthorizedError or RateLimitedError when the request may not proceed."""
        ip = f"ip:{_bounded(address or 'unknown')}"
        client = None
        if self.keys.enabled:
            client = self.keys.identify(key)
            if client is None:
                # Guessing keys spends the address's budget too: a brute force meets 429s.
                await self._spend(f"authfail:{ip}")
                msg = "a valid API key is required: send `Authorization: Bearer <key>` or `X-API-Key`"
                raise UnauthorizedError(msg)
        await self._spend(client or ip)

    async def _spend(self, client: str) -> None:
        if self.limiter is None:
            return
        retry_after = await self.limiter.hit(client)
        if retry_after is not None:
            msg = "the request budget of this client is spent for the current window"
            raise RateLimitedError(msg, retry_after=retry_after)
