"""Vocabulary and language end to end, every service a real process: the same real recording
summarized without and with the names it contains, a transcript reused only for the same
vocabulary, a language the bundled English-only model cannot do refused, /v1/config."""

from __future__ import annotations

import httpx

from devstack.stack import Stack
from tests.e2e.conftest import request_body, upload, wait_until_done
from tests.transcribe_svc.media import FIXTURES

# Real speech: "Then you go into your ComfyUI folder again…"; tiny.en hears "comfy eye".
HOTWORDS_CLIP = FIXTURES / "hotwords.mp3"


def test_the_vocabulary_corrects_a_real_transcript_and_keys_its_reuse(
    stack: Stack, api: httpx.Client
) -> None:
    audio = upload(api, HOTWORDS_CLIP, "audio/mpeg")

    plain = api.post("/v1/requests", json=request_body(audio, "plain@example.com"))
    done = wait_until_done(api, plain.json())
    assert done["status"] == "sent", done
    assert "comfyui" not in done["transcript"]["text"].lower()

    named = api.post(
        "/v1/requests",
        json=request_body(audio, "named@example.com", vocabulary=["ComfyUI", " comfyui "]),
    )
    assert named.json()["vocabulary"] == ["ComfyUI"]
    done = wait_until_done(api, named.json())
    assert done["status"] == "sent", done
    # Not the transcript made without the vocabulary: a new one, spelled right.
    assert done["transcript"]["source"] == "transcribed"
    assert "comfyui" in done["transcript"]["text"].lower()
    assert done["vocabulary"] == ["ComfyUI"]

    again = api.post(
        "/v1/requests",
        json=request_body(audio, "again@example.com", vocabulary=["ComfyUI"], language="en"),
    )
    done = wait_until_done(api, again.json())
    assert done["transcript"]["source"] == "transcribed"  # another language asked for
    assert done["language"] == "en"

    same = api.post(
        "/v1/requests",
        json=request_body(audio, "same@example.com", vocabulary=["ComfyUI"], language="en"),
    )
    done = wait_until_done(api, same.json())
    assert done["transcript"]["source"] == "existing"
    assert "comfyui" in done["transcript"]["text"].lower()


def test_the_bundled_english_only_model_refuses_another_language(
    stack: Stack, api: httpx.Client
) -> None:
    audio = upload(api, HOTWORDS_CLIP, "audio/mpeg")

    refused = api.post("/v1/requests", json=request_body(audio, "fr@example.com", language="fr"))

    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert error["code"] == "language_unsupported"
    assert "tiny.en" in error["message"]
    assert "WHISPER_MODEL" in error["message"]


def test_config_comes_from_the_running_services(stack: Stack, api: httpx.Client) -> None:
    config = api.get("/v1/config").json()

    assert config["model"] == "tiny.en"
    assert config["languages"] == ["en"]
    assert config["multilingual"] is False
    assert config["recipient_confirmation_required"] is False  # the test stack turns it off
    assert config["max_recording_s"] > 0
    assert config["max_upload_bytes"] > 0
