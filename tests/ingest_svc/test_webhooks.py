"""Webhooks end to end in process: the HTTP API in front of a real ingest (its delivery loop
running) over gRPC, real Postgres, and a local receiver that verifies each event with the
`standardwebhooks` library. Requests end through the same state functions a scheduler calls.
"""

from __future__ import annotations

import asyncio
import base64
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from psycopg.rows import dict_row
from pydantic import SecretStr
from standardwebhooks import Webhook

from gateway.app import create_app
from gateway.config import GatewaySettings
from ingest_svc.app import IngestApp
from ingest_svc.config import IngestSettings
from tests.fakes.webhook_receiver import WebhookReceiver
from tests.gateway.http import assert_error, bearer, client_for, create_request, uploaded_audio
from tests.support import (
    JFK_FLAC,
    TEST_TOKEN,
    count_rows,
    create_requests,
    fail_due_requests,
    running,
    wait_until,
)

SECRET = "whsec_" + base64.b64encode(b"a key of thirty-two bytes, here.").decode()
TRANSCRIPT = "We met the supplier today. We agreed on the price. Next we sign the contract."
FAST_RETRIES = {"webhook_first_retry_s": 0.2, "webhook_poll_interval_s": 0.2}


@asynccontextmanager
async def webhook_api(
    database_url: str, tmp_path: Path, **webhook_settings: Any
) -> AsyncIterator[httpx.AsyncClient]:
    """The HTTP API in front of an ingest that delivers webhooks (local receivers allowed
    unless a test says otherwise)."""
    settings = IngestSettings(
        database_url=SecretStr(database_url),
        audio_dir=tmp_path / "audio",
        recipient_confirmation="off",
        **{
            "webhook_secret": SecretStr(SECRET),
            "webhook_allow_private": True,
            **FAST_RETRIES,
            **webhook_settings,
        },
    )
    async with running(IngestApp(settings)) as address:
        app = create_app(
            GatewaySettings(ingest_addr=address, internal_auth_token=SecretStr(TEST_TOKEN))
        )
        async for client in client_for(app):
            yield client


async def new_request(api: httpx.AsyncClient, webhook_url: str) -> dict[str, Any]:
    audio = await uploaded_audio(api, JFK_FLAC.read_bytes())
    created: dict[str, Any] = await create_request(
        api, "ana@example.com", audio, webhook_url=webhook_url, transcript=TRANSCRIPT
    )
    return created


def send_due_requests(database_url: str) -> None:
    """Take every due request through to `sent`, as a scheduler does."""
    with psycopg.connect(database_url, autocommit=True) as connection:
        for claimed_id, lease in connection.execute(
            "SELECT id, lease_token FROM claim_due_requests(100, 'test', 60, 5)"
        ).fetchall():
            connection.execute(
                "SELECT record_request_transcript(%s, %s, 'raw')", [claimed_id, lease]
            )
            connection.execute(
                "SELECT record_request_summary(%s, %s, %s, 'Sign the contract.', true)",
                [claimed_id, lease, '["We met the supplier today.", "We agreed on the price."]'],
            )
            connection.execute("SELECT mark_request_sent(%s, %s)", [claimed_id, lease])


def webhook_of(database_url: str, request_id: str | uuid.UUID) -> dict[str, Any] | None:
    with psycopg.connect(database_url, row_factory=dict_row) as connection:
        row = connection.execute("SELECT request_webhook(%s) AS w", [request_id]).fetchone()
    assert row is not None
    webhook: dict[str, Any] | None = row["w"]
    return webhook


async def recorded(
    database_url: str, request_id: str | uuid.UUID, attempts: int, status: str | None = None
) -> None:
    """Until the request's event shows `attempts` attempts (and `status`), as GET reads it."""

    def done() -> bool:
        webhook = webhook_of(database_url, request_id)
        return bool(
            webhook
            and len(webhook["attempts"]) >= attempts
            and (status is None or webhook["status"] == status)
        )

    await asyncio.to_thread(wait_until, done, 20, f"{attempts} recorded webhook attempts")


@pytest.mark.parametrize("include_transcript", [False, True])
async def test_a_sent_request_posts_a_signed_event_with_the_request_as_get_shows_it(
    clean_db: str, tmp_path: Path, include_transcript: bool
) -> None:
    async with (
        WebhookReceiver() as receiver,
        webhook_api(clean_db, tmp_path, webhook_include_transcript=include_transcript) as api,
    ):
        created = await new_request(api, receiver.url())
        # Its path and query may be a secret: the request shows the scheme and host only.
        assert created["webhook_url"] == receiver.url(path="/…")
        assert created["webhook"] is None

        await asyncio.to_thread(send_due_requests, clean_db)
        [event] = await receiver.wait_for(1)
        await recorded(clean_db, created["id"], 1, "delivered")
        shown = (await api.get(f"/v1/requests/{created['id']}", headers=bearer(created))).json()

    payload = Webhook(SECRET).verify(event.body, event.headers)
    assert payload["type"] == "summary.sent"
    assert event.headers["webhook-id"] == shown["webhook"]["event_id"]
    assert event.headers["Content-Type"] == "application/json"
    left_out = {"webhook"} if include_transcript else {"webhook", "transcript"}
    assert payload["data"] == {key: value for key, value in shown.items() if key not in left_out}
    assert ("transcript" in payload["data"]) is include_transcript
    assert shown["transcript"]["text"] == TRANSCRIPT
    assert shown["summary"]["next_step"] == "Sign the contract."
    webhook = shown["webhook"]
    assert webhook["event_type"] == "summary.sent"
    assert webhook["status"] == "delivered"
    assert webhook["next_attempt_at"] is None
    assert [(a["status_code"], a["error"]) for a in webhook["attempts"]] == [(204, None)]


