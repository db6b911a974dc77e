"""Attacks on the public API, against the real system through the gateway: each one fails.

Knowing a request's id, an address or another person's audio_id grants nothing; only the
capabilities the API handed out (upload_token, access_token) do, and an answer never tells a
wrong token from an unknown id. No scheduler runs here, so requests stay where a test puts them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import psycopg
import pytest

from devstack.stack import Stack
from tests.e2e.conftest import bearer, request_body, upload
from tests.support import JFK_FLAC, count_rows, fail_due_requests, running_stack

WRONG = {"Authorization": "Bearer " + "A" * 43}
LATER = (datetime.now(UTC) + timedelta(days=2)).isoformat()
# What must never reach the public, whatever failed behind the gateway.
INTERNALS = ("MAILJET", "INTERNAL_AUTH_TOKEN", "DATABASE_URL", "db.internal", "5432", "Traceback")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(tmp_path_factory.mktemp("attacks"), schedulers=0) as system:
        yield system


def create(api: httpx.Client, email: str, **extra: str) -> dict[str, Any]:
    """A victim's request: uploaded and created as the frontend does."""
    audio = upload(api, JFK_FLAC)
    response = api.post("/v1/requests", json=request_body(audio, email, **extra))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def without_request_id(response: httpx.Response) -> tuple[int, dict[str, Any]]:
    error = dict(response.json()["error"])
    error.pop("request_id")
    return response.status_code, error


def attempts(request_id: str) -> list[tuple[str, str, dict[str, Any]]]:
    """Every call about one request: method, path, keyword arguments."""
    path = f"/v1/requests/{request_id}"
    return [
        ("GET", path, {}),
        ("POST", f"{path}/cancel", {}),
        ("POST", f"{path}/reschedule", {"json": {"send_at": None}}),
        ("POST", f"{path}/retry", {}),
        ("DELETE", path, {}),
    ]


def test_no_call_about_a_request_works_without_or_with_a_wrong_token(api: httpx.Client) -> None:
    victim = create(api, "victim@example.com", send_at=LATER)
    unknown_id = str(uuid.uuid4())
    other = create(api, "attacker@example.com", send_at=LATER)
    # The attacker's own, valid token, on the victim's id.
    theirs = bearer(other)

    for method, path, kwargs in attempts(victim["id"]):
        missing = api.request(method, path, **kwargs)
        assert missing.status_code == 401, (method, path, missing.text)
        assert missing.headers["www-authenticate"] == "Bearer"
        for headers in (WRONG, theirs, {"Authorization": "Basic dmljdGltOnB3"}):
            refused = api.request(method, path, headers=headers, **kwargs)
            if headers["Authorization"].startswith("Basic"):
                assert refused.status_code == 401
                continue
            # Exactly what an id that never existed answers: nothing tells the two apart.
            never = api.request(
                method, path.replace(victim["id"], unknown_id), headers=headers, **kwargs
            )
            assert without_request_id(refused) == without_request_id(never), (method, path)
            assert refused.status_code == 404
            assert "victim" not in refused.text

    # Nothing changed: the owner still finds it pending, at the time it chose.
    mine = api.get(f"/v1/requests/{victim['id']}", headers=bearer(victim)).json()
    assert mine["status"] == "pending"
    assert mine["send_at"] == victim["send_at"]


def test_another_persons_audio_id_cannot_be_used(stack: Stack, api: httpx.Client) -> None:
    assert stack.database_url is not None
    victims = upload(api, JFK_FLAC)
    mine = upload(api, JFK_FLAC)  # the very same bytes
    # The same bytes make another asset with another capability: the dedup leaks nothing.
    assert mine["audio_id"] != victims["audio_id"]
    assert mine["upload_token"] != victims["upload_token"]
    before = count_rows(stack.database_url, "summary_requests")

    body = {"email": "attacker@example.com", "audio_id": victims["audio_id"]}
    stolen = api.post("/v1/requests", json={**body, "upload_token": mine["upload_token"]})
    missing = api.post("/v1/requests", json=body)
    unknown = api.post(
        "/v1/requests",
        json={**body, "audio_id": str(uuid.uuid4()), "upload_token": mine["upload_token"]},
    )

    assert stolen.status_code == 403
    assert stolen.json()["error"]["code"] == "upload_token_invalid"
    assert without_request_id(stolen) == without_request_id(unknown)
    assert missing.status_code == 422
    assert count_rows(stack.database_url, "summary_requests") == before


def test_there_is_no_listing_by_address(api: httpx.Client) -> None:
    victim = create(api, "listed@example.com", send_at=LATER)

    queries: list[dict[str, str]] = [
        {"email": "listed@example.com"},
        {"email": "listed@example.com", "page_size": "100"},
    ]
    for params in queries:
        listed = api.get("/v1/requests", params=params)
        assert listed.status_code == 405
        assert victim["id"] not in listed.text
        assert "listed@" not in listed.text


def test_a_deleted_request_is_gone_for_everyone(stack: Stack, api: httpx.Client) -> None:
    victim = create(
        api, "deleted@example.com", transcript="The launch moved to May.", send_at=LATER
    )
    audio_files = list((stack.data_dir / "audio").rglob("*.flac"))

    assert api.delete(f"/v1/requests/{victim['id']}", headers=bearer(victim)).status_code == 204

    for method, path, kwargs in attempts(victim["id"]):
        gone = api.request(method, path, headers=bearer(victim), **kwargs)
        assert gone.status_code == 404, (method, path)
    assert len(list((stack.data_dir / "audio").rglob("*.flac"))) == len(audio_files) - 1


def test_failure_messages_carry_no_internals(stack: Stack, api: httpx.Client) -> None:
    assert stack.database_url is not None
    victim = create(api, "failed@example.com")
    with psycopg.connect(stack.database_url, autocommit=True) as connection:
        fail_due_requests(
            connection,
            "service_unavailable",
            "could not connect to db.internal:5432; check DATABASE_URL and MAILJET_API_KEY",
        )

    failed = api.get(f"/v1/requests/{victim['id']}", headers=bearer(victim))

    assert failed.json()["status"] == "failed"
    assert failed.json()["error"]["code"] == "service_unavailable"
    for internal in INTERNALS:
        assert internal not in failed.text


def test_error_answers_carry_no_internals(api: httpx.Client) -> None:
    answers = [
        api.post("/v1/requests", json={"email": "x@example.com", "audio_id": "nope"}),
        api.post("/v1/requests", content=b"{", headers={"content-type": "application/json"}),
        api.get(f"/v1/requests/{uuid.uuid4()}", headers=WRONG),
        api.get("/v1/requests/not-a-uuid", headers=WRONG),
        api.post("/v1/audio", files={"file": ("x.txt", b"hello, not audio", "audio/wav")}),
    ]
    for answer in answers:
        assert 400 <= answer.status_code < 500, answer.text
        assert set(answer.json()) == {"error"}
        for internal in INTERNALS:
            assert internal not in answer.text
