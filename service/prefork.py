"""The server of one machine: load the model once, then fork a hub, NLP processes and HTTP workers.

uvicorn's own supervisor spawns each worker as a fresh interpreter, which imports spaCy and
loads the model again. Here the supervisor imports and loads everything once, freezes the
garbage collector's view of those objects (so collections in the children do not write to, and
copy, the shared pages), binds the sockets, and forks:

- one **hub**: the machine's NLP queue (and, without Redis, its one embedded cache), on a Unix
  socket in a private directory;
- `WORKERS` **NLP processes**, each taking passes of articles from the hub whenever it is idle;
- `WORKERS` **HTTP workers**, each on its own listening socket of the port (SO_REUSEPORT, so the
  kernel spreads connections over them): they decode, admit (clean, language)
  and answer from the cache, and send what must be computed to the hub.

So an article goes to an idle core whichever worker accepted its connection (with NLP in each
HTTP worker, one worker could hold two connections while the other core idled: 0.50x raw spaCy
at 2 concurrent requests). A child that dies is forked again at once, with no model to reload;
so is an NLP process that retires after NLP_RECYCLE_ARTICLES articles, which gives back the pages
it had stopped sharing.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import shutil
import signal
import socket
import tempfile
import time
from collections.abc import Callable
from types import FrameType
from typing import Any, Literal

import structlog
import uvicorn

from service.app import create_app
from service.cache.memory import MemoryCache
from service.engine.hub import run_hub
from service.engine.nlp_process import RETIRED, run_nlp_process
from service.pipeline.chain import Pipeline
from service.resources import build_pipeline
from service.settings import Settings

__all__ = ["listening_sockets", "serve_preforked"]

log = structlog.get_logger("service.supervisor")

Role = Literal["hub", "nlp", "http"]

# A child that dies sooner than this after its start is not re-forked in a tight loop.
_RESPAWN_PAUSE_SECONDS = 1.0
_BACKLOG = 2048


def _child(run: Callable[[], int | None]) -> None:
    """Run a forked child until it is told to stop (its exit code is what `run` returns); never returns."""
    code = 0
    try:
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, signal.SIG_DFL)
        code = run() or 0
    except BaseException:  # a child must never fall back into the supervisor's loop
        log.exception("worker_failed")
        code = 1
    finally:
        os._exit(code)


def _http(
    settings: Settings, pipeline: Pipeline, sock: socket.socket, hub: str, options: dict[str, Any]
) -> None:
    config = uvicorn.Config(create_app(settings, pipeline=pipeline, hub=hub), **options)
    uvicorn.Server(config).run(sockets=[sock])


def _hub(settings: Settings, listener: socket.socket) -> None:
    cache = None
    if not settings.cache.redis_url:
        cache = MemoryCache(
            settings.cache.memory_max_entries, settings.cache.memory_max_bytes, settings.cache.ttl_seconds
        )
    run_hub(listener, cache)


class _Supervisor:
    """Forks the children of each role and forks again the ones that die."""

    def __init__(self, runs: dict[Role, Callable[[int], int | None]]) -> None:
        self.runs = runs
        self.children: dict[int, tuple[Role, float, int]] = {}
        self.stopping = False

    def fork(self, role: Role, slot: int = 0) -> None:
        """Fork one child of `role` in `slot` (an HTTP worker's slot is its listening socket)."""
        pid = os.fork()
        if pid == 0:
            _child(functools.partial(self.runs[role], slot))
        self.children[pid] = (role, time.monotonic(), slot)
        log.info("forked", role=role, pid=pid)

    def signal_role(self, *roles: Role) -> None:
        """Ask every child of these roles to stop."""
        for pid, (role, _, _) in list(self.children.items()):
            if role in roles:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGTERM)

    def _stop_back_end(self) -> None:
        # The hub and NLP processes stop once no HTTP worker has a request left for them.
        if not any(role == "http" for role, _, _ in self.children.values()):
            self.signal_role("hub", "nlp")

    def stop(self, signum: int, _frame: FrameType | None) -> None:
        """SIGTERM/SIGINT: HTTP workers finish the requests they hold, then the rest stops."""
        self.stopping = True
        self.signal_role("http")
        self._stop_back_end()

    def restart(self, signum: int, _frame: FrameType | None) -> None:
        """SIGHUP, as uvicorn's supervisor: each HTTP worker stops gracefully and is forked again."""
        self.signal_role("http")

    def watch(self) -> None:
        """Wait for children; fork a dead one again unless stopping."""
        while self.children:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            known = self.children.pop(pid, None)
            if known is None:
                continue
            if self.stopping:
                self._stop_back_end()
                continue
            role, born, slot = known
            code = os.waitstatus_to_exitcode(status)
            if role == "nlp" and code == RETIRED:
                # It retired after its share of articles (NLP_RECYCLE_ARTICLES): a planned replacement.
                log.info("nlp_process_recycled", pid=pid)
            else:
                log.warning("worker_died", role=role, pid=pid, exit_code=code)
            if time.monotonic() - born < _RESPAWN_PAUSE_SECONDS:
                time.sleep(_RESPAWN_PAUSE_SECONDS)
            if not self.stopping:
                self.fork(role, slot)


