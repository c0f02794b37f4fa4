"""The text of a parsed body without rebuilding it: `Doc.text` joins every token on each access."""

from __future__ import annotations

from spacy.tokens import Doc

__all__ = ["doc_text", "remember_text"]

_TEXT = "service.text"


def remember_text(doc: Doc, text: str) -> None:
    """Record `text`, which the doc was parsed from (or joined back into), as the doc's text."""
    doc.user_data[_TEXT] = text


def doc_text(doc: Doc) -> str:
    """The doc's text: the recorded body when the nlp stage gave one, else `Doc.text` (a join)."""
    text = doc.user_data.get(_TEXT)
    return text if isinstance(text, str) else doc.text
