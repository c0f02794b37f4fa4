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

from service.api.middleware import RequestContextMiddleware, finish_request
from service.api.problems import handle_enrichment_error, handle_http_exception, handle_unexpected
from service.api.routes import ROUTES, provide_engine, provide_metrics
from service.api.security import Guard, KeyChecker, RateLimiter
from service.cache.base import ResultCache
from service.cache.memory import MemoryCache
from service.cache.redis import RedisCache
from service.engine import EnrichmentEngine
from service.errors import EnrichmentError
from service.logging import configure_logging
from service.metrics import Metrics
from service.pipeline.run import PIPELINE_VERSION, Enricher
from service.settings import Settings

__all__ = ["create_app"]

log = structlog.get_logger("service.app")


def _build_cache(settings: Settings, metrics: Metrics) -> ResultCache:
    c = settings.cache
    if c.redis_url:
        return RedisCache(
            c.redis_url,
            ttl_seconds=c.ttl_seconds,
            timeout_seconds=c.redis_timeout_seconds,
            error_log_interval_seconds=c.error_log_interval_seconds,
            on_error=metrics.cache_error.inc,
        )
    return MemoryCache(c.memory_max_entries, c.memory_max_bytes, c.ttl_seconds)


def create_app(settings: Settings | None = None, *, enricher: Enricher | None = None) -> Litestar:
    """Build the API; `enricher` lets a caller share an already-loaded pipeline (tests, benches)."""
    settings = settings or Settings.from_env()
    configure_logging(settings.log)
    metrics = Metrics()
    guard = Guard(KeyChecker(settings.security.api_keys))

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        cache = _build_cache(settings, metrics)
        engine = EnrichmentEngine(settings, cache, metrics, enricher=enricher)
        engine.start()
        if settings.security.rate_limit is not None:
            limit, window = settings.security.rate_limit
            redis = cache.client if isinstance(cache, RedisCache) else None
            # Shares the cache's Redis client; created here because the client is.
            guard.limiter = RateLimiter(limit, window, redis)
        app.state.engine = engine
        app.state.metrics = metrics
        log.info(
            "starting",
            pipeline_version=PIPELINE_VERSION,
            cache=cache.backend,
            auth=guard.keys.enabled,
            rate_limit=settings.security.rate_limit is not None,
        )
        try:
            yield
        finally:
            await engine.close()

    return Litestar(
        route_handlers=ROUTES,
        lifespan=[lifespan],
        dependencies={
            "engine": Provide(provide_engine, sync_to_thread=False),
            "metrics": Provide(provide_metrics, sync_to_thread=False),
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
        ),
        debug=False,
    )
