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
    "decode_html",
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
_HTML_TYPE = "text/html"
# An HTML page declares its charset in its first bytes (WHATWG encoding sniffing looks at 1024).
_SNIFF_BYTES = 1024
_SINGLE_BYTE = frozenset({"iso8859-1", "cp1252", "iso8859-15", "ascii"})
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE
)
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


def decode_html(body: bytes, charset: str | None) -> str:
    """Decode an HTML body: the header's charset, else the page's `<meta charset>`, else UTF-8."""
    if charset is not None:
        return decode_text(body, charset)
    match = _META_CHARSET.search(body[:_SNIFF_BYTES])
    declared = match.group(1).decode("ascii").lower() if match is not None else None
    try:
        codec = codecs.lookup(declared).name if declared else None
    except LookupError:
        codec = None
    if codec in _SINGLE_BYTE:
        # Pages saved as UTF-8 often still declare latin-1 or windows-1252 in their head: the
        # declaration is believed only when the bytes are not valid UTF-8.
        try:
            return decode_text(body, "utf-8")
        except InvalidEncodingError:
            return decode_text(body, "cp1252")
    return decode_text(body, codec)


def _one_of(request: EnrichRequest, prefix: str = "$") -> EnrichRequest:
    """The request, when it has exactly one of `text` and `html`."""
    if request.text is not None and request.html is not None:
        path = f"{prefix}.html"
        raise ValidationFailedError(f"send `text` or `html`, not both (at {path})", path=path)
    if request.text is None and request.html is None:
        path = f"{prefix}.text"
        raise ValidationFailedError(
            f"Object missing required field `text` (or `html`) (at {path})", path=path
        )
    return request


def decode_enrich_request(body: bytes, content_type: str) -> EnrichRequest:
    """Decode a JSON request, or wrap a text/plain or text/html body as the article."""
    media, charset = media_type_of(content_type)
    if _is_json(media):
        return _one_of(_decode(_request_decoder, body))
    if media == _TEXT_TYPE:
        return EnrichRequest(text=decode_text(body, charset))
    if media in {_HTML_TYPE, "application/xhtml+xml"}:
        return EnrichRequest(html=decode_html(body, charset))
    msg = f"Content-Type {media!r} is not supported; send application/json, text/plain or text/html"
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
        return _one_of(_decode(_request_decoder, bytes(raw)))
    except ValidationFailedError as exc:
        path = exc.path.replace("$", f"$.articles[{index}]", 1)
        raise ValidationFailedError(exc.detail.replace(exc.path, path), path=path) from None
