"""What an attempt that got no clear answer becomes, against a local Mailjet over real HTTP and
real Postgres: found once Mailjet's lagging index lists it; sent again only after the lag when it
never does; `unknown`, and not sent again, when Mailjet cannot be asked until the deadline.
"""

from __future__ import annotations

import asyncio
import re

import grpc
import pytest
from prometheus_client import REGISTRY
from pydantic import SecretStr

from notify_svc.config import NotifySettings
from notify_svc.server import DELIVERY_UNKNOWN_MESSAGE
from tests.fakes.mailjet import FakeMailjet
from tests.notify_svc.test_mailjet import (
    RECIPIENT,
    delivery_row,
    failed_call,
    notify_service,
)
from tests.notify_svc.test_server import insert_request, send_request
from voice_agent.v1 import types_pb2


def unknown_outcomes() -> float:
    labels = {"provider": "mailjet", "outcome": "unknown"}
    return REGISTRY.get_sample_value("emails_total", labels) or 0.0


async def test_no_resend_for_fifteen_minutes_while_mailjets_records_may_lag(
    mailjet: FakeMailjet, clean_db: str
) -> None:
    request_id = insert_request(clean_db, RECIPIENT)
    mailjet.hang_next(accept=False)
    # The default settings: no second send before 15 minutes, a lookup every minute till then.
    async with notify_service(
        clean_db, mailjet, mailjet_lookup_lag_s=900.0, mailjet_outcome_deadline_s=3600.0
    ) as notify:
        await failed_call(notify, request_id)
        error = await failed_call(notify, request_id)

    assert error.code is grpc.StatusCode.UNAVAILABLE
    assert error.reason == "email_outcome_pending"
    assert re.search(r"none in 89\d s", error.message), error.message
    assert error.retry_after_s == 60
    assert mailjet.lookups == 1
    assert len(mailjet.requests) == 1


def test_defaults_wait_fifteen_minutes_then_an_hour_for_an_answer() -> None:
    settings = NotifySettings(database_url=SecretStr("postgresql://unused"))
    assert settings.mailjet_lookup_lag_s == 900
    assert settings.mailjet_outcome_deadline_s == 3600
    with pytest.raises(ValueError, match="MAILJET_OUTCOME_DEADLINE_S must be at least"):
        NotifySettings(
            database_url=SecretStr("postgresql://unused"),
            mailjet_lookup_lag_s=900,
            mailjet_outcome_deadline_s=60,
        )


async def test_accepted_but_unanswered_is_found_once_the_index_lists_it(
    mailjet: FakeMailjet, clean_db: str
) -> None:
    request_id = insert_request(clean_db, RECIPIENT)
    mailjet.index_lag_s = 2.0
    mailjet.hang_next(accept=True)
    settings = {"mailjet_lookup_lag_s": 30.0, "mailjet_outcome_deadline_s": 60.0}
    async with notify_service(clean_db, mailjet, **settings) as notify:
        await failed_call(notify, request_id)  # no answer within MAILJET_TIMEOUT_S
        not_listed_yet = await failed_call(notify, request_id)
        await asyncio.sleep(mailjet.index_lag_s)  # Mailjet's index catches up
        response = await notify.SendSummaryEmail(send_request(request_id, RECIPIENT))

    assert not_listed_yet.code is grpc.StatusCode.UNAVAILABLE
    assert not_listed_yet.reason == "email_outcome_pending"
    (accepted,) = mailjet.messages
    assert len(mailjet.requests) == 1
    assert response.delivery.status == types_pb2.DELIVERY_STATUS_SENT
    assert response.delivery.provider_message_id == str(accepted.id)


async def test_a_lag_shorter_than_mailjets_index_sends_twice(
    mailjet: FakeMailjet, clean_db: str
) -> None:
    """Why the lag is long: Mailjet takes a second message with the same CustomID."""
    request_id = insert_request(clean_db, RECIPIENT)
    mailjet.index_lag_s = 60.0
    mailjet.hang_next(accept=True)
    async with notify_service(clean_db, mailjet, mailjet_lookup_lag_s=0.0) as notify:
        await failed_call(notify, request_id)
        await notify.SendSummaryEmail(send_request(request_id, RECIPIENT))

    assert [m.custom_id for m in mailjet.messages] == [f"summary-{request_id}"] * 2


