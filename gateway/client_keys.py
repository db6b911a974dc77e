"""Who a limit counts against: a client's network, or a recipient's mailbox.

A client is its IP address as the socket (or a trusted proxy, see `FORWARDED_ALLOW_IPS`) tells
it, parsed rather than compared as text: one host can write its address many ways. An IPv6
client counts as its /64, the block one subscriber gets, since anyone can pick any of its
2^64 addresses for each request.
"""

from __future__ import annotations

import ipaddress

IPV6_CLIENT_PREFIX = 64
# Peers we cannot parse (a Unix socket, a proxy that sends "unknown") share one bucket: they
# are limited together rather than not at all.
UNPARSEABLE_CLIENT = "unparseable"


def client_key(host: str | None) -> str:
    """`203.0.113.7`, or `2001:db8:1:2::/64` for any address in that /64."""
    try:
        address = ipaddress.ip_address(host or "")
    except ValueError:
        return UNPARSEABLE_CLIENT
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        network = ipaddress.IPv6Network((address, IPV6_CLIENT_PREFIX), strict=False)
        return str(network)
    return str(address)


def recipient_key(email: str) -> str:
    """One mailbox however it is spelt: case folded, and `+tag` sub-addresses dropped, so
    that `Victim+1@Example.com` and `victim+2@example.com` share the victim's limit."""
    local, _, domain = email.strip().rpartition("@")
    return f"{local.split('+', 1)[0].casefold()}@{domain.casefold()}"
