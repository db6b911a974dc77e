"""A voice note goes in through the HTTP API and comes out as one email, end to end."""

from __future__ import annotations

import email
import email.policy
import re
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from devstack.stack import Stack
from tests.e2e.conftest import request_body, upload, wait_until_done
from tests.support import JFK_FLAC, count_rows

JFK_PHRASE = "ask not what your country can do for you"
LONGER_NOTE = (
    "Hi, this is a quick update on the website redesign. "
    "The new home page is finished and the design team approved the colours. "
    "We found a problem with the checkout page on mobile phones. "
    "The payment provider will fix the problem by Wednesday. "
    "Customer feedback on the new search was very positive. "
    "The next step is that I will send the final budget to Maria on Friday. "
    "Thanks, talk soon."
)


def normalized(text: str) -> str:
    return " ".join(re.sub(r"[^a-z ]", " ", text.lower()).split())


def emails_to(outbox: Path, address: str) -> list[email.message.EmailMessage]:
    messages = [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(outbox.glob("*.eml"))
    ]
    return [m for m in messages if m["To"] == address]


def body_text(message: email.message.EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def transcribe_calls(stack: Stack) -> int:
    return stack.processes["transcribe"].output().count('TranscribeService/Transcribe"')


def test_jfk_note_is_transcribed_summarized_and_emailed_once(
    stack: Stack, api: httpx.Client
) -> None:
    audio = upload(api, JFK_FLAC)
    started = time.monotonic()
    created = api.post(
        "/v1/requests",
        json=request_body(audio, "jfk@example.com"),
    )
    assert created.status_code == 201, created.text

    done = wait_until_done(api, created.json())
    elapsed = time.monotonic() - started
    print(f"\n[e2e] jfk.flac request sent {elapsed:.2f} s after creation (target 5 s)")

    assert done["status"] == "sent", done
    assert done["transcript"]["source"] == "transcribed"
    assert done["transcript"]["language"] == "en"
    assert JFK_PHRASE in normalized(done["transcript"]["text"])
    assert 1 <= len(done["summary"]["bullets"]) <= 5
    assert done["delivery"]["status"] == "sent"
    [message] = emails_to(stack.outbox_dir, "jfk@example.com")
    text = body_text(message)
    for bullet in done["summary"]["bullets"]:
        assert bullet in text
    assert done["summary"]["next_step"] in text


def test_longer_note_gets_bullets_and_its_next_step(
    stack: Stack, api: httpx.Client, tmp_path: Path
) -> None:
    wav = tmp_path / "update.wav"
    subprocess.run(["espeak-ng", "-s", "150", "-w", str(wav), LONGER_NOTE], check=True)
    audio = upload(api, wav, "audio/wav")
    created = api.post(
        "/v1/requests",
        json=request_body(audio, "team@example.com"),
    )

    done = wait_until_done(api, created.json())

    assert done["status"] == "sent", done
    assert 3 <= len(done["summary"]["bullets"]) <= 5
    assert "budget" in done["summary"]["next_step"].lower()
    [message] = emails_to(stack.outbox_dir, "team@example.com")
    assert done["summary"]["next_step"] in body_text(message)


def test_second_request_for_the_same_audio_reuses_the_transcript(
    stack: Stack, api: httpx.Client
) -> None:
    audio = upload(api, JFK_FLAC)
    first = api.post(
        "/v1/requests",
        json=request_body(audio, "one@example.com"),
    )
    assert wait_until_done(api, first.json())["status"] == "sent"
    calls = transcribe_calls(stack)

    second = api.post(
        "/v1/requests",
        json=request_body(audio, "two@example.com"),
    )
    done = wait_until_done(api, second.json())

    assert done["status"] == "sent"
    assert done["transcript"]["source"] == "existing"
    assert transcribe_calls(stack) == calls


def test_raw_transcript_is_summarized_without_transcribing(stack: Stack, api: httpx.Client) -> None:
    audio = upload(api, JFK_FLAC)
    calls = transcribe_calls(stack)
    created = api.post(
        "/v1/requests",
        json=request_body(
            audio, "raw@example.com", transcript=LONGER_NOTE, time_zone="Asia/Kolkata"
        ),
    )

    done = wait_until_done(api, created.json())

    assert done["status"] == "sent", done
    assert done["transcript"] == {
        "source": "raw",
        "text": LONGER_NOTE,
        "language": None,
        "formats": ["txt"],
    }
    assert transcribe_calls(stack) == calls
    [message] = emails_to(stack.outbox_dir, "raw@example.com")
    assert " IST" in body_text(message), "times in the email are the recipient's local time"


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        (
            "post",
            "/v1/audio",
            {"files": {"file": ("a.txt", b"plain text, not audio", "audio/wav")}},
            415,
        ),
        (
            "post",
            "/v1/requests",
            {
                "json": {
                    "email": "a@example.com",
                    "audio_id": "0b5a5f9e-8a8f-4d0e-9c55-2d9f2b0f9a11",
                    "upload_token": "A" * 43,
                }
            },
            403,
        ),
        (
            "post",
            "/v1/requests",
            {"content": b"{oops", "headers": {"content-type": "application/json"}},
            400,
        ),
    ],
)
def test_bad_input_gets_the_error_format_and_writes_nothing(
    stack: Stack, api: httpx.Client, method: str, path: str, kwargs: dict[str, object], status: int
) -> None:
    assert stack.database_url is not None
    before = [count_rows(stack.database_url, t) for t in ("audio_assets", "summary_requests")]
    response = getattr(api, method)(path, **kwargs)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert set(error) == {"code", "message", "request_id"}
    assert "Traceback" not in response.text
    after = [count_rows(stack.database_url, t) for t in ("audio_assets", "summary_requests")]
    assert after == before


def test_malformed_email_is_refused(stack: Stack, api: httpx.Client) -> None:
    audio = upload(api, JFK_FLAC)
    response = api.post(
        "/v1/requests",
        json=request_body(audio, "someone@"),
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_email"
