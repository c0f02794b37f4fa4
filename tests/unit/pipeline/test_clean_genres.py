"""The cleaner on the genres and clutter of French news pages, each with a short page written here."""

from __future__ import annotations

from service.pipeline.clean.meta import parse_published
from tests.unit.pipeline.test_clean import reasons, run

MENU = "Accueil\nActualitéSportCultureÉconomie\nSe connecter\nS'abonner"
SHARE = "Partager sur : Facebook Twitter WhatsApp Telegram E-mail"
LEDE = (
    "La grève des contrôleurs a paralysé mercredi une grande partie du trafic ferroviaire dans le "
    "sud-ouest, où seul un train régional sur trois a circulé selon la direction régionale."
)
MORE = (
    "Les syndicats réclament des embauches et une prime de fin d'année, et menacent de reconduire "
    "le mouvement pendant les vacances si la direction ne revient pas à la table des négociations."
)
HEADLINE = "Grève des contrôleurs : le trafic ferroviaire paralysé dans le sud-ouest"


def test_live_blog_entries_and_their_times_are_body() -> None:
    """Timestamped entries ("18h40 - …") and lone times ("Il y a 12 min") of a live blog are kept."""
    entries = [
        "18h40 - La direction annonce que le trafic sera encore très perturbé jeudi sur les lignes "
        "régionales du sud-ouest.",
        "17h55 - Les syndicats confirment que l'assemblée générale des contrôleurs a voté la reconduction "
        "de la grève.",
    ]
    raw = "\n".join(
        [
            MENU,
            "EN DIRECT",
            HEADLINE,
            "Par la rédaction",
            "Il y a 12 min",
            entries[0],
            "18:05",
            entries[1],
            LEDE,
            MORE,
        ]
    )
    result = run(raw)
    for kept in [*entries, "Il y a 12 min", "18:05", LEDE, MORE]:
        assert kept in result.body
    assert HEADLINE == result.title


def test_ticker_lines_outside_the_article_stay_related() -> None:
    """Short timed headlines of a "Le flux" ticker after the article are not article text."""
    raw = "\n".join(
        [
            HEADLINE,
            LEDE,
            MORE,
            "Le flux",
            "12:50 Un camion se renverse sur l'A7",
            "12:41 Bourse : Paris finit en hausse",
        ]
    )
    result = run(raw)
    assert "camion" not in result.body
    assert "Bourse" not in result.body


def test_ui_lines_above_the_headline_are_never_the_title() -> None:
    """Counter, follow prompt, caption and author sit above the text: the title is the headline."""
    raw = "\n".join(
        [
            MENU,
            HEADLINE,
            "Chloé Moreau",
            "Lu 5124 fois",
            "Suivez Le Journal sur Google Actualités",
            "Des voyageurs sur un quai de la gare de Bordeaux. Photo Jean Dupont / AFP",
            LEDE,
            MORE,
        ]
    )
    result = run(raw)
    assert HEADLINE == result.title
    assert "Chloé Moreau" == result.metadata.byline


def test_a_short_line_starting_with_de_is_no_byline() -> None:
    """A subheading such as "De nouvelles règles" next to the headline is not taken for an author."""
    raw = "\n".join([HEADLINE, "De nouvelles règles", LEDE, MORE])
    assert None is run(raw).metadata.byline


def test_no_headline_gives_no_title() -> None:
    """A page whose lines above the text are all furniture has a null title, not a wrong one."""
    raw = "\n".join([MENU, SHARE, "Lu 812 fois", LEDE, MORE])
    assert None is run(raw).title


def test_bare_name_initials_and_avec_bylines_are_found() -> None:
    """Author lines without "Par" next to the headline fill the byline."""
    for author in (
        "Anne-Sophie Lemaire et Maxime Girard",
        "I.L.",
        "Avec Camille Garnier",
        "par Claire Benali",
        "Par : Amandine Rey",
        "Recueilli par Hugo Marais",
        "La rédaction de 24H Info",
        "ATS/AFP",
    ):
        raw = "\n".join([MENU, HEADLINE, author, "Publié le 05/02/2025 à 23h48", SHARE, LEDE, MORE])
        result = run(raw)
        assert (author, "2025-02-05T23:48:00") == (result.metadata.byline, result.metadata.published)
        assert ("byline", author) in reasons(result)


def test_byline_glued_to_its_dates() -> None:
    """A byline glued to its dates ("Par Jeanne MartinPublié le …"): the name, and both dates, are read."""
    raw = "\n".join(
        [
            HEADLINE,
            "Par Jeanne MartinPublié le 5 févr. 2025 à 23:48 Mis à jour le 6 févr. 2025 à 07:12",
            LEDE,
            MORE,
        ]
    )
    meta = run(raw).metadata
    assert ("Par Jeanne Martin", "2025-02-05T23:48:00", "2025-02-06T07:12:00") == (
        meta.byline,
        meta.published,
        meta.updated,
    )


