"""Stage 5b: keyphrases, the noun phrases that say what the article is about (issue 5)."""

from __future__ import annotations

from spacy.tokens import Doc

from service.api.schemas import Entity, Keyphrase

__all__ = ["extract_keyphrases"]


def extract_keyphrases(doc: Doc, entities: list[Entity], max_keyphrases: int) -> list[Keyphrase]:
    """Return at most `max_keyphrases` scored phrases (empty until issue 5)."""
    del doc, entities, max_keyphrases
    return []
