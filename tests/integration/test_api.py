"""The v1 contract over HTTP with the real model and a real Redis."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import msgspec
import pytest
import redis
import uvicorn

from service.app import create_app
from service.identity import pipeline_version
from service.model import EnrichResult
from tests.support import free_port

pytestmark = [pytest.mark.integration, pytest.mark.anyio]

VERSION = pipeline_version("fr_core_news_md")


def assert_offsets(result: dict[str, Any], text: str) -> None:
    """Every offset of a result points at exactly the text it claims."""
    body = result["body"]
    for paragraph in result["paragraphs"]:
        assert (
            body[paragraph["start"] : paragraph["end"]].strip() == body[paragraph["start"] : paragraph["end"]]
        )
        assert paragraph["end"] > paragraph["start"]
    for removal in result["removed"]:
        assert text[removal["start"] : removal["end"]] == removal["text"]
    for entity in result["entities"]:
        assert entity["count"] == len(entity["mentions"])
        for mention in entity["mentions"]:
            assert body[mention["start"] : mention["end"]] == mention["text"]
    for sentence in result["summary"]:
        assert body[sentence["start"] : sentence["end"]] == sentence["text"]


async def test_enrich_returns_the_contract_with_exact_offsets(client_for, make_settings, article) -> None:
    """A scraped article comes back as a full EnrichResult whose every offset matches its text."""
    async with client_for(make_settings()) as client:
        response = await client.post("/v1/enrich", json={"text": article})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    result = msgspec.json.decode(response.content, type=EnrichResult)
    assert result.pipeline_version == VERSION
    assert result.model == "fr_core_news_md-3.8.0"
    assert result.language.code == "fr"
    assert result.id.startswith("sha256:")
    assert len(result.id.removeprefix("sha256:")) == 64
    assert result.body
    assert result.entities
    assert len(article) == result.stats.input_chars
    assert len(result.body) == result.stats.body_chars
    assert {"normalize", "clean", "nlp", "sentences", "entities", "quotes"} <= set(result.stats.timings_ms)
    assert_offsets(msgspec.json.decode(response.content), article)


async def test_second_request_is_a_cache_hit_stored_in_redis(
    client_for, make_settings, clean_article, redis_client: redis.Redis
) -> None:
    """The same text twice is computed once: the second answer says hit and the key is in Redis."""
    text = clean_article + "\n(variante de cache)"
    async with client_for(make_settings()) as client:
        first = await client.post("/v1/enrich", json={"text": text})
        second = await client.post("/v1/enrich", json={"text": text})
    assert (first.headers["x-cache"], second.headers["x-cache"]) == ("miss", "hit")
    assert first.content == second.content
    digest = first.json()["id"].removeprefix("sha256:")
    assert redis_client.exists(f"enrich:{VERSION}:{digest}")


async def test_embedded_cache_serves_hits_without_redis(client_for, make_settings, clean_article) -> None:
    """With no REDIS_URL the in-process LRU answers the second request."""
    text = clean_article + "\n(cache embarqué)"
    async with client_for(make_settings(REDIS_URL=None)) as client:
        first = await client.post("/v1/enrich", json={"text": text})
        second = await client.post("/v1/enrich", json={"text": text})
        ready = await client.get("/health/ready")
    assert (first.headers["x-cache"], second.headers["x-cache"]) == ("miss", "hit")
    assert ready.json()["cache"] == {"backend": "memory", "ok": True}


async def test_text_plain_body_is_the_article(client_for, make_settings, clean_article) -> None:
    """A text/plain POST is enriched like a JSON one with the same text."""
    async with client_for(make_settings()) as client:
        as_json = await client.post("/v1/enrich", json={"text": clean_article})
        as_text = await client.post(
            "/v1/enrich",
            content=clean_article.encode(),
            headers={"content-type": "text/plain; charset=utf-8"},
        )
    assert as_text.status_code == 200
    assert as_json.json()["id"] == as_text.json()["id"]


async def test_clean_article_keeps_every_word(client_for, make_settings, clean_article) -> None:
    """An article without clutter loses nothing: no removal, every word in the body."""
    async with client_for(make_settings()) as client:
        response = await client.post("/v1/enrich", json={"text": clean_article})
    result = response.json()
    assert result["removed"] == []
    assert clean_article.split() == result["body"].split()


async def test_options_and_title_change_the_identity(client_for, make_settings, clean_article) -> None:
    """Options and title are part of the cache identity; the url is not."""
    async with client_for(make_settings()) as client:
        plain = (await client.post("/v1/enrich", json={"text": clean_article})).json()["id"]
        with_url = (
            await client.post("/v1/enrich", json={"text": clean_article, "url": "https://example.org/a"})
        ).json()["id"]
        one_sentence = (
            await client.post("/v1/enrich", json={"text": clean_article, "options": {"summary_sentences": 1}})
        ).json()["id"]
        titled = (
            await client.post("/v1/enrich", json={"text": clean_article, "title": "Vendanges précoces"})
        ).json()["id"]
    assert plain == with_url
    assert len({plain, one_sentence, titled}) == 3


async def test_normalization_variants_share_one_identity(client_for, make_settings, clean_article) -> None:
    """CRLF line endings and non-breaking spaces do not change the id, and removals map to the raw input."""
    variant = clean_article.replace("\n", "\r\n").replace(" : ", "\u00a0: ")
    async with client_for(make_settings()) as client:
        a = (await client.post("/v1/enrich", json={"text": clean_article})).json()
        b = (await client.post("/v1/enrich", json={"text": variant})).json()
    assert a["id"] == b["id"]
    assert a["body"] == b["body"]


async def test_etag_and_if_none_match(client_for, make_settings, clean_article) -> None:
    """The ETag derives from the id and a matching If-None-Match gets 304 with no body."""
    async with client_for(make_settings()) as client:
        first = await client.post("/v1/enrich", json={"text": clean_article})
        etag = first.headers["etag"]
        again = await client.post("/v1/enrich", json={"text": clean_article}, headers={"if-none-match": etag})
    assert first.json()["id"].removeprefix("sha256:")[:40] in etag
    assert again.status_code == 304
    assert again.content == b""


async def test_request_id_is_echoed_or_generated(client_for, make_settings) -> None:
    """X-Request-ID comes back as sent, or a fresh one is made, on successes and errors alike."""
    async with client_for(make_settings()) as client:
        echoed = await client.get("/health/live", headers={"x-request-id": "cms-42"})
        generated = await client.get("/health/live")
        failed = await client.post("/v1/enrich", content=b"{", headers={"content-type": "application/json"})
    assert echoed.headers["x-request-id"] == "cms-42"
    assert len(generated.headers["x-request-id"]) == 32
    assert failed.headers["x-request-id"] == failed.json()["request_id"]


async def test_health_endpoints(client_for, make_settings) -> None:
    """Liveness is plain; readiness names the pipeline, the model and a reachable Redis."""
    async with client_for(make_settings()) as client:
        live = await client.get("/health/live")
        ready = await client.get("/health/ready")
    assert live.json() == {"status": "ok"}
    assert ready.status_code == 200
    body = ready.json()
    assert (
        body["status"],
        body["pipeline_version"],
        body["model"],
    ) == ("ready", VERSION, "fr_core_news_md-3.8.0")
    assert body["cache"] == {"backend": "redis", "ok": True}


async def test_metrics_count_requests_and_cache(client_for, make_settings, clean_article) -> None:
    """The Prometheus page counts requests by route and status and cache hits."""
    async with client_for(make_settings()) as client:
        await client.post("/v1/enrich", json={"text": clean_article})
        await client.post("/v1/enrich", json={"text": clean_article})
        page = (await client.get("/metrics")).text
    assert 'enrich_http_requests_total{method="POST",route="/v1/enrich",status="200"} 2.0' in page
    assert 'enrich_cache_operations_total{result="hit"}' in page
    assert "enrich_nlp_queue_depth" in page


async def test_readiness_waits_for_the_model(make_settings, clean_article) -> None:
    """A fresh worker is live at once, not ready (503) while loading the model, then ready; enrich waits."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(make_settings()), host="127.0.0.1", port=port, log_config=None, access_log=False
        )
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
            live = await client.get("/health/live")
            loading = await client.get("/health/ready")
            enriched = await client.post("/v1/enrich", json={"text": clean_article + "\nChargement."})
            ready = await client.get("/health/ready")
    finally:
        server.should_exit = True
        await task
    assert 200 == live.status_code
    assert (503, "loading", None) == (loading.status_code, loading.json()["status"], loading.json()["model"])
    assert 200 == enriched.status_code
    assert (200, "ready") == (ready.status_code, ready.json()["status"])


