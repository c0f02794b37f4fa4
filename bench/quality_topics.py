"""Quality of the topics stage (issue 5): OrangeSum valid sections and the seeds' gold, vs a peer.

OrangeSum (CC BY-SA 4.0): the valid articles (`heading_valid`/`title_valid` splits) of the mapped
sections are classified from `heading + " " + article` with the headline as title. A prediction
counts as right when it is one of the topics an editor accepts for the section (fait-divers: crime
or disaster; auto: economy or lifestyle); macro-F1 is over the eight primary topics. Our features
read only the tokenizer's output and static vectors, so the valid docs are made with
`nlp.make_doc`: identical figures to the full pipeline, minutes faster. The seeds run the service's
chain up to this stage (normalize, clean, full spaCy pipeline, topics) on the raw scraped text.

Peer, in the same run: TfidfVectorizer + LogisticRegression (scikit-learn defaults, max_iter=1000)
trained on the same non-valid mapped articles (title + heading + article), primary topic as label.

    .venv/bin/python bench/quality_topics.py [--shared ../shared] [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from service.pipeline.clean import clean  # noqa: E402
from service.pipeline.clean.rules import load_rules  # noqa: E402
from service.pipeline.entities import extract_entities  # noqa: E402
from service.pipeline.entities.lexicon import load_lexicon  # noqa: E402
from service.pipeline.keyphrases import extract_keyphrases, load_stoplist  # noqa: E402
from service.pipeline.nlp import load_pipeline  # noqa: E402
from service.pipeline.normalize import normalize  # noqa: E402
from service.pipeline.topics import TopicClassifier  # noqa: E402
from service.settings import NlpSettings  # noqa: E402
from training.train_topics import SECTION_ACCEPT  # noqa: E402

DEFAULT_SHARED = ROOT.parent / "shared"
SEED = 13


def _is_valid(article: dict) -> bool:
    return any(s.endswith("_valid") for s in article["splits"])


def _scores(pred: list[str], accepts: list[list[str]]) -> dict:
    primary = [a[0] for a in accepts]
    folded = [a[0] if p in a else p for p, a in zip(pred, accepts, strict=True)]
    labels = sorted(set(primary))
    per_class = f1_score(primary, folded, labels=labels, average=None, zero_division=0)
    return {
        "accuracy": round(float(np.mean([p == t for p, t in zip(folded, primary, strict=True)])), 4),
        "macro_f1": round(float(np.mean(per_class)), 4),
        "f1_per_topic": {c: round(float(f), 4) for c, f in zip(labels, per_class, strict=True)},
    }


def _peer(train: list[dict], valid: list[dict]) -> tuple[list[str], object]:
    def text(a: dict) -> str:
        return f"{a['title']} {a['heading']} {a['article']}"

    vectorizer = TfidfVectorizer()
    x = vectorizer.fit_transform([text(a) for a in train])
    model = LogisticRegression(max_iter=1000, random_state=SEED)
    model.fit(x, [SECTION_ACCEPT[a["section"]][0] for a in train])

    def predict(title: str | None, body: str) -> str:
        return str(model.predict(vectorizer.transform([f"{title or ''} {body}"]))[0])

    return [str(p) for p in model.predict(vectorizer.transform([text(a) for a in valid]))], predict


def evaluate(shared: Path, limit: int | None = None) -> dict:
    """Score the topics stage and its TF-IDF peer on OrangeSum valid and the seeds; print a table."""
    with gzip.open(shared / "orangesum" / "docs_dev.jsonl.gz", "rt", encoding="utf-8") as fh:
        articles = [json.loads(line) for line in fh]
    mapped = [a for a in articles if a["section"] in SECTION_ACCEPT]
    train = [a for a in mapped if not _is_valid(a)]
    valid = [a for a in mapped if _is_valid(a)]
    if limit:
        rng = random.Random(SEED)
        valid = rng.sample(valid, min(limit, len(valid)))
        train = rng.sample(train, min(limit * 10, len(train)))
    accepts = [SECTION_ACCEPT[a["section"]] for a in valid]

    started = time.perf_counter()
    peer_pred, peer_predict = _peer(train, valid)
    peer_seconds = time.perf_counter() - started

    nlp = load_pipeline(NlpSettings().model)
    classifier = TopicClassifier.load(nlp)
    rules, lexicon, stoplist = load_rules(), load_lexicon(), load_stoplist()
    ours_pred = []
    bodies = nlp.tokenizer.pipe(f"{a['heading']} {a['article']}" for a in valid)
    for a, doc in zip(valid, bodies, strict=True):
        ours_pred.append(classifier.classify(doc, a["title"], 1)[0].code)
    ours = _scores(ours_pred, accepts)
    peer = _scores(peer_pred, accepts)

    # Seeds: the whole chain on the raw scraped text, gold topics from ../shared/gold.
    seeds = []
    for gold_path in sorted((shared / "gold").glob("seed-*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        raw = gold.get("input") or (shared / "seeds" / gold["source"]).read_text(encoding="utf-8")
        cleaned = clean(normalize(raw), rules)
        topics = classifier.classify(nlp(cleaned.body), cleaned.title, 3)
        codes = [t.code for t in topics]
        primary, acceptable = gold["topics"]["primary"], set(gold["topics"].get("acceptable", []))
        peer_code = peer_predict(cleaned.title, cleaned.body)
        seeds.append(
            {
                "id": gold["id"],
                "primary": primary,
                "ours": codes,
                "primary_first": codes[:1] == [primary],
                "acceptable_top2": any(c == primary or c in acceptable for c in codes[:2]),
                "peer": peer_code,
                "peer_primary_first": peer_code == primary,
            }
        )

    # Speed: topics + keyphrases on fully parsed docs (seeds + a sample of valid articles).
    sample = random.Random(SEED).sample(valid, min(60, len(valid)))
    docs = list(nlp.pipe(f"{a['heading']} {a['article']}" for a in sample))
    timings = []
    for a, doc in zip(sample, docs, strict=True):
        entities = extract_entities(doc, lexicon, a["title"])
        t0 = time.perf_counter()
        classifier.classify(doc, a["title"], 3)
        extract_keyphrases(doc, entities, 10, stoplist)
        timings.append((time.perf_counter() - t0) * 1000)

    report = {
        "orangesum_valid": {"articles": len(valid), "ours": ours, "peer_tfidf_logreg": peer},
        "seeds": {
            "primary_first": sum(s["primary_first"] for s in seeds),
            "acceptable_top2": sum(s["acceptable_top2"] for s in seeds),
            "peer_primary_first": sum(s["peer_primary_first"] for s in seeds),
            "n": len(seeds),
            "items": seeds,
        },
        "speed_ms": {
            "topics_keyphrases_mean": round(float(np.mean(timings)), 2),
            "topics_keyphrases_p95": round(float(np.percentile(timings, 95)), 2),
        },
        "peer_train_seconds": round(peer_seconds, 1),
        "train_articles": len(train),
    }
    _print(report)
    return report


def _print(r: dict) -> None:
    o, p = r["orangesum_valid"]["ours"], r["orangesum_valid"]["peer_tfidf_logreg"]
    s = r["seeds"]
    print(
        f"\nTopics quality (OrangeSum valid mapped sections: {r['orangesum_valid']['articles']} articles; "
        f"peer trained on {r['train_articles']})"
    )
    print(f"{'system':<26}{'top-1 acc':>10}{'macro-F1':>10}{'seeds 1st':>11}{'seeds top-2 ok':>16}")
    print(
        f"{'ours (topics stage)':<26}{o['accuracy']:>10.3f}{o['macro_f1']:>10.3f}"
        f"{s['primary_first']:>9}/{s['n']}{s['acceptable_top2']:>14}/{s['n']}"
    )
    print(
        f"{'peer TF-IDF + logreg':<26}{p['accuracy']:>10.3f}{p['macro_f1']:>10.3f}"
        f"{s['peer_primary_first']:>9}/{s['n']}{'-':>16}"
    )
    print(f"macro-F1 margin over peer: {o['macro_f1'] - p['macro_f1']:+.3f}")
    print(
        "F1 per topic (ours / peer): "
        + ", ".join(
            f"{c[-8:-6]} {o['f1_per_topic'][c]:.2f}/{p['f1_per_topic'][c]:.2f}" for c in o["f1_per_topic"]
        )
    )
    print(
        f"topics + keyphrases: {r['speed_ms']['topics_keyphrases_mean']:.2f} ms mean, "
        f"{r['speed_ms']['topics_keyphrases_p95']:.2f} ms p95 per article"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    evaluate(args.shared, args.limit)


if __name__ == "__main__":
    main()
