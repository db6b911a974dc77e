"""Database rows → protobuf messages."""

from __future__ import annotations

from typing import Any

from ingest_svc.webhook_convert import webhook_delivery
from voice_agent.v1 import ingest_pb2, types_pb2
from voice_core.public_errors import public_message
from voice_core.states import DeliveryStatus, RequestStage, RequestStatus, TranscriptSource
from voice_core.timestamps import to_timestamp as timestamp
from voice_core.transcript_files import TranscriptFormat, available_formats

_STATUS = {
    RequestStatus.PENDING: ingest_pb2.SUMMARY_JOB_STATUS_PENDING,
    RequestStatus.PROCESSING: ingest_pb2.SUMMARY_JOB_STATUS_PROCESSING,
    RequestStatus.SENT: ingest_pb2.SUMMARY_JOB_STATUS_SENT,
    RequestStatus.FAILED: ingest_pb2.SUMMARY_JOB_STATUS_FAILED,
    RequestStatus.CANCELED: ingest_pb2.SUMMARY_JOB_STATUS_CANCELED,
    RequestStatus.AWAITING_CONFIRMATION: ingest_pb2.SUMMARY_JOB_STATUS_AWAITING_CONFIRMATION,
}
_STAGE = {
    RequestStage.TRANSCRIBING: ingest_pb2.SUMMARY_JOB_STAGE_TRANSCRIBING,
    RequestStage.SUMMARIZING: ingest_pb2.SUMMARY_JOB_STAGE_SUMMARIZING,
    RequestStage.EMAILING: ingest_pb2.SUMMARY_JOB_STAGE_EMAILING,
}
_SOURCE = {
    TranscriptSource.RAW: ingest_pb2.TRANSCRIPT_SOURCE_RAW,
    TranscriptSource.EXISTING: ingest_pb2.TRANSCRIPT_SOURCE_EXISTING,
    TranscriptSource.TRANSCRIBED: ingest_pb2.TRANSCRIPT_SOURCE_TRANSCRIBED,
}
TRANSCRIPT_FORMATS = {
    TranscriptFormat.TXT: ingest_pb2.TRANSCRIPT_FORMAT_TXT,
    TranscriptFormat.SRT: ingest_pb2.TRANSCRIPT_FORMAT_SRT,
    TranscriptFormat.VTT: ingest_pb2.TRANSCRIPT_FORMAT_VTT,
}
_DELIVERY_STATUS = {
    DeliveryStatus.SENDING: types_pb2.DELIVERY_STATUS_SENDING,
    DeliveryStatus.SENT: types_pb2.DELIVERY_STATUS_SENT,
    DeliveryStatus.FAILED: types_pb2.DELIVERY_STATUS_FAILED,
    DeliveryStatus.UNKNOWN: types_pb2.DELIVERY_STATUS_UNKNOWN,
}


def audio_asset(row: dict[str, Any]) -> ingest_pb2.AudioAsset:
    return ingest_pb2.AudioAsset(
        id=str(row["id"]),
        sha256=row["sha256"],
        size_bytes=row["size_bytes"],
        content_type=row["content_type"],
        duration_s=row["duration_s"],
        filename=row["filename"],
        created_at=timestamp(row["created_at"]),
    )


def _transcript(row: dict[str, Any]) -> ingest_pb2.SummaryJobTranscript | None:
    source = row["transcript_source"]
    if source is None:
        return None
    text = row["raw_transcript"] if source == TranscriptSource.RAW else row["transcript_text"]
    return ingest_pb2.SummaryJobTranscript(
        source=_SOURCE[source], text=text or "", language=row["transcript_language"] or ""
    )


def _transcript_formats(
    transcript: ingest_pb2.SummaryJobTranscript | None, row: dict[str, Any]
) -> list[ingest_pb2.TranscriptFormat.ValueType]:
    """The files the request's transcript can be downloaded as (GetTranscriptFile)."""
    if transcript is None:
        return []
    formats = available_formats(transcript.text, bool(row["transcript_timed"]))
    return [TRANSCRIPT_FORMATS[kind] for kind in formats]


def _summary(row: dict[str, Any]) -> types_pb2.Summary | None:
    if row["summary_bullets"] is None:
        return None
    return types_pb2.Summary(
        bullets=row["summary_bullets"],
        next_step=row["summary_next_step"] or "",
        next_step_found=bool(row["next_step_found"]),
    )


def _delivery(row: dict[str, Any]) -> types_pb2.EmailDelivery | None:
    if row["delivery_id"] is None:
        return None
    return types_pb2.EmailDelivery(
        id=str(row["delivery_id"]),
        summary_job_id=str(row["id"]),
        status=_DELIVERY_STATUS[row["delivery_status"]],
        provider=row["delivery_provider"],
        provider_message_id=row["delivery_message_id"] or "",
        recipient=row["delivery_recipient"],
        sent_at=timestamp(row["delivery_sent_at"]),
        error_message=row["delivery_error"] or "",
    )


def summary_job(row: dict[str, Any]) -> ingest_pb2.SummaryJob:
    # A pending request that has been attempted before is waiting for its retry.
    retrying = row["status"] == RequestStatus.PENDING and row["attempts"] > 0
    error = None
    if row["error_code"]:
        # The stored message may name hosts, providers or settings: it stays in the database
        # and the logs; the public reads the fixed sentence of its code.
        error = ingest_pb2.SummaryJobError(
            code=row["error_code"], message=public_message(row["error_code"])
        )
    transcript = _transcript(row)
    return ingest_pb2.SummaryJob(
        id=str(row["id"]),
        email=row["email"],
        audio_id=str(row["audio_id"]),
        send_at=timestamp(row["send_at"]),
        status=_STATUS[row["status"]],
        stage=_STAGE[row["stage"]] if row["stage"] is not None else None,
        attempts=row["attempts"],
        transcript=transcript,
        summary=_summary(row),
        delivery=_delivery(row),
        error=error,
        created_at=timestamp(row["created_at"]),
        updated_at=timestamp(row["updated_at"]),
        next_attempt_at=timestamp(row["due_at"] if retrying else None),
        time_zone=row["time_zone"],
        vocabulary=row["vocabulary"],
        language=row["language"],
        # NULL outside processing + transcribing (the migration's trigger clears it).
        transcription_progress=row["transcription_progress"],
        transcription_started_at=timestamp(row["transcription_started_at"]),
        webhook_url=row["webhook_url"],
        webhook=webhook_delivery(row["webhook"]),
        transcript_formats=_transcript_formats(transcript, row),
    )
