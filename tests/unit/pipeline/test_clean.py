"""The clean stage: line categories, kept body and paragraphs, removal offsets, metadata."""

from __future__ import annotations

import dataclasses
import html
import typing
from pathlib import Path

import pytest

from service.model import Paragraph, RemovalReason
from service.pipeline.clean.render import render_text, sanitize
from service.pipeline.clean.rules import load_rules
from service.pipeline.clean.stage import Cleaned, clean
from service.pipeline.normalize import normalize, removals_in_input

RULES = load_rules()
DATA = Path(__file__).resolve().parents[2] / "data" / "clean"

PROSE_A = (
    "Le conseil municipal a voté jeudi soir la création d'une piste cyclable reliant la gare "
    "au centre-ville, un projet attendu depuis plus de dix ans par les habitants du quartier."
)
PROSE_B = (
    "Les travaux doivent commencer au printemps et durer environ huit mois, selon le calendrier "
    "présenté par l'adjointe chargée des mobilités devant une salle comble."
)
PROSE_C = (
    "Plusieurs commerçants craignent toutefois de perdre des places de stationnement devant "
    "leurs vitrines et réclament une concertation plus large avant le début du chantier."
)
TITLE = "Une piste cyclable pour relier la gare au centre-ville"


def run(raw: str, title: str | None = None) -> Cleaned:
    """Normalize and clean `raw`, checking the offset invariants every result must hold.

    The stage gives removals in the normalized text; they are returned mapped into `raw`, as
    the engine maps them for each caller.
    """
    text = normalize(raw)
    canonical = clean(text, RULES, title)
    for removal in canonical.removed:
        assert removal.text == text.text[removal.start : removal.end]
    result = dataclasses.replace(canonical, removed=removals_in_input(canonical.removed, text))
    for removal in result.removed:
        assert removal.text == raw[removal.start : removal.end]
    for paragraph in result.paragraphs:
        assert paragraph.end > paragraph.start
    assert "\n\n".join(result.body[p.start : p.end] for p in result.paragraphs) == result.body
    return result


def reasons(result: Cleaned) -> list[tuple[str, str]]:
    """(reason, text) of every removal, in input order."""
    return [(r.reason, r.text) for r in result.removed]


def test_clean_text_is_kept_whole() -> None:
    """Plain article paragraphs with no clutter: nothing is removed and the body is unchanged."""
    raw = f"{PROSE_A}\n\n{PROSE_B}\n\n{PROSE_C}\n"
    result = run(raw)
    assert [] == result.removed
    assert f"{PROSE_A}\n\n{PROSE_B}\n\n{PROSE_C}" == result.body
    assert ["paragraph", "paragraph", "paragraph"] == [p.kind for p in result.paragraphs]
    assert result.title is None


def test_last_line_without_its_full_stop_is_kept() -> None:
    """A long closing line that only lacks its final period stays in the body, not in `removed`."""
    tail = (
        "Le département compte aujourd'hui près de quatre cent mille habitants, "
        "dont un tiers de moins de vingt ans"
    )
    result = run(f"{PROSE_A}\n\n{PROSE_B}\n\n{tail}")
    assert [] == result.removed
    assert result.body.endswith(tail)


def test_paragraph_offsets_point_into_body() -> None:
    """Each paragraph's [start, end) slices exactly its block out of the body."""
    result = run(f"{PROSE_A}\n{PROSE_B}")
    assert [PROSE_A, PROSE_B] == [result.body[p.start : p.end] for p in result.paragraphs]
    assert (0, len(PROSE_A)) == (result.paragraphs[0].start, result.paragraphs[0].end)


def test_headline_found_and_its_copies_dropped() -> None:
    """The headline is the title; its repeat is `duplicate`, a breadcrumb holding it `navigation`."""
    raw = f"Accueil Transports {TITLE}\n{TITLE}\n\n{TITLE}\n{PROSE_A}\n{PROSE_B}\n"
    result = run(raw)
    assert TITLE == result.title
    assert [
        ("navigation", f"Accueil Transports {TITLE}"),
        ("title", TITLE),
        ("duplicate", TITLE),
    ] == reasons(result)
    assert f"{PROSE_A}\n\n{PROSE_B}" == result.body


