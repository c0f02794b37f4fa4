"""HTML input: blocks and evidence from the markup, cleaning with it, body_html, page metadata."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from service.errors import MarkupTooComplexError, NoArticleError, TextTooLargeError
from service.pipeline.article import Cleaned
from service.pipeline.clean.rules import load_rules
from service.pipeline.clean.stage import clean, clean_page
from service.pipeline.markup import read_page
from service.pipeline.markup.meta import iso_date
from service.pipeline.normalize import normalize

RULES = load_rules()
HTML = Path(__file__).resolve().parents[2] / "data" / "html"
LIMIT = 200_000


def run(page: str, title: str | None = None) -> tuple[str, Cleaned]:
    """Read and clean `page`, checking the offset invariants every HTML result must hold."""
    text, evidence = read_page(page, LIMIT)
    cleaned = clean_page(text, evidence, RULES, title)
    source = text.text
    for item in cleaned.removed:
        assert source[item.start : item.end] == item.text
    for paragraph in cleaned.paragraphs:
        assert paragraph.end <= len(cleaned.body)
    # Every character of the page's text is either kept in the body or explained as removed.
    kept = {source[start:end] for start, end in cleaned.kept}
    assert {p.strip() for p in cleaned.body.split("\n\n")} <= kept | {""}
    return source, cleaned


def body_lines(cleaned: Cleaned) -> list[str]:
    """The body's paragraphs."""
    return cleaned.body.split("\n\n")


def removed_by_reason(cleaned: Cleaned) -> dict[str, list[str]]:
    """Removed texts grouped by reason."""
    grouped: dict[str, list[str]] = {}
    for item in cleaned.removed:
        grouped.setdefault(item.reason, []).append(item.text)
    return grouped


def test_wordpress_fragment_keeps_every_paragraph_and_drops_every_clutter_block() -> None:
    """Gutenberg blocks: paragraphs and heading stay; caption shortcode, tweet, newsletter, ad, aside go."""
    _, cleaned = run((HTML / "wordpress.html").read_text(encoding="utf-8"))
    lines = body_lines(cleaned)
    assert 5 == len(lines)
    assert lines[0].startswith("La municipalité de Saint-Brieuc a voté lundi soir")
    assert "Une opposition divisée" == lines[2]
    assert lines[4].startswith("Le chantier sera financé pour moitié")
    grouped = removed_by_reason(cleaned)
    assert ["La piscine des Rosaires, vue depuis le parking, en mars dernier. Photo Léa Morvan"] == grouped[
        "caption"
    ]
    assert 2 == len(grouped["embed"])
    assert ["Publicité"] == grouped["advertisement"]
    assert [
        "Lire aussi",
        "Plérin : la piscine fermée une semaine pour vidange",
        "Budget : la ville emprunte 8 millions",
    ] == grouped["related"]
    assert "Recevez chaque matin l'essentiel de l'actualité des Côtes-d'Armor." in grouped["engagement"]
    assert ["Léa Morvan"] == cleaned.metadata.credits
    assert "[caption" not in cleaned.body
    assert "wp:" not in cleaned.body


def test_drupal_fragment_drops_media_caption_related_field_and_share_bar() -> None:
    """Drupal body field: the figcaption with its credit, the related field and the share links go."""
    _, cleaned = run((HTML / "drupal.html").read_text(encoding="utf-8"))
    starts = [
        "Le tribunal correctionnel de Valence a condamné jeudi",
        "L'homme, âgé de 52 ans, avait reconnu les faits",
        "Une coopérative fragilisée",
        "Pour les adhérents, le préjudice reste lourd",
        "Le tribunal a également prononcé une interdiction",
    ]
    lines = body_lines(cleaned)
    assert starts == [line[: len(start)] for line, start in zip(lines, starts, strict=True)]
    grouped = removed_by_reason(cleaned)
    assert ["Le palais de justice de Valence. © Archives Le Dauphiné / Marc Fayolle"] == grouped["caption"]
    assert ["À lire aussi", "Drôme : une autre coopérative victime d'un escroc"] == grouped["related"]
    assert ["Facebook X E-mail"] == grouped["share"]
    assert "<h3>Une coopérative fragilisée</h3>" in cleaned.body_html


