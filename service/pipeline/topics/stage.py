"""Stage 5a: IPTC Media Topics for the article, with level-2 subtopics where the text is clear.

Method (trained by training/train_topics.py, shipped as service/data/topic_model.npz):

- Features, read from the Doc's tokens only (no second spaCy pass; the headline goes through the
  tokenizer alone): sublinear TF-IDF of lowercase content words, headline words counted twice (the
  model file may add the unit mean static word vector; the shipped one does not: it did not help).
- One multinomial logistic regression over the 17 top-level subjects (class weights the balanced ones
  to the power 0.5), learnt from a labelled corpus covering all of them (OrangeSum sections, hand-
  and model-labelled desk articles, articles written for the project; see training/topics_data.py).
  P(topic) = softmax(logits / T), the temperature T fitted on the dev split, so a score reads as a
  probability.
- Topics: best first, every topic with P >= `TOPIC_THRESHOLD`, at least one, at most `max_topics`.
- Subtopics (the `subtopics` list of a returned topic, level 2 of IPTC): the lexicon of the
  topic's level-2 children (their French labels and descendants' labels, plus cues) is matched on
  the text. A child is returned only when it is confident: its cue score is at least
  `SUBTOPIC_MIN_HITS` and at least half the best sibling's, at most `MAX_SUBTOPICS` of them; its
  score is the topic's score times its share of the siblings' cue score.

Vocabulary: IPTC Media Topics, iptc.org/standards/newscodes (CC BY 4.0).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from service.data import DATA_DIR
from service.model import Subtopic, Topic
from service.pipeline.article import Article, StageResources, need
from service.pipeline.topics.features import term_counts, tfidf, word_vector
from service.pipeline.topics.lexicon import Vocabulary, load_vocabulary

__all__ = [
    "MAX_SUBTOPICS",
    "SUBTOPIC_MIN_HITS",
    "TOPIC_THRESHOLD",
    "TopicClassifier",
    "TopicsStage",
]

TOPIC_THRESHOLD = 0.2
"""A topic after the first is returned when its calibrated probability reaches this."""

SUBTOPIC_MIN_HITS = 1.5
"""Least cue score (about two distinct cue words) for a level-2 topic to be named."""

MAX_SUBTOPICS = 2
"""At most this many level-2 topics under one top-level topic."""

SUBTOPIC_SHARE_OF_BEST = 0.5
"""A second subtopic needs at least this share of the best one's cue score."""

MODEL_FILE = "topic_model.npz"


@dataclass(frozen=True, slots=True)
class _Weights:
    codes: tuple[str, ...]
    index: dict[str, int]
    idf: npt.NDArray[np.float32]
    w_terms: npt.NDArray[np.float32]
    w_dense: npt.NDArray[np.float32]
    bias: npt.NDArray[np.float32]
    temperature: float
    vector_scale: float

    @classmethod
    def read(cls, path: Path) -> _Weights:
        with np.load(path, allow_pickle=False) as npz:
            return cls(
                codes=tuple(str(c) for c in npz["codes"]),
                index={str(w): i for i, w in enumerate(npz["words"])},
                idf=npz["idf"].astype(np.float32),
                w_terms=npz["w_terms"].astype(np.float32),
                w_dense=npz["w_dense"].astype(np.float32),
                bias=npz["bias"].astype(np.float32),
                temperature=float(npz["temperature"]),
                vector_scale=float(npz["vector_scale"]),
            )


