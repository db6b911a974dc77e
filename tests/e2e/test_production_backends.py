"""Production backends: the whole system on Mailjet and Supabase Storage.

(What Supabase's API roles may reach is tests/voice_core/test_supabase_roles.py.)

The SaaS endpoints are local servers that answer as Mailjet and Supabase Storage document;
everything else is the real system as processes.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from devstack.stack import Stack
from tests.e2e.conftest import request_body, upload, wait_until_done
from tests.fakes.mailjet import FakeMailjet
from tests.fakes.supabase_storage import SERVICE_ROLE_KEY, FakeSupabaseStorage
from tests.support import JFK_FLAC, mailjet_env, running_stack

RECIPIENT = "ana@example.com"
TABLES = ("audio_assets", "transcripts", "summary_requests", "email_deliveries")


@pytest.fixture(scope="module")
def supabase_storage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeSupabaseStorage]:
    with FakeSupabaseStorage(tmp_path_factory.mktemp("supabase")) as fake:
        yield fake


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory,
    mailjet: FakeMailjet,
    supabase_storage: FakeSupabaseStorage,
) -> Iterator[Stack]:
    env = {
        "SCHEDULER_POLL_INTERVAL_S": "0.5",
        **mailjet_env(mailjet),
        "STORAGE_BACKEND": "supabase",
        "SUPABASE_URL": supabase_storage.url,
        "SUPABASE_SERVICE_ROLE_KEY": SERVICE_ROLE_KEY,
    }
    with running_stack(tmp_path_factory.mktemp("stack"), env=env) as system:
        yield system


def test_voice_note_is_stored_in_supabase_and_emailed_by_mailjet_once(
    api: httpx.Client, mailjet: FakeMailjet, supabase_storage: FakeSupabaseStorage
) -> None:
    audio = upload(api, JFK_FLAC)
    (name,) = supabase_storage.names()
    stored = supabase_storage.objects[("voice-audio", name)]
    assert name.endswith(f"/{audio['audio_id']}.flac")
    assert stored.content_type == "audio/flac"
    assert stored.path.read_bytes() == JFK_FLAC.read_bytes()

    created = api.post(
        "/v1/requests",
        json=request_body(audio, RECIPIENT),
    )
    assert created.status_code == 201, created.text
    done = wait_until_done(api, created.json())

    assert done["status"] == "sent", done
    (message,) = mailjet.messages
    assert message.recipient == RECIPIENT
    assert message.custom_id == f"summary-{done['id']}"
    assert done["delivery"]["provider"] == "mailjet"
    assert done["delivery"]["provider_message_id"] == str(message.id)
    for bullet in done["summary"]["bullets"]:
        assert bullet in message.text
    assert done["summary"]["next_step"] in message.text
    # The transcript went along as the Send API's Attachments, checked by the local Mailjet.
    assert [(name, kind) for name, kind, _ in message.attachments] == [
        ("transcript.txt", "text/plain"),
        ("transcript.srt", "application/x-subrip"),
        ("transcript.vtt", "text/vtt"),
    ]