def test_relative_dates_are_not_published_dates() -> None:
    """A relative time ("il y a 3 heures") is no date; abbreviated and spelled months are."""
    assert None is parse_published("Publié il y a 3 heures")
    assert "2024-10-13T17:05:00" == parse_published("13 oct. 2024 à 17:05")
    assert "2025-02-05" == parse_published("Mis à jour le 5 février 2025")


def test_glued_share_bar_is_share() -> None:
    """Share buttons glued together by the scraper ("FacebookTwitterLinkedInEmail") are `share`."""
    raw = "\n".join([HEADLINE, "FacebookTwitterLinkedInEmail", LEDE, MORE])
    assert ("share", "FacebookTwitterLinkedInEmail") in reasons(run(raw))


def test_sports_report_keeps_its_score_scorers_and_table() -> None:
    """A match report keeps the score line, the scorers and the standings table after the text."""
    title = "Nantes - Lens : 0-2, les Lensois s'imposent à la Beaujoire et reviennent sur le podium"
    report = (
        "Les Lensois se sont imposés samedi à Nantes grâce à deux buts en seconde période, le premier sur "
        "une frappe de loin, le second sur penalty, et reviennent ainsi sur le podium du championnat."
    )
    table = [
        "Le classement après la 21e journée",
        "1. Paris SG 53 pts",
        "2. Marseille 41 pts",
        "3. Lens 40 pts",
    ]
    raw = "\n".join(
        [
            MENU,
            title,
            "Par Hugo Marais",
            "Nantes - Lens : 0-2",
            "Buts : Sissoko (34e), Pereira (81e s.p.)",
            report,
            MORE,
            *table,
        ]
    )
    result = run(raw)
    assert title == result.title
    for kept in ["Nantes - Lens : 0-2", "Buts : Sissoko (34e), Pereira (81e s.p.)", report, *table]:
        assert kept in result.body


def test_most_read_list_after_the_article_is_related() -> None:
    """A numbered most-read list under its header is `related`, whatever its rows say."""
    raw = "\n".join(
        [
            HEADLINE,
            LEDE,
            MORE,
            "Les plus lus",
            "1. Un incendie ravage un entrepôt à Nantes",
            "2. La météo du week-end",
        ]
    )
    result = run(raw)
    assert "incendie" not in result.body


def test_standfirst_above_a_photo_credit_is_kept() -> None:
    """A long standfirst right above "Photo d'archives. © DR" is article text, not that photo's caption."""
    standfirst = (
        "CINÉMA - La capitale accueille pendant cinq semaines l'équipe du film, avec un dispositif de "
        "sécurité exceptionnel autour des lieux de tournage et des rues entièrement fermées à la circulation."
    )
    raw = "\n".join([HEADLINE, "Par Pierre Guérin", standfirst, "Photo d'archives. © DR", LEDE, MORE])
    assert standfirst in run(raw).body


def test_trap_sentences_with_ui_words_stay_body() -> None:
    """Prose that says partager, publicité, lire, photo, direct or abonnés is never clutter."""
    traps = [
        "Les abonnés pourront partager leurs photos du direct sur le site, a précisé la publicité "
        "de la mairie.",
        "Il faut lire le rapport en entier pour comprendre pourquoi la vidéo a été retirée du direct.",
    ]
    raw = "\n".join([HEADLINE, LEDE, *traps, MORE])
    result = run(raw)
    for trap in traps:
        assert trap in result.body


def test_player_buttons_and_ad_markers_between_paragraphs_do_not_cut_the_article() -> None:
    """Player buttons and ad markers mid-article are removed; the paragraphs after them stay."""
    player = ["Regarder la vidéo", "Lecture en cours", "Play Video", "Pause", "Mute", "Current Time 0:00"]
    raw = "\n".join([HEADLINE, LEDE, *player, "Publicité - Poursuivez votre lecture ci-dessous", MORE])
    result = run(raw)
    assert f"{LEDE}\n\n{MORE}" == result.body
    assert {"navigation", "advertisement"} <= {reason for reason, _ in reasons(result)}


def test_newsletter_pitches_disclaimers_and_error_prompts_are_engagement() -> None:
    """Newsletter boxes, error-report prompts and medical disclaimers go as `engagement`."""
    clutter = [
        "Recevez chaque matin l'essentiel de l'actualité dans votre boîte mail.",
        "Vous avez trouvé une erreur? Merci de nous la signaler.",
        "Les informations de cet article ne remplacent pas l'avis d'un professionnel de santé.",
        "Le Brief du matin",
    ]
    raw = "\n".join([HEADLINE, LEDE, MORE, *clutter])
    result = run(raw)
    assert f"{LEDE}\n\n{MORE}" == result.body
    assert [("engagement", line) for line in clutter] == [r for r in reasons(result) if r[1] in clutter]


def test_affiliate_disclaimer_is_advertisement() -> None:
    """An affiliate disclaimer ("… peut percevoir une commission …") is `advertisement`."""
    line = "Le Site peut percevoir une commission lorsque vous achetez via les liens de cette page."
    assert ("advertisement", line) in reasons(run("\n".join([HEADLINE, LEDE, MORE, line])))
