"""Load bench: 10,000 requests mixing cached, uncached and invalid input above capacity.

    python -m bench.load [--requests 10000] [--concurrency 128] [--workers N]

Passes when no response is a 5xx other than the documented 503 (overloaded, timeout) and no
connection is dropped. Prints counts by status and code and latency percentiles.
"""

from __future__ import annotations

import argparse
import json
import os
import random
from collections import Counter
from pathlib import Path

import msgspec

from bench._common import (
    DEFAULT_SHARED,
    article_texts,
    print_table,
    private_redis,
    run_loadgen,
    server_process,
    write_result,
)
from bench._loadgen import build_request, percentile


def main() -> None:
    """Run the mixed load and report."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=128)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--uncached-share", type=float, default=0.1)
    parser.add_argument("--invalid-share", type=float, default=0.2)
    args = parser.parse_args()
    rng = random.Random(7)
    host = "127.0.0.1"
    n_uncached = int(args.requests * args.uncached_share)
    texts = article_texts(args.shared, n_uncached + 5)
    warm, fresh = texts[:5], texts[5:]

    def post(body: bytes, content_type: str = "application/json") -> bytes:
        return build_request("POST", "/v1/enrich", body, content_type, host)

    invalid = [
        post(b'{"text": '),
        post(b'{"text": ""}'),
        post(b'{"text": 3}'),
        post(b'{"text": "x", "nope": 1}'),
        post(b"<a/>", "application/xml"),
        post(
            b"The committee approved the annual budget after a long debate on Monday evening.", "text/plain"
        ),
        build_request("POST", "/v1/enrich/batch", b'{"articles": []}', "application/json", host),
    ]
    kinds: list[str] = []
    requests: list[bytes] = []
    fresh_iter = iter(fresh)
    for _ in range(args.requests):
        roll = rng.random()
        if roll < args.invalid_share:
            kinds.append("invalid")
            requests.append(rng.choice(invalid))
        elif roll < args.invalid_share + args.uncached_share and (text := next(fresh_iter, None)) is not None:
            kinds.append("uncached")
            requests.append(post(msgspec.json.encode({"text": text})))
        else:
            kinds.append("cached")
            requests.append(post(msgspec.json.encode({"text": rng.choice(warm)})))

    with private_redis() as redis_url:
        env = {"REDIS_URL": redis_url, "WORKERS": str(args.workers), "LOG_LEVEL": "WARNING"}
        with server_process("service.app:create_app", env, args.workers) as (host, port, _, _proc):
            # Warm the cached texts first so they really are cache hits.
            run_loadgen(
                {
                    "host": host,
                    "port": port,
                    "requests": [post(msgspec.json.encode({"text": t})) for t in warm],
                    "concurrency": 1,
                    "total": len(warm),
                }
            )
            summary = run_loadgen(
                {
                    "host": host,
                    "port": port,
                    "requests": requests,
                    "concurrency": args.concurrency,
                    "total": len(requests),
                    "keep_bodies": True,
                    "keep_latencies": True,
                }
            )
    by_kind: dict[str, list[float]] = {}
    for index, latency in summary.pop("latencies"):
        by_kind.setdefault(kinds[index], []).append(latency)
    summary["latency_by_kind_ms"] = {
        kind: {f"p{q}": round(percentile(values, q) * 1000, 2) for q in (50, 95, 99)}
        for kind, values in sorted(by_kind.items())
    }
    codes: Counter[str] = Counter()
    for body in summary.pop("bodies"):
        try:
            doc = json.loads(body)
        except json.JSONDecodeError:
            codes["<not json>"] += 1
            continue
        codes[doc.get("code", "ok") if isinstance(doc, dict) else "ok"] += 1
    statuses = {int(k): v for k, v in summary["statuses"].items()}
    bad_5xx = sum(v for k, v in statuses.items() if k >= 500 and k != 503)
    dropped = sum(summary["connection_errors"].values())
    summary["mix"] = dict(Counter(kinds))
    summary["codes"] = dict(codes)
    summary["unexpected_5xx"] = bad_5xx
    summary["dropped_connections"] = dropped
    summary["passed"] = bad_5xx == 0 and dropped == 0 and summary["requests"] == args.requests
    print_table([[k, v] for k, v in sorted(statuses.items())], ["status", "count"])
    print()
    print_table([[k, v] for k, v in codes.most_common()], ["code", "count"])
    print(
        f"\nmix {summary['mix']}; {summary['requests']} answered in {summary['elapsed_s']} s "
        f"({summary['rps']} req/s); p50 {summary['p50_ms']} ms, p95 {summary['p95_ms']} ms, p99 {summary['p99_ms']} ms"
    )
    for kind, pcts in summary["latency_by_kind_ms"].items():
        print(f"  {kind:9s} p50 {pcts['p50']} ms, p95 {pcts['p95']} ms, p99 {pcts['p99']} ms")
    print(f"unexpected 5xx: {bad_5xx}; dropped connections: {dropped}; passed: {summary['passed']}")
    print(f"written {write_result('load', summary)}")
    if not summary["passed"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
