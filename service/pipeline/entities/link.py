"""Link entity clusters to the Wikidata items of the shipped knowledge base, only when unambiguous."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from service.data import DATA_DIR
from service.pipeline.text.fold import fold

__all__ = ["KB_FILE", "KnowledgeBase", "link_cluster", "load_kb"]

KB_FILE = DATA_DIR / "entity_kb.json"
# A person's full name has at least a first name and a surname.
_FULL_NAME_WORDS = 2


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """Folded names and aliases -> (QID, label, words in the name) of the items having them."""

    by_form: dict[str, tuple[tuple[str, str], ...]]
    url: str


def load_kb() -> KnowledgeBase:
    """Read service/data/entity_kb.json (the entities stage does it once per process)."""
    raw: dict[str, Any] = json.loads(KB_FILE.read_text(encoding="utf-8"))
    index: dict[str, set[tuple[str, str]]] = {}
    for item in raw["items"]:
        for form in (item["name"], *item["aliases"]):
            index.setdefault(fold(form), set()).add((item["qid"], item["label"]))
    return KnowledgeBase(by_form={k: tuple(sorted(v)) for k, v in index.items()}, url=raw["url"])


def link_cluster(label: str, forms: list[str], kb: KnowledgeBase) -> str | None:
    """The one QID every linkable form of a cluster points to with the cluster's label, else None.

    A person is linked only through a form of two words or more (the full name the article
    gave), never through a surname alone; any form naming another item of the same label makes
    the cluster ambiguous, and it stays unlinked.
    """
    found: set[str] = set()
    for form in forms:
        folded = fold(form)
        if label == "PER" and len(folded.split()) < _FULL_NAME_WORDS:
            continue
        found.update(qid for qid, item_label in kb.by_form.get(folded, ()) if item_label == label)
    return next(iter(found)) if len(found) == 1 else None
