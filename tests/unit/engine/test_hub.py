"""The hub over real Unix sockets, with this test playing the HTTP worker and the NLP processes.

Pinned: queued articles are spread over the idle NLP processes; the same article from two
workers is computed once; a result is cached before it is handed out; a process that dies
makes its batched articles run again alone, and an article that kills a process alone fails; a
process that retires hands back what it was sent and never read.
"""

from __future__ import annotations

import asyncio
import os
import socket
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from service.cache.base import seal
from service.cache.memory import MemoryCache
from service.engine._wire import frame, read_frame
from service.engine.hub import Hub
from service.errors import StageFailedError
from service.model import EnrichOptions
from service.pipeline.article import Article
from service.pipeline.normalize import normalize

pytestmark = pytest.mark.anyio


class Peer:
    """A connection to the hub, speaking its frames."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    def send(self, *message: Any) -> None:
        """Write one message."""
        self.writer.write(frame(message))

    async def receive(self) -> tuple[Any, ...]:
        """The next message, within 5 s."""
        async with asyncio.timeout(5):
            return await read_frame(self.reader)

    async def until(self, kind: str) -> tuple[Any, ...]:
        """The next message of `kind`, skipping others."""
        while (message := await self.receive())[0] != kind:
            pass
        return message

    async def close(self) -> None:
        """Close as a process that dies does."""
        if not self.writer.is_closing():
            self.writer.close()
        await self.writer.wait_closed()


class Machine:
    """A hub serving on a Unix socket, and a way to connect peers to it."""

    def __init__(self, path: str, hub: Hub) -> None:
        self.path, self.hub = path, hub
        self.peers: list[Peer] = []

    async def connect(self, role: str) -> Peer:
        """A peer that has said hello as `role`."""
        reader, writer = await asyncio.open_unix_connection(self.path)
        peer = Peer(reader, writer)
        self.peers.append(peer)
        peer.send("hello", role, os.getpid())
        await asyncio.sleep(0.05)  # the hub registers it
        return peer


@pytest.fixture
async def machine() -> AsyncIterator[Machine]:
    """A hub with an embedded cache on a fresh socket."""
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "hub.sock")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(path)
        listener.listen(16)
        hub = Hub(MemoryCache(100, 10_000_000, 0))
        task = asyncio.create_task(hub.serve(listener))
        served = Machine(path, hub)
        try:
            yield served
        finally:
            for peer in served.peers:
                await peer.close()
            await asyncio.sleep(0.05)  # the hub sees them go
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            listener.close()


def article(n: int) -> Article:
    """A small admitted-looking article with id `a<n>`."""
    return Article(id=f"a{n}", text=normalize(f"Article numéro {n}."), title=None, options=EnrichOptions())


async def test_articles_are_spread_over_idle_processes(machine: Machine) -> None:
    """Two articles queued with two idle processes go one to each, in one pass each."""
    first, second = await machine.connect("nlp"), await machine.connect("nlp")
    worker = await machine.connect("http")
    worker.send("submit", 1, "a1", "k1", article(1))
    worker.send("submit", 2, "a2", "k2", article(2))
    passes = [await first.until("work"), await second.until("work")]
    started = [await worker.until("started"), await worker.until("started")]
    assert [["a1"], ["a2"]] == [[key for key, _ in p[1]] for p in passes]
    assert [("started", 1, 1), ("started", 2, 1)] == started


async def test_one_article_from_two_workers_is_computed_once_and_cached(machine: Machine) -> None:
    """The same article from two workers is one pass; both get the result, which is then in the cache."""
    nlp = await machine.connect("nlp")
    one, two = await machine.connect("http"), await machine.connect("http")
    one.send("submit", 1, "a1", "k1", article(1))
    work = await nlp.until("work")
    two.send("submit", 7, "a1", "k1", article(1))
    started = await two.until("started")
    nlp.send("results", [("a1", (b"{}", {"nlp": 1.0}))])
    done = [await one.until("done"), await two.until("done")]
    one.send("get", 3, "k1")
    assert [("a1", "a1")] == [(key, a.id) for key, a in work[1]]
    assert ("started", 7, 0) == started
    assert [("done", 1, (b"{}", {"nlp": 1.0})), ("done", 7, (b"{}", {"nlp": 1.0}))] == done
    # Stored sealed, as every result is: the reader checks the seal before serving it.
    assert ("value", 3, seal(b"{}")) == await one.until("value")


async def test_a_dead_process_batch_runs_again_alone_and_a_lone_killer_fails(machine: Machine) -> None:
    """Articles of a dead process's pass run again one per pass; the one that dies alone gets an error."""
    worker = await machine.connect("http")
    worker.send("submit", 1, "a1", "k1", article(1))
    worker.send("submit", 2, "a2", "k2", article(2))
    await asyncio.sleep(0.05)
    dying = await machine.connect("nlp")
    batch = await dying.until("work")
    await dying.close()
    survivor = await machine.connect("nlp")
    alone = await survivor.until("work")
    survivor.send("results", [("a1", (b"{}", {}))])
    done_first = await worker.until("done")
    again = await survivor.until("work")
    await survivor.close()
    failed = await worker.until("done")
    assert ["a1", "a2"] == [key for key, _ in batch[1]]
    assert (["a1"], ["a2"]) == ([key for key, _ in alone[1]], [key for key, _ in again[1]])
    assert ("done", 1) == done_first[:2]
    assert (2, StageFailedError) == (failed[1], type(failed[2]))


async def test_withdrawn_article_never_reaches_a_process(machine: Machine) -> None:
    """An article whose only waiter cancels before any process is free is dropped from the queue."""
    worker = await machine.connect("http")
    worker.send("submit", 1, "a1", "k1", article(1))
    worker.send("cancel", 1, "a1")
    worker.send("submit", 2, "a2", "k2", article(2))
    await asyncio.sleep(0.05)
    nlp = await machine.connect("nlp")
    work = await nlp.until("work")
    assert ["a2"] == [key for key, _ in work[1]]


async def test_a_retiring_process_hands_back_what_it_was_sent_and_gets_no_more(machine: Machine) -> None:
    """A process that says `retire` after its results: articles sent to it since run elsewhere, intact."""
    old = await machine.connect("nlp")
    worker = await machine.connect("http")
    worker.send("submit", 1, "a1", "k1", article(1))
    first = await old.until("work")
    # Queued while the old process computes: the hub sends it as soon as the results come back.
    worker.send("submit", 2, "a2", "k2", article(2))
    old.send("results", [("a1", (b"{}", {}))])
    sent_meanwhile = await old.until("work")
    old.send("retire")
    await asyncio.sleep(0.05)
    assert [] == machine.hub.nlps
    fresh = await machine.connect("nlp")
    again = await fresh.until("work")
    fresh.send("results", [("a2", (b"[]", {}))])
    done = [await worker.until("done"), await worker.until("done")]
    assert (["a1"], ["a2"], ["a2"]) == tuple([k for k, _ in m[1]] for m in (first, sent_meanwhile, again))
    assert [("done", 1, (b"{}", {})), ("done", 2, (b"[]", {}))] == done
