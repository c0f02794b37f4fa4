"""The keyphrases stage: normalized, scored, deduplicated noun phrases of a French article."""

from __future__ import annotations

import time

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from service.model import Entity, EntityLabel, Mention
from service.pipeline.keyphrases import extract_keyphrases, load_stoplist

LISTS = load_stoplist()

BODY = (
    "La Pologne va acheter un nouveau système de défense antiaérienne aux États-Unis, a annoncé mardi "
    "le ministère polonais de la Défense. Ce système de défense antiaérienne doit protéger les grandes "
    "villes contre les missiles de croisière. Varsovie espère recevoir les premières batteries dès 2025. "
    "Le contrat, d'un montant de 4 milliards de dollars, prévoit aussi la formation des militaires "
    "polonais. Les sanctions américaines contre la Russie ont accéléré ce choix, selon le vice-ministre. "
    "Publicité. Lire aussi : les sanctions américaines visent les banques russes."
)


def _entity(body: str, name: str, label: EntityLabel) -> Entity:
    start = body.index(name)
    mention = Mention(start=start, end=start + len(name), text=name)
    assert name == body[mention.start : mention.end]
    return Entity(name=name, label=label, salience=0.5, count=1, mentions=[mention], aliases=[name])


@pytest.fixture(scope="module")
def doc(nlp: Language) -> Doc:
    """The test article parsed by the real pipeline."""
    return nlp(BODY)


@pytest.fixture(scope="module")
def entities() -> list[Entity]:
    """The article's entities, written by hand so this test does not depend on the entity stage."""
    return [_entity(BODY, n, "LOC") for n in ("Pologne", "États-Unis", "Russie", "Varsovie")]


def test_compound_and_adjective_phrases_rank_first(doc: Doc, entities: list[Entity]) -> None:
    """The repeated compound and the repeated adjectival phrase are the two best keyphrases."""
    phrases = extract_keyphrases(doc, entities, 10, LISTS)
    assert ["système de défense antiaérienne", "sanctions américaines"] == [p.text for p in phrases[:2]]
    assert 1.0 == phrases[0].score


def test_scores_descend_within_unit_interval(doc: Doc, entities: list[Entity]) -> None:
    """Scores are in [0, 1] and sorted best first."""
    scores = [p.score for p in extract_keyphrases(doc, entities, 10, LISTS)]
    assert sorted(scores, reverse=True) == scores
    assert all(0.0 <= s <= 1.0 for s in scores)


def test_max_keyphrases_is_respected(doc: Doc, entities: list[Entity]) -> None:
    """No more phrases than `max_keyphrases` are returned, and at least five on a real article."""
    assert 3 == len(extract_keyphrases(doc, entities, 3, LISTS))
    assert len(extract_keyphrases(doc, entities, 10, LISTS)) >= 5


def test_no_entity_stopword_number_or_ui_word(doc: Doc, entities: list[Entity]) -> None:
    """No phrase is an entity name, a stop word, a bare number, a page-UI word or starts with a determiner."""
    texts = [p.text for p in extract_keyphrases(doc, entities, 20, LISTS)]
    names = {e.name.lower() for e in entities}
    stoplist = LISTS.stop
    for text in texts:
        assert text.lower() not in names
        assert text.lower() not in stoplist
        assert not text.replace(" ", "").isdigit()
        assert text.split()[0] not in {"le", "la", "les", "un", "une", "des", "ce", "cette"}
    assert "publicité" not in texts


def test_phrases_do_not_repeat_each_other(doc: Doc, entities: list[Entity]) -> None:
    """A phrase contained in a better one ("système de défense") is not returned again."""
    texts = [p.text for p in extract_keyphrases(doc, entities, 20, LISTS)]
    assert "système de défense" not in texts
    assert len(set(texts)) == len(texts)


def test_empty_doc_gives_no_keyphrase(nlp: Language) -> None:
    """A text with no noun phrase yields an empty list."""
    assert [] == extract_keyphrases(nlp("Oui."), [], 10, LISTS)


def test_keyphrases_are_fast(doc: Doc, entities: list[Entity]) -> None:
    """Extracting keyphrases from a parsed article takes well under 10 ms on average."""
    extract_keyphrases(doc, entities, 10, LISTS)
    started = time.perf_counter()
    for _ in range(20):
        extract_keyphrases(doc, entities, 10, LISTS)
    assert (time.perf_counter() - started) / 20 < 0.010
