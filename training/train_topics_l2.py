"""Train the level-2 topic model shipped as service/data/topic_subtopics.npz (IPTC level 2 under each subject).

Labels: the level-2 proposals of training/topics_l2_rules.py (title and heading cues with a decisive
margin, finer OrangeSum sections), train split only. For each top-level subject, the subtopics with at
least MIN_EXAMPLES train proposals are classes; the subject's other proposals are pooled into an
"other" class (the model may say "none of these"), which is never shown. A subject with fewer than two
classes gets no model.

Model (read by service/pipeline/topics/stage.py, numpy only at runtime): per subject, a multinomial
logistic regression (scikit-learn lbfgs, class weights the balanced ones to the power
CLASS_WEIGHT_POWER, fixed seed) over the top-level model's own features (sublinear TF-IDF of content
words, headline twice; the vocabulary and idf of service/data/topic_model.npz, so the runtime computes
the TF-IDF vector once for both levels). A subtopic is shown when its probability reaches THRESHOLD.

Selection, on the dev split's hand labels only (training/data/topics_l2_gold.tsv; the test rows are
read once by bench/quality_topics.py): C from C_GRID, then THRESHOLD, the lowest of THRESHOLD_GRID whose
shown subtopics are right at least TARGET_PRECISION of the time. Scoring is conditional on the
item's hand-labelled subject (the level-2 question alone): a shown subtopic is right when it is one of
the item's acceptable level-2 codes.

    .venv/bin/python -m training.train_topics_l2 [--shared ../shared] [--cache /tmp/x.pkl] [--compare]
"""

from __future__ import annotations

import argparse
import functools
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from service.pipeline.topics.lexicon import Vocabulary, load_vocabulary
from service.pipeline.topics.stage import MAX_SUBTOPICS
from training.manifest import record, write_npz
from training.topics_data import CODES, DATA, DEFAULT_SHARED, Item, corpus, read_tsv
from training.train_topics import OUT as TOP_MODEL
from training.train_topics import class_weights, featurize, matrix

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "service" / "data" / "topic_subtopics.npz"
LABELS = DATA / "topics_l2_labels.tsv"
GOLD = DATA / "topics_l2_gold.tsv"
OTHER = "other"
MIN_EXAMPLES = 30
SEED = 13
CLASS_WEIGHT_POWER = 0.5
C = 4.0
C_GRID = (1.0, 4.0, 16.0)
TARGET_PRECISION = 0.85
"""Precision first: a wrong subtopic is worse than none. Dev (187 items, given the subject), the lowest
threshold reaching 0.85 (then 0.9) for each C: C=1 0.50 (P 0.875, R 0.633; 0.9: 0.60, R 0.508), C=4 0.50
(P 0.867, R 0.701; 0.9: 0.65, P 0.912, R 0.582), C=16 0.55 (P 0.869, R 0.712; 0.9: 0.75, R 0.582); the
lexicon-only rule it replaces: P 0.810, R 0.525. C=4: best recall at 0.9, within 0.01 of C=16 at 0.85,
more regularised. 0.85 rather than 0.9 because the stage also requires the joint probability (topic
score x this probability) to reach SUBTOPIC_MIN_SCORE, which is what holds end-to-end precision
(service/pipeline/topics/stage.py)."""
THRESHOLD_GRID = tuple(round(t, 2) for t in np.arange(0.3, 0.951, 0.05))


@dataclass(frozen=True, slots=True)
class GoldItem:
    """A hand-labelled item: its subject and acceptable level-2 codes (empty: none fits)."""

    id: str
    split: str
    subject: str
    accept: tuple[str, ...]


def gold(split: str) -> list[GoldItem]:
    """Hand-labelled level-2 items of one split, in file order."""
    return [
        GoldItem(row[0], row[1], row[2], () if row[3] == "-" else tuple(row[3].split(",")))
        for row in read_tsv(GOLD)
        if row[1] == split
    ]


def proposals() -> dict[str, str]:
    """Item id -> proposed level-2 code."""
    return {row[0]: row[2] for row in read_tsv(LABELS)}


def top_vocabulary() -> tuple[list[str], np.ndarray]:
    """Words and idf of the shipped top-level model (the level-2 model uses the same features)."""
    with np.load(TOP_MODEL, allow_pickle=False) as npz:
        return [str(w) for w in npz["words"]], npz["idf"].astype(np.float32)


def qualifying(train: Sequence[Item], labels: dict[str, str]) -> dict[str, list[str]]:
    """Subject -> its subtopics with at least MIN_EXAMPLES train proposals (sorted codes)."""
    counts = Counter((i.codes[0], labels[i.id]) for i in train if i.id in labels)
    out: dict[str, list[str]] = {}
    for (subject, code), n in sorted(counts.items()):
        if n >= MIN_EXAMPLES:
            out.setdefault(subject, []).append(code)
    return out


