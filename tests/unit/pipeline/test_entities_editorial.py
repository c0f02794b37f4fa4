"""Entities stage v5 rules, one sentence of our own each: nationalities, portfolios, titles, places, names."""

from __future__ import annotations

import spacy
from spacy.tokens import Span

from service.pipeline.entities.candidate import Candidate
from service.pipeline.entities.cluster import cluster_candidates
from service.pipeline.entities.gazetteer import institution_spans, known_spans, street_spans
from service.pipeline.entities.lexicon import load_lexicon
from service.pipeline.entities.spans import (
    _after_demonym,
    _century,
    _cued_label,
    _demonym_plural,
    _gazetteer_label,
    _head_before,
    _is_noise,
    _named_by_known,
    _pieces,
    _quoted_title,
    _shape_label,
    _trimmed,
    _unglue,
    _with_country_adjective,
    _without_leading_preposition,
    candidates,
)

LEXICON = load_lexicon()
BLANK = spacy.blank("fr")


def _cand(text: str, form: str, label: str, **kwargs: object) -> Candidate:
    start = text.index(form)
    return Candidate(start, start + len(form), form, label, **kwargs)  # type: ignore[arg-type]


def _clusters(body: str, cands: list[Candidate]) -> dict[str, tuple[str, list[str]]]:
    return {c.name: (c.label, [m.text for m in c.mentions]) for c in cluster_candidates(body, cands, LEXICON)}


def test_a_nationality_before_a_name_is_not_part_of_it() -> None:
    """In "le Croate Luka Modric" the name is a person's; "du Japonais Sony" its label; "Suisse" stays."""
    text = "Le Croate Luka Modric et le Japonais Sony, puis Suisse Romande."
    start = text.index("Croate")
    assert (text.index("Luka"), "PER") == _after_demonym(text, start, text.index(" et"), "LOC", LEXICON)
    start = text.index("Japonais")
    assert (text.index("Sony"), "MISC") == _after_demonym(text, start, text.index(", puis"), "MISC", LEXICON)
    start = text.index("Suisse")
    assert (start, "LOC") == _after_demonym(text, start, len(text) - 1, "LOC", LEXICON)


def test_a_genre_and_its_adjective_do_not_make_a_person_a_work() -> None:
    """A genre and its adjective keep the person ("la chanson réaliste X"); a "série" titles a work."""
    text = "Une légende de la chanson réaliste Barbara Hendricks, fan de la série Julie Lescaut."
    assert _cued_label(text, _cand(text, "Barbara Hendricks", "PER"), LEXICON) is None
    assert "MISC" == _cued_label(text, _cand(text, "Julie Lescaut", "PER"), LEXICON)


def test_a_body_named_after_a_person_is_an_org_and_keeps_the_person_apart() -> None:
    """The "Fondation Marie Curie" is an ORG; "Marie Curie" nearby stays the person, not its short form."""
    body = "La Fondation Marie Curie a reçu un don. Marie Curie aurait aimé."
    founded = _cand(body, "Fondation Marie Curie", "PER")
    founded.forced_label = _shape_label(founded)
    assert "ORG" == founded.forced_label
    person = Candidate(body.rindex("Marie Curie"), body.rindex("Marie Curie") + 11, "Marie Curie", "PER")
    assert {
        "Fondation Marie Curie": ("ORG", ["Fondation Marie Curie"]),
        "Marie Curie": ("PER", ["Marie Curie"]),
    } == _clusters(body, [founded, person])


def test_capitalized_prepositions_centuries_and_mankind_are_noise() -> None:
    """Capitalized prepositions, "Homme" and "QUIZ" are no names; "D'Artagnan" is one."""
    assert _is_noise("De l'édition 2021", LEXICON)
    assert _is_noise("Homme", LEXICON)
    assert _is_noise("QUIZ", LEXICON)
    assert not _is_noise("D'Artagnan", LEXICON)


def test_a_portfolio_after_its_role_is_no_name() -> None:
    """The portfolio after "secrétaire d'État chargée de la" or "ministre délégué aux" is no name."""
    text = "La secrétaire d'État chargée de la Biodiversité et le ministre délégué aux Sports ont parlé."
    assert _head_before(text, _cand(text, "Biodiversité", "MISC"), LEXICON) is None
    assert _head_before(text, _cand(text, "Sports", "ORG"), LEXICON) is None


def test_a_preposition_taken_into_a_place_is_dropped() -> None:
    """A model place "de la Sarthe" is Sarthe, "des Cévennes" is Cévennes; "de Villepin" stays whole."""
    sarthe = Candidate(0, 12, "de la Sarthe", "LOC")
    assert "Sarthe" == _without_leading_preposition(sarthe, LEXICON)
    assert (6, "LOC") == (sarthe.start, sarthe.forced_label)
    assert "Cévennes" == _without_leading_preposition(Candidate(0, 12, "des Cévennes", "LOC"), LEXICON)
    assert "de Villepin" == _without_leading_preposition(Candidate(0, 11, "de Villepin", "PER"), LEXICON)


def test_road_numbers_with_a_space_are_the_road() -> None:
    """The words "la route RN 12" and "la RN 7" name the roads RN 12 and RN 7."""
    text = "Un poids lourd s'est couché sur la route RN 12 puis sur la RN 7."
    assert [("RN 12", "LOC"), ("RN 7", "LOC")] == [(c.text, c.label) for c in street_spans(text)]


