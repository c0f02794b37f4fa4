"""What every result cache offers the service."""

from __future__ import annotations

import re
import zlib
from typing import Literal, Protocol

__all__ = ["ResultCache", "seal", "unseal"]

# A stored result is its JSON, then this mark and the JSON's CRC-32 in 8 hex digits.
_MARK = b"\n#"
_TRAILER = len(_MARK) + 8
_HEX8 = re.compile(rb"[0-9a-f]{8}")


def seal(payload: bytes) -> bytes:
    """The encoded result as it is stored: with a trailer of its CRC-32."""
    return payload + _MARK + b"%08x" % zlib.crc32(payload)


def unseal(value: bytes) -> bytes | None:
    """The encoded result of a stored value, or None when the value is not one sealed whole.

    A truncated, altered or foreign value fails the check. Cheaper than validating the JSON on
    every cache hit (a tenth of a cached request's CPU), and it catches more than syntax.
    """
    if len(value) < _TRAILER or value[-_TRAILER:-8] != _MARK:
        return None
    payload = value[:-_TRAILER]
    digits = value[-8:]
    if _HEX8.fullmatch(digits) is None:
        return None
    return payload if zlib.crc32(payload) == int(digits, 16) else None


class ResultCache(Protocol):
    """A byte store for encoded results that never raises to its caller."""

    @property
    def backend(self) -> Literal["redis", "memory"]:
        """Which store backs the cache."""
        ...

    async def get(self, key: str) -> bytes | None:
        """Return the stored bytes, or None on a miss or any cache failure."""
        ...

    async def set(self, key: str, value: bytes) -> None:
        """Store `value` under `key`; failures are reported and swallowed."""
        ...

    async def ping(self) -> bool:
        """Tell whether the backing store answers right now."""
        ...
