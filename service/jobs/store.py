"""Where jobs live: their record, articles and results, and the queue of units workers claim.

A job is cut into units of at most JOB_CHUNK_ARTICLES articles (`run:<job>:<start>:<stop>`);
its webhook is one more unit (`hook:<job>:<attempt>`). A worker claims a unit with a lease:
the unit moves from the queue to a sorted set scored by the lease's deadline, the worker renews
the lease while it works and removes the unit when it is done. A unit whose lease runs out (its
worker died) goes back to the queue; a delayed unit (a webhook retry) waits in the same sorted
set, scored by when it is due. Results are stored per article index and never overwritten, so a
unit run twice cannot duplicate an article.

`RedisJobStore` keeps everything in Redis (jobs survive restarts and are shared by every
worker); `MemoryJobStore` keeps it in the process (jobs are lost on restart).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Literal, Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

__all__ = [
    "TERMINAL",
    "JobRecord",
    "JobStatus",
    "JobStore",
    "MemoryJobStore",
    "RedisJobStore",
]

JobStatus = Literal["queued", "running", "done", "failed", "cancelled"]
TERMINAL: frozenset[str] = frozenset({"done", "failed", "cancelled"})
_STATUSES: dict[str, JobStatus] = {
    "queued": "queued",
    "running": "running",
    "done": "done",
    "failed": "failed",
    "cancelled": "cancelled",
}

_PREFIX = "jobs:"
_QUEUE = f"{_PREFIX}queue"
_SCHEDULED = f"{_PREFIX}scheduled"
# Units moved back from the scheduled set per call: bounds the time one script holds Redis.
_REAP_BATCH = 100
_PING_SECONDS = 0.5


@dataclass(slots=True)
class JobRecord:
    """A job's state, without its articles and results."""

    id: str
    status: JobStatus
    created_at: str
    total: int
    finished_at: str | None = None
    metadata: bytes | None = None
    """The caller's metadata as the JSON it sent."""
    callback_url: str | None = None


class JobStore(Protocol):
    """Storage of jobs and the queue of their units."""

    @property
    def backend(self) -> Literal["redis", "memory"]:
        """`redis` or `memory`."""

    async def create(self, record: JobRecord, articles: list[bytes], units: list[str]) -> None:
        """Store a new job with its articles and queue its units."""

    async def get(self, job_id: str) -> JobRecord | None:
        """The job's record, None when unknown or expired."""

    async def done_count(self, job_id: str) -> int:
        """How many articles of the job have a result."""

    async def results(self, job_id: str, start: int, stop: int) -> list[bytes | None]:
        """Stored items of articles start..stop-1 (None where there is no result yet)."""

    async def articles(self, job_id: str, start: int, stop: int) -> list[bytes]:
        """The job's raw articles start..stop-1."""

    async def save(self, job_id: str, items: dict[int, bytes]) -> int:
        """Store items that have no result yet (never overwriting one); returns the job's done count."""

    async def transition(
        self, job_id: str, to: JobStatus, allowed_from: frozenset[str], finished_at: str | None
    ) -> bool:
        """Move the job to `to` if its status is in `allowed_from`; True when this call moved it."""

    async def claim(self, lease_seconds: float) -> str | None:
        """Take the next unit off the queue with a lease, or None when the queue is empty."""

    async def extend(self, unit: str, lease_seconds: float) -> None:
        """Renew the lease of a unit this worker holds."""

    async def ack(self, unit: str) -> None:
        """The unit is finished: drop it and its lease."""

    async def release(self, unit: str) -> None:
        """Put a held unit back at the head of the queue at once (the worker is stopping)."""

    async def schedule(self, unit: str, delay_seconds: float, replaces: str | None = None) -> None:
        """Queue `unit` after a delay, dropping the held unit it replaces."""

    async def attempt(self, job_id: str, unit: str, delta: int = 1) -> int:
        """Count one more claim of the unit (or take one back); returns the count so far."""

    async def reap(self) -> int:
        """Move expired leases and due delayed units back to the queue; returns how many moved."""

    async def depth(self) -> int:
        """Units waiting in the queue."""

    async def ping(self) -> bool:
        """Whether the store answers."""


