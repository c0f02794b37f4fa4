"""The entities stage: repaired mentions merged into one cluster per real-world entity."""

from __future__ import annotations

import pytest
from spacy.language import Language

from service.model import Entity
from service.pipeline.entities.lexicon import load_lexicon
from service.pipeline.entities.stage import extract_demonym_countries, extract_entities

LEXICON = load_lexicon()


def _run(nlp: Language, body: str, title: str | None = None) -> list[Entity]:
    entities = extract_entities(nlp(body), LEXICON, title)
    for entity in entities:
        for mention in entity.mentions:
            assert body[mention.start : mention.end] == mention.text
    return entities


def _by_name(entities: list[Entity]) -> dict[str, Entity]:
    return {e.name: e for e in entities}


def test_surname_and_honorific_join_the_full_name(nlp: Language) -> None:
    """A surname alone and "M. <surname>" are mentions of the full name used earlier."""
    body = (
        "Le président Vladimir Poutine a reçu ses ministres lundi à Moscou.\n\n"
        "Selon M. Poutine, la réunion a été utile. Poutine doit repartir demain."
    )
    poutine = _by_name(_run(nlp, body))["Vladimir Poutine"]
    assert ("PER", 3) == (poutine.label, poutine.count)
    assert ["Vladimir Poutine", "Poutine"] == poutine.aliases


def test_plural_honorific_names_two_people(nlp: Language) -> None:
    """The form "MM. A et B" gives one mention to each of the two people, without the honorific."""
    body = (
        "Vladimir Poutine et Recep Tayyip Erdogan se sont parlé au téléphone mardi.\n\n"
        "Les relations entre MM. Poutine et Erdogan restent bonnes, selon leurs services."
    )
    found = _by_name(_run(nlp, body))
    assert 2 == found["Vladimir Poutine"].count
    assert 2 == found["Recep Tayyip Erdogan"].count
    assert "MM. Poutine" not in found["Vladimir Poutine"].aliases


def test_namesakes_stay_apart_and_bare_surname_goes_to_the_last_named(nlp: Language) -> None:
    """Two people sharing a surname stay two clusters; the bare surname joins the one named last."""
    body = (
        "La candidate Marine Le Pen a tenu un meeting à Nice dimanche.\n\n"
        "Son père, Jean-Marie Le Pen, n'était pas présent. Selon lui, Le Pen avait tort."
    )
    found = _by_name(_run(nlp, body))
    assert 1 == found["Marine Le Pen"].count
    assert ["Jean-Marie Le Pen", "Le Pen"] == found["Jean-Marie Le Pen"].aliases


def test_case_and_accent_variants_merge(nlp: Language) -> None:
    """Case and accent variants such as "OTAN"/"Otan" and "États-Unis"/"Etats-Unis" are one entity."""
    body = (
        "Les États-Unis ont demandé à l'OTAN de renforcer sa présence.\n\n"
        "L'Otan a répondu que les Etats-Unis devaient d'abord payer leur part."
    )
    found = _by_name(_run(nlp, body))
    assert (2, ["OTAN", "Otan"], "ORG") == (found["OTAN"].count, found["OTAN"].aliases, found["OTAN"].label)
    assert (2, "LOC") == (found["États-Unis"].count, found["États-Unis"].label)


def test_acronym_joins_its_expansion(nlp: Language) -> None:
    """An acronym defined in parentheses is the same entity as its expansion."""
    body = (
        "Les élus de La France insoumise (LFI) ont quitté l'hémicycle jeudi.\n\n"
        "Le groupe LFI dénonce une réforme injuste."
    )
    found = _by_name(_run(nlp, body))
    lfi = next(e for e in found.values() if "LFI" in e.aliases)
    assert (3, "ORG") == (lfi.count, lfi.label)
    assert lfi.name.endswith("France insoumise")


def test_weapon_systems_and_institutions_come_from_patterns(nlp: Language) -> None:
    """Weapon-system shapes are MISC and the Kremlin is an ORG, whatever the model says."""
    body = "Le Kremlin a livré des S-400 à Ankara, qui voulait aussi des F-35 américains."
    found = {e.name: e.label for e in _run(nlp, body)}
    assert {"Kremlin": "ORG", "S-400": "MISC", "F-35": "MISC"} == {
        k: v for k, v in found.items() if k in {"Kremlin", "S-400", "F-35"}
    }


def test_spans_do_not_cross_lines_or_keep_trailing_hyphens(nlp: Language) -> None:
    """Mentions never contain a line break and lose trailing hyphens and punctuation."""
    body = (
        "La Russie et la Turquie sont rivales sur plusieurs dossiers -Syrie, Libye, Caucase-, "
        "mais elles coopèrent.\n\nPartager\nSuivez-nous\nPUBLICITÉ"
    )
    entities = _run(nlp, body)
    texts = {m.text for e in entities for m in e.mentions}
    assert {"Russie", "Turquie", "Syrie", "Libye", "Caucase"} == texts


def test_state_name_joins_the_short_country_name(nlp: Language) -> None:
    """The state name "Fédération de Russie" and "Russie" are one country, named in full."""
    body = "La Fédération de Russie a protesté. La Russie juge ces sanctions illégales."
    russia = _by_name(_run(nlp, body))["Fédération de Russie"]
    assert (2, "LOC") == (russia.count, russia.label)