def test_ghost_fragment_keeps_the_quotation_and_drops_cards() -> None:
    """Ghost cards: image caption, bookmark, signup and Instagram embed go; the article's blockquote stays."""
    _, cleaned = run((HTML / "ghost.html").read_text(encoding="utf-8"))
    lines = body_lines(cleaned)
    assert 4 == len(lines)
    assert "Nous voulons que chaque habitant ait un arbre à moins de cinq minutes de chez lui." == lines[2]
    assert "<blockquote>\n<p>Nous voulons" in cleaned.body_html
    grouped = removed_by_reason(cleaned)
    assert {"caption", "related", "engagement", "embed"} == set(grouped)
    assert [
        "Canicule: Lausanne ouvre ses piscines plus tôt",
        "La mesure vaut pour tout le mois de juillet.",
    ] == grouped["related"]


def test_full_page_keeps_the_article_and_explains_the_rest() -> None:
    """A whole page: chapô, paragraphs, subheading and fact list kept; banner, menus, byline, comments go."""
    source, cleaned = run((HTML / "page.html").read_text(encoding="utf-8"))
    lines = body_lines(cleaned)
    assert lines[0].startswith("Le syndicat des mobilités de l'agglomération a validé lundi soir")
    assert (
        lines[-1]
        == "Une réunion publique est prévue le 2 avril à la salle des fêtes du Fontanil pour présenter "
        "le projet aux riverains."
    )
    assert ["Longueur : 2,8 km", "Stations nouvelles : 4", "Mise en service : fin 2027"] == lines[5:8]
    grouped = removed_by_reason(cleaned)
    assert ["Grenoble : le tramway E prolongé jusqu'au Fontanil en 2027"] == grouped["title"]
    assert ["Par Camille Vernet et Hugo Faure Le 10 mars 2025 à 18h45"] == grouped["byline"]
    assert [
        "Camille Vernet couvre les transports et l'urbanisme dans l'agglomération grenobloise depuis 2018."
    ] == grouped["author_bio"]
    assert "12 commentaires" in grouped["engagement"]
    assert "Mentions légales" in grouped["navigation"]
    assert "Contenu masqué" not in source
    assert "gtag" not in source
    assert "Poppins" not in source
    assert "<ul>\n<li>Longueur : 2,8 km</li>" in cleaned.body_html


def test_page_metadata_prefers_json_ld_and_names_its_sources() -> None:
    """JSON-LD in an @graph beats Open Graph and meta tags; each value says where it came from."""
    _, cleaned = run((HTML / "page.html").read_text(encoding="utf-8"))
    meta = cleaned.metadata
    assert "Grenoble : le tramway E prolongé jusqu'au Fontanil en 2027" == cleaned.title
    assert (
        "Camille Vernet, Hugo Faure",
        "2025-03-10T18:45:00+01:00",
        "2025-03-11T09:12:00+01:00",
        ["Sébastien Roux"],
    ) == (meta.byline, meta.published, meta.updated, meta.credits)
    assert {
        "title": "json-ld",
        "byline": "json-ld",
        "published": "json-ld",
        "updated": "json-ld",
        "credits": "json-ld",
    } == meta.sources


def test_metadata_falls_back_to_open_graph_time_and_title_tag() -> None:
    """Without JSON-LD: og:title, then `<time datetime>`, and `<title>` without the site name last."""
    page = (
        "<html><head><title>Inondations : la Vésubie de nouveau coupée | Nice Soir</title>"
        '<meta property="og:site_name" content="Nice Soir"></head><body><article>'
        '<time datetime="2024-10-17 08:30:00">17 octobre</time>'
        "<p>La route de la Vésubie a de nouveau été coupée jeudi matin après un éboulement survenu "
        "pendant la nuit, à la suite des pluies diluviennes tombées sur l'arrière-pays niçois.</p>"
        "<p>Les habitants de Saint-Martin-Vésubie doivent passer par le col de Turini, un détour "
        "d'une heure et demie, en attendant la fin des travaux de déblaiement.</p></article></body></html>"
    )
    _, cleaned = run(page)
    assert "Inondations : la Vésubie de nouveau coupée" == cleaned.title
    assert "2024-10-17T08:30:00" == cleaned.metadata.published
    assert {"title": "title-tag", "published": "time"} == cleaned.metadata.sources


