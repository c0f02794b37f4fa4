"""The shape of a list of person names: what an author line is when nothing says "Par"."""

from __future__ import annotations

import re

__all__ = ["INITIALS", "is_author_line", "looks_like_names", "signed"]

INITIALS = re.compile(r"^(?:[A-ZÀ-Ý]\.(?:-?[A-ZÀ-Ý]\.)*\s*){1,2}$")
"""Initials standing for an author ("I.L.", "J.-P.D.")."""

_MAX_NAME_WORDS = 7
# A first name and a surname at least: one capitalised word is a menu entry, not a person.
_MIN_NAME_WORDS = 2
# Words a list of person names is made of besides the names: "Anne Roy et Paul Marc", "de".
_JOINERS = frozenset({"et", "and", "de", "du", "des", "la", "le", "van", "von", "der", "d", "&"})
_SPLIT = re.compile(r"[\s,]+")
_AUTHOR_PREFIX = re.compile(
    # A short word must be followed by a capitalised name ("De nouvelles règles" is no byline).
    r"^(?:(?i:par|by|avec|de)\s*:?\s+(?:[A-ZÀ-Ý]|(?i:la rédaction|l'équipe|la redaction))"
    r"|(?i:rédigé par|écrit par|publié par|un texte de|texte|(?:propos )?recueillis? par|recueillie par"
    r"|reportage|article rédigé par|une (?:chronique|tribune|carte blanche|analyse) de|la rédaction)\b\s*\S)"
)
# "Inès Faure - Actu24", "Sophie Lambert | Rédactrice web": the name, then the site or the role.
_AUTHOR_TAIL = re.compile(r"\s+[-|\u2013\u2014]\s+.*$")
_MAX_AUTHOR_CHARS = 120


def looks_like_names(text: str) -> bool:
    """Only capitalised words and name joiners, at most seven words ("Chloé Moreau", "A. Roy et P. Marc")."""
    words = [w for w in _SPLIT.split(text.strip()) if w]
    if not words or len(words) > _MAX_NAME_WORDS or not any(c.isalpha() for c in text):
        return False
    capitalised = [w for w in words if w[:1].isupper()]
    if len(capitalised) < _MIN_NAME_WORDS or any(any(c.isdigit() for c in w) for w in words):
        return False
    return all(w[:1].isupper() or w.lower().strip(".") in _JOINERS for w in words)


def signed(text: str) -> bool:
    """Whether a line opens as a signature does ("Par …", "Recueilli par …", "La rédaction …")."""
    return _AUTHOR_PREFIX.match(text) is not None


def is_author_line(text: str) -> bool:
    """Whether a short line signs an article: "Par …", "avec …", bare names or initials."""
    if len(text) > _MAX_AUTHOR_CHARS:
        return False
    name = _AUTHOR_TAIL.sub("", text).strip(" .")
    return bool(_AUTHOR_PREFIX.match(text) or INITIALS.match(text.strip()) or looks_like_names(name))
