"""Every bad input gets its RFC 9457 problem with a stable code, never a 500."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.anyio]

ENGLISH = (
    "The city council voted on Monday evening for a record budget, most of which will go to public "
    "transport. The mayor defended a choice made for the climate and for household budgets."
)
GERMAN = (
    "Der Stadtrat hat am Montagabend einen Rekordhaushalt beschlossen, der zum größten Teil in den "
    "öffentlichen Nahverkehr fließen soll. Die Bürgermeisterin verteidigte die Entscheidung."
)


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code"),
    [
        (b'{"text": ', "application/json", 400, "invalid_json"),
        (b"not json at all", "application/json", 400, "invalid_json"),
        (b'{"text": 12}', "application/json", 422, "validation_error"),
        (b'{"text": "Bonjour", "colour": "red"}', "application/json", 422, "validation_error"),
        (b'{"title": "Sans texte"}', "application/json", 422, "validation_error"),
        (b'{"text": "x", "options": {"summary_sentences": 0}}', "application/json", 422, "validation_error"),
        (b'{"text": ""}', "application/json", 422, "empty_text"),
        (b'{"text": "  \\n\\t \\u00a0 "}', "application/json", 422, "empty_text"),
        (b"   \n  ", "text/plain", 422, "empty_text"),
        (b"<article>Bonjour</article>", "application/xml", 415, "unsupported_media_type"),
        (b"text=Bonjour", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
        (b"\xff\xfe\xfa", "text/plain; charset=utf-8", 400, "invalid_encoding"),
        (ENGLISH.encode(), "text/plain", 422, "unsupported_language"),
        (GERMAN.encode(), "text/plain", 422, "unsupported_language"),
    ],
)
async def test_bad_input_gets_its_problem(
    client_for, make_settings, body, content_type, status, code
) -> None:
    """Each malformed or refused request answers its documented status and code as problem+json."""
    async with client_for(make_settings()) as client:
        response = await client.post("/v1/enrich", content=body, headers={"content-type": content_type})
    assert status == response.status_code
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert code == problem["code"]
    assert status == problem["status"]
    assert f"urn:article-enrichment:problem:{code}" == problem["type"]
    assert problem["title"]
    assert problem["detail"]
    assert "Traceback" not in response.text


async def test_validation_error_names_the_field(client_for, make_settings) -> None:
    """A wrongly typed field is reported with its JSON path."""
    async with client_for(make_settings()) as client:
        response = await client.post("/v1/enrich", json={"text": "Bonjour", "options": {"max_topics": "3"}})
    assert [
        {"path": "$.options.max_topics", "message": response.json()["errors"][0]["message"]}
    ] == response.json()["errors"]


async def test_text_over_the_character_limit(client_for, make_settings) -> None:
    """A text longer than MAX_TEXT_CHARS is refused with 413 text_too_large."""
    async with client_for(make_settings(MAX_TEXT_CHARS="1000")) as client:
        response = await client.post("/v1/enrich", json={"text": "mot " * 300})
    assert (response.status_code, response.json()["code"]) == (413, "text_too_large")


async def test_body_over_the_byte_limit(client_for, make_settings) -> None:
    """A body larger than MAX_BODY_BYTES is refused with 413 text_too_large before decoding."""
    async with client_for(make_settings(MAX_BODY_BYTES="2000")) as client:
        response = await client.post(
            "/v1/enrich",
            content=b'{"text": "' + b"a" * 5000 + b'"}',
            headers={"content-type": "application/json"},
        )
    assert (response.status_code, response.json()["code"]) == (413, "text_too_large")


async def test_french_article_with_an_english_caption_is_french(
    client_for, make_settings, clean_article
) -> None:
    """A French article keeps its language when a caption or quote is in English."""
    text = clean_article + "\nPhoto: harvest workers in a vineyard near Bordeaux, September 2023 (AFP)."
    async with client_for(make_settings()) as client:
        response = await client.post("/v1/enrich", json={"text": text})
    assert response.status_code == 200
    assert response.json()["language"]["code"] == "fr"


async def test_short_text_is_not_refused_on_a_guess(client_for, make_settings) -> None:
    """A text too short to identify is accepted rather than refused."""
    async with client_for(make_settings()) as client:
        response = await client.post("/v1/enrich", json={"text": "Grève à la SNCF."})
    assert response.status_code == 200


async def test_unknown_route_and_method(client_for, make_settings) -> None:
    """Unknown paths and methods are problems too."""
    async with client_for(make_settings()) as client:
        missing = await client.get("/v2/enrich")
        wrong = await client.get("/v1/enrich")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    assert (wrong.status_code, wrong.json()["code"]) == (405, "method_not_allowed")