def test_a_state_of_a_country_joins_its_bare_name_and_corse_is_a_place() -> None:
    """The forms "Etat du Texas" and "Texas" are one place; "Corse" alone is the island, not a demonym."""
    body = "L'Etat du Texas a voté. Au Texas, comme en Corse, on attend."
    cands = [_cand(body, "Etat du Texas", "LOC"), _cand(body, "Texas,", "LOC"), _cand(body, "Corse", "MISC")]
    cands[1].end -= 1
    cands[1].text = "Texas"
    assert {
        "Etat du Texas": ("LOC", ["Etat du Texas", "Texas"]),
        "Corse": ("LOC", ["Corse"]),
    } == _clusters(body, cands)


def test_hexagone_and_departements_are_found_where_the_model_missed_them() -> None:
    """Places "Hexagone" and "Côtes-d'Armor" are recovered; "Manche" (also a common word) is not."""
    body = "Il pleut sur l'Hexagone, surtout dans les Côtes-d'Armor et la Manche."
    assert {"Hexagone": ("LOC", ["Hexagone"]), "Côtes-d'Armor": ("LOC", ["Côtes-d'Armor"])} == _clusters(
        body, []
    )


def test_an_institution_head_before_a_known_name_leaves_the_name() -> None:
    """The words "l'institut Odoxa" name Odoxa, the known pollster, not an institute named Odoxa."""
    text = "Selon l'institut Odoxa, la confiance recule."
    institution = institution_spans(text)[0]
    odoxa = known_spans(text, LEXICON.gazetteer)[0]
    assert ("institut Odoxa", "Odoxa") == (institution.text, odoxa.text)
    assert _named_by_known(text, institution, odoxa)


def test_a_ministry_keeps_its_country_adjective() -> None:
    """A ministry runs on through its country's adjective ("brésilien") but not through "samedi"."""
    text = "Le ministère de la Santé brésilien a répondu au ministère de la Santé samedi."
    first, second = (_with_country_adjective(text, i, LEXICON) for i in institution_spans(text))
    assert ("ministère de la Santé brésilien", "ministère de la Santé") == (first.text, second.text)


def test_gendarmerie_units_and_the_paris_fire_brigade_are_institutions() -> None:
    """Peloton units and the Paris fire brigade with their place are ORG spans."""
    text = "Les gendarmes du peloton motorisé de Brioude et la brigade des sapeurs-pompiers de Paris."
    assert [
        ("peloton motorisé de Brioude", "ORG"),
        ("brigade des sapeurs-pompiers de Paris", "ORG"),
    ] == [(c.text, c.label) for c in institution_spans(text)]


def test_a_credit_glued_to_the_next_sentence_is_cut_and_keeps_its_known_label() -> None:
    """In "par TF1Selon la police" the credit is TF1, which the gazetteer knows as an ORG."""
    text = "Reportage par TF1Selon la police, rien."
    start = text.index("TF1")
    assert (start, start + 3) == _unglue(text, start, text.index(" la"))
    assert "ORG" == _gazetteer_label("TF1", LEXICON)


def test_a_work_tagged_into_the_next_phrase_or_half_a_title_is_repaired() -> None:
    """A work tagged up to "à l'association" stops before it; "Jules" widens to "Jules et Jim"."""
    text = "Il versera sa prime de la Coupe du monde à l'association."
    doc = BLANK(text)
    span = doc.char_span(text.index("Coupe"), text.index("."), label="MISC")
    assert span is not None
    assert ["Coupe du monde"] == [
        c.text for c in _pieces(text, Span(doc, span.start, span.end, "MISC"), LEXICON)
    ]
    text = 'Elle a joué dans "Jules et Jim" en 1962.'
    cand = _cand(text, "Jules", "MISC")
    _quoted_title(text, cand)
    assert ("Jules et Jim", text.index("Jules et Jim")) == (cand.text, cand.start)


def test_company_abbreviations_keep_their_dot_and_ethnic_plurals_are_people() -> None:
    """A company's "Inc." keeps its dot; "des camps de Roms" names people, not a place."""
    text = "Le groupe Acme Inc. a racheté des terrains près des camps de Roms."
    start = text.index("Acme")
    assert text[start : text.index(" a ")] == text[slice(*_trimmed(text, start, text.index(".")))]
    assert _demonym_plural(text, _cand(text, "Roms", "LOC"), LEXICON)


def test_more_media_companies_and_public_bodies_are_known() -> None:
    """People magazines, tech companies and national police forces are found as written."""
    text = "Selon Voici, ByteDance a été reçu par la gendarmerie nationale et le Quotidien du médecin."
    assert [
        ("Voici", "ORG"),
        ("ByteDance", "ORG"),
        ("gendarmerie nationale", "ORG"),
        ("Quotidien du médecin", "ORG"),
    ] == [(c.text, c.label) for c in known_spans(text, LEXICON.gazetteer)]


def test_a_century_is_a_date_but_an_arrondissement_is_a_place() -> None:
    """The "XIXe" of "au XIXe siècle" is a date; "(XVIIIe)" after a Paris address is a place."""
    text = "Bâtie au XIXe siècle, la maison du XVIIIe (XVIIIe) est en vente."
    assert _century(text, _cand(text, "XIXe", "LOC"))
    assert _century(text, _cand(text, "XIXe siècle", "LOC"))
    assert not _century(text, _cand(text, "XVIIIe", "LOC"))


def test_voici_is_the_magazine_unless_it_presents_something() -> None:
    """In "selon Voici" and "Voici rapporte" the magazine is named; "Voici la réponse" names nothing."""
    text = "Selon Voici, le couple a rompu. Voici rapporte la rupture. Voici la réponse du chanteur."
    doc = BLANK(text)
    known = [c.text for c in candidates(doc, text, LEXICON) if c.text == "Voici"]
    assert 2 == len(known)
