"""What the public reads when something fails behind the gateway: fixed sentences, never a
host, a setting or a token; the details go to the log."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import SecretStr

from gateway.app import create_app
from gateway.config import GatewaySettings
from tests.gateway.http import assert_error, client_for
from voice_core import capabilities
from voice_core.public_errors import GENERAL_FAILURE, public_message

REQUEST = "/v1/requests/0b5a5f9e-8a8f-4d0e-9c55-2d9f2b0f9a11"


@pytest.fixture
async def misconfigured(ingest_addr: str) -> AsyncIterator[httpx.AsyncClient]:
    """A gateway whose internal token ingest refuses (a botched rotation)."""
    settings = GatewaySettings(
        ingest_addr=ingest_addr, internal_auth_token=SecretStr("not-the-token")
    )
    async for client in client_for(create_app(settings)):
        yield client


async def test_a_refused_internal_token_is_our_fault_and_names_no_setting(
    misconfigured: httpx.AsyncClient,
) -> None:
    response = await misconfigured.get(REQUEST, headers={"Authorization": "Bearer " + "A" * 43})

    assert_error(response, 503, "service_unavailable")
    assert response.json()["error"]["message"] == public_message("service_unavailable")
    for internal in ("INTERNAL_AUTH_TOKEN", "auth token", "unauthenticated"):
        assert internal not in response.text


def test_every_code_has_one_sentence_and_unknown_codes_a_general_one() -> None:
    assert public_message("no_speech").startswith("No speech was found")
    assert public_message("recipient_rejected") != GENERAL_FAILURE
    assert public_message("a_code_nobody_wrote_down") == GENERAL_FAILURE


def test_a_token_matches_only_itself_and_only_in_its_shape() -> None:
    token = capabilities.new_token()
    stored = [capabilities.token_hash(capabilities.new_token()), capabilities.token_hash(token)]
    assert len(token) == 43
    assert capabilities.matches(token, stored)
    assert not capabilities.matches(capabilities.new_token(), stored)
    assert not capabilities.matches(token, [None])
    assert not capabilities.matches(token[:-1], [capabilities.token_hash(token[:-1])])
