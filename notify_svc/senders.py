"""What every email backend is: send one message under a stable id, or find it sent earlier.

The id (`custom_id`) is stable per summary request, so an attempt whose outcome is unknown (a
timeout, a crash after the provider call) can be looked up instead of sent twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from notify_svc.compose import EmailContent
from voice_core.transcript_files import TranscriptFile


@dataclass(frozen=True)
class OutgoingEmail:
    recipient: str
    content: EmailContent
    custom_id: str
    # Extra header fields, e.g. List-Unsubscribe (RFC 2369) and List-Unsubscribe-Post (RFC 8058).
    headers: tuple[tuple[str, str], ...] = ()
    # Files attached to it (the transcript), each sent as its own MIME part.
    attachments: tuple[TranscriptFile, ...] = ()


@dataclass(frozen=True)
class SentEmail:
    """The provider's receipt for an accepted message."""

    provider_message_id: str
    provider_message_uuid: str = ""
    provider_message_href: str = ""


class DeliveryError(Exception):
    """The provider did not confirm the message.

    - `permanent`: retrying cannot help (a rejected address, refused credentials);
    - `maybe_sent`: no clear answer came back (a timeout, a reset connection, a 5xx), so the
      provider may hold the message: look it up before sending again;
    - `retry_after_s`: how long the provider asked us to wait, when it said.
    """

    def __init__(
        self,
        reason: str,
        message: str,
        *,
        permanent: bool = False,
        maybe_sent: bool = False,
        retry_after_s: float | None = None,
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.permanent = permanent
        self.maybe_sent = maybe_sent
        self.retry_after_s = retry_after_s


class EmailSender(Protocol):
    provider: str
    # After an attempt that may have reached the provider, how long its lookup may still miss
    # the message (the provider's records can lag behind its answer). No resend before then.
    lookup_lag_s: float
    # After such an attempt, how long lookups may keep failing before the outcome is declared
    # unknown (and the email is not sent again on its own).
    outcome_deadline_s: float

    async def send(self, outgoing: OutgoingEmail) -> SentEmail:
        """Hand the message over; raises DeliveryError when the provider did not confirm it."""

    async def find_sent(self, custom_id: str) -> SentEmail | None:
        """The message sent earlier under this id, if the provider has it."""

    async def close(self) -> None: ...
