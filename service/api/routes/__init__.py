"""HTTP routes: decode, call the engine, encode. No pipeline logic lives here."""

from __future__ import annotations

from litestar.datastructures import State

from service.api.routes.enrich import ENRICH_ROUTES
from service.api.routes.health import HEALTH_ROUTES
from service.api.routes.jobs import JOB_ROUTES
from service.engine import EnrichmentEngine
from service.jobs import JobService
from service.metrics import Metrics

__all__ = ["ROUTES", "provide_engine", "provide_jobs", "provide_metrics"]

ROUTES = [*ENRICH_ROUTES, *JOB_ROUTES, *HEALTH_ROUTES]


def provide_engine(state: State) -> EnrichmentEngine:
    """The worker's engine, created by the lifespan."""
    engine: EnrichmentEngine = state.engine
    return engine


def provide_metrics(state: State) -> Metrics:
    """The app's metrics registry."""
    metrics: Metrics = state.metrics
    return metrics


def provide_jobs(state: State) -> JobService:
    """The process's job service, created by the lifespan."""
    jobs: JobService = state.jobs
    return jobs