def _softmax(z: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    e: npt.NDArray[np.float32] = np.exp(z - z.max())
    return np.asarray(e / e.sum(), dtype=np.float32)


class TopicClassifier:
    """Assigns top-level IPTC Media Topics; loaded once per worker."""

    def __init__(self, nlp: Language, vocabulary: Vocabulary, weights: _Weights) -> None:
        if weights.codes != tuple(t.code for t in vocabulary.topics):
            msg = "topic_model.npz and iptc_topics.json list different topics"
            raise ValueError(msg)
        self._tokenizer = nlp.tokenizer
        self._vocab: Vocab = nlp.vocab
        self._vocabulary = vocabulary
        self._w = weights

    @classmethod
    def load(cls, nlp: Language, data: Path = DATA_DIR) -> TopicClassifier:
        """Load the shipped topic model for use with `nlp`'s vectors."""
        return cls(nlp, load_vocabulary(data), _Weights.read(data / MODEL_FILE))

    def classify(self, doc: Doc, title: str | None, max_topics: int) -> list[Topic]:
        """Return 1 to `max_topics` topics, best first, each with its confident subtopics."""
        title_doc = self._title(title)
        counts = term_counts(doc, title_doc)
        probs = self._probabilities(counts, doc, title_doc)
        order = np.argsort(-probs, kind="stable")
        topics = []
        for rank, k in enumerate(order[: max(max_topics, 1)]):
            score = float(probs[k])
            if rank > 0 and score < TOPIC_THRESHOLD:
                break
            concept = self._vocabulary.topics[int(k)]
            topics.append(
                Topic(
                    code=concept.code,
                    label=concept.label,
                    label_en=concept.label_en,
                    score=round(score, 4),
                    subtopics=self._subtopics(concept.code, counts, score),
                )
            )
        return topics

    def probabilities(self, doc: Doc, title: str | None) -> npt.NDArray[np.float32]:
        """Calibrated probabilities of the 17 top-level topics, in IPTC order (they sum to 1)."""
        title_doc = self._title(title)
        return self._probabilities(term_counts(doc, title_doc), doc, title_doc)

    def _title(self, title: str | None) -> Doc | None:
        return self._tokenizer(title) if title else None

    def _probabilities(
        self, counts: dict[str, float], doc: Doc, title: Doc | None
    ) -> npt.NDArray[np.float32]:
        w = self._w
        cols, vals = tfidf(counts, w.index, w.idf)
        logits = vals @ w.w_terms[cols] + w.bias
        if w.w_dense.shape[0]:
            logits = logits + word_vector(self._vocab, [doc, title]) * np.float32(w.vector_scale) @ w.w_dense
        return _softmax(np.asarray(logits / w.temperature, dtype=np.float32))

    def _subtopics(self, code: str, counts: dict[str, float], score: float) -> list[Subtopic]:
        lexicon = self._vocabulary.sublexicons.get(code)
        if lexicon is None or not lexicon.concepts:
            return []
        hits = lexicon.score(counts)
        total = float(hits.sum())
        best = float(hits.max())
        if best < SUBTOPIC_MIN_HITS:
            return []
        out = []
        for k in np.argsort(-hits, kind="stable")[:MAX_SUBTOPICS]:
            value = float(hits[k])
            if value < SUBTOPIC_MIN_HITS or value < SUBTOPIC_SHARE_OF_BEST * best:
                break
            concept = lexicon.concepts[int(k)]
            out.append(
                Subtopic(
                    code=concept.code,
                    label=concept.label,
                    label_en=concept.label_en,
                    score=round(score * value / total, 4),
                )
            )
        return out


class TopicsStage:
    """Stage: IPTC Media Topics of the article, from the Doc's tokens (no second pass)."""

    name = "topics"
    version = "3"
    data_files = ("iptc_topics.json", "topic_lexicon.json", MODEL_FILE)

    def __init__(self) -> None:
        self._classifier: TopicClassifier | None = None

    def load(self, resources: StageResources) -> None:
        """Load the topic model for use with the pipeline's tokenizer and vectors."""
        self._classifier = TopicClassifier.load(resources.nlp)

    def __call__(self, article: Article) -> None:
        """Fill `topics`."""
        classifier = need(self._classifier, "the topic model")
        doc = need(article.doc, "the parsed body")
        title = need(article.cleaned, "the cleaned body").title
        article.topics = classifier.classify(doc, title, article.options.max_topics)
