"""Whom a limit counts against: parsed addresses, IPv6 by /64, one key per mailbox."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from gateway.abuse_limits import limit_for
from gateway.client_keys import UNPARSEABLE_CLIENT, client_key, recipient_key
from gateway.config import GatewaySettings


def test_ipv4_addresses_are_their_own_key() -> None:
    assert client_key("203.0.113.7") == "203.0.113.7"
    assert client_key("203.0.113.8") != client_key("203.0.113.7")


def test_ipv6_addresses_count_as_their_64() -> None:
    assert client_key("2001:db8:1:2::1") == "2001:db8:1:2::/64"
    assert client_key("2001:DB8:1:2:ffff:ffff:ffff:ffff") == "2001:db8:1:2::/64"
    assert client_key("2001:0db8:0001:0002:0000:0000:0000:0009") == "2001:db8:1:2::/64"
    assert client_key("2001:db8:1:3::1") != client_key("2001:db8:1:2::1")


def test_ipv4_mapped_ipv6_is_the_ipv4_client() -> None:
    assert client_key("::ffff:203.0.113.7") == "203.0.113.7"


@pytest.mark.parametrize("host", [None, "", "unknown", "203.0.113.7:80", "a" * 300])
def test_what_is_not_an_address_shares_one_key(host: str | None) -> None:
    assert client_key(host) == UNPARSEABLE_CLIENT


def test_one_mailbox_one_recipient_key() -> None:
    key = recipient_key("victim@example.com")
    for spelling in ("Victim@Example.COM", " victim+1@example.com", "VICTIM+x+y@example.com"):
        assert recipient_key(spelling) == key
    assert recipient_key("other@example.com") != key


def test_each_call_has_a_per_client_limit() -> None:
    assert limit_for("GET", "/v1/requests/x") == "reads"
    assert limit_for("OPTIONS", "/v1/audio") == "reads"
    assert limit_for("POST", "/v1/audio") == "uploads"
    assert limit_for("POST", "/v1/requests") == "requests"
    assert limit_for("DELETE", "/v1/requests/x") == "requests"
    assert limit_for("PUT", "/anything") == "requests"


def test_trusted_proxies_are_parsed_and_none_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    assert GatewaySettings().forwarded_allow_ips == []
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.244.0.0/16, 127.0.0.1,::1")
    assert GatewaySettings().forwarded_allow_ips == ["10.244.0.0/16", "127.0.0.1/32", "::1/128"]


@pytest.mark.parametrize("value", ["*", "10.0.0.0/8,*", "10.0.0.300", "ingress"])
def test_a_wildcard_or_a_typo_in_trusted_proxies_stops_the_gateway(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", value)
    with pytest.raises(ValidationError, match="forwarded_allow_ips"):
        GatewaySettings()


def test_rate_limits_are_on_or_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RATE_LIMITS", raising=False)
    assert GatewaySettings().rate_limits == "on"
    monkeypatch.setenv("RATE_LIMITS", "maybe")
    with pytest.raises(ValidationError, match="rate_limits"):
        GatewaySettings()
