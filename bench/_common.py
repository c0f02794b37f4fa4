"""Shared bench plumbing: input texts, a private Redis, server processes, the load generator."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from tests.support import RedisServer, free_port

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = ROOT.parent / "shared"
RESULTS = ROOT / "bench" / "results"


def orangesum_docs(
    shared: Path, split: str = "heading_valid", limit: int | None = None
) -> list[dict[str, Any]]:
    """OrangeSum documents of one split, in id order (a fixed, reproducible subset)."""
    path = shared / "orangesum" / "docs_dev.jsonl.gz"
    docs = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            if split in doc.get("splits", []):
                docs.append(doc)
    docs.sort(key=lambda d: int(d["id"]) if str(d["id"]).isdigit() else str(d["id"]))
    return docs[:limit] if limit else docs


def article_texts(shared: Path, count: int) -> list[str]:
    """Distinct French article texts: OrangeSum valid articles, else variants of the test fixtures."""
    if (shared / "orangesum" / "docs_dev.jsonl.gz").exists():
        docs = orangesum_docs(shared, limit=count)
        return [f"{d['title']}\n\n{d['heading']}\n\n{d['article']}" for d in docs]
    base = [
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "data" / "articles").glob("*.txt"))
    ]
    return [f"{base[i % len(base)]}\nMise à jour {i}." for i in range(count)]


@contextmanager
def private_redis() -> Iterator[str]:
    """A redis-server on a free port for the bench alone (REDIS_URL wins when set)."""
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    server = RedisServer(Path(tempfile.mkdtemp(prefix="bench-redis-")))
    try:
        server.start()
    except RuntimeError as exc:
        raise SystemExit(str(exc)) from exc
    try:
        yield server.url
    finally:
        server.stop()
        shutil.rmtree(server.workdir, ignore_errors=True)


SERVICE_APP = "service.app:create_app"
"""The service: served by `python -m service`, the real serving path, not by uvicorn's supervisor."""


@contextmanager
def server_process(
    app: str,
    env: dict[str, str],
    workers: int,
    ready_path: str = "/health/ready",
    *,
    uvicorn: bool = False,
    reuseport: bool = False,
) -> Iterator[tuple[str, int, float, subprocess.Popen[bytes]]]:
    """Serve `app` with `workers` processes; yield (host, port, seconds to ready, process).

    The service runs as `make serve` runs it (`python -m service`: with 2 workers or more, the
    forked hub, NLP processes and HTTP workers); another app (the framework baseline), or the
    service with `uvicorn=True` (each worker a fresh interpreter with its own model, NLP thread and
    cache: the serving path before issue 18), runs under `uvicorn --factory --workers`.
    """
    port = free_port()
    full_env = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
    if app == SERVICE_APP and not uvicorn:
        full_env.update({"HOST": "127.0.0.1", "PORT": str(port), "WORKERS": str(workers)})
        full_env.setdefault("LOG_LEVEL", "WARNING")
        command = [sys.executable, "-m", "service"]
    elif reuseport:
        command = [
            sys.executable,
            "-m",
            "bench.reuseport",
            app,
            "--port",
            str(port),
            "--workers",
            str(workers),
        ]
    else:
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            app,
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-access-log",
            "--log-level",
            "warning",
        ]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}{ready_path}", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                msg = f"{app} did not become ready"
                raise RuntimeError(msg)
            time.sleep(0.1)
        yield "127.0.0.1", port, time.perf_counter() - started, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def tree_memory_mb(pid: int) -> tuple[float, float]:
    """(sum of RSS, PSS) in MB of `pid` and its children.

    PSS splits the pages shared after a fork between the processes sharing them: it is the tree's
    real footprint, where the sum of RSS counts each shared page once per process.
    """
    rss = pss = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
            if status.parent.name != str(pid) and fields.get("PPid", "").strip() != str(pid):
                continue
            rollup = (status.parent / "smaps_rollup").read_text()
        except OSError:
            continue
        rss += int(fields.get("VmRSS", "0 kB").split()[0])
        pss += next(int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:"))
    return round(rss / 1024, 1), round(pss / 1024, 1)


def tree_size(pid: int) -> int:
    """How many processes `pid` and its children are (a recycled NLP process is briefly missing)."""
    count = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        count += status.parent.name == str(pid) or fields.get("PPid", "").strip() == str(pid)
    return count


def worker_rss_mb(parent_pid: int) -> list[float]:
    """Resident memory (MB) of each child process of `parent_pid` (the server's workers)."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(parent_pid) and "VmRSS" in fields:
            sizes.append(round(int(fields["VmRSS"].split()[0]) / 1024, 1))
    return sizes


def run_loadgen(job: dict[str, Any]) -> dict[str, Any]:
    """Run the load generator in its own process and return its JSON summary."""
    payload = json.dumps({**job, "requests": [r.hex() for r in job["requests"]]})
    done = subprocess.run(
        [sys.executable, "-m", "bench._loadgen"],
        cwd=ROOT,
        input=payload.encode(),
        capture_output=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    summary: dict[str, Any] = json.loads(done.stdout)
    return summary


def write_result(kind: str, data: dict[str, Any]) -> Path:
    """Save a bench result as bench/results/<kind>-<date>.json."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{kind}-{time.strftime('%Y-%m-%d')}.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def print_table(rows: list[list[object]], header: list[str]) -> None:
    """Print an aligned plain-text table."""
    cells = [[str(c) for c in header]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    for n, row in enumerate(cells):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if n == 0:
            print("  ".join("-" * width for width in widths))


_WORD = re.compile(r"\w+")


def split_words(text: str) -> list[str]:
    """The case-folded words of a text, in order: what word-level scores compare."""
    return _WORD.findall(text.casefold())


def word_prf(predicted: list[str], reference: list[str]) -> tuple[float, float, float]:
    """Precision, recall and F1 of a word multiset against a reference one."""
    overlap = sum((Counter(predicted) & Counter(reference)).values())
    precision = overlap / len(predicted) if predicted else 0.0
    recall = overlap / len(reference) if reference else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
