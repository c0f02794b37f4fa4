"""Stage 6: extractive summary sentences with exact body offsets (issue 6)."""

from __future__ import annotations

from spacy.tokens import Doc

from service.api.schemas import Entity, Keyphrase, Paragraph, SummarySentence

__all__ = ["summarize"]


def summarize(
    doc: Doc,
    paragraphs: list[Paragraph],
    entities: list[Entity],
    keyphrases: list[Keyphrase],
    sentences: int,
) -> list[SummarySentence]:
    """Return up to `sentences` key sentences in article order (empty until issue 6)."""
    del doc, paragraphs, entities, keyphrases, sentences
    return []
