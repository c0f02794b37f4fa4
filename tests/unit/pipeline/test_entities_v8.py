"""Entities stage v8: general rules and families of known names (sentences of our own)."""

from __future__ import annotations

from service.pipeline.entities.gazetteer import known_spans, product_spans, street_spans
from tests.unit.pipeline._entities import LEXICON
from tests.unit.pipeline._entities import candidates_of as _found


def test_a_ministry_runs_on_through_the_lower_case_end_of_its_portfolio() -> None:
    """The model's "ministère des Anciens combattants" is not cut at the capitalized word."""
    text = "Le ministère des Anciens combattants a publié un communiqué jeudi."
    assert [("ministère des Anciens combattants", "ORG")] == _found(
        text, ("ministère des Anciens combattants", "ORG")
    )


def test_a_periodical_by_its_english_title_is_an_organisation() -> None:
    """A journal's English title tagged as a work ("Annals of ...") is an ORG, like a daily."""
    text = "Les résultats paraissent dans Annals of Internal Medicine cette semaine."
    assert [("Annals of Internal Medicine", "ORG")] == _found(text, ("Annals of Internal Medicine", "MISC"))


def test_a_name_after_revue_is_an_organisation() -> None:
    """The word "revue" before a name says it is a periodical: "la revue Cell Reports"."""
    text = "Publiée par la revue Cell Reports, l'étude a surpris les biologistes."
    assert [("Cell Reports", "ORG")] == _found(text, ("Cell Reports", "MISC"))


def test_motorcycle_tyre_bicycle_and_aircraft_makes_name_their_models() -> None:
    """A model after a make of the v8 families is a product: motorcycles, tyres, bicycles, aircraft."""
    text = (
        "Il garde sa Yamaha MT 09, des pneus Bridgestone Battlax S22, "
        "un cadre Colnago V4Rs et vole en Embraer E190."
    )
    assert [
        ("Yamaha MT 09", "MISC"),
        ("Bridgestone Battlax S22", "MISC"),
        ("Colnago V4Rs", "MISC"),
        ("Embraer E190", "MISC"),
    ] == [(p.text, p.label) for p in product_spans(text, LEXICON.gazetteer)]


def test_a_model_taken_for_a_person_is_the_product() -> None:
    """The model's person "Dogma F" ending in a code is the make's product; a driver stays a person."""
    text = "Sur une Pinarello Dogma F, puis avec le pilote Ducati Marc Pedrosa, la course a repris."
    assert [("Pinarello Dogma F", "MISC"), ("Ducati", "ORG"), ("Marc Pedrosa", "PER")] == _found(
        text, ("Pinarello Dogma F", "PER"), ("Marc Pedrosa", "PER")
    )


def test_a_seat_of_power_named_like_a_street_is_the_body_it_houses() -> None:
    """A known seat of power read as a street is the ministry (ORG); a plain street stays a place."""
    text = "Le Quai d'Orsay et la place Beauvau ont réagi depuis la rue Lamartine."
    assert [("Quai d'Orsay", "ORG"), ("place Beauvau", "ORG"), ("rue Lamartine", "LOC")] == _found(text)


def test_a_compound_demonym_plural_is_no_place() -> None:
    """A compound ending in a demonym ("Afro-Américains") names inhabitants, not a place."""
    text = "Beaucoup d'Afro-Américains ont voté, comme en Allemagne."
    assert [("Allemagne", "LOC")] == _found(text, ("Afro-Américains", "LOC"), ("Allemagne", "LOC"))


def test_fashion_houses_motoring_titles_and_foreign_agencies_are_known() -> None:
    """The v8 families name fashion houses, motoring magazines and foreign news agencies (ORG)."""
    text = "Selon Agerpres et Auto Bild, la maison Givenchy défilera avec Dolce & Gabbana à Milan."
    assert [
        ("Agerpres", "ORG"),
        ("Auto Bild", "ORG"),
        ("Givenchy", "ORG"),
        ("Dolce & Gabbana", "ORG"),
    ] == [(k.text, k.label) for k in known_spans(text, LEXICON.gazetteer)]


def test_a_model_code_keeps_its_dot_before_a_digit() -> None:
    """A dot before a digit stays inside a model word after its make: "Volkswagen ID.4"."""
    text = "La Volkswagen ID.4 roule, la Skoda Enyaq aussi."
    assert ["Volkswagen ID.4", "Skoda Enyaq"] == [p.text for p in product_spans(text, LEXICON.gazetteer)]


def test_a_hybrid_kind_or_a_body_style_alone_is_no_name() -> None:
    """A hybrid kind ("PHEV") or a body style ("Fastback") tagged alone is no name."""
    text = "Cette version PHEV existe aussi en Fastback chez Renault."
    assert [("Renault", "ORG")] == _found(text, ("PHEV", "MISC"), ("Fastback", "LOC"), ("Renault", "ORG"))


def test_a_viaduct_a_forecourt_and_a_tunnel_are_places_whole() -> None:
    """A viaduct, a forecourt and a tunnel are places with their name ("viaduc de Garabit")."""
    text = "Du viaduc de Garabit au parvis de la Défense, puis par le tunnel du Fréjus."
    assert [
        ("viaduc de Garabit", "LOC"),
        ("parvis de la Défense", "LOC"),
        ("tunnel du Fréjus", "LOC"),
    ] == [(s.text, s.label) for s in street_spans(text)]


def test_a_title_won_is_no_name() -> None:
    """A title tagged as a name ("Championne d'Europe de descente") is no entity; the skier is."""
    text = "Lara Gut, Championne d'Europe de descente, a gagné."
    assert [("Lara Gut", "PER")] == _found(
        text, ("Lara Gut", "PER"), ("Championne d'Europe de descente", "MISC")
    )
