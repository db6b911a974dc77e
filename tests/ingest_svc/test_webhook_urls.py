"""The decisions behind webhooks, without a network: which addresses and URLs may be called,
the retry schedule, and the secret's format."""

from __future__ import annotations

import base64
import ipaddress

import pytest
from pydantic import SecretStr, ValidationError

from ingest_svc.config import IngestSettings
from ingest_svc.webhook_urls import (
    WebhookUrlRefused,
    address_refusal,
    check_webhook_url,
    parse_webhook_url,
)
from ingest_svc.webhooks import MAX_RETRY_DELAY_S, retry_delay
from voice_core.settings import describe_validation_error

REFUSED = [
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.1.1", "100.64.0.1",
    "0.0.0.0", "255.255.255.255",  # noqa: S104 "224.0.0.1", "192.0.2.1", "198.18.0.1", "240.0.0.1",
    "::1", "::", "fe80::1", "fc00::1", "ff02::1", "2001:db8::1",
    "::ffff:127.0.0.1", "2002:7f00:1::", "64:ff9b::a00:1",
]  # fmt: skip
METADATA = ["169.254.169.254", "168.63.129.16", "100.100.100.200", "fd00:ec2::254"]
PUBLIC = ["8.8.8.8", "93.184.215.14", "2001:4860:4860::8888", "::ffff:8.8.8.8"]


@pytest.mark.parametrize("address", REFUSED)
def test_non_public_addresses_are_refused_unless_private_ones_are_allowed(address: str) -> None:
    assert address_refusal(ipaddress.ip_address(address), allow_private=False)
    assert address_refusal(ipaddress.ip_address(address), allow_private=True) is None


@pytest.mark.parametrize("address", METADATA)
def test_cloud_metadata_addresses_are_always_refused(address: str) -> None:
    assert address_refusal(ipaddress.ip_address(address), allow_private=True)


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_taken(address: str) -> None:
    assert address_refusal(ipaddress.ip_address(address), allow_private=False) is None


@pytest.mark.parametrize(
    ("url", "allow_private"),
    [
        ("http://93.184.215.14/", False),
        ("https://user:pw@example.com/", False),
        ("https://example.com/#frag", False),
        ("https:///nohost", False),
        ("ws://example.com/", True),
        ("https://" + "a" * 2048 + ".com/", False),
    ],
)
def test_urls_of_the_wrong_form_are_refused(url: str, allow_private: bool) -> None:
    with pytest.raises(WebhookUrlRefused):
        parse_webhook_url(url, allow_private)


async def test_a_name_resolving_to_loopback_is_refused_but_allowed_for_local_use() -> None:
    with pytest.raises(WebhookUrlRefused, match="public"):
        await check_webhook_url("https://localhost/hook", allow_private=False)
    checked = await check_webhook_url("http://localhost:8080/hook", allow_private=True)
    assert ipaddress.ip_address("127.0.0.1") in checked.addresses


async def test_an_address_literal_needs_no_dns() -> None:
    checked = await check_webhook_url("https://[2001:4860:4860::8888]:8443/x", False)
    assert checked.addresses == (ipaddress.ip_address("2001:4860:4860::8888"),)


def test_retries_double_up_to_a_cap_and_last_at_least_a_day() -> None:
    elapsed, delays = 0.0, list[float]()
    while delay := retry_delay(len(delays) + 1, 30.0, elapsed, 24 * 3600.0, lambda: 0.5):
        delays.append(delay)
        elapsed += delay
    assert delays[:4] == [30.0, 60.0, 120.0, 240.0]
    assert max(delays) == MAX_RETRY_DELAY_S
    # The attempt after the last delay comes a day or more after the first.
    assert elapsed >= 24 * 3600
    assert len(delays) + 1 <= 16


def test_jitter_stays_within_ten_percent() -> None:
    assert retry_delay(1, 100.0, 0, 10, lambda: 0.0) == pytest.approx(90.0)
    assert retry_delay(1, 100.0, 0, 10, lambda: 1.0) == pytest.approx(110.0)


@pytest.mark.parametrize(
    "secret",
    [
        "not-a-secret",
        "whsec_",
        "whsec_!!!!",
        "whsec_" + base64.b64encode(b"short").decode(),
        "whsec_" + base64.b64encode(b"x" * 65).decode(),
    ],
)
def test_a_malformed_secret_stops_the_service_at_start(
    secret: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WEBHOOK_SECRET", secret)
    with pytest.raises(ValidationError) as refused:
        IngestSettings(database_url=SecretStr("postgresql://x"))
    # What the service prints as it stops (load_settings): the variable, never its value.
    printed = describe_validation_error(refused.value)
    assert printed.startswith("  WEBHOOK_SECRET: Value error, must be whsec_")
    key = secret.removeprefix("whsec_")
    assert not key or key not in printed


def test_a_well_formed_secret_is_taken() -> None:
    secret = "whsec_" + base64.b64encode(b"k" * 32).decode()
    settings = IngestSettings(
        database_url=SecretStr("postgresql://x"), webhook_secret=SecretStr(secret)
    )
    assert settings.webhook_secret is not None
