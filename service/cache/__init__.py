"""Result caches: Redis (fail-open) and the embedded in-process LRU."""
