"""Entities stage v7: whole families of known names, and the rules that use them (sentences of our own)."""

from __future__ import annotations

import spacy

from service.pipeline.entities.candidate import Candidate
from service.pipeline.entities.cluster import cluster_candidates
from service.pipeline.entities.gazetteer import club_spans, known_spans, product_spans, work_spans
from service.pipeline.entities.lexicon import load_lexicon
from service.pipeline.entities.spans import _accept, _at_dash, _town_demonym_plural

LEXICON = load_lexicon()


def _cand(text: str, form: str, label: str, nth: int = 0) -> Candidate:
    start = -1
    for _ in range(nth + 1):
        start = text.index(form, start + 1)
    return Candidate(start, start + len(form), form, label)


def _known(text: str) -> list[tuple[str, str]]:
    return [(k.text, k.label) for k in known_spans(text, LEXICON.gazetteer)]


def test_forms_of_one_known_entry_are_one_entity() -> None:
    """A body's acronym joins its known expansion even when the initials differ ("EMA")."""
    text = "L'Agence européenne des médicaments rendra son avis lundi. Selon l'EMA, le dossier est complet."
    cands = [_cand(text, "Agence européenne des médicaments", "ORG"), _cand(text, "EMA", "ORG")]
    clusters = cluster_candidates(text, cands, LEXICON)
    assert [["Agence européenne des médicaments", "EMA"]] == [[m.text for m in c.mentions] for c in clusters]


def test_channels_platforms_and_public_bodies_are_known() -> None:
    """Channels (spaced "Canal +"), streaming platforms and state bodies are ORG without the model."""
    text = "Diffusé sur Canal + puis sur Disney+, le film a été épinglé par la Cour des comptes et l'Arcep."
    assert [
        ("Canal +", "ORG"),
        ("Disney+", "ORG"),
        ("Cour des comptes", "ORG"),
        ("Arcep", "ORG"),
    ] == _known(text)


def test_programmes_events_and_products_are_misc() -> None:
    """TV programmes, recurring events and consumer products are MISC."""
    text = "Après Le Meilleur Pâtissier, elle a couru le Vendée Globe avec un Doliprane dans la poche."
    assert [("Le Meilleur Pâtissier", "MISC"), ("Vendée Globe", "MISC"), ("Doliprane", "MISC")] == _known(
        text
    )


def test_a_quoted_title_on_a_streaming_platform_is_a_work() -> None:
    """A platform is a medium like a channel: « X » sur Salto names a work."""
    text = "Les abonnés découvrent « Les Gardiens du phare » sur Salto dès vendredi."
    assert ["Les Gardiens du phare"] == [w.text for w in work_spans(text, LEXICON.gazetteer)]


def test_a_known_product_runs_on_through_its_model_words() -> None:
    """A product of the gazetteer takes its model like a make ("Xbox Series X"); a TER line does not."""
    text = "Il a offert une Xbox Series X et un iPhone 13 mini, puis a pris le TER Normandie."
    assert ["Xbox Series X", "iPhone 13"] == [p.text for p in product_spans(text, LEXICON.gazetteer)]


def test_a_hyphenated_fixture_with_a_known_club_is_two_clubs() -> None:
    """In a match report "Bayern Munich-Leipzig" names two clubs, which win over the model's one span."""
    text = "Le match Bayern Munich-Leipzig s'est fini sur une victoire et trois buts."
    clubs = [(c.text, c.label) for c in club_spans(text, LEXICON.gazetteer, LEXICON.places)]
    assert [("Bayern Munich", "ORG"), ("Leipzig", "ORG")] == clubs
    fixture = _cand(text, "Bayern Munich-Leipzig", "ORG")
    assert _at_dash(fixture, _cand(text, "Bayern Munich", "ORG"))
    assert not _at_dash(_cand(text, "Bayern Munich", "ORG"), _cand(text, "Munich", "LOC"))


def test_a_country_after_a_match_verb_is_its_national_side() -> None:
    """In a match report "face à l'Italie" is the side (ORG); "en Italie" and a town stay places."""
    text = "Après un but en finale face à l'Italie, battue par la Ville, l'équipe rentre en Italie."
    clubs = club_spans(text, LEXICON.gazetteer, LEXICON.places, LEXICON.countries)
    assert [("Italie", "ORG")] == [(c.text, c.label) for c in clubs]