_CLAIM = """
local unit = redis.call('LPOP', KEYS[1])
if unit then redis.call('ZADD', KEYS[2], ARGV[1], unit) end
return unit
"""
_REAP = """
local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, unit in ipairs(due) do
  redis.call('ZREM', KEYS[2], unit)
  redis.call('LPUSH', KEYS[1], unit)
end
return #due
"""
_RELEASE = """
if redis.call('ZREM', KEYS[2], ARGV[1]) == 1 then redis.call('LPUSH', KEYS[1], ARGV[1]) end
return 1
"""
_TRANSITION = """
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return 0 end
for i = 3, #ARGV do
  if ARGV[i] == status then
    redis.call('HSET', KEYS[1], 'status', ARGV[1])
    if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], 'finished_at', ARGV[2]) end
    return 1
  end
end
return 0
"""


def _job_key(job_id: str) -> str:
    return f"{_PREFIX}job:{job_id}"


def _articles_key(job_id: str) -> str:
    return f"{_PREFIX}articles:{job_id}"


def _results_key(job_id: str) -> str:
    return f"{_PREFIX}results:{job_id}"


def _attempts_key(job_id: str) -> str:
    return f"{_PREFIX}attempts:{job_id}"


def _bytes(value: bytes | str | None) -> bytes | None:
    if value is None:
        return None
    return value if isinstance(value, bytes) else value.encode()


def _text(value: bytes | str | None) -> str | None:
    if value is None:
        return None
    return value.decode() if isinstance(value, bytes) else value


