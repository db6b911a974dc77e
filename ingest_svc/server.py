"""The IngestService servicer: summary requests created, read and changed; the audio,
recipient and transcript calls come from its mixins."""

from __future__ import annotations

import uuid
from typing import Any

import psycopg
import structlog
from prometheus_client import Counter

from ingest_svc import convert
from ingest_svc.audio_rpcs import AudioRpcs
from ingest_svc.config import IngestSettings
from ingest_svc.recipient_rpcs import RecipientRpcs
from ingest_svc.recipients import RecipientMailer
from ingest_svc.repository import IngestRepository
from ingest_svc.retention import ContentSweeper
from ingest_svc.storage import AudioStorage
from ingest_svc.transcript_rpcs import TranscriptRpcs
from ingest_svc.upload_gate import UploadGate
from ingest_svc.validation import (
    check_time_zone,
    clean_language,
    clean_transcript,
    clean_vocabulary,
    due_time,
    normalize_email,
    parse_uuid,
)
from ingest_svc.webhook_urls import accept_webhook_url
from voice_agent.v1 import ingest_pb2, ingest_pb2_grpc
from voice_core import capabilities
from voice_core.context import Context, current_request_id
from voice_core.errors import ServiceError, failed_precondition, not_found, permission_denied
from voice_core.states import RequestStatus
from voice_core.timestamps import optional_time

log = structlog.get_logger("ingest_svc")
DELETED_REQUESTS = Counter("requests_deleted_total", "Summary requests deleted by their owner.")


