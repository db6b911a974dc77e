"""A NUL (U+0000) anywhere text enters the API: 422 (400 for a page token) in the error
format, never a 500 from Postgres refusing to store it."""

from __future__ import annotations

import httpx
import pytest

from tests.gateway.http import assert_error, upload
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
    audio_id = (await upload(api, JFK_FLAC.read_bytes())).json()["audio_id"]
    body = {"email": "a@example.com", "audio_id": audio_id, "transcript": "hello\u0000world"}
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
    audio_id = (await upload(api, JFK_FLAC.read_bytes())).json()["audio_id"]
    body = {"email": "a@example.com", "audio_id": audio_id, field: value}
    assert_error(await api.post("/v1/requests", json=body), 422, code)
    assert count_rows(clean_db, "summary_requests") == 0


async def test_a_nul_in_query_parameters_is_refused(api: httpx.AsyncClient) -> None:
    listed = await api.get("/v1/requests", params={"email": "a\u0000@example.com"})
    assert_error(listed, 422, "invalid_email")
    paged = await api.get(
        "/v1/requests", params={"email": "a@example.com", "page_token": "ab\u0000cd"}
    )
    assert_error(paged, 400, "invalid_page_token")
