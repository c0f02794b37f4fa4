"""`python -m service backfill INPUT --out OUTPUT`: enrich an archive, resumably, with a progress bar.

INPUT is JSON Lines (`{"id", "text" | "html", "title"?, "url"?, "options"?}`) or a folder of
`.txt` / `.html` files (the id is the file's path in the folder, without its suffix). Articles
are enriched through a running service (`--url`, as jobs or batches) or in this machine's
processes (`--local --processes N`, each loading the model once). OUTPUT gets one JSON line per
article, in input order: `{"id", "status", "result" | "error"}`. Ids already in OUTPUT are
skipped, so an interrupted run resumes where it stopped; lines are written whole, so Ctrl-C
leaves a valid file.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import sys
import time
from collections import Counter, deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path
from typing import IO, Any

import httpx
import msgspec
from msgspec import Struct
from tqdm import tqdm

from service.api.items import enrich_items
from service.cache.memory import MemoryCache
from service.engine import Batcher, EnrichmentEngine
from service.metrics import Metrics
from service.resources import build_pipeline
from service.settings import LimitSettings, Settings

__all__ = ["run"]

CHUNK = 16
"""Articles per local task: one `nlp.pipe` pass of the engine's micro-batcher."""
JOB_ARTICLES = 500
"""Most articles per job sent to a service."""
JOB_BYTES = 1_500_000
"""Most bytes of articles per job, under the service's default MAX_BODY_BYTES (2 MiB)."""
BATCH_ARTICLES = 32
"""Articles per batch request (the service's MAX_BATCH defaults to 64)."""
_POLL_SECONDS = 0.5
_PAGE = 1_000
_EXIT_INTERRUPTED = 130
_HTTP_UNAVAILABLE = 503
_SUFFIXES = {".txt": "text", ".html": "html", ".htm": "html"}


class Record(Struct, frozen=True):
    """One input article: its id and its enrich request as JSON."""

    id: str
    request: bytes


_NONE = msgspec.Raw(b"")


class _Item(Struct):
    """A batch item as decoded here: msgspec decodes raw JSON only as a plain (non-optional) field."""

    index: int
    status: int
    result: msgspec.Raw = _NONE
    error: msgspec.Raw = _NONE


class _Line(Struct, omit_defaults=True):
    id: str
    status: int
    result: msgspec.Raw | None = None
    error: msgspec.Raw | None = None


class _Page(Struct):
    results: list[msgspec.Raw]


class _Problem(Struct):
    code: str = "internal_error"
    detail: str = ""


_encoder = msgspec.json.Encoder()
_item_decoder = msgspec.json.Decoder(_Item)
_problem_decoder = msgspec.json.Decoder(_Problem)
_page_decoder = msgspec.json.Decoder(_Page)
_object_decoder = msgspec.json.Decoder(dict[str, Any])


# -- input and output ------------------------------------------------------------------------


def read_input(path: Path) -> Iterator[Record]:
    """The articles of a JSON Lines file or of a folder of .txt/.html files, in order."""
    if path.is_dir():
        for file in sorted(p for p in path.rglob("*") if p.suffix.lower() in _SUFFIXES):
            key = _SUFFIXES[file.suffix.lower()]
            text = file.read_text(encoding="utf-8", errors="replace")
            yield Record(str(file.relative_to(path).with_suffix("")), _encoder.encode({key: text}))
        return
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                fields = _object_decoder.decode(line)
            except msgspec.DecodeError:
                fields = {}
            # An id keeps its article's identity across runs; a line without one is named by its place.
            ident = fields.pop("id", None)
            yield Record(str(ident) if ident is not None else f"line-{number}", _encoder.encode(fields))


def done_ids(path: Path) -> set[str]:
    """Ids already written to OUTPUT; a torn last line (a killed run) is cut off first."""
    if not path.exists():
        return set()
    ids: set[str] = set()
    keep = 0
    with path.open("rb") as handle:
        for line in handle:
            try:
                ident = _object_decoder.decode(line).get("id")
            except msgspec.DecodeError:
                break
            if not line.endswith(b"\n") or ident is None:
                break
            ids.add(str(ident))
            keep += len(line)
    if keep != path.stat().st_size:
        with path.open("r+b") as handle:
            handle.truncate(keep)
    return ids


@dataclass(slots=True)
class Tally:
    """What a run did."""

    skipped: int = 0
    ok: int = 0
    failed: Counter[str] = field(default_factory=Counter)
    started: float = field(default_factory=time.perf_counter)

    @property
    def done(self) -> int:
        """Articles written by this run."""
        return self.ok + sum(self.failed.values())

    def summary(self, interrupted: bool) -> dict[str, Any]:
        """The figures printed at the end (and written with --summary-json)."""
        elapsed = time.perf_counter() - self.started
        return {
            "interrupted": interrupted,
            "skipped": self.skipped,
            "done": self.ok,
            "failed": self.done - self.ok,
            "failed_by_reason": dict(self.failed.most_common()),
            "seconds": round(elapsed, 2),
            "articles_per_s": round(self.done / elapsed, 2) if elapsed > 0 else 0.0,
        }