def test_body_html_is_sanitized() -> None:
    """No script, style, iframe, event handler or javascript: URL reaches body_html; http links stay."""
    page = (
        '<p onclick="steal()">Le maire de Brest a présenté mardi un plan de rénovation des écoles '
        '<a href="javascript:alert(1)">primaires</a> de la ville, '
        "chiffré à 30 millions d'euros sur six ans, "
        '<a href="https://exemple.fr/plan" onmouseover="x()">selon le document</a> remis aux élus.'
        "<script>alert(1)</script><iframe src='https://evil.example'></iframe></p>"
        '<p style="color:red">Les premiers chantiers concerneront les groupes scolaires les plus anciens, '
        "construits dans les années 1950 et mal isolés, selon l'adjoint à l'éducation.</p>"
    )
    _, cleaned = run(page)
    html = cleaned.body_html
    assert not re.search(r"<script|<style|<iframe|javascript:|onclick|onmouseover|style=", html)
    assert (
        '<a href="https://exemple.fr/plan" rel="noopener noreferrer nofollow">selon le document</a>' in html
    )
    assert "primaires de la ville" in html


def test_tables_of_the_article_are_kept_as_tables() -> None:
    """A results table inside the article is body, rebuilt as a table in body_html."""
    page = (
        "<article><h1>Ligue A : Tours s'impose à Montpellier</h1>"
        "<p>Tours a dominé Montpellier en trois sets samedi soir et reprend la tête du championnat, "
        "porté par un public venu en nombre malgré la neige tombée sur la région dans l'après-midi.</p>"
        "<table><tr><td>Montpellier</td><td>0</td></tr><tr><td>Tours</td><td>3</td></tr></table>"
        "<p>Les Tourangeaux recevront Chaumont la semaine prochaine pour un match qui pourrait déjà "
        "décider de la première place à l'issue de la phase régulière.</p></article>"
    )
    _, cleaned = run(page)
    assert ["Montpellier | 0", "Tours | 3"] == body_lines(cleaned)[1:3]
    assert (
        "<table>\n<tbody><tr><td>Montpellier</td><td>0</td></tr>\n<tr><td>Tours</td><td>3</td></tr>\n</tbody></table>"
        in cleaned.body_html
    )


def test_nesting_up_to_the_limit_is_read() -> None:
    """A page nested 500 deep is walked (iteratively) and its text found."""
    sentence = (
        "Le conseil départemental a voté une aide exceptionnelle aux agriculteurs touchés par la grêle, "
        "versée dès le mois prochain selon le président de l'assemblée."
    )
    page = "<div>" * 500 + f"<p>{sentence}</p>" + "</div>" * 500
    _, cleaned = run(page)
    assert sentence == cleaned.body


@pytest.mark.parametrize(
    ("page", "why"),
    [
        ("<div>" * 50_000 + "<p>texte</p>", "deep"),
        ("<div " + "a=1 " * 5_000 + ">texte</div>", "attributes"),
        ("".join(f"<b class=c{i}>" for i in range(400)) + "</p><p>x" * 2_000, "elements"),
    ],
)
def test_explosive_markup_is_refused_before_parsing(page: str, why: str) -> None:
    """Depth, attributes or formatting tags re-created in every paragraph beyond the bounds: refused."""
    with pytest.raises(MarkupTooComplexError, match=why):
        read_page(page, LIMIT)


def test_unclosed_identical_font_tags_of_old_pages_are_accepted() -> None:
    """Old archive pages leave identical `<font>` tags unclosed; the parser keeps three, so do we."""
    page = "".join(
        f"<p><font face='Arial'>Le festival a accueilli {i} spectateurs de plus que l'an dernier, "
        "un record pour la petite commune qui l'organise depuis vingt ans."
        for i in range(600)
    )
    _, cleaned = run(page)
    assert 600 == len(body_lines(cleaned))


def test_a_page_without_article_text_is_refused() -> None:
    """A login wall made of a form and a menu has no article: NoArticleError."""
    page = (
        "<nav><ul><li><a href='/'>Accueil</a></li><li><a href='/a'>Actualités</a></li>"
        "<li><a href='/s'>Sport</a></li></ul></nav><form><label>E-mail</label><input>"
        "<label>Mot de passe</label><input type='password'><button>Se connecter</button></form>"
    )
    with pytest.raises(NoArticleError):
        read_page(page, LIMIT)


def test_a_page_whose_text_is_over_the_limit_is_refused() -> None:
    """The page's text obeys MAX_TEXT_CHARS like a request's text."""
    page = "<p>" + "Une phrase de la page. " * 100 + "</p>"
    with pytest.raises(TextTooLargeError):
        read_page(page * 10, 1_000)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-02-05T23:48:00+01:00", "2025-02-05T23:48:00+01:00"),
        ("2020-07-03 13:18:31", "2020-07-03T13:18:31"),
        ("2024-11-02T10:00:00Z", "2024-11-02T10:00:00+00:00"),
        ("2024-11-02", "2024-11-02T00:00:00"),
        ("hier soir", None),
    ],
)
def test_page_dates_are_normalized_to_iso_8601(value: str, expected: str | None) -> None:
    """Dates from markup become ISO 8601; what is not a date is dropped."""
    assert expected == iso_date(value)


