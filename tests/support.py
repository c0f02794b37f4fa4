"""Helpers shared by the integration tests and the benches: free ports, a private redis-server and cluster."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import redis

__all__ = ["LocalRedisCluster", "RedisServer", "free_port", "wait_for_redis"]

# A node that stops answering is marked failed by the others after this long (Redis' default is 15 s).
_CLUSTER_NODE_TIMEOUT_MS = 1000


def free_port() -> int:
    """Ask the kernel for a TCP port nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_redis(url: str, timeout: float = 10.0) -> None:
    """Block until Redis at `url` answers PING."""
    deadline = time.monotonic() + timeout
    client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
    try:
        while True:
            try:
                if client.ping():
                    return
            except redis.RedisError:
                if time.monotonic() > deadline:
                    raise
            time.sleep(0.05)
    finally:
        client.close()


class RedisServer:
    """A redis-server process this test session owns, on a fixed port so it can be restarted."""

    def __init__(self, workdir: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            msg = "no REDIS_URL and no redis-server binary: apt-get install redis-server"
            raise RuntimeError(msg)
        self.binary = binary
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Connection URL of this server."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start the server without persistence and wait until it answers."""
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_redis(self.url)

    def stop(self) -> None:
        """Stop the server and wait for its exit."""
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


class LocalRedisCluster:
    """A Redis Cluster of primaries on free ports in `workdir`, created with `redis-cli --cluster create`."""

    def __init__(self, workdir: Path, nodes: int = 3) -> None:
        server, cli = shutil.which("redis-server"), shutil.which("redis-cli")
        if server is None or cli is None:
            msg = "a local Redis Cluster needs redis-server and redis-cli: apt-get install redis-server"
            raise RuntimeError(msg)
        self.server, self.cli = server, cli
        self.workdir = workdir
        self.ports = [free_port() for _ in range(nodes)]
        # The cluster bus defaults to port + 10000, which may be taken or past 65535: pick it too.
        self.bus_ports = {port: free_port() for port in self.ports}
        self.processes: dict[int, subprocess.Popen[bytes]] = {}

    @property
    def url(self) -> str:
        """URL of the first node: the cluster client discovers the others from it."""
        return f"redis://127.0.0.1:{self.ports[0]}/0"

    def start_node(self, port: int) -> None:
        """Start one node (again), with its cluster state file kept in `workdir`."""
        self.processes[port] = subprocess.Popen(
            [
                self.server,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--cluster-enabled",
                "yes",
                "--cluster-port",
                str(self.bus_ports[port]),
                "--cluster-config-file",
                f"nodes-{port}.conf",
                "--cluster-node-timeout",
                str(_CLUSTER_NODE_TIMEOUT_MS),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_redis(f"redis://127.0.0.1:{port}/0")

    def stop_node(self, port: int) -> None:
        """Stop one node and wait for its exit."""
        process = self.processes.pop(port)
        process.terminate()
        process.wait(timeout=10)

    def start(self) -> None:
        """Start every node, join them into one cluster and wait until it serves every slot."""
        for port in self.ports:
            self.start_node(port)
        subprocess.run(
            [
                self.cli,
                "--cluster",
                "create",
                *(f"127.0.0.1:{port}" for port in self.ports),
                "--cluster-replicas",
                "0",
                "--cluster-yes",
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        self.wait_ok()

    def wait_ok(self, timeout: float = 20.0) -> None:
        """Block until every running node reports `cluster_state:ok`."""
        deadline = time.monotonic() + timeout
        while True:
            states = []
            for port in self.processes:
                with redis.Redis(port=port, socket_timeout=0.5) as node:
                    states.append(node.cluster("info")["cluster_state"])
            if states == ["ok"] * len(self.processes):
                return
            if time.monotonic() > deadline:
                msg = f"cluster not ready: {states}"
                raise RuntimeError(msg)
            time.sleep(0.1)

    def stop(self) -> None:
        """Stop every node."""
        for port in list(self.processes):
            self.stop_node(port)
