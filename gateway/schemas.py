"""The JSON shapes of the HTTP API, and how they are built from the services' messages."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from typing_extensions import TypeAliasType

from voice_agent.v1 import ingest_pb2, types_pb2
from voice_core.timestamps import from_timestamp, optional_time

# Named, so that the OpenAPI document (and the frontend's types generated from it) has each
# set of values once, under a name, rather than inlined in every field that uses it.
RequestStatus = TypeAliasType(
    "RequestStatus",
    Literal["pending", "awaiting_confirmation", "processing", "sent", "failed", "canceled"],
)
RequestStage = TypeAliasType("RequestStage", Literal["transcribing", "summarizing", "emailing"])
TranscriptSource = TypeAliasType("TranscriptSource", Literal["raw", "existing", "transcribed"])
DeliveryStatus = TypeAliasType("DeliveryStatus", Literal["sending", "sent", "failed", "unknown"])


def _without_property_titles(schema: dict[str, Any]) -> None:
    """Drop the titles pydantic makes from field names ("Audio Id"): they only repeat the name."""
    for field in schema.get("properties", {}).values():
        field.pop("title", None)


class ApiModel(BaseModel):
    """A JSON shape of the API."""

    model_config = ConfigDict(json_schema_extra=_without_property_titles)


class ErrorDetail(ApiModel):
    """What went wrong, and the id of the call that it went wrong in."""

    code: str = Field(description="A stable snake_case code, e.g. `audio_not_found`.")
    message: str = Field(description="What went wrong, in words a person understands.")
    request_id: str | None = Field(description="Quote it when asking for help.")


class ErrorBody(ApiModel):
    """Every error the API returns has this shape."""

    error: ErrorDetail


_ERROR_MEANINGS = {
    400: "Malformed request (bad JSON, bad multipart, bad page token)",
    401: "No token given (Authorization: Bearer)",
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


class AudioOut(ApiModel):
    """A stored audio file."""

    audio_id: UUID = Field(description="Pass it to POST /v1/requests.")
    sha256: str = Field(description="Hex SHA-256 of the stored bytes.")
    size_bytes: int
    content_type: str = Field(description="The media type found in the bytes, e.g. audio/webm.")
    duration_s: float | None = Field(description="Seconds of audio, once transcribed.")


class CreateRequestIn(ApiModel):
    """A new summary request: which audio, to whom, when."""

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


# What an emailed link's token looks like: 32 random bytes, URL-safe base64 without padding.
LINK_TOKEN_PATTERN = r"^[A-Za-z0-9_-]{43}$"  # noqa: S105 (a shape, not a secret)


class ConfirmIn(ApiModel):
    """The token from a confirmation (or "my notes") link."""

    model_config = ConfigDict(extra="forbid")

    token: str = Field(pattern=LINK_TOKEN_PATTERN, description="From the link's #token=.")


class ConfirmOut(ApiModel):
    """The address is confirmed."""

    confirmed: Literal[True]
    released_requests: int = Field(description="Requests that waited for it, now on their way.")


class NotesLinkIn(ApiModel):
    """Whose notes to email a link to."""

    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=3, max_length=254, description="The address the notes went to.")


class NotesLinkOut(ApiModel):
    """The same answer whether the address has notes or not."""

    accepted: Literal[True]


class UnsubscribeOut(ApiModel):
    """The address receives no more emails until it confirms again."""

    unsubscribed: Literal[True]
    ended_requests: int = Field(description="Its pending requests, now failed.")


class RescheduleIn(ApiModel):
    """A pending request's new send time."""

    model_config = ConfigDict(extra="forbid")

    send_at: AwareDatetime | None = Field(
        description="ISO 8601 with a UTC offset; null or past means now."
    )


class TranscriptOut(ApiModel):
    """The transcript a request is summarized from."""

    source: TranscriptSource = Field(
        description="Given with the request, reused from the same audio, or transcribed for it."
    )
    text: str
    language: str | None = Field(description="Language code, e.g. en, when known.")


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
    transcript: TranscriptOut | None = Field(description="Once resolved.")
    summary: SummaryOut | None = Field(description="Once made.")
    delivery: DeliveryOut | None = Field(description="Once the email is attempted.")
    error: ErrorOut | None = Field(description="Why it (or its last attempt) failed.")


class RequestPage(ApiModel):
    """A page of one address's requests, newest first."""

    items: list[RequestOut]
    next_page_token: str | None = Field(
        description="Pass it as page_token for the next page; null on the last page."
    )


# The prefixes of the proto enums' value names (Buf STANDARD: the enum's name in capitals).
_ENUM_PREFIXES = (
    "SUMMARY_JOB_STATUS_",
    "SUMMARY_JOB_STAGE_",
    "TRANSCRIPT_SOURCE_",
    "DELIVERY_STATUS_",
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
