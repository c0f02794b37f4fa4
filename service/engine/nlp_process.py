"""An NLP process: takes passes of admitted articles from the hub and sends their results back.

Forked from the supervisor after the pipeline is loaded, so the model's pages are shared
copy-on-write; one process per core keeps every core parsing. A pass over a long body checks
the socket between two pieces and finishes the short articles the hub sent meanwhile.

After `recycle_after` articles a process retires between two passes and the supervisor forks a
fresh one: the pages a process writes to (reference counts, caches) stop being shared with its
siblings, so an old process holds more and more memory of its own; a new fork shares the
supervisor's pages again and costs nothing to load.
"""

from __future__ import annotations

import functools
import os
import select
import socket
import time

import msgspec
import structlog

from service.engine._wire import recv_frame, send_frame
from service.errors import EnrichmentError, StageFailedError
from service.model import EnrichResult
from service.pipeline.article import Article
from service.pipeline.chain import Pipeline
from service.pipeline.nlp import MAX_CHUNK_CHARS

__all__ = ["RETIRED", "run_nlp_process"]

log = structlog.get_logger("service.nlp")

RETIRED = 75
"""Exit code of a process that retired after its share of articles (not a failure: it is replaced)."""

_Outcome = tuple[bytes, dict[str, float]] | EnrichmentError


def _encode(encoder: msgspec.json.Encoder, results: list[EnrichResult | EnrichmentError]) -> list[_Outcome]:
    return [(encoder.encode(r), r.stats.timings_ms) if isinstance(r, EnrichResult) else r for r in results]


def _between(sock: socket.socket, pipeline: Pipeline, encoder: msgspec.json.Encoder) -> None:
    """Between two pieces of a long body: finish every short article the hub has sent meanwhile."""
    while select.select([sock], [], [], 0)[0]:
        work: list[tuple[str, Article]] = recv_frame(sock)[1]
        outcomes = _encode(encoder, pipeline.enrich_within([a for _, a in work]))
        send_frame(sock, ("results", [(k, o) for (k, _), o in zip(work, outcomes, strict=True)]))


def run_nlp_process(path: str, pipeline: Pipeline, recycle_after: int = 0) -> int:
    """Serve the hub at `path` until it hangs up (0) or `recycle_after` articles are done (RETIRED)."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    send_frame(sock, ("hello", "nlp", os.getpid()))
    encoder = msgspec.json.Encoder()
    between = functools.partial(_between, sock, pipeline, encoder)
    done = 0
    while True:
        if recycle_after and done >= recycle_after:
            # The hub takes back whatever it sent after the last results; this process reads no more.
            send_frame(sock, ("retire",))
            log.info("nlp_process_retiring", process=os.getpid(), articles=done)
            sock.close()
            return RETIRED
        try:
            work: list[tuple[str, Article]] = recv_frame(sock)[1]
        except (EOFError, ConnectionError):
            return 0
        articles = [a for _, a in work]
        long_pass = any(len(a.text.text) > MAX_CHUNK_CHARS for a in articles)
        outcomes: list[_Outcome]
        started = time.perf_counter()
        try:
            outcomes = _encode(encoder, pipeline.enrich_many(articles, between if long_pass else None))
        except Exception as exc:  # a failing pass fails its articles, not the process
            log.error("nlp_pass_failed", error=type(exc).__name__, exc_info=exc)
            outcomes = [StageFailedError(f"the NLP pass failed: {type(exc).__name__}")] * len(work)
        # One line per pass: which process computed which articles (the request lines name the worker).
        log.info(
            "nlp_pass",
            process=os.getpid(),
            articles=[a.id for a in articles],
            ms=round((time.perf_counter() - started) * 1000, 1),
        )
        send_frame(sock, ("results", [(k, o) for (k, _), o in zip(work, outcomes, strict=True)]))
        done += len(work)
