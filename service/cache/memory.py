"""The embedded cache: an in-process LRU bounded in entries and in bytes."""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Literal

__all__ = ["MemoryCache"]


class MemoryCache:
    """LRU of encoded results for a single worker; used when no REDIS_URL is set."""

    backend: Literal["memory"] = "memory"

    def __init__(self, max_entries: int, max_bytes: int, ttl_seconds: int) -> None:
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._ttl = ttl_seconds
        self._items: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._bytes = 0
        self.hits = 0
        self.misses = 0

    @property
    def size_bytes(self) -> int:
        """Bytes of values held now."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)

    async def get(self, key: str) -> bytes | None:
        """Return the value and mark it recently used, or None when absent or expired."""
        item = self._items.get(key)
        if item is None:
            self.misses += 1
            return None
        expires, value = item
        if expires and expires < time.monotonic():
            self._drop(key)
            self.misses += 1
            return None
        self._items.move_to_end(key)
        self.hits += 1
        return value

    async def set(self, key: str, value: bytes) -> None:
        """Store the value, evicting least recently used entries past either bound."""
        self.put(key, value)

    def put(self, key: str, value: bytes) -> None:
        """`set` for a caller outside a coroutine (the hub, as a result arrives)."""
        if len(value) > self._max_bytes:
            return
        if key in self._items:
            self._drop(key)
        expires = time.monotonic() + self._ttl if self._ttl else 0.0
        self._items[key] = (expires, value)
        self._bytes += len(value)
        while len(self._items) > self._max_entries or self._bytes > self._max_bytes:
            oldest = next(iter(self._items))
            self._drop(oldest)

    async def ping(self) -> bool:
        """The embedded cache is always there."""
        return True

    def _drop(self, key: str) -> None:
        _, value = self._items.pop(key)
        self._bytes -= len(value)
