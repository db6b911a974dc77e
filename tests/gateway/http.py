"""HTTP helpers for the gateway tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from fastapi import FastAPI


async def client_for(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A client talking to the app in process, with its lifespan (gRPC channel) running."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            yield client


def assert_error(response: httpx.Response, status: int, code: str) -> None:
    """The response is an error in the API's one format, with this status and code."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    assert body["error"]["request_id"] == response.headers["x-request-id"]


async def upload(api: httpx.AsyncClient, data: bytes, name: str = "note.flac") -> httpx.Response:
    return await api.post("/v1/audio", files={"file": (name, data, "audio/flac")})


async def uploaded_audio(api: httpx.AsyncClient, data: bytes) -> dict[str, str]:
    """Upload `data`; its `audio_id` and `upload_token`, as POST /v1/requests takes them."""
    response = await upload(api, data)
    assert response.status_code == 201, response.text
    return {key: response.json()[key] for key in ("audio_id", "upload_token")}


async def create_request(
    api: httpx.AsyncClient, email: str, audio: dict[str, str], **extra: str
) -> dict[str, str]:
    """Create a request for `audio` (from `uploaded_audio`); the answer has `access_token`."""
    response = await api.post("/v1/requests", json={"email": email, **audio, **extra})
    assert response.status_code == 201, response.text
    body: dict[str, str] = response.json()
    return body


def bearer(created: dict[str, str]) -> dict[str, str]:
    """The header that carries a created request's capability."""
    return {"Authorization": f"Bearer {created['access_token']}"}
