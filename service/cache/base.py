"""What every result cache offers the service."""

from __future__ import annotations

from typing import Literal, Protocol

__all__ = ["ResultCache"]


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
