"""HTTP routes: decode, call the engine, encode. No pipeline logic lives here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import msgspec
import structlog
from litestar import Request, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPIMediaType, Operation, RequestBody, Schema
from litestar.openapi.spec.enums import OpenAPIType

from service.api._decode import decode_batch, decode_enrich_request, decode_raw_item
from service.api.problems import PROBLEM_MEDIA_TYPE, problem_for
from service.api.schemas import (
    BatchRequest,
    BatchResponse,
    CacheHealth,
    EnrichRequest,
    EnrichResult,
    Health,
    Liveness,
    Problem,
)
from service.engine import EnrichmentEngine
from service.errors import EnrichmentError
from service.metrics import Metrics
from service.pipeline.run import PIPELINE_VERSION

__all__ = ["ROUTES", "provide_engine", "provide_metrics"]

JSON = "application/json"


def provide_engine(state: State) -> EnrichmentEngine:
    """The worker's engine, created by the lifespan."""
    engine: EnrichmentEngine = state.engine
    return engine


def provide_metrics(state: State) -> Metrics:
    """The app's metrics registry."""
    metrics: Metrics = state.metrics
    return metrics


def _problems(*statuses: int) -> dict[int, ResponseSpec]:
    return {
        status: ResponseSpec(
            data_container=Problem,
            media_type=PROBLEM_MEDIA_TYPE,
            description="RFC 9457 problem; `code` is stable.",
            generate_examples=False,
        )
        for status in statuses
    }


def _inline_schema(struct: type[msgspec.Struct]) -> dict[str, Any]:
    """JSON Schema of a request Struct with its references inlined (request types are not recursive).

    Handlers decode bodies themselves to give exact error codes, so Litestar never sees these
    types; msgspec's own schema documents them.
    """
    _, components = msgspec.json.schema_components([struct], ref_template="#/{name}")

    def inline(node: object) -> object:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                return inline(components[ref.removeprefix("#/")])
            return {key: inline(value) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(value) for value in node]
        return node

    schema = inline(components[struct.__name__])
    assert isinstance(schema, dict)
    return schema


def _enrich_responses(success: type[msgspec.Struct], description: str) -> dict[int, ResponseSpec]:
    """The documented responses of an enrich route: its 200 body and every problem it can answer."""
    return {
        200: ResponseSpec(data_container=success, description=description, generate_examples=False),
        **_problems(400, 401, 413, 415, 422, 429, 500, 503),
    }


@dataclass
class _EnrichOperation(Operation):
    """OpenAPI operation whose body is an EnrichRequest (JSON) or the raw text (text/plain)."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            required=True,
            content={
                JSON: OpenAPIMediaType(schema=cast("Schema", _inline_schema(EnrichRequest))),
                "text/plain": OpenAPIMediaType(
                    schema=Schema(type=OpenAPIType.STRING, description="The raw article text.")
                ),
            },
        )


@dataclass
class _BatchOperation(Operation):
    """OpenAPI operation whose body is a BatchRequest."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            required=True,
            content={JSON: OpenAPIMediaType(schema=cast("Schema", _inline_schema(BatchRequest)))},
        )


def _etag(article_digest: str) -> str:
    return f'"{article_digest[:40]}.{PIPELINE_VERSION}"'


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    candidates = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in candidates or etag in candidates


def _bind(**values: object) -> None:
    structlog.contextvars.bind_contextvars(**values)


@post(
    "/v1/enrich",
    operation_class=_EnrichOperation,
    status_code=200,
    summary="Clean and enrich one French article",
    tags=["enrich"],
    responses=_enrich_responses(
        EnrichResult, "The enrichment; `X-Cache` says whether it came from the cache."
    ),
)
async def enrich(
    request: Request[Any, Any, Any], engine: NamedDependency[EnrichmentEngine]
) -> Response[bytes]:
    """Clean and enrich one article given as JSON or as text/plain."""
    body = await request.body()
    article = engine.prepare(decode_enrich_request(body, request.headers.get("content-type", "")))
    etag = _etag(article.digest)
    if _matches(request.headers.get("if-none-match"), etag):
        _bind(cache="not_modified")
        return Response(content=b"", status_code=304, headers={"ETag": etag})
    served = await engine.enrich(article)
    _bind(cache="hit" if served.cache_hit else "miss", timings_ms=served.timings_ms)
    return Response(
        content=served.body,
        media_type=JSON,
        headers={"X-Cache": "hit" if served.cache_hit else "miss", "ETag": etag},
    )


class _RawBatchItem(msgspec.Struct, kw_only=True, omit_defaults=True):
    """A batch outcome holding the cached result bytes as they are (no re-encoding)."""

    index: int
    status: int
    result: msgspec.Raw | None = None
    error: Problem | None = None


class _RawBatchResponse(msgspec.Struct, kw_only=True):
    results: list[_RawBatchItem]


_batch_encoder = msgspec.json.Encoder()


@post(
    "/v1/enrich/batch",
    operation_class=_BatchOperation,
    status_code=200,
    summary="Clean and enrich several articles in one call",
    tags=["enrich"],
    responses=_enrich_responses(
        BatchResponse, "One item per article, in request order; a bad article fails alone."
    ),
)
async def enrich_batch(
    request: Request[Any, Any, Any], engine: NamedDependency[EnrichmentEngine]
) -> Response[bytes]:
    """Enrich up to MAX_BATCH articles; each item carries its own result or problem."""
    body = await request.body()
    envelope = decode_batch(body, request.headers.get("content-type", ""))
    engine.check_batch_size(len(envelope.articles))
    items: list[EnrichRequest | EnrichmentError] = []
    for index, raw in enumerate(envelope.articles):
        try:
            items.append(decode_raw_item(raw, index))
        except EnrichmentError as exc:
            items.append(exc)
    outcomes = await engine.enrich_batch(items)
    results = []
    for index, outcome in enumerate(outcomes):
        if isinstance(outcome, bytes):
            results.append(_RawBatchItem(index=index, status=200, result=msgspec.Raw(outcome)))
        else:
            problem = problem_for(outcome, instance=f"{request.url.path}#/articles/{index}")
            results.append(_RawBatchItem(index=index, status=problem.status, error=problem))
    _bind(batch=len(results))
    return Response(content=_batch_encoder.encode(_RawBatchResponse(results=results)), media_type=JSON)


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
async def ready(engine: NamedDependency[EnrichmentEngine]) -> Response[Health]:
    """200 once the model is loaded, 503 before; a down Redis is reported but does not fail it."""
    health = Health(
        status="ready" if engine.ready else "loading",
        pipeline_version=PIPELINE_VERSION,
        model=engine.model,
        cache=CacheHealth(backend=engine.cache.backend, ok=await engine.cache.ping()),
        queue_depth=engine.pending,
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


ROUTES = [enrich, enrich_batch, live, ready, metrics]
