"""Pick the OrangeSum `heading_train` articles to annotate for tuning the quotes stage.

    python -m bench.quotes_orangesum_pick [--shared ../shared] [--count 50] [--seed 16]

Prints the ids of a seeded random sample of `heading_train` articles rich in quotes (at least two
«, fewer than 2,200 characters: the held-out set's own filter), leaving out the articles already in
`orangesum_dev.json`, any article also listed in a `*_valid` split, and any article whose text
shares a sentence with an article of the held-out `orangesum.json` or of the blind validation
slice `orangesum_val.json` (a reprint is not new data).
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

from bench._common import DEFAULT_SHARED, ROOT, orangesum_docs

DATA = ROOT / "bench" / "data" / "quotes"
_SENTENCE = re.compile(r"[^.!?»]{40,}")


def _sentences(text: str) -> set[str]:
    return {s.strip().lower() for s in _SENTENCE.findall(text)}


def pick(shared: Path, count: int, seed: int) -> list[str]:
    """Ids of the sampled articles, in id order."""
    tuned = {a["id"] for a in json.loads((DATA / "orangesum_dev.json").read_text("utf-8"))["articles"]}
    held = {a["id"] for a in json.loads((DATA / "orangesum.json").read_text("utf-8"))["articles"]}
    blind = {a["id"] for a in json.loads((DATA / "orangesum_val.json").read_text("utf-8"))["articles"]}
    valid = orangesum_docs(shared, "heading_valid")
    train = orangesum_docs(shared, "heading_train")
    held_sentences = set().union(
        *(_sentences(d["article"]) for d in valid if d["id"] in held),
        *(_sentences(d["article"]) for d in train if d["id"] in blind),
    )
    candidates = [
        d
        for d in train
        if d["article"].count("«") >= 2
        and len(d["article"]) < 2200
        and d["id"] not in tuned | held | blind
        and not any(s.endswith("_valid") for s in d["splits"])
        and not _sentences(d["article"]) & held_sentences
    ]
    chosen = random.Random(seed).sample(candidates, count)
    return sorted((d["id"] for d in chosen), key=int)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    print(" ".join(pick(args.shared, args.count, args.seed)))
