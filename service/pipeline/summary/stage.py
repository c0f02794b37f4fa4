"""Stage 6: extractive summary sentences with exact body offsets (issue 6)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from spacy.tokens import Doc

from service.data import DATA_DIR
from service.model import Entity, Keyphrase, Paragraph, SummarySentence
from service.pipeline.article import Article, StageResources, need
from service.pipeline.summary.features import FEATURES, Candidates, SummaryVocabulary, features
from service.pipeline.text.doc import doc_text

__all__ = ["SUMMARY_DATA", "SummaryModel", "SummaryStage", "load_summary_model", "summarize"]

SUMMARY_DATA = DATA_DIR / "summary.json"
"""The shipped sentence-scoring weights and word lists."""

_LEDE_FROM = 2
"""A summary of this many sentences or more always includes the lede."""


@dataclass(frozen=True, slots=True)
class SummaryModel:
    """Linear sentence scorer plus the redundancy penalty used when picking several sentences."""

    weights: NDArray[np.float64]
    bias: float
    weights_after_lede: NDArray[np.float64]
    bias_after_lede: float
    redundancy: float
    duplicate: float
    vocabulary: SummaryVocabulary

    @classmethod
    def from_file(cls, path: Path) -> SummaryModel:
        """Read the model from its JSON file; its feature list must match the code's."""
        data = json.loads(path.read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURES:
            msg = f"{path} was fitted for features {data['features']}, the code has {list(FEATURES)}"
            raise ValueError(msg)
        return cls(
            weights=np.asarray(data["weights"], dtype=float),
            bias=float(data["bias"]),
            weights_after_lede=np.asarray(data["weights_after_lede"], dtype=float),
            bias_after_lede=float(data["bias_after_lede"]),
            redundancy=float(data["redundancy"]),
            duplicate=float(data["duplicate_similarity"]),
            vocabulary=SummaryVocabulary(
                attribution_lemmas=frozenset(data["attribution_lemmas"]),
                anaphora_starts=frozenset(data["anaphora_starts"]),
            ),
        )

    def pick(self, candidates: Candidates, count: int) -> list[tuple[int, float]]:
        """Choose up to `count` eligible sentences by score with MMR; (index, score) in article order."""
        raw = candidates.matrix @ self.weights + self.bias
        allowed = [i for i in range(len(raw)) if candidates.eligible[i]]
        chosen: list[int] = []
        rank = raw
        # The news lede says what happened: it is always one of several picks, and the
        # others are ranked by weights fitted without the lede column.
        if count >= _LEDE_FROM and candidates.lede is not None:
            chosen.append(candidates.lede)
            rank = candidates.matrix @ self.weights_after_lede + self.bias_after_lede
        while len(chosen) < count:
            best, best_value = -1, -math.inf
            for i in allowed:
                if i in chosen:
                    continue
                penalty = max((float(candidates.similarity[i, j]) for j in chosen), default=0.0)
                if penalty >= self.duplicate:
                    # Says again what a picked sentence says: never worth a place.
                    continue
                value = float(rank[i]) - self.redundancy * penalty
                if value > best_value:
                    best, best_value = i, value
            if best < 0:
                break
            chosen.append(best)
        if not chosen:
            return []
        # Scores are odds relative to the article's best sentence: 1.0 for it, lower for others.
        best_raw = max(float(raw[i]) for i in allowed)
        return [(i, math.exp(float(raw[i]) - best_raw)) for i in sorted(chosen)]


def load_summary_model(path: Path = SUMMARY_DATA) -> SummaryModel:
    """Read the summary model (the summary stage does it once per process)."""
    return SummaryModel.from_file(path)


def summarize(
    doc: Doc,
    paragraphs: list[Paragraph],
    entities: list[Entity],
    keyphrases: list[Keyphrase],
    sentences: int,
    *,
    model: SummaryModel,
    title: str | None = None,
) -> list[SummarySentence]:
    """Return up to `sentences` key sentences of the body in article order, with offsets and scores.

    The headline, when given, is read too: sentences that repeat or echo it score higher.
    """
    candidates = features(doc, paragraphs, entities, keyphrases, model.vocabulary, title=title)
    body = doc_text(doc)
    summary = []
    for i, score in model.pick(candidates, sentences):
        sentence = candidates.sentences[i]
        summary.append(
            SummarySentence(
                start=sentence.start,
                end=sentence.end,
                text=body[sentence.start : sentence.end],
                score=round(min(1.0, max(0.0, score)), 4),
            )
        )
    return summary


class SummaryStage:
    """Stage: the key sentences of the body, in article order."""

    name = "summary"
    version = "1"
    data_files = (SUMMARY_DATA.name,)

    def __init__(self) -> None:
        self._model: SummaryModel | None = None

    def load(self, resources: StageResources) -> None:
        """Read the sentence-scoring weights."""
        self._model = load_summary_model()

    def __call__(self, article: Article) -> None:
        """Fill `summary` (after entities and keyphrases, which its features read)."""
        cleaned = need(article.cleaned, "the cleaned body")
        article.summary = summarize(
            need(article.doc, "the parsed body"),
            cleaned.paragraphs,
            article.entities,
            article.keyphrases,
            article.options.summary_sentences,
            model=need(self._model, "the summary model"),
            title=cleaned.title,
        )
