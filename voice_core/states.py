"""The states a summary request and its email go through, named once.

They mirror the Postgres enums of `supabase/migrations/` (where the allowed transitions are
written down); a StrEnum compares equal to the string a row holds.
"""

from __future__ import annotations

from enum import StrEnum


class RequestStatus(StrEnum):
    PENDING = "pending"
    # The address has not confirmed (RECIPIENT_CONFIRMATION=required): nothing is sent to it
    # but one fixed confirmation email; confirming makes the request pending.
    AWAITING_CONFIRMATION = "awaiting_confirmation"
    PROCESSING = "processing"
    SENT = "sent"
    FAILED = "failed"
    CANCELED = "canceled"
    # A tombstone: its content is gone and every read answers as for an unknown id.
    DELETED = "deleted"


class RequestStage(StrEnum):
    """What a processing request is doing now."""

    TRANSCRIBING = "transcribing"
    SUMMARIZING = "summarizing"
    EMAILING = "emailing"


class TranscriptSource(StrEnum):
    """Where a request's transcript came from."""

    RAW = "raw"
    EXISTING = "existing"
    TRANSCRIBED = "transcribed"


class DeliveryStatus(StrEnum):
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    # The provider could not say in time whether it holds the email: never sent again unless
    # the request is retried.
    UNKNOWN = "unknown"
