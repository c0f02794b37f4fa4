"""The text of a parsed body without rebuilding it: `Doc.text` joins every token on each access."""

from __future__ import annotations

from spacy.attrs import IDX, LENGTH, SPACY
from spacy.tokens import Doc

__all__ = ["doc_text", "remember_text", "token_texts"]

_TEXT = "service.text"
_WORDS = "service.words"


def remember_text(doc: Doc, text: str) -> None:
    """Record `text`, which the doc was parsed from (or joined back into), as the doc's text."""
    doc.user_data[_TEXT] = text


def doc_text(doc: Doc) -> str:
    """The doc's text: the recorded body when the nlp stage gave one, else `Doc.text` (a join)."""
    text = doc.user_data.get(_TEXT)
    return text if isinstance(text, str) else doc.text


def token_texts(doc: Doc) -> tuple[list[str], list[str]]:
    """Every token's text and trailing white space, read once per doc.

    `doc[i].text` builds a Token object on each access; the sentence splitter walks every token
    of a block three times, and these lists spare it that. They are sliced from the doc's text
    at the tokens' offsets, read as one array: a Token per word would cost more than the rest.
    """
    cached = doc.user_data.get(_WORDS)
    if isinstance(cached, tuple) and len(cached[0]) == len(doc):
        return cached
    text = doc_text(doc)
    # One list per attribute: a list per token would cost a third more.
    starts, lengths, spaced = doc.to_array([IDX, LENGTH, SPACY]).T.tolist()
    texts = [text[start : start + length] for start, length in zip(starts, lengths, strict=True)]
    spaces = [" " if space else "" for space in spaced]
    doc.user_data[_WORDS] = (texts, spaces)
    return texts, spaces
