"""`python -m service`: serve the API with uvicorn worker processes, each loading the model once."""

from __future__ import annotations

import sys

import uvicorn

from service.settings import Settings, SettingsError


def main() -> int:
    """Validate the settings, then hand over to uvicorn."""
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        sys.stderr.write(f"invalid configuration: {exc}\n")
        return 2
    uvicorn.run(
        "service.app:create_app",
        factory=True,
        host=settings.http.host,
        port=settings.http.port,
        workers=settings.http.workers,
        log_config=None,
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=10,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