def test_given_title_copies_are_dropped() -> None:
    """A title given by the caller is returned as is and its copies in the text are removed."""
    raw = f"{TITLE}\n{PROSE_A}\n{TITLE}\n{PROSE_B}"
    result = run(raw, title=TITLE)
    assert TITLE == result.title
    assert [("title", TITLE), ("duplicate", TITLE)] == reasons(result)
    assert f"{PROSE_A}\n\n{PROSE_B}" == result.body


def test_glued_share_widgets_are_share() -> None:
    """Scraper-glued share buttons ("Partager cet articleClose Button") are `share`."""
    raw = f"{TITLE}\nPartager cet articleClose Button\nCopier le lienLien copié\n{PROSE_A}\n{PROSE_B}"
    result = run(raw)
    assert [
        ("title", TITLE),
        ("share", "Partager cet articleClose Button"),
        ("share", "Copier le lienLien copié"),
    ] == reasons(result)


def test_reading_list_button_and_bulleted_date_are_not_the_article() -> None:
    """A reading-list button is `share`; a date printed "12 mars 2025 • 09:40" is the byline's date."""
    raw = f"{TITLE}\nAjouter à la liste de lecture\n12 mars 2025 • 09:40\n{PROSE_A}\n{PROSE_B}"
    result = run(raw)
    assert [
        ("title", TITLE),
        ("share", "Ajouter à la liste de lecture"),
        ("byline", "12 mars 2025 • 09:40"),
    ] == reasons(result)
    assert (result.metadata.published or "").startswith("2025-03-12T09:40")


@pytest.mark.parametrize(
    "line",
    [
        "Publié le 11 mars 2024 à 08h00 Mis à jour le 12 mars 2024 à 10h15",
        "Mis à jour le 12 mars 2024 à 10h15 Publié le 11 mars 2024 à 08h00",
    ],
)
def test_publication_and_update_dates_each_follow_their_word(line: str) -> None:
    """Whichever comes first on the line, "Publié le" gives `published` and "Mis à jour le" `updated`."""
    metadata = run(f"{TITLE}\n{line}\n{PROSE_A}\n{PROSE_B}").metadata
    assert ("2024-03-11T08:00:00", "2024-03-12T10:15:00") == (metadata.published, metadata.updated)


def test_ad_marker_inside_article_is_advertisement() -> None:
    """An ad marker between paragraphs is `advertisement` and the article goes on after it."""
    result = run(f"{PROSE_A}\nPUBLICITÉ\n{PROSE_B}\nLa suite après cette publicité\n{PROSE_C}")
    assert [
        ("advertisement", "PUBLICITÉ"),
        ("advertisement", "La suite après cette publicité"),
    ] == reasons(result)
    assert f"{PROSE_A}\n\n{PROSE_B}\n\n{PROSE_C}" == result.body


def test_caption_and_credit_above_article() -> None:
    """A photo credit and the caption line above it are `caption`; the credit goes to metadata."""
    caption = "Le futur tracé de la piste, présenté en mairie le 2 mai."
    raw = f"{TITLE}\n{caption}\n© Julien Morel / AFP\n{PROSE_A}\n{PROSE_B}"
    result = run(raw)
    assert [("title", TITLE), ("caption", caption), ("caption", "© Julien Morel / AFP")] == reasons(result)
    assert ["Julien Morel / AFP"] == result.metadata.credits


def test_parenthesised_agency_photo_is_caption() -> None:
    """A line ending in "(AFP photo)" or "(Archives)" is a caption."""
    raw = f"{TITLE}\nLa gare vue depuis le parvis. (Archives)\n{PROSE_A}\n{PROSE_B}"
    result = run(raw)
    assert ("caption", "La gare vue depuis le parvis. (Archives)") in reasons(result)


