"""The enrichment service of one worker: cache first, then bounded, deduplicated NLP jobs."""

from __future__ import annotations

import asyncio
import functools
import math
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import msgspec
import structlog

from service.api.schemas import EnrichRequest, EnrichResult
from service.cache.base import ResultCache
from service.cache.keys import result_key
from service.errors import (
    DeadlineExceededError,
    EnrichmentError,
    NotReadyError,
    OverloadedError,
    ValidationFailedError,
)
from service.metrics import Metrics
from service.pipeline.run import PIPELINE_VERSION, Enricher, PreparedArticle, prepare
from service.settings import Settings

__all__ = ["EnrichmentEngine", "Served"]

log = structlog.get_logger("service.engine")


@dataclass(frozen=True, slots=True)
class Served:
    """An encoded result and how it was obtained."""

    body: bytes
    id: str
    cache_hit: bool
    timings_ms: dict[str, float] | None = None


_Computed = tuple[bytes, dict[str, float]]
"""An encoded result and its per-stage timings."""

# Most articles one `nlp.pipe` pass takes: larger passes gain little and delay the first answer.
_MICRO_BATCH = 16


@dataclass(slots=True)
class _Work:
    """An article waiting for the batcher, and where its outcome goes."""

    article: PreparedArticle
    future: asyncio.Future[_Computed]


@dataclass(slots=True)
class _Job:
    """One NLP computation shared by every request for the same content."""

    task: asyncio.Task[_Computed]
    waiters: int = 0


