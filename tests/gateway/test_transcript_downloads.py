"""`GET /v1/requests/{id}/transcript.{txt,srt,vtt}`: through the gateway to a real ingest and
Postgres. The transcript is stored as a scheduler stores it (the same SQL functions); the real
Whisper path is in tests/e2e/test_transcript_files.py."""

from __future__ import annotations

import html
import io
import json
from typing import Any

import httpx
import psycopg
import pytest
import srt
import webvtt

from tests.gateway.http import assert_error, bearer, create_request, uploaded_audio
from tests.support import JFK_FLAC

SEGMENTS: list[dict[str, Any]] = [
    {"start": 0.0, "end": 3.2, "text": " And so, my fellow Americans,"},
    {"start": 3.2, "end": 7.5, "text": " ask not what your country can do for you & <me>,"},
    {"start": 7.5, "end": 11.0, "text": " ask what you can do for your country."},
]
TEXT = " ".join(segment["text"].strip() for segment in SEGMENTS)


def store_transcript(
    database_url: str, source: str, segments: list[dict[str, Any]] | None = None
) -> None:
    """Claim every due request and record its transcript as a scheduler does: a raw one as
    given, or a new transcription with `segments`."""
    transcribed = None
    if segments is not None:
        transcribed = json.dumps(
            {
                "text": TEXT,
                "language": "en",
                "segments": segments,
                "model": "tiny.en",
                "no_speech": False,
            }
        )
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute(
            "SELECT record_request_transcript(c.id, c.lease_token, %s, NULL, %s::jsonb)"
            " FROM claim_due_requests(1000, 'test', 60, 1000) AS c",
            [source, transcribed],
        )


async def new_request(api: httpx.AsyncClient, **extra: str) -> dict[str, str]:
    audio = await uploaded_audio(api, JFK_FLAC.read_bytes())
    return await create_request(api, "keep@example.com", audio, **extra)


def url(request: dict[str, str], extension: str) -> str:
    return f"/v1/requests/{request['id']}/transcript.{extension}"


async def test_a_transcribed_note_downloads_as_text_srt_and_vtt(
    api: httpx.AsyncClient, clean_db: str
) -> None:
    request = await new_request(api)
    store_transcript(clean_db, "transcribed", SEGMENTS)

    shown = (await api.get(f"/v1/requests/{request['id']}", headers=bearer(request))).json()
    assert shown["transcript"]["formats"] == ["txt", "srt", "vtt"]

    files = {}
    for extension, media_type in [
        ("txt", "text/plain; charset=utf-8"),
        ("srt", "application/x-subrip; charset=utf-8"),
        ("vtt", "text/vtt; charset=utf-8"),
    ]:
        response = await api.get(url(request, extension), headers=bearer(request))
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == media_type
        assert response.headers["content-disposition"] == (
            f'attachment; filename="transcript.{extension}"'
        )
        assert response.headers["cache-control"] == "no-store"
        files[extension] = response.content.decode()

    assert files["txt"] == TEXT + "\n"
    subtitles = list(srt.parse(files["srt"]))
    assert [s.content for s in subtitles] == [s["text"].strip() for s in SEGMENTS]
    assert [(s.start.total_seconds(), s.end.total_seconds()) for s in subtitles] == [
        (s["start"], s["end"]) for s in SEGMENTS
    ]
    captions = webvtt.from_buffer(io.StringIO(files["vtt"])).captions
    # WebVTT cue text is markup: "&" and "<" arrive escaped and read back as they were said.
    assert [html.unescape(c.text) for c in captions] == [s["text"].strip() for s in SEGMENTS]
    assert "&amp; &lt;me&gt;" in files["vtt"]
    assert [(c.start_time.in_seconds(), c.end_time.in_seconds()) for c in captions] == [
        (0, 3),
        (3, 7),
        (7, 11),
    ]


async def test_a_raw_transcript_downloads_as_text_only(
    api: httpx.AsyncClient, clean_db: str
) -> None:
    typed = "Call the plumber on Monday.\nThen pay the invoice."
    request = await new_request(api, transcript=typed)
    store_transcript(clean_db, "raw")

    shown = (await api.get(f"/v1/requests/{request['id']}", headers=bearer(request))).json()
    assert shown["transcript"]["formats"] == ["txt"]
    text = await api.get(url(request, "txt"), headers=bearer(request))
    assert text.status_code == 200
    assert text.text == typed + "\n"
    for extension in ("srt", "vtt"):
        response = await api.get(url(request, extension), headers=bearer(request))
        assert_error(response, 404, "transcript_format_unavailable")


async def test_no_transcript_yet_is_404_in_the_error_format(api: httpx.AsyncClient) -> None:
    request = await new_request(api)

    shown = (await api.get(f"/v1/requests/{request['id']}", headers=bearer(request))).json()
    assert shown["transcript"] is None
    for extension in ("txt", "srt", "vtt"):
        response = await api.get(url(request, extension), headers=bearer(request))
        assert_error(response, 404, "transcript_not_ready")


async def test_downloads_need_the_requests_own_token(api: httpx.AsyncClient, clean_db: str) -> None:
    mine = await new_request(api)
    other = await new_request(api)
    store_transcript(clean_db, "transcribed", SEGMENTS)

    for extension in ("txt", "srt", "vtt"):
        path = url(mine, extension)
        assert_error(await api.get(path), 401, "unauthenticated")
        wrong = {"Authorization": "Bearer " + "A" * 43}
        assert_error(await api.get(path, headers=wrong), 404, "request_not_found")
        # Another request's valid token opens that request only: the same 404 as a wrong one.
        assert_error(await api.get(path, headers=bearer(other)), 404, "request_not_found")
        assert (await api.get(path, headers=bearer(mine))).status_code == 200


async def test_a_deleted_request_has_no_transcript_to_download(
    api: httpx.AsyncClient, clean_db: str
) -> None:
    request = await new_request(api)
    store_transcript(clean_db, "transcribed", SEGMENTS)
    deleted = await api.delete(f"/v1/requests/{request['id']}", headers=bearer(request))
    assert deleted.status_code == 204

    response = await api.get(url(request, "srt"), headers=bearer(request))

    assert_error(response, 404, "request_not_found")


@pytest.mark.parametrize("extension", ["pdf", "SRT", "txt.exe"])
async def test_other_formats_are_refused(api: httpx.AsyncClient, extension: str) -> None:
    request = await new_request(api)

    response = await api.get(url(request, extension), headers=bearer(request))

    assert_error(response, 422, "validation_error")