def test_related_inline_and_block() -> None:
    """An inline "Lire aussi : ..." is `related`; a "Sur le même sujet" header takes the lines under it."""
    raw = (
        f"{PROSE_A}\nLire aussi : Le vélo gagne du terrain dans les villes moyennes\n{PROSE_B}\n"
        f"{PROSE_C}\nSur le même sujet\nLa gare rénovée pour les Jeux\nUn nouveau bus électrique en ville\n"
    )
    result = run(raw)
    assert [
        ("related", "Lire aussi : Le vélo gagne du terrain dans les villes moyennes"),
        ("related", "Sur le même sujet"),
        ("related", "La gare rénovée pour les Jeux"),
        ("related", "Un nouveau bus électrique en ville"),
    ] == reasons(result)


def test_previous_next_links_glued_are_related() -> None:
    """Glued previous/next article links ("Article précédentLa gare...") are `related`."""
    links = "Article précédentLa gare ferme pour travaux\nArticle suivantUn festival en juin"
    raw = f"{PROSE_A}\n{PROSE_B}\n{links}"
    result = run(raw)
    assert ["related", "related"] == [reason for reason, _ in reasons(result)]


@pytest.mark.parametrize(
    ("line", "published"),
    [
        ("Publié le 12/03/2025 à 14h05", "2025-03-12T14:05:00"),
        ("publié le jeudi 12 septembre 2019 à 17h07", "2019-09-12T17:07:00"),
        ("Mis à jour le 3 février 2021", "2021-02-03"),
    ],
)
def test_publication_date_is_byline_and_iso(line: str, published: str) -> None:
    """A "Publié le ..." line is `byline` and its date becomes ISO 8601 `published`."""
    result = run(f"{TITLE}\nPar Marie Durand avec AFP\n{line}\n{PROSE_A}\n{PROSE_B}")
    assert [("title", TITLE), ("byline", "Par Marie Durand avec AFP"), ("byline", line)] == reasons(result)
    assert "Par Marie Durand avec AFP" == result.metadata.byline
    assert published == result.metadata.published


def test_agency_and_date_on_one_line() -> None:
    """An "AFP , publié le ..." line gives the agency as byline and the date as published."""
    result = run(f"{TITLE}\nAFP , publié le lundi 15 juin 2020 à 12h05\n{PROSE_A}\n{PROSE_B}")
    assert "AFP" == result.metadata.byline
    assert "2020-06-15T12:05:00" == result.metadata.published


def test_source_line_is_byline_with_source() -> None:
    """A "SOURCE: ..." line under the article is `byline` and fills metadata.source."""
    result = run(f"{PROSE_A}\n{PROSE_B}\nSOURCE: RADIO LOCALE")
    assert [("byline", "SOURCE: RADIO LOCALE")] == reasons(result)
    assert "RADIO LOCALE" == result.metadata.source


def test_engagement_lines() -> None:
    """Comment counters, "Réagir" and newsletter prompts are `engagement`."""
    raw = (
        f"{TITLE}\n72\n0\n{PROSE_A}\n{PROSE_B}\nRéagir\n12 commentaires\n"
        "Inscrivez-vous à notre newsletter pour ne rien manquer.\n"
    )
    result = run(raw)
    assert [
        ("title", TITLE),
        ("engagement", "72"),
        ("engagement", "0"),
        ("engagement", "Réagir"),
        ("engagement", "12 commentaires"),
        ("engagement", "Inscrivez-vous à notre newsletter pour ne rien manquer."),
    ] == reasons(result)


def test_author_bio_after_article() -> None:
    """A first-person writer's biography under the article is `author_bio`."""
    bio = "Journaliste depuis dix ans, je suis passionné de cyclisme urbain et j'écris sur les transports."
    raw = f"{PROSE_A}\n{PROSE_B}\nArticle suivantUn festival en juin\n{bio}"
    result = run(raw)
    assert ("author_bio", bio) == reasons(result)[-1]


def test_repeated_paragraph_is_duplicate() -> None:
    """A paragraph repeated after an ad marker is removed once as `duplicate`."""
    result = run(f"{PROSE_A}\nPUBLICITÉ\n{PROSE_A}\n{PROSE_B}")
    assert [("advertisement", "PUBLICITÉ"), ("duplicate", PROSE_A)] == reasons(result)
    assert f"{PROSE_A}\n\n{PROSE_B}" == result.body


