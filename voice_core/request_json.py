"""A summary request as the public API shows it: the JSON shape of `GET /v1/requests/{id}`
and how it is built from ingest's `SummaryJob`.

The gateway answers with it and ingest's webhook events carry it as their `data`, so the two
cannot drift apart; the gateway's other shapes are in gateway/schemas.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from urllib.parse import urlsplit
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from typing_extensions import TypeAliasType

from voice_agent.v1 import ingest_pb2, types_pb2
from voice_core.timestamps import from_timestamp, optional_time
from voice_core.vocabulary import AUTO_LANGUAGE

# Named, so that the OpenAPI document (and the frontend's types generated from it) has each
# set of values once, under a name, rather than inlined in every field that uses it.
RequestStatus = TypeAliasType(
    "RequestStatus",
    Literal["pending", "awaiting_confirmation", "processing", "sent", "failed", "canceled"],
)
RequestStage = TypeAliasType("RequestStage", Literal["transcribing", "summarizing", "emailing"])
TranscriptSource = TypeAliasType("TranscriptSource", Literal["raw", "existing", "transcribed"])
TranscriptFileFormat = TypeAliasType("TranscriptFileFormat", Literal["txt", "srt", "vtt"])
DeliveryStatus = TypeAliasType("DeliveryStatus", Literal["sending", "sent", "failed", "unknown"])
WebhookEventType = TypeAliasType("WebhookEventType", Literal["summary.sent", "summary.failed"])
WebhookStatus = TypeAliasType("WebhookStatus", Literal["pending", "delivered", "failed"])


def _without_property_titles(schema: dict[str, Any]) -> None:
    """Drop the titles pydantic makes from field names ("Audio Id"): they only repeat the name."""
    for field in schema.get("properties", {}).values():
        field.pop("title", None)


class ApiModel(BaseModel):
    """A JSON shape of the API."""

    model_config = ConfigDict(json_schema_extra=_without_property_titles)


class TranscriptOut(ApiModel):
    """The transcript a request is summarized from."""

    source: TranscriptSource = Field(
        description="Given with the request, reused from the same audio, or transcribed for it."
    )
    text: str
    language: str | None = Field(description="Language code, e.g. en, when known.")
    formats: list[TranscriptFileFormat] = Field(
        description="The files it can be downloaded as, at"
        " `GET /v1/requests/{id}/transcript.{format}`: txt, and srt and vtt when it was"
        " transcribed with timings (a transcript given as text has none)."
    )


class SummaryOut(ApiModel):
    """What the email says."""

    bullets: list[str] = Field(description="Three to five sentences from the note, in order.")
    next_step: str


class DeliveryOut(ApiModel):
    """The email sent (or being sent) for a request."""

    status: DeliveryStatus
    provider: str = Field(description="What carried it: outbox or mailjet.")
    provider_message_id: str | None
    sent_at: datetime | None = Field(description="When the provider accepted it.")


class WebhookAttemptOut(ApiModel):
    """One attempt at delivering a webhook event."""

    attempted_at: datetime
    status_code: int | None = Field(description="The receiver's HTTP status, if one came.")
    error: str | None = Field(description="Why it did not count as delivered; null if it did.")


class WebhookOut(ApiModel):
    """The event sent (or being sent) to the request's webhook_url."""

    event_id: str = Field(description="Its `webhook-id` header: the same on every retry.")
    event_type: WebhookEventType
    status: WebhookStatus = Field(
        description="pending: waiting for its next attempt; delivered: a 2xx came; failed: no"
        " 2xx within the retry window (a day by default)."
    )
    attempts: list[WebhookAttemptOut] = Field(description="Oldest first.")
    next_attempt_at: datetime | None = Field(description="When a pending event is tried next.")
    delivered_at: datetime | None


class ErrorOut(ApiModel):
    """Why a request failed (or why its last attempt did, while it waits to be tried again)."""

    code: str = Field(description="A stable snake_case code, e.g. `no_speech`.")
    message: str = Field(description="What happened, in words a person understands.")


class RequestOut(ApiModel):
    """A summary request as it stands."""

    id: UUID
    status: RequestStatus
    stage: RequestStage | None = Field(description="What a processing request is doing now.")
    email: str
    audio_id: UUID
    send_at: datetime = Field(
        description="When it is (or was) due; its creation time for send now."
    )
    created_at: datetime
    updated_at: datetime
    attempts: int = Field(description="How many times a scheduler has taken it up.")
    next_attempt_at: datetime | None = Field(
        description="When a request that failed an attempt is tried again."
    )
    time_zone: str | None = Field(description="The requester's IANA time zone, if given.")
    vocabulary: list[str] = Field(description="The names and terms given, as normalised.")
    language: str = Field(
        description=f"The language asked for: {AUTO_LANGUAGE!r} or an ISO 639-1 code (the one"
        " detected is the transcript's)."
    )
    transcript: TranscriptOut | None = Field(description="Once resolved.")
    summary: SummaryOut | None = Field(description="Once made.")
    delivery: DeliveryOut | None = Field(description="Once the email is attempted.")
    error: ErrorOut | None = Field(description="Why it (or its last attempt) failed.")
    progress: float | None = Field(
        ge=0,
        le=1,
        description="While it is transcribing: the share of the audio transcribed so far (audio"
        " seconds done / duration), rising to 1. Null at any other time.",
    )
    transcription_started_at: datetime | None = Field(
        description="While it is transcribing: when the transcription now running started, so"
        " that `(now - transcription_started_at) × (1 - progress) / progress` estimates the time"
        " left. Null at any other time."
    )
    webhook_url: str | None = Field(
        default=None,
        description="Where its end is POSTed, if set: the scheme and host only, the rest shown"
        " as `…` (such URLs often carry a secret, and the recipient's links open this too).",
    )
    webhook: WebhookOut | None = Field(
        default=None, description="Its webhook event, once it ended (with a webhook_url)."
    )


