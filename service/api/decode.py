"""Request-body decoding with our own error codes (invalid JSON vs. contract violations)."""

from __future__ import annotations

import codecs
import re
from typing import TypeVar

import msgspec

from service.api.schemas import BatchEnvelope, EnrichRequest, JobEnvelope
from service.errors import (
    InvalidEncodingError,
    InvalidJsonError,
    UnsupportedMediaTypeError,
    ValidationFailedError,
)

__all__ = [
    "decode_batch",
    "decode_enrich_request",
    "decode_jobs",
    "decode_raw_item",
    "decode_text",
    "media_type_of",
]

T = TypeVar("T")

_PATH = re.compile(r" - at `(?P<path>\$[^`]*)`$")
_request_decoder = msgspec.json.Decoder(EnrichRequest)
_batch_decoder = msgspec.json.Decoder(BatchEnvelope)
_job_decoder = msgspec.json.Decoder(JobEnvelope)
_JSON_TYPES = frozenset({"application/json", ""})
_TEXT_TYPE = "text/plain"
# Text charsets a client may declare for text/plain, by codecs' canonical name. Codecs that are
# transforms rather than text encodings (unicode_escape, utf-7, idna, rot13, base64, zlib) are
# refused: they can produce lone surrogates or expand a small body enormously.
_TEXT_CHARSETS = frozenset(
    {"utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be",
     "iso8859-1", "cp1252", "iso8859-15", "ascii"}
)  # fmt: skip
_SURROGATE = re.compile("[\ud800-\udfff]")


def media_type_of(content_type: str) -> tuple[str, str | None]:
    """Split a Content-Type header into its lower-cased media type and its charset."""
    media, _, params = content_type.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.lower() == "charset" and value:
            charset = value.strip('"').lower()
    return media.strip().lower(), charset


def _decode(decoder: msgspec.json.Decoder[T], body: bytes) -> T:
    try:
        return decoder.decode(body)
    except msgspec.ValidationError as exc:
        message = str(exc)
        match = _PATH.search(message)
        path = match.group("path") if match else "$"
        detail = message[: match.start()] if match else message
        raise ValidationFailedError(f"{detail} (at {path})", path=path) from None
    except msgspec.DecodeError as exc:
        raise InvalidJsonError(f"the body is not valid JSON: {exc}") from None
    except UnicodeDecodeError:
        msg = "the JSON body is not valid UTF-8"
        raise InvalidEncodingError(msg) from None
    except RecursionError:
        msg = "the JSON is nested too deeply (at $)"
        raise ValidationFailedError(msg, path="$") from None


def decode_text(body: bytes, charset: str | None) -> str:
    """Decode a text body in its declared charset (UTF-8 when none); only text charsets are accepted."""
    name = charset or "utf-8"
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        codec = None
    if codec not in _TEXT_CHARSETS:
        msg = f"charset {name!r} is not supported; use UTF-8, UTF-16, UTF-32, ISO-8859-1/15, cp1252 or ASCII"
        raise UnsupportedMediaTypeError(msg)
    try:
        text = body.decode(codec)
    except UnicodeDecodeError as exc:
        msg = f"the body is not valid {name} (byte {exc.start})"
        raise InvalidEncodingError(msg) from None
    bad = _SURROGATE.search(text)
    if bad is not None:
        msg = f"the body holds an invalid code point (a lone surrogate) at character {bad.start()}"
        raise InvalidEncodingError(msg)
    return text


def _is_json(media: str) -> bool:
    return media in _JSON_TYPES or media.endswith("+json")


def decode_enrich_request(body: bytes, content_type: str) -> EnrichRequest:
    """Decode a JSON request, or wrap a text/plain body as the article text."""
    media, charset = media_type_of(content_type)
    if _is_json(media):
        return _decode(_request_decoder, body)
    if media == _TEXT_TYPE:
        return EnrichRequest(text=decode_text(body, charset))
    msg = f"Content-Type {media!r} is not supported; send application/json or text/plain"
    raise UnsupportedMediaTypeError(msg)


def decode_batch(body: bytes, content_type: str) -> BatchEnvelope:
    """Decode a batch envelope; its articles stay raw to be validated one by one."""
    media, _ = media_type_of(content_type)
    if not _is_json(media):
        msg = f"Content-Type {media!r} is not supported; a batch is application/json"
        raise UnsupportedMediaTypeError(msg)
    return _decode(_batch_decoder, body)


def decode_jobs(body: bytes, content_type: str) -> JobEnvelope:
    """Decode a job envelope; its articles stay raw to be validated one by one by the worker."""
    media, _ = media_type_of(content_type)
    if not _is_json(media):
        msg = f"Content-Type {media!r} is not supported; a job is application/json"
        raise UnsupportedMediaTypeError(msg)
    return _decode(_job_decoder, body)


def decode_raw_item(raw: msgspec.Raw, index: int) -> EnrichRequest:
    """Validate one raw batch article; paths name the article's place in the batch."""
    try:
        return _decode(_request_decoder, bytes(raw))
    except ValidationFailedError as exc:
        path = exc.path.replace("$", f"$.articles[{index}]", 1)
        raise ValidationFailedError(exc.detail.replace(exc.path, path), path=path) from None
