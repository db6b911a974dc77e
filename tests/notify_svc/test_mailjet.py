"""NotifyService with EMAIL_BACKEND=mailjet, over real gRPC and real HTTP to a local Mailjet.

Every answer class Mailjet documents is met once: success, sandbox, a rejected message, refused
credentials, 429 with Retry-After, 503 and 500, a timeout, a reset connection, no connection.
What an unanswered attempt becomes later (looked up, sent again, unknown) is in
test_delivery_outcome.py.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import grpc
import psycopg
import pytest
from psycopg.rows import dict_row
from pydantic import SecretStr

from notify_svc.config import NotifySettings
from notify_svc.mailjet import retry_after_seconds
from notify_svc.recipient_emails import compose_recipient_email
from notify_svc.server import NotifyApp
from tests.fakes.mailjet import FakeMailjet
from tests.fakes.mailjet_words import one_click_unsubscribe_url
from tests.notify_svc.test_server import insert_request, send_request
from tests.support import client_channel, running
from voice_agent.v1 import notify_pb2, notify_pb2_grpc, types_pb2
from voice_core.errors import RemoteError, read_rpc_error

if TYPE_CHECKING:
    Stub = notify_pb2_grpc.NotifyServiceAsyncStub
RECIPIENT = "ana@example.com"


@asynccontextmanager
async def notify_service(
    database_url: str, mailjet: FakeMailjet, **settings: Any
) -> AsyncIterator[Stub]:
    defaults: dict[str, Any] = {
        "email_backend": "mailjet",
        "mailjet_base_url": mailjet.base_url,
        "mailjet_api_key": mailjet.api_key,
        "mailjet_api_secret": mailjet.api_secret,
        "mail_from_email": "notes@example.com",
        "mailjet_timeout_s": 1.0,
        "mailjet_lookup_lag_s": 0.0,
        "mailjet_outcome_deadline_s": 0.0,
    }
    app = NotifyApp(NotifySettings(database_url=SecretStr(database_url), **(defaults | settings)))
    async with running(app) as address, client_channel(address) as channel:
        yield notify_pb2_grpc.NotifyServiceStub(channel)


@pytest.fixture
async def notify(clean_db: str, mailjet: FakeMailjet) -> AsyncIterator[Stub]:
    async with notify_service(clean_db, mailjet) as stub:
        yield stub


async def failed_call(notify: Stub, request_id: str, recipient: str = RECIPIENT) -> RemoteError:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await notify.SendSummaryEmail(send_request(request_id, recipient))
    return read_rpc_error(caught.value)


def delivery_row(database_url: str, request_id: str) -> dict[str, Any] | None:
    with psycopg.connect(database_url, row_factory=dict_row) as connection:
        return connection.execute(
            "SELECT * FROM email_deliveries WHERE summary_request_id = %s", [request_id]
        ).fetchone()


async def test_success_sends_the_documented_message_and_keeps_the_receipt(
    notify: Stub, mailjet: FakeMailjet, clean_db: str
) -> None:
    request_id = insert_request(clean_db, RECIPIENT)
    first = await notify.SendSummaryEmail(send_request(request_id, RECIPIENT))
    again = await notify.SendSummaryEmail(send_request(request_id, RECIPIENT))

    (body,) = mailjet.requests
    assert "SandboxMode" not in body
    (message,) = body["Messages"]
    assert message["From"] == {"Email": "notes@example.com", "Name": "Voice Notes"}
    assert message["To"] == [{"Email": RECIPIENT}]
    assert message["CustomID"] == f"summary-{request_id}"
    assert "The launch moves to Friday" in message["Subject"]
    assert "Email the agency the new date by Thursday." in message["TextPart"]
    assert "&lt;script&gt;" in message["HTMLPart"]
    assert "<script>" not in message["HTMLPart"]

    (sent,) = mailjet.messages
    assert first.delivery.status == types_pb2.DELIVERY_STATUS_SENT
    assert first.delivery.provider == "mailjet"
    assert first.delivery.provider_message_id == str(sent.id)
    assert again.delivery.id == first.delivery.id
    row = delivery_row(clean_db, request_id)
    assert row is not None
    assert row["provider_message_uuid"] == sent.uuid
    assert row["provider_message_href"] == f"{mailjet.base_url}/v3/REST/message/{sent.id}"


async def test_delivery_is_recorded_before_mailjet_accepts(
    notify: Stub, mailjet: FakeMailjet, clean_db: str
) -> None:
    """A crash between Mailjet's acceptance and its answer leaves a `sending` row to reconcile."""
    request_id = insert_request(clean_db, RECIPIENT)
    statuses: list[str] = []

    def when_accepted(_message: object) -> None:
        row = delivery_row(clean_db, request_id)
        statuses.append(row["status"] if row else "no row")

    mailjet.before_answer = when_accepted
    await notify.SendSummaryEmail(send_request(request_id, RECIPIENT))
    assert statuses == ["sending"]


