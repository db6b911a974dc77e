"""A request's vocabulary and language, and GET /v1/config, through the gateway in process in
front of real ingest and transcription services (the bundled, English-only tiny.en)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from gateway.app import create_app
from gateway.config import GatewaySettings
from tests.gateway.conftest import UPLOAD_LIMIT
from tests.gateway.http import assert_error, bearer, client_for, uploaded_audio
from tests.support import JFK_FLAC, TEST_TOKEN, running
from transcribe_svc.app import TranscribeApp
from transcribe_svc.config import TranscribeSettings


@pytest.fixture(scope="module")
async def transcribe_addr() -> AsyncIterator[str]:
    async with running(TranscribeApp(TranscribeSettings())) as address:
        yield address


@pytest.fixture
async def api(ingest_addr: str, transcribe_addr: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(
        GatewaySettings(
            ingest_addr=ingest_addr,
            transcribe_addr=transcribe_addr,
            max_upload_bytes=UPLOAD_LIMIT,
            internal_auth_token=SecretStr(TEST_TOKEN),
        )
    )
    async for client in client_for(app):
        yield client


async def create(api: httpx.AsyncClient, **fields: Any) -> httpx.Response:
    audio = await uploaded_audio(api, JFK_FLAC.read_bytes())
    return await api.post("/v1/requests", json={"email": "ana@example.com", **audio, **fields})


async def test_the_vocabulary_is_normalised_stored_and_shown(api: httpx.AsyncClient) -> None:
    created = await create(
        api, vocabulary=["  ComfyUI ", "comfyui", "", "   ", "Ana   Lopez", "Kubernetes"]
    )
    assert created.status_code == 201, created.text
    assert created.json()["vocabulary"] == ["ComfyUI", "Ana Lopez", "Kubernetes"]
    assert created.json()["language"] == "auto"

    shown = await api.get(f"/v1/requests/{created.json()['id']}", headers=bearer(created.json()))
    assert shown.json()["vocabulary"] == ["ComfyUI", "Ana Lopez", "Kubernetes"]


async def test_without_vocabulary_a_request_has_an_empty_one(api: httpx.AsyncClient) -> None:
    created = await create(api)
    assert created.json()["vocabulary"] == []
    assert created.json()["language"] == "auto"


@pytest.mark.parametrize(
    "vocabulary",
    [
        [f"term {number}" for number in range(51)],
        ["x" * 51],
        ["line\nbreak"],
        ["tab\there"],
        ["nul\u0000"],
        ["c1 control\u0085"],
        "ComfyUI",
        [42],
    ],
    ids=[
        "51-terms",
        "51-chars",
        "line-break",
        "tab",
        "nul",
        "c1-control",
        "not-a-list",
        "not-text",
    ],
)
async def test_a_vocabulary_breaking_the_rules_is_refused(
    api: httpx.AsyncClient, vocabulary: Any, clean_db: str
) -> None:
    assert_error(await create(api, vocabulary=vocabulary), 422, "invalid_vocabulary")


async def test_fifty_terms_of_fifty_characters_are_taken(api: httpx.AsyncClient) -> None:
    vocabulary = [f"{number:02d}" + "x" * 48 for number in range(50)]
    created = await create(api, vocabulary=vocabulary)
    assert created.status_code == 201, created.text
    assert created.json()["vocabulary"] == vocabulary


@pytest.mark.parametrize("language", ["EN", "english", "e", "", "en-US", "auto "])
async def test_a_language_that_is_not_a_code_is_refused(
    api: httpx.AsyncClient, language: str
) -> None:
    assert_error(await create(api, language=language), 422, "invalid_language")


async def test_an_english_only_model_refuses_another_language(api: httpx.AsyncClient) -> None:
    refused = await create(api, language="de")
    assert_error(refused, 422, "language_unsupported")
    message = refused.json()["error"]["message"]
    assert "tiny.en" in message
    assert "WHISPER_MODEL" in message

    english = await create(api, language="en")
    assert english.status_code == 201, english.text
    assert english.json()["language"] == "en"


async def test_a_transcript_given_in_another_language_is_not_checked_against_the_model(
    api: httpx.AsyncClient,
) -> None:
    created = await create(api, language="de", transcript="Wir treffen uns am Montag.")
    assert created.status_code == 201, created.text
    assert created.json()["language"] == "de"


async def test_config_says_what_the_deployment_offers(api: httpx.AsyncClient) -> None:
    response = await api.get("/v1/config")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "model": "tiny.en",
        "multilingual": False,
        "languages": ["en"],
        "max_upload_bytes": UPLOAD_LIMIT,
        "max_recording_s": TranscribeSettings().transcribe_max_audio_s,
        # The gateway tests' ingest runs without double opt-in (tests/gateway/conftest.py).
        "recipient_confirmation_required": False,
        "vocabulary": {"max_terms": 50, "max_term_chars": 50},
    }


async def test_config_without_a_transcription_service_is_503(ingest_addr: str) -> None:
    app = create_app(
        GatewaySettings(
            ingest_addr=ingest_addr,
            transcribe_addr="127.0.0.1:9",  # nothing listens on the discard port
            rpc_timeout_s=2,
            internal_auth_token=SecretStr(TEST_TOKEN),
        )
    )
    async for client in client_for(app):
        response = await client.get("/v1/config")
        assert response.status_code == 503, response.text
        assert "127.0.0.1" not in response.text
