"""The framework baseline: a bare Litestar app answering a POST with a stored payload from Redis.

It does the least a cached request must do (read the body, hash it, one Redis GET, send the
bytes), so `cached service / this` isolates what our own request path adds.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar, Request, Response, get, post
from redis.asyncio import Redis


def create_app() -> Litestar:
    """Build the baseline app; REDIS_URL names the Redis holding `baseline:<sha256>` payloads."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        app.state.redis = Redis.from_url(os.environ["REDIS_URL"])
        try:
            yield
        finally:
            await app.state.redis.aclose()

    @post("/v1/enrich", status_code=200)
    async def enrich(request: Request) -> Response[bytes]:
        body = await request.body()
        payload = await request.app.state.redis.get("baseline:" + hashlib.sha256(body).hexdigest())
        if payload is None:
            return Response(content=b"{}", status_code=404, media_type="application/json")
        return Response(content=payload, media_type="application/json")

    @get("/health/ready")
    async def ready() -> dict[str, str]:
        return {"status": "ready"}

    return Litestar(route_handlers=[enrich, ready], lifespan=[lifespan], openapi_config=None)