class IngestServicer(
    AudioRpcs, RecipientRpcs, TranscriptRpcs, ingest_pb2_grpc.IngestServiceServicer
):
    def __init__(
        self,
        settings: IngestSettings,
        repository: IngestRepository,
        storage: AudioStorage,
        mailer: RecipientMailer | None = None,
    ) -> None:
        self._settings = settings
        self._repository = repository
        self._storage = storage
        self._mailer = mailer or RecipientMailer(settings, repository)
        self._content = ContentSweeper(settings, repository, storage)
        self._gate = UploadGate(
            storage.spool_dir,
            slots=settings.upload_slots,
            max_upload_bytes=settings.max_upload_bytes,
            min_free_bytes=settings.spool_min_free_bytes,
        )

    async def CreateSummaryJob(
        self, request: ingest_pb2.CreateSummaryJobRequest, context: Context
    ) -> ingest_pb2.CreateSummaryJobResponse:
        email = normalize_email(request.email)
        audio_id = parse_uuid(request.audio_id, "audio_id")
        due_at = due_time(optional_time(request, "send_at"))
        time_zone = check_time_zone(request.time_zone)
        raw_transcript = clean_transcript(
            request.raw_transcript if request.HasField("raw_transcript") else None,
            self._settings.max_transcript_chars,
        )
        vocabulary = clean_vocabulary(list(request.vocabulary))
        language = clean_language(request.language)
        webhook_url = None
        if request.HasField("webhook_url"):
            webhook_url = await accept_webhook_url(
                request.webhook_url,
                secret_configured=self._settings.webhook_secret is not None,
                allow_private=self._settings.webhook_allow_private,
            )
        # Checked once the input is valid. An unknown file and another's answer alike, so
        # nothing tells which ids exist.
        stored_hash = await self._repository.upload_token_hash(audio_id)
        if not capabilities.matches(request.upload_token, [stored_hash]):
            raise permission_denied(
                "upload_token_invalid", "this upload_token does not belong to this audio_id"
            )
        access_token = capabilities.new_token()
        row = await self._repository.create_request(
            email=email,
            audio_id=audio_id,
            send_at=due_at,
            raw_transcript=raw_transcript,
            time_zone=time_zone,
            # The call's id (the browser's X-Request-ID, passed on by the gateway), kept so the
            # scheduler's work on the request logs and passes on the same id.
            request_id=current_request_id() or "",
            access_token_hash=capabilities.token_hash(access_token),
            confirmation_required=self._settings.recipient_confirmation == "required",
            vocabulary=vocabulary,
            language=language,
            webhook_url=webhook_url,
        )
        if row is None:
            raise not_found("audio_not_found", f"no audio with id {request.audio_id}")
        log.info("summary request created", summary_request_id=str(row["id"]))
        if row["status"] == RequestStatus.AWAITING_CONFIRMATION:
            self._mailer.confirm_later(email)
        return ingest_pb2.CreateSummaryJobResponse(
            summary_job=convert.summary_job(row), access_token=access_token
        )

    async def DescribeIngest(
        self, request: ingest_pb2.DescribeIngestRequest, context: Context
    ) -> ingest_pb2.DescribeIngestResponse:
        return ingest_pb2.DescribeIngestResponse(
            recipient_confirmation_required=self._settings.recipient_confirmation == "required"
        )

    async def GetSummaryJob(
        self, request: ingest_pb2.GetSummaryJobRequest, context: Context
    ) -> ingest_pb2.GetSummaryJobResponse:
        summary_request_id = await self._authorize(request.id, request.access_token)
        row = await self._repository.get_request(summary_request_id)
        if row is None:
            raise _request_not_found()
        return ingest_pb2.GetSummaryJobResponse(summary_job=convert.summary_job(row))

    async def CancelSummaryJob(
        self, request: ingest_pb2.CancelSummaryJobRequest, context: Context
    ) -> ingest_pb2.CancelSummaryJobResponse:
        row = await self._transition("cancel", request.id, request.access_token)
        return ingest_pb2.CancelSummaryJobResponse(summary_job=row)

    async def RescheduleSummaryJob(
        self, request: ingest_pb2.RescheduleSummaryJobRequest, context: Context
    ) -> ingest_pb2.RescheduleSummaryJobResponse:
        send_at = optional_time(request, "send_at")
        row = await self._transition(
            "reschedule", request.id, request.access_token, due_time(send_at)
        )
        return ingest_pb2.RescheduleSummaryJobResponse(summary_job=row)

    async def RetrySummaryJob(
        self, request: ingest_pb2.RetrySummaryJobRequest, context: Context
    ) -> ingest_pb2.RetrySummaryJobResponse:
        row = await self._transition("retry", request.id, request.access_token)
        return ingest_pb2.RetrySummaryJobResponse(summary_job=row)

    async def DeleteSummaryJob(
        self, request: ingest_pb2.DeleteSummaryJobRequest, context: Context
    ) -> ingest_pb2.DeleteSummaryJobResponse:
        summary_request_id = await self._authorize(request.id, request.access_token)
        try:
            objects = await self._repository.delete_request(summary_request_id)
        except psycopg.errors.NoDataFound:
            raise _request_not_found() from None
        await self._content.delete_objects(objects)
        DELETED_REQUESTS.inc()
        log.info("summary request deleted", summary_request_id=request.id, objects=len(objects))
        return ingest_pb2.DeleteSummaryJobResponse()

    async def _authorize(self, raw_id: str, access_token: str) -> uuid.UUID:
        """The request's id if `access_token` is one of its capabilities. An unknown id, a
        deleted request and a wrong token all answer the same NOT_FOUND."""
        summary_request_id = parse_uuid(raw_id, "id")
        stored = await self._repository.capability_hashes(summary_request_id)
        if not capabilities.matches(access_token, stored):
            raise _request_not_found()
        return summary_request_id

    async def _transition(
        self, change: str, raw_id: str, access_token: str, *args: Any
    ) -> ingest_pb2.SummaryJob:
        """Apply a state change; NOT_FOUND if the id is unknown or the token wrong,
        FAILED_PRECONDITION (409) if the request's status does not allow it (the database
        decides, and says why)."""
        summary_request_id = await self._authorize(raw_id, access_token)
        try:
            row = await self._repository.transition(change, summary_request_id, *args)
        except psycopg.errors.NoDataFound:
            raise _request_not_found() from None
        except psycopg.errors.ObjectNotInPrerequisiteState as refused:
            message = refused.diag.message_primary or "this change is not allowed now"
            raise failed_precondition("invalid_transition", message) from None
        log.info("summary request changed", summary_request_id=raw_id, change=change)
        return convert.summary_job(row)


def _request_not_found() -> ServiceError:
    return not_found("request_not_found", "no such request")
