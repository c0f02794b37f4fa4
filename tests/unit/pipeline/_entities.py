"""Shared by the entity unit tests: the lexicon, loaded once, and a run that checks every offset."""

from __future__ import annotations

from spacy.language import Language

from service.model import Entity
from service.pipeline.entities.lexicon import load_lexicon
from service.pipeline.entities.stage import extract_entities

LEXICON = load_lexicon()


def entities_of(nlp: Language, body: str) -> list[Entity]:
    """The entity stage's clusters of `body`, each mention checked against the text."""
    entities = extract_entities(nlp(body), LEXICON, None)
    for entity in entities:
        for mention in entity.mentions:
            assert body[mention.start : mention.end] == mention.text
    return entities
