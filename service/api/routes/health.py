"""Health and metrics routes: liveness, readiness, Prometheus exposition."""

from __future__ import annotations

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec

from service.api.schemas import CacheHealth, Health, JobHealth, Liveness
from service.cache.redis import REDIS_ERRORS
from service.engine import EnrichmentEngine
from service.jobs import JobService
from service.metrics import Metrics

__all__ = ["HEALTH_ROUTES"]


@get("/health/live", summary="Liveness: the process answers", tags=["health"])
async def live() -> Liveness:
    """Answer as soon as the process serves HTTP."""
    return Liveness(status="ok")


@get(
    "/health/ready",
    summary="Readiness: the model is loaded (the cache is reported, never required)",
    tags=["health"],
    responses={503: ResponseSpec(data_container=Health, description="The model is still loading.")},
)
async def ready(
    engine: NamedDependency[EnrichmentEngine], jobs: NamedDependency[JobService]
) -> Response[Health]:
    """200 once the model is loaded, 503 before; a down Redis is reported but does not fail it."""
    jobs_ok = await jobs.store.ping()
    depth = None
    if jobs_ok:
        try:
            depth = await jobs.store.depth()
        except REDIS_ERRORS:  # the queue went away between the ping and the count: report it down
            jobs_ok = False
    health = Health(
        status="ready" if engine.ready else "loading",
        pipeline_version=engine.version,
        model=engine.model,
        cache=CacheHealth(backend=engine.cache.backend, ok=await engine.cache.ping()),
        queue_depth=engine.pending,
        jobs=JobHealth(
            backend=jobs.store.backend,
            ok=jobs_ok,
            consumer=jobs.consuming,
            depth=depth,
        ),
    )
    return Response(content=health, status_code=200 if engine.ready else 503)


@get(
    "/metrics",
    summary="Prometheus metrics",
    tags=["health"],
    media_type="text/plain; version=0.0.4; charset=utf-8",
)
async def metrics(metrics: NamedDependency[Metrics]) -> bytes:
    """Prometheus text exposition of the counters, histograms and gauges."""
    return metrics.render()


HEALTH_ROUTES = [live, ready, metrics]
