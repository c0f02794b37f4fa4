"""The shape of a list of person names: what an author line is when nothing says "Par"."""

from __future__ import annotations

import re

__all__ = ["INITIALS", "looks_like_names"]

INITIALS = re.compile(r"^(?:[A-ZÀ-Ý]\.(?:-?[A-ZÀ-Ý]\.)*\s*){1,2}$")
"""Initials standing for an author ("I.L.", "J.-P.D.")."""

_MAX_NAME_WORDS = 7
# A first name and a surname at least: one capitalised word is a menu entry, not a person.
_MIN_NAME_WORDS = 2
# Words a list of person names is made of besides the names: "Anne Roy et Paul Marc", "de".
_JOINERS = frozenset({"et", "and", "de", "du", "des", "la", "le", "van", "von", "der", "d", "&"})
_SPLIT = re.compile(r"[\s,]+")


def looks_like_names(text: str) -> bool:
    """Only capitalised words and name joiners, at most seven words ("Chloé Moreau", "A. Roy et P. Marc")."""
    words = [w for w in _SPLIT.split(text.strip()) if w]
    if not words or len(words) > _MAX_NAME_WORDS or not any(c.isalpha() for c in text):
        return False
    capitalised = [w for w in words if w[:1].isupper()]
    if len(capitalised) < _MIN_NAME_WORDS or any(any(c.isdigit() for c in w) for w in words):
        return False
    return all(w[:1].isupper() or w.lower().strip(".") in _JOINERS for w in words)
