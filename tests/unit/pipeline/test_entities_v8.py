"""Entities stage v8: general rules and families of known names (sentences of our own)."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from service.pipeline.entities.lexicon import load_lexicon
from service.pipeline.entities.spans import candidates

LEXICON = load_lexicon()
NLP = spacy.blank("fr")


def _doc(text: str, *spans: tuple[str, str]) -> Doc:
    """A blank doc of `text` with the model spans given as (surface form, label)."""
    doc = NLP(text)
    ents = []
    for form, label in spans:
        start = text.index(form)
        span = doc.char_span(start, start + len(form), label=label)
        assert span is not None
        ents.append(span)
    doc.ents = ents
    return doc


def _found(text: str, *spans: tuple[str, str]) -> list[tuple[str, str]]:
    return [(c.text, c.forced_label or c.label) for c in candidates(_doc(text, *spans), text, LEXICON)]


def test_a_ministry_runs_on_through_the_lower_case_end_of_its_portfolio() -> None:
    """The model's "ministère des Anciens combattants" is not cut at the capitalized word."""
    text = "Le ministère des Anciens combattants a publié un communiqué jeudi."
    assert [("ministère des Anciens combattants", "ORG")] == _found(
        text, ("ministère des Anciens combattants", "ORG")
    )


def test_a_periodical_by_its_english_title_is_an_organisation() -> None:
    """ "Annals of Internal Medicine" tagged as a work is the journal (ORG), like a daily."""
    text = "Les résultats paraissent dans Annals of Internal Medicine cette semaine."
    assert [("Annals of Internal Medicine", "ORG")] == _found(text, ("Annals of Internal Medicine", "MISC"))


def test_a_name_after_revue_is_an_organisation() -> None:
    """The word "revue" before a name says it is a periodical: "la revue Cell Reports"."""
    text = "Publiée par la revue Cell Reports, l'étude a surpris les biologistes."
    assert [("Cell Reports", "ORG")] == _found(text, ("Cell Reports", "MISC"))
