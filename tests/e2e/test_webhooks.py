"""A webhook across the whole system: a real scheduler sends the note, and ingest's process
POSTs the signed event to a local receiver, which verifies it with `standardwebhooks`."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from aiohttp import web
from standardwebhooks import Webhook

from devstack.stack import Stack
from tests.e2e.conftest import bearer, request_body, upload, wait_until_done
from tests.fakes.server import BackgroundServer
from tests.support import JFK_FLAC, running_stack, wait_until

SECRET = "whsec_" + base64.b64encode(b"the whole stack's 32-byte secret").decode()
NOTE = (
    "The new home page is finished and the design team approved the colours. "
    "We found a problem with the checkout page on mobile phones. "
    "The payment provider will fix the problem by Wednesday. "
    "The next step is that I will send the final budget to Maria on Friday."
)


class Receiver:
    """A webhook endpoint in a thread of its own (the services are other processes)."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], str]] = []
        app = web.Application()
        app.router.add_post("/hook", self._handle)
        self.server = BackgroundServer(app)

    async def _handle(self, request: web.Request) -> web.Response:
        self.received.append((dict(request.headers), await request.text()))
        return web.Response(status=204)


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    receiver.server.start()
    yield receiver
    receiver.server.stop()


@pytest.fixture(scope="module")
def webhook_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    env = {
        "SCHEDULER_POLL_INTERVAL_S": "0.5",
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_ALLOW_PRIVATE": "true",  # the receiver is on 127.0.0.1
    }
    with running_stack(tmp_path_factory.mktemp("stack"), env=env) as system:
        yield system


def test_a_sent_note_reaches_the_webhook_signed(webhook_stack: Stack, receiver: Receiver) -> None:
    with httpx.Client(base_url=webhook_stack.gateway_url, timeout=30) as api:
        audio = upload(api, JFK_FLAC)
        body = request_body(
            audio,
            "hook@example.com",
            transcript=NOTE,
            webhook_url=f"{receiver.server.base_url}/hook",
        )
        created = api.post("/v1/requests", json=body).json()
        assert wait_until_done(api, created)["status"] == "sent"
        wait_until(lambda: receiver.received, 30, "the webhook event")

        def delivered() -> dict[str, Any] | None:
            shown: dict[str, Any] = api.get(
                f"/v1/requests/{created['id']}", headers=bearer(created)
            ).json()
            webhook = shown["webhook"]
            return shown if webhook and webhook["status"] == "delivered" else None

        shown = wait_until(delivered, 30, "the delivery to be recorded")

    [(headers, payload)] = receiver.received
    event = Webhook(SECRET).verify(payload, headers)
    assert event["type"] == "summary.sent"
    assert event["data"]["id"] == created["id"]
    assert event["data"]["summary"] == shown["summary"]
    assert event["data"]["delivery"]["status"] == "sent"  # the email went before the event
    assert "transcript" not in event["data"]
    assert headers["webhook-id"] == shown["webhook"]["event_id"]
