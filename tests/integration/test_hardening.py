"""Batch, back-pressure, deadlines, single flight, Redis faults, API keys and rate limits."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import re
import socket
import threading
from collections.abc import Iterator

import pytest
import redis

from tests.support import RedisServer

pytestmark = [pytest.mark.integration, pytest.mark.anyio]


def variant(text: str, n: int) -> str:
    """A distinct article: the text plus a numbered closing line."""
    return f"{text}\nMise à jour numéro {n} de cet article."


def metric(page: str, name: str) -> float:
    """Read one sample of the Prometheus page."""
    match = re.search(rf"^{re.escape(name)} (\S+)$", page, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


async def test_batch_answers_each_item_in_order(client_for, make_settings, clean_article) -> None:
    """A batch with a cached, a new, a duplicate and two bad articles answers each in request order."""
    cached = variant(clean_article, 1)
    fresh = variant(clean_article, 2)
    async with client_for(make_settings()) as client:
        await client.post("/v1/enrich", json={"text": cached})
        response = await client.post(
            "/v1/enrich/batch",
            json={
                "articles": [{"text": cached}, {"text": fresh}, {"text": ""}, {"txt": "x"}, {"text": fresh}]
            },
        )
        single = await client.post("/v1/enrich", json={"text": fresh})
    assert 200 == response.status_code
    results = response.json()["results"]
    assert [0, 1, 2, 3, 4] == [r["index"] for r in results]
    assert [200, 200, 422, 422, 200] == [r["status"] for r in results]
    assert [None, None, "empty_text", "validation_error", None] == [
        r.get("error", {}).get("code") for r in results
    ]
    assert "$.articles[3]" == results[3]["error"]["errors"][0]["path"]
    assert results[1]["result"] == results[4]["result"]
    assert "hit" == single.headers["x-cache"]
    assert results[1]["result"]["id"] == single.json()["id"]


async def test_batch_over_the_limit_is_refused(client_for, make_settings) -> None:
    """More than MAX_BATCH articles is a validation error on $.articles."""
    async with client_for(make_settings(MAX_BATCH="2")) as client:
        response = await client.post("/v1/enrich/batch", json={"articles": [{"text": "a"}] * 3})
    assert (422, "validation_error") == (response.status_code, response.json()["code"])
    assert "$.articles" == response.json()["errors"][0]["path"]


async def test_empty_batch_is_refused(client_for, make_settings) -> None:
    """A batch needs at least one article."""
    async with client_for(make_settings()) as client:
        response = await client.post("/v1/enrich/batch", json={"articles": []})
    assert (422, "validation_error") == (response.status_code, response.json()["code"])


async def test_full_queue_answers_overloaded_at_once(client_for, make_settings, clean_article) -> None:
    """With MAX_QUEUE=1, concurrent distinct articles beyond the first get 503 overloaded with Retry-After."""
    async with client_for(make_settings(MAX_QUEUE="1")) as client:
        responses = await asyncio.gather(
            *(client.post("/v1/enrich", json={"text": variant(clean_article, 100 + i)}) for i in range(4))
        )
        health = await client.get("/health/live")
    statuses = sorted(r.status_code for r in responses)
    assert 200 == statuses[0]
    assert 503 == statuses[-1]
    for response in responses:
        if response.status_code == 503:
            assert "overloaded" == response.json()["code"]
            assert int(response.headers["retry-after"]) >= 1
    assert 200 == health.status_code


async def test_deadline_answers_timeout(client_for, make_settings, clean_article) -> None:
    """A computation slower than REQUEST_TIMEOUT_SECONDS answers 503 timeout with Retry-After."""
    long_text = "\n".join(variant(clean_article, i) for i in range(30))
    async with client_for(make_settings(REQUEST_TIMEOUT_SECONDS="0.05")) as client:
        response = await client.post("/v1/enrich", json={"text": long_text})
    assert (503, "timeout") == (response.status_code, response.json()["code"])
    assert int(response.headers["retry-after"]) >= 1


async def test_concurrent_identical_requests_compute_once(client_for, make_settings, clean_article) -> None:
    """Single flight: five concurrent requests for one new text run the pipeline once."""
    text = variant(clean_article, 500)
    async with client_for(make_settings()) as client:
        before = metric(
            (await client.get("/metrics")).text, 'enrich_stage_duration_seconds_count{stage="nlp"}'
        )
        responses = await asyncio.gather(*(client.post("/v1/enrich", json={"text": text}) for _ in range(5)))
        after = metric(
            (await client.get("/metrics")).text, 'enrich_stage_duration_seconds_count{stage="nlp"}'
        )
    assert [200] * 5 == [r.status_code for r in responses]
    assert 1 == len({r.content for r in responses})
    assert 1.0 == after - before


async def test_redis_outage_costs_no_errors(
    client_for, make_settings, own_redis: RedisServer, clean_article
) -> None:
    """Redis stopped mid-run: every request still answers 200; restarted: hits come back by themselves."""
    settings = make_settings(REDIS_URL=own_redis.url, REDIS_TIMEOUT_SECONDS="0.2")
    async with client_for(settings) as client:
        statuses = [
            (await client.post("/v1/enrich", json={"text": variant(clean_article, 600 + i)})).status_code
            for i in range(3)
        ]
        own_redis.stop()
        statuses += [
            (await client.post("/v1/enrich", json={"text": variant(clean_article, 600 + i)})).status_code
            for i in range(3, 8)
        ]
        cached_while_down = await client.post("/v1/enrich", json={"text": variant(clean_article, 600)})
        ready_down = await client.get("/health/ready")
        own_redis.start()
        await asyncio.sleep(1.2)  # past the cache's pause after a failure
        text = variant(clean_article, 700)
        first = await client.post("/v1/enrich", json={"text": text})
        second = await client.post("/v1/enrich", json={"text": text})
        ready_up = await client.get("/health/ready")
        page = (await client.get("/metrics")).text
    assert [200] * 8 == statuses
    assert 200 == cached_while_down.status_code
    assert (200, {"backend": "redis", "ok": False}) == (ready_down.status_code, ready_down.json()["cache"])
    assert ("miss", "hit") == (first.headers["x-cache"], second.headers["x-cache"])
    assert {"backend": "redis", "ok": True} == ready_up.json()["cache"]
    assert metric(page, 'enrich_cache_operations_total{result="error"}') >= 1.0


def _commands(connection: socket.socket) -> Iterator[list[bytes]]:
    """The RESP commands a client sends on `connection`, until it closes."""
    buffer = b""
    while True:
        while True:
            parsed = _parse(buffer)
            if parsed is None:
                break
            command, buffer = parsed
            yield command
        try:
            chunk = connection.recv(65536)
        except OSError:
            return
        if not chunk:
            return
        buffer += chunk


def _parse(buffer: bytes) -> tuple[list[bytes], bytes] | None:
    """One command (an array of bulk strings) off the front of `buffer`, or None if incomplete."""
    head, sep, rest = buffer.partition(b"\r\n")
    if not sep:
        return None
    parts = []
    for _ in range(int(head[1:])):
        size, sep, rest = rest.partition(b"\r\n")
        if not sep or len(rest) < int(size[1:]) + 2:
            return None
        parts.append(rest[: int(size[1:])])
        rest = rest[int(size[1:]) + 2 :]
    return parts, rest


@contextlib.contextmanager
def hung_redis() -> Iterator[str]:
    """A Redis URL whose server completes the connection handshake, then never answers a command."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def serve(connection: socket.socket) -> None:
        for command in _commands(connection):
            # redis-py's handshake (CLIENT SETINFO, SELECT) is answered; GET, SET, PING, EVALSHA never.
            if command and command[0].upper() in {b"CLIENT", b"SELECT"}:
                connection.sendall(b"+OK\r\n")

    def accept() -> None:
        while not stop.is_set():
            try:
                connection = listener.accept()[0]
            except TimeoutError:
                continue
            accepted.append(connection)
            threading.Thread(target=serve, args=(connection,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    finally:
        stop.set()
        thread.join()
        for connection in accepted:
            connection.close()
        listener.close()


async def test_hung_redis_costs_no_errors(client_for, make_settings, clean_article) -> None:
    """A Redis that never answers: every call ends at REDIS_TIMEOUT_SECONDS and nothing fails.

    Requests are computed, the rate limit fails open, readiness says the cache is down, and the
    failures are counted.
    """
    with hung_redis() as url:
        settings = make_settings(REDIS_URL=url, REDIS_TIMEOUT_SECONDS="0.2", RATE_LIMIT="1/hour")
        async with client_for(settings) as client:
            responses = [
                await client.post("/v1/enrich", json={"text": variant(clean_article, 800 + i)})
                for i in range(2)
            ]
            ready = await client.get("/health/ready")
            page = (await client.get("/metrics")).text
    assert [(200, "miss")] * 2 == [(r.status_code, r.headers["x-cache"]) for r in responses]
    assert (200, {"backend": "redis", "ok": False}) == (ready.status_code, ready.json()["cache"])
    assert metric(page, 'enrich_cache_operations_total{result="error"}') >= 1.0


async def test_api_keys_guard_the_enrich_routes(client_for, make_settings, clean_article) -> None:
    """With API_KEYS, /v1 needs a valid key (clear or SHA-256, Bearer or X-API-Key); health stays open."""
    hashed = "sha256:" + hashlib.sha256(b"second-key").hexdigest()
    async with client_for(make_settings(API_KEYS=f"first-key,{hashed}")) as client:
        missing = await client.post("/v1/enrich", json={"text": clean_article})
        wrong = await client.post("/v1/enrich", json={"text": clean_article}, headers={"x-api-key": "nope"})
        bearer = await client.post(
            "/v1/enrich", json={"text": clean_article}, headers={"authorization": "Bearer first-key"}
        )
        header = await client.post(
            "/v1/enrich", json={"text": clean_article}, headers={"x-api-key": "second-key"}
        )
        batch = await client.post("/v1/enrich/batch", json={"articles": [{"text": clean_article}]})
        health = await client.get("/health/ready")
        metrics = await client.get("/metrics")
    assert (401, "unauthorized") == (missing.status_code, missing.json()["code"])
    assert "Bearer" in missing.headers["www-authenticate"]
    assert (401, "unauthorized") == (wrong.status_code, wrong.json()["code"])
    assert (200, 200) == (bearer.status_code, header.status_code)
    assert 401 == batch.status_code
    assert (200, 200) == (health.status_code, metrics.status_code)


async def test_without_keys_everything_is_open(client_for, make_settings, clean_article) -> None:
    """With no API_KEYS, requests need no key."""
    async with client_for(make_settings()) as client:
        response = await client.post("/v1/enrich", json={"text": clean_article})
    assert 200 == response.status_code


async def test_rate_limit_per_key_in_redis(
    client_for, make_settings, clean_article, redis_client: redis.Redis
) -> None:
    """RATE_LIMIT=3/hour: the fourth request of a key gets 429 with Retry-After; another key is unaffected."""
    settings = make_settings(API_KEYS="key-one,key-two", RATE_LIMIT="3/hour")
    async with client_for(settings) as client:
        one = [
            await client.post("/v1/enrich", json={"text": clean_article}, headers={"x-api-key": "key-one"})
            for _ in range(4)
        ]
        two = await client.post("/v1/enrich", json={"text": clean_article}, headers={"x-api-key": "key-two"})
    assert [200, 200, 200, 429] == [r.status_code for r in one]
    assert "rate_limited" == one[3].json()["code"]
    assert 1 <= int(one[3].headers["retry-after"]) <= 3600
    assert 200 == two.status_code
    assert redis_client.keys("ratelimit:*")


async def test_rate_limit_fails_open_without_redis(
    client_for, make_settings, own_redis: RedisServer, clean_article
) -> None:
    """When Redis is down the rate limiter lets requests through instead of refusing them."""
    settings = make_settings(REDIS_URL=own_redis.url, RATE_LIMIT="1/hour", REDIS_TIMEOUT_SECONDS="0.2")
    async with client_for(settings) as client:
        own_redis.stop()
        responses = [await client.post("/v1/enrich", json={"text": clean_article}) for _ in range(3)]
    assert [200, 200, 200] == [r.status_code for r in responses]


async def test_concurrent_distinct_articles_share_nlp_passes(
    client_for, make_settings, clean_article
) -> None:
    """Distinct articles arriving together are micro-batched: fewer nlp.pipe passes than articles."""
    async with client_for(make_settings()) as client:
        page = (await client.get("/metrics")).text
        count_before = metric(page, "enrich_nlp_batch_articles_count")
        sum_before = metric(page, "enrich_nlp_batch_articles_sum")
        responses = await asyncio.gather(
            *(client.post("/v1/enrich", json={"text": variant(clean_article, 800 + i)}) for i in range(6))
        )
        page = (await client.get("/metrics")).text
    assert [200] * 6 == [r.status_code for r in responses]
    assert 6.0 == metric(page, "enrich_nlp_batch_articles_sum") - sum_before
    assert metric(page, "enrich_nlp_batch_articles_count") - count_before < 6.0


async def test_batch_and_single_request_share_one_computation(
    client_for, make_settings, clean_article
) -> None:
    """A batch item and a concurrent single request for the same new text run the pipeline once."""
    text = variant(clean_article, 900)
    async with client_for(make_settings()) as client:
        before = metric(
            (await client.get("/metrics")).text, 'enrich_stage_duration_seconds_count{stage="nlp"}'
        )
        single, batch = await asyncio.gather(
            client.post("/v1/enrich", json={"text": text}),
            client.post("/v1/enrich/batch", json={"articles": [{"text": text}]}),
        )
        after = metric(
            (await client.get("/metrics")).text, 'enrich_stage_duration_seconds_count{stage="nlp"}'
        )
    assert (200, 200) == (single.status_code, batch.status_code)
    assert single.json() == batch.json()["results"][0]["result"]
    assert 1.0 == after - before
