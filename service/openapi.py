"""Render the app's OpenAPI document; `python -m service.openapi` prints it for the repo copy."""

from __future__ import annotations

import json
import sys

from service.app import create_app
from service.settings import LogSettings, Settings

__all__ = ["openapi_document", "render"]


def openapi_document() -> dict[str, object]:
    """The OpenAPI document Litestar generates for the app under default settings."""
    app = create_app(Settings(log=LogSettings(level="WARNING")))
    return app.openapi_schema.to_schema()


def render() -> str:
    """The document as stable, indented JSON (the format of openapi/openapi.json)."""
    return json.dumps(openapi_document(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
