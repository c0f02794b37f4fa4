"""API keys are checked in constant time, in clear or hashed form; the local rate limiter counts windows."""

from __future__ import annotations

import asyncio
import hashlib

from service.api.security import KeyChecker, RateLimiter


def test_clear_and_hashed_keys_are_accepted() -> None:
    """Both configured forms accept the key and refuse anything else."""
    checker = KeyChecker(("alpha", "sha256:" + hashlib.sha256(b"beta").hexdigest()))
    assert checker.enabled
    assert checker.identify("alpha") is not None
    assert checker.identify("beta") is not None
    assert checker.identify("gamma") is None
    assert checker.identify(None) is None


def test_key_id_is_not_the_key() -> None:
    """The id used for rate limiting is a digest prefix, never the secret."""
    key_id = KeyChecker(("alpha",)).identify("alpha")
    assert hashlib.sha256(b"alpha").hexdigest()[:16] == key_id


def test_no_keys_means_disabled() -> None:
    """An empty key list turns authentication off."""
    assert not KeyChecker(()).enabled


def test_in_process_limiter_refuses_past_the_budget() -> None:
    """Without Redis, the third request of a 2-per-hour client gets a Retry-After."""
    limiter = RateLimiter(2, 3600, None, 0.25)

    async def hits() -> list[int | None]:
        return [await limiter.hit("client") for _ in range(3)]

    first, second, third = asyncio.run(hits())
    assert (None, None) == (first, second)
    assert third is not None
    assert 1 <= third <= 3600
