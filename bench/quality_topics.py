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

    .venv/bin/python -m bench.quality_topics [--shared ../shared] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Sequence
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
from service.settings import NlpSettings
from training.topics_data import CODES, Item, corpus, orangesum_heldout
from training.topics_eval import TfidfPeer, VectorPeer, confusions, first_codes, reliability, scores

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
    _print(report, list(peers))
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
    args = parser.parse_args()
    evaluate(args.shared, args.limit)


if __name__ == "__main__":
    main()