async def test_a_failed_request_posts_summary_failed(clean_db: str, tmp_path: Path) -> None:
    async with WebhookReceiver() as receiver, webhook_api(clean_db, tmp_path) as api:
        created = await new_request(api, receiver.url())
        with psycopg.connect(clean_db, autocommit=True) as connection:
            fail_due_requests(connection, "no_speech", "no speech in the recording")
        [event] = await receiver.wait_for(1)

    payload = Webhook(SECRET).verify(event.body, event.headers)
    assert payload["type"] == "summary.failed"
    assert payload["data"]["id"] == created["id"]
    assert payload["data"]["status"] == "failed"
    assert payload["data"]["error"]["code"] == "no_speech"


async def test_a_failing_receiver_is_retried_with_backoff_and_the_attempts_show(
    clean_db: str, tmp_path: Path
) -> None:
    async with WebhookReceiver([500, 503]) as receiver, webhook_api(clean_db, tmp_path) as api:
        created = await new_request(api, receiver.url())
        await asyncio.to_thread(send_due_requests, clean_db)
        first, second, third = await receiver.wait_for(3)
        await recorded(clean_db, created["id"], 3, "delivered")
        shown = (await api.get(f"/v1/requests/{created['id']}", headers=bearer(created))).json()

    # The same event each time: one id, the same bytes, each signature valid.
    assert len({event.headers["webhook-id"] for event in (first, second, third)}) == 1
    assert first.body == second.body == third.body
    for event in (first, second, third):
        Webhook(SECRET).verify(event.body, event.headers)
    # 0.2 s, then 0.4 s (±10 % jitter): the wait doubles.
    first_gap = second.received_at - first.received_at
    second_gap = third.received_at - second.received_at
    assert first_gap >= 0.17
    assert second_gap > first_gap * 1.4
    attempts = [(a["status_code"], a["error"]) for a in shown["webhook"]["attempts"]]
    assert attempts == [(500, "HTTP 500"), (503, "HTTP 503"), (204, None)]


async def test_an_event_fails_for_good_once_the_retry_window_has_passed(
    clean_db: str, tmp_path: Path
) -> None:
    async with (
        WebhookReceiver([500] * 100) as receiver,
        webhook_api(clean_db, tmp_path, webhook_retry_window_s=0.5) as api,
    ):
        created = await new_request(api, receiver.url())
        await asyncio.to_thread(send_due_requests, clean_db)
        await recorded(clean_db, created["id"], 2, "failed")
        shown = (await api.get(f"/v1/requests/{created['id']}", headers=bearer(created))).json()

    assert shown["webhook"]["status"] == "failed"
    assert shown["webhook"]["next_attempt_at"] is None
    assert len(shown["webhook"]["attempts"]) == len(receiver.received)


async def test_redirects_are_not_followed(clean_db: str, tmp_path: Path) -> None:
    async with WebhookReceiver() as elsewhere:
        async with (
            WebhookReceiver([307] * 100, redirect_to=elsewhere.url()) as receiver,
            webhook_api(clean_db, tmp_path) as api,
        ):
            created = await new_request(api, receiver.url())
            await asyncio.to_thread(send_due_requests, clean_db)
            await receiver.wait_for(1)
            await recorded(clean_db, created["id"], 1)
        assert elsewhere.received == []

    webhook = webhook_of(clean_db, created["id"])
    assert webhook is not None
    assert webhook["attempts"][0]["status_code"] == 307
    assert webhook["attempts"][0]["error"] == "HTTP 307: redirects are not followed"


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://localhost/hook",  # a name that resolves to 127.0.0.1
        "https://[::1]/hook",
        "https://10.0.0.8/hook",
        "https://192.168.1.20/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://100.64.0.1/hook",
        "https://[::ffff:10.0.0.1]/hook",
        "https://[fe80::1]/hook",
        "https://0.0.0.0/hook",
        "https://224.0.0.1/hook",
        "https://name.invalid/hook",
        "http://93.184.215.14/hook",  # plain http
        "https://user:secret@93.184.215.14/hook",
        "ftp://93.184.215.14/hook",
        "/relative/hook",
    ],
)
async def test_a_webhook_url_that_may_not_be_called_is_refused_at_creation(
    clean_db: str, tmp_path: Path, url: str
) -> None:
    async with webhook_api(clean_db, tmp_path, webhook_allow_private=False) as api:
        audio = await uploaded_audio(api, JFK_FLAC.read_bytes())
        response = await api.post(
            "/v1/requests", json={"email": "ana@example.com", **audio, "webhook_url": url}
        )
    assert_error(response, 422, "invalid_webhook_url")
    assert "secret" not in response.text
    assert count_rows(clean_db, "summary_requests") == 0


