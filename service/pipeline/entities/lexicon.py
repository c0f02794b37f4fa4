"""The word lists of the entities stage, read once from `service/data/entit*.json`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from service.data import DATA_DIR
from service.pipeline.entities.gazetteer import Gazetteer, load_gazetteer
from service.pipeline.entities.link import KnowledgeBase, load_kb
from service.pipeline.text.fold import fold

__all__ = ["AliasGroup", "Lexicon", "load_lexicon"]

WORDS_FILE = DATA_DIR / "entity_words.json"
PLACES_FILE = DATA_DIR / "entity_places.json"


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
    roles_by_word: dict[str, tuple[str, ...]]
    """`roles` under their first word, in the same order: a span is tested against these only."""
    state_prefixes: tuple[str, ...]
    alias_groups: tuple[AliasGroup, ...]
    places: frozenset[str]
    demonym_nouns: frozenset[str]
    demonym_country: dict[str, str]
    place_names: tuple[str, ...]
    portfolio_org_heads: frozenset[str]
    portfolio_roles: frozenset[str]
    combining_forms: dict[str, str]
    demonym_memo: dict[str, tuple[str, ...]]
    """Each word met -> the countries it names as a demonym (filled as articles come, bounded)."""
    countries: frozenset[str]
    gazetteer: Gazetteer
    kb: KnowledgeBase


def _words(raw: dict[str, Any], name: str) -> list[str]:
    values = raw[name]
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        msg = f"{name} in entity data must be a list of strings"
        raise TypeError(msg)
    return values


def _by_first_word(phrases: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    grouped: dict[str, list[str]] = {}
    for phrase in phrases:
        grouped.setdefault(phrase.split(" ", 1)[0], []).append(phrase)
    return {word: tuple(group) for word, group in grouped.items()}


def load_lexicon() -> Lexicon:
    """Read and fold the entity word lists (the entities stage does it once per process)."""
    words: dict[str, Any] = json.loads(WORDS_FILE.read_text(encoding="utf-8"))
    places_raw: dict[str, Any] = json.loads(PLACES_FILE.read_text(encoding="utf-8"))
    others = _words(places_raw, "other_places")
    places: set[str] = {fold(p) for p in others}
    names: set[str] = set(others)
    demonym_country: dict[str, str] = {}
    for country, capital, demonyms in places_raw["countries"]:
        places.update((fold(country), fold(capital)))
        names.add(country)
        for adjective in demonyms:
            for form in (adjective, *_plurals(adjective)):
                demonym_country.setdefault(fold(form), country)
    gazetteer = load_gazetteer()
    # Départements and régions are looked for again where the model missed them, except the
    # ones that are also common words or first names ("Manche", "Lot", "Aude").
    not_recovered = set(_words(places_raw, "areas_not_recovered"))
    names.update(a for a in gazetteer.areas if a not in not_recovered)
    nouns = set(demonym_country)
    for adjective in _words(places_raw, "collective_demonyms"):
        nouns.update(fold(f) for f in (adjective, *_plurals(adjective)))
    groups = tuple(
        AliasGroup(
            name=g["name"],
            label=g["label"],
            strong=frozenset(fold(s) for s in g["strong"]),
            weak=frozenset(fold(s) for s in g["weak"]),
        )
        for g in words["alias_groups"]
    )
    # Longest first, so "premier ministre" is stripped before "premier" could be.
    roles = tuple(sorted({fold(r) for r in _words(words, "org_heads_roles")}, key=len, reverse=True))
    return Lexicon(
        honorifics=frozenset(_words(words, "honorifics")),
        ui_words=frozenset(fold(w) for w in _words(words, "ui_words")),
        not_alone=frozenset(fold(w) for w in _words(words, "not_alone")),
        org_heads=tuple(fold(w) for w in _words(words, "org_heads")),
        roles=roles,
        roles_by_word=_by_first_word(roles),
        state_prefixes=tuple(
            sorted({fold(p) for p in _words(words, "state_prefixes")}, key=len, reverse=True)
        ),
        alias_groups=groups,
        places=frozenset(places),
        demonym_nouns=frozenset(nouns),
        demonym_country=demonym_country,
        place_names=tuple(sorted(names, key=len, reverse=True)),
        portfolio_org_heads=frozenset(fold(w) for w in _words(words, "portfolio_org_heads")),
        portfolio_roles=frozenset(fold(w) for w in _words(words, "portfolio_roles")),
        combining_forms={fold(k): v for k, v in places_raw["combining_forms"].items()},
        demonym_memo={},
        countries=frozenset(fold(country) for country, _capital, _demonyms in places_raw["countries"]),
        gazetteer=gazetteer,
        kb=load_kb(),
    )
