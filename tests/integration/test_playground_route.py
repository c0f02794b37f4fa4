"""The playground route: served with its policy by default, absent with PLAYGROUND=false, never in OpenAPI."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.api.routes.playground import PLAYGROUND_CSP

pytestmark = [pytest.mark.integration, pytest.mark.anyio]

FILES = Path(__file__).resolve().parents[2] / "service" / "api" / "playground"


async def test_page_and_assets_are_served_with_a_strict_policy(client_for, make_settings) -> None:
    """The page and each asset come back byte for byte with their type, the CSP and nosniff."""
    expected = {
        "/playground": ("index.html", "text/html; charset=utf-8"),
        "/playground/playground.js": ("playground.js", "text/javascript; charset=utf-8"),
        "/playground/playground.css": ("playground.css", "text/css; charset=utf-8"),
        "/playground/examples.json": ("examples.json", "application/json"),
        "/playground/favicon.svg": ("favicon.svg", "image/svg+xml"),
    }
    async with client_for(make_settings()) as client:
        for path, (name, media_type) in expected.items():
            response = await client.get(path)
            assert (200, media_type) == (response.status_code, response.headers["content-type"])
            assert (FILES / name).read_bytes() == response.content
            assert PLAYGROUND_CSP == response.headers["content-security-policy"]
            assert "nosniff" == response.headers["x-content-type-options"]
        missing = await client.get("/playground/%2e%2e%2fsettings.py")
        other = await client.get("/playground/secret.txt")
    assert 404 == missing.status_code
    assert (404, "not_found") == (other.status_code, other.json()["code"])


async def test_playground_false_removes_the_page(client_for, make_settings) -> None:
    """With PLAYGROUND=false the page and its assets answer 404 problems; the API still works."""
    async with client_for(make_settings(PLAYGROUND="false")) as client:
        page = await client.get("/playground")
        asset = await client.get("/playground/playground.js")
        live = await client.get("/health/live")
    assert (404, "not_found") == (page.status_code, page.json()["code"])
    assert 404 == asset.status_code
    assert 200 == live.status_code


async def test_playground_is_not_in_the_openapi_document(client_for, make_settings) -> None:
    """The page is not an API endpoint: the served OpenAPI document does not list it."""
    async with client_for(make_settings()) as client:
        document = (await client.get("/schema/openapi.json")).json()
    assert [] == [path for path in document["paths"] if path.startswith("/playground")]