# The prefixes of the proto enums' value names (Buf STANDARD: the enum's name in capitals).
_ENUM_PREFIXES = (
    "SUMMARY_JOB_STATUS_",
    "SUMMARY_JOB_STAGE_",
    "TRANSCRIPT_SOURCE_",
    "DELIVERY_STATUS_",
    "WEBHOOK_DELIVERY_STATUS_",
    "TRANSCRIPT_FORMAT_",
)


def _enum_suffix(name: str) -> str:
    """'SUMMARY_JOB_STATUS_SENT' → 'sent'; 'SUMMARY_JOB_STATUS_AWAITING_CONFIRMATION' →
    'awaiting_confirmation'."""
    prefix = next(prefix for prefix in _ENUM_PREFIXES if name.startswith(prefix))
    return name.removeprefix(prefix).lower()


def request_out(message: ingest_pb2.SummaryJob) -> RequestOut:
    transcript = summary = delivery = error = None
    if message.HasField("transcript"):
        source = ingest_pb2.TranscriptSource.Name(message.transcript.source)
        transcript = TranscriptOut(
            source=_enum_suffix(source),  # type: ignore[arg-type]
            text=message.transcript.text,
            language=message.transcript.language or None,
            formats=[
                _enum_suffix(ingest_pb2.TranscriptFormat.Name(kind))  # type: ignore[misc]
                for kind in message.transcript_formats
            ],
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
    stage = None
    if message.HasField("stage"):
        stage = _enum_suffix(ingest_pb2.SummaryJobStage.Name(message.stage))
    return RequestOut(
        id=UUID(message.id),
        status=_enum_suffix(ingest_pb2.SummaryJobStatus.Name(message.status)),  # type: ignore[arg-type]
        stage=stage,  # type: ignore[arg-type]
        email=message.email,
        audio_id=UUID(message.audio_id),
        send_at=from_timestamp(message.send_at),
        created_at=from_timestamp(message.created_at),
        updated_at=from_timestamp(message.updated_at),
        attempts=message.attempts,
        next_attempt_at=optional_time(message, "next_attempt_at"),
        time_zone=message.time_zone or None,
        vocabulary=list(message.vocabulary),
        language=message.language or AUTO_LANGUAGE,
        transcript=transcript,
        summary=summary,
        delivery=delivery,
        error=error,
        progress=(
            message.transcription_progress if message.HasField("transcription_progress") else None
        ),
        transcription_started_at=optional_time(message, "transcription_started_at"),
        webhook_url=_shown_url(message.webhook_url) if message.HasField("webhook_url") else None,
        webhook=_webhook_out(message),
    )


def _shown_url(url: str) -> str:
    """'https://hooks.example.com/services/T0/B0/secret' → 'https://hooks.example.com/…'."""
    parts = urlsplit(url)
    hidden = parts.path not in ("", "/") or parts.query
    return f"{parts.scheme}://{parts.netloc}/…" if hidden else f"{parts.scheme}://{parts.netloc}/"


def _webhook_out(message: ingest_pb2.SummaryJob) -> WebhookOut | None:
    if not message.HasField("webhook"):
        return None
    event = message.webhook
    event_type = ingest_pb2.WebhookEventType.Name(event.event_type)
    return WebhookOut(
        event_id=event.event_id,
        # WEBHOOK_EVENT_TYPE_SUMMARY_SENT → summary.sent
        event_type=event_type.removeprefix("WEBHOOK_EVENT_TYPE_").lower().replace("_", ".", 1),  # type: ignore[arg-type]
        status=_enum_suffix(ingest_pb2.WebhookDeliveryStatus.Name(event.status)),  # type: ignore[arg-type]
        attempts=[
            WebhookAttemptOut(
                attempted_at=from_timestamp(attempt.attempted_at),
                status_code=attempt.status_code if attempt.HasField("status_code") else None,
                error=attempt.error or None,
            )
            for attempt in event.attempts
        ],
        next_attempt_at=optional_time(event, "next_attempt_at"),
        delivered_at=optional_time(event, "delivered_at"),
    )
