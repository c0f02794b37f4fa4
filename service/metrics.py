"""Prometheus metrics of one worker process, kept in a registry owned by the app."""

from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

__all__ = ["Metrics"]

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_STAGE_BUCKETS = (0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class Metrics:
    """Counters, histograms and gauges the service updates; `render()` is the /metrics body."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = Counter(
            "enrich_http_requests",
            "HTTP requests by route, method and status.",
            ["route", "method", "status"],
            registry=r,
        )
        self.latency = Histogram(
            "enrich_http_request_duration_seconds",
            "Request latency by route.",
            ["route"],
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.stage = Histogram(
            "enrich_stage_duration_seconds",
            "Time spent in each pipeline stage.",
            ["stage"],
            buckets=_STAGE_BUCKETS,
            registry=r,
        )
        self.rejected = Counter(
            "enrich_rejected_requests",
            "Requests refused before computing, by reason code.",
            ["reason"],
            registry=r,
        )
        self.batch_size = Histogram(
            "enrich_nlp_batch_articles",
            "Articles per nlp.pipe pass (concurrent requests are micro-batched).",
            buckets=(1, 2, 4, 8, 16, 32, 64),
            registry=r,
        )
        self.cache = Counter(
            "enrich_cache_operations",
            "Result cache lookups (hit, miss), failures (error) and invalid stored values (corrupt).",
            ["result"],
            registry=r,
        )
        self.queue_depth = Gauge(
            "enrich_nlp_queue_depth",
            "NLP jobs waiting or running.",
            registry=r,
            multiprocess_mode="livesum",
        )
        self.model_ready = Gauge(
            "enrich_model_ready",
            "1 once the model is loaded (the minimum over workers).",
            registry=r,
            multiprocess_mode="livemin",
        )
        self.jobs = Counter(
            "enrich_jobs",
            "Jobs that reached each status (queued at submission, then running, done, failed, cancelled).",
            ["status"],
            registry=r,
        )
        self.job_queue_depth = Gauge(
            "enrich_job_queue_depth",
            "Job units (chunks of articles, webhook deliveries) waiting in the queue, as last seen.",
            registry=r,
            multiprocess_mode="livemax",
        )
        self.job_articles = Counter(
            "enrich_job_articles",
            "Job articles finished, by outcome (ok, error); its rate is the jobs' articles per second.",
            ["outcome"],
            registry=r,
        )
        self.webhooks = Counter(
            "enrich_webhook_deliveries",
            "Webhook delivery attempts by outcome (delivered, retried, failed, refused).",
            ["outcome"],
            registry=r,
        )

        # Resolving label children costs a lock and a dict build per call; the hot path reuses them.
        self._request_children: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}
        self.cache_hit = self.cache.labels("hit")
        self.cache_miss = self.cache.labels("miss")
        self.cache_error = self.cache.labels("error")
        self.cache_corrupt = self.cache.labels("corrupt")

    def observe_request(self, route: str, method: str, status: int, seconds: float) -> None:
        """Count one answered request and record its latency."""
        key = (route, method, status)
        children = self._request_children.get(key)
        if children is None:
            children = (self.requests.labels(route, method, str(status)), self.latency.labels(route))
            self._request_children[key] = children
        children[0].inc()
        children[1].observe(seconds)

    def observe_stages(self, timings_ms: dict[str, float]) -> None:
        """Record one computation's per-stage timings."""
        for stage, ms in timings_ms.items():
            self.stage.labels(stage).observe(ms / 1000.0)

    def render(self) -> bytes:
        """The Prometheus text exposition: every worker's when PROMETHEUS_MULTIPROC_DIR is set."""
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            merged = CollectorRegistry()
            MultiProcessCollector(merged)  # type: ignore[no-untyped-call]
            return generate_latest(merged)
        return generate_latest(self.registry)
