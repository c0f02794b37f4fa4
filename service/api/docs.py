"""The API reference page at /schema: plain HTML built from the OpenAPI document, no CDN assets.

Litestar's UI plugins load their scripts from a CDN, so the page is blank offline or behind a
strict proxy. This one is server-rendered from the schema; the machine-readable document stays
at /schema/openapi.json.
"""

from __future__ import annotations

import html
from typing import Any

from litestar import Request
from litestar.openapi.plugins import OpenAPIRenderPlugin

__all__ = ["OfflineDocsPlugin"]

_METHODS = ("get", "post", "put", "patch", "delete")
_STYLE = (
    "<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
    "code{background:#f3f3f3;padding:0 .2rem}h2{margin-top:2rem}td{padding:.2rem .6rem;vertical-align:top}"
    "</style>"
)


class OfflineDocsPlugin(OpenAPIRenderPlugin):
    """Serves a self-contained HTML reference of the routes and their answers."""

    def __init__(self) -> None:
        super().__init__(path="/", favicon="", style=_STYLE)

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        """The reference page for `openapi_schema`."""
        info = openapi_schema.get("info", {})
        esc = html.escape
        parts = [
            f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{esc(info.get('title', ''))}"
            f"</title>{self.style}</head><body>",
            f"<h1>{esc(info.get('title', ''))} <small>{esc(str(info.get('version', '')))}</small></h1>",
            f"<p>{esc(info.get('description', ''))}</p>",
            f"<p>Machine-readable document: <a href='{esc(self.get_openapi_json_route(request))}'>"
            "openapi.json</a></p>",
        ]
        for path, item in sorted(openapi_schema.get("paths", {}).items()):
            for method in _METHODS:
                operation = item.get(method)
                if operation is None:
                    continue
                parts.append(f"<h2><code>{method.upper()} {esc(path)}</code></h2>")
                parts.append(f"<p>{esc(operation.get('summary', ''))}</p>")
                body = operation.get("requestBody", {}).get("content", {})
                if body:
                    parts.append(f"<p>Body: {esc(', '.join(body))}</p>")
                rows = "".join(
                    f"<tr><td><code>{esc(code)}</code></td><td>{esc(answer.get('description', ''))}</td></tr>"
                    for code, answer in sorted(operation.get("responses", {}).items())
                )
                parts.append(f"<table>{rows}</table>")
        parts.append("</body></html>")
        return "".join(parts).encode()