async def test_unlisted_after_the_lag_is_sent_again_once(
    mailjet: FakeMailjet, clean_db: str
) -> None:
    request_id = insert_request(clean_db, RECIPIENT)
    mailjet.fail_next(status=500)  # not accepted, but notify cannot know that
    settings = {"mailjet_lookup_lag_s": 1.0, "mailjet_outcome_deadline_s": 5.0}
    async with notify_service(clean_db, mailjet, **settings) as notify:
        await failed_call(notify, request_id)
        too_soon = await failed_call(notify, request_id)
        assert too_soon.reason == "email_outcome_pending"
        assert too_soon.retry_after_s is not None
        assert 0 < too_soon.retry_after_s <= 1
        await asyncio.sleep(too_soon.retry_after_s)
        response = await notify.SendSummaryEmail(send_request(request_id, RECIPIENT))

    assert response.delivery.status == types_pb2.DELIVERY_STATUS_SENT
    assert mailjet.lookups == 2
    assert len(mailjet.requests) == 2
    assert len(mailjet.messages) == 1


@pytest.mark.parametrize(
    ("lookup_status", "reason_meanwhile"),
    [(503, "email_outcome_pending"), (401, "email_provider_auth_failed")],
)
async def test_lookups_failing_until_the_deadline_leave_the_delivery_unknown(
    lookup_status: int, reason_meanwhile: str, mailjet: FakeMailjet, clean_db: str
) -> None:
    request_id = insert_request(clean_db, RECIPIENT)
    mailjet.fail_next(status=500)
    mailjet.lookups_fail_with = lookup_status
    unknown_before = unknown_outcomes()
    settings = {"mailjet_lookup_lag_s": 0.5, "mailjet_outcome_deadline_s": 1.0}
    async with notify_service(clean_db, mailjet, **settings) as notify:
        await failed_call(notify, request_id)
        meanwhile = await failed_call(notify, request_id)
        await asyncio.sleep(1.0)
        gave_up = await failed_call(notify, request_id)
        again = await failed_call(notify, request_id)

    # Before the deadline the request waits, without using up its attempts.
    assert meanwhile.code is grpc.StatusCode.UNAVAILABLE
    assert meanwhile.reason == reason_meanwhile
    # Then it fails for good, in words the user can act on.
    assert gave_up.code is grpc.StatusCode.FAILED_PRECONDITION
    assert gave_up.reason == "delivery_unknown"
    assert gave_up.message == DELIVERY_UNKNOWN_MESSAGE
    assert unknown_outcomes() == unknown_before + 1
    row = delivery_row(clean_db, request_id)
    assert row is not None
    assert row["status"] == "unknown"
    assert "no lookup answered" in row["error_message"]
    # Asked again, it still does not risk a second email.
    assert again.code in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.FAILED_PRECONDITION)
    assert len(mailjet.requests) == 1


@pytest.mark.parametrize("accepted", [True, False], ids=["accepted", "not-accepted"])
async def test_retrying_an_unknown_delivery_looks_it_up_before_sending(
    accepted: bool, mailjet: FakeMailjet, clean_db: str
) -> None:
    """The user checked their inbox and retried: one email in the end, whatever happened."""
    request_id = insert_request(clean_db, RECIPIENT)
    if accepted:
        mailjet.hang_next(accept=True)
    else:
        mailjet.fail_next(status=500)
    mailjet.lookups_fail_with = 503
    async with notify_service(clean_db, mailjet) as notify:  # no lag, no deadline
        await failed_call(notify, request_id)
        assert (await failed_call(notify, request_id)).reason == "delivery_unknown"
        mailjet.lookups_fail_with = None
        response = await notify.SendSummaryEmail(send_request(request_id, RECIPIENT))

    assert response.delivery.status == types_pb2.DELIVERY_STATUS_SENT
    assert len(mailjet.messages) == 1
    assert len(mailjet.requests) == (1 if accepted else 2)
    row = delivery_row(clean_db, request_id)
    assert row is not None
    assert (row["status"], row["error_message"]) == ("sent", None)
