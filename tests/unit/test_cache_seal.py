"""Stored results carry a CRC-32 seal: only a value sealed whole is served from the cache."""

from __future__ import annotations

import pytest

from service.cache.base import seal, unseal

_RESULT = b'{"id":"sha256:ab","pipeline_version":"2.1.x","body":"Le conseil a vot\xc3\xa9."}'


def test_a_sealed_result_unseals_to_itself() -> None:
    """Sealing appends a trailer; unsealing gives back the exact bytes."""
    stored = seal(_RESULT)
    assert stored.startswith(_RESULT)
    assert len(stored) > len(_RESULT)
    assert _RESULT == unseal(stored)


@pytest.mark.parametrize(
    "value",
    [
        _RESULT,  # stored before results were sealed
        seal(_RESULT)[: len(_RESULT) // 2],  # truncated
        seal(_RESULT)[:-1],  # trailer cut
        seal(_RESULT).replace(b"vot", b"VOT"),  # altered inside
        seal(_RESULT)[:-8] + b"zzzzzzzz",  # trailer not hexadecimal
        seal(_RESULT)[:-8] + b" 000000f",  # digits int() would accept
        b"",
        b"\n#",
    ],
)
def test_a_value_not_sealed_whole_is_refused(value: bytes) -> None:
    """Truncated, altered, unsealed or foreign values are refused, never served."""
    assert unseal(value) is None


def test_an_empty_result_can_be_sealed() -> None:
    """The seal does not depend on the payload's content."""
    assert b"" == unseal(seal(b""))
