"""Webhook signatures, the callback allowlist and the address checks, without a network."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from service.errors import CallbackNotAllowedError
from service.jobs.webhooks import check_callback, host_match, reachable, sign

pytestmark = pytest.mark.anyio

SECRET = "whsec_" + base64.b64encode(bytes(range(32))).decode()


def test_signature_verifies_with_the_standard_webhooks_library() -> None:
    """A body signed by the service passes the reference library's verification and decodes."""
    body = b'{"id":"abc","status":"done"}'
    now = int(time.time())
    headers = {
        "webhook-id": "msg_abc",
        "webhook-timestamp": str(now),
        "webhook-signature": sign(SECRET, "msg_abc", now, body),
    }
    assert {"id": "abc", "status": "done"} == Webhook(SECRET).verify(body, headers)
    tampered = body.replace(b"done", b"fail")
    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(tampered, headers)


def test_signature_is_hmac_sha256_of_id_timestamp_and_body() -> None:
    """The signature is `v1,` and the base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`, as the spec defines."""
    expected = base64.b64encode(hmac.new(bytes(range(32)), b"m.1.{}", hashlib.sha256).digest()).decode()
    assert f"v1,{expected}" == sign(SECRET, "m", 1, b"{}")


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("hooks.example.org", "exact"),
        ("HOOKS.example.org.", "exact"),
        ("a.cms.example.net", "wildcard"),
        ("cms.example.net", None),
        ("evilcms.example.net", None),
        ("127.0.0.1", "exact"),
        ("10.0.0.1", None),
        ("example.org", None),
    ],
)
def test_host_match(host: str, expected: str | None) -> None:
    """Hosts match exactly or under a `*.domain` wildcard (not the bare domain); addresses only exactly."""
    allowed = ("hooks.example.org", "*.cms.example.net", "127.0.0.1")
    assert expected == host_match(host, allowed)


def test_wildcard_hosts_reach_public_addresses_only() -> None:
    """A wildcard host keeps only its public addresses; private-only resolution is refused."""
    assert ["93.184.216.34"] == reachable("a.example.org", ["10.0.0.1", "93.184.216.34"], "wildcard")
    for private in (["127.0.0.1"], ["192.168.1.2", "::1"], ["169.254.169.254"], ["::ffff:10.1.2.3"]):
        with pytest.raises(CallbackNotAllowedError):
            reachable("a.example.org", private, "wildcard")


def test_exactly_listed_hosts_may_be_private() -> None:
    """A host listed exactly may resolve to a private address (an internal receiver the operator named)."""
    resolved = ["10.0.0.1", "127.0.0.1", "10.0.0.1"]
    assert ["10.0.0.1", "127.0.0.1"] == reachable("hooks.internal", resolved, "exact")


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("ftp://127.0.0.1/x", ("127.0.0.1",)),
        ("file:///etc/passwd", ("127.0.0.1",)),
        ("http://user:pw@127.0.0.1/x", ("127.0.0.1",)),
        ("http://127.0.0.1/x", ()),
        ("http://127.0.0.2/x", ("127.0.0.1",)),
        ("/relative", ("127.0.0.1",)),
    ],
)
async def test_check_callback_refuses(url: str, allowed: tuple[str, ...]) -> None:
    """Other schemes, credentials, an empty allowlist and unlisted hosts are refused before connecting."""
    with pytest.raises(CallbackNotAllowedError):
        await check_callback(url, allowed)


async def test_check_callback_accepts_a_listed_address() -> None:
    """An exactly listed address is accepted and is the address delivered to."""
    assert ["127.0.0.1"] == await check_callback("http://127.0.0.1:8080/hook?x=1", ("127.0.0.1",))
