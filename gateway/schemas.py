"""The JSON shapes of the HTTP API, and how they are built from the services' messages."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, ConfigDict, Field
from typing_extensions import TypeAliasType

from voice_agent.v1 import ingest_pb2
from voice_core.capabilities import TOKEN_PATTERN
from voice_core.request_json import ApiModel, RequestOut
from voice_core.vocabulary import AUTO_LANGUAGE, MAX_TERM_CHARS, MAX_TERMS

# Named, so that the OpenAPI document (and the frontend's types generated from it) has its
# values once (as voice_core.request_json's enums).
AudioType = TypeAliasType(
    "AudioType",
    Literal[
        "audio/webm", "audio/ogg", "audio/mp4", "audio/aac", "audio/mpeg", "audio/wav", "audio/flac"
    ],
)
# Domains no mail can reach, which ingest's email-validator refuses (its
# SPECIAL_USE_DOMAIN_NAMES; tests/gateway/test_openapi_rules.py keeps the two lists equal).
UNREACHABLE_DOMAINS = ("arpa", "invalid", "local", "localhost", "onion", "test")


def _any_case(word: str) -> str:
    # JSON Schema patterns are ECMA-262 regular expressions, which have no inline (?i) flag.
    return "".join(f"[{char.lower()}{char.upper()}]" for char in word)


_ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
_LABEL = "[A-Za-z0-9]{1,63}(?:-[A-Za-z0-9]{1,63})*"
# An address as email-validator takes it, in ASCII: a dot-atom local part of at most 64
# characters, a domain of dotted labels (no "--": IDNA refuses it) ending in a letters-only
# top-level domain, and none of the unreachable domains. The gateway enforces the pattern, so
# what the document promises and what the API accepts are the same set.
EMAIL_PATTERN = (
    "^(?=[^@]{1,64}@)"
    f"{_ATEXT}+(?:\\.{_ATEXT}+)*@"
    "(?!(?:[^@]*\\.)?(?:" + "|".join(_any_case(domain) for domain in UNREACHABLE_DOMAINS) + ")$)"
    f"(?:{_LABEL}\\.)+[A-Za-z]{{2,63}}$"
)


def email_field(description: str) -> Any:
    """An address field as the API states and enforces it (the model needs the python-re
    regex engine: the pattern has look-ahead)."""
    return Field(
        min_length=3,
        max_length=254,
        pattern=EMAIL_PATTERN,
        json_schema_extra={"format": "email"},
        description=description,
    )


# One name or term of a request's vocabulary: no control character (C0, DEL, C1), at most
# MAX_TERM_CHARS once trimmed (a longer untrimmed one is refused by the schema already).
VocabularyTerm = Annotated[
    str, Field(max_length=MAX_TERM_CHARS, pattern="^[^\\u0000-\\u001f\\u007f-\\u009f]*$")
]
LANGUAGE_PATTERN = f"^({AUTO_LANGUAGE}|[a-z]{{2}})$"

# How far ahead a request may be scheduled (ingest refuses later times with 422).
SCHEDULE_WINDOW = "at most 366 days from now"


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
    401: "No token: send `Authorization: Bearer <access_token>` (or the notes link's token)",
    403: "The upload_token does not belong to the audio_id",
    404: "No such request, or not with this token (the same answer for both)",
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
    upload_token: str = Field(
        pattern=TOKEN_PATTERN,
        description="Pass it to POST /v1/requests with audio_id: only its holder may use the"
        " file. Shown only here.",
    )
    sha256: str = Field(description="Hex SHA-256 of the stored bytes.")
    size_bytes: int
    content_type: AudioType = Field(description="The media type found in the bytes.")
    duration_s: float | None = Field(description="Seconds of audio, once transcribed.")


class CreateRequestIn(ApiModel):
    """A new summary request: which audio, to whom, when."""

    # Python's engine: the address pattern needs look-ahead, which the default (Rust) lacks.
    model_config = ConfigDict(extra="forbid", regex_engine="python-re")

    # Ingest checks the address with email-validator (syntax only, no DNS), with its own message.
    email: str = email_field(
        "Where the summary is emailed: one address (RFC 5321 syntax, at most 254 characters, no"
        " display name, no line break)."
    )
    audio_id: UUID = Field(description="An id returned by POST /v1/audio.")
    upload_token: str = Field(
        pattern=TOKEN_PATTERN, description="The upload_token returned with audio_id."
    )
    send_at: AwareDatetime | None = Field(
        default=None,
        description=f"ISO 8601 with a UTC offset; absent or past means now; {SCHEDULE_WINDOW}"
        " (422 beyond).",
    )
    transcript: str | None = Field(
        default=None,
        description="A transcript you already have; the audio is then not transcribed. Not"
        " blank, no NUL character, at most MAX_TRANSCRIPT_CHARS (200,000 by default).",
        # Stated for clients; the gateway and ingest check it with their own messages.
        json_schema_extra={"pattern": "^[^\\u0000]*\\S[^\\u0000]*$"},
    )
    time_zone: str | None = Field(
        default=None,
        max_length=64,
        description="Your IANA time zone (e.g. Europe/Paris): the email shows times in it.",
    )
    vocabulary: list[VocabularyTerm] = Field(
        default_factory=list,
        max_length=MAX_TERMS,
        description=f"Names and terms said in the note (people, products, jargon), at most"
        f" {MAX_TERMS} of at most {MAX_TERM_CHARS} characters, no control characters: the"
        " transcription is told to expect them. Trimmed; blank ones and repeats (ignoring"
        " case) are dropped.",
    )
    language: str = Field(
        default=AUTO_LANGUAGE,
        pattern=LANGUAGE_PATTERN,
        description=f"The language spoken: {AUTO_LANGUAGE!r} (detect it) or an ISO 639-1 code"
        " that GET /v1/config lists (422 `language_unsupported` otherwise). The summary is"
        " written for this language, or the one detected.",
    )
    webhook_url: str | None = Field(
        default=None,
        max_length=2048,
        json_schema_extra={"format": "uri"},
        description="An https URL to POST a signed event to when the request ends"
        " (`summary.sent` or `summary.failed`; Standard Webhooks signature, see the README)."
        " Its host must resolve to public addresses only (422 `invalid_webhook_url`); 422"
        " `webhooks_not_configured` on a deployment without a WEBHOOK_SECRET.",
    )


class ConfirmIn(ApiModel):
    """The token from a confirmation (or "my notes") link."""

    model_config = ConfigDict(extra="forbid")

    token: str = Field(pattern=TOKEN_PATTERN, description="From the link's #token=.")


class ConfirmOut(ApiModel):
    """The address is confirmed."""

    confirmed: Literal[True]
    released_requests: int = Field(description="Requests that waited for it, now on their way.")


class NotesLinkIn(ApiModel):
    """Whose notes to email a link to."""

    # Python's engine, as CreateRequestIn: the address pattern needs look-ahead.
    model_config = ConfigDict(extra="forbid", regex_engine="python-re")

    email: str = email_field("The address the notes went to (the same rules as a request's email).")


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
        description=f"ISO 8601 with a UTC offset; null or past means now; {SCHEDULE_WINDOW}"
        " (422 beyond)."
    )


class CreatedRequestOut(RequestOut):
    """A new summary request, with its capability."""

    access_token: str = Field(
        pattern=TOKEN_PATTERN,
        description="Shown only here: every later call about this request needs it, as"
        " `Authorization: Bearer <access_token>`. Whoever holds it can read, change and delete"
        " the request; only its hash is stored.",
    )


class ListedNoteOut(RequestOut):
    """A note listed for a "my notes" link, with a capability of its own."""

    access_token: str = Field(
        pattern=TOKEN_PATTERN,
        description="Minted for this listing: opens, cancels or deletes this note, as"
        " `Authorization: Bearer <access_token>`, like its creator's token.",
    )


class NotesPage(ApiModel):
    """A page of one address's notes, newest first."""

    items: list[ListedNoteOut]
    next_page_token: str | None = Field(
        description="Pass it as page_token for the next page; null on the last page."
    )


def audio_out(response: ingest_pb2.UploadAudioResponse) -> AudioOut:
    asset = response.audio_asset
    return AudioOut(
        audio_id=UUID(asset.id),
        upload_token=response.upload_token,
        sha256=asset.sha256,
        size_bytes=asset.size_bytes,
        content_type=asset.content_type,  # type: ignore[arg-type]
        duration_s=asset.duration_s if asset.HasField("duration_s") else None,
    )
