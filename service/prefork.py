"""Several workers from one loaded model: load once, then fork the workers (copy-on-write).

uvicorn's own supervisor spawns each worker as a fresh interpreter, which imports spaCy and
loads the model again: with 2 workers, start-up took twice one worker's CPU (7.5 s each, measured
by `bench/startup.py`) and memory held two private models. Here the supervisor imports and loads
everything once, freezes the garbage collector's view of those objects (so collections in the
workers do not write to, and copy, the shared pages), binds the socket, and forks the workers,
which serve with the pipeline they inherited. A worker that dies is forked again at once, with
no model to reload.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import socket
import time
from types import FrameType
from typing import Any

import structlog
import uvicorn

from service.app import create_app
from service.pipeline.chain import Pipeline
from service.resources import build_pipeline
from service.settings import Settings

__all__ = ["serve_preforked"]

log = structlog.get_logger("service.supervisor")

# A worker that dies sooner than this after its start is not re-forked in a tight loop.
_RESPAWN_PAUSE_SECONDS = 1.0
_BACKLOG = 2048


def _child(settings: Settings, pipeline: Pipeline, sock: socket.socket, options: dict[str, Any]) -> None:
    """Serve in a forked worker until told to stop; never returns to the supervisor's code."""
    code = 0
    try:
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, signal.SIG_DFL)
        config = uvicorn.Config(create_app(settings, pipeline=pipeline), **options)
        uvicorn.Server(config).run(sockets=[sock])
    except BaseException:  # a worker must never fall back into the supervisor's loop
        log.exception("worker_failed")
        code = 1
    finally:
        os._exit(code)


def serve_preforked(settings: Settings, options: dict[str, Any]) -> int:
    """Load the pipeline, bind, fork `settings.http.workers` workers and keep that many alive."""
    started = time.perf_counter()
    pipeline = build_pipeline(settings.nlp, settings.limits.max_text_chars)
    log.info("model_loaded", seconds=round(time.perf_counter() - started, 2), workers=settings.http.workers)
    family = socket.AF_INET6 if ":" in settings.http.host else socket.AF_INET
    sock = socket.create_server((settings.http.host, settings.http.port), family=family, backlog=_BACKLOG)
    sock.set_inheritable(True)
    # Objects that exist now are shared with every worker: keep the collector off their pages.
    gc.freeze()

    workers: dict[int, float] = {}
    stopping = False

    def fork() -> None:
        pid = os.fork()
        if pid == 0:
            _child(settings, pipeline, sock, options)
        workers[pid] = time.monotonic()

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(workers):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                workers.pop(pid, None)

    def restart(signum: int, _frame: FrameType | None) -> None:
        # As uvicorn's supervisor does on SIGHUP: each worker stops gracefully and is forked again.
        for pid in list(workers):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGHUP, restart)
    for _ in range(settings.http.workers):
        fork()
    while workers:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        born = workers.pop(pid, None)
        if born is None or stopping:
            continue
        log.warning("worker_died", pid=pid, exit_code=os.waitstatus_to_exitcode(status))
        if time.monotonic() - born < _RESPAWN_PAUSE_SECONDS:
            time.sleep(_RESPAWN_PAUSE_SECONDS)
        if not stopping:
            fork()
    sock.close()
    return 0
