"""The machine's NLP queue: one process that HTTP workers feed and NLP processes drain.

Each HTTP worker admits an article (cleaning, language) and sends it here; the hub hands queued
articles to whichever NLP process is idle, several at once when several wait (one `nlp.pipe`
pass each: the micro-batch), and spreads them over the idle processes so that no core idles
while articles wait. The same article sent by two workers at once is computed once. When no
process is idle and one is in a pass over a long body, short articles go to it and it finishes
them between two pieces of the long one. A process that retires (it is replaced by a fresh fork
after so many articles) hands back what it had not started. A process that dies fails only its
own articles: those that were batched with others are tried again alone, and an article that
kills a process on its own gets a clear error. With no Redis, the hub also holds the machine's one
embedded cache.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import socket
from collections import deque
from dataclasses import dataclass, field

import structlog

from service.cache.base import seal
from service.cache.memory import MemoryCache
from service.engine._wire import Message, frame, read_frame
from service.engine.batcher import MAX_PASS_CHARS, MICRO_BATCH, Computed
from service.errors import EnrichmentError, StageFailedError
from service.pipeline.article import Article
from service.pipeline.nlp import MAX_CHUNK_CHARS

__all__ = ["Hub", "run_hub"]

log = structlog.get_logger("service.hub")


class _Peer:
    """One connected process: where to write to it."""

    def __init__(self, writer: asyncio.StreamWriter, pid: int) -> None:
        self.writer = writer
        self.pid = pid

    def send(self, message: Message) -> None:
        """Queue a frame for the peer; a peer that went away is dropped by its reader."""
        if not self.writer.is_closing():
            self.writer.write(frame(message))


@dataclass(slots=True, eq=False)
class _Entry:
    """One article to compute, and every (worker, request) waiting for it."""

    key: str
    cache_key: str
    article: Article
    chars: int
    waiters: set[tuple[_Peer, int]] = field(default_factory=set)
    assigned: _Nlp | None = None
    alone: bool = False
    """Set after its process died in a pass with other articles: it then runs alone."""
    pass_size: int = 0


class _Nlp(_Peer):
    """An NLP process and the articles it holds."""

    def __init__(self, writer: asyncio.StreamWriter, pid: int) -> None:
        super().__init__(writer, pid)
        self.assigned: dict[str, _Entry] = {}

    @property
    def idle(self) -> bool:
        """True when it holds no article."""
        return not self.assigned

    @property
    def long_pass(self) -> bool:
        """True while it holds a body it parses in pieces (it can take short articles between them)."""
        return any(e.chars > MAX_CHUNK_CHARS for e in self.assigned.values())


class Hub:
    """The queue, the NLP processes and the waiting workers of one machine."""

    def __init__(self, cache: MemoryCache | None) -> None:
        self.cache = cache
        self.entries: dict[str, _Entry] = {}
        self.queue: deque[_Entry] = deque()
        self.nlps: list[_Nlp] = []

    async def serve(self, listener: socket.socket) -> None:
        """Accept workers and NLP processes on `listener` until cancelled."""
        server = await asyncio.start_unix_server(self._connected, sock=listener, limit=1 << 22)
        log.info("hub_started")
        async with server:
            await server.serve_forever()

    async def _connected(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            hello = await read_frame(reader)
            role, pid = hello[1], hello[2]
            if role == "nlp":
                nlp = _Nlp(writer, pid)
                self.nlps.append(nlp)
                log.info("nlp_process_connected", pid=pid, processes=len(self.nlps))
                self._dispatch()
                await self._serve_nlp(reader, nlp)
            else:
                await self._serve_worker(reader, _Peer(writer, pid))
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    # -- HTTP workers -------------------------------------------------------------------------

    async def _serve_worker(self, reader: asyncio.StreamReader, worker: _Peer) -> None:
        try:
            while True:
                message = await read_frame(reader)
                kind = message[0]
                if kind == "submit":
                    self._submit(worker, message[1], message[2], message[3], message[4])
                elif kind == "cancel":
                    self._cancel(worker, message[1], message[2])
                elif kind == "get":
                    value = None if self.cache is None else await self.cache.get(message[2])
                    worker.send(("value", message[1], value))
        finally:
            # A worker that went away waits for nothing any more.
            for entry in list(self.entries.values()):
                for waiter in [w for w in entry.waiters if w[0] is worker]:
                    entry.waiters.discard(waiter)

    def _submit(self, worker: _Peer, rid: int, key: str, cache_key: str, article: Article) -> None:
        entry = self.entries.get(key)
        if entry is None:
            entry = _Entry(key, cache_key, article, len(article.text.text))
            self.entries[key] = entry
            self.queue.append(entry)
        entry.waiters.add((worker, rid))
        if entry.assigned is not None:
            worker.send(("started", rid, 0))
        self._dispatch()

    def _cancel(self, worker: _Peer, rid: int, key: str) -> None:
        entry = self.entries.get(key)
        if entry is None:
            return
        entry.waiters.discard((worker, rid))
        if not entry.waiters and entry.assigned is None:
            # Nobody waits for it and no process has it: it never runs.
            del self.entries[key]
            with contextlib.suppress(ValueError):
                self.queue.remove(entry)

    # -- NLP processes ------------------------------------------------------------------------

    async def _serve_nlp(self, reader: asyncio.StreamReader, nlp: _Nlp) -> None:
        try:
            while True:
                message = await read_frame(reader)
                if message[0] == "retire":
                    self._retire(nlp)
                    return
                for key, outcome in message[1]:
                    entry = nlp.assigned.pop(key, None)
                    if entry is not None:
                        self._finish(entry, outcome)
                self._dispatch()
        finally:
            if nlp in self.nlps:
                self.nlps.remove(nlp)
            self._lost(nlp)
            self._dispatch()

    def _retire(self, nlp: _Nlp) -> None:
        """A process leaves between two passes: what it was sent since and never read runs elsewhere."""
        self.nlps.remove(nlp)
        requeue = list(nlp.assigned.values())
        nlp.assigned.clear()
        for entry in requeue:
            entry.assigned = None
        self.queue.extendleft(reversed(requeue))
        log.info("nlp_process_retired", pid=nlp.pid, requeued=len(requeue), processes=len(self.nlps))

    def _lost(self, nlp: _Nlp) -> None:
        """An NLP process died: retry its batched articles alone, fail the one that was alone."""
        if not nlp.assigned:
            return
        log.error("nlp_process_lost", pid=nlp.pid, articles=len(nlp.assigned))
        retry = []
        for entry in nlp.assigned.values():
            entry.assigned = None
            if entry.alone or entry.pass_size == 1:
                error = StageFailedError(
                    "the NLP process computing this article stopped (it was replaced); "
                    "the article may be one that the model cannot process"
                )
                self._finish(entry, error)
            else:
                entry.alone = True
                retry.append(entry)
        nlp.assigned.clear()
        self.queue.extendleft(reversed(retry))

    def _finish(self, entry: _Entry, outcome: Computed | EnrichmentError) -> None:
        if self.entries.get(entry.key) is entry:
            del self.entries[entry.key]
        if self.cache is not None and not isinstance(outcome, BaseException):
            # Stored before any worker hears of it: the next request, on any worker, hits.
            self.cache.put(entry.cache_key, seal(outcome[0]))
        for worker, rid in entry.waiters:
            worker.send(("done", rid, outcome))

    def _take(self, limit: int, *, short_only: bool = False) -> list[_Entry]:
        """Up to `limit` queued articles for one pass (nobody's waiting ones are dropped)."""
        batch: list[_Entry] = []
        chars = 0
        skipped: list[_Entry] = []
        while self.queue and len(batch) < limit:
            entry = self.queue[0]
            if not entry.waiters:
                self.queue.popleft()
                self.entries.pop(entry.key, None)
                continue
            if short_only and entry.chars > MAX_CHUNK_CHARS:
                skipped.append(self.queue.popleft())
                continue
            if batch and (entry.alone or batch[0].alone or chars + entry.chars > MAX_PASS_CHARS):
                break
            batch.append(self.queue.popleft())
            chars += entry.chars
        self.queue.extendleft(reversed(skipped))
        return batch

    def _send(self, nlp: _Nlp, batch: list[_Entry]) -> None:
        counted = False
        for entry in batch:
            entry.assigned = nlp
            nlp.assigned[entry.key] = entry
            for worker, rid in entry.waiters:
                # One waiter of the pass reports its size, so the workers' metrics count each pass once.
                worker.send(("started", rid, 0 if counted else len(batch)))
                counted = True
        for entry in batch:
            # Short articles given to a long pass count it: if the process dies, they run again.
            entry.pass_size = len(nlp.assigned)
        nlp.send(("work", [(e.key, e.article) for e in batch]))

    def _dispatch(self) -> None:
        """Give queued articles to idle processes, spread evenly; else short ones to a long pass."""
        idle = [n for n in self.nlps if n.idle]
        while self.queue and idle:
            # An idle process takes its share of the queue over every process, not over the idle
            # ones: a busy one is soon free, and taking its share would leave it idle then.
            share = min(MICRO_BATCH, math.ceil(len(self.queue) / len(self.nlps)))
            batch = self._take(share)
            if batch:
                self._send(idle.pop(0), batch)
        if self.queue:
            for nlp in self.nlps:
                if nlp.long_pass:
                    batch = self._take(MICRO_BATCH, short_only=True)
                    if batch:
                        self._send(nlp, batch)


def run_hub(listener: socket.socket, cache: MemoryCache | None) -> None:
    """Serve the machine's queue (and its embedded cache) on `listener` until SIGTERM."""
    asyncio.run(Hub(cache).serve(listener))
