"""Which webhook URLs ingest calls: the guard against server-side request forgery.

A webhook makes this service send a request wherever a caller says, so by default only `https`
URLs whose host has public addresses only are taken: loopback, private, link-local, CGNAT,
multicast, unspecified and reserved addresses (and their IPv6 forms, including IPv4 addresses
embedded in IPv6 ones) are refused, and cloud metadata addresses always are, whatever the
settings. The URL is checked when the request is created and again before each attempt, after
resolving its host: the sender then connects to an address checked here, so a DNS answer that
changes between the check and the connection (DNS rebinding) is never used.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass

import httpx

from voice_core.errors import invalid_argument

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

MAX_URL_CHARS = 2048
# Instance metadata services that are not link-local (169.254.0.0/16 and fd00::/8 are refused
# as private anyway): Azure's wire server, Alibaba Cloud's, AWS's IPv6 endpoint.
_METADATA = frozenset(
    ipaddress.ip_address(address)
    for address in ("168.63.129.16", "100.100.100.200", "169.254.169.254", "fd00:ec2::254")
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# A name that takes longer to resolve is refused: a caller's URL must not hold a call long.
RESOLVE_TIMEOUT_S = 5.0
# The same sentence for an address refused and a name that does not resolve, so the check
# tells a caller nothing about which internal names exist.
NOT_PUBLIC = "webhook_url must name a host whose addresses are all public"


class WebhookUrlRefused(Exception):
    """The URL may not be called; the message says why, in words for the caller."""


@dataclass(frozen=True)
class WebhookTarget:
    url: httpx.URL
    # Checked addresses to connect to, in the resolver's order.
    addresses: tuple[IPAddress, ...]


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_refusal(address: IPAddress, allow_private: bool) -> str | None:
    """Why `address` may not be called, or None if it may."""
    if isinstance(address, ipaddress.IPv6Address) and (embedded := _embedded_ipv4(address)):
        return address_refusal(embedded, allow_private)
    if address in _METADATA:
        return "a cloud metadata address"
    if allow_private:
        return None
    if address.is_unspecified or address.is_multicast or address.is_loopback:
        return "not a public address"
    if address.is_private or address.is_link_local or address.is_reserved:
        return "not a public address"
    if not address.is_global:  # CGNAT (100.64.0.0/10) and the rest IANA lists as non-global
        return "not a public address"
    return None


def parse_webhook_url(raw: str, allow_private: bool) -> httpx.URL:
    """The URL if its form is acceptable (scheme, host, no credentials), before any DNS."""
    if len(raw) > MAX_URL_CHARS:
        raise WebhookUrlRefused(f"webhook_url is longer than {MAX_URL_CHARS} characters")
    try:
        url = httpx.URL(raw)
    except httpx.InvalidURL:
        raise WebhookUrlRefused("webhook_url is not a valid URL") from None
    schemes = ("https", "http") if allow_private else ("https",)
    if url.scheme not in schemes or not url.host:
        raise WebhookUrlRefused(
            "webhook_url must be an absolute https:// URL"
            + (" (or http://)" if allow_private else "")
        )
    if url.userinfo:
        raise WebhookUrlRefused("webhook_url must not carry a user name or password")
    if url.fragment:
        raise WebhookUrlRefused("webhook_url must not have a #fragment")
    return url


async def _resolve(host: str, port: int) -> list[IPAddress]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        async with asyncio.timeout(RESOLVE_TIMEOUT_S):
            infos = await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
            )
    except (OSError, UnicodeError, TimeoutError):
        raise WebhookUrlRefused(NOT_PUBLIC) from None
    # The scope of a link-local IPv6 address ("fe80::1%eth0") is dropped: it is refused anyway.
    found = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    return list(dict.fromkeys(found))


async def check_webhook_url(raw: str, allow_private: bool) -> WebhookTarget:
    """The URL and the addresses to connect to; raises WebhookUrlRefused when its form is
    wrong, its host does not resolve, or any of its addresses is refused."""
    url = parse_webhook_url(raw, allow_private)
    addresses = await _resolve(url.host, url.port or (443 if url.scheme == "https" else 80))
    if not addresses or any(address_refusal(a, allow_private) for a in addresses):
        raise WebhookUrlRefused(NOT_PUBLIC)
    return WebhookTarget(url, tuple(addresses))


async def accept_webhook_url(raw: str, secret_configured: bool, allow_private: bool) -> str:
    """A new request's webhook_url, checked; INVALID_ARGUMENT (HTTP 422) when this deployment
    has no WEBHOOK_SECRET (an unsigned event could not be trusted, and a secret made up here
    could not be known to the receiver) or when the URL may not be called."""
    if not secret_configured:
        raise invalid_argument(
            "webhooks_not_configured",
            "this deployment does not send webhooks: WEBHOOK_SECRET is not set",
        )
    try:
        await check_webhook_url(raw, allow_private)
    except WebhookUrlRefused as refused:
        raise invalid_argument("invalid_webhook_url", str(refused)) from None
    return raw