@pytest.mark.parametrize(
    "path",
    [
        *sorted((HTML.parent / "articles").glob("*.txt")),
        *sorted((HTML.parent / "clean").glob("*.txt")),
    ],
    ids=lambda path: path.stem,
)
def test_markup_without_structure_cleans_like_the_text(path: Path) -> None:
    """A text sent as bare `<p>` lines gets the text path's body and title: HTML only adds evidence."""
    text = path.read_text(encoding="utf-8")
    page = "".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n"))
    _, from_html = run(page)
    from_text = clean(normalize(text), RULES)
    assert (from_text.title, " ".join(from_text.body.split())) == (
        from_html.title,
        " ".join(from_html.body.split()),
    )


_LEDE = (
    "La communauté de communes du Val d'Ille a voté jeudi la gratuité des bus scolaires pour les "
    "collégiens dès la rentrée prochaine, une mesure estimée à 380 000 euros par an."
)
_NEXT = (
    "Le président de l'intercommunalité a précisé que la dépense serait financée par une hausse "
    "modérée du versement mobilité acquitté par les entreprises du territoire."
)


@pytest.mark.parametrize(
    "body",
    [
        f"{_LEDE}\n\n{_NEXT}",
        f"<p>{_LEDE}</p><figure><figcaption>Un car scolaire. © Jean Morel</figcaption></figure>"
        f"<p>{_NEXT}</p>",
    ],
)
def test_page_rendered_by_script_is_read_from_its_json_ld_article_body(body: str) -> None:
    """An app shell whose article is only in JSON-LD `articleBody` (text or HTML) gives that article."""
    ld = json.dumps({"@type": "NewsArticle", "headline": "Bus scolaires gratuits", "articleBody": body})
    page = (
        f'<html><head><script type="application/ld+json">{ld}</script></head><body>'
        "<nav><a href='/'>Accueil</a> <a href='/r'>Région</a></nav>"
        "<div id='app'>Chargement…</div></body></html>"
    )
    _, cleaned = run(page)
    assert [_LEDE, _NEXT] == body_lines(cleaned)
    assert ("Bus scolaires gratuits", "json-ld") == (cleaned.title, cleaned.metadata.sources.get("body"))


def test_visible_article_is_preferred_to_its_json_ld_copy() -> None:
    """A page showing its article reads the visible blocks, not `articleBody`."""
    ld = json.dumps({"@type": "NewsArticle", "articleBody": f"{_LEDE} {_NEXT}"})
    page = f'<script type="application/ld+json">{ld}</script><article><p>{_LEDE}</p><p>{_NEXT}</p></article>'
    _, cleaned = run(page)
    assert [_LEDE, _NEXT] == body_lines(cleaned)
    assert "body" not in cleaned.metadata.sources


@pytest.mark.parametrize(
    ("og_title", "site", "h1", "expected"),
    [
        ("Bus scolaires gratuits - Ille Matin", None, "Bus scolaires gratuits", "Bus scolaires gratuits"),
        ("Bus scolaires gratuits | Ille Matin", "Ille Matin", "Transports", "Bus scolaires gratuits"),
        ("Rennes - Saint-Malo : la ligne rouvre", None, "Rennes", "Rennes - Saint-Malo : la ligne rouvre"),
        ("Nantes - Lens : 0-2", "Ille Matin", None, "Nantes - Lens : 0-2"),
    ],
)
def test_stated_headline_loses_the_site_name_only_on_the_page_evidence(
    og_title: str, site: str | None, h1: str, expected: str
) -> None:
    """og:title drops a trailing site name shown by the `<h1>` or og:site_name; its own dash stays."""
    site_meta = f'<meta property="og:site_name" content="{site}">' if site else ""
    heading = f"<h1>{h1}</h1>" if h1 else ""
    page = (
        f'<html><head><meta property="og:title" content="{og_title}">{site_meta}</head><body><article>'
        f"{heading}<p>{_LEDE}</p><p>{_NEXT}</p></article></body></html>"
    )
    _, cleaned = run(page)
    assert expected == cleaned.title
