"""The IPTC vocabulary and the cue-word lexicon of the topic model, read from service/data/.

`iptc_topics.json` is derived from IPTC's export by bench/build_iptc.py; `topic_lexicon.json` holds
hand-written French cue words. A lexicon maps a folded word (see `lexicon_key`) to one weight per
concept: hand-written cues weigh 1, words of IPTC labels of the concept and its descendants weigh
0.5, and a word shared by several concepts is divided among them, so it says less about each.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from spacy.lang.fr.stop_words import STOP_WORDS

from service.data import DATA_DIR
from service.pipeline.text.fold import LETTER_WORD, plural_key

__all__ = ["Concept", "Lexicon", "Vocabulary", "load_vocabulary"]


_CUE_WEIGHT = 1.0
_LABEL_WEIGHT = 0.5
_MIN_LABEL_WORD = 4
# Cue hits are damped by log(e + words / this): a long text collects cues by sheer length.
_LENGTH_SCALE_WORDS = 50.0


@dataclass(frozen=True, slots=True)
class Concept:
    """One IPTC Media Topic: code, French and English label, and the words that cue it."""

    code: str
    label: str
    label_en: str
    label_words: tuple[str, ...]
    cues: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Folded word -> weight per concept, for one set of sibling concepts."""

    concepts: tuple[Concept, ...]
    weights: dict[str, npt.NDArray[np.float32]]

    @classmethod
    def build(cls, concepts: tuple[Concept, ...]) -> Lexicon:
        """Spread each cue and label word over the concepts that claim it."""
        raw: dict[str, dict[int, float]] = {}
        for i, concept in enumerate(concepts):
            for word, weight in [(w, _LABEL_WEIGHT) for w in concept.label_words] + [
                (w, _CUE_WEIGHT) for w in concept.cues
            ]:
                key = plural_key(word)
                slot = raw.setdefault(key, {})
                slot[i] = max(slot.get(i, 0.0), weight)
        weights = {}
        for key, per in raw.items():
            row = np.zeros(len(concepts), dtype=np.float32)
            for i, weight in per.items():
                row[i] = weight / len(per)
            weights[key] = row
        return cls(concepts=concepts, weights=weights)

    def score(self, counts: dict[str, float]) -> npt.NDArray[np.float32]:
        """Sublinear weighted cue hits per concept, scaled down for long texts."""
        total = np.zeros(len(self.concepts), dtype=np.float32)
        n_words = 0.0
        for word, count in counts.items():
            n_words += count
            row = self.weights.get(plural_key(word))
            if row is not None:
                total += row * (1.0 + math.log(count))
        return total / math.log(math.e + n_words / _LENGTH_SCALE_WORDS)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The 17 top-level topics, their level-2 children, and the lexicons over both."""

    topics: tuple[Concept, ...]
    subtopics: dict[str, tuple[Concept, ...]]
    lexicon: Lexicon
    sublexicons: dict[str, Lexicon]


def _label_words(labels: list[str]) -> tuple[str, ...]:
    words = {
        w
        for label in labels
        for w in LETTER_WORD.findall(label.lower())
        if len(w) >= _MIN_LABEL_WORD and w not in STOP_WORDS
    }
    return tuple(sorted(words))


def load_vocabulary(data: Path = DATA_DIR) -> Vocabulary:
    """Read the IPTC vocabulary and the cue lexicon once (at worker start)."""
    iptc = json.loads((data / "iptc_topics.json").read_text(encoding="utf-8"))
    cues = json.loads((data / "topic_lexicon.json").read_text(encoding="utf-8"))
    topics = []
    subtopics: dict[str, tuple[Concept, ...]] = {}
    for top in iptc["topics"]:
        topics.append(
            Concept(
                code=top["code"],
                label=top["label"],
                label_en=top["label_en"],
                label_words=_label_words([top["label"], *top["terms"]]),
                cues=tuple(cues["topics"].get(top["code"], [])),
            )
        )
        subtopics[top["code"]] = tuple(
            Concept(
                code=sub["code"],
                label=sub["label"],
                label_en=sub["label_en"],
                label_words=_label_words([sub["label"], *sub["terms"]]),
                cues=tuple(cues["subtopics"].get(sub["code"], [])),
            )
            for sub in top["subtopics"]
        )
    top_tuple = tuple(topics)
    return Vocabulary(
        topics=top_tuple,
        subtopics=subtopics,
        lexicon=Lexicon.build(top_tuple),
        sublexicons={code: Lexicon.build(subs) for code, subs in subtopics.items()},
    )
