"""`python -m service worker`: a job worker without an HTTP server, for scaling jobs out.

It loads the model once, then claims units from the Redis queue until SIGTERM or Ctrl-C; the
units it holds then go back to the queue at once.
"""

from __future__ import annotations

import argparse
import asyncio
import signal

import structlog
from prometheus_client import start_http_server

from service.api.items import job_processor
from service.jobs import open_jobs
from service.logging import configure_logging
from service.metrics import Metrics
from service.resources import open_resources
from service.settings import Settings

__all__ = ["run"]

log = structlog.get_logger("service.jobs")


async def _serve(settings: Settings, metrics: Metrics) -> None:
    async with (
        open_resources(settings, metrics) as resources,
        open_jobs(
            settings.jobs,
            settings.cache.jobs_redis_url,
            metrics,
            job_processor(resources.engine),
            consume=True,
        ) as jobs,
    ):
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        log.info("worker_started", jobs=jobs.backend, concurrency=settings.jobs.concurrency)
        await stop.wait()
        log.info("worker_stopping")


def run(settings: Settings, argv: list[str]) -> int:
    """Run one worker process until it is told to stop; exit code 2 without REDIS_URL."""
    parser = argparse.ArgumentParser(prog="python -m service worker", description=__doc__)
    parser.add_argument(
        "--metrics-port", type=int, default=None, help="serve Prometheus metrics on this port"
    )
    args = parser.parse_args(argv)
    if not settings.cache.jobs_redis_url:
        parser.error(
            "a worker alone needs REDIS_URL (a single Redis, not REDIS_CLUSTER): "
            "without it jobs live in the API process"
        )
    configure_logging(settings.log)
    metrics = Metrics()
    if args.metrics_port is not None:
        start_http_server(args.metrics_port, registry=metrics.registry)
    asyncio.run(_serve(settings, metrics))
    return 0
