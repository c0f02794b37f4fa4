"""Shared by the entity unit tests: the lexicon, loaded once, a run that checks every offset, model spans."""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from service.model import Entity
from service.pipeline.entities.lexicon import load_lexicon
from service.pipeline.entities.spans import candidates
from service.pipeline.entities.stage import extract_entities

LEXICON = load_lexicon()
_BLANK = spacy.blank("fr")


def entities_of(nlp: Language, body: str) -> list[Entity]:
    """The entity stage's clusters of `body`, each mention checked against the text."""
    entities = extract_entities(nlp(body), LEXICON, None)
    for entity in entities:
        for mention in entity.mentions:
            assert body[mention.start : mention.end] == mention.text
    return entities


def doc_with_spans(text: str, *spans: tuple[str, str]) -> Doc:
    """A blank doc of `text` with the model spans given as (surface form, label)."""
    doc = _BLANK(text)
    ents = []
    for form, label in spans:
        start = text.index(form)
        span = doc.char_span(start, start + len(form), label=label)
        assert span is not None
        ents.append(span)
    doc.ents = ents
    return doc


def candidates_of(text: str, *spans: tuple[str, str]) -> list[tuple[str, str]]:
    """The span rules' candidates of `text` around the given model spans, as (text, label)."""
    doc = doc_with_spans(text, *spans)
    return [(c.text, c.forced_label or c.label) for c in candidates(doc, text, LEXICON)]
