"""Quality of the topics stage (issue 15): 17 IPTC subjects, ours vs two peers trained in the same run.

Sets (training/topics_data.py; the split is a hash of the item id, fixed before any result):
- dev: 10 % of the labelled corpus (the training script picks C and the temperature on it);
- test: 20 % of the labelled corpus, never tuned on; model-labelled desk articles are train-only, so
  every test label was given by a person (site section, hand label or a written article);
- OrangeSum held-out: the `*_valid` articles of the eight mapped sections, outside the corpus.
A first subject is right when it is one of the item's acceptable subjects (fait-divers: crime or
disaster; auto: economy or lifestyle; hand labels: the second subject an editor would accept).

Ours is the shipped model through `TopicClassifier` on tokenizer-only docs (identical features to the
full pipeline, minutes faster). Peers (training/topics_eval.py), fitted here on the train split:
TF-IDF word 1-2-grams + balanced logistic regression, and mean spaCy md vectors + logistic regression.
Also: a calibration table of our first subject on test, the three most confused pairs, the held-out
genre articles of tests/data/topics/heldout.json (1 point for the primary subject first, 1/2 for an
acceptable one in the top 2), the seeds' gold (whole chain on raw text), and the speed of
topics + keyphrases.

Level 2 (issue 15): the hand-labelled articles of training/data/topics_l2_gold.tsv (dev: the level-2
threshold and C were chosen on them; test: read once). A shown subtopic is right when it is one of the
item's acceptable level-2 codes; precision is over shown subtopics, recall over items with a level-2
label (one right subtopic shown). Two readings: under the item's hand-labelled subject (the level-2
question alone), and end to end (the subtopics of every topic `classify` returns, max_topics 3, so a
wrong top-level topic costs its subtopics). Baseline: the cue-lexicon rule the model replaced
(training/train_topics_l2.py's `lexicon_shown`), under the hand-labelled subject.

    .venv/bin/python -m bench.quality_topics [--shared ../shared] [--limit N] [--level2-only]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
from spacy.language import Language

from bench._common import DEFAULT_SHARED, ROOT
from service.pipeline.clean import clean
from service.pipeline.clean.rules import load_rules
from service.pipeline.entities import extract_entities
from service.pipeline.entities.lexicon import load_lexicon
from service.pipeline.keyphrases import extract_keyphrases, load_stoplist
from service.pipeline.nlp import load_pipeline
from service.pipeline.normalize import normalize
from service.pipeline.topics import TopicClassifier
from service.pipeline.topics.features import term_counts
from service.settings import NlpSettings
from training.topics_data import CODES, DATA, Item, corpus, orangesum_heldout, read_tsv
from training.topics_eval import TfidfPeer, VectorPeer, confusions, first_codes, reliability, scores
from training.train_topics_l2 import gold as l2_gold
from training.train_topics_l2 import lexicon_shown
from training.train_topics_l2 import score as l2_score

SEED = 13
HELDOUT = ROOT / "tests" / "data" / "topics" / "heldout.json"
OURS = "ours (shipped)"


def _ours_probs(classifier: TopicClassifier, nlp: Language, items: Sequence[Item]) -> np.ndarray:
    docs = nlp.tokenizer.pipe(i.body for i in items)
    return np.stack([classifier.probabilities(d, i.title) for i, d in zip(items, docs, strict=True)])


def _heldout(classifier: TopicClassifier, nlp: Language, peers: dict) -> dict:
    articles = json.loads(HELDOUT.read_text(encoding="utf-8"))["articles"]
    items = [
        Item(a["id"], "heldout", "heldout", (a["primary"], *a["acceptable"]), a["title"], a["body"])
        for a in articles
    ]
    systems = {OURS: np.stack([classifier.probabilities(nlp(i.body), i.title) for i in items])}
    systems.update({name: peer.predict_proba(items) for name, peer in peers.items()})
    out = {}
    for name, probs in systems.items():
        points, rows = 0.0, []
        for item, p in zip(items, probs, strict=True):
            top2 = [CODES[int(k)] for k in np.argsort(-p, kind="stable")[:2]]
            point = 1.0 if top2[0] == item.codes[0] else 0.5 if any(c in item.codes for c in top2) else 0.0
            points += point
            rows.append({"id": item.id, "primary": item.codes[0], "top2": top2, "points": point})
        out[name] = {
            "points": points,
            "max": len(items),
            "share": round(points / len(items), 4),
            "items": rows,
        }
    return out


def _seeds(shared: Path, classifier: TopicClassifier, nlp: Language, tfidf: TfidfPeer) -> dict:
    rules = load_rules()
    items = []
    for gold_path in sorted((shared / "gold").glob("seed-*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        raw = gold.get("input") or (shared / "seeds" / gold["source"]).read_text(encoding="utf-8")
        cleaned = clean(normalize(raw), rules)
        codes = [t.code for t in classifier.classify(nlp(cleaned.body), cleaned.title, 3)]
        primary, acceptable = gold["topics"]["primary"], set(gold["topics"].get("acceptable", []))
        peer = first_codes(
            tfidf.predict_proba(
                [Item(gold["id"], "seed", "seed", (primary,), cleaned.title or "", cleaned.body)]
            )
        )[0]
        items.append(
            {
                "id": gold["id"],
                "primary": primary,
                "ours": codes,
                "primary_first": codes[:1] == [primary],
                "acceptable_top2": any(c == primary or c in acceptable for c in codes[:2]),
                "peer_tfidf": peer,
                "peer_primary_first": peer == primary,
            }
        )
    return {
        "n": len(items),
        "primary_first": sum(s["primary_first"] for s in items),
        "acceptable_top2": sum(s["acceptable_top2"] for s in items),
        "peer_primary_first": sum(s["peer_primary_first"] for s in items),
        "items": items,
    }


def _speed(classifier: TopicClassifier, nlp: Language, items: Sequence[Item]) -> dict:
    lexicon, stoplist = load_lexicon(), load_stoplist()
    sample = random.Random(SEED).sample(list(items), min(60, len(items)))
    timings = []
    for item, doc in zip(sample, nlp.pipe(i.body for i in sample), strict=True):
        entities = extract_entities(doc, lexicon, item.title)
        t0 = time.perf_counter()
        classifier.classify(doc, item.title, 3)
        extract_keyphrases(doc, entities, 10, stoplist)
        timings.append((time.perf_counter() - t0) * 1000)
    return {"mean": round(float(np.mean(timings)), 2), "p95": round(float(np.percentile(timings, 95)), 2)}


def _level2(
    classifier: TopicClassifier, nlp: Language, items: Sequence[Item], splits: Sequence[str] = ("dev", "test")
) -> dict:
    """Level-2 scores on the hand-labelled articles: ours (given subject, end to end) and the lexicon."""
    by_id = {i.id: i for i in items}
    out = {}
    for split in splits:
        golds = l2_gold(split)
        texts = [by_id[g.id] for g in golds]
        given, e2e, lexicon_e2e, features = [], [], [], {}
        for g, item, doc in zip(golds, texts, nlp.tokenizer.pipe(i.body for i in texts), strict=True):
            given.append([s.code for s in classifier.subtopics_under(doc, item.title, g.subject)])
            returned = classifier.classify(doc, item.title, 3)
            e2e.append([s.code for t in returned for s in t.subtopics])
            title = nlp.tokenizer(item.title) if item.title else None
            features[g.id] = {"counts": term_counts(doc, title)}
            under = [replace(g, subject=t.code) for t in returned]
            lexicon_e2e.append([c for shown in lexicon_shown(under, features) for c in shown])
        out[split] = {
            "ours (given subject)": l2_score(given, golds),
            "lexicon (given subject)": l2_score(lexicon_shown(golds, features), golds),
            "ours (end to end)": l2_score(e2e, golds),
            "lexicon (end to end)": l2_score(lexicon_e2e, golds),
        }
    if tuple(splits) == ("dev", "test"):
        out["proposals"] = _proposal_precision()
    return out


def _proposal_precision() -> dict:
    """Precision of the level-2 training proposals on the hand-labelled articles, by subject, and the check file."""
    proposed = {row[0]: row[2] for row in read_tsv(DATA / "topics_l2_labels.tsv")}
    out: dict = {}
    for split in ("dev", "test"):
        per: dict[str, list[int]] = {}
        for g in l2_gold(split):
            if g.id in proposed:
                e = per.setdefault(g.subject, [0, 0])
                e[0] += 1
                e[1] += proposed[g.id] in g.accept
        out[split] = per
    checked = [int(row[2]) for row in read_tsv(DATA / "topics_l2_check.tsv")]
    out["check"] = [len(checked), sum(checked)]
    return out


def _print_level2(r: dict) -> None:
    print("\nLevel 2 (hand-labelled articles; P over shown subtopics, R over labelled items)")
    print(f"{'set':<6}{'system':<26}{'n':>5}{'shown':>7}{'P':>7}{'R':>7}{'F1':>7}")
    for split, entry in r.items():
        if split == "proposals":
            continue
        for name, s in entry.items():
            print(
                f"{split:<6}{name:<26}{s['n']:>5}{s['shown']:>7}{s['precision']:>7.3f}{s['recall']:>7.3f}{s['f1']:>7.3f}"
            )
    for split, per in r.get("proposals", {}).items():
        if split == "check":
            print(
                f"Proposals read with the proposal shown (dev, topics_l2_check.tsv): {per[1]}/{per[0]} right"
            )
            continue
        n, right = sum(v[0] for v in per.values()), sum(v[1] for v in per.values())
        print(
            f"Proposal precision on the {split} hand labels: {right}/{n}; by subject "
            + ", ".join(f"{code[7:9]} {v[1]}/{v[0]}" for code, v in sorted(per.items()))
        )
    for split, entry in r.items():
        if split == "proposals":
            continue
        table = entry["ours (given subject)"]["per_subtopic"]
        print(f"\nPer subtopic, {split} (support, shown, P/R/F1, ours given subject)")
        for code, s in table.items():
            p = f"{s['p']:.2f}" if s["shown"] else "   -"
            print(f"  {code}  {s['support']:>4} {s['shown']:>4}  {p}/{s['r']:.2f}/{s['f1']:.2f}")


def evaluate_level2(shared: Path) -> dict:
    """Only the level-2 tables (fast: no peer is fitted)."""
    nlp = load_pipeline(NlpSettings().model)
    report = _level2(TopicClassifier.load(nlp), nlp, corpus(shared))
    _print_level2(report)
    return report


def evaluate(shared: Path, limit: int | None = None) -> dict:
    """Score ours and the peers on dev, test and OrangeSum held-out; print the tables."""
    items = corpus(shared)
    train = [i for i in items if i.split == "train"]
    sets = {
        "dev": [i for i in items if i.split == "dev"],
        "test": [i for i in items if i.split == "test"],
        "orangesum_heldout": orangesum_heldout(shared),
    }
    if limit:
        rng = random.Random(SEED)
        sets = {k: rng.sample(v, min(limit, len(v))) for k, v in sets.items()}
    nlp = load_pipeline(NlpSettings().model)
    started = time.perf_counter()
    peers = {p.name: p.fit(train) for p in (TfidfPeer(), VectorPeer(nlp))}
    peer_seconds = time.perf_counter() - started
    classifier = TopicClassifier.load(nlp)

    report: dict = {"train_items": len(train), "peer_train_seconds": round(peer_seconds, 1), "sets": {}}
    for set_name, set_items in sets.items():
        probs = {OURS: _ours_probs(classifier, nlp, set_items)}
        probs.update({name: peer.predict_proba(set_items) for name, peer in peers.items()})
        firsts = {name: first_codes(p) for name, p in probs.items()}
        entry = {name: scores(f, set_items) for name, f in firsts.items()}
        ours_first = firsts[OURS]
        entry["confusions_ours"] = confusions(ours_first, set_items)
        entry["reliability_ours"] = reliability(
            probs[OURS].max(axis=1).tolist(),
            [f in i.codes for f, i in zip(ours_first, set_items, strict=True)],
        )
        report["sets"][set_name] = entry
    report["heldout_genres"] = _heldout(classifier, nlp, peers)
    report["seeds"] = _seeds(shared, classifier, nlp, peers[TfidfPeer.name])
    report["speed_ms"] = _speed(classifier, nlp, sets["test"])
    report["level2"] = _level2(classifier, nlp, items)
    _print(report, list(peers))
    _print_level2(report["level2"])
    return report


def _print(r: dict, peers: list[str]) -> None:
    systems = [OURS, *peers]
    print(f"\nTopics quality: 17 IPTC subjects; peers trained on {r['train_items']} items in this run")
    print(f"{'set':<20}{'system':<34}{'n':>6}{'top-1 acc':>11}{'macro-F1':>10}{'vs TF-IDF':>11}")
    for set_name, entry in r["sets"].items():
        base = entry[peers[0]]["macro_f1"]
        for name in systems:
            s = entry[name]
            print(
                f"{set_name:<20}{name:<34}{s['n']:>6}{s['accuracy']:>11.3f}{s['macro_f1']:>10.3f}{s['macro_f1'] - base:>+11.3f}"
            )
    for set_name in ("dev", "test"):
        entry = r["sets"][set_name]
        print(f"\nPer subject, {set_name} split (support, P/R/F1 ours | F1 TF-IDF | F1 vectors)")
        for code, s in entry[OURS]["per_subject"].items():
            others = " | ".join(f"{entry[p]['per_subject'][code]['f1']:.2f}" for p in peers)
            flag = "  < 0.70" if s["f1"] < 0.70 else ""
            print(f"  {code}  {s['support']:>5}  {s['p']:.2f}/{s['r']:.2f}/{s['f1']:.2f} | {others}{flag}")
    print(
        "\nMost confused pairs on test (true -> ours): "
        + ", ".join(f"{t} -> {p} ({n})" for t, p, n in r["sets"]["test"]["confusions_ours"])
    )
    print(
        "Calibration on test (first subject): "
        + ", ".join(
            f"{b['bin']}: n={b['n']} conf {b['confidence']:.2f} acc {b['accuracy']:.2f}"
            for b in r["sets"]["test"]["reliability_ours"]
        )
    )
    h = r["heldout_genres"]
    print(
        "Held-out genre articles (points): "
        + ", ".join(f"{name} {v['points']:.1f}/{v['max']}" for name, v in h.items())
    )
    s = r["seeds"]
    print(
        f"Seeds: primary first {s['primary_first']}/{s['n']}, acceptable in top 2 {s['acceptable_top2']}/{s['n']} (peer TF-IDF first {s['peer_primary_first']}/{s['n']})"
    )
    print(
        f"topics + keyphrases: {r['speed_ms']['mean']:.2f} ms mean, {r['speed_ms']['p95']:.2f} ms p95 per article"
    )


def main() -> None:
    """Run the topics evaluation alone."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--level2-only", action="store_true", help="only the level-2 tables")
    args = parser.parse_args()
    if args.level2_only:
        evaluate_level2(args.shared)
    else:
        evaluate(args.shared, args.limit)


if __name__ == "__main__":
    main()