async def test_scraped_article_is_cleaned_with_reasons(client_for, make_settings, article) -> None:
    """Menus, share buttons, byline, ad marker, related link, credit and prompts are removed and explained."""
    async with client_for(make_settings()) as client:
        result = (await client.post("/v1/enrich", json={"text": article})).json()
    assert "Rennes : le conseil municipal adopte un budget record pour les transports" == result["title"]
    assert {
        "byline": "Par Claire Le Goff",
        "source": None,
        "published": "2024-03-14T18:32:00",
        "updated": None,
        "credits": ["Ouest Images / AFP"],
        "sources": {"byline": "text", "credits": "text", "published": "text", "title": "text"},
    } == result["metadata"]
    reasons = {r["reason"] for r in result["removed"]}
    assert {
        "navigation",
        "share",
        "title",
        "byline",
        "advertisement",
        "related",
        "caption",
        "engagement",
    } == reasons
    assert "PUBLICITÉ" not in result["body"]
    assert result["body"].startswith("Le conseil municipal de Rennes a voté lundi soir")
    assert result["body"].endswith("lors de l'examen du plan local d'urbanisme.")


async def test_a_model_that_cannot_load_answers_not_ready(make_settings, clean_article) -> None:
    """When the worker's model fails to load, enrich answers 503 not_ready and readiness stays 503."""
    port = free_port()
    settings = make_settings(SPACY_MODEL="fr_model_that_is_not_installed")
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_config=None, access_log=False)
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            enriched = await client.post("/v1/enrich", json={"text": clean_article + "\nSans modèle."})
            ready = await client.get("/health/ready")
    finally:
        server.should_exit = True
        await task
    assert (503, "not_ready") == (enriched.status_code, enriched.json()["code"])
    assert 503 == ready.status_code


