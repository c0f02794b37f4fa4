"""Entity clusters against the gold seeds, with raw spaCy as the peer, plus the stage's cost.

    python -m bench.quality_entities [--shared ../shared] [--limit N] [--verbose]

`--limit` caps the OrangeSum articles used for the timing (default 40); all gold seeds are scored.

A gold cluster is found when a returned cluster of the same label shares a mention surface
form with it (compared case-folded, one kind of apostrophe); each returned cluster matches
at most one gold cluster, and a returned cluster that only hits an already found gold
cluster is a fragment (counted in neither true positives nor, separately, false positives).
Precision = matched returned clusters / returned clusters; recall = found gold / gold.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import statistics
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language

from service.pipeline.chain import prepare_input
from service.pipeline.clean import clean
from service.pipeline.clean.rules import load_rules
from service.pipeline.entities import extract_entities
from service.pipeline.entities.lexicon import Lexicon, load_lexicon
from service.pipeline.nlp import load_pipeline
from service.settings import NlpSettings

REPO = Path(__file__).resolve().parents[1]
KEPT = ("body", "heading")


@dataclass
class _Returned:
    name: str
    label: str
    forms: set[str]
    count: int


@dataclass
class _Score:
    gold: int = 0
    returned: int = 0
    matched: int = 0
    names_ok: int = 0
    fragments: int = 0
    per_full_fragments: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        p = self.matched / self.returned if self.returned else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "gold": self.gold,
            "returned": self.returned,
            "matched": self.matched,
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f, 4),
            "name_accuracy": round(self.names_ok / self.matched, 4) if self.matched else 0.0,
            "fragments": self.fragments,
            "per_full_name_fragments": self.per_full_fragments,
        }


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).replace("\u2019", "'").casefold().split())


def _score(gold: list[dict[str, Any]], returned: list[_Returned], score: _Score, tag: str) -> None:
    gold_forms = [{_norm(m) for m in g["mentions"]} | {_norm(g["name"])} for g in gold]
    found: set[int] = set()
    score.gold += len(gold)
    score.returned += len(returned)
    for r in sorted(returned, key=lambda r: -r.count):
        forms = {_norm(f) for f in r.forms}
        hits = [i for i, g in enumerate(gold) if g["label"] == r.label and forms & gold_forms[i]]
        fresh = [i for i in hits if i not in found]
        if fresh:
            best = max(fresh, key=lambda i: len(forms & gold_forms[i]))
            found.add(best)
            score.matched += 1
            score.names_ok += _norm(r.name) == _norm(gold[best]["name"])
            if _norm(r.name) != _norm(gold[best]["name"]):
                score.extras.append(f"{tag}: name {r.name!r} for {gold[best]['name']!r}")
        elif hits:
            score.fragments += 1
            g = gold[hits[0]]
            if g["label"] == "PER" and len(g["name"].split()) > 1:
                score.per_full_fragments += 1
            score.extras.append(f"{tag}: fragment {r.name!r}/{r.label} of {g['name']!r}")
        else:
            score.extras.append(f"{tag}: extra {r.name!r}/{r.label}")
    score.misses.extend(
        f"{tag}: missed {g['name']!r}/{g['label']}" for i, g in enumerate(gold) if i not in found
    )


def _raw_clusters(ents: Iterable[Any]) -> list[_Returned]:
    counts: dict[tuple[str, str], int] = {}
    for e in ents:
        counts[(e.text, e.label_)] = counts.get((e.text, e.label_), 0) + 1
    return [_Returned(t, lab, {t}, n) for (t, lab), n in counts.items()]


def _stage_clusters(entities: Iterable[Any]) -> list[_Returned]:
    return [_Returned(e.name, e.label, {m.text for m in e.mentions}, e.count) for e in entities]


def _articles(shared: Path, limit: int | None) -> list[dict[str, Any]]:
    articles = []
    for path in sorted((shared / "gold").glob("*.json"))[:limit]:
        gold = json.loads(path.read_text(encoding="utf-8"))
        raw = gold.get("input") or (shared / "seeds" / gold["source"]).read_text(encoding="utf-8")
        body = "\n\n".join(line["text"] for line in gold["lines"] if line["label"] in KEPT)
        articles.append({"id": gold["id"], "raw": raw, "body": body, "title": gold["title"], "gold": gold})
    return articles


def _speed(nlp: Language, lexicon: Lexicon, texts: list[str]) -> dict[str, float]:
    """Median spaCy and entities-stage milliseconds per article, and their ratio."""
    nlp_ms, ent_ms = [], []
    for text in texts:
        started = time.perf_counter()
        doc = nlp(text)
        nlp_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        extract_entities(doc, lexicon, None)
        ent_ms.append((time.perf_counter() - started) * 1000)
    nlp_total, ent_total = sum(nlp_ms), sum(ent_ms)
    return {
        "articles": len(texts),
        "spacy_ms_median": round(statistics.median(nlp_ms), 2),
        "entities_ms_median": round(statistics.median(ent_ms), 2),
        "entities_over_spacy": round(ent_total / nlp_total, 4),
    }


def _orangesum_texts(shared: Path, n: int) -> list[str]:
    path = shared / "orangesum" / "docs_dev.jsonl.gz"
    if n <= 0 or not path.exists():
        return []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in itertools.islice(fh, n)]
    return [f"{r['heading']}\n\n{r['article']}" for r in rows]


def evaluate(shared: Path, limit: int | None = None, verbose: bool = False) -> dict:
    """Score raw spaCy and the entities stage on the gold seeds; time the stage against spaCy."""
    # The chain's own model and clean stage, without the other stages' data: the body and
    # title handed to extract_entities are exactly those the chain gives it.
    nlp = load_pipeline(NlpSettings().model)
    lexicon, rules = load_lexicon(), load_rules()
    articles = _articles(shared, None)
    rows = {
        "raw spaCy, raw text (peer)": _Score(),
        "raw spaCy, gold body": _Score(),
        "entities, pipeline body": _Score(),
        "entities, gold body": _Score(),
    }
    peer, peer_body, stage, stage_gold = rows.values()
    for art in articles:
        gold = art["gold"]["entities"]
        with nlp.select_pipes(disable=["entity_ruler"]):
            _score(gold, _raw_clusters(nlp(art["raw"]).ents), peer, art["id"])
            _score(gold, _raw_clusters(nlp(art["body"]).ents), peer_body, art["id"])
        prepared = prepare_input(art["raw"], art["title"], 200_000)
        cleaned = clean(prepared.text, rules, prepared.title)
        entities = extract_entities(nlp(cleaned.body), lexicon, cleaned.title)
        _score(gold, _stage_clusters(entities), stage, art["id"])
        doc = nlp(art["body"])
        _score(gold, _stage_clusters(extract_entities(doc, lexicon, art["title"])), stage_gold, art["id"])
    figures = {name: s.figures() for name, s in rows.items()}
    speed = _speed(
        nlp, lexicon, [a["body"] for a in articles] + _orangesum_texts(shared, 40 if limit is None else limit)
    )
    header = f"{'system':30} {'gold':>5} {'ret':>5} {'P':>6} {'R':>6} {'F1':>6} {'name':>6} {'frag':>5} {'PERfr':>5}"
    print(f"Entity clusters on {len(articles)} gold articles")
    print(header)
    for name, f in figures.items():
        print(
            f"{name:30} {f['gold']:5d} {f['returned']:5d} {f['precision']:6.3f} {f['recall']:6.3f} "
            f"{f['f1']:6.3f} {f['name_accuracy']:6.3f} {f['fragments']:5d} {f['per_full_name_fragments']:5d}"
        )
    gain = figures["entities, pipeline body"]["f1"] - figures["raw spaCy, raw text (peer)"]["f1"]
    gain_gold = figures["entities, gold body"]["f1"] - figures["raw spaCy, raw text (peer)"]["f1"]
    print(f"F1 gain over peer: pipeline body {gain:+.3f}, gold body {gain_gold:+.3f}")
    print(
        f"Speed on {speed['articles']} articles: spaCy {speed['spacy_ms_median']} ms, entities "
        f"{speed['entities_ms_median']} ms median; entities/spaCy total {speed['entities_over_spacy']:.1%}"
    )
    if verbose:
        for name in ("entities, gold body", "entities, pipeline body"):
            print(f"-- {name}")
            for line in rows[name].misses + rows[name].extras:
                print("  ", line)
    return {
        "rows": figures,
        "f1_gain_pipeline": round(gain, 4),
        "f1_gain_gold_body": round(gain_gold, 4),
        "speed": speed,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--limit", type=int, default=None, help="OrangeSum articles timed (default 40)")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    evaluate(args.shared, args.limit, args.verbose)
