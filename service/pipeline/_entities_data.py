"""The word lists of the entities stage, read once from `service/data/entit*.json`."""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from service.pipeline._data import DATA_DIR

__all__ = ["AliasGroup", "Lexicon", "key", "load_lexicon"]

DATA = DATA_DIR
WORDS_FILE = DATA / "entity_words.json"
PLACES_FILE = DATA / "entity_places.json"

_APOSTROPHES = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u2010": "-", "\u2011": "-", "\u2013": "-"}
)
_SEPARATORS = re.compile(r"[\s\-]+")


@functools.lru_cache(maxsize=65_536)
def key(text: str) -> str:
    """Fold a surface form for comparison: no accents, no case, one kind of apostrophe and blank."""
    decomposed = unicodedata.normalize("NFD", text.translate(_APOSTROPHES))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", bare.casefold()).strip()


def _plurals(adjective: str) -> list[str]:
    # French demonym plurals: -al -> -aux, -s/-x stay, otherwise add -s.
    if adjective.endswith("al"):
        return [adjective[:-2] + "aux"]
    if adjective.endswith(("s", "x")):
        return [adjective]
    return [adjective + "s"]


@dataclass(frozen=True, slots=True)
class AliasGroup:
    """Surface forms of one very common entity; weak forms join only when a strong one is present."""

    name: str
    label: str
    strong: frozenset[str]
    weak: frozenset[str]


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Folded word lists used to repair, merge and label mentions."""

    honorifics: frozenset[str]
    ui_words: frozenset[str]
    not_alone: frozenset[str]
    org_heads: tuple[str, ...]
    roles: tuple[str, ...]
    state_prefixes: tuple[str, ...]
    alias_groups: tuple[AliasGroup, ...]
    places: frozenset[str]
    demonym_nouns: frozenset[str]
    demonym_country: dict[str, str]
    place_names: tuple[str, ...]
    portfolio_org_heads: frozenset[str]
    portfolio_roles: frozenset[str]
    combining_forms: dict[str, str]


def _words(raw: dict[str, Any], name: str) -> list[str]:
    values = raw[name]
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        msg = f"{name} in entity data must be a list of strings"
        raise TypeError(msg)
    return values


@functools.cache
def load_lexicon() -> Lexicon:
    """Read and fold the entity word lists; cached, so the files are read once per worker."""
    words: dict[str, Any] = json.loads(WORDS_FILE.read_text(encoding="utf-8"))
    places_raw: dict[str, Any] = json.loads(PLACES_FILE.read_text(encoding="utf-8"))
    others = _words(places_raw, "other_places")
    places: set[str] = {key(p) for p in others}
    names: set[str] = set(others)
    demonym_country: dict[str, str] = {}
    for country, capital, demonyms in places_raw["countries"]:
        places.update((key(country), key(capital)))
        names.add(country)
        for adjective in demonyms:
            for form in (adjective, *_plurals(adjective)):
                demonym_country.setdefault(key(form), country)
    nouns = set(demonym_country)
    for adjective in _words(places_raw, "collective_demonyms"):
        nouns.update(key(f) for f in (adjective, *_plurals(adjective)))
    groups = tuple(
        AliasGroup(
            name=g["name"],
            label=g["label"],
            strong=frozenset(key(s) for s in g["strong"]),
            weak=frozenset(key(s) for s in g["weak"]),
        )
        for g in words["alias_groups"]
    )
    # Longest first, so "premier ministre" is stripped before "premier" could be.
    roles = tuple(sorted({key(r) for r in _words(words, "org_heads_roles")}, key=len, reverse=True))
    return Lexicon(
        honorifics=frozenset(_words(words, "honorifics")),
        ui_words=frozenset(key(w) for w in _words(words, "ui_words")),
        not_alone=frozenset(key(w) for w in _words(words, "not_alone")),
        org_heads=tuple(key(w) for w in _words(words, "org_heads")),
        roles=roles,
        state_prefixes=tuple(
            sorted({key(p) for p in _words(words, "state_prefixes")}, key=len, reverse=True)
        ),
        alias_groups=groups,
        places=frozenset(places),
        demonym_nouns=frozenset(nouns),
        demonym_country=demonym_country,
        place_names=tuple(sorted(names, key=len, reverse=True)),
        portfolio_org_heads=frozenset(key(w) for w in _words(words, "portfolio_org_heads")),
        portfolio_roles=frozenset(key(w) for w in _words(words, "portfolio_roles")),
        combining_forms={key(k): v for k, v in places_raw["combining_forms"].items()},
    )
