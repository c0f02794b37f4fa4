"""Features of an article for the topic model, shared by the runtime and training/train_topics.py.

Both sides must see the same features, so training imports these functions rather than copying them.
They read only what the tokenizer and the static vectors give (lowercase forms, the stop flag, vector
rows), so a Doc made by `nlp.make_doc` and one made by the full pipeline give identical features.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from service.pipeline.text.vectors import mean_vector, vector_width

__all__ = ["TITLE_WEIGHT", "content_words", "term_counts", "tfidf", "word_vector"]

TITLE_WEIGHT = 2.0
"""A headline word counts as much as two body words: editors put the subject in it."""

_MIN_CHARS = 2


def content_words(tokens: Iterable[Token]) -> list[str]:
    """Lowercase forms of the alphabetic, non-stop-word tokens."""
    return [t.lower_ for t in tokens if t.is_alpha and not t.is_stop and len(t) >= _MIN_CHARS]


def term_counts(doc: Doc, title: Doc | None) -> dict[str, float]:
    """Weighted counts of content words of the body and (weighted higher) the headline."""
    counts: dict[str, float] = {}
    for word in content_words(doc):
        counts[word] = counts.get(word, 0.0) + 1.0
    if title is not None:
        for word in content_words(title):
            counts[word] = counts.get(word, 0.0) + TITLE_WEIGHT
    return counts


def tfidf(
    counts: dict[str, float], index: dict[str, int], idf: npt.NDArray[np.float32]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    """Sparse L2-normalised sublinear TF-IDF of `counts` over the model vocabulary `index`."""
    cols: list[int] = []
    vals: list[float] = []
    for word, count in counts.items():
        col = index.get(word)
        if col is not None:
            cols.append(col)
            vals.append(1.0 + math.log(count))
    col_arr = np.asarray(cols, dtype=np.int64)
    val_arr = np.asarray(vals, dtype=np.float32) * idf[col_arr]
    norm = float(np.linalg.norm(val_arr))
    if norm > 0.0:
        val_arr /= norm
    return col_arr, val_arr


def word_vector(vocab: Vocab, docs: Iterable[Doc | None]) -> npt.NDArray[np.float32]:
    """Unit-length mean static vector of the content tokens of `docs` (zeros when none has one)."""
    width = vector_width(vocab)
    orths = [t.orth for d in docs if d is not None for t in d if t.is_alpha and not t.is_stop]
    mean = mean_vector(vocab, orths)
    if mean is None:
        return np.zeros(max(width, 1), dtype=np.float32)
    norm = float(np.linalg.norm(mean))
    return mean / np.float32(norm) if norm > 0.0 else mean
