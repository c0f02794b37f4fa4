"""Jobs over HTTP with a real Redis: submit, poll, page, cancel, restart, signed webhooks."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import signal
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
import uvicorn
from standardwebhooks.webhooks import Webhook

from service.jobs.store import MemoryJobStore, RedisJobStore
from tests.support import RedisServer, free_port

pytestmark = [pytest.mark.integration, pytest.mark.anyio]

SECRET = "whsec_" + base64.b64encode(b"jobs-integration-test-key-32byte").decode()
TERMINAL = {"done", "failed", "cancelled"}
WAIT_SECONDS = 90
MODEL_LOAD_SECONDS = 300
ROOT = Path(__file__).resolve().parents[2]


def article(n: int, tag: str) -> str:
    """A short, distinct French article (short keeps the tests fast)."""
    return (
        f"Le conseil municipal de Rennes a voté lundi le budget {tag} numéro {n}. "
        "La maire, Nathalie Appéré, a défendu un choix assumé pour le climat. "
        "L'opposition a critiqué l'endettement de la ville."
    )


def metric(page: str, name: str) -> float:
    """One sample of the Prometheus page (0 when absent)."""
    match = re.search(rf"^{re.escape(name)} (\S+)$", page, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


async def wait_job(
    client: httpx.AsyncClient, job_id: str, until: Callable[[dict[str, Any]], bool]
) -> dict[str, Any]:
    """Poll the job until `until` holds for its JSON (at most WAIT_SECONDS)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        body = (await client.get(f"/v1/jobs/{job_id}")).json()
        if until(body):
            return body
        assert time.monotonic() < deadline, body
        await asyncio.sleep(0.05)


class Receiver:
    """A webhook receiver (raw ASGI) that answers the given statuses in turn, then 200."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.calls: list[tuple[dict[str, str], bytes]] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """Record the request's headers and body, answer the next status."""
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        self.calls.append(({k.decode(): v.decode() for k, v in scope["headers"]}, body))
        n = len(self.calls) - 1
        status = self.statuses[n] if n < len(self.statuses) else 200
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b""})


