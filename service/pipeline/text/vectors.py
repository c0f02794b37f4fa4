"""Mean static word vectors read from the model's vector table (no second pipeline pass)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from spacy.vocab import Vocab

__all__ = ["mean_vector", "vector_width"]


def vector_width(vocab: Vocab) -> int:
    """Width of the model's static vectors, 0 when it has none."""
    vectors = vocab.vectors
    return int(vectors.shape[1]) if vectors.shape[0] else 0


def mean_vector(vocab: Vocab, keys: Sequence[int]) -> npt.NDArray[np.float32] | None:
    """Mean (in float32, as the table stores them) of the vectors of the orth ids that have one, else None."""
    vectors = vocab.vectors
    if not keys or vectors.shape[0] == 0:
        return None
    rows = np.asarray(vectors.find(keys=list(keys)))
    rows = rows[rows >= 0]
    if rows.size == 0:
        return None
    mean: npt.NDArray[np.float32] = np.asarray(vectors.data[rows], dtype=np.float32).mean(axis=0)
    return mean
