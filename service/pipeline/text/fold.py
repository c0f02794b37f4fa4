"""Word folding: the one place that decides when two surface forms count as the same word."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["LETTER_WORD", "NAME_PARTICLES", "WORD", "fold", "lemma_key", "plural_key", "word_key"]

WORD = re.compile(r"\w+")
"""A run of word characters (letters, digits, underscore)."""

LETTER_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
"""A word of letters, hyphenated compounds kept whole ("russo-turque")."""

NAME_PARTICLES = frozenset(
    {"le", "la", "de", "du", "des", "von", "van", "der", "den", "di", "da", "del", "al", "el", "ben", "bin"}
)
"""Lower-case words that belong inside a surname ("Marine Le Pen", "Ursula von der Leyen")."""

_APOSTROPHES = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u2010": "-", "\u2011": "-", "\u2013": "-"}
)
_SEPARATORS = re.compile(r"[\s\-]+")
# A plural is folded only on words long enough not to be an acronym or a short word ("bus", "prix").
_MIN_PLURAL_CHARS = 5


@functools.lru_cache(maxsize=65_536)
def fold(text: str) -> str:
    """Fold a surface form for comparison: no accents, no case, one kind of apostrophe and blank."""
    decomposed = unicodedata.normalize("NFD", text.translate(_APOSTROPHES))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", bare.casefold()).strip()


def word_key(text: str) -> str:
    """The case-folded words of `text` joined by single spaces (punctuation and blanks ignored)."""
    return " ".join(WORD.findall(text.casefold()))


def plural_key(word: str) -> str:
    """Fold a lowercase word to the form lexicon entries are matched on (crude plural folding)."""
    if len(word) >= _MIN_PLURAL_CHARS and word[-1] in "sx":
        return word[:-1]
    return word


def lemma_key(token: Token) -> str:
    """A token's lowercase lemma, or its lowercase text when the model gave no lemma."""
    return (token.lemma_ or token.text).lower()
