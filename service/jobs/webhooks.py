"""Webhooks: which callback URLs are allowed (no SSRF), Standard Webhooks signatures, delivery.

A callback host must be listed in WEBHOOK_ALLOWED_HOSTS (exactly, or under a `*.domain`
wildcard). Every address it resolves to must be public unless the host is listed exactly: a
wildcard cannot reach the private network through a name someone else controls. The check runs
at submission (before any connection) and again at each delivery, and the delivery connects to
the address that was checked (the name is only sent as Host and TLS server name), so a DNS
answer that changes between the check and the connection cannot redirect it. Redirects are
never followed.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import ipaddress
import socket
import time
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

import httpx
import structlog

from service.errors import CallbackNotAllowedError

__all__ = ["DeliveryOutcome", "WebhookSender", "check_callback", "host_match", "reachable", "sign"]

log = structlog.get_logger("service.jobs")

DeliveryOutcome = Literal["delivered", "retry", "failed", "refused"]
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SERVER_ERROR = 500
_SUCCESS = range(200, 300)


def host_match(host: str, allowed: tuple[str, ...]) -> Literal["exact", "wildcard"] | None:
    """How `host` is allowed: listed exactly, under a `*.domain` wildcard, or not at all."""
    host = host.lower().rstrip(".")
    if host in allowed:
        return "exact"
    if _is_address(host):
        return None  # an address is allowed only when listed as it is
    for entry in allowed:
        if entry.startswith("*.") and host.endswith(entry[1:]):
            return "wildcard"
    return None


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


async def check_callback(url: str, allowed: tuple[str, ...]) -> list[str]:
    """The addresses `url` may be delivered to; raises CallbackNotAllowedError when none is allowed."""
    parts = urlsplit(url)
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        msg = "callback_url must be an absolute http:// or https:// URL"
        raise CallbackNotAllowedError(msg)
    if parts.username is not None or parts.password is not None:
        msg = "callback_url must not carry credentials"
        raise CallbackNotAllowedError(msg)
    if not allowed:
        msg = "this service accepts no callback_url (WEBHOOK_ALLOWED_HOSTS is not set)"
        raise CallbackNotAllowedError(msg)
    match = host_match(parts.hostname, allowed)
    if match is None:
        msg = f"the host {parts.hostname!r} is not in WEBHOOK_ALLOWED_HOSTS"
        raise CallbackNotAllowedError(msg)
    try:
        port = parts.port or _DEFAULT_PORTS[parts.scheme]
        infos = await asyncio.get_running_loop().getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError) as exc:
        msg = f"the host {parts.hostname!r} does not resolve"
        raise CallbackNotAllowedError(msg) from exc
    return reachable(parts.hostname, [str(info[4][0]) for info in infos], match)


def reachable(host: str, addresses: list[str], match: Literal["exact", "wildcard"]) -> list[str]:
    """The resolved addresses a delivery may connect to: any for a host listed exactly, public ones else."""
    unique = list(dict.fromkeys(addresses))
    if match == "wildcard":
        unique = [a for a in unique if _public(a)]
    if not unique:
        msg = f"the host {host!r} resolves to no public address"
        raise CallbackNotAllowedError(msg)
    return unique


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value: `v1,` and the base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def _pinned(url: str, address: str) -> str:
    """`url` with its host replaced by the checked address (the port and path kept)."""
    parts = urlsplit(url)
    host = f"[{address}]" if ":" in address else address
    port = parts.port or _DEFAULT_PORTS[parts.scheme]
    return urlunsplit((parts.scheme, f"{host}:{port}", parts.path or "/", parts.query, ""))


class WebhookSender:
    """Signs and posts webhook bodies; says whether a failed delivery is worth retrying."""

    def __init__(self, secret: str | None, allowed: tuple[str, ...], timeout_seconds: float) -> None:
        self._secret = secret
        self._allowed = allowed
        # Certificates are checked against the host name (sent as SNI), not the pinned address.
        self._client = httpx.AsyncClient(timeout=timeout_seconds, follow_redirects=False, trust_env=False)

    async def close(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    async def deliver(self, url: str, message_id: str, body: bytes) -> DeliveryOutcome:
        """Post one signed delivery: delivered (2xx), retry (timeout, connection error, 5xx) or failed."""
        if self._secret is None:
            return "refused"
        try:
            addresses = await check_callback(url, self._allowed)
        except CallbackNotAllowedError as exc:
            log.warning("webhook_refused", reason=exc.detail)
            return "refused"
        parts = urlsplit(url)
        timestamp = int(time.time())
        headers = {
            "content-type": "application/json",
            "user-agent": "article-enrichment-webhooks/1",
            "host": parts.netloc,
            "webhook-id": message_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(self._secret, message_id, timestamp, body),
        }
        extensions = {"sni_hostname": parts.hostname} if parts.scheme == "https" else None
        try:
            response = await self._client.post(
                _pinned(url, addresses[0]), content=body, headers=headers, extensions=extensions
            )
        except httpx.TransportError as exc:
            log.info("webhook_attempt_failed", id=message_id, error=type(exc).__name__)
            return "retry"
        if response.status_code in _SUCCESS:
            return "delivered"
        log.info("webhook_attempt_failed", id=message_id, status=response.status_code)
        return "retry" if response.status_code >= _SERVER_ERROR else "failed"