@dataclass
class SubjectModel:
    """One subject's classes and weights over the top-level vocabulary."""

    subject: str
    classes: list[str]
    coef: np.ndarray
    bias: np.ndarray

    def probs(self, x: sparse.csr_matrix) -> np.ndarray:
        """Class probabilities of the rows of x."""
        z = np.asarray(x @ self.coef.T) + self.bias
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)


def fit_all(
    train: Sequence[Item],
    labels: dict[str, str],
    features: dict[str, dict],
    index: dict[str, int],
    idf: np.ndarray,
    c: float,
) -> dict[str, SubjectModel]:
    """One model per subject with at least two classes (qualifying subtopics, plus "other")."""
    classes_of = qualifying(train, labels)
    models = {}
    for subject in CODES:
        keep = classes_of.get(subject, [])
        rows = [i for i in train if i.codes[0] == subject and i.id in labels]
        y = [labels[i.id] if labels[i.id] in keep else OTHER for i in rows]
        classes = sorted(set(y))
        if len(keep) < 1 or len(classes) < 2:
            continue
        x = matrix([features[i.id] for i in rows], index, idf, "")
        target = [classes.index(v) for v in y]
        weights = np.ones(len(target))
        model = LogisticRegression(
            C=c,
            max_iter=2000,
            class_weight=class_weights(target, weights, CLASS_WEIGHT_POWER),
            random_state=SEED,
        )
        model.fit(x, target)
        coef = model.coef_ if len(classes) > 2 else np.vstack([-model.coef_[0] / 2, model.coef_[0] / 2])
        bias = (
            model.intercept_
            if len(classes) > 2
            else np.asarray([-model.intercept_[0] / 2, model.intercept_[0] / 2])
        )
        models[subject] = SubjectModel(subject, classes, coef.astype(np.float32), bias.astype(np.float32))
    return models


def model_shown(
    models: dict[str, SubjectModel],
    items: Sequence[GoldItem],
    features: dict[str, dict],
    index: dict[str, int],
    idf: np.ndarray,
    threshold: float,
) -> list[list[str]]:
    """Subtopics the model shows under each item's hand-labelled subject."""
    out = []
    for g in items:
        m = models.get(g.subject)
        if m is None:
            out.append([])
            continue
        p = m.probs(matrix([features[g.id]], index, idf, ""))[0]
        order = np.argsort(-p, kind="stable")[:MAX_SUBTOPICS]
        out.append([m.classes[k] for k in order if p[k] >= threshold and m.classes[k] != OTHER])
    return out


LEXICON_MIN_HITS = 1.5
"""The baseline rule's least cue score (about two distinct cue words) for a subtopic to be named."""
LEXICON_SHARE_OF_BEST = 0.5
"""In the baseline rule, a second subtopic needs this share of the best one's cue score."""


@functools.cache
def _vocabulary() -> Vocabulary:
    return load_vocabulary()


def lexicon_shown(items: Sequence[GoldItem], features: dict[str, dict]) -> list[list[str]]:
    """Subtopics the cue lexicon alone shows (the stage's rule before the level-2 model)."""
    vocabulary = _vocabulary()
    out = []
    for g in items:
        lexicon = vocabulary.sublexicons.get(g.subject)
        if lexicon is None or not lexicon.concepts:
            out.append([])
            continue
        hits = lexicon.score(features[g.id]["counts"])
        best = float(hits.max())
        shown = []
        for k in np.argsort(-hits, kind="stable")[:MAX_SUBTOPICS]:
            value = float(hits[k])
            if best < LEXICON_MIN_HITS or value < LEXICON_MIN_HITS or value < LEXICON_SHARE_OF_BEST * best:
                break
            shown.append(lexicon.concepts[int(k)].code)
        out.append(shown)
    return out


