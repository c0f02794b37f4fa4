"""Pure helpers of the entities stage: folding, word lists, acronyms, span repair."""

from __future__ import annotations

from service.pipeline.entities.cluster import _initials_match, _surname_suffixes
from service.pipeline.entities.lexicon import load_lexicon
from service.pipeline.entities.spans import _strip_edges, _strip_prefixes
from service.pipeline.text.fold import fold as key


def test_key_folds_case_accents_apostrophes_and_hyphens() -> None:
    """Case, accents, typographic apostrophes and hyphens do not change a key."""
    assert key("etats unis") == key("États-Unis")
    assert key("Alliance de l'Atlantique Nord") == key("ALLIANCE DE L\u2019ATLANTIQUE NORD")


def test_acronym_initials_may_skip_the_leading_article() -> None:
    """The acronym "LFI" matches "France insoumise" (article left out), "OMS" its expansion."""
    assert _initials_match("LFI", "France insoumise")
    assert _initials_match("OMS", "Organisation mondiale de la santé")
    assert not _initials_match("PSG", "Olympique de Marseille")


def test_surname_suffixes_keep_particles_with_the_name() -> None:
    """A name like "Ursula von der Leyen" is shortened to "von der Leyen" or "Leyen", not a particle."""
    assert ["von der leyen", "der leyen", "leyen"] == _surname_suffixes("Ursula von der Leyen")
    assert ["le pen", "pen"] == _surname_suffixes("Marine Le Pen")


def test_demonym_plurals_and_places_are_loaded() -> None:
    """Demonym plurals are derived and point to their country; capitals are known places."""
    lexicon = load_lexicon()
    assert "Turquie" == lexicon.demonym_country[key("turques")]
    assert key("occidentaux") in lexicon.demonym_nouns
    assert key("Ankara") in lexicon.places


def test_edges_lose_punctuation_hyphens_and_dangling_prepositions() -> None:
    """Trailing hyphens, dots and a dangling "de" leave the span; initials keep their dot."""
    text = "Caucase-, la police judiciaire de U.S."
    assert (0, 7) == _strip_edges(text, 0, 9)
    assert (10, 30) == _strip_edges(text, 10, 33)
    assert (34, 38) == _strip_edges(text, 34, 38)
    assert (0, 5) == _strip_edges("Fonds de l'ONU", 0, 11)


def test_prefixes_drop_elisions_honorifics_and_roles() -> None:
    """Elisions, "M." and a lower-case role word are not part of a name; an honorific alone is empty."""
    lexicon = load_lexicon()
    text = "l\u2019OTAN M. Peskov ministre Lavrov Mme"
    assert (2, 6, False) == _strip_prefixes(text, 0, 6, lexicon)
    assert (10, 16, True) == _strip_prefixes(text, 7, 16, lexicon)
    assert (26, 32, False) == _strip_prefixes(text, 17, 32, lexicon)
    assert (33, 33, True) == _strip_prefixes(text, 33, 36, lexicon)
