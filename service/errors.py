"""Domain errors with stable codes; they know nothing of HTTP (see service.api.problems)."""

from __future__ import annotations

from typing import Any, ClassVar

__all__ = [
    "CallbackNotAllowedError",
    "DeadlineExceededError",
    "EmptyTextError",
    "EnrichmentError",
    "InvalidEncodingError",
    "InvalidJsonError",
    "JobNotFoundError",
    "MarkupTooComplexError",
    "NoArticleError",
    "NotReadyError",
    "OverloadedError",
    "RateLimitedError",
    "StageFailedError",
    "TextTooLargeError",
    "UnauthorizedError",
    "UnsupportedLanguageError",
    "UnsupportedMediaTypeError",
    "ValidationFailedError",
]


class EnrichmentError(Exception):
    """Base of every error the service reports to a caller, identified by a stable `code`."""

    code: ClassVar[str] = "internal_error"
    title: ClassVar[str] = "Internal error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    def __reduce__(self) -> tuple[Any, ...]:
        # Errors cross from the NLP processes to the HTTP workers pickled; subclasses take more
        # than `detail` in __init__, which the default Exception pickling would not pass back.
        return (_rebuild, (type(self), self.__dict__))


def _rebuild(cls: type[EnrichmentError], state: dict[str, Any]) -> EnrichmentError:
    """An unpickled error: its class, detail and attributes, without calling its __init__."""
    error = cls.__new__(cls)
    Exception.__init__(error, state.get("detail", ""))
    error.__dict__.update(state)
    return error


class InvalidJsonError(EnrichmentError):
    """The request body is not valid JSON."""

    code = "invalid_json"
    title = "Invalid JSON"


class InvalidEncodingError(EnrichmentError):
    """A text/plain body is not valid in its declared charset."""

    code = "invalid_encoding"
    title = "Invalid text encoding"


class ValidationFailedError(EnrichmentError):
    """The request is JSON but does not match the contract."""

    code = "validation_error"
    title = "Validation error"

    def __init__(self, detail: str, path: str) -> None:
        super().__init__(detail)
        self.path = path


class EmptyTextError(EnrichmentError):
    """The article text is empty or only white space."""

    code = "empty_text"
    title = "Empty text"


class TextTooLargeError(EnrichmentError):
    """The article text or the request body is over its limit."""

    code = "text_too_large"
    title = "Text too large"


class UnsupportedMediaTypeError(EnrichmentError):
    """The request body is neither JSON nor plain text."""

    code = "unsupported_media_type"
    title = "Unsupported media type"


class UnsupportedLanguageError(EnrichmentError):
    """The article is not in French."""

    code = "unsupported_language"
    title = "Unsupported language"

    def __init__(self, detail: str, language: str, confidence: float) -> None:
        super().__init__(detail)
        self.language = language
        self.confidence = confidence


class NotReadyError(EnrichmentError):
    """The NLP model is not loaded yet."""

    code = "not_ready"
    title = "Not ready"


class OverloadedError(EnrichmentError):
    """Too much NLP work is already queued in this worker."""

    code = "overloaded"
    title = "Overloaded"

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class DeadlineExceededError(EnrichmentError):
    """The computation did not finish within the request deadline."""

    code = "timeout"
    title = "Timeout"

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class UnauthorizedError(EnrichmentError):
    """No valid API key was given."""

    code = "unauthorized"
    title = "Unauthorized"


class RateLimitedError(EnrichmentError):
    """The API key spent its request budget for the current window."""

    code = "rate_limited"
    title = "Rate limited"

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class StageFailedError(EnrichmentError):
    """A stage raised on one article (a bug): that article fails alone, the others go on."""

    code = "internal_error"
    title = "Internal error"


class NoArticleError(EnrichmentError):
    """Cleaning removed every line: the page holds no article text to enrich."""

    code = "no_article_found"
    title = "No article found"


class MarkupTooComplexError(EnrichmentError):
    """The HTML nests deeper, or puts more attributes on one element, than any real page does."""

    code = "markup_too_complex"
    title = "Markup too complex"


class JobNotFoundError(EnrichmentError):
    """No job has this id (never created, or expired after JOB_TTL_SECONDS)."""

    code = "job_not_found"
    title = "Job not found"


class CallbackNotAllowedError(EnrichmentError):
    """A job's callback_url is not an http(s) URL on an allowed, public host."""

    code = "callback_not_allowed"
    title = "Callback not allowed"
