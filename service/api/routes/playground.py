"""The playground at /playground: one static page that calls /v1/enrich from the browser.

The page, its stylesheet, script and example articles live in `service/api/playground/` and
are read once when the app is built. No CDN, no build step: the page works offline. A strict
Content-Security-Policy keeps it to its own script and its own origin, so pasted text can only
go to this service.
"""

from __future__ import annotations

from importlib.resources import files

from litestar import Response, get
from litestar.exceptions import NotFoundException
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath

__all__ = ["PLAYGROUND_CSP", "playground_routes"]

# Self only: the page's script and stylesheet, fetches to this origin, nothing inline, no framing.
PLAYGROUND_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_PAGE = "index.html"
_ASSETS = {
    # Litestar appends `; charset=utf-8` to text types itself.
    "playground.js": "text/javascript",
    "playground.css": "text/css",
    "examples.json": "application/json",
    "favicon.svg": "image/svg+xml",
}
_HEADERS = {
    "Content-Security-Policy": PLAYGROUND_CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # The files change with the deployment only; revalidating keeps an upgrade visible at once.
    "Cache-Control": "no-cache",
}


def playground_routes() -> list[HTTPRouteHandler]:
    """The page and its assets as route handlers (kept out of the OpenAPI document: not an API)."""
    folder = files("service.api") / "playground"
    page = (folder / _PAGE).read_bytes()
    assets = {name: (folder / name).read_bytes() for name in _ASSETS}

    @get("/playground", include_in_schema=False, media_type="text/html")
    async def playground_page() -> Response[bytes]:
        """The playground page."""
        return Response(content=page, media_type="text/html", headers=_HEADERS)

    @get("/playground/{name:str}", include_in_schema=False)
    async def playground_asset(name: FromPath[str]) -> Response[bytes]:
        """One of the page's static files; any other name is a 404 problem."""
        content = assets.get(name)
        if content is None:
            msg = f"no playground file named {name!r}"
            raise NotFoundException(msg)
        return Response(content=content, media_type=_ASSETS[name], headers=_HEADERS)

    return [playground_page, playground_asset]
