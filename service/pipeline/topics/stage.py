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
- Subtopics (the `subtopics` list of a returned topic, level 2 of IPTC): one multinomial logistic
  regression per top-level subject over the same TF-IDF vector (computed once), trained by
  training/train_topics_l2.py on level-2 labels proposed from title and heading cues and finer
  OrangeSum sections (training/topics_l2_rules.py), for the 40 subtopics with at least 30 training
  examples; each subject's other subtopics are pooled into an "other" class, never shown. A subtopic is
  returned when its probability under the topic reaches the model's threshold (0.5, chosen on
  hand-labelled dev articles for precision >= 0.85 given the right topic) and its score, the topic's
  score times that probability, reaches `SUBTOPIC_MIN_SCORE`; at most `MAX_SUBTOPICS`. It replaced
  the cue-lexicon rule (dev, end to end: precision 0.62 -> 0.81, recall 0.49 -> 0.50; given the right
  topic: 0.81 -> 0.87 and 0.53 -> 0.70).

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
    "SUBTOPIC_MIN_SCORE",
    "TOPIC_THRESHOLD",
    "TopicClassifier",
    "TopicsStage",
]

TOPIC_THRESHOLD = 0.2
"""A topic after the first is returned when its calibrated probability reaches this."""

MAX_SUBTOPICS = 2
"""At most this many level-2 topics under one top-level topic."""

MODEL_FILE = "topic_model.npz"
SUBTOPIC_MIN_SCORE = 0.4
"""A subtopic is shown only when its score (topic probability x subtopic probability under the topic) reaches
this. Without it, a weak second topic brings its likeliest child (human interest -> celebrities above all).
Dev, end to end (every returned topic's subtopics, 187 hand-labelled articles; threshold under the topic
0.5): no gate P 0.592 R 0.616, 0.3 P 0.731 R 0.537, 0.4 P 0.807 R 0.497, 0.5 P 0.842 R 0.452. The lexicon
rule it replaced: P 0.624 R 0.492 (0.753 R 0.407 when gated at topic score 0.6, its best)."""

SUBTOPIC_FILE = "topic_subtopics.npz"
_OTHER = "other"


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


@dataclass(frozen=True, slots=True)
class _SubWeights:
    """Per-subject level-2 models: subject -> (first, end) columns of `classes`, `w_terms` and `bias`."""

    spans: dict[str, tuple[int, int]]
    classes: tuple[str, ...]
    w_terms: npt.NDArray[np.float32]
    bias: npt.NDArray[np.float32]
    threshold: float

    @classmethod
    def read(cls, path: Path) -> _SubWeights:
        with np.load(path, allow_pickle=False) as npz:
            offsets = [int(o) for o in npz["offsets"]]
            return cls(
                spans={str(s): (offsets[n], offsets[n + 1]) for n, s in enumerate(npz["subjects"])},
                classes=tuple(str(c) for c in npz["classes"]),
                w_terms=npz["w_terms"].astype(np.float32),
                bias=npz["bias"].astype(np.float32),
                threshold=float(npz["threshold"]),
            )


def _softmax(z: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    e: npt.NDArray[np.float32] = np.exp(z - z.max())
    return np.asarray(e / e.sum(), dtype=np.float32)


class TopicClassifier:
    """Assigns top-level IPTC Media Topics; loaded once per worker."""

    def __init__(
        self, nlp: Language, vocabulary: Vocabulary, weights: _Weights, sub_weights: _SubWeights
    ) -> None:
        if weights.codes != tuple(t.code for t in vocabulary.topics):
            msg = "topic_model.npz and iptc_topics.json list different topics"
            raise ValueError(msg)
        if sub_weights.w_terms.shape[0] != weights.w_terms.shape[0]:
            msg = "topic_subtopics.npz and topic_model.npz have different vocabularies"
            raise ValueError(msg)
        self._tokenizer = nlp.tokenizer
        self._vocab: Vocab = nlp.vocab
        self._vocabulary = vocabulary
        self._w = weights
        self._sub = sub_weights
        self._concepts = {c.code: c for subs in vocabulary.subtopics.values() for c in subs}

    @classmethod
    def load(cls, nlp: Language, data: Path = DATA_DIR) -> TopicClassifier:
        """Load the shipped topic model for use with `nlp`'s vectors."""
        return cls(
            nlp,
            load_vocabulary(data),
            _Weights.read(data / MODEL_FILE),
            _SubWeights.read(data / SUBTOPIC_FILE),
        )

    def classify(self, doc: Doc, title: str | None, max_topics: int) -> list[Topic]:
        """Return 1 to `max_topics` topics, best first, each with its confident subtopics."""
        title_doc = self._title(title)
        counts = term_counts(doc, title_doc)
        cols, vals = tfidf(counts, self._w.index, self._w.idf)
        probs = self._probabilities(cols, vals, doc, title_doc)
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
                    subtopics=self._subtopics(concept.code, cols, vals, score),
                )
            )
        return topics

    def probabilities(self, doc: Doc, title: str | None) -> npt.NDArray[np.float32]:
        """Calibrated probabilities of the 17 top-level topics, in IPTC order (they sum to 1)."""
        title_doc = self._title(title)
        cols, vals = tfidf(term_counts(doc, title_doc), self._w.index, self._w.idf)
        return self._probabilities(cols, vals, doc, title_doc)

    def subtopics_under(self, doc: Doc, title: str | None, code: str) -> list[Subtopic]:
        """The subtopics `classify` would give under top-level topic `code`, scored as if it had score 1."""
        counts = term_counts(doc, self._title(title))
        cols, vals = tfidf(counts, self._w.index, self._w.idf)
        return self._subtopics(code, cols, vals, 1.0)

    def _title(self, title: str | None) -> Doc | None:
        return self._tokenizer(title) if title else None

    def _probabilities(
        self, cols: npt.NDArray[np.int64], vals: npt.NDArray[np.float32], doc: Doc, title: Doc | None
    ) -> npt.NDArray[np.float32]:
        w = self._w
        logits = vals @ w.w_terms[cols] + w.bias
        if w.w_dense.shape[0]:
            logits = logits + word_vector(self._vocab, [doc, title]) * np.float32(w.vector_scale) @ w.w_dense
        return _softmax(np.asarray(logits / w.temperature, dtype=np.float32))

    def _subtopics(
        self, code: str, cols: npt.NDArray[np.int64], vals: npt.NDArray[np.float32], score: float
    ) -> list[Subtopic]:
        span = self._sub.spans.get(code)
        if span is None:
            return []
        first, end = span
        probs = _softmax(vals @ self._sub.w_terms[cols, first:end] + self._sub.bias[first:end])
        out = []
        for k in np.argsort(-probs, kind="stable")[:MAX_SUBTOPICS]:
            value = float(probs[k])
            if value < self._sub.threshold or score * value < SUBTOPIC_MIN_SCORE:
                break
            sub_code = self._sub.classes[first + int(k)]
            if sub_code == _OTHER:
                continue
            concept = self._concepts[sub_code]
            out.append(
                Subtopic(
                    code=concept.code,
                    label=concept.label,
                    label_en=concept.label_en,
                    score=round(score * value, 4),
                )
            )
        return out


class TopicsStage:
    """Stage: IPTC Media Topics of the article, from the Doc's tokens (no second pass)."""

    name = "topics"
    version = "5"
    data_files = ("iptc_topics.json", "topic_lexicon.json", MODEL_FILE, SUBTOPIC_FILE)

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