async def test_sandbox_mode_validates_without_delivering(
    clean_db: str, mailjet: FakeMailjet
) -> None:
    request_id = insert_request(clean_db, RECIPIENT)
    async with notify_service(clean_db, mailjet, mailjet_sandbox=True) as notify:
        response = await notify.SendSummaryEmail(send_request(request_id, RECIPIENT))

    assert mailjet.requests[0]["SandboxMode"] is True
    assert response.delivery.status == types_pb2.DELIVERY_STATUS_SENT
    assert mailjet.messages == []
    assert len(mailjet.sandboxed) == 1


async def test_rejected_message_fails_for_good_in_mailjets_words(
    notify: Stub, mailjet: FakeMailjet, clean_db: str
) -> None:
    request_id = insert_request(clean_db, "ana@example")
    error = await failed_call(notify, request_id, "ana@example")

    assert error.code is grpc.StatusCode.FAILED_PRECONDITION
    assert error.reason == "email_rejected"
    assert '"ana@example" is an invalid email address. (mj-0013; related to To[0].Email)' in (
        error.message
    )
    row = delivery_row(clean_db, request_id)
    assert row is not None
    assert row["status"] == "failed"
    assert row["error_message"] == error.message
    assert mailjet.messages == []


async def test_scripted_rejection_reads_like_mailjets(
    notify: Stub, mailjet: FakeMailjet, clean_db: str
) -> None:
    request_id = insert_request(clean_db, RECIPIENT)
    mailjet.reject_next("Sender is blocked.", error_code="mj-0099", related_to=("From.Email",))
    error = await failed_call(notify, request_id)
    assert error.reason == "email_rejected"
    assert error.message.endswith("Sender is blocked. (mj-0099; related to From.Email)")


async def test_throttling_is_transient_and_carries_retry_after(
    notify: Stub, mailjet: FakeMailjet, clean_db: str
) -> None:
    request_id = insert_request(clean_db, RECIPIENT)
    mailjet.fail_next(status=429, retry_after="7")
    error = await failed_call(notify, request_id)

    assert error.code is grpc.StatusCode.UNAVAILABLE
    assert error.reason == "email_provider_throttled"
    assert error.retry_after_s == 7
    # Surely not sent: nothing to reconcile, the next attempt sends at once.
    assert delivery_row(clean_db, request_id) is None
    await notify.SendSummaryEmail(send_request(request_id, RECIPIENT))
    assert len(mailjet.messages) == 1


async def test_unavailable_twice_then_sent_once(
    notify: Stub, mailjet: FakeMailjet, clean_db: str
) -> None:
    request_id = insert_request(clean_db, RECIPIENT)
    mailjet.fail_next(2, status=503)
    for _ in range(2):
        error = await failed_call(notify, request_id)
        assert error.code is grpc.StatusCode.UNAVAILABLE
        assert error.reason == "email_provider_unavailable"
    response = await notify.SendSummaryEmail(send_request(request_id, RECIPIENT))

    assert response.delivery.status == types_pb2.DELIVERY_STATUS_SENT
    assert len(mailjet.messages) == 1


async def test_server_error_keeps_the_delivery_open_for_a_lookup(
    notify: Stub, mailjet: FakeMailjet, clean_db: str
) -> None:
    request_id = insert_request(clean_db, RECIPIENT)
    mailjet.fail_next(status=500)
    error = await failed_call(notify, request_id)

    assert error.code is grpc.StatusCode.UNAVAILABLE
    row = delivery_row(clean_db, request_id)
    assert row is not None
    assert row["status"] == "sending"
    await notify.SendSummaryEmail(send_request(request_id, RECIPIENT))
    assert len(mailjet.messages) == 1


