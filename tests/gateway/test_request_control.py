"""Listing, cancelling, rescheduling and retrying requests through the HTTP API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import psycopg

from tests.gateway.http import assert_error, upload
from tests.support import JFK_FLAC, fail_due_requests


async def create(api: httpx.AsyncClient, email: str, audio_id: str, **extra: str) -> dict[str, str]:
    response = await api.post("/v1/requests", json={"email": email, "audio_id": audio_id, **extra})
    assert response.status_code == 201, response.text
    body: dict[str, str] = response.json()
    return body


def in_days(days: int) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


async def test_list_pages_through_one_address_newest_first(api: httpx.AsyncClient) -> None:
    audio = (await upload(api, JFK_FLAC.read_bytes())).json()["audio_id"]
    ids = [(await create(api, "list@example.com", audio))["id"] for _ in range(5)]
    await create(api, "other@example.com", audio)

    first = (
        await api.get("/v1/requests", params={"email": "list@example.com", "page_size": 2})
    ).json()
    assert [item["id"] for item in first["items"]] == ids[::-1][:2]
    seen = [item["id"] for item in first["items"]]
    token = first["next_page_token"]
    while token:
        page = (
            await api.get(
                "/v1/requests",
                params={"email": "list@example.com", "page_size": 2, "page_token": token},
            )
        ).json()
        seen += [item["id"] for item in page["items"]]
        token = page["next_page_token"]
    assert seen == ids[::-1]
    assert_error(
        await api.get(
            "/v1/requests", params={"email": "list@example.com", "page_token": "garbage"}
        ),
        400,
        "invalid_page_token",
    )


async def test_cancel_a_pending_request_then_not_again(api: httpx.AsyncClient) -> None:
    audio = (await upload(api, JFK_FLAC.read_bytes())).json()["audio_id"]
    request = await create(api, "c@example.com", audio, send_at=in_days(1))

    canceled = await api.post(f"/v1/requests/{request['id']}/cancel")
    assert canceled.status_code == 200
    assert canceled.json()["status"] == "canceled"
    assert_error(await api.post(f"/v1/requests/{request['id']}/cancel"), 409, "invalid_transition")
    assert_error(
        await api.post("/v1/requests/0b5a5f9e-8a8f-4d0e-9c55-2d9f2b0f9a11/cancel"),
        404,
        "request_not_found",
    )


async def test_reschedule_a_pending_request(api: httpx.AsyncClient) -> None:
    audio = (await upload(api, JFK_FLAC.read_bytes())).json()["audio_id"]
    request = await create(api, "r@example.com", audio, send_at=in_days(1))
    new_time = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)

    moved = await api.post(
        f"/v1/requests/{request['id']}/reschedule", json={"send_at": new_time.isoformat()}
    )

    assert moved.status_code == 200, moved.text
    assert datetime.fromisoformat(moved.json()["send_at"]) == new_time
    assert_error(
        await api.post(
            f"/v1/requests/{request['id']}/reschedule", json={"send_at": "2026-01-01T10:00:00"}
        ),
        422,
        "validation_error",
    )


async def test_retry_only_a_failed_request(api: httpx.AsyncClient, clean_db: str) -> None:
    audio = (await upload(api, JFK_FLAC.read_bytes())).json()["audio_id"]
    request = await create(api, "f@example.com", audio)
    assert_error(await api.post(f"/v1/requests/{request['id']}/retry"), 409, "invalid_transition")
    with psycopg.connect(clean_db, autocommit=True) as connection:
        fail_due_requests(connection, "email_rejected", "Mailjet said no")

    retried = await api.post(f"/v1/requests/{request['id']}/retry")

    assert retried.status_code == 200
    body = retried.json()
    assert body["status"] == "pending"
    assert body["attempts"] == 0
    assert body["error"] is None
