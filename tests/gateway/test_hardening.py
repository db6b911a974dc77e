"""The public door's defences: rate limits, body limits, security headers, strict config."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import SecretStr, ValidationError

from gateway.app import create_app
from gateway.config import GatewaySettings
from gateway.rate_limit import TokenBucketLimiter
from tests.gateway.http import assert_error, client_for, upload
from tests.support import JFK_FLAC, TEST_TOKEN


@pytest.fixture
async def strict_api(ingest_addr: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = GatewaySettings(
        ingest_addr=ingest_addr,
        internal_auth_token=SecretStr(TEST_TOKEN),
        rate_limit_uploads_per_minute=1,
        rate_limit_uploads_burst=2,
        rate_limit_requests_per_minute=6,
        rate_limit_requests_burst=1,
        rate_limit_reads_per_minute=6,
        rate_limit_reads_burst=3,
        max_json_body_bytes=2048,
    )
    async for client in client_for(create_app(settings)):
        yield client


def test_token_bucket_allows_a_burst_then_the_steady_rate() -> None:
    limiter = TokenBucketLimiter(per_minute=60, burst=3)
    assert [limiter.take("a", now=0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.take("a", now=0.0) == pytest.approx(1.0)
    assert limiter.take("b", now=0.0) == 0.0  # other clients have their own bucket
    assert limiter.take("a", now=1.0) == 0.0  # one token back after a second


def test_token_bucket_memory_is_bounded() -> None:
    limiter = TokenBucketLimiter(per_minute=60, burst=1, max_keys=100)
    for client in range(1_000):
        limiter.take(str(client), now=0.0)
    assert len(limiter) == 100
    # The least recently seen went first: the latest client is still held to its limit.
    assert limiter.take("999", now=0.0) > 0
    assert limiter.take("0", now=0.0) == 0.0


async def test_uploads_are_rate_limited_with_retry_after(strict_api: httpx.AsyncClient) -> None:
    data = JFK_FLAC.read_bytes()
    assert (await upload(strict_api, data)).status_code == 201
    assert (await upload(strict_api, data)).status_code == 201
    limited = await upload(strict_api, data)
    assert_error(limited, 429, "rate_limited")
    assert int(limited.headers["retry-after"]) >= 1


async def test_the_frontend_may_read_retry_after(strict_api: httpx.AsyncClient) -> None:
    """A browser hides headers CORS does not expose: the UI's upload retry must see it."""
    origin = {"Origin": "http://localhost:3000"}
    files = {"file": ("note.flac", JFK_FLAC.read_bytes(), "audio/flac")}
    for _ in range(2):
        assert (await strict_api.post("/v1/audio", files=files, headers=origin)).status_code == 201
    limited = await strict_api.post("/v1/audio", files=files, headers=origin)
    assert limited.status_code == 429
    assert limited.headers["access-control-allow-origin"] == "http://localhost:3000"
    exposed = limited.headers["access-control-expose-headers"].lower().split(",")
    assert "retry-after" in [name.strip() for name in exposed]


async def test_request_creation_is_rate_limited(strict_api: httpx.AsyncClient) -> None:
    body = {
        "email": "a@example.com",
        "audio_id": "0b5a5f9e-8a8f-4d0e-9c55-2d9f2b0f9a11",
        "upload_token": "A" * 43,
    }
    assert (await strict_api.post("/v1/requests", json=body)).status_code == 403
    limited = await strict_api.post("/v1/requests", json=body)
    assert_error(limited, 429, "rate_limited")
    assert limited.headers["retry-after"] == "10"
    # Reads have their own budget.
    assert (await strict_api.get("/healthz")).status_code == 200


async def test_reads_and_unknown_paths_are_rate_limited(strict_api: httpx.AsyncClient) -> None:
    for path in ("/healthz", "/v1/requests/0b5a5f9e-8a8f-4d0e-9c55-2d9f2b0f9a11", "/wp-login.php"):
        assert (await strict_api.get(path)).status_code != 429
    limited = await strict_api.get("/healthz")
    assert_error(limited, 429, "rate_limited")
    assert limited.headers["retry-after"] == "10"
    assert limited.headers["x-content-type-options"] == "nosniff"


async def test_json_bodies_over_the_limit_are_413(strict_api: httpx.AsyncClient) -> None:
    big = {"email": "a@example.com", "audio_id": "x", "transcript": "words " * 1000}
    assert_error(await strict_api.post("/v1/requests", json=big), 413, "payload_too_large")

    async def undeclared() -> AsyncIterator[bytes]:
        yield b'{"email": "a@example.com", "transcript": "'
        for _ in range(10):
            yield b"x" * 512
        yield b'"}'

    response = await strict_api.post(
        "/v1/requests", content=undeclared(), headers={"content-type": "application/json"}
    )
    assert_error(response, 413, "payload_too_large")


async def test_security_headers(api: httpx.AsyncClient) -> None:
    response = await api.get("/healthz")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    error = await api.get("/v1/requests/0b5a5f9e-8a8f-4d0e-9c55-2d9f2b0f9a11")
    assert error.headers["x-content-type-options"] == "nosniff"
    # Swagger UI needs its scripts: no CSP on the docs.
    assert "content-security-policy" not in (await api.get("/docs")).headers


def test_wildcard_cors_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORS_ORIGINS", "https://app.example.com, *")
    with pytest.raises(ValidationError, match="explicitly"):
        GatewaySettings()
    monkeypatch.setenv("CORS_ORIGINS", "https://app.example.com,https://www.example.com")
    assert GatewaySettings().cors_origins == ["https://app.example.com", "https://www.example.com"]
