"""A NUL (U+0000) anywhere text enters the API: 422 (400 for a page token) in the error
format, never a 500 from Postgres refusing to store it."""

from __future__ import annotations

import httpx
import pytest

from tests.gateway.http import assert_error, uploaded_audio
from tests.support import JFK_FLAC, count_rows


async def test_a_nul_in_the_file_name_is_422(api: httpx.AsyncClient, clean_db: str) -> None:
    # Written by hand: httpx would percent-encode the NUL an attacker sends raw.
    body = (
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="note\x00.flac"\r\n'
        b"Content-Type: audio/flac\r\n\r\n" + JFK_FLAC.read_bytes()[:4096] + b"\r\n--b--\r\n"
    )
    headers = {"content-type": "multipart/form-data; boundary=b"}
    response = await api.post("/v1/audio", content=body, headers=headers)
    assert_error(response, 422, "invalid_filename")
    assert count_rows(clean_db, "audio_assets") == 0


async def test_a_nul_in_a_transcript_is_422(api: httpx.AsyncClient, clean_db: str) -> None:
    audio = await uploaded_audio(api, JFK_FLAC.read_bytes())
    body = {"email": "a@example.com", **audio, "transcript": "hello\u0000world"}
    assert_error(await api.post("/v1/requests", json=body), 422, "invalid_transcript")
    assert count_rows(clean_db, "summary_requests") == 0


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("email", "a\u0000@example.com", "invalid_email"),
        ("time_zone", "Europe/Par\u0000is", "invalid_time_zone"),
    ],
)
async def test_a_nul_in_other_fields_is_422(
    api: httpx.AsyncClient, clean_db: str, field: str, value: str, code: str
) -> None:
    audio = await uploaded_audio(api, JFK_FLAC.read_bytes())
    body = {"email": "a@example.com", **audio, field: value}
    assert_error(await api.post("/v1/requests", json=body), 422, code)
    assert count_rows(clean_db, "summary_requests") == 0


async def test_a_nul_in_the_access_token_is_not_found(api: httpx.AsyncClient) -> None:
    response = await api.get(
        "/v1/requests/0b5a5f9e-8a8f-4d0e-9c55-2d9f2b0f9a11",
        headers={"Authorization": "Bearer ab%00cd"},
    )
    assert_error(response, 404, "request_not_found")