def listening_sockets(host: str, port: int, workers: int) -> list[socket.socket]:
    """One listening socket per HTTP worker on the same port (SO_REUSEPORT), else one shared.

    With one shared socket, whichever worker is awake first accepts: 64 keep-alive connections
    opened at once all went to one worker in 4 runs of 6 here, and that worker's core served
    them alone (3,500-4,100 cached req/s against 6,300). With a socket each, the kernel spreads
    new connections over the workers. A dead worker's socket stays open in the supervisor, so
    the connections queued on it wait for its replacement instead of being refused.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    if not hasattr(socket, "SO_REUSEPORT") or workers < 2:  # noqa: PLR2004 - one worker needs one socket
        sock = socket.create_server((host, port), family=family, backlog=_BACKLOG)
        sock.set_inheritable(True)
        return [sock]
    socks: list[socket.socket] = []
    for _ in range(workers):
        # Port 0 asks for a free port once; the other sockets join the port it got.
        bound = socks[0].getsockname()[1] if socks else port
        sock = socket.create_server((host, bound), family=family, backlog=_BACKLOG, reuse_port=True)
        sock.set_inheritable(True)
        socks.append(sock)
    return socks


def serve_preforked(settings: Settings, options: dict[str, Any]) -> int:
    """Load the pipeline, bind, fork the hub, NLP processes and HTTP workers, and keep them alive."""
    started = time.perf_counter()
    pipeline = build_pipeline(settings.nlp, settings.limits.max_text_chars)
    log.info("model_loaded", seconds=round(time.perf_counter() - started, 2), workers=settings.http.workers)
    socks = listening_sockets(settings.http.host, settings.http.port, settings.http.workers)
    # mkdtemp makes the directory 0700: only this user's processes reach the hub.
    workdir = tempfile.mkdtemp(prefix="enrich-hub-")
    hub_path = os.path.join(workdir, "hub.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(hub_path)
    # Held by the supervisor too: a process connecting while the hub is re-forked waits in the backlog.
    listener.listen(_BACKLOG)
    # Objects that exist now are shared with every child: keep the collector off their pages.
    gc.freeze()
    supervisor = _Supervisor(
        {
            "hub": lambda _slot: _hub(settings, listener),
            "nlp": lambda _slot: run_nlp_process(hub_path, pipeline, settings.nlp.recycle_articles),
            "http": lambda slot: _http(settings, pipeline, socks[slot % len(socks)], hub_path, options),
        }
    )
    signal.signal(signal.SIGTERM, supervisor.stop)
    signal.signal(signal.SIGINT, supervisor.stop)
    signal.signal(signal.SIGHUP, supervisor.restart)
    supervisor.fork("hub")
    for _ in range(settings.http.workers):
        supervisor.fork("nlp")
    for slot in range(settings.http.workers):
        supervisor.fork("http", slot)
    try:
        supervisor.watch()
    finally:
        for sock in socks:
            sock.close()
        listener.close()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0
