"""HTML input through HTTP: JSON `html`, text/html bodies, charsets, errors, cache identity, batch."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.anyio

HTML = Path(__file__).resolve().parents[1] / "data" / "html"


def _page() -> str:
    return (HTML / "page.html").read_text(encoding="utf-8")


def _check_offsets(result: dict[str, object]) -> None:
    """Removals point into source_text; paragraphs, entities and summary into body."""
    source = result["source_text"]
    body = result["body"]
    assert isinstance(source, str)
    assert isinstance(body, str)
    for item in result["removed"]:  # type: ignore[attr-defined]
        assert source[item["start"] : item["end"]] == item["text"]
    for entity in result["entities"]:  # type: ignore[attr-defined]
        for mention in entity["mentions"]:
            assert body[mention["start"] : mention["end"]] == mention["text"]
    for sentence in result["summary"]:  # type: ignore[attr-defined]
        assert body[sentence["start"] : sentence["end"]] == sentence["text"]


async def test_page_as_json_html_is_cleaned_enriched_and_rendered(client_for, make_settings) -> None:
    """A whole page in `html`: body without markup, body_html, metadata from JSON-LD, offsets right."""
    async with client_for(make_settings()) as client:
        response = await client.post("/v1/enrich", json={"html": _page()})
    assert 200 == response.status_code
    result = response.json()
    _check_offsets(result)
    assert "<" not in result["body"]
    assert result["body"].startswith("Le syndicat des mobilités de l'agglomération")
    assert result["body_html"].startswith("<p>Le syndicat des mobilités")
    assert "Grenoble : le tramway E prolongé jusqu'au Fontanil en 2027" == result["title"]
    assert "json-ld" == result["metadata"]["sources"]["published"]
    assert "fr" == result["language"]["code"]
    names = {entity["name"] for entity in result["entities"]}
    assert "Grenoble" in names or "Fontanil" in " ".join(names)
    assert not any(re.search(r"Poppins|Transitional|gtag", name) for name in names)


async def test_page_as_text_html_body_is_the_same_result(client_for, make_settings) -> None:
    """Content-Type text/html with the page as the body gives the result of the JSON form."""
    page = _page()
    async with client_for(make_settings()) as client:
        as_json = await client.post("/v1/enrich", json={"html": page})
        as_html = await client.post(
            "/v1/enrich", content=page.encode(), headers={"Content-Type": "text/html; charset=utf-8"}
        )
    assert (200, 200) == (as_json.status_code, as_html.status_code)
    assert as_json.json()["id"] == as_html.json()["id"]
    assert "hit" == as_html.headers["X-Cache"]


async def test_charset_comes_from_meta_when_the_header_has_none(client_for, make_settings) -> None:
    """A windows-1252 page declaring its charset in <meta> decodes right without a header charset."""
    page = _page().replace('<meta charset="utf-8">', '<meta charset="windows-1252">')
    async with client_for(make_settings()) as client:
        response = await client.post(
            "/v1/enrich", content=page.encode("cp1252"), headers={"Content-Type": "text/html"}
        )
    assert 200 == response.status_code
    assert "Le syndicat des mobilités" in response.json()["body"]


async def test_undecodable_html_is_invalid_encoding(client_for, make_settings) -> None:
    """Bytes that are not the declared charset get 400 invalid_encoding."""
    async with client_for(make_settings()) as client:
        response = await client.post(
            "/v1/enrich",
            content=b"<p>caf\xe9 cr\xe8me</p>",
            headers={"Content-Type": "text/html; charset=utf-8"},
        )
    assert (400, "invalid_encoding") == (response.status_code, response.json()["code"])


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"text": "Un texte.", "html": "<p>Un texte.</p>"}, "$.html"),
        ({"title": "Sans contenu"}, "$.text"),
    ],
)
async def test_exactly_one_of_text_and_html(client_for, make_settings, body, path) -> None:
    """Both `text` and `html`, or neither, is a 422 validation_error naming the field."""
    async with client_for(make_settings()) as client:
        response = await client.post("/v1/enrich", json=body)
    problem = response.json()
    assert (422, "validation_error", path) == (
        response.status_code,
        problem["code"],
        problem["errors"][0]["path"],
    )


async def test_page_without_article_is_no_article_found(client_for, make_settings) -> None:
    """A login wall (a menu and a form) is 422 no_article_found with a detail."""
    page = (
        "<html><body><nav><ul><li><a href='/'>Accueil</a></li><li><a href='/s'>Sport</a></li>"
        "<li><a href='/c'>Culture</a></li></ul></nav><form><label>E-mail</label><input>"
        "<button>Se connecter</button></form></body></html>"
    )
    async with client_for(make_settings()) as client:
        response = await client.post("/v1/enrich", json={"html": page})
    problem = response.json()
    assert (422, "no_article_found") == (response.status_code, problem["code"])
    assert problem["detail"]


async def test_markup_heavy_page_is_judged_french_on_its_prose(client_for, make_settings) -> None:
    """English CSS, scripts and attributes outweighing the prose do not make a French page English."""
    noise = "<style>" + ".header .menu a:hover{color:#fff;background:transparent}" * 400 + "</style>"
    scripts = "<script>" + "function track(event){return window.analytics.send(event)}" * 400 + "</script>"
    page = _page().replace("</head>", noise + scripts + "</head>")
    async with client_for(make_settings()) as client:
        response = await client.post("/v1/enrich", json={"html": page})
    assert (200, "fr") == (response.status_code, response.json()["language"]["code"])


async def test_html_and_text_of_the_same_characters_are_different_results(client_for, make_settings) -> None:
    """The HTML is part of the content identity: a page and its text do not share a cache entry."""
    sentence = (
        "Le conseil municipal de Lorient a voté jeudi la gratuité des bus le samedi, une mesure "
        "testée pendant un an avant une éventuelle extension à toute la semaine."
    )
    async with client_for(make_settings()) as client:
        as_text = await client.post("/v1/enrich", json={"text": sentence})
        as_html = await client.post("/v1/enrich", json={"html": f"<p>{sentence}</p>"})
    assert as_text.json()["id"] != as_html.json()["id"]
    assert as_text.json()["body"] == as_html.json()["body"]
    assert as_text.json()["source_text"] is None
    assert sentence == as_html.json()["source_text"]


async def test_batch_accepts_html_items(client_for, make_settings) -> None:
    """Batch items take `html` like the single route; a bad item fails alone with its path."""
    fragment = (HTML / "ghost.html").read_text(encoding="utf-8")
    async with client_for(make_settings()) as client:
        response = await client.post(
            "/v1/enrich/batch", json={"articles": [{"html": fragment}, {"html": "<p>x</p>", "text": "x"}]}
        )
    items = response.json()["results"]
    assert [200, 422] == [item["status"] for item in items]
    assert "$.articles[1].html" == items[1]["error"]["errors"][0]["path"]
    assert "Keystone" not in items[0]["result"]["body"]