async def test_quotes_are_present_and_consistent(client_for, make_settings, article) -> None:
    """`quotes` lists the article's quotes and reported statements, pointing into body and entities."""
    async with client_for(make_settings()) as client:
        response = await client.post("/v1/enrich", json={"text": article})
        capped = await client.post("/v1/enrich", json={"text": article, "options": {"max_quotes": 1}})
    assert response.status_code == 200
    result = response.json()
    body, entities = result["body"], result["entities"]
    described = []
    for quote in result["quotes"]:
        assert body[quote["start"] : quote["end"]] == quote["text"]
        speaker = quote["speaker"]
        if speaker["entity"] is not None:
            assert entities[speaker["entity"]]["name"] == speaker["name"]
        described.append(
            (quote["kind"], quote["text"], speaker["name"], speaker["entity"] is None, quote["cue"])
        )
    assert [
        (
            "direct",
            "un choix assumé pour le climat et pour le pouvoir d'achat",
            "Nathalie Appéré",
            False,
            "a défendu",
        ),
        (
            "indirect",
            "140 000 voyageurs l'empruntent chaque jour, contre 110 000 attendus au départ",
            "la métropole",
            True,
            "selon",
        ),
        (
            "direct",
            "On finance des projets utiles, mais on laisse la facture aux générations suivantes",
            "Charles Compagnon",
            False,
            "a estimé",
        ),
        (
            "indirect",
            "la ville avait obtenu en janvier une subvention de l'État de 18 millions d'euros"
            " pour ces travaux",
            "Nathalie Appéré",
            False,
            "a rappelé",
        ),
    ] == described
    assert capped.status_code == 200
    assert [result["quotes"][0]] == capped.json()["quotes"]
    assert capped.json()["id"] != result["id"]
