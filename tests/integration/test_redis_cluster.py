"""REDIS_CLUSTER=true against a real 3-node Redis Cluster: hits, keys spread over nodes, a node down."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from collections.abc import Iterator

import pytest
import redis
from redis.crc import key_slot

from service.identity import result_key
from tests.integration.test_hardening import metric, variant
from tests.support import LocalRedisCluster

pytestmark = [pytest.mark.integration, pytest.mark.anyio]

# Enough distinct articles that each of the 3 nodes owns some of their keys.
_SPREAD_ARTICLES = 24
# The nodes flag a stopped peer within about twice their node timeout (1 s in tests/support.py).
_FAIL_DETECTION_SECONDS = 10.0
_ERRORS = 'enrich_cache_operations_total{result="error"}'


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalRedisCluster]:
    """One 3-primary Redis Cluster for the module, on free ports in a temporary folder."""
    nodes = LocalRedisCluster(tmp_path_factory.mktemp("redis-cluster"))
    nodes.start()
    try:
        yield nodes
    finally:
        nodes.stop()


def owner(cluster: LocalRedisCluster, key: str) -> int:
    """Port of the node that serves `key`'s slot, from the cluster's own slot table."""
    slot = key_slot(key.encode())
    with redis.Redis(port=cluster.ports[0]) as node:
        for start, end, primary, *_ in node.execute_command("CLUSTER SLOTS"):
            if start <= slot <= end:
                return int(primary[1])
    msg = f"slot {slot} is served by no node"
    raise AssertionError(msg)


def node_keys(port: int, pattern: str) -> set[str]:
    """Keys matching `pattern` stored on the node at `port` itself."""
    with redis.Redis(port=port) as node:
        return {key.decode() for key in node.keys(pattern)}


def key_of(body: dict[str, object]) -> str:
    """The cache key of a response, from its id and pipeline version."""
    return result_key(str(body["pipeline_version"]), str(body["id"]).removeprefix("sha256:"))


async def test_cluster_cache_hits_through_the_app(cluster, client_for, make_settings, clean_article) -> None:
    """With REDIS_CLUSTER=true a repeated article is a hit, stored once on the node owning its slot."""
    text = variant(clean_article, 1800)
    async with client_for(make_settings(REDIS_URL=cluster.url, REDIS_CLUSTER="true")) as client:
        first = await client.post("/v1/enrich", json={"text": text})
        second = await client.post("/v1/enrich", json={"text": text})
        ready = await client.get("/health/ready")
    key = key_of(first.json())
    holders = [port for port in cluster.ports if key in node_keys(port, "enrich:*")]
    assert (200, "miss", 200, "hit") == (
        first.status_code,
        first.headers["x-cache"],
        second.status_code,
        second.headers["x-cache"],
    )
    assert first.json() == second.json()
    assert [owner(cluster, key)] == holders
    assert {"backend": "redis", "ok": True} == ready.json()["cache"]


async def test_cluster_keys_spread_over_the_nodes(cluster, client_for, make_settings, clean_article) -> None:
    """A batch of 24 new articles leaves each key on its slot's node, and every node holds some."""
    articles = [{"text": variant(clean_article, 1900 + i)} for i in range(_SPREAD_ARTICLES)]
    async with client_for(make_settings(REDIS_URL=cluster.url, REDIS_CLUSTER="true")) as client:
        response = await client.post("/v1/enrich/batch", json={"articles": articles})
    keys = {key_of(item["result"]) for item in response.json()["results"]}
    expected = Counter(owner(cluster, key) for key in keys)
    stored = {port: node_keys(port, "enrich:*") & keys for port in cluster.ports}
    assert 200 == response.status_code
    assert _SPREAD_ARTICLES == len(keys)
    assert expected == Counter({port: len(found) for port, found in stored.items()})
    assert set(cluster.ports) == set(expected)
    assert keys == set().union(*stored.values())