class EnrichmentEngine:
    """Serves enrichments for one worker process; owns the executor, the model and single flight."""

    def __init__(
        self,
        settings: Settings,
        cache: ResultCache,
        metrics: Metrics,
        *,
        enricher: Enricher | None = None,
    ) -> None:
        self._settings = settings
        self._limits = settings.limits
        self.cache = cache
        self._metrics = metrics
        # One thread: the batcher runs one nlp.pipe pass at a time (memory_zone is per model), and
        # batching concurrent articles into that pass is what uses the core well.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nlp")
        self._enricher: Enricher | None = enricher
        self._loading: asyncio.Future[Enricher] | None = None
        self._inflight: dict[str, _Job] = {}
        self._queue: asyncio.Queue[_Work] = asyncio.Queue()
        self._batcher_task: asyncio.Task[None] | None = None
        self._pending = 0
        self._encoder = msgspec.json.Encoder()

    # -- life cycle -------------------------------------------------------------------------

    def start(self) -> None:
        """Start the batcher and load the model in the NLP executor; requests wait for it."""
        self._batcher_task = asyncio.create_task(self._batcher())
        if self._enricher is not None:
            self._metrics.model_ready.set(1)
            return
        loop = asyncio.get_running_loop()
        self._loading = loop.run_in_executor(self._executor, Enricher.load, self._settings.nlp)
        self._loading.add_done_callback(self._loaded)

    def _loaded(self, future: asyncio.Future[Enricher]) -> None:
        if future.cancelled():
            return
        exc = future.exception()
        if exc is not None:
            log.error("model_load_failed", error=repr(exc))
            return
        self._enricher = future.result()
        self._metrics.model_ready.set(1)
        log.info("model_loaded", model=self._enricher.model, pipeline_version=PIPELINE_VERSION)

    async def wait_ready(self) -> Enricher:
        """Return the loaded enricher, waiting for the load in progress."""
        if self._enricher is not None:
            return self._enricher
        if self._loading is None:
            msg = "the model is not loading"
            raise NotReadyError(msg)
        try:
            return await asyncio.shield(self._loading)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            msg = "the NLP model failed to load in this worker; see its logs"
            raise NotReadyError(msg) from exc

    @property
    def ready(self) -> bool:
        """True once the model is loaded."""
        return self._enricher is not None

    @property
    def model(self) -> str | None:
        """Loaded model id, e.g. fr_core_news_md-3.8.0."""
        return None if self._enricher is None else self._enricher.model

    @property
    def pending(self) -> int:
        """NLP jobs queued or running in this worker."""
        return self._pending

    async def close(self) -> None:
        """Stop accepting work, cancel queued jobs and release the executor and the cache."""
        if self._batcher_task is not None:
            self._batcher_task.cancel()
        for job in list(self._inflight.values()):
            job.task.cancel()
        self._executor.shutdown(wait=False, cancel_futures=True)
        await self.cache.close()

    # -- single article ---------------------------------------------------------------------

    def prepare(self, request: EnrichRequest) -> PreparedArticle:
        """Validate and normalize a request and compute its identity (cheap, no model needed)."""
        return prepare(request, self._limits.max_text_chars)

    async def enrich(self, article: PreparedArticle) -> Served:
        """Answer one article from the cache or by computing it once for all concurrent callers."""
        key = result_key(PIPELINE_VERSION, article.digest)
        cached = await self._cache_get(key)
        if cached is not None:
            return Served(body=cached, id=article.id, cache_hit=True)
        (outcome,) = await self._wait([self._job(article, key)], "the article")
        if isinstance(outcome, BaseException):
            raise outcome
        body, timings = outcome
        return Served(body=body, id=article.id, cache_hit=False, timings_ms=timings)

    def _job(self, article: PreparedArticle, key: str) -> _Job:
        """The computation of `key`: the one in flight (single flight), else a new one."""
        job = self._inflight.get(key)
        # A job being cancelled (its last caller gave up) cannot serve a new caller.
        if job is None or job.task.cancelling():
            job = _Job(task=asyncio.create_task(self._compute_and_store(article, key)))
            self._inflight[key] = job
            job.task.add_done_callback(functools.partial(self._forget, key, job))
        return job

    def _forget(self, key: str, job: _Job, _task: asyncio.Task[_Computed]) -> None:
        if self._inflight.get(key) is job:
            del self._inflight[key]

    async def _compute_and_store(self, article: PreparedArticle, key: str) -> _Computed:
        self._admit()
        try:
            result = await self._enqueue(article)
        finally:
            self._release()
        await self.cache.set(key, result[0])
        return result

    def _enqueue(self, article: PreparedArticle) -> asyncio.Future[_Computed]:
        future: asyncio.Future[_Computed] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait(_Work(article=article, future=future))
        return future

    async def _batcher(self) -> None:
        """Feed the executor: whatever queued up while the last pass ran goes through one `nlp.pipe`."""
        loop = asyncio.get_running_loop()
        while True:
            work = [await self._queue.get()]
            while len(work) < _MICRO_BATCH and not self._queue.empty():
                work.append(self._queue.get_nowait())
            # A cancelled future means every caller gave up (deadline): skip that article.
            work = [w for w in work if not w.future.done()]
            if not work:
                continue
            self._metrics.batch_size.observe(len(work))
            outcomes: list[_Computed | EnrichmentError | BaseException]
            try:
                enricher = await self.wait_ready()
                computed = await loop.run_in_executor(
                    self._executor, self._compute_many, enricher, [w.article for w in work]
                )
                outcomes = list(computed)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a failing pass fails its requests, not the worker
                log.error("nlp_pass_failed", error=type(exc).__name__, exc_info=exc)
                outcomes = [exc] * len(work)
            for item, outcome in zip(work, outcomes, strict=True):
                if item.future.done():
                    continue
                if isinstance(outcome, BaseException):
                    item.future.set_exception(outcome)
                else:
                    item.future.set_result(outcome)

    async def _wait(self, jobs: list[_Job], what: str) -> list[_Computed | BaseException]:
        """Outcomes of the jobs within one request deadline; a job nobody waits for is dropped."""
        for job in jobs:
            job.waiters += 1
        try:
            async with asyncio.timeout(self._limits.request_timeout_seconds):
                return await asyncio.gather(*(asyncio.shield(j.task) for j in jobs), return_exceptions=True)
        except TimeoutError:
            self._metrics.rejected.labels("timeout").inc()
            msg = f"{what} was not enriched within {self._limits.request_timeout_seconds:g} s"
            raise DeadlineExceededError(msg, retry_after=self._retry_after()) from None
        finally:
            for job in jobs:
                job.waiters -= 1
                # Nobody waits any more: drop work that has not reached the executor yet. Work
                # already running finishes (spaCy cannot be interrupted) and fills the cache.
                if job.waiters == 0 and not job.task.done():
                    job.task.cancel()

    # -- batch ------------------------------------------------------------------------------

    def check_batch_size(self, size: int) -> None:
        """Refuse a batch over MAX_BATCH articles."""
        if size > self._limits.max_batch:
            msg = f"a batch holds at most {self._limits.max_batch} articles; got {size}"
            raise ValidationFailedError(msg, path="$.articles")

    async def enrich_batch(
        self, items: Sequence[EnrichRequest | EnrichmentError]
    ) -> list[bytes | EnrichmentError]:
        """Answer batch items in order: cached ones from the cache, the rest micro-batched together.

        New articles join the same single-flight jobs as single requests; the batch is refused
        whole (503) when its new articles do not fit the queue or miss the deadline.
        """
        outcomes: dict[int, bytes | EnrichmentError] = {}
        prepared: dict[int, tuple[PreparedArticle, str]] = {}
        for i, item in enumerate(items):
            if isinstance(item, EnrichmentError):
                outcomes[i] = item
                continue
            try:
                article = prepare(item, self._limits.max_text_chars)
            except EnrichmentError as exc:
                outcomes[i] = exc
                continue
            prepared[i] = (article, result_key(PIPELINE_VERSION, article.digest))
        cached = await asyncio.gather(*(self._cache_get(key) for _, key in prepared.values()))
        todo: dict[str, list[int]] = {}
        for (i, (_, key)), hit in zip(prepared.items(), cached, strict=True):
            if hit is not None:
                outcomes[i] = hit
            else:
                todo.setdefault(key, []).append(i)
        if todo:
            self._check_capacity(sum(key not in self._inflight for key in todo))
            jobs = [self._job(prepared[indexes[0]][0], key) for key, indexes in todo.items()]
            computed = await self._wait(jobs, "the batch")
            for indexes, outcome in zip(todo.values(), computed, strict=True):
                if isinstance(outcome, EnrichmentError):
                    value: bytes | EnrichmentError = outcome
                elif isinstance(outcome, BaseException):
                    raise outcome
                else:
                    value = outcome[0]
                for i in indexes:
                    outcomes[i] = value
        return [outcomes[i] for i in range(len(items))]

    def _compute_many(
        self, enricher: Enricher, articles: list[PreparedArticle]
    ) -> list[_Computed | EnrichmentError]:
        out: list[_Computed | EnrichmentError] = []
        for result in enricher.enrich_many(articles):
            if isinstance(result, EnrichResult):
                self._metrics.observe_stages(result.stats.timings_ms)
                out.append((self._encoder.encode(result), result.stats.timings_ms))
            else:
                out.append(result)
        return out

    # -- shared -----------------------------------------------------------------------------

    async def _cache_get(self, key: str) -> bytes | None:
        value = await self.cache.get(key)
        (self._metrics.cache_miss if value is None else self._metrics.cache_hit).inc()
        return value

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
        # About how long the queue ahead takes to drain at ~10 seed-sized articles/s per worker.
        return max(1, math.ceil(self._pending / 10))
