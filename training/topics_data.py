"""The labelled corpus of the topic model: 17 IPTC top-level subjects, read reproducibly.

Sources (texts are read from ../shared at build time, never copied into the project):

- OrangeSum (../shared/orangesum/docs_dev.jsonl.gz, CC BY-SA 4.0, Kamal Eddine et al. 2021), articles of
  the `*_train` splits only:
  - the site sections mapped to a subject (`SECTION_ACCEPT`: first code is the subject, the others what
    an editor also accepts);
  - `/france/` and `/monde/` desk articles labelled by hand from title and heading
    (training/data/topics_hand_labels.tsv);
  - desk articles labelled by a model trained on the above (training/data/topics_model_labels.tsv,
    built by training/build_topics_corpus.py; a hand-checked sample is in topics_model_check.tsv).
    These are used for training only, never for dev or test.
- Short articles written for this project (training/data/topics_written.tsv), mostly sport, which no
  OrangeSum section covers.

Split: a hash of the item id (`split_of`) puts 20 % of items in test and 10 % in dev, fixed before any
result was seen. OrangeSum's own `*_valid` articles of the mapped sections are kept out of the corpus:
they are a second held-out set (`orangesum_heldout`), never tuned on.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "training" / "data"
DEFAULT_SHARED = ROOT.parent / "shared"
HAND_LABELS = DATA / "topics_hand_labels.tsv"
WRITTEN = DATA / "topics_written.tsv"
MODEL_LABELS = DATA / "topics_model_labels.tsv"
MODEL_CHECK = DATA / "topics_model_check.tsv"

CODES = tuple(f"medtop:{n:02d}000000" for n in range(1, 18))
"""The 17 IPTC top-level subjects, in IPTC order (the order of service/data/iptc_topics.json)."""

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
"""What an editor accepts for each mapped OrangeSum section (first = the subject)."""

DESKS = ("/france/", "/monde/")
_TEST_BUCKETS = 2
_DEV_BUCKETS = 1
_BUCKETS = 10


@dataclass(frozen=True, slots=True)
class Item:
    """One labelled article: codes are the acceptable subjects, primary first (section: its site section)."""

    id: str
    source: str
    split: str
    codes: tuple[str, ...]
    title: str
    body: str
    section: str = ""


def train_codes(item: Item) -> tuple[str, ...]:
    """Subjects to learn from an item: a section's extra accepted subject is for scoring only."""
    return item.codes[:1] if item.source == "section" else item.codes


def split_of(item_id: str) -> str:
    """'test' (20 %), 'dev' (10 %) or 'train', from a hash of the id alone."""
    bucket = (
        int(hashlib.sha1(f"topics-split:{item_id}".encode(), usedforsecurity=False).hexdigest()[:8], 16)
        % _BUCKETS
    )
    if bucket < _TEST_BUCKETS:
        return "test"
    return "dev" if bucket < _TEST_BUCKETS + _DEV_BUCKETS else "train"


def code_of(two_digits: str) -> str:
    """'15' -> 'medtop:15000000'."""
    return f"medtop:{int(two_digits):02d}000000"


def read_tsv(path: Path) -> Iterator[list[str]]:
    """Rows of a tab-separated file, '#' comment lines skipped."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip() and not line.startswith("#"):
                yield line.rstrip("\n").split("\t")


def orangesum(shared: Path) -> list[dict]:
    """Every OrangeSum article of ../shared, as dicts."""
    with gzip.open(shared / "orangesum" / "docs_dev.jsonl.gz", "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def is_valid(article: dict) -> bool:
    """True for OrangeSum's own validation articles (held out from our corpus)."""
    return any(s.endswith("_valid") for s in article["splits"])


def body_of(article: dict) -> str:
    """Heading + article: the text the service would receive."""
    return f"{article['heading']} {article['article']}"


def desk_pool(articles: list[dict]) -> list[dict]:
    """Desk articles that may be model-labelled: train splits, not hand-labelled, train bucket."""
    hand = {row[0] for row in read_tsv(HAND_LABELS)}
    return [
        a
        for a in articles
        if a["section"] in DESKS
        and not is_valid(a)
        and str(a["id"]) not in hand
        and split_of(f"os-{a['id']}") == "train"
    ]


def gold_items(articles: list[dict]) -> list[Item]:
    """Items whose labels a person gave: sections, hand labels and written articles (all splits)."""
    by_id = {str(a["id"]): a for a in articles}
    items = []
    for a in articles:
        if a["section"] in SECTION_ACCEPT and not is_valid(a):
            item_id = f"os-{a['id']}"
            items.append(
                Item(
                    item_id,
                    "section",
                    split_of(item_id),
                    tuple(SECTION_ACCEPT[a["section"]]),
                    a["title"],
                    body_of(a),
                    a["section"],
                )
            )
    for raw_id, codes in read_tsv(HAND_LABELS):
        a = by_id[raw_id]
        item_id = f"os-{raw_id}"
        labels = tuple(code_of(c) for c in codes.split(","))
        items.append(Item(item_id, "hand", split_of(item_id), labels, a["title"], body_of(a)))
    for item_id, codes, title, body in read_tsv(WRITTEN):
        labels = tuple(code_of(c) for c in codes.split(","))
        items.append(Item(item_id, "written", split_of(item_id), labels, title, body))
    return items


def model_items(articles: list[dict]) -> list[Item]:
    """Desk articles labelled by the bootstrap model (train split only), unless labelled by hand since."""
    if not MODEL_LABELS.exists():
        return []
    by_id = {str(a["id"]): a for a in articles}
    hand = {row[0] for row in read_tsv(HAND_LABELS)}
    items = []
    for raw_id, codes, _ in read_tsv(MODEL_LABELS):
        if raw_id in hand:
            continue  # a person's label wins (and the item may sit in dev or test)
        a = by_id[raw_id]
        labels = tuple(code_of(c) for c in codes.split(","))
        items.append(Item(f"os-{raw_id}", "model", "train", labels, a["title"], body_of(a)))
    return items


def corpus(shared: Path = DEFAULT_SHARED) -> list[Item]:
    """The whole labelled corpus, gold items then model-labelled ones."""
    articles = orangesum(shared)
    return gold_items(articles) + model_items(articles)


def orangesum_heldout(shared: Path = DEFAULT_SHARED) -> list[Item]:
    """OrangeSum's `*_valid` articles of the mapped sections: a held-out set outside the corpus."""
    return [
        Item(
            f"os-{a['id']}",
            "section",
            "orangesum",
            tuple(SECTION_ACCEPT[a["section"]]),
            a["title"],
            body_of(a),
            a["section"],
        )
        for a in orangesum(shared)
        if a["section"] in SECTION_ACCEPT and is_valid(a)
    ]
