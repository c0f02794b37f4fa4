"""The one place where errors become RFC 9457 problem+json responses."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import msgspec
import structlog
from litestar import Request, Response
from litestar.exceptions import HTTPException

from service.api.middleware import request_id_of
from service.api.schemas import FieldError, Problem
from service.errors import (
    DeadlineExceededError,
    EnrichmentError,
    OverloadedError,
    RateLimitedError,
    ValidationFailedError,
)

__all__ = [
    "PROBLEM_MEDIA_TYPE",
    "STATUS_BY_CODE",
    "encode_problem",
    "handle_enrichment_error",
    "handle_http_exception",
    "handle_unexpected",
    "problem_for",
    "problem_headers",
]

log = structlog.get_logger("service.api")

PROBLEM_MEDIA_TYPE = "application/problem+json"
STATUS_BY_CODE: dict[str, int] = {
    "invalid_json": 400,
    "invalid_encoding": 400,
    "bad_request": 400,
    "unauthorized": 401,
    "not_found": 404,
    "job_not_found": 404,
    "method_not_allowed": 405,
    "text_too_large": 413,
    "unsupported_media_type": 415,
    "validation_error": 422,
    "empty_text": 422,
    "unsupported_language": 422,
    "no_article_found": 422,
    "markup_too_complex": 422,
    "callback_not_allowed": 422,
    "rate_limited": 429,
    "internal_error": 500,
    "not_ready": 503,
    "overloaded": 503,
    "timeout": 503,
}
_TITLES_BY_STATUS = {
    400: ("bad_request", "Bad request"),
    401: ("unauthorized", "Unauthorized"),
    404: ("not_found", "Not found"),
    405: ("method_not_allowed", "Method not allowed"),
    413: ("text_too_large", "Text too large"),
    415: ("unsupported_media_type", "Unsupported media type"),
}
_encoder = msgspec.json.Encoder()


def problem_type(code: str) -> str:
    """The problem `type` URI of a code; stable, documented in the README."""
    return f"urn:article-enrichment:problem:{code}"


def problem_for(exc: EnrichmentError, instance: str | None, request_id: str | None = None) -> Problem:
    """Build the problem document of a domain error."""
    errors = None
    if isinstance(exc, ValidationFailedError):
        errors = [FieldError(path=exc.path, message=exc.detail)]
    return Problem(
        type=problem_type(exc.code),
        title=exc.title,
        status=STATUS_BY_CODE.get(exc.code, 500),
        detail=exc.detail,
        code=exc.code,
        instance=instance,
        request_id=request_id,
        errors=errors,
    )


def problem_headers(exc: EnrichmentError) -> dict[str, str]:
    """Headers a problem carries: Retry-After for transient refusals, a challenge for 401."""
    if isinstance(exc, OverloadedError | DeadlineExceededError | RateLimitedError):
        return {"Retry-After": str(exc.retry_after)}
    if exc.code == "unauthorized":
        return {"WWW-Authenticate": 'Bearer realm="article-enrichment"'}
    return {}


def encode_problem(problem: Problem) -> bytes:
    """Encode a problem document."""
    return _encoder.encode(problem)


def _response(problem: Problem, headers: dict[str, str]) -> Response[bytes]:
    return Response(
        content=encode_problem(problem),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def _request_id(request: Request[Any, Any, Any]) -> str | None:
    return request_id_of(request.scope)


def handle_enrichment_error(request: Request[Any, Any, Any], exc: EnrichmentError) -> Response[bytes]:
    """Map a domain error to its problem response."""
    problem = problem_for(exc, instance=request.url.path, request_id=_request_id(request))
    return _response(problem, problem_headers(exc))


def handle_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[bytes]:
    """Map Litestar's own errors (unknown route, wrong method, body over the limit) to problems."""
    status = exc.status_code
    code, title = _TITLES_BY_STATUS.get(status, ("bad_request", "Bad request"))
    if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        code, title = "internal_error", "Internal error"
    detail = str(exc.detail)
    if status == HTTPStatus.REQUEST_ENTITY_TOO_LARGE:
        detail = "the request body is over MAX_BODY_BYTES"
    headers = dict(exc.headers or {})
    problem = Problem(
        type=problem_type(code),
        title=title,
        status=status,
        detail=detail,
        code=code,
        instance=request.url.path,
        request_id=_request_id(request),
    )
    return _response(problem, headers)


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    """Answer any other failure with a 500 problem, logged with its traceback, never shown."""
    log.error("unhandled_error", error=type(exc).__name__, exc_info=exc)
    problem = Problem(
        type=problem_type("internal_error"),
        title="Internal error",
        status=500,
        detail="the service failed to process this request; it has been logged",
        code="internal_error",
        instance=request.url.path,
        request_id=_request_id(request),
    )
    return _response(problem, {})
