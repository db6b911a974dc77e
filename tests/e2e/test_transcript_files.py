"""Transcripts to keep, end to end: a real note transcribed by real Whisper comes back as
`.txt`, `.srt` and `.vtt`, attached to its email and downloadable with its token; a typed
transcript as `.txt` only."""

from __future__ import annotations

import email.message
import html
import io
from itertools import pairwise
from typing import Any

import httpx
import srt
import webvtt

from devstack.stack import Stack
from tests.e2e.conftest import bearer, request_body, upload, wait_until_done
from tests.e2e.test_voice_note_flow import JFK_PHRASE, LONGER_NOTE, emails_to, normalized
from tests.support import JFK_FLAC

JFK_SECONDS = 11.0
FORMATS = ["txt", "srt", "vtt"]


def download(api: httpx.Client, created: dict[str, Any], extension: str) -> httpx.Response:
    return api.get(f"/v1/requests/{created['id']}/transcript.{extension}", headers=bearer(created))


def attachments(message: email.message.EmailMessage) -> dict[str, bytes]:
    files = {}
    for part in message.iter_attachments():
        content = part.get_payload(decode=True)
        assert isinstance(content, bytes)
        files[str(part.get_filename())] = content
    return files


def assert_timed_in_order(spans: list[tuple[float, float]]) -> None:
    """Each cue ends after it starts, each starts no earlier than the one before, all within
    the recording."""
    assert spans, "no cues"
    for start, end in spans:
        assert 0 <= start < end <= JFK_SECONDS + 0.5, spans
    starts = [start for start, _ in spans]
    assert starts == sorted(starts), spans
    assert all(a_end <= b_start + 0.001 for (_, a_end), (b_start, _) in pairwise(spans))


def test_a_transcribed_note_gives_srt_and_vtt_with_increasing_timestamps(
    stack: Stack, api: httpx.Client
) -> None:
    created = api.post("/v1/requests", json=request_body(upload(api, JFK_FLAC), "keep@example.com"))
    assert created.status_code == 201, created.text
    done = wait_until_done(api, created.json())
    assert done["status"] == "sent", done
    assert done["transcript"]["formats"] == FORMATS

    files = {}
    for extension in FORMATS:
        response = download(api, created.json(), extension)
        assert response.status_code == 200, response.text
        assert response.headers["content-disposition"] == (
            f'attachment; filename="transcript.{extension}"'
        )
        files[f"transcript.{extension}"] = response.content

    assert files["transcript.txt"].decode() == done["transcript"]["text"].strip() + "\n"
    subtitles = list(srt.parse(files["transcript.srt"].decode()))
    assert_timed_in_order([(s.start.total_seconds(), s.end.total_seconds()) for s in subtitles])
    assert JFK_PHRASE in normalized(" ".join(s.content for s in subtitles))
    captions = webvtt.from_buffer(io.StringIO(files["transcript.vtt"].decode())).captions
    assert_timed_in_order([(c.start_in_seconds, c.end_in_seconds) for c in captions])
    assert [html.unescape(c.text) for c in captions] == [s.content for s in subtitles]
    # The email carries the very files the status page downloads.
    [message] = emails_to(stack.outbox_dir, "keep@example.com")
    assert attachments(message) == files


def test_a_typed_transcript_gives_txt_only(stack: Stack, api: httpx.Client) -> None:
    body = request_body(upload(api, JFK_FLAC), "typed@example.com", transcript=LONGER_NOTE)
    created = api.post("/v1/requests", json=body).json()
    done = wait_until_done(api, created)
    assert done["status"] == "sent", done
    assert done["transcript"]["formats"] == ["txt"]

    assert download(api, created, "txt").text == LONGER_NOTE + "\n"
    for extension in ("srt", "vtt"):
        refused = download(api, created, extension)
        assert refused.status_code == 404
        assert refused.json()["error"]["code"] == "transcript_format_unavailable"
    [message] = emails_to(stack.outbox_dir, "typed@example.com")
    assert attachments(message) == {"transcript.txt": (LONGER_NOTE + "\n").encode()}


def test_downloads_refuse_a_missing_wrong_or_foreign_token(stack: Stack, api: httpx.Client) -> None:
    audio = upload(api, JFK_FLAC)
    mine = api.post("/v1/requests", json=request_body(audio, "mine@example.com")).json()
    theirs = api.post("/v1/requests", json=request_body(audio, "theirs@example.com")).json()
    wait_until_done(api, mine)
    path = f"/v1/requests/{mine['id']}/transcript.vtt"

    assert api.get(path).status_code == 401
    for token in ("A" * 43, theirs["access_token"]):
        refused = api.get(path, headers={"Authorization": f"Bearer {token}"})
        assert refused.status_code == 404
        assert refused.json()["error"]["code"] == "request_not_found"
    assert api.get(path, headers=bearer(mine)).status_code == 200
