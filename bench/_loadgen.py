"""A small HTTP/1.1 keep-alive load generator on asyncio, run in its own process.

It sends pre-built raw requests over persistent connections and records each latency; its own
CPU time is measured so the share of the cores it took from the server can be stated.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class LoadResult:
    """What one load run observed."""

    sent: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    indexes: list[int] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    elapsed: float = 0.0
    cpu_seconds: float = 0.0
    bodies: list[bytes] = field(default_factory=list)


def build_request(
    method: str, path: str, body: bytes, content_type: str, host: str, extra: str = ""
) -> bytes:
    """Serialize one HTTP/1.1 request with a keep-alive connection."""
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: keep-alive\r\n{extra}\r\n"
    )
    return head.encode("latin-1") + body


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length = 0
    chunked = False
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        lowered = name.strip().lower()
        if lowered == b"content-length":
            length = int(value.strip())
        elif lowered == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        chunks = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                break
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)
        return status, b"".join(chunks)
    return status, await reader.readexactly(length) if length else b""


async def run_load(
    host: str,
    port: int,
    requests: list[bytes],
    concurrency: int,
    total: int | None = None,
    duration: float | None = None,
    keep_bodies: bool = False,
) -> LoadResult:
    """Send requests round-robin over `concurrency` connections until `total` or `duration`."""
    result = LoadResult()
    counter = 0
    deadline = time.perf_counter() + duration if duration else None
    cpu_start = resource.getrusage(resource.RUSAGE_SELF)

    def next_request() -> tuple[int, bytes] | None:
        nonlocal counter
        if total is not None and counter >= total:
            return None
        if deadline is not None and time.perf_counter() >= deadline:
            return None
        index = counter % len(requests)
        counter += 1
        return index, requests[index]

    async def worker() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while (job := next_request()) is not None:
                index, request = job
                started = time.perf_counter()
                try:
                    writer.write(request)
                    status, body = await _read_response(reader)
                except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                    result.errors[type(exc).__name__] += 1
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, port)
                    continue
                result.latencies.append(time.perf_counter() - started)
                result.indexes.append(index)
                result.statuses[status] += 1
                result.sent += 1
                if keep_bodies:
                    result.bodies.append(body)
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    result.elapsed = time.perf_counter() - started
    cpu_end = resource.getrusage(resource.RUSAGE_SELF)
    result.cpu_seconds = (cpu_end.ru_utime - cpu_start.ru_utime) + (cpu_end.ru_stime - cpu_start.ru_stime)
    return result


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
    return ordered[index]


def summarize(result: LoadResult) -> dict[str, object]:
    """Throughput, latency percentiles (ms), status counts and the generator's CPU share."""
    return {
        "requests": result.sent,
        "elapsed_s": round(result.elapsed, 3),
        "rps": round(result.sent / result.elapsed, 1) if result.elapsed else 0.0,
        "p50_ms": round(percentile(result.latencies, 50) * 1000, 2),
        "p95_ms": round(percentile(result.latencies, 95) * 1000, 2),
        "p99_ms": round(percentile(result.latencies, 99) * 1000, 2),
        "statuses": {str(k): v for k, v in sorted(result.statuses.items())},
        "connection_errors": dict(result.errors),
        "loadgen_cpu_share": round(result.cpu_seconds / result.elapsed, 3) if result.elapsed else 0.0,
    }


def main() -> None:
    """Child-process entry: read a JSON job on stdin, print the JSON summary (and bodies) on stdout."""
    job = json.loads(sys.stdin.read())
    requests = [bytes.fromhex(r) for r in job["requests"]]
    try:
        import uvloop  # noqa: PLC0415 -- optional speed-up, installed with uvicorn[standard]

        uvloop.install()
    except ImportError:
        pass
    result = asyncio.run(
        run_load(
            job["host"],
            job["port"],
            requests,
            job["concurrency"],
            job.get("total"),
            job.get("duration"),
            job.get("keep_bodies", False),
        )
    )
    out = summarize(result)
    if job.get("keep_latencies"):
        out["latencies"] = list(zip(result.indexes, result.latencies, strict=True))
    if job.get("keep_bodies"):
        out["bodies"] = [b.decode("utf-8", "replace") for b in result.bodies]
    sys.stdout.write(json.dumps(out))


if __name__ == "__main__":
    main()
