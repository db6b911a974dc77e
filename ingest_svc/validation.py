"""Checks on what callers send; the gateway validates too, but services trust no one."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from email_validator import EmailNotValidError, validate_email

from voice_core.errors import invalid_argument
from voice_core.vocabulary import (
    LanguageError,
    VocabularyError,
    normalise_language,
    normalise_vocabulary,
)

# A year is far enough ahead for any reminder, and catches typos in the year.
MAX_SCHEDULE_AHEAD = timedelta(days=366)
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def parse_uuid(value: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise invalid_argument(f"invalid_{what}", f"{what} must be a UUID, got {value!r}") from None


def normalize_email(address: str) -> str:
    """The address in normalized form; syntax only (no DNS lookups on the request path)."""
    if any(char in address for char in "\r\n"):
        raise invalid_argument("invalid_email", "the email address contains a line break")
    try:
        return validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise invalid_argument("invalid_email", f"invalid email address: {error}") from None


def due_time(send_at: datetime | None, now: datetime | None = None) -> datetime | None:
    """When to send: None (now) for unset or past times; refuse times over a year ahead."""
    if send_at is None:
        return None
    now = now or datetime.now(UTC)
    if send_at <= now:
        return None
    if send_at - now > MAX_SCHEDULE_AHEAD:
        raise invalid_argument("invalid_send_at", "send_at must be within one year from now")
    return send_at


def check_text(text: str, reason: str, what: str) -> None:
    """Refuse text Postgres cannot store: a NUL character is never part of a real name or
    transcript, and would fail the insert with a 500 instead of a clear answer."""
    if "\x00" in text:
        raise invalid_argument(reason, f"{what} contains a NUL character (\\u0000)")


def clean_transcript(text: str | None, max_chars: int) -> str | None:
    if text is None:
        return None
    check_text(text, "invalid_transcript", "the transcript")
    text = text.strip()
    if not text:
        raise invalid_argument("invalid_transcript", "the transcript is empty")
    if len(text) > max_chars:
        raise invalid_argument(
            "invalid_transcript", f"the transcript is longer than {max_chars} characters"
        )
    return text


def encode_page_token(created_at: datetime, request_id: uuid.UUID) -> str:
    raw = json.dumps([created_at.isoformat(), str(request_id)]).encode()
    return base64.urlsafe_b64encode(raw).decode()


def decode_page_token(token: str) -> tuple[datetime, uuid.UUID] | None:
    """The (created_at, id) key a page starts after; None for the first page."""
    if not token:
        return None
    try:
        created_at, request_id = json.loads(base64.urlsafe_b64decode(token.encode()))
        return datetime.fromisoformat(created_at), uuid.UUID(request_id)
    except (ValueError, TypeError):
        raise invalid_argument("invalid_page_token", "page_token is not one we issued") from None


def page_size(requested: int) -> int:
    if requested < 0 or requested > MAX_PAGE_SIZE:
        raise invalid_argument("invalid_page_size", f"page_size must be 1 to {MAX_PAGE_SIZE}")
    return requested or DEFAULT_PAGE_SIZE


def check_time_zone(name: str) -> str:
    """An IANA time zone name the system knows, or empty (unknown)."""
    if not name:
        return ""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise invalid_argument(
            "invalid_time_zone", f"unknown time zone {name[:64]!r}; use an IANA name"
        ) from None
    return name


def clean_vocabulary(terms: list[str]) -> list[str]:
    """The request's names and terms, normalised (`voice_core.vocabulary`)."""
    try:
        return normalise_vocabulary(terms)
    except VocabularyError as error:
        raise invalid_argument("invalid_vocabulary", str(error)) from None


def clean_language(code: str) -> str:
    """An ISO 639-1 code, or "" to detect the language."""
    try:
        return normalise_language(code)
    except LanguageError as error:
        raise invalid_argument("invalid_language", str(error)) from None
