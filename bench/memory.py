"""Memory bench: the served tree's memory with 1 and 2 workers, and no growth with distinct articles.

    python -m bench.memory [--articles 5000] [--workers 1 2] [--concurrency 4]

Serves with `python -m service` (the real serving path, against a private Redis so that no
embedded cache grows in the tree) once per worker count, and sends distinct generated articles
(sentences of OrangeSum articles, or of the test fixtures, each article salted with never-seen
names and numbers so the spaCy StringStore would grow without `memory_zone`). The tree's memory
(supervisor and every child) is sampled at ready and every 500 articles, as PSS (shared pages
split between the processes sharing them: the real footprint) and as the sum of RSS (which
counts each shared page once per process). A sample is taken when the tree has as many
processes as at ready (an NLP process retiring after NLP_RECYCLE_ARTICLES is briefly missing, which
would flatter the sum). Passes when, with the most workers, the highest PSS from article 500 on
is within 50 MB of PSS after the first 500, and the highest PSS with 2 workers is at most 1.5x the
highest with 1 over the same articles (peaks, so that where a recycling cycle stands at the last
sample does not decide; the figures after the last article are printed too).
"""

from __future__ import annotations

import argparse
import random
import re
import time
from pathlib import Path

import msgspec

from bench._common import (
    DEFAULT_SHARED,
    SERVICE_APP,
    article_texts,
    print_table,
    private_redis,
    run_loadgen,
    server_process,
    tree_memory_mb,
    tree_size,
    write_result,
)
from bench._loadgen import build_request

_SYLLABLES = ["ka", "lo", "mi", "ran", "tev", "zou", "bri", "dal", "nor", "pel", "quin", "sar", "vek", "yul"]
_STEP = 500
_FULL_TREE_WAIT_SECONDS = 10.0


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(3)).capitalize()


def generate(sentences: list[str], count: int, rng: random.Random) -> list[str]:
    """`count` distinct articles of 6 to 10 sentences, each with new proper names and figures."""
    articles = []
    for i in range(count):
        picked = rng.sample(sentences, k=rng.randint(6, 10))
        salt = (
            f"{_name(rng)} {_name(rng)}, maire de {_name(rng)}ville, a annoncé {rng.randint(10, 99_999)} "
            f"mesures le {rng.randint(1, 28)} mars (dossier {i}-{rng.randint(0, 10**9)})."
        )
        articles.append(" ".join([*picked[:3], salt, *picked[3:]]))
    return articles


def _full_tree_memory(pid: int, processes: int) -> tuple[float, float]:
    """`tree_memory_mb` once the tree has `processes` processes again (within 10 s)."""
    deadline = time.monotonic() + _FULL_TREE_WAIT_SECONDS
    while tree_size(pid) < processes and time.monotonic() < deadline:
        time.sleep(0.1)
    return tree_memory_mb(pid)


def _peak(rows: list[list[object]]) -> float:
    """The highest PSS sampled from article 500 on."""
    return max(float(str(r[2])) for r in rows if int(str(r[0])) >= _STEP)


def served_memory(workers: int, articles: list[str], concurrency: int) -> list[list[object]]:
    """Serve with `workers`, send the articles; rows of (articles, RSS sum MB, PSS MB, seconds)."""
    rows: list[list[object]] = []
    with private_redis() as redis_url:
        env = {"REDIS_URL": redis_url, "LOG_LEVEL": "WARNING"}
        with server_process(SERVICE_APP, env, workers) as (host, port, _startup, process):
            time.sleep(2.0)  # every worker ready, not only the one that answered
            started = time.perf_counter()
            processes = tree_size(process.pid)
            rows.append([0, *tree_memory_mb(process.pid), 0.0])
            for start in range(0, len(articles), _STEP):
                chunk = articles[start : start + _STEP]
                bodies = [msgspec.json.encode({"text": t}) for t in chunk]
                requests = [build_request("POST", "/v1/enrich", b, "application/json", host) for b in bodies]
                result = run_loadgen(
                    {
                        "host": host,
                        "port": port,
                        "requests": requests,
                        "concurrency": concurrency,
                        "total": len(requests),
                    }
                )
                if set(result["statuses"]) != {"200"}:
                    msg = f"{workers} worker(s): answers {result['statuses']}"
                    raise SystemExit(msg)
                done = start + len(chunk)
                sample = _full_tree_memory(process.pid, processes)
                rows.append([done, *sample, round(time.perf_counter() - started, 1)])
                print(f"{workers} worker(s), {done} articles: RSS sum, PSS MB {rows[-1][1:3]}", flush=True)
    return rows


def main() -> None:
    """Serve with each worker count and sample the tree's memory along the way."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--articles", type=int, default=5_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    rng = random.Random(11)
    sentences = [
        s
        for text in article_texts(args.shared, 300)
        for s in re.split(r"(?<=[.!?])\s+", text)
        if 40 < len(s) < 300
    ]
    articles = generate(sentences, args.articles, rng)
    runs = {w: served_memory(w, articles, args.concurrency) for w in args.workers}
    result: dict[str, object] = {"articles": args.articles, "concurrency": args.concurrency}
    for workers, rows in runs.items():
        print(f"\n{workers} worker(s)")
        print_table(rows, ["articles", "RSS sum MB", "PSS MB", "elapsed s"])
        result[f"workers_{workers}"] = rows
    most = runs[max(runs)]
    after_step = next((r for r in most if int(str(r[0])) >= _STEP), most[-1])
    growth = round(_peak(most) - float(str(after_step[2])), 1)
    passed = growth <= 50.0
    result["growth_mb"] = growth
    result["growth_to_last_mb"] = round(float(str(most[-1][2])) - float(str(after_step[2])), 1)
    print(
        f"\nPSS growth from article {after_step[0]} to the highest sample after it ({max(runs)} workers): "
        f"{growth} MB (limit 50 MB); to the last: {result['growth_to_last_mb']} MB"
    )
    if 1 in runs and 2 in runs:
        ratio = round(_peak(runs[2]) / _peak(runs[1]), 3)
        last_ratio = round(float(str(runs[2][-1][2])) / float(str(runs[1][-1][2])), 3)
        ready_ratio = round(float(str(runs[2][0][2])) / float(str(runs[1][0][2])), 3)
        result["pss_2_vs_1"] = ratio
        result["pss_2_vs_1_last"] = last_ratio
        result["pss_2_vs_1_at_ready"] = ready_ratio
        passed = passed and ratio <= 1.5
        print(
            f"PSS with 2 workers / with 1: {ready_ratio} at ready, highest {ratio} from article {_STEP} "
            f"(limit 1.5), {last_ratio} after {most[-1][0]} articles"
        )
    result["passed"] = passed
    print("ok" if passed else "MISSED")
    print(f"written {write_result('memory', result)}")
    if not passed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