class RedisJobStore:
    """Jobs in Redis with JOB_TTL_SECONDS: they survive restarts and every worker shares them."""

    backend: Literal["redis"] = "redis"

    def __init__(self, client: Redis, ttl_seconds: int) -> None:
        self._client = client
        self._ttl = ttl_seconds
        self._claim = client.register_script(_CLAIM)
        self._reap = client.register_script(_REAP)
        self._release = client.register_script(_RELEASE)
        self._transition = client.register_script(_TRANSITION)

    async def create(self, record: JobRecord, articles: list[bytes], units: list[str]) -> None:
        """Store the record, articles and an expiry on each, then queue the units, in one transaction."""
        fields: dict[str, str | bytes | int] = {
            "status": record.status,
            "created_at": record.created_at,
            "total": record.total,
        }
        if record.metadata is not None:
            fields["metadata"] = record.metadata
        if record.callback_url is not None:
            fields["callback_url"] = record.callback_url
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.hset(_job_key(record.id), mapping=fields)  # type: ignore[arg-type]
            pipe.expire(_job_key(record.id), self._ttl)
            pipe.rpush(_articles_key(record.id), *articles)
            pipe.expire(_articles_key(record.id), self._ttl)
            pipe.rpush(_QUEUE, *units)
            await pipe.execute()

    async def get(self, job_id: str) -> JobRecord | None:
        """The record from the job's hash."""
        raw = await self._client.hgetall(_job_key(job_id))
        if not raw:
            return None
        values = {_text(k): v for k, v in raw.items()}
        return JobRecord(
            id=job_id,
            status=_STATUSES[_text(values["status"]) or "failed"],
            created_at=_text(values["created_at"]) or "",
            total=int(values["total"]),
            finished_at=_text(values.get("finished_at")),
            metadata=_bytes(values.get("metadata")),
            callback_url=_text(values.get("callback_url")),
        )

    async def done_count(self, job_id: str) -> int:
        """HLEN of the results hash."""
        return int(await self._client.hlen(_results_key(job_id)))

    async def results(self, job_id: str, start: int, stop: int) -> list[bytes | None]:
        """HMGET of the indexes."""
        if stop <= start:
            return []
        values = await self._client.hmget(_results_key(job_id), [str(i) for i in range(start, stop)])
        return [_bytes(v) for v in values]

    async def articles(self, job_id: str, start: int, stop: int) -> list[bytes]:
        """LRANGE of the articles list."""
        values = await self._client.lrange(_articles_key(job_id), start, stop - 1)
        return [v if isinstance(v, bytes) else v.encode() for v in values]

    async def save(self, job_id: str, items: dict[int, bytes]) -> int:
        """HSETNX each item, refresh the expiry and count, in one transaction."""
        key = _results_key(job_id)
        async with self._client.pipeline(transaction=True) as pipe:
            for index, item in items.items():
                pipe.hsetnx(key, str(index), item)
            pipe.expire(key, self._ttl)
            pipe.hlen(key)
            replies = await pipe.execute()
        return int(replies[-1])

    async def transition(
        self, job_id: str, to: JobStatus, allowed_from: frozenset[str], finished_at: str | None
    ) -> bool:
        """A compare-and-set of the status in a script, so two workers cannot both finish a job."""
        moved = await self._transition(
            keys=[_job_key(job_id)], args=[to, finished_at or "", *sorted(allowed_from)]
        )
        if moved and to in TERMINAL:
            # Articles are only needed until the job ends; its results stay for JOB_TTL_SECONDS.
            await self._client.delete(_articles_key(job_id), _attempts_key(job_id))
        return bool(moved)

    async def claim(self, lease_seconds: float) -> str | None:
        """LPOP and ZADD in one script: a unit is always either queued or leased."""
        unit = await self._claim(keys=[_QUEUE, _SCHEDULED], args=[time.time() + lease_seconds])
        return _text(unit)

    async def extend(self, unit: str, lease_seconds: float) -> None:
        """ZADD XX: renews the lease only if the unit is still held."""
        await self._client.zadd(_SCHEDULED, {unit: time.time() + lease_seconds}, xx=True)

    async def ack(self, unit: str) -> None:
        """ZREM the lease."""
        await self._client.zrem(_SCHEDULED, unit)

    async def release(self, unit: str) -> None:
        """ZREM then LPUSH in a script, only if the unit was still held."""
        await self._release(keys=[_QUEUE, _SCHEDULED], args=[unit])

    async def schedule(self, unit: str, delay_seconds: float, replaces: str | None = None) -> None:
        """ZADD the new unit at its due time and ZREM the one it replaces, in one transaction."""
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.zadd(_SCHEDULED, {unit: time.time() + delay_seconds})
            if replaces is not None:
                pipe.zrem(_SCHEDULED, replaces)
            await pipe.execute()

    async def attempt(self, job_id: str, unit: str, delta: int = 1) -> int:
        """HINCRBY on the job's attempts hash (which expires with the job)."""
        key = _attempts_key(job_id)
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.hincrby(key, unit, delta)
            pipe.expire(key, self._ttl)
            replies = await pipe.execute()
        return int(replies[0])

    async def reap(self) -> int:
        """One script moves every due unit (expired lease or delayed retry) back to the queue."""
        return int(await self._reap(keys=[_QUEUE, _SCHEDULED], args=[time.time(), _REAP_BATCH]))

    async def depth(self) -> int:
        """LLEN of the queue."""
        return int(await self._client.llen(_QUEUE))

    async def ping(self) -> bool:
        """PING within a short timeout: a health check must not hang on a dead Redis."""
        try:
            async with asyncio.timeout(_PING_SECONDS):
                return bool(await self._client.ping())
        except (RedisError, OSError, TimeoutError):
            return False


@dataclass(slots=True)
class _MemoryJob:
    record: JobRecord
    articles: list[bytes]
    results: dict[int, bytes] = field(default_factory=dict)
    attempts: dict[str, int] = field(default_factory=dict)


