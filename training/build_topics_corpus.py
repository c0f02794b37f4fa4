"""Label OrangeSum desk articles with a bootstrap model: writes training/data/topics_model_labels.tsv.

The bootstrap model is a TF-IDF (word 1-2-grams, sublinear TF) + logistic regression (balanced
classes) trained on the *train* split of the gold items (mapped sections, hand labels, written
articles; see training/topics_data.py), secondary subjects as half-weight rows. It labels the desk
articles of `desk_pool` (OrangeSum train splits, train hash bucket, not hand-labelled): an article
is kept when its best subject has probability >= KEEP_PROB, with a second subject when that one
reaches SECOND_PROB; at most CAP_PER_SUBJECT per primary subject (in hash order), so the desks do not
swamp the rare subjects with politics. `--sample N` prints N labelled articles (hash order) to
check by hand; the verdicts are kept in training/data/topics_model_check.tsv.

    .venv/bin/python -m training.build_topics_corpus [--shared ../shared] [--sample 90]
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from training.topics_data import (
    CODES,
    DEFAULT_SHARED,
    MODEL_CHECK,
    MODEL_LABELS,
    desk_pool,
    gold_items,
    orangesum,
    read_tsv,
    train_codes,
)

SEED = 13
KEEP_PROB = 0.5
SECOND_PROB = 0.25
CAP_PER_SUBJECT = 600
C = 8.0


def _rows(items: list) -> tuple[list[str], list[int], list[float]]:
    texts, labels, weights = [], [], []
    for item in items:
        for rank, code in enumerate(train_codes(item)):
            texts.append(f"{item.title} {item.body}")
            labels.append(CODES.index(code))
            weights.append(1.0 if rank == 0 else 0.5)
    return texts, labels, weights


def build(shared: Path) -> list[tuple[str, str, float]]:
    """Train the bootstrap model and return (OrangeSum id, codes, probability) for kept desk articles."""
    articles = orangesum(shared)
    train = [i for i in gold_items(articles) if i.split == "train"]
    texts, labels, weights = _rows(train)
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=3, max_features=300_000)
    x = vectorizer.fit_transform(texts)
    model = LogisticRegression(C=C, max_iter=400, class_weight="balanced", random_state=SEED)
    model.fit(x, labels, sample_weight=np.asarray(weights))
    pool = desk_pool(articles)
    pool.sort(
        key=lambda a: hashlib.sha1(f"model-label:{a['id']}".encode(), usedforsecurity=False).hexdigest()
    )
    probs = model.predict_proba(
        vectorizer.transform([f"{a['title']} {a['heading']} {a['article']}" for a in pool])
    )
    kept: list[tuple[str, str, float]] = []
    per_subject: dict[int, int] = {}
    for a, p in zip(pool, probs, strict=True):
        order = np.argsort(-p)
        best = int(model.classes_[order[0]])
        if p[order[0]] < KEEP_PROB or per_subject.get(best, 0) >= CAP_PER_SUBJECT:
            continue
        per_subject[best] = per_subject.get(best, 0) + 1
        codes = [CODES[best][7:9]]
        if p[order[1]] >= SECOND_PROB:
            codes.append(CODES[int(model.classes_[order[1]])][7:9])
        kept.append((str(a["id"]), ",".join(codes), round(float(p[order[0]]), 3)))
    print(f"bootstrap model on {len(train)} gold train items; kept {len(kept)} of {len(pool)} desk articles")
    print(
        "kept per primary subject: "
        + ", ".join(f"{CODES[k][7:9]}:{n}" for k, n in sorted(per_subject.items()))
    )
    return sorted(kept, key=lambda r: int(r[0]))


def check_agreement(kept: list[tuple[str, str, float]]) -> tuple[int, int, int]:
    """Print and return (checked, same primary, model primary acceptable) over the hand-checked sample."""
    by_hand = {row[0]: row[1].split(",") for row in read_tsv(MODEL_CHECK)}
    checked = [(codes.split(",")[0], by_hand[i]) for i, codes, _ in kept if i in by_hand]
    same = sum(model == hand[0] for model, hand in checked)
    acceptable = sum(model in hand for model, hand in checked)
    print(
        f"hand check of {len(checked)} model labels: same primary {same}/{len(checked)}, "
        f"model's primary acceptable {acceptable}/{len(checked)}"
    )
    return len(checked), same, acceptable


def main() -> None:
    """Write the model labels (and optionally print a sample to check by hand)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--sample", type=int, default=0)
    args = parser.parse_args()
    kept = build(args.shared)
    header = (
        "# OrangeSum desk articles labelled by training/build_topics_corpus.py (bootstrap model):\n"
        "# id<TAB>codes (2 digits, primary first)<TAB>probability of the primary subject\n"
    )
    MODEL_LABELS.write_text(header + "".join(f"{i}\t{c}\t{p}\n" for i, c, p in kept), encoding="utf-8")
    print(f"wrote {MODEL_LABELS}")
    if args.sample:
        by_id = {str(a["id"]): a for a in orangesum(args.shared)}
        sample = sorted(
            kept, key=lambda r: hashlib.sha1(f"check:{r[0]}".encode(), usedforsecurity=False).hexdigest()
        )[: args.sample]
        for raw_id, codes, p in sample:
            a = by_id[raw_id]
            print(f"{raw_id}\t{codes}\t{p}\t{a['title'].strip()} || {a['heading'][:150].strip()}")
    if MODEL_CHECK.exists():
        check_agreement(kept)


if __name__ == "__main__":
    main()