async def test_a_public_https_url_is_taken(clean_db: str, tmp_path: Path) -> None:
    async with webhook_api(clean_db, tmp_path, webhook_allow_private=False) as api:
        created = await new_request(api, "https://93.184.215.14/hook?token=s3cret")
    assert created["webhook_url"] == "https://93.184.215.14/…"


async def test_without_a_secret_a_webhook_url_is_refused(clean_db: str, tmp_path: Path) -> None:
    async with webhook_api(clean_db, tmp_path, webhook_secret=None) as api:
        audio = await uploaded_audio(api, JFK_FLAC.read_bytes())
        response = await api.post(
            "/v1/requests",
            json={"email": "ana@example.com", **audio, "webhook_url": "https://93.184.215.14/"},
        )
    assert_error(response, 422, "webhooks_not_configured")
    assert count_rows(clean_db, "summary_requests") == 0


async def test_a_name_that_resolves_to_loopback_is_refused_at_delivery(
    clean_db: str, tmp_path: Path
) -> None:
    """The URL passed at creation (as if its DNS answer changed since): the delivery resolves
    it again, refuses the address and never connects."""
    async with WebhookReceiver() as receiver:
        with psycopg.connect(clean_db, autocommit=True) as connection:
            [request_id] = create_requests(connection, webhook_url=receiver.url(host="localhost"))
            fail_due_requests(connection, "no_speech", "no speech")
        async with webhook_api(clean_db, tmp_path, webhook_allow_private=False):
            await recorded(clean_db, request_id, 1)
        assert receiver.received == []

    webhook = webhook_of(clean_db, request_id)
    assert webhook is not None
    [attempt] = webhook["attempts"][:1]
    assert attempt["status_code"] is None
    assert attempt["error"].startswith("refused: ")
    assert webhook["status"] == "pending"  # tried again later: DNS may change back


async def test_an_event_survives_a_restart_and_a_loop_that_died_mid_attempt(
    clean_db: str, tmp_path: Path
) -> None:
    """Ended while no ingest ran, then claimed by a loop that died (its lease ran out): the
    next ingest to start delivers it, once."""
    async with WebhookReceiver() as receiver:
        with psycopg.connect(clean_db, autocommit=True) as connection:
            [request_id] = create_requests(connection, webhook_url=receiver.url())
            fail_due_requests(connection, "no_speech", "no speech")
            [claimed] = connection.execute("SELECT * FROM claim_webhook_deliveries(10, 0)")
            assert claimed[0] is not None
        async with webhook_api(clean_db, tmp_path):
            [event] = await receiver.wait_for(1)
            await recorded(clean_db, request_id, 1, "delivered")

    assert Webhook(SECRET).verify(event.body, event.headers)["type"] == "summary.failed"
    assert len(receiver.received) == 1


async def test_a_deleted_request_sends_nothing(clean_db: str, tmp_path: Path) -> None:
    async with WebhookReceiver() as receiver:
        with psycopg.connect(clean_db, autocommit=True) as connection:
            [request_id] = create_requests(connection, webhook_url=receiver.url())
            fail_due_requests(connection, "no_speech", "no speech")
            connection.execute("SELECT * FROM delete_summary_request(%s)", [request_id])
            [row] = connection.execute(
                "SELECT webhook_url FROM summary_requests WHERE id = %s", [request_id]
            )
        assert row[0] is None
        assert count_rows(clean_db, "webhook_deliveries") == 0


async def test_a_new_event_wakes_an_idle_loop_at_once(clean_db: str, tmp_path: Path) -> None:
    """The loop LISTENs for the trigger's NOTIFY: a minute-long poll does not delay an event."""

    def listening() -> bool:
        with psycopg.connect(clean_db) as connection:
            row = connection.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE query = %s",
                ["LISTEN webhook_deliveries_due"],
            ).fetchone()
        return bool(row and row[0])

    async with (
        WebhookReceiver() as receiver,
        webhook_api(clean_db, tmp_path, webhook_poll_interval_s=60) as api,
    ):
        created = await new_request(api, receiver.url())
        await asyncio.to_thread(wait_until, listening, 10, "the delivery loop to LISTEN")
        await asyncio.to_thread(send_due_requests, clean_db)
        [event] = await receiver.wait_for(1, timeout_s=5)
    assert Webhook(SECRET).verify(event.body, event.headers)["data"]["id"] == created["id"]
