"""Entity faults that cost quote speakers (issues 14 and 16), one sentence of our own each."""

from __future__ import annotations

from spacy.language import Language

from service.pipeline.entities.gazetteer import association_spans, known_spans
from tests.unit.pipeline._entities import LEXICON, entities_of


def test_two_first_names_with_one_surname_are_two_people(nlp: Language) -> None:
    """Two full names sharing a surname, each opening a sentence, stay two clusters with their names."""
    body = "Laura Vernier joue au théâtre. Marcel Vernier, son oncle, la soutient."
    people = sorted((e.name, e.aliases) for e in entities_of(nlp, body) if e.label == "PER")
    assert [("Laura Vernier", ["Laura Vernier"]), ("Marcel Vernier", ["Marcel Vernier"])] == people


def test_a_profession_before_a_name_is_no_person(nlp: Language) -> None:
    """A profession word in apposition ("Criminologue, Pierre Lavaud") is not kept as a cluster."""
    body = "Criminologue, Pierre Lavaud a étudié l'affaire pendant des années."
    assert [("Pierre Lavaud", "PER")] == [(e.name, e.label) for e in entities_of(nlp, body)]


def test_associations_named_after_their_kind_are_orgs() -> None:
    """The name after "l'association", "le collectif", "la fondation" or "l'ONG" is an ORG span."""
    text = (
        "L'association Les Amis du Vieux Port a porté plainte, le collectif « Nous aussi » manifeste "
        "et la fondation Abbé Pierre alerte, comme l'ONG Sea Watch."
    )
    assert [
        ("Les Amis du Vieux Port", "ORG"),
        ("Nous aussi", "ORG"),
        ("Abbé Pierre", "ORG"),
        ("Sea Watch", "ORG"),
    ] == [(c.text, c.label) for c in association_spans(text)]


def test_a_regional_press_name_is_found_whole() -> None:
    """A news site's name ending with its region ("Imaz Press Réunion") is one known name."""
    text = "Imaz Press Réunion révèle que la route est coupée."
    found = known_spans(text, LEXICON.gazetteer)
    assert [("Imaz Press Réunion", "ORG")] == [(c.text, c.label) for c in found]
