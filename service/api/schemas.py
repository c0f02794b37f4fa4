"""The HTTP contract around the result model: requests, batch envelopes, problems and health bodies."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta, Struct

from service.model import EnrichOptions, EnrichResult

__all__ = [
    "BatchEnvelope",
    "BatchItem",
    "BatchRequest",
    "BatchResponse",
    "CacheHealth",
    "EnrichRequest",
    "FieldError",
    "Health",
    "JobAccepted",
    "JobEnvelope",
    "JobHealth",
    "JobRequest",
    "JobResponse",
    "Liveness",
    "Problem",
    "RawBatchItem",
    "RawBatchResponse",
]

Title = Annotated[str, Meta(max_length=2_000, description="Headline, when the caller knows it.")]
Url = Annotated[str, Meta(max_length=4_096, description="Where the article was published.")]
ArticleText = Annotated[
    str,
    Meta(description="Raw article text as scraped or exported; limited by MAX_TEXT_CHARS."),
]


ArticleHtml = Annotated[
    str,
    Meta(
        description=(
            "The article as HTML: a whole page or a CMS fragment (WordPress, Drupal, Ghost...); "
            "limited by MAX_BODY_BYTES, and its visible text by MAX_TEXT_CHARS."
        )
    ),
]


class EnrichRequest(Struct, forbid_unknown_fields=True, kw_only=True, frozen=True):
    """One article to clean and enrich: exactly one of `text` and `html`."""

    text: ArticleText | None = None
    html: ArticleHtml | None = None
    title: Title | None = None
    url: Url | None = None
    options: EnrichOptions | None = None


class BatchRequest(Struct, forbid_unknown_fields=True, kw_only=True, frozen=True):
    """Several articles enriched in one call; each item is validated and answered on its own."""

    articles: Annotated[list[EnrichRequest], Meta(min_length=1, description="1 to MAX_BATCH articles.")]


class BatchEnvelope(Struct, forbid_unknown_fields=True, kw_only=True, frozen=True):
    """The batch body as decoded: items stay raw so one bad article fails alone."""

    articles: Annotated[list[msgspec.Raw], Meta(min_length=1)]


CallbackUrl = Annotated[
    str,
    Meta(
        max_length=2_048,
        description="http(s) URL posted to when the job ends; WEBHOOK_ALLOWED_HOSTS must allow its host.",
    ),
]
JobMetadata = Annotated[
    dict[str, Any], Meta(description="Any JSON object; returned as sent with the job and in its webhook.")
]


class JobRequest(Struct, forbid_unknown_fields=True, kw_only=True, frozen=True):
    """Articles enriched in the background; each item is validated and answered on its own."""

    articles: Annotated[
        list[EnrichRequest], Meta(min_length=1, description="1 to MAX_JOB_ARTICLES articles.")
    ]
    callback_url: CallbackUrl | None = None
    metadata: JobMetadata | None = None


class JobEnvelope(Struct, forbid_unknown_fields=True, kw_only=True, frozen=True):
    """The job body as decoded: items stay raw so one bad article fails alone."""

    articles: Annotated[list[msgspec.Raw], Meta(min_length=1)]
    callback_url: CallbackUrl | None = None
    metadata: JobMetadata | None = None


class JobProgress(Struct, kw_only=True):
    """How many of the job's articles have a result."""

    done: int
    total: int


class JobAccepted(Struct, kw_only=True):
    """The answer to a job submission (202, with Location: /v1/jobs/{id})."""

    id: str
    status: Literal["queued"]
    created_at: str
    progress: JobProgress


class JobResponse(Struct, kw_only=True):
    """A job's state and one page of its results (GET /v1/jobs/{id}, and the webhook body)."""

    id: str
    status: Literal["queued", "running", "done", "failed", "cancelled"]
    created_at: str
    finished_at: str | None
    progress: JobProgress
    metadata: dict[str, Any] | None
    results: list[BatchItem]
    next: Annotated[str | None, Meta(description="The next page of results, when there is one.")]


class FieldError(Struct, kw_only=True):
    """Where a request failed validation."""

    path: str
    message: str


class Problem(Struct, kw_only=True, omit_defaults=True):
    """An RFC 9457 problem document with a stable machine-readable `code`."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    instance: str | None = None
    request_id: str | None = None
    errors: list[FieldError] | None = None


class BatchItem(Struct, kw_only=True, omit_defaults=True):
    """The outcome of one batch article: a result or a problem, never both."""

    index: int
    status: int
    result: EnrichResult | None = None
    error: Problem | None = None


class BatchResponse(Struct, kw_only=True):
    """Batch outcomes in request order."""

    results: list[BatchItem]


class CacheHealth(Struct, kw_only=True):
    """Whether the result cache answers; the service works without it."""

    backend: Literal["redis", "memory"]
    ok: bool


class JobHealth(Struct, kw_only=True):
    """Where jobs are queued and whether this process works on them."""

    backend: Literal["redis", "memory"]
    ok: bool
    consumer: bool
    depth: int | None


class Health(Struct, kw_only=True):
    """Readiness of one worker."""

    status: Literal["ready", "loading"]
    pipeline_version: str
    model: str | None
    cache: CacheHealth
    queue_depth: int
    jobs: JobHealth


class Liveness(Struct, kw_only=True):
    """The process answers."""

    status: Literal["ok"]


class RawBatchItem(Struct, kw_only=True, omit_defaults=True):
    """A batch outcome holding the cached result bytes as they are (no re-encoding)."""

    index: int
    status: int
    result: msgspec.Raw | None = None
    error: Problem | None = None


class RawBatchResponse(Struct, kw_only=True):
    """What the batch route encodes: `BatchResponse` with results kept as raw JSON."""

    results: list[RawBatchItem]
