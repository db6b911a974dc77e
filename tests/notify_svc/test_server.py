"""NotifyService over real gRPC: one .eml per request in the outbox, recorded in Postgres."""

from __future__ import annotations

import email
import email.policy
from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import psycopg
import pytest
from pydantic import SecretStr

from notify_svc.config import NotifySettings
from notify_svc.server import NotifyApp
from tests.support import client_channel, count_rows, create_requests, running
from voice_agent.v1 import notify_pb2, notify_pb2_grpc, types_pb2

SUMMARY = types_pb2.Summary(
    bullets=["The launch moves to Friday.", "Legal signed off <script>alert(1)</script>."],
    next_step="Email the agency the new date by Thursday.",
    next_step_found=True,
)


@pytest.fixture
async def notify(
    clean_db: str, tmp_path: Path
) -> AsyncIterator[notify_pb2_grpc.NotifyServiceAsyncStub]:
    settings = NotifySettings(database_url=SecretStr(clean_db), outbox_dir=tmp_path / "outbox")
    async with running(NotifyApp(settings)) as address, client_channel(address) as ch:
        yield notify_pb2_grpc.NotifyServiceStub(ch)


def insert_request(database_url: str, recipient: str) -> str:
    """A summary request row for the delivery to refer to."""
    with psycopg.connect(database_url, autocommit=True) as connection:
        [request_id] = create_requests(connection, raw_transcript=None, email=recipient)
    return str(request_id)


def send_request(request_id: str, recipient: str) -> notify_pb2.SendSummaryEmailRequest:
    return notify_pb2.SendSummaryEmailRequest(
        summary_job_id=request_id,
        recipient=recipient,
        summary=SUMMARY,
        transcript_excerpt="So, the launch <b>moves</b> to Friday…",
    )


async def test_email_lands_in_outbox_once(
    notify: notify_pb2_grpc.NotifyServiceAsyncStub, clean_db: str, tmp_path: Path
) -> None:
    request_id = insert_request(clean_db, "ana@example.com")
    first = await notify.SendSummaryEmail(send_request(request_id, "ana@example.com"))
    again = await notify.SendSummaryEmail(send_request(request_id, "ana@example.com"))

    assert first.delivery.status == types_pb2.DELIVERY_STATUS_SENT
    assert first.delivery.provider == "outbox"
    assert again.delivery.id == first.delivery.id
    files = list((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 1
    assert count_rows(clean_db, "email_deliveries") == 1

    message = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert message["To"] == "ana@example.com"
    assert message["Message-ID"] == first.delivery.provider_message_id
    assert "The launch moves to Friday" in message["Subject"]
    text_part = message.get_body(preferencelist=("plain",))
    html_part = message.get_body(preferencelist=("html",))
    assert text_part is not None
    assert html_part is not None
    text, html = text_part.get_content(), html_part.get_content()
    assert "Email the agency the new date by Thursday." in text
    assert "&lt;script&gt;" in html
    assert "<script>" not in html
    assert "&lt;b&gt;moves&lt;/b&gt;" in html


async def test_bad_request_id_is_invalid(notify: notify_pb2_grpc.NotifyServiceAsyncStub) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await notify.SendSummaryEmail(send_request("not-a-uuid", "ana@example.com"))
    assert caught.value.code() is grpc.StatusCode.INVALID_ARGUMENT


async def test_crashed_send_is_reconciled_not_repeated(
    notify: notify_pb2_grpc.NotifyServiceAsyncStub, clean_db: str, tmp_path: Path
) -> None:
    """A `sending` row whose email already reached the outbox is completed, not sent again."""
    request_id = insert_request(clean_db, "bo@example.com")
    await notify.SendSummaryEmail(send_request(request_id, "bo@example.com"))
    with psycopg.connect(clean_db, autocommit=True) as connection:
        connection.execute("UPDATE email_deliveries SET status = 'sending', sent_at = NULL")

    response = await notify.SendSummaryEmail(send_request(request_id, "bo@example.com"))
    assert response.delivery.status == types_pb2.DELIVERY_STATUS_SENT
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1
