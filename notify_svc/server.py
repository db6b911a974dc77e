"""The NotifyService servicer: one email per summary request, recorded before and after.

A `sending` row is written before the provider call. If a row already exists the call is a
repeat: a `sent` row is answered as is; a `sending` row (an attempt whose outcome is unknown) is
first looked up at the provider by its idempotency id, and sent again only when the provider has
no trace of it and its records have had time to catch up (`lookup_lag_s`). When the provider
cannot be asked until `outcome_deadline_s` after the attempt, the delivery becomes `unknown` and
the call fails for good with `delivery_unknown`: a possible second email is worse than telling
the user we do not know. Only a retry of the request (the user's choice) sends it after that.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import grpc
import structlog
from psycopg.rows import DictRow

from notify_svc.attachments import transcript_attachments
from notify_svc.compose import compose_summary_email
from notify_svc.config import NotifySettings
from notify_svc.links import PublicUrls, summary_links
from notify_svc.mailjet import MailjetSender
from notify_svc.metrics import EMAILS
from notify_svc.outbox import OutboxSender
from notify_svc.recipient_emails import PAGES, compose_recipient_email, recipient_link
from notify_svc.repository import DeliveryRepository
from notify_svc.senders import DeliveryError, EmailSender, OutgoingEmail
from voice_agent.v1 import notify_pb2, notify_pb2_grpc, types_pb2
from voice_core.context import Context
from voice_core.errors import ServiceError, failed_precondition, invalid_argument, unavailable
from voice_core.states import DeliveryStatus
from voice_core.timestamps import optional_time, to_timestamp
from voice_core.transcript_files import TranscriptFile

log = structlog.get_logger("notify_svc")

_STATUS = {
    DeliveryStatus.SENDING: types_pb2.DELIVERY_STATUS_SENDING,
    DeliveryStatus.SENT: types_pb2.DELIVERY_STATUS_SENT,
    DeliveryStatus.FAILED: types_pb2.DELIVERY_STATUS_FAILED,
    DeliveryStatus.UNKNOWN: types_pb2.DELIVERY_STATUS_UNKNOWN,
}
# While an unanswered attempt may still appear in the provider's records, look again this often.
_LOOKUP_INTERVAL_S = 60.0
# What the user reads when the outcome is unknown: what happened, and what they can do.
DELIVERY_UNKNOWN_MESSAGE = (
    "We could not confirm whether your summary email was sent: the email service neither"
    " confirmed nor denied it. Please check your inbox and spam folder; if it is not there,"
    " try again and it will be sent."
)


def custom_id_for(summary_request_id: uuid.UUID) -> str:
    """The idempotency id the provider sees; stable for a request across retries."""
    return f"summary-{summary_request_id}"


def _zone(name: str) -> tzinfo:
    """The recipient's time zone; UTC when unknown (ingest validated the name already)."""
    try:
        return ZoneInfo(name) if name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _delivery(row: dict[str, Any]) -> types_pb2.EmailDelivery:
    return types_pb2.EmailDelivery(
        id=str(row["id"]),
        summary_job_id=str(row["summary_request_id"]),
        status=_STATUS[row["status"]],
        provider=row["provider"],
        provider_message_id=row["provider_message_id"] or "",
        recipient=row["recipient"],
        error_message=row["error_message"] or "",
        sent_at=to_timestamp(row["sent_at"]),
    )


def _as_service_error(error: DeliveryError) -> ServiceError:
    if error.permanent:
        return failed_precondition(error.reason, error.message)
    return unavailable(error.reason, error.message, retry_after_s=error.retry_after_s)


def _response(row: dict[str, Any]) -> notify_pb2.SendSummaryEmailResponse:
    return notify_pb2.SendSummaryEmailResponse(delivery=_delivery(row))


