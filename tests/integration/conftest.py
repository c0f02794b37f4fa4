"""Integration fixtures: a real Redis (REDIS_URL, testcontainers, or a redis-server we start)."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import httpx
import pytest
import redis
import uvicorn

from service.__main__ import server_options
from service.app import create_app
from service.pipeline.chain import Pipeline
from service.settings import Settings
from tests.support import RedisServer, free_port, wait_for_redis

pytestmark = pytest.mark.integration


def _docker_answers() -> bool:
    docker = shutil.which("docker")
    if docker is None:
        return False
    try:
        return subprocess.run([docker, "info"], capture_output=True, timeout=5, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Redis for the session: REDIS_URL, else a testcontainers Redis, else our own server."""
    given = os.environ.get("REDIS_URL")
    if given:
        wait_for_redis(given)
        yield given
        return
    if _docker_answers():
        from testcontainers.redis import RedisContainer  # noqa: PLC0415 -- only with a Docker engine

        with RedisContainer("redis:7-alpine") as container:
            host = container.get_container_host_ip()
            port = container.get_exposed_port(6379)
            url = f"redis://{host}:{port}/0"
            wait_for_redis(url)
            yield url
        return
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A redis-server only this test uses, which the test may stop and restart."""
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    """A synchronous client of the session Redis, for checking what the service stored."""
    client = redis.Redis.from_url(redis_url)
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def article(data_dir: Path) -> str:
    """A scraped French article with clutter around and inside it."""
    return (data_dir / "articles" / "scraped_conseil_municipal.txt").read_text(encoding="utf-8")


@pytest.fixture
def clean_article(data_dir: Path) -> str:
    """A clean French article with nothing to remove."""
    return (data_dir / "articles" / "clean_vendanges.txt").read_text(encoding="utf-8")


@pytest.fixture
def make_settings(redis_url: str) -> Callable[..., Settings]:
    """Build Settings from environment-style overrides on top of the session Redis."""

    def build(**env: str | None) -> Settings:
        values: dict[str, str | None] = {"REDIS_URL": redis_url, "LOG_LEVEL": "WARNING", "LOG_JSON": "1"}
        values.update(env)
        return Settings.from_env({k: v for k, v in values.items() if v is not None})

    return build


@pytest.fixture
def client_for(pipeline: Pipeline) -> Callable[[Settings], AbstractAsyncContextManager[httpx.AsyncClient]]:
    """Serve an app built from settings with uvicorn on a free port (sharing the session's model).

    A real server, not an in-process transport, so that concurrent requests really overlap.
    """

    @asynccontextmanager
    async def open_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
        port = free_port()
        config = uvicorn.Config(
            create_app(settings, pipeline=pipeline), host="127.0.0.1", port=port, **server_options(settings)
        )
        server = uvicorn.Server(config)
        task = asyncio.create_task(server.serve())
        while not server.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.01)
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
                yield client
        finally:
            server.should_exit = True
            await task

    return open_client
