"""Memory bench: a worker's RSS must not grow with the number of distinct articles it has seen.

    python -m bench.memory [--articles 5000] [--batch 16]

Runs the whole pipeline in-process over distinct generated articles (sentences of OrangeSum
articles, or of the test fixtures, each article salted with never-seen names and numbers so the
spaCy StringStore would grow without `memory_zone`). Passes when RSS after the last article is
within 50 MB of RSS after the first 500.
"""

from __future__ import annotations

import argparse
import random
import re
import time
from pathlib import Path

from bench._common import DEFAULT_SHARED, article_texts, print_table, write_result
from service.model import EnrichOptions
from service.pipeline.article import Article
from service.pipeline.chain import Pipeline, prepare_input
from service.resources import build_pipeline
from service.settings import NlpSettings

_SYLLABLES = ["ka", "lo", "mi", "ran", "tev", "zou", "bri", "dal", "nor", "pel", "quin", "sar", "vek", "yul"]


def rss_mb() -> float:
    """Resident memory of this process in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


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


def _admitted(pipeline: Pipeline, text: str) -> Article:
    """An article prepared and admitted as the engine does (id left empty: nothing is cached)."""
    prepared = prepare_input(text, None, 200_000)
    article = Article(id="", text=prepared.text, title=prepared.title, options=EnrichOptions())
    pipeline.admit(article)
    return article


def main() -> None:
    """Enrich the articles and sample RSS along the way."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--articles", type=int, default=5_000)
    parser.add_argument("--batch", type=int, default=16)
    args = parser.parse_args()
    rng = random.Random(11)
    sentences = [
        s
        for text in article_texts(args.shared, 300)
        for s in re.split(r"(?<=[.!?])\s+", text)
        if 40 < len(s) < 300
    ]
    articles = generate(sentences, args.articles, rng)
    pipeline = build_pipeline(NlpSettings())
    samples: list[list[object]] = []
    baseline = None
    started = time.perf_counter()
    for start in range(0, len(articles), args.batch):
        chunk = [_admitted(pipeline, t) for t in articles[start : start + args.batch]]
        pipeline.enrich_many(chunk)
        done = start + len(chunk)
        if done % 500 < args.batch or done == len(articles):
            rss = rss_mb()
            if baseline is None and done >= 500:
                baseline = rss
            samples.append(
                [
                    done,
                    round(rss, 1),
                    len(pipeline.nlp.vocab.strings),
                    round(time.perf_counter() - started, 1),
                ]
            )
            print(
                f"{done} articles: RSS {rss:.1f} MB, StringStore {len(pipeline.nlp.vocab.strings)}",
                flush=True,
            )
    final = samples[-1][1]
    growth = round(float(final) - (baseline or float(final)), 1)
    passed = growth <= 50.0
    print()
    print_table(samples, ["articles", "RSS MB", "StringStore", "elapsed s"])
    print(
        f"\nRSS growth from article 500 to {args.articles}: {growth} MB (limit 50 MB): {'ok' if passed else 'MISSED'}"
    )
    result = {"samples": samples, "growth_mb": growth, "passed": passed, "articles": args.articles}
    print(f"written {write_result('memory', result)}")
    if not passed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