def test_capital_misread_as_person_is_a_place(nlp: Language) -> None:
    """A known capital is labelled LOC by its cluster even when the model says PER."""
    body = "Ankara a acheté des missiles. Washington a protesté et Ankara a répondu."
    labels = {e.name: e.label for e in _run(nlp, body)}
    assert ("LOC", "LOC") == (labels["Ankara"], labels["Washington"])


def test_salience_is_sorted_bounded_and_favours_the_title(nlp: Language) -> None:
    """Entities come most salient first, within [0, 1], and a title mention lifts an entity."""
    body = (
        "Emmanuel Macron a rencontré Olaf Scholz à Berlin.\n\n"
        "Olaf Scholz a salué la visite. Scholz a promis une réponse commune avec Macron."
    )
    plain = _run(nlp, body)
    titled = _run(nlp, body, "Macron en visite en Allemagne")
    saliences = [e.salience for e in plain]
    assert sorted(saliences, reverse=True) == saliences
    assert all(0.0 <= s <= 1.0 for s in saliences)
    before = _by_name(plain)["Emmanuel Macron"].salience
    after = _by_name(titled)["Emmanuel Macron"].salience
    assert pytest.approx(0.2, abs=1e-3) == after - before


def test_empty_body_has_no_entities(nlp: Language) -> None:
    """A body without names yields an empty list."""
    assert [] == _run(nlp, "il pleut depuis ce matin sur la ville.")


def test_cluster_label_outvotes_a_wrong_mention_label(nlp: Language) -> None:
    """A surname the model tags as a place still joins the person, who stays PER."""
    body = (
        "Le porte-parole Dmitri Peskov a démenti ces informations.\n\n"
        "Peskov a ensuite refusé tout commentaire sur Peskov lui-même."
    )
    entities = _run(nlp, body)
    peskov = [e for e in entities if "Peskov" in e.name]
    assert [("Dmitri Peskov", "PER", 3)] == [(e.name, e.label, e.count) for e in peskov]


def test_first_name_alone_joins_the_only_full_name_starting_with_it(nlp: Language) -> None:
    """A lone first name is the person whose full name starts with it, when only one does."""
    body = (
        "La chanteuse Céline Dion a annoncé une tournée en Europe.\n\n"
        "Céline a remercié ses fans lors d'une conférence à Montréal."
    )
    dion = _by_name(_run(nlp, body))["Céline Dion"]
    assert ["Céline Dion", "Céline"] == dion.aliases


def test_common_nouns_and_page_words_are_not_entities(nlp: Language) -> None:
    """Capitalized common nouns ("Etat américain", "Premier ministre") and UI words are dropped."""
    body = (
        "Chaque Etat américain fixe ses règles, a rappelé le Premier ministre canadien.\n\n"
        "Partager\n\nPUBLICITÉ\n\nLe texte sera examiné à Ottawa."
    )
    assert [("Ottawa", "LOC")] == [(e.name, e.label) for e in _run(nlp, body)]


def test_demonyms_used_as_nouns_are_not_entities(nlp: Language) -> None:
    """Inhabitants named by a demonym ("les Américains", "les Choletais") are no entity; places stay."""
    body = "Les Américains et les Choletais ont condamné l'attaque contre l'Ukraine."
    assert {"Ukraine": "LOC"} == {e.name: e.label for e in _run(nlp, body)}


def test_portfolio_after_ministre_is_a_role_and_after_ministere_an_org(nlp: Language) -> None:
    """The portfolio in "ministre des Transports" is dropped; "ministère des Armées" is one ORG."""
    body = (
        "La ministre des Transports Élisabeth Borne a été reçue lundi.\n\n"
        "Le ministère des Armées a publié un communiqué sur cette rencontre."
    )
    found = {(e.name, e.label) for e in _run(nlp, body)}
    assert ("ministère des Armées", "ORG") in found
    assert not any("Transports" in name for name, _ in found)


def test_acronym_before_its_expansion_is_one_entity(nlp: Language) -> None:
    """The form "CSA (Conseil supérieur de l'audiovisuel)" ties the acronym to the full name."""
    body = (
        "Le CSA (Conseil supérieur de l'audiovisuel) a mis en demeure la chaîne.\n\n"
        "Selon le Conseil supérieur de l'audiovisuel, le CSA avait déjà prévenu ses dirigeants."
    )
    csa = next(e for e in _run(nlp, body) if "CSA" in e.aliases)
    assert ("Conseil supérieur de l'audiovisuel", "ORG", 4) == (csa.name, csa.label, csa.count)


def test_known_party_acronym_joins_the_party_name(nlp: Language) -> None:
    """Alias groups from the data file join "RN" and "Rassemblement national" and fix the label."""
    body = (
        "Le Rassemblement national a présenté ses listes.\n\n"
        "Au RN, on se félicite du nombre de candidats retenus."
    )
    rn = next(e for e in _run(nlp, body) if "RN" in e.aliases)
    assert ("Rassemblement national", "ORG", 2) == (rn.name, rn.label, rn.count)


def test_demonyms_point_to_their_countries(nlp: Language) -> None:
    """Compound and plain demonyms name countries: "russo-turque" gives Russia and Turkey."""
    body = "La coopération russo-turque inquiète les Sud-Coréens et le gouvernement américain."
    found = {country.name: country.mentions for country in extract_demonym_countries(nlp(body), LEXICON)}
    assert ["Russie", "Turquie", "Corée du Sud", "États-Unis"] == list(found)
    assert [(15, 27, "russo-turque")] == [(m.start, m.end, m.text) for m in found["Russie"]]
    assert "russo-turque" == body[15:27]
