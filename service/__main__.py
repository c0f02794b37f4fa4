"""`python -m service`: serve the API; with several workers they are forked from one loaded model.

`python -m service worker` runs a job worker alone; `python -m service backfill` enriches files.
"""

from __future__ import annotations

import sys
from typing import Any

import uvicorn

from service.cli import backfill, worker
from service.logging import configure_logging
from service.prefork import serve_preforked
from service.settings import Settings, SettingsError

# On SIGTERM, requests already received get this long to finish.
_GRACEFUL_SHUTDOWN_SECONDS = 10
# An idle kept-alive connection is closed after this long.
_KEEP_ALIVE_SECONDS = 5


def main() -> int:
    """Validate the settings, then run the command: uvicorn by default, `worker` or `backfill`."""
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        sys.stderr.write(f"invalid configuration: {exc}\n")
        return 2
    command, argv = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("serve", [])
    if command == "worker":
        return worker.run(settings, argv)
    if command == "backfill":
        return backfill.run(settings, argv)
    if command != "serve":
        sys.stderr.write("usage: python -m service [serve | worker | backfill INPUT --out OUTPUT]\n")
        return 2
    # The supervisor's own lines (worker started, died, restarted) go out as structlog JSON too.
    configure_logging(settings.log)
    if settings.http.workers > 1:
        return serve_preforked(settings, server_options(settings))
    # One worker: uvicorn serves at once (/health/live answers) while the model loads in the background.
    uvicorn.run(
        "service.app:create_app",
        factory=True,
        host=settings.http.host,
        port=settings.http.port,
        **server_options(settings),
    )
    return 0


def server_options(settings: Settings) -> dict[str, Any]:
    """Options of the uvicorn server, shared by `python -m service` and the tests' servers."""
    return {
        "log_config": None,
        "access_log": False,
        # X-Forwarded-For is believed only from configured proxies: otherwise any client could
        # pick the address its rate limit is counted under.
        "proxy_headers": bool(settings.http.trusted_proxies),
        "forwarded_allow_ips": list(settings.http.trusted_proxies) or None,
        "lifespan": "on",
        # Bounds what slow or idle clients can hold per worker (connections, partial bodies).
        "limit_concurrency": settings.http.max_connections,
        "timeout_keep_alive": _KEEP_ALIVE_SECONDS,
        "timeout_graceful_shutdown": _GRACEFUL_SHUTDOWN_SECONDS,
    }


if __name__ == "__main__":
    sys.exit(main())