@asynccontextmanager
async def serve_receiver(receiver: Receiver) -> AsyncIterator[str]:
    """Serve the receiver on a free port; yields its URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(receiver, host="127.0.0.1", port=port, lifespan="off", log_config=None)
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}/hooks/enrich"
    finally:
        server.should_exit = True
        await task


@pytest.fixture
def job_settings(make_settings, own_redis: RedisServer):
    """Settings for jobs on a private Redis: small units, one at a time, fast webhook retries."""

    def build(**env: str | None):
        values: dict[str, str | None] = {
            "REDIS_URL": own_redis.url,
            "JOB_CHUNK_ARTICLES": "4",
            "JOB_CONCURRENCY": "1",
            "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
            "WEBHOOK_BACKOFF_SECONDS": "0.05",
            "WEBHOOK_TIMEOUT_SECONDS": "2",
        }
        values.update(env)
        return make_settings(**values)

    return build


async def test_job_runs_to_done_with_pages_and_per_item_errors(client_for, job_settings) -> None:
    """A job answers 202 with Location, ends done, pages its results in order and reports bad items alone."""
    articles: list[dict[str, Any]] = [{"text": article(i, "pages")} for i in range(9)]
    articles[4] = {"text": "   "}
    articles[7] = {"txt": "champ inconnu"}
    async with client_for(job_settings()) as client:
        submitted = await client.post("/v1/jobs", json={"articles": articles, "metadata": {"lot": 7}})
        job_id = submitted.json()["id"]
        assert 202 == submitted.status_code
        assert f"/v1/jobs/{job_id}" == submitted.headers["location"]
        assert {
            "id": job_id,
            "status": "queued",
            "created_at": submitted.json()["created_at"],
            "progress": {"done": 0, "total": 9},
        } == submitted.json()
        done = await wait_job(client, job_id, lambda j: j["status"] in TERMINAL)
        assert ("done", {"done": 9, "total": 9}, {"lot": 7}) == (
            done["status"],
            done["progress"],
            done["metadata"],
        )
        assert done["finished_at"] >= done["created_at"]
        pages, url = [], f"/v1/jobs/{job_id}?limit=4"
        while url:
            page = (await client.get(url)).json()
            pages.append([item["index"] for item in page["results"]])
            url = page["next"]
        again = await client.post("/v1/enrich", json={"text": article(0, "pages")})
    assert [[0, 1, 2, 3], [4, 5, 6, 7], [8]] == pages
    statuses = {item["index"]: item["status"] for item in done["results"]}
    assert {**dict.fromkeys(range(9), 200), 4: 422, 7: 422} == statuses
    errors = {item["index"]: item["error"]["code"] for item in done["results"] if "error" in item}
    assert {4: "empty_text", 7: "validation_error"} == errors
    assert f"/v1/jobs/{job_id}#/articles/4" == done["results"][4]["error"]["instance"]
    # The job's results went into the same content-hash cache as the synchronous endpoints.
    assert "hit" == again.headers["x-cache"]
    assert again.json() == done["results"][0]["result"]


async def test_job_of_cached_articles_finishes_from_the_cache(client_for, job_settings) -> None:
    """Articles enriched synchronously before are served to a job from the cache: no NLP pass runs."""
    texts = [article(i, "cache") for i in range(3)]
    async with client_for(job_settings()) as client:
        for text in texts:
            await client.post("/v1/enrich", json={"text": text})
        before = (await client.get("/metrics")).text
        job_id = (await client.post("/v1/jobs", json={"articles": [{"text": t} for t in texts]})).json()["id"]
        done = await wait_job(client, job_id, lambda j: j["status"] in TERMINAL)
        after = (await client.get("/metrics")).text
    passes = "enrich_nlp_batch_articles_count"
    hits = 'enrich_cache_operations_total{result="hit"}'
    assert ("done", [200, 200, 200]) == (done["status"], [r["status"] for r in done["results"]])
    new_passes = metric(after, passes) - metric(before, passes)
    assert (0.0, 3.0) == (new_passes, metric(after, hits) - metric(before, hits))


async def test_webhook_is_signed_and_retried_until_the_receiver_accepts(client_for, job_settings) -> None:
    """A receiver failing twice with 5xx gets a third delivery; all carry one id and a valid signature."""
    receiver = Receiver([500, 503])
    async with serve_receiver(receiver) as url, client_for(job_settings()) as client:
        articles = [{"text": article(i, "hook")} for i in range(2)]
        submitted = await client.post("/v1/jobs", json={"articles": articles, "callback_url": url})
        job_id = submitted.json()["id"]
        await wait_job(client, job_id, lambda _j: len(receiver.calls) >= 3)
        await asyncio.sleep(0.3)  # a fourth delivery would come within this
        view = (await client.get(f"/v1/jobs/{job_id}")).json()
        page = (await client.get("/metrics")).text
    assert 3 == len(receiver.calls)
    assert {f"msg_{job_id}"} == {headers["webhook-id"] for headers, _ in receiver.calls}
    for headers, body in receiver.calls:
        assert view == Webhook(SECRET).verify(body, headers)
    assert "done" == view["status"]
    outcomes = {
        o: metric(page, f'enrich_webhook_deliveries_total{{outcome="{o}"}}') for o in ("retried", "delivered")
    }
    assert {"retried": 2.0, "delivered": 1.0} == outcomes


async def test_callback_outside_the_allowlist_is_refused_before_any_job(
    client_for, job_settings, own_redis: RedisServer
) -> None:
    """An unlisted host, another scheme, or no allowlist at all: 422 callback_not_allowed, no job stored."""
    one = [{"text": article(0, "ssrf")}]
    async with client_for(job_settings()) as client:
        unlisted = await client.post("/v1/jobs", json={"articles": one, "callback_url": "http://10.0.0.1/x"})
        scheme = await client.post("/v1/jobs", json={"articles": one, "callback_url": "gopher://127.0.0.1/x"})
    async with client_for(job_settings(WEBHOOK_ALLOWED_HOSTS=None)) as client:
        no_list = await client.post(
            "/v1/jobs", json={"articles": one, "callback_url": "http://127.0.0.1:9/x"}
        )
    for response in (unlisted, scheme, no_list):
        assert (422, "callback_not_allowed") == (response.status_code, response.json()["code"])
        assert response.headers["content-type"].startswith("application/problem+json")
    keys = redis.Redis.from_url(own_redis.url).keys("jobs:*")
    assert [] == keys


async def test_unknown_job_is_a_404_problem(client_for, job_settings) -> None:
    """GET and DELETE of an unknown id answer 404 job_not_found as problem+json."""
    async with client_for(job_settings()) as client:
        got = await client.get("/v1/jobs/0123456789abcdef")
        deleted = await client.delete("/v1/jobs/0123456789abcdef")
    for response in (got, deleted):
        assert (404, "job_not_found") == (response.status_code, response.json()["code"])
        assert response.headers["content-type"].startswith("application/problem+json")


async def test_cancel_stops_a_job(client_for, job_settings) -> None:
    """DELETE cancels a running job: its status is cancelled and no more articles are done."""
    articles = [{"text": article(i, "cancel")} for i in range(40)]
    async with client_for(job_settings()) as client:
        job_id = (await client.post("/v1/jobs", json={"articles": articles})).json()["id"]
        cancelled = (await client.delete(f"/v1/jobs/{job_id}")).json()
        await asyncio.sleep(1.0)
        later = (await client.get(f"/v1/jobs/{job_id}")).json()
    assert "cancelled" == cancelled["status"]
    assert cancelled["finished_at"] is not None
    # The unit already being enriched when DELETE came may still store its articles.
    assert later["progress"]["done"] <= cancelled["progress"]["done"] + 4
    assert later["progress"]["done"] < 40
    assert ("cancelled", later["finished_at"]) == (later["status"], cancelled["finished_at"])


async def test_job_survives_a_restart_without_losing_or_repeating_articles(
    client_for, job_settings, own_redis: RedisServer, record_property
) -> None:
    """A job interrupted by a restart completes after it, each article once, the rest computed once."""
    total = 48
    articles = [{"text": article(i, "restart")} for i in range(total)]
    settings = job_settings()
    async with client_for(settings) as client:
        job_id = (await client.post("/v1/jobs", json={"articles": articles})).json()["id"]
        await wait_job(client, job_id, lambda j: j["progress"]["done"] >= 8)
    store = redis.Redis.from_url(own_redis.url)
    done_before = store.hlen(f"jobs:results:{job_id}")
    status_before = store.hget(f"jobs:job:{job_id}", "status")
    async with client_for(settings) as client:
        done = await wait_job(client, job_id, lambda j: j["status"] in TERMINAL)
        page = (await client.get("/metrics")).text
        rest = [await client.get(f"/v1/jobs/{job_id}?offset={o}&limit=16") for o in (0, 16, 32)]
    indexes = [item["index"] for response in rest for item in response.json()["results"]]
    computed_after = metric(page, 'enrich_job_articles_total{outcome="ok"}')
    record_property("restart_counts", f"{done_before}/{total} before, {computed_after:g} after")
    assert (b"running", "done") == (status_before, done["status"])
    assert 8 <= done_before < total
    assert list(range(total)) == indexes
    assert {200} == {item["status"] for response in rest for item in response.json()["results"]}
    assert total - done_before == computed_after


async def test_jobs_run_in_process_without_redis(client_for, job_settings) -> None:
    """Without REDIS_URL jobs run in the process, and readiness says the queue is in memory."""
    async with client_for(job_settings(REDIS_URL=None)) as client:
        submitted = await client.post("/v1/jobs", json={"articles": [{"text": article(0, "memory")}]})
        job_id = submitted.json()["id"]
        done = await wait_job(client, job_id, lambda j: j["status"] in TERMINAL)
        ready = (await client.get("/health/ready")).json()
    assert ("done", 1) == (done["status"], done["progress"]["done"])
    assert {"backend": "memory", "ok": True, "consumer": True, "depth": 0} == ready["jobs"]


@pytest.mark.parametrize("backend", ["redis", "memory"])
async def test_an_expired_lease_puts_the_unit_back(backend: str, own_redis: RedisServer) -> None:
    """A unit whose worker stops renewing its lease goes back to the queue and is claimed again."""
    client = None
    if backend == "redis":
        from redis.asyncio import Redis  # noqa: PLC0415

        client = Redis.from_url(own_redis.url)
        store: RedisJobStore | MemoryJobStore = RedisJobStore(client, ttl_seconds=60)
    else:
        store = MemoryJobStore(ttl_seconds=60)
    from service.jobs.store import JobRecord  # noqa: PLC0415

    await store.create(JobRecord("j", "queued", "now", 2), [b"{}", b"{}"], ["run:j:0:1", "run:j:1:2"])
    first = await store.claim(0.05)
    held = await store.claim(60)
    assert (None, 0) == (await store.claim(60), await store.depth())
    await asyncio.sleep(0.1)
    moved = await store.reap()
    again = await store.claim(60)
    assert ("run:j:0:1", "run:j:1:2", 1, "run:j:0:1") == (first, held, moved, again)
    await store.release(held or "")
    assert (1, "run:j:1:2") == (await store.depth(), await store.claim(60))
    if client is not None:
        await client.aclose()


@pytest.mark.slow
async def test_standalone_worker_runs_jobs_the_api_does_not_consume(
    client_for, job_settings, own_redis: RedisServer
) -> None:
    """With JOB_CONSUMER=0 the API only queues; `python -m service worker` runs the job, stops on SIGTERM."""
    env = {**os.environ, "REDIS_URL": own_redis.url, "LOG_JSON": "1", "JOB_CHUNK_ARTICLES": "2"}
    worker = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "service", "worker", cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE
    )
    seen: list[bytes] = []
    try:
        # The model load is not what this test measures: wait for the worker's ready line first.
        async with asyncio.timeout(MODEL_LOAD_SECONDS):
            while not any(b'"ready"' in line for line in seen):
                assert worker.stdout is not None
                line = await worker.stdout.readline()
                assert line, "the worker exited before it was ready"
                seen.append(line)
        async with client_for(job_settings(JOB_CONSUMER="0")) as client:
            ready = (await client.get("/health/ready")).json()["jobs"]
            articles = [{"text": article(i, "worker")} for i in range(3)]
            job_id = (await client.post("/v1/jobs", json={"articles": articles})).json()["id"]
            done = await wait_job(client, job_id, lambda j: j["status"] in TERMINAL)
    finally:
        worker.send_signal(signal.SIGTERM)
        async with asyncio.timeout(WAIT_SECONDS):
            output, _ = await worker.communicate()
    assert ("redis", False) == (ready["backend"], ready["consumer"])
    assert ("done", {"done": 3, "total": 3}) == (done["status"], done["progress"])
    assert 0 == worker.returncode
    lines = [*seen, *output.splitlines()]
    events = [json.loads(line)["event"] for line in lines if line.startswith(b"{")]
    assert ["worker_started", "worker_stopping"] == [e for e in events if e.startswith("worker_")]
