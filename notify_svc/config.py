"""Settings of the notification service (environment variables, see .env.example)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator

from voice_core.settings import DatabaseSettings


class NotifySettings(DatabaseSettings):
    notify_port: int = 50053
    # Prometheus metrics (/metrics) on a port of their own.
    notify_metrics_port: int = 9103
    email_backend: Literal["outbox", "mailjet"] = "outbox"
    # Outbox backend: one .eml file per email lands here.
    outbox_dir: Path = Path(".data/outbox")
    mail_from_email: str = "voice-notes@localhost"
    mail_from_name: str = "Voice Notes"
    # Where emails link to: the front end (status, confirmation and "my notes" pages) and the
    # public API (the one-click unsubscribe of List-Unsubscribe, RFC 8058).
    public_app_url: str = "http://localhost:3000"
    public_api_url: str = "http://localhost:8000"
    # Mailjet backend (Send API v3.1).
    mailjet_api_key: SecretStr = SecretStr("")
    mailjet_api_secret: SecretStr = SecretStr("")
    mailjet_base_url: str = "https://api.mailjet.com"
    # Validate messages without sending them (first setup).
    mailjet_sandbox: bool = False
    mailjet_timeout_s: float = Field(default=15.0, gt=0)
    # Mailjet's message list can lag behind an accepted send, and Mailjet sends a second message
    # with the same CustomID. After a send that got no clear answer, an email missing from that
    # list is sent again only once this many seconds passed (less than 900 risks a second email).
    mailjet_lookup_lag_s: float = Field(default=900.0, ge=0)
    # If Mailjet could not be asked (its lookups failed) until this many seconds after such a
    # send, the delivery is marked unknown and the request fails with `delivery_unknown`.
    mailjet_outcome_deadline_s: float = Field(default=3600.0, ge=0)

    @model_validator(mode="after")
    def _deadline_after_lag(self) -> NotifySettings:
        if self.mailjet_outcome_deadline_s < self.mailjet_lookup_lag_s:
            raise ValueError(
                "MAILJET_OUTCOME_DEADLINE_S must be at least MAILJET_LOOKUP_LAG_S: an email's"
                " outcome is not given up on before Mailjet's records had time to show it"
            )
        return self

    @model_validator(mode="after")
    def _mailjet_needs_keys_and_sender(self) -> NotifySettings:
        if self.email_backend != "mailjet":
            return self
        if not (
            self.mailjet_api_key.get_secret_value() and self.mailjet_api_secret.get_secret_value()
        ):
            raise ValueError("EMAIL_BACKEND=mailjet needs MAILJET_API_KEY and MAILJET_API_SECRET")
        if self.mail_from_email.endswith("@localhost"):
            raise ValueError(
                "EMAIL_BACKEND=mailjet needs MAIL_FROM_EMAIL: a sender address validated in Mailjet"
            )
        return self