def test_pull_quote_with_speaker_is_duplicate() -> None:
    """A pull quote restating a body quote, with the speaker and role lines under it, is `duplicate`."""
    quoted = (
        '"Nous ne reculerons pas sur ce projet", a assuré la maire, rappelant que la piste figurait '
        "dans son programme."
    )
    pull = "Nous ne reculerons pas sur ce projet\nSophie Lambert\nmaire de la commune"
    raw = f"{PROSE_A}\n{pull}\n{quoted}\n{PROSE_B}"
    result = run(raw)
    assert [
        ("duplicate", "Nous ne reculerons pas sur ce projet"),
        ("duplicate", "Sophie Lambert"),
        ("duplicate", "maire de la commune"),
    ] == reasons(result)


def test_subheading_is_heading_paragraph() -> None:
    """A short line between prose paragraphs is kept with kind `heading`."""
    result = run(f"{PROSE_A}\nDes commerçants inquiets\n{PROSE_C}")
    assert [] == result.removed
    assert ["paragraph", "heading", "paragraph"] == [p.kind for p in result.paragraphs]
    heading = result.paragraphs[1]
    assert "Des commerçants inquiets" == result.body[heading.start : heading.end]


def test_never_drops_prose_that_looks_like_clutter() -> None:
    """A sentence with "partager", a "Publicité ..." subheading and a short quote are all kept."""
    share = "Les riverains pourront partager leurs remarques sur une plateforme ouverte jusqu'en juin."
    heading = "Publicité mensongère : l'enseigne condamnée"
    quote = "« C'est une victoire », a-t-elle lancé."
    raw = f"{PROSE_A}\n{share}\n{heading}\n{PROSE_B}\n{quote}\n{PROSE_C}"
    result = run(raw)
    assert [] == result.removed
    assert [PROSE_A, share, heading, PROSE_B, quote, PROSE_C] == result.body.split("\n\n")


def test_heading_glued_to_first_sentence_is_kept() -> None:
    """A subheading glued to its paragraph's first sentence does not make the paragraph go."""
    glued = f"Une concertation prévue en mai {PROSE_C}"
    result = run(f"{PROSE_A}\n{glued}")
    assert [] == result.removed
    assert f"{PROSE_A}\n\n{glued}" == result.body


def test_offsets_map_to_raw_input_after_normalization() -> None:
    """Removal offsets index the raw input even when normalization changed spaces and line ends."""
    raw = f"Accueil\r\n{TITLE}\r\nPar\u00a0Marie Durand\r\n{PROSE_A}\r\n\r\nPUBLICITÉ\r\n{PROSE_B}\r\n"
    result = run(raw)
    assert ["Accueil", TITLE, "Par\u00a0Marie Durand", "PUBLICITÉ"] == [r.text for r in result.removed]
    assert "Par Marie Durand" == result.metadata.byline


def test_internal_white_space_is_tidied_without_losing_words() -> None:
    """Runs of spaces inside a kept line become one space; every word stays."""
    result = run(PROSE_A.replace(" la gare ", "   la   gare  "))
    assert PROSE_A == result.body


def test_whole_page_keeps_only_the_article() -> None:
    """A whole-page scrape (menus, ticker, captions, related list, footer) keeps the article only."""
    raw = (DATA / "page_marche.txt").read_text(encoding="utf-8")
    result = run(raw)
    assert "Le marché couvert de Villeneuve rouvre après deux ans de travaux" == result.title
    paragraphs = result.body.split("\n\n")
    assert 7 == len(paragraphs)
    assert paragraphs[0].startswith("Après deux années de chantier")
    assert paragraphs[-1].startswith("Le marché sera ouvert du mardi au dimanche")
    assert "heading" == result.paragraphs[3].kind
    assert "Des producteurs locaux mis en avant" == paragraphs[3]
    assert "Par Claire Martin" == result.metadata.byline
    assert "2024-04-04T09:15:00" == result.metadata.published
    assert ["Paul Lefèvre / Agence Sud"] == result.metadata.credits
    by_reason = {r.text: r.reason for r in result.removed}
    assert "related" == by_reason["08:12 Économie La Bourse de Paris ouvre en légère hausse"]
    assert "navigation" == by_reason["Accueil > Économie > Commerce"]
    assert "share" == by_reason["Partager cet articleClose Button"]
    assert "advertisement" == by_reason["PUBLICITÉ"]
    assert "related" == by_reason["Sur le même sujet"]


