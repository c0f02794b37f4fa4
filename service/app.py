"""The application factory: nothing happens at import, everything heavy in the lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from litestar import Litestar
from litestar.di import Provide
from litestar.exceptions import HTTPException
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin

from service.api.docs import OfflineDocsPlugin
from service.api.items import job_processor
from service.api.middleware import RequestContextMiddleware, finish_request
from service.api.problems import handle_enrichment_error, handle_http_exception, handle_unexpected
from service.api.routes import ROUTES, provide_engine, provide_jobs, provide_metrics
from service.api.routes.playground import playground_routes
from service.api.security import Guard, KeyChecker, RateLimiter
from service.errors import EnrichmentError
from service.jobs import open_jobs
from service.logging import configure_logging
from service.metrics import Metrics
from service.pipeline.chain import Pipeline
from service.resources import open_resources
from service.settings import Settings

__all__ = ["create_app"]

log = structlog.get_logger("service.app")


def create_app(
    settings: Settings | None = None, *, pipeline: Pipeline | None = None, hub: str | None = None
) -> Litestar:
    """Build the API; `pipeline` lets a caller share an already-loaded pipeline (tests, benches).

    `hub` is the Unix socket of the machine's NLP queue, for a worker of the forked server.
    """
    settings = settings or Settings.from_env()
    configure_logging(settings.log)
    metrics = Metrics()
    guard = Guard(KeyChecker(settings.security.api_keys))

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        async with (
            open_resources(settings, metrics, pipeline, hub) as resources,
            open_jobs(
                settings.jobs,
                settings.cache.jobs_redis_url,
                metrics,
                job_processor(resources.engine),
                consume=settings.jobs.consume_in_api,
            ) as jobs,
        ):
            if settings.security.rate_limit is not None:
                limit, window = settings.security.rate_limit
                # Shares the cache's Redis client; created here because the client is.
                guard.limiter = RateLimiter(
                    limit, window, resources.redis, settings.cache.redis_timeout_seconds
                )
            app.state.engine = resources.engine
            app.state.jobs = jobs
            app.state.metrics = metrics
            log.info(
                "starting",
                pipeline_version=resources.engine.version,
                cache=resources.cache.backend,
                auth=guard.keys.enabled,
                rate_limit=settings.security.rate_limit is not None,
                jobs=jobs.backend,
                job_consumer=jobs.consuming,
            )
            yield

    return Litestar(
        route_handlers=[*ROUTES, *(playground_routes() if settings.http.playground else [])],
        lifespan=[lifespan],
        dependencies={
            "engine": Provide(provide_engine, sync_to_thread=False),
            "metrics": Provide(provide_metrics, sync_to_thread=False),
            "jobs": Provide(provide_jobs, sync_to_thread=False),
        },
        middleware=[DefineMiddleware(RequestContextMiddleware, guard=guard)],
        before_send=[finish_request(metrics)],
        exception_handlers={
            EnrichmentError: handle_enrichment_error,
            HTTPException: handle_http_exception,
            Exception: handle_unexpected,
        },
        request_max_body_size=settings.limits.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="French article enrichment",
            version="1.0.0",
            description=(
                "Cleans scraped French news text and returns entities, IPTC Media Topics, "
                "keyphrases and an extractive summary. IPTC Media Topics: iptc.org/standards/newscodes "
                "(CC BY 4.0)."
            ),
            path="/schema",
            render_plugins=[OfflineDocsPlugin(), JsonRenderPlugin()],
        ),
        debug=False,
    )
