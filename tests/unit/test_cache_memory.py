"""The embedded cache is an LRU bounded in entries and in bytes."""

from __future__ import annotations

import asyncio

from service.cache.memory import MemoryCache


def run(coroutine):
    """Run one coroutine to completion."""
    return asyncio.run(coroutine)


def test_hit_and_miss_are_counted() -> None:
    """A stored value is returned and counted as a hit; an absent key is a miss."""
    cache = MemoryCache(max_entries=10, max_bytes=1000, ttl_seconds=0)
    run(cache.set("a", b"1"))
    assert (b"1", None) == (run(cache.get("a")), run(cache.get("b")))
    assert (1, 1) == (cache.hits, cache.misses)


def test_least_recently_used_is_evicted_past_the_entry_bound() -> None:
    """With two entries allowed, the least recently read one goes first."""
    cache = MemoryCache(max_entries=2, max_bytes=1000, ttl_seconds=0)
    run(cache.set("a", b"1"))
    run(cache.set("b", b"2"))
    run(cache.get("a"))
    run(cache.set("c", b"3"))
    assert [b"1", None, b"3"] == [run(cache.get(k)) for k in "abc"]


def test_byte_bound_is_kept() -> None:
    """Entries are evicted until the stored bytes fit the bound; an oversized value is not stored."""
    cache = MemoryCache(max_entries=100, max_bytes=10, ttl_seconds=0)
    run(cache.set("a", b"12345"))
    run(cache.set("b", b"67890"))
    run(cache.set("c", b"xyz"))
    run(cache.set("huge", b"x" * 11))
    assert 8 == cache.size_bytes
    assert [None, b"67890", b"xyz", None] == [run(cache.get(k)) for k in ("a", "b", "c", "huge")]