class Writer:
    """Appends result lines in input order and counts them."""

    def __init__(self, out: IO[bytes], tally: Tally, bar: tqdm[Any] | None) -> None:
        self._out = out
        self.tally = tally
        self._bar = bar
        """Advanced per written chunk; None when the remote calls advance it as the service works."""

    def write(self, records: Sequence[Record], items: Sequence[bytes]) -> None:
        """Write one line per record from its encoded batch item, then flush (a whole chunk at a time)."""
        lines = []
        for record, raw in zip(records, items, strict=True):
            item = _item_decoder.decode(raw)
            result, error = (item.result or None), (item.error or None)
            lines.append(_encoder.encode(_Line(record.id, item.status, result, error)) + b"\n")
            if error is None:
                self.tally.ok += 1
            else:
                self.tally.failed[_problem_decoder.decode(item.error).code] += 1
        self._out.write(b"".join(lines))
        self._out.flush()
        if self._bar is not None:
            self._bar.update(len(records))


def _chunks(records: Iterator[Record], size: int, max_bytes: int | None = None) -> Iterator[list[Record]]:
    chunk: list[Record] = []
    weight = 0
    for record in records:
        if chunk and (len(chunk) >= size or (max_bytes and weight + len(record.request) > max_bytes)):
            yield chunk
            chunk, weight = [], 0
        chunk.append(record)
        weight += len(record.request)
    if chunk:
        yield chunk


# -- local: the engine in N processes ---------------------------------------------------------


@dataclass(slots=True)
class _Local:
    loop: asyncio.AbstractEventLoop
    engine: EnrichmentEngine


_local: _Local | None = None


def _init_local(settings: Settings, ready: Synchronized[int]) -> None:
    """Process initializer: load the pipeline once and start an engine on a private loop."""
    global _local  # noqa: PLW0603 -- one engine per pool process, built by its initializer
    pipeline = build_pipeline(settings.nlp)
    loop = asyncio.new_event_loop()
    metrics = Metrics()
    # No deadline and no queue bound: a backfill process has no other caller to protect.
    limits = LimitSettings(
        max_text_chars=settings.limits.max_text_chars, max_queue=1 << 30, request_timeout_seconds=1e9
    )
    engine = EnrichmentEngine(
        limits,
        pipeline.version,
        MemoryCache(1_024, 64 << 20, 0),
        Batcher(lambda: pipeline, metrics, pipeline),
        metrics,
    )

    async def start() -> None:
        engine.start()

    loop.run_until_complete(start())
    _local = _Local(loop, engine)
    with ready.get_lock():
        ready.value += 1


def _enrich_local(start: int, requests: list[bytes]) -> list[bytes]:
    assert _local is not None, "the pool initializer did not run"
    indexes = range(start, start + len(requests))
    items = _local.loop.run_until_complete(enrich_items(_local.engine, requests, indexes, "backfill"))
    return [_encoder.encode(item) for item in items]


def _run_local(
    records: Iterator[Record], writer: Writer, bar: tqdm[Any], settings: Settings, processes: int
) -> None:
    ctx = mp.get_context("spawn")
    ready = ctx.Value("i", 0)
    with ctx.Pool(processes, initializer=_init_local, initargs=(settings, ready)) as pool:
        while ready.value < processes:  # the clock starts once every model is loaded
            time.sleep(0.05)
        writer.tally.started = time.perf_counter()
        bar.reset()  # rate and ETA count from here, not from the model loads
        pending: deque[tuple[list[Record], Any]] = deque()
        position = 0
        for chunk in _chunks(records, CHUNK):
            task = pool.apply_async(_enrich_local, (position, [r.request for r in chunk]))
            pending.append((chunk, task))
            position += len(chunk)
            # Two chunks per process keep every process busy while results are written in order.
            while len(pending) >= 2 * processes:
                done, result = pending.popleft()
                writer.write(done, result.get())
        while pending:
            done, result = pending.popleft()
            writer.write(done, result.get())


# -- remote: a running service ----------------------------------------------------------------


def _body(records: Sequence[Record]) -> bytes:
    return b'{"articles":[' + b",".join(r.request for r in records) + b"]}"


async def _post_retrying(client: httpx.AsyncClient, url: str, body: bytes) -> httpx.Response:
    """POST, waiting out 503s (overloaded, not ready) as Retry-After says."""
    while True:
        response = await client.post(url, content=body, headers={"content-type": "application/json"})
        if response.status_code != _HTTP_UNAVAILABLE:
            response.raise_for_status()
            return response
        await asyncio.sleep(float(response.headers.get("retry-after", "1")))


def _missing(index: int, status: str) -> bytes:
    problem = {
        "code": f"job_{status}",
        "status": 500,
        "detail": f"the job ended {status} before this article",
    }
    return _encoder.encode({"index": index, "status": 500, "error": problem})