async def test_cluster_rate_limit_counts_on_one_node(
    cluster, client_for, make_settings, clean_article
) -> None:
    """The rate limiter's Lua script runs on its window key's node: the third request of 2/hour is refused."""
    settings = make_settings(REDIS_URL=cluster.url, REDIS_CLUSTER="true", RATE_LIMIT="2/hour")
    async with client_for(settings) as client:
        statuses = [
            (await client.post("/v1/enrich", json={"text": clean_article})).status_code for _ in range(3)
        ]
    window = int(time.time() // 3600)
    key = f"ratelimit:ip:127.0.0.1:{window}"
    with redis.Redis(port=owner(cluster, key)) as node:
        count = node.get(key)
    assert [200, 200, 429] == statuses
    assert b"3" == count


async def wait_marked_failed(cluster: LocalRedisCluster, port: int) -> None:
    """Wait until the running nodes flag the stopped node at `port` as failed (not just suspected)."""
    deadline = time.monotonic() + _FAIL_DETECTION_SECONDS
    while time.monotonic() < deadline:
        with redis.Redis(port=next(iter(cluster.processes))) as node:
            nodes = node.cluster("nodes")
        if "fail" in nodes[f"127.0.0.1:{port}"]["flags"].split(","):
            return
        await asyncio.sleep(0.1)
    msg = f"node {port} was never marked failed"
    raise AssertionError(msg)


def set_full_coverage(cluster: LocalRedisCluster, value: str) -> None:
    """Set `cluster-require-full-coverage` on every running node."""
    for port in cluster.processes:
        with redis.Redis(port=port) as node:
            node.config_set("cluster-require-full-coverage", value)


@pytest.mark.parametrize(
    ("full_coverage", "expected_cache", "expected_errors"),
    [
        # Redis' default: with a primary lost, the whole cluster refuses every key.
        ("yes", ("miss", "miss", "miss"), (1, 0, 1)),
        # The live primaries keep serving their own slots; only the lost node's keys miss.
        ("no", ("hit", "miss", "hit"), (0, 1, 0)),
    ],
)
async def test_cluster_node_down_fails_open(
    cluster, client_for, make_settings, clean_article, full_coverage, expected_cache, expected_errors
) -> None:
    """A stopped primary never fails a request: its keys (or all keys) miss, each failed lookup is counted."""
    settings = make_settings(REDIS_URL=cluster.url, REDIS_CLUSTER="true", REDIS_TIMEOUT_SECONDS="0.2")
    down, up = cluster.ports[1], cluster.ports[0]
    async with client_for(settings) as client:
        # Cache articles until each node holds one.
        placed: dict[int, str] = {}
        for n in range(2000, 2000 + _SPREAD_ARTICLES):
            if len(placed) == len(cluster.ports):
                break
            text = variant(clean_article, n)
            response = await client.post("/v1/enrich", json={"text": text})
            placed.setdefault(owner(cluster, key_of(response.json())), text)
        set_full_coverage(cluster, full_coverage)
        cluster.stop_node(down)
        try:
            await wait_marked_failed(cluster, down)
            errors = [metric((await client.get("/metrics")).text, _ERRORS)]
            responses = []
            for text in (placed[up], placed[down]):
                responses.append(await client.post("/v1/enrich", json={"text": text}))
                errors.append(metric((await client.get("/metrics")).text, _ERRORS))
            ready = await client.get("/health/ready")
            await asyncio.sleep(1.2)  # past the cache's pause after a failure
            responses.append(await client.post("/v1/enrich", json={"text": placed[up]}))
            errors.append(metric((await client.get("/metrics")).text, _ERRORS))
        finally:
            cluster.start_node(down)
            set_full_coverage(cluster, "yes")
            cluster.wait_ok()
    assert [200, 200, 200] == [r.status_code for r in responses]
    assert expected_cache == tuple(r.headers["x-cache"] for r in responses)
    assert expected_errors == tuple(int(b - a) for a, b in itertools.pairwise(errors))
    assert (200, {"backend": "redis", "ok": False}) == (ready.status_code, ready.json()["cache"])
