"""The whole system as real processes, every port 0, on a throwaway Postgres."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from devstack.stack import Stack
from tests.support import running_stack, wait_until
from voice_core.states import RequestStatus

SENT_WITHIN_S = 60.0
FINAL_STATUSES = {RequestStatus.SENT, RequestStatus.FAILED, RequestStatus.CANCELED}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    env = {"SCHEDULER_POLL_INTERVAL_S": "0.5"}
    with running_stack(tmp_path_factory.mktemp("stack"), env=env) as system:
        yield system


@pytest.fixture(scope="module")
def api(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.gateway_url, timeout=30) as client:
        yield client


def upload(api: httpx.Client, path: Path, content_type: str = "audio/flac") -> dict[str, Any]:
    with path.open("rb") as audio:
        response = api.post("/v1/audio", files={"file": (path.name, audio, content_type)})
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def request_body(audio: dict[str, Any], email: str, **extra: Any) -> dict[str, Any]:
    """The body of POST /v1/requests for an upload's answer: its id and its capability."""
    return {
        "email": email,
        "audio_id": audio["audio_id"],
        "upload_token": audio["upload_token"],
        **extra,
    }


def bearer(created: dict[str, Any]) -> dict[str, str]:
    """The header carrying the capability of a request (POST /v1/requests' answer)."""
    return {"Authorization": f"Bearer {created['access_token']}"}


def wait_until_done(api: httpx.Client, created: dict[str, Any]) -> dict[str, Any]:
    """Poll like the frontend does, with the request's capability, until it is sent or failed.
    `created` is the answer of POST /v1/requests."""

    def done() -> dict[str, Any] | None:
        body: dict[str, Any] = api.get(
            f"/v1/requests/{created['id']}", headers=bearer(created)
        ).json()
        return body if body["status"] in FINAL_STATUSES else None

    return wait_until(done, timeout_s=SENT_WITHIN_S, what=f"request {created['id']} to finish")
