"""Entities stage v9: general rules and families of known names (sentences of our own)."""

from __future__ import annotations

from tests.unit.pipeline._entities import candidates_of as _found


def test_natural_places_named_after_their_kind_are_places_whole() -> None:
    """Seas, mountains, islands, straits and canals with their name are one place."""
    text = (
        "Partis de la mer de Glace, les guides ont longé le mont Ventoux, "
        "le détroit d'Ormuz, le canal de Suez, l'océan Indien et les îles Féroé."
    )
    assert [
        ("mer de Glace", "LOC"),
        ("mont Ventoux", "LOC"),
        ("détroit d'Ormuz", "LOC"),
        ("canal de Suez", "LOC"),
        ("océan Indien", "LOC"),
        ("îles Féroé", "LOC"),
    ] == _found(text)


def test_a_natural_place_of_a_name_the_model_found_is_that_name() -> None:
    """"l'île de Sumatra" where the model found "Sumatra": the island's own name is the place."""
    text = "Le séisme a frappé l'île de Sumatra dans la nuit de lundi."
    assert [("Sumatra", "LOC")] == _found(text, ("Sumatra", "LOC"))


def test_a_channel_named_after_the_word_canal_is_no_place() -> None:
    """"son canal Info Sport" with the model's organisation: a channel, not a waterway."""
    text = "La chaîne diffuse les matchs sur son canal Info Sport dès samedi."
    assert [("Info Sport", "ORG")] == _found(text, ("Info Sport", "ORG"))


def test_a_harbour_is_a_place_and_a_town_s_harbour_is_the_town() -> None:
    """"le port du Rosmeur" is a place whole; "le port de Lorient" leaves the town alone."""
    text = "Le chalutier a quitté le port de Lorient pour le port du Rosmeur vendredi."
    assert [("Lorient", "LOC"), ("port du Rosmeur", "LOC")] == _found(text, ("Lorient", "LOC"))


def test_a_known_name_in_capitals_glued_to_the_next_sentence_is_found() -> None:
    """A scraper's credit glued to the next sentence ("par 6MEDIASSelon") still names the provider."""
    text = "Le couple se sépare-t-il ?par 6MEDIASSelon nos informations, rien n'est décidé."
    assert ("6MEDIAS", "ORG") in _found(text)


def test_a_known_name_of_several_words_in_another_case_takes_its_label() -> None:
    """"Medecins Sans Frontieres" written without accents and capitalized is the known NGO."""
    text = "Les équipes de Medecins Sans Frontieres sont arrivées à Goma mardi."
    assert [("Medecins Sans Frontieres", "ORG"), ("Goma", "LOC")] == _found(
        text, ("Medecins Sans Frontieres", "LOC"), ("Goma", "LOC")
    )


def test_climate_conferences_and_stage_races_are_events() -> None:
    """A COP by its number and a stage race the model took for a body or a place are events."""
    text = "Après la COP27, le coureur a gagné le Tour de Romandie et le Critérium du Dauphiné."
    assert [("COP27", "MISC"), ("Tour de Romandie", "MISC"), ("Critérium du Dauphiné", "MISC")] == _found(
        text, ("COP27", "ORG"), ("Tour de Romandie", "LOC"), ("Critérium du Dauphiné", "ORG")
    )


def test_rivers_landmarks_foreign_parliaments_and_ngos_are_known_names() -> None:
    """v9 families of the gazetteer: rivers, monuments, foreign parliaments, international bodies, NGOs."""
    text = (
        "Au bord de la Seine, face à la tour Eiffel, des élus de la Chambre des communes, "
        "de l'OSCE et de Save the Children ont parlé des Cévennes."
    )
    assert [
        ("Seine", "LOC"),
        ("tour Eiffel", "LOC"),
        ("Chambre des communes", "ORG"),
        ("OSCE", "ORG"),
        ("Save the Children", "ORG"),
        ("Cévennes", "LOC"),
    ] == _found(text)


