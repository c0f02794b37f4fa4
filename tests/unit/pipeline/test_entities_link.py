"""Entity linking against the shipped knowledge base: countries, capitals, heads, organisations."""

from __future__ import annotations

import re

from spacy.language import Language

from service.model import Entity
from service.pipeline.entities.lexicon import load_lexicon
from service.pipeline.entities.link import link_cluster
from service.pipeline.entities.stage import extract_entities

LEXICON = load_lexicon()
KB = LEXICON.kb


def _links(nlp: Language, body: str) -> dict[str, str | None]:
    entities: list[Entity] = extract_entities(nlp(body), LEXICON, None)
    for entity in entities:
        for mention in entity.mentions:
            assert body[mention.start : mention.end] == mention.text
    return {e.name: e.kb_id for e in entities}


def test_countries_link_by_their_usual_french_names() -> None:
    """French news names and their variants ("Syrie", "Birmanie", "RDC", "Viêt Nam") reach the country."""
    forms = ("Syrie", "Birmanie", "RDC", "Viêt Nam", "Etats-Unis", "Pays-Bas", "Côte d'Ivoire", "Vatican")
    found = {form: link_cluster("LOC", [form], KB) for form in forms}
    assert {
        "Syrie": "Q858",
        "Birmanie": "Q836",
        "RDC": "Q974",
        "Viêt Nam": "Q881",
        "Etats-Unis": "Q30",
        "Pays-Bas": "Q55",
        "Côte d'Ivoire": "Q1008",
        "Vatican": "Q237",
    } == found


def test_capitals_link_to_the_city_and_homonyms_never_do() -> None:
    """Exonyms link to the city item; a capital named like a French place or a country stays unlinked."""
    assert ["Q3640", "Q1899", "Q1899", "Q956", "Q3766"] == [
        link_cluster("LOC", [form], KB) for form in ("Ankara", "Kiev", "Kyiv", "Pékin", "Damas")
    ]
    # Vienne is also a French département; Koweït is the country, not Kuwait City.
    assert link_cluster("LOC", ["Vienne"], KB) is None
    assert "Q817" == link_cluster("LOC", ["Koweït"], KB)


def test_heads_link_through_a_full_name_only() -> None:
    """A head of state links through any spelling of the full name, never through the surname alone."""
    assert "Q39259" == link_cluster("PER", ["Recep Tayyip Erdoğan", "Erdogan"], KB)
    assert "Q3874799" == link_cluster("PER", ["Volodymyr Zelensky", "Zelensky"], KB)
    assert "Q43723" == link_cluster("PER", ["Benyamin Netanyahou"], KB)
    assert "Q3579995" == link_cluster("PER", ["Edouard Philippe", "Philippe"], KB)
    assert link_cluster("PER", ["Erdogan"], KB) is None
    assert link_cluster("PER", ["Hollande"], KB) is None


def test_former_us_presidents_and_uk_prime_ministers_link_by_full_name() -> None:
    """Richard Nixon, Ronald Reagan and Margaret Thatcher link by full name; "Reagan" alone does not."""
    assert "Q9588" == link_cluster("PER", ["Richard Nixon", "Nixon"], KB)
    assert "Q9960" == link_cluster("PER", ["Ronald Reagan"], KB)
    assert "Q7416" == link_cluster("PER", ["Margaret Thatcher"], KB)
    assert link_cluster("PER", ["Reagan"], KB) is None


def test_organisations_link_by_name_or_acronym_with_the_org_label() -> None:
    """UN agencies, EU institutions and courts link by French name or acronym, only as ORG."""
    assert ["Q132551", "Q7809", "Q8880", "Q47488", "Q170424"] == [
        link_cluster("ORG", [form], KB)
        for form in ("HCR", "Unesco", "Commission européenne", "CPI", "Organisation météorologique mondiale")
    ]
    assert link_cluster("LOC", ["Commission européenne"], KB) is None


def test_an_article_links_its_surname_cluster_through_the_full_name(nlp: Language) -> None:
    """The article's "M. Erdogan" joins "Recep Tayyip Erdogan" and the cluster links; places link too."""
    body = (
        "Le président turc Recep Tayyip Erdogan a reçu le ministre à Ankara mardi.\n\n"
        "La Syrie doit coopérer avec le HCR, a ajouté M. Erdogan, attendu à Kiev."
    )
    assert {
        "Recep Tayyip Erdogan": "Q39259",
        "Ankara": "Q3640",
        "Syrie": "Q858",
        "HCR": "Q132551",
        "Kiev": "Q1899",
    } == _links(nlp, body)


def test_a_surname_alone_in_an_article_stays_unlinked(nlp: Language) -> None:
    """Without the full name anywhere in the article, "Sarkozy" is a PER cluster with no link."""
    links = _links(nlp, "Sarkozy a déjeuné à Pékin avec des industriels.")
    assert links.get("Sarkozy") is None
    assert "Q956" == links["Pékin"]


def test_the_shipped_kb_never_gives_one_name_two_items_of_a_label() -> None:
    """Every form of the knowledge base names one item per label, so no name is linked by chance."""
    shared = {
        form: items for form, items in KB.by_form.items() if len({label for _, label in items}) < len(items)
    }
    assert {} == shared
    assert all(re.fullmatch(r"Q[1-9]\d*", qid) for items in KB.by_form.values() for qid, _ in items)