class NotifyServicer(notify_pb2_grpc.NotifyServiceServicer):
    def __init__(
        self, repository: DeliveryRepository, sender: EmailSender, urls: PublicUrls | None = None
    ) -> None:
        self._repository = repository
        self._sender = sender
        self._urls = urls or PublicUrls()

    async def SendRecipientEmail(
        self, request: notify_pb2.SendRecipientEmailRequest, context: Context
    ) -> notify_pb2.SendRecipientEmailResponse:
        """A fixed email: the caller decided it may go (ingest's caps), so it is sent once, with
        no delivery record (there is no request to attach one to)."""
        if request.kind not in PAGES or not request.recipient or not request.token:
            raise invalid_argument(
                "invalid_email_request", "a known kind, a recipient and a token are required"
            )
        link = recipient_link(self._urls.app, request.kind, request.token)
        content = compose_recipient_email(request.kind, link)
        custom_id = f"{PAGES[request.kind]}-{uuid.uuid4()}"
        try:
            sent = await self._sender.send(OutgoingEmail(request.recipient, content, custom_id))
        except DeliveryError as error:
            EMAILS.labels(self._sender.provider, "failed").inc()
            log.warning("recipient email not sent", reason=error.reason, error=error.message)
            raise _as_service_error(error) from None
        EMAILS.labels(self._sender.provider, "sent").inc()
        log.info("recipient email sent", provider=self._sender.provider, custom_id=custom_id)
        return notify_pb2.SendRecipientEmailResponse(provider_message_id=sent.provider_message_id)

    async def SendSummaryEmail(
        self, request: notify_pb2.SendSummaryEmailRequest, context: Context
    ) -> notify_pb2.SendSummaryEmailResponse:
        try:
            summary_request_id = uuid.UUID(request.summary_job_id)
        except ValueError:
            raise invalid_argument(
                "invalid_summary_job_id", "summary_job_id must be a UUID"
            ) from None
        # The same log keys as the scheduler's: the call's `request_id` is already bound.
        structlog.contextvars.bind_contextvars(summary_request_id=str(summary_request_id))
        if not request.recipient or not request.summary.bullets:
            raise invalid_argument("invalid_email_request", "a recipient and bullets are required")
        custom_id = custom_id_for(summary_request_id)
        row, fresh = await self._repository.begin(
            summary_request_id, request.recipient, self._sender.provider, custom_id
        )
        if row["status"] == DeliveryStatus.SENT:
            return _response(row)
        try:
            if not fresh:
                if earlier := await self._settle_earlier_attempt(row, custom_id):
                    return _response(earlier)
                await self._repository.restart(row["id"])
            # Formatting a long note's thousands of segments is CPU work, off the loop.
            attachments = await asyncio.to_thread(
                transcript_attachments, request.transcript, request.transcript_segments
            )
            outgoing = self._outgoing(request, custom_id, self._urls, attachments)
            sent = await self._sender.send(outgoing)
        except DeliveryError as error:
            outcome = "failed" if error.permanent else "deferred"
            EMAILS.labels(self._sender.provider, outcome).inc()
            await self._record_failure(row["id"], error)
            raise _as_service_error(error) from None
        EMAILS.labels(self._sender.provider, "sent").inc()
        log.info("email sent", provider=self._sender.provider, custom_id=custom_id)
        return _response(await self._repository.mark_sent(row["id"], sent))

    async def _settle_earlier_attempt(self, row: DictRow, custom_id: str) -> DictRow | None:
        """The delivery as sent when the provider holds the email of an earlier attempt; None
        when it may be sent now; otherwise raises: wait (`email_outcome_pending`, the provider's
        keys), or give up (`delivery_unknown`)."""
        provider = self._sender.provider
        waited_s = (datetime.now(UTC) - row["updated_at"]).total_seconds()
        try:
            earlier = await self._sender.find_sent(custom_id)
        except DeliveryError as error:
            if waited_s >= self._sender.outcome_deadline_s:
                raise await self._give_up(row, waited_s, error) from None
            if error.reason == "email_provider_auth_failed":
                raise _as_service_error(error) from None
            remaining_s = self._sender.outcome_deadline_s - waited_s
            raise unavailable(
                "email_outcome_pending",
                f"an earlier attempt got no clear answer and {provider} could not be asked"
                f" about it ({error.message}); it is asked again shortly",
                retry_after_s=error.retry_after_s or min(remaining_s, _LOOKUP_INTERVAL_S),
            ) from None
        if earlier is not None:
            log.info("delivery reconciled", custom_id=custom_id)
            EMAILS.labels(provider, "reconciled").inc()
            return await self._repository.mark_sent(row["id"], earlier)
        wait_s = self._sender.lookup_lag_s - waited_s
        # An `unknown` row asked again is the request's retry: the user chose to send it.
        if row["status"] == "sending" and wait_s > 0:
            raise unavailable(
                "email_outcome_pending",
                f"an earlier attempt got no clear answer and {provider} has no record of the"
                f" email yet; it is sent again only if it still has none in {wait_s:.0f} s",
                retry_after_s=min(wait_s, _LOOKUP_INTERVAL_S),
            )
        return None

    async def _give_up(self, row: DictRow, waited_s: float, error: DeliveryError) -> ServiceError:
        """No answer and no record in time: say so rather than risk a second email."""
        EMAILS.labels(self._sender.provider, "unknown").inc()
        log.error(
            "email outcome unknown; it is not sent again",
            delivery_id=str(row["id"]),
            waited_s=round(waited_s),
            last_error=error.message,
        )
        await self._repository.mark_unknown(
            row["id"],
            f"no clear answer from {self._sender.provider} and no lookup answered within"
            f" {waited_s:.0f} s; last: {error.message}",
        )
        return failed_precondition("delivery_unknown", DELIVERY_UNKNOWN_MESSAGE)

    @staticmethod
    def _outgoing(
        request: notify_pb2.SendSummaryEmailRequest,
        custom_id: str,
        urls: PublicUrls,
        attachments: tuple[TranscriptFile, ...] = (),
    ) -> OutgoingEmail:
        requested_at = optional_time(request, "requested_at") or datetime.now(UTC)
        links, headers = summary_links(urls, request)
        content = compose_summary_email(
            request.summary,
            request.transcript_excerpt,
            requested_at,
            _zone(request.time_zone),
            links,
            attached=[file.filename for file in attachments],
        )
        return OutgoingEmail(request.recipient, content, custom_id, headers, attachments)

    async def _record_failure(self, delivery_id: uuid.UUID, error: DeliveryError) -> None:
        log.warning(
            "email not sent",
            reason=error.reason,
            error=error.message,
            permanent=error.permanent,
            maybe_sent=error.maybe_sent,
        )
        if error.permanent:
            await self._repository.mark_failed(delivery_id, error.message)
        elif not error.maybe_sent:
            await self._repository.forget(delivery_id)


def make_sender(settings: NotifySettings) -> EmailSender:
    if settings.email_backend == "mailjet":
        return MailjetSender(settings)
    return OutboxSender(settings)


class NotifyApp:
    """The notification service as the shared server runs it."""

    service_names = (notify_pb2.DESCRIPTOR.services_by_name["NotifyService"].full_name,)

    def __init__(self, settings: NotifySettings) -> None:
        self._repository = DeliveryRepository(settings)
        self._sender = make_sender(settings)
        urls = PublicUrls(app=settings.public_app_url, api=settings.public_api_url)
        self._servicer = NotifyServicer(self._repository, self._sender, urls)

    def register(self, server: grpc.aio.Server) -> None:
        notify_pb2_grpc.add_NotifyServiceServicer_to_server(self._servicer, server)

    async def start(self) -> None:
        await self._repository.open()

    async def stop(self) -> None:
        await self._sender.close()
        await self._repository.close()
