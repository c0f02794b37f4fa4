"""Fit the summary stage's sentence weights in service/data/summary.json.

    python -m training.fit_summary [--shared ../shared] [--size 2000] [--seed 13]

Logistic regression on OrangeSum `heading_train` articles (Kamal Eddine, Tixier, Vazirgiannis,
EMNLP 2021; CC BY-SA 4.0): each eligible sentence's features, labelled 1 for the sentence with the
best ROUGE-L against the editors' `heading`. Never fitted on the valid articles the bench reports.
The same data, size and seed write the same file.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import numpy as np
from rouge_score import rouge_scorer
from spacy.language import Language

from bench.quality_summary import (
    DEFAULT_SHARED,
    LEXICON,
    STOPLIST,
    FrenchRougeTokenizer,
    orangesum,
    parsed_docs,
    restore_breaks,
    rouge,
)
from service.pipeline.entities import extract_entities
from service.pipeline.keyphrases import extract_keyphrases
from service.pipeline.nlp import load_pipeline
from service.pipeline.summary.features import FEATURES, SummaryVocabulary, features
from service.pipeline.summary.stage import SUMMARY_DATA
from service.settings import NlpSettings
from training.manifest import record

TRAIN_SIZE = 2000


def fit(shared: Path, nlp: Language, size: int = TRAIN_SIZE, seed: int = 13) -> None:
    """Refit the linear weights on `heading_train`: logistic regression on the ROUGE-L-best sentence."""
    # Only the word lists are read: the stored weights may be for another feature list.
    data = json.loads(SUMMARY_DATA.read_text(encoding="utf-8"))
    vocabulary = SummaryVocabulary(
        attribution_lemmas=frozenset(data["attribution_lemmas"]),
        anaphora_starts=frozenset(data["anaphora_starts"]),
    )
    rows = orangesum(shared, "heading_train")
    random.Random(seed).shuffle(rows)
    rows = rows[:size]
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], tokenizer=FrenchRougeTokenizer())
    prepared = [restore_breaks(r["article"]) for r in rows]
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    for row, (body, paragraphs), doc in zip(
        rows, prepared, parsed_docs(nlp, (p[0] for p in prepared)), strict=True
    ):
        entities = extract_entities(doc, LEXICON, row["title"])
        keyphrases = extract_keyphrases(doc, entities, 10, STOPLIST)
        candidates = features(doc, paragraphs, entities, keyphrases, vocabulary, title=row["title"])
        keep = np.flatnonzero(candidates.eligible)
        if keep.size < 2:
            continue
        gains = np.array(
            [
                rouge(
                    scorer, body[candidates.sentences[i].start : candidates.sentences[i].end], row["heading"]
                )["rougeL"]
                for i in keep
            ]
        )
        xs.append(candidates.matrix[keep])
        ys.append((gains >= gains.max() - 1e-9).astype(int))
    write_weights(np.vstack(xs), np.concatenate(ys))
    print(f"fitted on {len(xs)} articles")


def write_weights(x: np.ndarray, y: np.ndarray) -> None:
    """Fit the logistic sentence scorers and store them in the data file.

    `weights` rank every sentence (a one-sentence summary); `weights_after_lede` leave the
    lede column out and rank the picks that join the lede, which the stage keeps by rule.
    """
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415

    data = json.loads(SUMMARY_DATA.read_text(encoding="utf-8"))
    data["features"] = list(FEATURES)
    used = [i for i, name in enumerate(FEATURES) if name != "lede"]
    for suffix, columns in (("", list(range(len(FEATURES)))), ("_after_lede", used)):
        classifier = LogisticRegression(C=1.0, max_iter=3000)
        classifier.fit(x[:, columns], y)
        weights = np.zeros(len(FEATURES))
        weights[columns] = classifier.coef_[0]
        data[f"weights{suffix}"] = [round(float(w), 4) for w in weights]
        data[f"bias{suffix}"] = round(float(classifier.intercept_[0]), 4)
        print(f"weights{suffix}: bias {data[f'bias{suffix}']:+.3f}")
        for name, weight in zip(FEATURES, data[f"weights{suffix}"], strict=True):
            print(f"  {name:20s} {weight:+.3f}")
    SUMMARY_DATA.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    record()


def main() -> None:
    """Fit and write the weights."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--size", type=int, default=TRAIN_SIZE)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    fit(args.shared, load_pipeline(NlpSettings().model), size=args.size, seed=args.seed)


if __name__ == "__main__":
    main()
