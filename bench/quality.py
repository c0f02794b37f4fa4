"""Quality bench: every stage against the gold annotations and its peers, in one run.

    python -m bench.quality [--shared ../shared] [--limit N] [--only clean,entities,topics,summary,quotes]

Each stage's evaluation lives in bench/quality_<stage>.py; this runs them in turn, prints their
tables and writes bench/results/quality-<date>.json. The clean stage also prints its corpus test
split per genre (body retention, worst page, boilerplate-line F1, title, byline).
"""

from __future__ import annotations

import argparse
import importlib
import time
from pathlib import Path
from typing import Any

from bench._common import DEFAULT_SHARED, write_result

STAGES = ("clean", "entities", "topics", "summary", "quotes")


def main() -> None:
    """Run the selected stage evaluations."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--limit", type=int, default=None, help="cap the OrangeSum articles per evaluation")
    parser.add_argument("--only", default=",".join(STAGES))
    args = parser.parse_args()
    if not args.shared.exists():
        msg = f"{args.shared} not found: the quality bench needs the shared development data"
        raise SystemExit(msg)
    results: dict[str, Any] = {}
    for stage in [s.strip() for s in args.only.split(",") if s.strip()]:
        module = importlib.import_module(f"bench.quality_{stage}")
        print(f"\n=== {stage} ===", flush=True)
        started = time.perf_counter()
        results[stage] = module.evaluate(args.shared, args.limit)
        if stage == "clean":
            # The acceptance table: the untuned test split, genre by genre.
            module.print_genre_table(results[stage]["corpus"], "test")
        print(f"({stage}: {time.perf_counter() - started:.0f} s)", flush=True)
    print(f"\nwritten {write_result('quality', results)}")


if __name__ == "__main__":
    main()
