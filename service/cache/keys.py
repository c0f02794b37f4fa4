"""Cache key layout: `enrich:{PIPELINE_VERSION}:{sha256}`."""

from __future__ import annotations

__all__ = ["result_key"]


def result_key(pipeline_version: str, digest: str) -> str:
    """Key of a cached result; the pipeline version retires old results when behaviour changes."""
    return f"enrich:{pipeline_version}:{digest}"