def test_a_towns_inhabitants_are_no_club() -> None:
    """In "les Rennais" the model took for a club are the town's people; "les Républicains" stay a party."""
    text = "Menés à la pause, les Rennais ont renversé le match, au grand dam des Républicains du coin."
    assert _town_demonym_plural(text, _cand(text, "Rennais", "ORG"), LEXICON)
    assert not _town_demonym_plural(text, _cand(text, "Républicains", "ORG"), LEXICON)


def test_a_title_named_in_the_sentence_or_a_project_in_quotes_is_a_work() -> None:
    """« une tournée baptisée "X" » and « le projet "Y" » name works (MISC)."""
    text = 'Une tournée baptisée "Retour aux sources" suivra le projet « Orion » du studio.'
    works = [(w.text, w.label) for w in work_spans(text, LEXICON.gazetteer)]
    assert [("Retour aux sources", "MISC"), ("Orion", "MISC")] == works


def test_a_message_or_an_animal_named_in_the_sentence_is_no_work() -> None:
    """« un communiqué intitulé "X" » and « un chiot baptisé "Y" » are no works."""
    text = 'Dans un communiqué intitulé "Assez d\'attente", le club présente un chiot baptisé « Filou ».'
    assert [] == work_spans(text, LEXICON.gazetteer)


def test_a_known_name_after_ex_is_still_named() -> None:
    """After "ex-" a known name is named: "ex-UMP", "(Chelsea, ex-PSG)"; a place glued by a hyphen is not."""
    text = "Le député (ex-UMP) et l'attaquant (Chelsea, ex-PSG) ont couru à Saint-PSG."
    assert [("UMP", "ORG"), ("Chelsea", "ORG"), ("PSG", "ORG")] == _known(text)


def test_a_towns_club_named_as_such_or_in_a_match_report_is_an_org() -> None:
    """A town's club: "le club de rugby de Bayonne" anywhere, "on joue Angers" in a match report."""
    town = "Il a signé au club de rugby de Bayonne."
    found = club_spans(town, LEXICON.gazetteer, LEXICON.places)
    assert [("Bayonne", "ORG")] == [(c.text, c.label) for c in found]
    text = "Après la défaite, on joue Angers en championnat, à trois points de Metz. Il vit à Lyon."
    clubs = [c.text for c in club_spans(text, LEXICON.gazetteer, LEXICON.places)]
    assert ["Angers", "Metz"] == clubs


def test_a_networks_regional_edition_is_its_name() -> None:
    """Regional editions are one name ("France Bleu Pays Basque", "BFM Marseille"), not "France 3 Le soir"."""
    text = "Selon France Bleu Pays Basque et BFM Marseille, puis France 3 Le soir même."
    assert [("France Bleu Pays Basque", "ORG"), ("BFM Marseille", "ORG"), ("France 3", "ORG")] == _known(text)


def test_a_departement_named_as_such_is_found_even_when_a_common_word() -> None:
    """A cued département is a place ("Lens (Nord)", "le département de la Somme"), a bare "la Manche" not."""
    text = "Un accident à Lens (Nord), puis un autre dans le département de la Somme, près de la Manche."
    clusters = cluster_candidates(text, [], LEXICON)
    assert [("Nord", "LOC"), ("Somme", "LOC")] == [(c.name, c.label) for c in clusters]


def test_a_title_an_alert_or_a_class_is_no_place() -> None:
    """No place in "garde des Sceaux", "duchesse de Cornouailles", "vigilance orange Orages", "classé X"."""
    text = (
        "La garde des Sceaux et la duchesse de Cornouailles sont en vigilance orange Orages "
        "près du site classé Seveso, à Rouen."
    )
    doc = spacy.blank("fr")(text)
    kept = [
        w
        for w in ("Sceaux", "Cornouailles", "Orages", "Seveso", "Rouen")
        if _accept(doc, text, _cand(text, w, "LOC"), LEXICON) is not None
    ]
    assert ["Rouen"] == kept


def test_a_country_after_contre_stays_a_country_without_a_match_in_the_sentence() -> None:
    """A story that says "rencontre" and "but" is no match report for "une offensive contre l'Iran"."""
    text = "Après une rencontre dans le but d'apaiser, il a mis en garde contre une offensive contre l'Iran."
    assert [] == club_spans(text, LEXICON.gazetteer, LEXICON.places, LEXICON.countries)
