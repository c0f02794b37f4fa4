"""Bylines in the shapes French news sites print them, found next to the headline or under the text."""

from __future__ import annotations

import pytest

from service.pipeline.text.names import author_part, is_author_line
from tests.unit.pipeline.test_clean import reasons, run

MENU = "Accueil\nActualitéSportCultureÉconomie\nSe connecter"
HEADLINE = "Grève des contrôleurs : le trafic ferroviaire paralysé dans le sud-ouest"
LEDE = (
    "La grève des contrôleurs a paralysé mercredi une grande partie du trafic ferroviaire dans le "
    "sud-ouest, où seul un train régional sur trois a circulé selon la direction régionale."
)
MORE = (
    "Les syndicats réclament des embauches et une prime de fin d'année, et menacent de reconduire "
    "le mouvement pendant les vacances si la direction ne revient pas à la table des négociations."
)
DATE = "Publié le 05/02/2025 à 23h48"


# Bylines read as printed (only their dates would be cut).
AS_PRINTED = [
    "Par Jean Dupont",
    "Par : La rédaction avec AFP",
    "Jean Dupont, envoyé spécial à Kiev",
    "Par Jean Dupont et Marie Martin",
    "J.D. avec AFP",
    "Propos recueillis par Marie Martin",
    "Texte : Jean Dupont Photos : Marie Martin",
    "De notre correspondant à Bruxelles, Jean Dupont",
    "De notre correspondante à Genève",
    "Par notre envoyé spécial Jean Dupont",
    "Rédaction Sport",
    "La Rédaction",
    "Belga",
    "Keystone-ATS",
    "Julie Rochat/jdu",
    "Sujet radio: Julie Rochat",
    "Jean Dupont, La Presse Canadienne",
    "Agence QMI",
    "Geneviève Tremblay, Initiative de journalisme local",
    "Marie-Ève Tremblay Le Devoir à Québec",
    "Par APS",
    "Abdou Diop (Dakar, correspondance)",
    "Auteur : Jean Dupont",
]


@pytest.mark.parametrize(
    ("line", "byline"),
    [*((line, line) for line in AS_PRINTED), ("(AFP)", "AFP")],
)
def test_byline_shape_under_the_headline(line: str, byline: str) -> None:
    """A byline of any common shape under the headline is found, removed as `byline`, and read."""
    result = run("\n".join([MENU, HEADLINE, line, DATE, LEDE, MORE]))
    assert (byline, "2025-02-05T23:48:00", HEADLINE, f"{LEDE}\n\n{MORE}") == (
        result.metadata.byline,
        result.metadata.published,
        result.title,
        result.body,
    )
    assert line in {text for reason, text in reasons(result) if reason == "byline"}


@pytest.mark.parametrize(
    ("line", "byline", "published"),
    [
        (
            "Par Jean DupontPublié le 05/02/2025 à 23h48Mis à jour le 06/02/2025 à 08h00",
            "Par Jean Dupont",
            "2025-02-05T23:48:00",
        ),
        ("Publié le 5 février 2025 à 23h48 par Jean Dupont", "par Jean Dupont", "2025-02-05T23:48:00"),
        ("Le 05/02/2025 à 23:48 | Par Karim Bennani", "Par Karim Bennani", "2025-02-05T23:48:00"),
        ("Jean Dupont · 5 févr. 2025 à 10:20", "Jean Dupont", "2025-02-05T10:20:00"),
        ("Jean Dupont le 05/02/2025 à 23h48", "Jean Dupont", "2025-02-05T23:48:00"),
    ],
)
def test_byline_glued_to_its_date(line: str, byline: str, published: str) -> None:
    """A byline sharing its line with the dates gives the author without them, and the publication date."""
    result = run("\n".join([MENU, HEADLINE, line, LEDE, MORE]))
    assert (byline, published, f"{LEDE}\n\n{MORE}") == (
        result.metadata.byline,
        result.metadata.published,
        result.body,
    )


def test_author_over_its_date_above_the_headline() -> None:
    """An author line over its date line, both above the headline, is the byline."""
    result = run("\n".join([MENU, "Jean Dupont, à Marseille", DATE, HEADLINE, LEDE, MORE]))
    assert ("Jean Dupont, à Marseille", HEADLINE) == (result.metadata.byline, result.title)


def test_kicker_above_the_headline_is_not_the_author() -> None:
    """A name-shaped kicker over the headline is not the byline when an author signs below it."""
    result = run("\n".join([MENU, "Vallée de Joux", HEADLINE, "Sandrine Jeanneret", DATE, LEDE, MORE]))
    assert "Sandrine Jeanneret" == result.metadata.byline


@pytest.mark.parametrize(
    ("signature", "byline"),
    [
        ("Jean Dupont", "Jean Dupont"),
        ("— Jean Dupont, à Genève", "Jean Dupont, à Genève"),
        ("(ats/nxp)", "ats/nxp"),
        ("J.D.", "J.D."),
        ("Koffi Kouamé, correspondant à Bouaké", "Koffi Kouamé, correspondant à Bouaké"),
    ],
)
def test_signature_under_the_article_is_the_byline(signature: str, byline: str) -> None:
    """A signature right under the last paragraph is removed as `byline` and read when none is above."""
    tail = ["Partager", "Les plus lus", "1. Une autre histoire"]
    result = run("\n".join([MENU, HEADLINE, LEDE, MORE, signature, *tail]))
    assert (byline, f"{LEDE}\n\n{MORE}") == (result.metadata.byline, result.body)
    assert ("byline", signature) in reasons(result)


@pytest.mark.parametrize(
    "line",
    [
        "De nouvelles règles",
        "Ce qu'il faut retenir",
        "Faits divers",
        "Mots-clés : Conflits, États-Unis",
        "Les syndicats appellent à la grève jeudi.",
        "Se connecter",
        "Lu 5124 fois",
    ],
)
def test_lines_that_are_not_bylines(line: str) -> None:
    """Subheadings, section labels, tags, sentences and UI lines are not author lines."""
    assert (None, False) == (author_part(line), is_author_line(line))