async def _job(client: httpx.AsyncClient, records: list[Record], bar: tqdm[Any]) -> list[bytes]:
    """Submit one job, follow its progress, and return its items in order."""
    location = (await _post_retrying(client, "/v1/jobs", _body(records))).headers["location"]
    seen = 0
    while True:
        state = (await client.get(location, params={"limit": 1})).raise_for_status().json()
        # The bar moves as the service progresses, not only when a whole job comes back.
        bar.update(state["progress"]["done"] - seen)
        seen = state["progress"]["done"]
        if state["status"] in {"done", "failed", "cancelled"}:
            break
        await asyncio.sleep(_POLL_SECONDS)
    items: dict[int, bytes] = {}
    for offset in range(0, len(records), _PAGE):
        page = (await client.get(location, params={"offset": offset, "limit": _PAGE})).raise_for_status()
        for raw in _page_decoder.decode(page.content).results:
            items[_item_decoder.decode(raw).index] = bytes(raw)
    bar.update(len(records) - seen)
    return [items.get(i) or _missing(i, state["status"]) for i in range(len(records))]


async def _batch(client: httpx.AsyncClient, records: list[Record], bar: tqdm[Any]) -> list[bytes]:
    response = await _post_retrying(client, "/v1/enrich/batch", _body(records))
    bar.update(len(records))
    return [bytes(raw) for raw in _page_decoder.decode(response.content).results]


async def _run_remote(
    records: Iterator[Record],
    writer: Writer,
    tally: Tally,
    bar: tqdm[Any],
    options: argparse.Namespace,
) -> None:
    headers = {"authorization": f"Bearer {options.api_key}"} if options.api_key else {}
    call = _job if options.mode == "jobs" else _batch
    size = JOB_ARTICLES if options.mode == "jobs" else BATCH_ARTICLES
    in_flight = max(1, options.in_flight)
    async with httpx.AsyncClient(base_url=options.url, headers=headers, timeout=120) as client:
        tally.started = time.perf_counter()
        pending: deque[tuple[list[Record], asyncio.Task[list[bytes]]]] = deque()
        try:
            for chunk in _chunks(records, size, JOB_BYTES):
                pending.append((chunk, asyncio.create_task(call(client, chunk, bar))))
                while len(pending) >= in_flight:
                    done, task = pending.popleft()
                    writer.write(done, await task)
            while pending:
                done, task = pending.popleft()
                writer.write(done, await task)
        finally:
            for _, task in pending:
                task.cancel()


# -- the command ------------------------------------------------------------------------------


def _print_summary(summary: dict[str, Any]) -> None:
    reasons = ", ".join(f"{code} {count}" for code, count in summary["failed_by_reason"].items())
    sys.stderr.write(
        f"{'interrupted' if summary['interrupted'] else 'finished'}: {summary['done']} done, "
        f"{summary['failed']} failed{f' ({reasons})' if reasons else ''}, "
        f"{summary['skipped']} already in the output; "
        f"{summary['articles_per_s']} articles/s over {summary['seconds']} s\n"
    )


def run(settings: Settings, argv: list[str]) -> int:
    """Parse the arguments and run the backfill; exit code 130 when interrupted."""
    parser = argparse.ArgumentParser(prog="python -m service backfill", description=__doc__)
    parser.add_argument("input", type=Path, help="a JSON Lines file, or a folder of .txt/.html files")
    parser.add_argument("--out", type=Path, required=True, help="JSON Lines output (appended to, resumable)")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--url", help="base URL of a running service, e.g. http://127.0.0.1:8000")
    where.add_argument("--local", action="store_true", help="enrich in this machine's processes")
    parser.add_argument(
        "--mode", choices=["jobs", "batch"], default="jobs", help="with --url: jobs or batches"
    )
    parser.add_argument("--in-flight", type=int, default=2, help="with --url: jobs or batches sent at once")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1, help="with --local")
    parser.add_argument("--api-key", default=os.environ.get("API_KEY"), help="with --url (default: $API_KEY)")
    parser.add_argument("--summary-json", type=Path, help="also write the summary here as JSON")
    args = parser.parse_args(argv)
    if not args.input.exists():
        parser.error(f"{args.input} does not exist")

    already = done_ids(args.out)
    tally = Tally()
    total = 0
    for record in read_input(args.input):
        if record.id in already:
            tally.skipped += 1
        else:
            total += 1
    todo = (r for r in read_input(args.input) if r.id not in already)
    interrupted = False
    with (
        args.out.open("ab") as out,
        tqdm(total=total, unit="art", smoothing=0.05, dynamic_ncols=True, file=sys.stderr) as bar,
    ):
        try:
            if total == 0:
                pass  # everything is in the output already: no model to load, no service to call
            elif args.local:
                _run_local(todo, Writer(out, tally, bar), bar, settings, max(1, args.processes))
            else:
                asyncio.run(_run_remote(todo, Writer(out, tally, None), tally, bar, args))
        except KeyboardInterrupt:
            interrupted = True
    summary = tally.summary(interrupted)
    _print_summary(summary)
    if args.summary_json is not None:
        args.summary_json.write_text(msgspec.json.encode(summary).decode() + "\n", encoding="utf-8")
    return _EXIT_INTERRUPTED if interrupted else 0
