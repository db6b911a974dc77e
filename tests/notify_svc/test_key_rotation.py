"""A key rotated in Mailjet before the deployment caught up (401), or a refused sender (403):
the email waits for the settings to be right, with an alert, and is then sent once. Against a
local Mailjet over real HTTP and real Postgres."""

from __future__ import annotations

import asyncio

import grpc
import pytest
from prometheus_client import REGISTRY

from tests.fakes.mailjet import FakeMailjet
from tests.notify_svc.test_mailjet import RECIPIENT, delivery_row, failed_call, notify_service
from tests.notify_svc.test_server import insert_request, send_request
from voice_agent.v1 import types_pb2


@pytest.mark.parametrize("cause", ["rotated secret", "forbidden"])
async def test_refused_keys_make_the_email_wait_with_an_alert_not_fail(
    cause: str, mailjet: FakeMailjet, clean_db: str
) -> None:
    """A key rotated in Mailjet before the deployment caught up: the request waits for it."""
    request_id = insert_request(clean_db, RECIPIENT)
    current_secret = mailjet.api_secret
    if cause == "rotated secret":
        mailjet.rotate_secret("regenerated-in-mailjet")
    else:
        mailjet.fail_next(status=403)
    refusals = auth_failures()
    async with notify_service(clean_db, mailjet, mailjet_api_secret=current_secret) as notify:
        error = await failed_call(notify, request_id)

    assert error.code is grpc.StatusCode.UNAVAILABLE
    assert error.reason == "email_provider_auth_failed"
    assert error.retry_after_s is not None
    assert error.retry_after_s >= 5
    # The user reads no setting names; the operator gets them in the log and an alert.
    assert "MAILJET" not in error.message
    assert auth_failures() == refusals + 1
    # Refused means not sent: nothing to look up before the next attempt.
    assert delivery_row(clean_db, request_id) is None
    assert mailjet.messages == []

    # The deployment gets the new pair: the waiting request is sent, once.
    async with notify_service(clean_db, mailjet) as notify:
        response = await notify.SendSummaryEmail(send_request(request_id, RECIPIENT))
    assert response.delivery.status == types_pb2.DELIVERY_STATUS_SENT
    assert len(mailjet.messages) == 1


async def test_refused_keys_are_retried_less_often_the_longer_they_last(
    mailjet: FakeMailjet, clean_db: str
) -> None:
    request_id = insert_request(clean_db, RECIPIENT)
    async with notify_service(clean_db, mailjet) as notify:
        mailjet.rotate_secret("regenerated-in-mailjet")
        first = await failed_call(notify, request_id)
        await asyncio.sleep(6)  # the refusals have lasted longer than the floor
        later = await failed_call(notify, request_id)

    assert first.retry_after_s == 5  # the floor, early in the outage
    assert later.retry_after_s is not None
    assert 6 <= later.retry_after_s < 8  # as long as the refusals have lasted
    assert mailjet.requests == []  # refused before the body was read


def auth_failures() -> float:
    return (
        REGISTRY.get_sample_value("email_provider_auth_failures_total", {"provider": "mailjet"})
        or 0.0
    )
