"""The IngestService servicer: audio in and out, summary requests created and read."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import grpc
import psycopg
import structlog
from prometheus_client import Counter

from ingest_svc import convert
from ingest_svc.config import IngestSettings
from ingest_svc.recipient_rpcs import RecipientRpcs
from ingest_svc.recipients import RecipientMailer
from ingest_svc.repository import IngestRepository
from ingest_svc.retention import ContentSweeper
from ingest_svc.storage import AudioStorage, LocalStorage
from ingest_svc.supabase_storage import SupabaseStorage
from ingest_svc.transcript_rpcs import TranscriptRpcs
from ingest_svc.upload import SpooledUpload, read_metadata, spool_upload
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
from ingest_svc.webhooks import WebhookDeliverer
from voice_agent.v1 import ingest_pb2, ingest_pb2_grpc
from voice_core import capabilities
from voice_core.chunks import UPLOAD_LIMIT_HEADER
from voice_core.context import Context, current_request_id
from voice_core.errors import ServiceError, failed_precondition, not_found, permission_denied
from voice_core.states import RequestStatus
from voice_core.timestamps import optional_time

log = structlog.get_logger("ingest_svc")
STORED_AUDIO = Counter("audio_stored_total", "Audio files stored, by media type.", ["content_type"])
STORED_BYTES = Counter("audio_stored_bytes_total", "Bytes of audio stored.")
DELETED_REQUESTS = Counter("requests_deleted_total", "Summary requests deleted by their owner.")


def _object_path(asset_id: uuid.UUID, extension: str) -> str:
    # Dated folders keep listings short; the id alone makes the path unique.
    return f"{datetime.now(UTC):%Y/%m/%d}/{asset_id}.{extension}"


class IngestServicer(RecipientRpcs, TranscriptRpcs, ingest_pb2_grpc.IngestServiceServicer):
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

    def _upload_limit(self) -> int:
        """The largest file taken: ours, or the storage bucket's if that is smaller."""
        bucket_limit = self._storage.max_object_bytes
        limit = self._settings.max_upload_bytes
        return limit if bucket_limit is None else min(limit, bucket_limit)

    async def UploadAudio(
        self,
        request_iterator: AsyncIterator[ingest_pb2.UploadAudioRequest],
        context: Context,
    ) -> ingest_pb2.UploadAudioResponse:
        metadata = await read_metadata(request_iterator)
        limit = self._upload_limit()
        with self._gate.admit() as ticket:
            # The headers say "admitted": only now does the caller stream the file.
            await context.send_initial_metadata(((UPLOAD_LIMIT_HEADER, str(limit)),))
            upload = await spool_upload(
                metadata, request_iterator, self._storage.spool_dir, limit, ticket
            )
            return await self._store(upload)

    async def _store(self, upload: SpooledUpload) -> ingest_pb2.UploadAudioResponse:
        # Every upload is an asset of its own with its own capability, even of bytes stored
        # before: the hash dedups transcripts, never who may use a file.
        asset_id = uuid.uuid4()
        upload_token = capabilities.new_token()
        object_path = _object_path(asset_id, upload.audio_type.extension)
        try:
            await self._storage.put(upload.path, object_path, upload.audio_type.content_type)
            row = await self._repository.insert_audio(
                asset_id=asset_id,
                storage_backend=self._storage.backend,
                storage_path=object_path,
                filename=upload.filename,
                content_type=upload.audio_type.content_type,
                size_bytes=upload.size_bytes,
                sha256=upload.sha256,
                upload_token_hash=capabilities.token_hash(upload_token),
            )
        except BaseException:
            # No row, no object, no spool file: never leave an orphan behind. Shielded, so
            # that a cancelled call (the caller gone) still finishes cleaning up.
            upload.path.unlink(missing_ok=True)
            await asyncio.shield(self._storage.delete(object_path))
            raise
        STORED_AUDIO.labels(upload.audio_type.content_type).inc()
        STORED_BYTES.inc(upload.size_bytes)
        log.info("audio stored", audio_id=str(asset_id), size_bytes=upload.size_bytes)
        return ingest_pb2.UploadAudioResponse(
            audio_asset=convert.audio_asset(row), upload_token=upload_token
        )

    async def ReadAudio(
        self, request: ingest_pb2.ReadAudioRequest, context: Context
    ) -> AsyncIterator[ingest_pb2.ReadAudioResponse]:
        row = await self._repository.get_audio(parse_uuid(request.audio_id, "audio_id"))
        if row is None:
            raise not_found("audio_not_found", f"no audio with id {request.audio_id}")
        yield ingest_pb2.ReadAudioResponse(audio_asset=convert.audio_asset(row))
        async for chunk in self._storage.read(row["storage_path"]):
            yield ingest_pb2.ReadAudioResponse(chunk=chunk)

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


def make_storage(settings: IngestSettings) -> AudioStorage:
    if settings.storage_backend == "supabase":
        return SupabaseStorage(
            settings.supabase_url,
            settings.supabase_service_role_key.get_secret_value(),
            settings.supabase_bucket,
            spool_dir=settings.audio_dir / ".spool",
        )
    return LocalStorage(settings.audio_dir)


class IngestApp:
    """The ingest service as the shared server runs it."""

    service_names = (ingest_pb2.DESCRIPTOR.services_by_name["IngestService"].full_name,)

    def __init__(self, settings: IngestSettings) -> None:
        self._repository = IngestRepository(settings)
        self._storage = make_storage(settings)
        self._mailer = RecipientMailer(settings, self._repository)
        self._servicer = IngestServicer(settings, self._repository, self._storage, self._mailer)
        self._sweeper = ContentSweeper(settings, self._repository, self._storage)
        self._sweeping: asyncio.Task[None] | None = None
        # Webhooks are off without a secret (requests naming one are refused).
        self._webhooks = (
            WebhookDeliverer(settings, self._repository) if settings.webhook_secret else None
        )
        self._delivering: asyncio.Task[None] | None = None

    def register(self, server: grpc.aio.Server) -> None:
        ingest_pb2_grpc.add_IngestServiceServicer_to_server(self._servicer, server)

    async def start(self) -> None:
        await self._storage.check()
        await self._repository.open()
        self._sweeping = asyncio.create_task(self._sweeper.run(), name="retention sweep")
        if self._webhooks is not None:
            self._delivering = asyncio.create_task(self._webhooks.run(), name="webhooks")

    async def stop(self) -> None:
        for task in (self._sweeping, self._delivering):
            if task is not None:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        if self._webhooks is not None:
            await self._webhooks.close()
        await self._mailer.close()
        await self._storage.close()
        await self._repository.close()
