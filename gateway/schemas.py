"""The JSON shapes of the HTTP API, and how they are built from the services' messages."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from voice_agent.v1 import ingest_pb2, types_pb2
from voice_core.timestamps import from_timestamp, optional_time

Status = Literal["pending", "processing", "sent", "failed", "canceled"]
Stage = Literal["transcribing", "summarizing", "emailing"]


class ErrorDetail(BaseModel):
    code: str = Field(description="A stable snake_case code, e.g. `audio_not_found`.")
    message: str = Field(description="What went wrong, in words a person understands.")
    request_id: str | None = Field(description="Quote it when asking for help.")


class ErrorBody(BaseModel):
    """Every error the API returns has this shape."""

    error: ErrorDetail


_ERROR_MEANINGS = {
    400: "Malformed request (bad JSON, bad multipart, bad page token)",
    404: "No such request or audio",
    409: "Not allowed in the request's current status",
    413: "Body or file too large",
    415: "Not an audio format we accept",
    422: "Invalid field values",
    429: "Rate limited; see Retry-After",
    503: "A backend service is unavailable",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for the listed error statuses (all use ErrorBody)."""
    return {
        status: {"model": ErrorBody, "description": _ERROR_MEANINGS[status]} for status in statuses
    }


class AudioOut(BaseModel):
    audio_id: UUID
    sha256: str
    size_bytes: int
    content_type: str
    duration_s: float | None


class CreateRequestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=254, description="Where the summary is emailed.")
    audio_id: UUID = Field(description="An id returned by POST /v1/audio.")
    send_at: AwareDatetime | None = Field(
        default=None, description="ISO 8601 with a UTC offset; absent or past means now."
    )
    transcript: str | None = Field(
        default=None,
        description="A transcript you already have; the audio is then not transcribed.",
    )
    time_zone: str | None = Field(
        default=None,
        max_length=64,
        description="Your IANA time zone (e.g. Europe/Paris): the email shows times in it.",
    )


class RescheduleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    send_at: AwareDatetime | None = Field(
        description="ISO 8601 with a UTC offset; null or past means now."
    )


class TranscriptOut(BaseModel):
    source: Literal["raw", "existing", "transcribed"]
    text: str
    language: str | None


class SummaryOut(BaseModel):
    bullets: list[str]
    next_step: str


class DeliveryOut(BaseModel):
    status: Literal["sending", "sent", "failed"]
    provider: str
    provider_message_id: str | None
    sent_at: datetime | None


class ErrorOut(BaseModel):
    code: str
    message: str


class RequestOut(BaseModel):
    id: UUID
    status: Status
    stage: Stage | None
    email: str
    audio_id: UUID
    send_at: datetime
    created_at: datetime
    updated_at: datetime
    attempts: int
    next_attempt_at: datetime | None = Field(
        description="When a request that failed an attempt is tried again."
    )
    time_zone: str | None = Field(description="The requester's IANA time zone, if given.")
    transcript: TranscriptOut | None
    summary: SummaryOut | None
    delivery: DeliveryOut | None
    error: ErrorOut | None


class RequestPage(BaseModel):
    items: list[RequestOut]
    next_page_token: str | None


def _enum_suffix(name: str) -> str:
    """'SUMMARY_REQUEST_STATUS_SENT' → 'sent'."""
    return name.rsplit("_", 1)[-1].lower()


def request_out(message: ingest_pb2.SummaryRequest) -> RequestOut:
    transcript = summary = delivery = error = None
    if message.HasField("transcript"):
        source = ingest_pb2.TranscriptSource.Name(message.transcript.source)
        transcript = TranscriptOut(
            source=_enum_suffix(source),  # type: ignore[arg-type]
            text=message.transcript.text,
            language=message.transcript.language or None,
        )
    if message.HasField("summary"):
        summary = SummaryOut(
            bullets=list(message.summary.bullets), next_step=message.summary.next_step
        )
    if message.HasField("delivery"):
        sent = message.delivery
        delivery = DeliveryOut(
            status=_enum_suffix(types_pb2.DeliveryStatus.Name(sent.status)),  # type: ignore[arg-type]
            provider=sent.provider,
            provider_message_id=sent.provider_message_id or None,
            sent_at=optional_time(sent, "sent_at"),
        )
    if message.HasField("error"):
        error = ErrorOut(code=message.error.code, message=message.error.message)
    stage = ingest_pb2.SummaryRequestStage.Name(message.stage)
    return RequestOut(
        id=UUID(message.id),
        status=_enum_suffix(ingest_pb2.SummaryRequestStatus.Name(message.status)),  # type: ignore[arg-type]
        stage=None if message.stage == 0 else _enum_suffix(stage),  # type: ignore[arg-type]
        email=message.email,
        audio_id=UUID(message.audio_id),
        send_at=from_timestamp(message.send_at),
        created_at=from_timestamp(message.created_at),
        updated_at=from_timestamp(message.updated_at),
        attempts=message.attempts,
        next_attempt_at=optional_time(message, "next_attempt_at"),
        time_zone=message.time_zone or None,
        transcript=transcript,
        summary=summary,
        delivery=delivery,
        error=error,
    )


def audio_out(asset: ingest_pb2.AudioAsset) -> AudioOut:
    return AudioOut(
        audio_id=UUID(asset.id),
        sha256=asset.sha256,
        size_bytes=asset.size_bytes,
        content_type=asset.content_type,
        duration_s=asset.duration_s if asset.HasField("duration_s") else None,
    )
