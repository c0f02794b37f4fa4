"""The enrich routes: one article, or a batch of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import msgspec
import structlog
from litestar import Request, Response, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPIMediaType, Operation, RequestBody, Schema
from litestar.openapi.spec.enums import OpenAPIType

from service.api.decode import decode_batch, decode_enrich_request
from service.api.items import enrich_items
from service.api.middleware import header_of
from service.api.routes._openapi import JSON, inline_schema, problems
from service.api.schemas import (
    BatchRequest,
    BatchResponse,
    EnrichRequest,
    RawBatchResponse,
)
from service.engine import EnrichmentEngine, PreparedArticle
from service.model import EnrichResult

__all__ = ["ENRICH_ROUTES"]


def _enrich_responses(success: type[msgspec.Struct], description: str) -> dict[int, ResponseSpec]:
    """The documented responses of an enrich route: its 200 body and every problem it can answer."""
    return {
        200: ResponseSpec(data_container=success, description=description, generate_examples=False),
        **problems(400, 401, 413, 415, 422, 429, 500, 503),
    }


@dataclass
class _EnrichOperation(Operation):
    """OpenAPI operation whose body is an EnrichRequest (JSON), a text (text/plain) or a page (text/html)."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            required=True,
            content={
                JSON: OpenAPIMediaType(schema=cast("Schema", inline_schema(EnrichRequest))),
                "text/plain": OpenAPIMediaType(
                    schema=Schema(type=OpenAPIType.STRING, description="The raw article text.")
                ),
                "text/html": OpenAPIMediaType(
                    schema=Schema(
                        type=OpenAPIType.STRING,
                        description=(
                            "The article as an HTML page or fragment; charset from the header, "
                            "else the page's <meta charset>, else UTF-8."
                        ),
                    )
                ),
            },
        )


@dataclass
class _BatchOperation(Operation):
    """OpenAPI operation whose body is a BatchRequest."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            required=True,
            content={JSON: OpenAPIMediaType(schema=cast("Schema", inline_schema(BatchRequest)))},
        )


async def _not_modified(
    if_none_match: str | None, prepared: PreparedArticle, engine: EnrichmentEngine
) -> bool:
    """Whether If-None-Match names this result; `*` matches only a result that exists (is cached)."""
    if not if_none_match:
        return False
    candidates = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    if prepared.etag in candidates:
        return True
    return "*" in candidates and await engine.is_cached(prepared)


def _engine(request: Request[Any, Any, Any]) -> EnrichmentEngine:
    """The worker's engine, which the lifespan put in the app's state."""
    # Read here rather than injected: Litestar passes every injected value (and the provider's
    # own `state`) through the handler's signature model, 4 % of a cached request's time at
    # 64 connections (py-spy, 2026-11-29).
    return cast(EnrichmentEngine, request.app.state.engine)


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
async def enrich(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Clean and enrich one article given as JSON, as text/plain or as a text/html page."""
    engine = _engine(request)
    body = await request.body()
    # Read off the scope: `request.headers` built a multidict of every header, 2 % of a cached request.
    content_type = header_of(request.scope, b"content-type") or ""
    if_none_match = header_of(request.scope, b"if-none-match")
    # A body answered before (a CMS re-sending an article, a retried backfill) is looked up by its
    # bytes: its cached result is served without decoding and normalizing the text again.
    digest = engine.body_digest(body, content_type)
    known = engine.known(digest)
    if known is not None and not if_none_match:
        cached = await engine.cached_known(known)
        if cached is not None:
            _bind(cache="hit")
            return Response(content=cached, media_type=JSON, headers={"X-Cache": "hit", "ETag": known.etag})
    decoded = decode_enrich_request(body, content_type)
    prepared = engine.prepare(decoded.text, decoded.title, decoded.options, decoded.html)
    etag = prepared.etag
    if await _not_modified(if_none_match, prepared, engine):
        _bind(cache="not_modified")
        return Response(content=b"", status_code=304, headers={"ETag": etag})
    served = await engine.enrich(prepared)
    engine.remember(digest, prepared)
    _bind(cache="hit" if served.cache_hit else "miss", timings_ms=served.timings_ms)
    return Response(
        content=served.body,
        media_type=JSON,
        headers={"X-Cache": "hit" if served.cache_hit else "miss", "ETag": etag},
    )


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
async def enrich_batch(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Enrich up to MAX_BATCH articles; each item carries its own result or problem."""
    engine = _engine(request)
    body = await request.body()
    envelope = decode_batch(body, request.headers.get("content-type", ""))
    engine.check_batch_size(len(envelope.articles))
    raws = [bytes(raw) for raw in envelope.articles]
    results = await enrich_items(engine, raws, range(len(raws)), request.url.path)
    _bind(batch=len(results))
    return Response(content=_batch_encoder.encode(RawBatchResponse(results=results)), media_type=JSON)


ENRICH_ROUTES = [enrich, enrich_batch]