def test_empty_lines_only_give_empty_body() -> None:
    """Blank input lines are neither kept nor listed as removals."""
    result = run("\n\n   \n")
    assert "" == result.body
    assert [] == result.paragraphs
    assert [] == result.removed


def test_hard_wrapped_paragraph_is_one_block() -> None:
    """Lines wrapped mid-sentence by an exporter are joined back into one kept paragraph."""
    raw = (
        "Le conseil municipal a voté jeudi soir la création d'une piste\n"
        "cyclable reliant la gare au centre-ville, un projet attendu\n"
        "depuis plus de dix ans par les habitants du quartier.\n\n"
        f"{PROSE_B}\n"
    )
    result = run(raw)
    assert [] == result.removed
    assert [
        "Le conseil municipal a voté jeudi soir la création d'une piste cyclable reliant la gare "
        "au centre-ville, un projet attendu depuis plus de dix ans par les habitants du quartier.",
        PROSE_B,
    ] == result.body.split("\n\n")


def test_standfirst_between_headline_and_byline_is_kept() -> None:
    """The standfirst under the headline is article text even when the byline block follows it."""
    standfirst = "La ville veut une piste protégée avant l'été."
    raw = f"{TITLE}\n{standfirst}\nPar Marie Durand\nPartager\nLire plus tard\n{PROSE_A}\n{PROSE_B}"
    result = run(raw)
    assert f"{standfirst}\n\n{PROSE_A}\n\n{PROSE_B}" == result.body


def test_gallery_caption_above_counter_and_credit() -> None:
    """In "caption / 1 /3 / © credit", the caption, the counter and the credit are all `caption`."""
    caption = "Des cyclistes sur le pont de la gare, le 2 mai 2024."
    raw = f"{TITLE}\n{caption}\n1 /3\n© Julien Morel, AFP\n{PROSE_A}\n{PROSE_B}"
    result = run(raw)
    assert [("caption", caption), ("caption", "1 /3"), ("caption", "© Julien Morel, AFP")] == reasons(result)[
        1:
    ]
    assert ["Julien Morel, AFP"] == result.metadata.credits


def test_caption_with_glued_credit_and_its_repeat() -> None:
    """A caption repeated with "Name / AFP" glued at its end: both copies are `caption`."""
    caption = "La gare de la ville, un matin de semaine."
    raw = f"{TITLE}\n{caption}\n{caption} Julien Morel / AFP\n{PROSE_A}\n{PROSE_B}"
    result = run(raw)
    assert ["caption", "caption"] == [reason for reason, _ in reasons(result)[1:]]
    assert ["Julien Morel / AFP"] == result.metadata.credits


def test_glued_video_title_is_caption() -> None:
    """An embedded video's title glued to its channel ("...de la garepar Radio Locale") is `caption`."""
    raw = f"{PROSE_A}\nLa piste cyclable de la gare expliquée en deux minutespar Radio Locale\n{PROSE_B}"
    result = run(raw)
    assert [("caption", "La piste cyclable de la gare expliquée en deux minutespar Radio Locale")] == (
        reasons(result)
    )


def test_readers_comments_under_the_article_are_engagement() -> None:
    """Readers' comments below a "Commentaires (2)" header are `engagement`, however long."""
    comment = (
        "Encore une piste qui ne servira à personne, on ferait mieux de réparer les trottoirs "
        "du quartier avant de lancer des travaux pareils."
    )
    raw = f"{TITLE}\n{PROSE_A}\n{PROSE_B}\nCommentaires (2)\nPaul R.\n{comment}\nRépondre\n{comment}\n"
    result = run(raw)
    assert f"{PROSE_A}\n\n{PROSE_B}" == result.body
    assert ("engagement", comment) in reasons(result)