def test_a_supreme_or_constitutional_court_with_its_country_is_one_organisation() -> None:
    """"la Cour suprême de l'Ohio" is the court, not a place named "Cour suprême de l'Ohio"."""
    text = "Le recours fut rejeté par la Cour suprême de l'Ohio puis la Cour constitutionnelle du Bénin."
    assert [("Cour suprême de l'Ohio", "ORG"), ("Cour constitutionnelle du Bénin", "ORG")] == _found(
        text, ("Cour suprême de l'Ohio", "LOC"), ("Bénin", "LOC")
    )


def test_foreign_dailies_and_french_programmes_are_known_names() -> None:
    """v9 families: foreign papers by country, regional sites, and TV programmes by their titles."""
    text = (
        "Selon la Gazzetta dello Sport, le Asahi Shimbun et Lyon Capitale, "
        "l'invité de Salut les Terriens a vu Baron noir."
    )
    assert [
        ("Gazzetta dello Sport", "ORG"),
        ("Asahi Shimbun", "ORG"),
        ("Lyon Capitale", "ORG"),
        ("Salut les Terriens", "MISC"),
        ("Baron noir", "MISC"),
    ] == _found(text)


def test_regional_and_city_demonyms_name_people_not_places() -> None:
    """"le Fribourgeois" (a skier), "plusieurs Californiens": inhabitants, not places or groups."""
    text = "Le Fribourgeois a gagné la descente, applaudi par plusieurs Californiens venus en car."
    assert [] == _found(text, ("Fribourgeois", "LOC"), ("Californiens", "ORG"))


def test_a_foreign_minister_s_portfolio_is_no_name() -> None:
    """"le secrétaire britannique à la Santé": the portfolio after a country's adjective is no place."""
    text = "Le secrétaire britannique à la Santé a parlé, puis un ministre confie au Figaro son doute."
    assert [("Figaro", "ORG")] == _found(text, ("Santé", "LOC"), ("Figaro", "ORG"))


def test_a_bare_rer_is_a_train_not_a_place() -> None:
    """"un RER" is a train; "le RER D" is the line."""
    text = "Il est descendu d'un RER bondé avant de reprendre le RER D à Juvisy."
    assert [("RER D", "MISC"), ("Juvisy", "LOC")] == _found(text, ("RER", "LOC"), ("Juvisy", "LOC"))


def test_a_known_company_and_a_country_right_after_it_is_its_subsidiary() -> None:
    """"Samsung Espagne", "Toyota Belgique": the branch is one organisation, not a company and a place."""
    text = "Samsung Espagne a recruté, comme Toyota Belgique, tandis que Canal+ Afrique attendait."
    assert ("Samsung Espagne", "ORG") in _found(text, ("Espagne", "LOC"), ("Belgique", "LOC"))
    assert ("Toyota Belgique", "ORG") in _found(text, ("Espagne", "LOC"), ("Belgique", "LOC"))


def test_events_named_after_their_kind_in_lower_case_are_works() -> None:
    """"le marathon de Berlin", "la foire de Caen": the event whole, without where it is held."""
    text = "Après le marathon de Berlin, il a vu la foire de Caen et le festival Vieilles Pierres en Corse."
    assert [
        ("marathon de Berlin", "MISC"),
        ("foire de Caen", "MISC"),
        ("festival Vieilles Pierres", "MISC"),
        ("Corse", "LOC"),
    ] == _found(text, ("Berlin", "LOC"), ("Caen", "LOC"), ("Corse", "LOC"))


def test_a_festival_named_by_the_model_keeps_its_own_name() -> None:
    """"le festival Hellébore" where the model found "Hellébore": the name alone is the event."""
    text = "Les musiciens joueront au festival Hellébore cet été."
    assert [("Hellébore", "MISC")] == _found(text, ("Hellébore", "MISC"))


def test_a_road_by_its_kind_and_number_is_a_place() -> None:
    """"la départementale 906", "la route 66": the road, written out, is a place."""
    text = "L'accident a eu lieu sur la départementale 906, puis sur la route 66 le lendemain."
    assert [("départementale 906", "LOC"), ("route 66", "LOC")] == _found(text)
