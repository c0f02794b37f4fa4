"""Quality bench of the quotes stage (issue 16): quotes and speakers against gold, stage cost.

    python -m bench.quality_quotes [--shared ../shared] [--verbose]

Gold: the articles written for this project (`bench/data/quotes/{dev,test}/`, built by
`bench/quotes_gold.py`; rules tuned on dev only, test reported apart), the shared seeds
(`../shared/gold/seed-*.json`, whole-page scrapes) and real OrangeSum articles (Kamal Eddine,
Tixier, Vazirgiannis, EMNLP 2021, CC BY-SA 4.0; offsets only, the texts are read from
../shared): 72 `heading_train` articles to tune on (`orangesum_dev.json`; the last 50 drawn by
`bench/quotes_orangesum_pick.py`), 44 other `heading_train` articles annotated blind as a validation
slice that accepts or refuses a rule change but never shows its errors (`orangesum_val.json`,
orangesum-val) and 20 `heading_valid` articles annotated blind and never tuned on
(`orangesum.json`, reported as orangesum-test). Every article goes through the whole chain
(clean, spaCy, entities, quotes), as the API runs it.

- A predicted quote matches a gold one when their word F1 is at least 0.6 (one-to-one, best
  pairs first). "direct" scores direct quotes against direct gold; "all" scores every quote
  against every gold quote, whatever the kind.
- Speaker: on the quotes matched in "all", the predicted speaker is right when it is the gold
  entity (its cluster name or one of its aliases equals the gold name, folded, or shares its
  last word), or when gold has no entity and the prediction names no entity either.
- Offsets: share of predicted quotes whose `body[start:end] == text`.
- Cost: the stage's time over the spaCy pass, summed over the gold articles and 40 OrangeSum
  articles; the body's sentence split, shared with the summary stage, is its own stage (its
  share is printed beside) (Kamal Eddine, Tixier, Vazirgiannis, EMNLP 2021; CC BY-SA 4.0), when present.
Anchor: the French Gender Gap Tracker extractor reports quote F1 0.817 (lenient) and speaker
accuracy 0.804 on 54 articles (a different corpus: a reference point, not a peer run here).
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

from bench._common import DEFAULT_SHARED, ROOT, orangesum_docs, print_table, write_result
from service.model import EnrichOptions, EnrichResult, Quote
from service.pipeline.article import Article
from service.pipeline.chain import Pipeline, prepare_input
from service.settings import LimitSettings, NlpSettings

DATA = ROOT / "bench" / "data" / "quotes"
MATCH_F1 = 0.6
TIMING_ARTICLES = 40
ANCHOR = {"quote_f1": 0.817, "speaker_accuracy": 0.804}
TARGETS = {"direct_f1": 0.90, "all_f1": 0.75, "speaker_accuracy": 0.85, "cost": 0.05}
_WORD = re.compile(r"\w+")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c)).replace("\u2019", "'").strip()


def _words(text: str) -> list[str]:
    return _WORD.findall(_fold(text))


def word_f1(a: str, b: str) -> float:
    """Word-bag F1 of two texts (folded, punctuation ignored)."""
    wa, wb = collections.Counter(_words(a)), collections.Counter(_words(b))
    common = sum((wa & wb).values())
    if not common:
        return 0.0
    p, r = common / sum(wa.values()), common / sum(wb.values())
    return 2 * p * r / (p + r)


def match(predicted: list[Quote], gold: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """One-to-one (predicted, gold) pairs with word F1 >= MATCH_F1, best pairs first."""
    scored = sorted(
        (
            (f1, i, j)
            for i, p in enumerate(predicted)
            for j, g in enumerate(gold)
            if (f1 := word_f1(p.text, g["text"])) >= MATCH_F1
        ),
        reverse=True,
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _, i, j in scored:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return pairs


def speaker_right(quote: Quote, gold_name: str | None, result: EnrichResult) -> bool:
    """Whether the predicted speaker is the gold one (see the module doc)."""
    entity = quote.speaker.entity if quote.speaker is not None else None
    if gold_name is None:
        return entity is None
    if quote.speaker is None:
        return False
    gold = _words(gold_name)
    if entity is None:
        # The entity stage did not make a cluster of it: the speaker's words must name it.
        return _words(quote.speaker.name) in (
            gold,
            ["le", *gold],
            ["la", *gold],
            ["l", *gold],
            ["les", *gold],
        )
    cluster = result.entities[entity]
    forms = [_words(cluster.name), *(_words(a) for a in cluster.aliases)]
    if gold in forms:
        return True
    if any(f and f[-1] == gold[-1] for f in forms if len(gold[-1]) > 2):
        return True
    # The cluster is a cut of the gold name ("Office français" for "Office français de la biodiversité").
    return any(f and _contains(gold, f) for f in forms if sum(map(len, f)) > 3)


def _contains(words: list[str], part: list[str]) -> bool:
    return any(words[i : i + len(part)] == part for i in range(len(words) - len(part) + 1))


class Score:
    """Counts of one set of articles."""

    def __init__(self) -> None:
        self.n = 0
        self.counts = collections.Counter[str]()
        self.errors: list[dict[str, Any]] = []

    def add(self, ident: str, result: EnrichResult, gold: list[dict[str, Any]]) -> None:
        """Score one article."""
        self.n += 1
        quotes = result.quotes
        self.counts["offsets_ok"] += sum(result.body[q.start : q.end] == q.text for q in quotes)
        self.counts["predicted"] += len(quotes)
        direct_p = [q for q in quotes if q.kind == "direct"]
        direct_g = [g for g in gold if g["kind"] == "direct"]
        d_pairs = match(direct_p, direct_g)
        self.counts["direct_tp"] += len(d_pairs)
        self.counts["direct_pred"] += len(direct_p)
        self.counts["direct_gold"] += len(direct_g)
        pairs = match(quotes, gold)
        self.counts["all_tp"] += len(pairs)
        self.counts["all_pred"] += len(quotes)
        self.counts["all_gold"] += len(gold)
        for i, j in pairs:
            right = speaker_right(quotes[i], gold[j]["speaker"], result)
            self.counts["speaker_ok"] += right
            if not right:
                got = quotes[i].speaker
                self.errors.append(
                    {
                        "id": ident,
                        "error": "speaker",
                        "text": gold[j]["text"][:80],
                        "gold": gold[j]["speaker"],
                        "got": None if got is None else f"{got.name} [{got.entity}]",
                    }
                )
        matched_p, matched_g = {i for i, _ in pairs}, {j for _, j in pairs}
        for j, g in enumerate(gold):
            if j not in matched_g:
                self.errors.append({"id": ident, "error": f"missed {g['kind']}", "text": g["text"][:80]})
        for i, q in enumerate(quotes):
            if i not in matched_p:
                self.errors.append({"id": ident, "error": f"extra {q.kind}", "text": q.text[:80]})

    def figures(self) -> dict[str, Any]:
        """Precision, recall, F1 per family, speaker accuracy, offset exactness."""
        c = self.counts
        out: dict[str, Any] = {"articles": self.n}
        for family in ("direct", "all"):
            p = c[f"{family}_tp"] / c[f"{family}_pred"] if c[f"{family}_pred"] else 0.0
            r = c[f"{family}_tp"] / c[f"{family}_gold"] if c[f"{family}_gold"] else 0.0
            out[family] = {
                "gold": c[f"{family}_gold"],
                "predicted": c[f"{family}_pred"],
                "precision": round(p, 3),
                "recall": round(r, 3),
                "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            }
        out["speaker_accuracy"] = round(c["speaker_ok"] / c["all_tp"], 3) if c["all_tp"] else 0.0
        out["matched"] = c["all_tp"]
        out["offsets_exact"] = round(c["offsets_ok"] / c["predicted"], 4) if c["predicted"] else 1.0
        out["error_kinds"] = dict(collections.Counter(e["error"] for e in self.errors).most_common())
        return out


def _run(pipeline: Pipeline, text: str, title: str | None = None) -> EnrichResult:
    prepared = prepare_input(text, title, 200_000)
    article = Article(
        id="bench", text=prepared.text, title=prepared.title, options=EnrichOptions(max_quotes=50)
    )
    pipeline.admit(article)
    outcome = pipeline.enrich_many([article])[0]
    if not isinstance(outcome, EnrichResult):
        raise outcome
    return outcome


def _gold_sets(shared: Path) -> dict[str, list[tuple[str, str, list[dict[str, Any]]]]]:
    sets: dict[str, list[tuple[str, str, list[dict[str, Any]]]]] = {}
    for split in ("dev", "test"):
        files = sorted((DATA / split).glob("*.json"))
        sets[split] = [
            (d["id"], d["input"], d["quotes"])
            for d in (json.loads(f.read_text(encoding="utf-8")) for f in files)
        ]
    seeds = []
    for f in sorted((shared / "gold").glob("seed-*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        if "quotes" not in d:
            continue
        text = d.get("input") or (shared / "seeds" / d["source"]).read_text(encoding="utf-8")
        seeds.append((d["id"], text, d["quotes"]))
    sets["seeds"] = seeds
    # OrangeSum articles: only offsets are stored, the texts stay in ../shared.
    corpus = shared / "orangesum" / "docs_dev.jsonl.gz"
    for name, file in (
        ("orangesum-dev", "orangesum_dev.json"),
        ("orangesum-val", "orangesum_val.json"),
        ("orangesum-test", "orangesum.json"),
    ):
        annotated = DATA / file
        if not (annotated.exists() and corpus.exists()):
            continue
        payload = json.loads(annotated.read_text(encoding="utf-8"))
        docs = {d["id"]: d for d in orangesum_docs(shared, payload.get("split", "heading_valid"))}
        rows = []
        for entry in payload["articles"]:
            doc = docs[entry["id"]]
            gold = [
                {"text": doc["article"][q["start"] : q["end"]], "speaker": q["speaker"], "kind": q["kind"]}
                for q in entry["quotes"]
            ]
            rows.append((f"orangesum-{entry['id']}", f"{doc['title']}\n\n{doc['article']}", gold))
        sets[name] = rows
    return sets


def evaluate(
    shared: Path, limit: int | None = None, verbose: bool = False, show: tuple[str, ...] = ("dev", "seeds")
) -> dict[str, Any]:
    """Score the quotes stage on dev, test and the seeds; time it against the spaCy pass."""
    pipeline = Pipeline.load(NlpSettings().model, 0.5, "bench", LimitSettings().max_text_chars)
    sets = _gold_sets(shared)
    timing = collections.Counter[str]()
    scores: dict[str, Score] = {}
    for name, articles in sets.items():
        score = scores[name] = Score()
        for ident, text, gold in articles:
            result = _run(pipeline, text)
            timing["nlp"] += result.stats.timings_ms["nlp"]
            timing["quotes"] += result.stats.timings_ms["quotes"]
            timing["sentences"] += result.stats.timings_ms["sentences"]
            score.add(ident, result, gold)
    if (shared / "orangesum" / "docs_dev.jsonl.gz").exists():
        for doc in orangesum_docs(shared, limit=limit or TIMING_ARTICLES):
            result = _run(pipeline, f"{doc['title']}\n\n{doc['heading']}\n\n{doc['article']}")
            timing["nlp"] += result.stats.timings_ms["nlp"]
            timing["quotes"] += result.stats.timings_ms["quotes"]
            timing["sentences"] += result.stats.timings_ms["sentences"]
    cost = timing["quotes"] / timing["nlp"] if timing["nlp"] else 0.0
    figures = {name: s.figures() for name, s in scores.items()}
    rows = []
    for name, f in figures.items():
        rows.append(
            [
                name,
                f["articles"],
                f"{f['direct']['gold']}/{f['direct']['predicted']}",
                f["direct"]["precision"],
                f["direct"]["recall"],
                f["direct"]["f1"],
                f"{f['all']['gold']}/{f['all']['predicted']}",
                f["all"]["precision"],
                f["all"]["recall"],
                f["all"]["f1"],
                f["speaker_accuracy"],
                f["offsets_exact"],
            ]
        )
    rows.append(
        [
            "anchor: GGT French",
            54,
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            ANCHOR["quote_f1"],
            ANCHOR["speaker_accuracy"],
            "",
        ]
    )
    print_table(
        rows,
        ["set", "art", "direct g/p", "P", "R", "F1", "all g/p", "P", "R", "F1", "speaker", "offsets"],
    )
    print(
        f"stage cost: quotes {timing['quotes']:.0f} ms / spaCy {timing['nlp']:.0f} ms = {cost:.1%} "
        f"(the shared sentence split: {timing['sentences']:.0f} ms, "
        f"{timing['sentences'] / max(timing['nlp'], 1e-9):.1%})"
    )
    print(
        f"targets: direct F1 >= {TARGETS['direct_f1']}, all F1 >= {TARGETS['all_f1']}, "
        f"speaker >= {TARGETS['speaker_accuracy']}, cost <= {TARGETS['cost']:.0%}"
    )
    for name, f in figures.items():
        print(f"{name} errors: {f['error_kinds']}")
    if verbose:
        # Test and validation errors are never printed: the rules are tuned on dev and the seeds only.
        for name, s in scores.items():
            if name not in show or name in {"test", "orangesum-test", "orangesum-val"}:
                continue
            print(f"-- {name}")
            for e in s.errors:
                print("  ", e)
    return {
        "sets": figures,
        "cost": {
            "quotes_ms": round(timing["quotes"], 1),
            "spacy_ms": round(timing["nlp"], 1),
            "ratio": round(cost, 4),
            "shared_sentence_split_ms": round(timing["sentences"], 1),
        },
        "anchor": ANCHOR,
        "targets": TARGETS,
        # OrangeSum's texts stay in ../shared: its errors are saved without their text.
        "errors": {
            name: [
                {k: v for k, v in e.items() if k != "text" or not name.startswith("orangesum")}
                for e in s.errors
            ]
            for name, s in scores.items()
        },
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--limit", type=int, default=None, help="OrangeSum articles timed (default 40)")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument(
        "--only", default="dev,seeds,orangesum-dev", help="sets whose errors --verbose prints"
    )
    args = parser.parse_args()
    result = evaluate(args.shared, args.limit, args.verbose, tuple(args.only.split(",")))
    print(f"written {write_result('quality_quotes', result)}")