def test_cookie_banner_is_engagement() -> None:
    """A long cookie-consent notice is `engagement`, not article prose."""
    banner = (
        "Nous et nos partenaires utilisons des cookies pour mesurer l'audience et personnaliser les "
        "contenus. En cliquant sur Accepter, vous consentez à ces traitements, que vous pouvez "
        "paramétrer à tout moment."
    )
    result = run(f"{banner}\nAccepter\n{TITLE}\n{PROSE_A}\n{PROSE_B}")
    assert ("engagement", banner) == reasons(result)[0]
    assert f"{PROSE_A}\n\n{PROSE_B}" == result.body


def test_footer_copyright_is_not_a_photo_credit() -> None:
    """A dated "© Site 2024" footer line is removed but not reported as a photo credit."""
    result = run(f"{PROSE_A}\n{PROSE_B}\nMentions légales\nContact\nPlan du site\n© Le Journal du Coin 2024")
    assert [] == result.metadata.credits
    assert ("caption", "© Le Journal du Coin 2024") == reasons(result)[-1]


def test_phrase_rules_compile_with_known_reasons() -> None:
    """Every rule of the boilerplate data file compiles and names a contract removal reason."""
    rules = RULES
    assert rules.rules
    assert set() == {rule.reason for rule in rules.rules} - set(typing.get_args(RemovalReason))


def test_text_without_prose_run_is_kept() -> None:
    """A one-line text or a short list has no prose run: it is kept, not thrown away as a menu."""
    assert "Le gouvernement démissionne" == run("Le gouvernement démissionne").body
    assert "Courses\n\npommes\n\npoires" == run("Courses\npommes\npoires").body


def test_brief_with_headline() -> None:
    """A two-line brief: the short first line is the title and the sentence is the body."""
    result = run("Incendie à Nantes\nUn entrepôt a brûlé cette nuit.")
    assert "Incendie à Nantes" == result.title
    assert "Un entrepôt a brûlé cette nuit." == result.body


def test_standfirst_repeated_as_first_paragraph_is_duplicate() -> None:
    """When the article repeats its standfirst as first paragraph, the repeat is `duplicate`."""
    standfirst = "La ville veut une piste protégée avant l'été, a annoncé la maire."
    raw = f"{TITLE}\n{standfirst}\nPar Marie Durand\nPartager\nLire plus tard\n{standfirst}\n{PROSE_A}"
    result = run(raw)
    assert f"{standfirst}\n\n{PROSE_A}" == result.body
    assert ("duplicate", standfirst) == reasons(result)[-1]


def test_given_title_absent_from_text_keeps_page_headline_as_title_line() -> None:
    """With a caller title the text lacks, the caller's title is returned and the page headline is `title`."""
    result = run(f"{TITLE}\n{PROSE_A}\n{PROSE_B}", title="Villeneuve : la piste cyclable votée")
    assert "Villeneuve : la piste cyclable votée" == result.title
    assert [("title", TITLE)] == reasons(result)


def test_rendered_text_is_what_the_sanitizer_would_write() -> None:
    """A text article's body_html, written without the sanitizer, is what the sanitizer would write."""
    texts = [
        "Le maire\xa0: «\xa0Nous <b>ouvrirons</b> l'école & la cantine\xa0»\xa0!",
        "Titre &amp; sous-titre <script>alert(1)</script>",
        "Ligne avec retour\r\nchariot et \x00 nul",
        "«" * 300 + "\xa0" * 300,
    ]
    for text in texts:
        paragraphs = [
            Paragraph(start=0, end=len(text), kind="heading"),
            Paragraph(start=0, end=8, kind="paragraph"),
        ]
        expected = sanitize(
            f"<h2>{html.escape(text, quote=False)}</h2>\n<p>{html.escape(text[:8], quote=False)}</p>"
        )
        assert render_text(text, paragraphs) == expected