def score(shown: Sequence[list[str]], items: Sequence[GoldItem]) -> dict:
    """Precision of shown subtopics, recall of items (one right subtopic shown), F1; per subtopic too.

    Per subtopic (the item's first acceptable code is its class): support, P (shown and acceptable / shown),
    R (items of the class where it was shown), F1.
    """
    n_shown = sum(len(s) for s in shown)
    right = sum(sum(c in g.accept for c in s) for s, g in zip(shown, items, strict=True))
    labelled = [g for g in items if g.accept]
    hit = sum(any(c in g.accept for c in s) for s, g in zip(shown, items, strict=True) if g.accept)
    p = right / n_shown if n_shown else 0.0
    r = hit / len(labelled) if labelled else 0.0
    per: dict[str, dict] = {}
    for s, g in zip(shown, items, strict=True):
        if g.accept:
            e = per.setdefault(g.accept[0], {"support": 0, "shown": 0, "right": 0, "found": 0})
            e["support"] += 1
            e["found"] += g.accept[0] in s
        for c in s:
            e = per.setdefault(c, {"support": 0, "shown": 0, "right": 0, "found": 0})
            e["shown"] += 1
            e["right"] += c in g.accept
    table = {}
    for code, e in sorted(per.items()):
        pp = e["right"] / e["shown"] if e["shown"] else 0.0
        rr = e["found"] / e["support"] if e["support"] else 0.0
        f1 = 2 * pp * rr / (pp + rr) if pp + rr else 0.0
        table[code] = {"support": e["support"], "shown": e["shown"], "p": pp, "r": rr, "f1": f1}
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"n": len(items), "shown": n_shown, "precision": p, "recall": r, "f1": f, "per_subtopic": table}


def pick_threshold(
    models: dict[str, SubjectModel],
    dev: Sequence[GoldItem],
    features: dict[str, dict],
    index: dict[str, int],
    idf: np.ndarray,
) -> float:
    """The lowest threshold of the grid with dev precision >= TARGET_PRECISION (the highest when none)."""
    for t in THRESHOLD_GRID:
        if score(model_shown(models, dev, features, index, idf, t), dev)["precision"] >= TARGET_PRECISION:
            return float(t)
    return float(THRESHOLD_GRID[-1])


def train(shared: Path, cache: Path | None, out: Path, do_compare: bool) -> dict:
    """Fit the per-subject models, pick C and the threshold on dev, write the npz."""
    items = corpus(shared)
    dev = gold("dev")
    by_id = {i.id: i for i in items}
    needed = [i for i in items if i.split == "train"] + [by_id[g.id] for g in dev]
    features = {r["id"]: r for r in featurize(needed, cache)}
    train_items = [i for i in items if i.split == "train"]
    labels = proposals()
    words, idf = top_vocabulary()
    index = {w: j for j, w in enumerate(words)}
    classes_of = qualifying(train_items, labels)
    print(f"subtopics with >= {MIN_EXAMPLES} train proposals: {sum(len(v) for v in classes_of.values())}")
    lex = score(lexicon_shown(dev, features), dev)
    print(
        f"dev ({len(dev)} items) lexicon only: P {lex['precision']:.3f} R {lex['recall']:.3f} F1 {lex['f1']:.3f} shown {lex['shown']}"
    )
    if do_compare:
        for c in C_GRID:
            models = fit_all(train_items, labels, features, index, idf, c)
            for t in THRESHOLD_GRID:
                s = score(model_shown(models, dev, features, index, idf, t), dev)
                print(
                    f"  C={c:<5} threshold {t:.2f}: P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f} shown {s['shown']}"
                )
    started = time.perf_counter()
    models = fit_all(train_items, labels, features, index, idf, C)
    threshold = pick_threshold(models, dev, features, index, idf)
    ours = score(model_shown(models, dev, features, index, idf, threshold), dev)
    print(
        f"fitted {len(models)} subject models in {time.perf_counter() - started:.0f}s; threshold {threshold:.2f}; "
        f"dev P {ours['precision']:.3f} R {ours['recall']:.3f} F1 {ours['f1']:.3f} shown {ours['shown']}"
    )
    subjects, offsets, classes, coefs, biases = [], [0], [], [], []
    for subject in CODES:
        m = models.get(subject)
        if m is None:
            continue
        subjects.append(subject)
        classes.extend(m.classes)
        coefs.append(m.coef)
        biases.append(m.bias)
        offsets.append(len(classes))
    out.parent.mkdir(parents=True, exist_ok=True)
    write_npz(
        out,
        subjects=np.asarray(subjects, dtype=str),
        offsets=np.asarray(offsets, dtype=np.int32),
        classes=np.asarray(classes, dtype=str),
        w_terms=np.ascontiguousarray(np.vstack(coefs).T).astype(np.float16),
        bias=np.concatenate(biases).astype(np.float32),
        threshold=np.float32(threshold),
        n_words=np.int32(len(words)),
    )
    record()
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")
    return {"dev": ours, "lexicon_dev": lex, "threshold": threshold}


def main() -> None:
    """Train (and optionally compare C and thresholds on dev) from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--cache", type=Path, default=None, help="pickle of the featurized corpus")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--compare", action="store_true", help="print dev figures for each C and threshold")
    args = parser.parse_args()
    train(args.shared, args.cache, args.out, args.compare)


if __name__ == "__main__":
    main()