class MemoryJobStore:
    """Jobs in this process (no REDIS_URL): same semantics, lost when the process stops.

    Jobs are kept JOB_TTL_SECONDS after they are created, like in Redis.
    """

    backend: Literal["memory"] = "memory"

    def __init__(self, ttl_seconds: int) -> None:
        self._ttl = ttl_seconds
        self._jobs: dict[str, tuple[float, _MemoryJob]] = {}
        self._queue: deque[str] = deque()
        self._scheduled: dict[str, float] = {}

    def _job(self, job_id: str) -> _MemoryJob | None:
        now = time.monotonic()
        for key in [k for k, (expires, _) in self._jobs.items() if expires <= now]:
            del self._jobs[key]
        entry = self._jobs.get(job_id)
        return None if entry is None else entry[1]

    async def create(self, record: JobRecord, articles: list[bytes], units: list[str]) -> None:
        """Keep the job and queue its units."""
        self._jobs[record.id] = (time.monotonic() + self._ttl, _MemoryJob(record, list(articles)))
        self._queue.extend(units)

    async def get(self, job_id: str) -> JobRecord | None:
        """A copy of the record, so callers cannot change the stored one."""
        job = self._job(job_id)
        if job is None:
            return None
        r = job.record
        return JobRecord(r.id, r.status, r.created_at, r.total, r.finished_at, r.metadata, r.callback_url)

    async def done_count(self, job_id: str) -> int:
        """Results stored so far."""
        job = self._job(job_id)
        return 0 if job is None else len(job.results)

    async def results(self, job_id: str, start: int, stop: int) -> list[bytes | None]:
        """Items by index."""
        job = self._job(job_id)
        return [None if job is None else job.results.get(i) for i in range(start, stop)]

    async def articles(self, job_id: str, start: int, stop: int) -> list[bytes]:
        """Articles by index."""
        job = self._job(job_id)
        return [] if job is None else job.articles[start:stop]

    async def save(self, job_id: str, items: dict[int, bytes]) -> int:
        """Set missing items only."""
        job = self._job(job_id)
        if job is None:
            return 0
        for index, item in items.items():
            job.results.setdefault(index, item)
        return len(job.results)

    async def transition(
        self, job_id: str, to: JobStatus, allowed_from: frozenset[str], finished_at: str | None
    ) -> bool:
        """Compare-and-set of the status (one event loop: nothing interleaves)."""
        job = self._job(job_id)
        if job is None or job.record.status not in allowed_from:
            return False
        job.record.status = to
        if finished_at is not None:
            job.record.finished_at = finished_at
        if to in TERMINAL:
            job.articles = []
        return True

    async def claim(self, lease_seconds: float) -> str | None:
        """Pop the head of the queue and lease it."""
        if not self._queue:
            return None
        unit = self._queue.popleft()
        self._scheduled[unit] = time.time() + lease_seconds
        return unit

    async def extend(self, unit: str, lease_seconds: float) -> None:
        """Renew a held lease."""
        if unit in self._scheduled:
            self._scheduled[unit] = time.time() + lease_seconds

    async def ack(self, unit: str) -> None:
        """Drop the lease."""
        self._scheduled.pop(unit, None)

    async def release(self, unit: str) -> None:
        """Back to the head of the queue if still held."""
        if self._scheduled.pop(unit, None) is not None:
            self._queue.appendleft(unit)

    async def schedule(self, unit: str, delay_seconds: float, replaces: str | None = None) -> None:
        """Delay a unit."""
        self._scheduled[unit] = time.time() + delay_seconds
        if replaces is not None:
            self._scheduled.pop(replaces, None)

    async def attempt(self, job_id: str, unit: str, delta: int = 1) -> int:
        """Count a claim."""
        job = self._job(job_id)
        if job is None:
            return 1
        job.attempts[unit] = job.attempts.get(unit, 0) + delta
        return job.attempts[unit]

    async def reap(self) -> int:
        """Move due units to the head of the queue."""
        now = time.time()
        due = [unit for unit, at in self._scheduled.items() if at <= now]
        for unit in due:
            del self._scheduled[unit]
            self._queue.appendleft(unit)
        return len(due)

    async def depth(self) -> int:
        """Units waiting."""
        return len(self._queue)

    async def ping(self) -> bool:
        """Always answers."""
        return True
