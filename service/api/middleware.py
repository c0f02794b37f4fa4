"""Request context: request id, API key and rate limit checks, canonical log line and metrics."""

from __future__ import annotations

import os
import re
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import Any, cast

import structlog
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from service.api.security import Guard
from service.metrics import Metrics

__all__ = ["RequestContextMiddleware", "finish_request", "header_of", "request_id_of"]

log = structlog.get_logger("service.request")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
# Routes whose callers may need a key; health, metrics and the schema stay open.
_PROTECTED_PREFIX = "/v1/"
_KNOWN_ROUTES = frozenset(
    {"/v1/enrich", "/v1/enrich/batch", "/health/live", "/health/ready", "/metrics", "/schema", "/playground"}
)
_STATE = "enrichment.context"


def header_of(scope: Scope, name: bytes) -> str | None:
    """The first value of the request header `name` (lower-case bytes), read off the ASGI scope.

    Cheaper than Litestar's `request.headers`, which builds a multidict of every header first.
    """
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _context(scope: Scope) -> dict[str, Any]:
    # Kept in the scope itself (a dict, an ASGI extension key) rather than in Litestar's `state`,
    # a MutableMapping whose Python-level setdefault was 2 % of a cached request's CPU.
    raw = cast("dict[str, Any]", scope)
    ctx: dict[str, Any] | None = raw.get(_STATE)
    if ctx is None:
        ctx = raw[_STATE] = {}
    return ctx


def request_id_of(scope: Scope) -> str | None:
    """The request id assigned to this request, else the client's valid X-Request-ID.

    The middleware does not run for an unknown route or method: Litestar answers those first.
    """
    value = _context(scope).get("request_id")
    if isinstance(value, str):
        return value
    sent = header_of(scope, b"x-request-id")
    return sent if sent and _REQUEST_ID.match(sent) else None


class RequestContextMiddleware:
    """Assigns the request id and checks the API key and rate limit before any handler runs."""

    def __init__(self, app: ASGIApp, guard: Guard) -> None:
        self.app = app
        self._guard = guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the request inside its logging context."""
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        ctx = _context(scope)
        ctx["started"] = time.perf_counter()
        sent_id = header_of(scope, b"x-request-id")
        request_id = sent_id if sent_id and _REQUEST_ID.match(sent_id) else secrets.token_hex(16)
        ctx["request_id"] = request_id
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        if scope["path"].startswith(_PROTECTED_PREFIX):
            address = scope.get("client")
            await self._guard.check(self._presented_key(scope), address[0] if address else None)
        await self.app(scope, receive, send)

    @staticmethod
    def _presented_key(scope: Scope) -> str | None:
        auth = header_of(scope, b"authorization")
        if auth and auth[:7].lower() == "bearer ":
            return auth[7:].strip()
        return header_of(scope, b"x-api-key")


def finish_request(metrics: Metrics) -> Callable[[Message, Scope], Awaitable[None]]:
    """Build the `before_send` hook that tags every response and writes the canonical log line."""

    async def before_send(message: Message, scope: Scope) -> None:
        if scope["type"] != ScopeType.HTTP:
            return
        ctx = _context(scope)
        if message["type"] == "http.response.start":
            request_id = ctx.get("request_id")
            if request_id is None:
                request_id = ctx["request_id"] = secrets.token_hex(16)
            message.setdefault("headers", [])
            headers = message["headers"]
            if isinstance(headers, list):
                headers.append((b"x-request-id", request_id.encode("latin-1")))
            ctx["status"] = message["status"]
            return
        if message["type"] != "http.response.body" or message.get("more_body", False):
            return
        path = scope["path"]
        method = str(scope.get("method", ""))
        route = path if path in _KNOWN_ROUTES else "other"
        status = int(ctx.get("status", 500))
        started = ctx.get("started")
        elapsed = time.perf_counter() - started if started is not None else 0.0
        metrics.observe_request(route, method, status, elapsed)
        log.info(
            "request",
            method=method,
            path=path,
            status=status,
            duration_ms=round(elapsed * 1000, 3),
            request_id=ctx.get("request_id"),
            # Which worker answered: with several, a request's log line and its worker's death meet here.
            worker=os.getpid(),
        )
        structlog.contextvars.clear_contextvars()

    return before_send
