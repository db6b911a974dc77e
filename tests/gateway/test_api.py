"""The HTTP API in process, in front of a real ingest service over gRPC."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from gateway.app import create_app
from gateway.config import GatewaySettings
from tests.gateway.http import assert_error, bearer, client_for, upload, uploaded_audio
from tests.support import JFK_FLAC, count_rows

REQUEST_ID = "test-request-42"


async def test_upload_then_create_and_get_a_request(api: httpx.AsyncClient) -> None:
    uploaded = await upload(api, JFK_FLAC.read_bytes())
    assert uploaded.status_code == 201, uploaded.text
    audio = uploaded.json()
    assert audio["content_type"] == "audio/flac"
    assert audio["size_bytes"] == JFK_FLAC.stat().st_size

    paris = timezone(timedelta(hours=1))
    send_at = (datetime.now(paris) + timedelta(days=30)).replace(microsecond=0)
    created = await api.post(
        "/v1/requests",
        json={
            "email": "ana@example.com",
            "audio_id": audio["audio_id"],
            "upload_token": audio["upload_token"],
            "send_at": send_at.isoformat(),
        },
    )
    assert created.status_code == 201, created.text
    request = created.json()
    assert request["status"] == "pending"
    assert datetime.fromisoformat(request["send_at"]) == send_at
    assert request["send_at"].endswith("Z")

    assert len(request["access_token"]) == 43
    assert_error(await api.get(f"/v1/requests/{request['id']}"), 401, "unauthenticated")
    fetched = await api.get(f"/v1/requests/{request['id']}", headers=bearer(request))
    assert fetched.status_code == 200
    assert fetched.json()["id"] == request["id"]
    assert fetched.json()["transcript"] is None


async def test_request_id_is_echoed(api: httpx.AsyncClient) -> None:
    response = await api.get("/healthz", headers={"X-Request-ID": REQUEST_ID})
    assert response.headers["x-request-id"] == REQUEST_ID
    generated = await api.get("/healthz")
    assert len(generated.headers["x-request-id"]) == 32


async def test_not_audio_is_415(api: httpx.AsyncClient, clean_db: str) -> None:
    assert_error(
        await upload(api, b"%PDF-1.7 not audio at all", "doc.pdf"), 415, "unsupported_media_type"
    )
    assert count_rows(clean_db, "audio_assets") == 0


async def test_upload_over_the_limit_is_413_with_or_without_content_length(
    api: httpx.AsyncClient, clean_db: str
) -> None:
    too_big = b"fLaC" + b"\0" * (3 * 2**20)
    assert_error(await upload(api, too_big), 413, "payload_too_large")

    async def chunked_body() -> AsyncIterator[bytes]:
        # No Content-Length: the limit is enforced while streaming.
        boundary = b"XyZ"
        yield b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.flac"\r\n\r\n'
        for _ in range(48):
            yield b"fLaC" + b"\0" * 65_532
        yield b"\r\n--" + boundary + b"--\r\n"

    response = await api.post(
        "/v1/audio",
        content=chunked_body(),
        headers={"content-type": "multipart/form-data; boundary=XyZ"},
    )
    assert_error(response, 413, "payload_too_large")
    assert count_rows(clean_db, "audio_assets") == 0


async def test_upload_without_a_file_field(api: httpx.AsyncClient) -> None:
    assert_error(
        await api.post("/v1/audio", data={"other": "x"}, files={"x": ("a", b"b")}),
        422,
        "missing_file",
    )
    assert_error(await api.post("/v1/audio", json={"file": "no"}), 415, "unsupported_media_type")


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (
            {
                "email": "a@example.com",
                "audio_id": "0b5a5f9e-8a8f-4d0e-9c55-2d9f2b0f9a11",
                "upload_token": "A" * 43,
            },
            403,
            "upload_token_invalid",
        ),
        (
            {"email": "a@example.com", "audio_id": "0b5a5f9e-8a8f-4d0e-9c55-2d9f2b0f9a11"},
            422,
            "validation_error",
        ),
        ({"email": "a@example.com"}, 422, "validation_error"),
        ({"email": "a@example.com", "audio_id": "not-a-uuid"}, 422, "validation_error"),
        (
            {
                "email": "a@example.com",
                "audio_id": "0b5a5f9e-8a8f-4d0e-9c55-2d9f2b0f9a11",
                "send_at": "2030-01-01T09:00:00",
            },
            422,
            "validation_error",
        ),
        (
            {
                "email": "a@example.com",
                "audio_id": "0b5a5f9e-8a8f-4d0e-9c55-2d9f2b0f9a11",
                "colour": "red",
            },
            422,
            "validation_error",
        ),
    ],
)
async def test_bad_request_bodies(
    api: httpx.AsyncClient, body: dict[str, str], status: int, code: str
) -> None:
    assert_error(await api.post("/v1/requests", json=body), status, code)


async def test_invalid_email_is_422(api: httpx.AsyncClient, clean_db: str) -> None:
    audio = await uploaded_audio(api, JFK_FLAC.read_bytes())
    response = await api.post("/v1/requests", json={"email": "nope", **audio})
    assert_error(response, 422, "invalid_email")
    assert count_rows(clean_db, "summary_requests") == 0


async def test_malformed_json_unknown_routes_and_methods(api: httpx.AsyncClient) -> None:
    malformed = await api.post(
        "/v1/requests", content=b"{nope", headers={"content-type": "application/json"}
    )
    assert_error(malformed, 400, "malformed_json")
    assert_error(await api.get("/v1/nothing"), 404, "not_found")
    assert_error(await api.delete("/v1/audio"), 405, "method_not_allowed")
    unknown = "/v1/requests/0b5a5f9e-8a8f-4d0e-9c55-2d9f2b0f9a11"
    assert_error(await api.get(unknown), 401, "unauthenticated")
    assert_error(
        await api.get(unknown, headers={"Authorization": "Bearer " + "A" * 43}),
        404,
        "request_not_found",
    )


async def test_cors_preflight_lets_the_frontend_send_a_capability(api: httpx.AsyncClient) -> None:
    response = await api.options(
        "/v1/requests/0b5a5f9e-8a8f-4d0e-9c55-2d9f2b0f9a11",
        headers={
            "Origin": "http://localhost:3000",
            "Access-Control-Request-Method": "DELETE",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert response.status_code == 200, response.text
    assert "DELETE" in response.headers["access-control-allow-methods"]
    assert "authorization" in response.headers["access-control-allow-headers"].lower()


async def test_cors_preflight_allows_the_configured_origin(api: httpx.AsyncClient) -> None:
    response = await api.options(
        "/v1/requests",
        headers={"Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST"},
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "http://localhost:3000"
    denied = await api.options(
        "/v1/requests",
        headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in denied.headers


async def test_docs_and_schema(api: httpx.AsyncClient) -> None:
    assert (await api.get("/docs")).status_code == 200
    schema = (await api.get("/openapi.json")).json()
    assert {"/v1/audio", "/v1/requests", "/v1/requests/{request_id}"} <= set(schema["paths"])


async def test_readyz_is_503_when_ingest_is_down() -> None:
    app = create_app(GatewaySettings(ingest_addr="127.0.0.1:9", rpc_timeout_s=1))
    async for client in client_for(app):
        assert_error(await client.get("/readyz"), 503, "not_ready")
        assert (await client.get("/healthz")).status_code == 200
