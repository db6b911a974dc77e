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


def wait_until_done(api: httpx.Client, request_id: str) -> dict[str, Any]:
    """Poll like the frontend does until the request is sent or failed."""

    def done() -> dict[str, Any] | None:
        body: dict[str, Any] = api.get(f"/v1/requests/{request_id}").json()
        return body if body["status"] in FINAL_STATUSES else None

    return wait_until(done, timeout_s=SENT_WITHIN_S, what=f"request {request_id} to finish")
