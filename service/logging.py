"""structlog set-up: JSON lines off a terminal, console on one, request context first."""

from __future__ import annotations

import logging
import sys
import time

import structlog

from service.settings import LogSettings

__all__ = ["ThrottledLog", "configure_logging"]


def configure_logging(settings: LogSettings) -> None:
    """Configure structlog and route stdlib logging (uvicorn, redis) through the same output."""
    as_json = settings.json if settings.json is not None else not sys.stdout.isatty()
    level = logging.getLevelNamesMapping()[settings.level]
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer() if as_json else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            *shared,
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        # One write per line: `print` writes the message and its newline apart, and with
        # PYTHONUNBUFFERED (the image sets it) the six processes sharing stdout interleaved
        # their lines ('{"event": "hub_lost"}{"event": "worker_died"}').
        logger_factory=structlog.WriteLoggerFactory(sys.stdout),
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # uvicorn's access log would duplicate our canonical request line.
    logging.getLogger("uvicorn.access").disabled = True


class ThrottledLog:
    """A warning logged at most once per interval; the calls in between are counted, not logged.

    A dependency that is down fails on every request: one line per interval says so without
    flooding the log.
    """

    def __init__(
        self, logger: structlog.typing.FilteringBoundLogger, event: str, interval_seconds: float
    ) -> None:
        self._logger = logger
        self._event = event
        self._interval = interval_seconds
        self._last = float("-inf")
        self._suppressed = 0

    def warning(self, **fields: object) -> None:
        """Log the event now unless it was logged less than an interval ago."""
        now = time.monotonic()
        if now - self._last >= self._interval:
            self._logger.warning(self._event, suppressed=self._suppressed, **fields)
            self._last = now
            self._suppressed = 0
        else:
            self._suppressed += 1