async def test_timeout_after_acceptance_is_reconciled_not_resent(
    notify: Stub, mailjet: FakeMailjet, clean_db: str
) -> None:
    request_id = insert_request(clean_db, RECIPIENT)
    mailjet.hang_next(accept=True)
    error = await failed_call(notify, request_id)
    assert error.code is grpc.StatusCode.UNAVAILABLE
    assert "may have accepted" in error.message

    response = await notify.SendSummaryEmail(send_request(request_id, RECIPIENT))
    (accepted,) = mailjet.messages
    assert len(mailjet.requests) == 1
    assert response.delivery.status == types_pb2.DELIVERY_STATUS_SENT
    assert response.delivery.provider_message_id == str(accepted.id)
    row = delivery_row(clean_db, request_id)
    assert row is not None
    assert row["provider_message_uuid"] == accepted.uuid


async def test_reset_connection_before_acceptance_is_sent_once_later(
    notify: Stub, mailjet: FakeMailjet, clean_db: str
) -> None:
    request_id = insert_request(clean_db, RECIPIENT)
    mailjet.reset_next(accept=False)
    error = await failed_call(notify, request_id)
    assert error.code is grpc.StatusCode.UNAVAILABLE

    await notify.SendSummaryEmail(send_request(request_id, RECIPIENT))
    assert len(mailjet.requests) == 2
    assert len(mailjet.messages) == 1


async def test_unreachable_mailjet_is_transient_and_leaves_nothing_to_reconcile(
    clean_db: str, mailjet: FakeMailjet
) -> None:
    with socket.socket() as placeholder:
        placeholder.bind(("127.0.0.1", 0))
        closed_port = placeholder.getsockname()[1]
    request_id = insert_request(clean_db, RECIPIENT)
    base_url = f"http://127.0.0.1:{closed_port}"
    async with notify_service(clean_db, mailjet, mailjet_base_url=base_url) as notify:
        error = await failed_call(notify, request_id)

    assert error.code is grpc.StatusCode.UNAVAILABLE
    assert "unreachable" in error.message
    assert delivery_row(clean_db, request_id) is None


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2026, 10, 21, 7, 27, 30, tzinfo=UTC)
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds("Wed, 21 Oct 2026 07:28:00 GMT", now=now) == 30
    assert retry_after_seconds("Wed, 21 Oct 2026 07:00:00 GMT", now=now) == 0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


async def test_a_summary_email_carries_one_click_unsubscribe_and_its_links(
    mailjet: FakeMailjet, clean_db: str
) -> None:
    request_id = insert_request(clean_db, RECIPIENT)
    request = send_request(request_id, RECIPIENT)
    request.access_token, request.unsubscribe_token = "A" * 43, "U" * 43
    urls = {"public_app_url": "https://notes.example", "public_api_url": "https://api.example"}

    async with notify_service(clean_db, mailjet, **urls) as notify:
        await notify.SendSummaryEmail(request)

    (sent,) = mailjet.messages
    unsubscribe = one_click_unsubscribe_url(sent.headers)
    assert unsubscribe == f"https://api.example/v1/recipients/unsubscribe?token={'U' * 43}"
    status = f"https://notes.example/requests/{request_id}#token={'A' * 43}"
    assert status in sent.text
    assert f"{status}&amp;action=delete" in sent.html
    assert f"https://notes.example/unsubscribe#token={'U' * 43}" in sent.html


async def test_a_confirmation_email_is_fixed_text_with_its_link(
    mailjet: FakeMailjet, clean_db: str
) -> None:
    async with notify_service(clean_db, mailjet, public_app_url="https://notes.example") as notify:
        await notify.SendRecipientEmail(
            notify_pb2.SendRecipientEmailRequest(
                kind=notify_pb2.RECIPIENT_EMAIL_KIND_CONFIRMATION,
                recipient=RECIPIENT,
                token="T" * 43,
            )
        )

    (sent,) = mailjet.messages
    link = f"https://notes.example/confirm#token={'T' * 43}"
    fixed = compose_recipient_email(notify_pb2.RECIPIENT_EMAIL_KIND_CONFIRMATION, link)
    assert (sent.subject, sent.text, sent.html) == (fixed.subject, fixed.text, fixed.html)
    assert sent.headers == {}  # no list to leave: it is the only email an unconfirmed address gets
