"""Webhook settings (environment variables, see .env.example), part of ingest's settings.

Ingest both accepts a request's webhook_url and delivers its event, so the secret and the
address policy live in this one service.
"""

from __future__ import annotations

import base64
import binascii

from pydantic import BaseModel, Field, SecretStr, field_validator

SECRET_PREFIX = "whsec_"  # noqa: S105 (the format's prefix, not a secret)
# The Standard Webhooks specification asks for secrets of 24 to 64 random bytes.
_SECRET_BYTES = range(24, 65)


class WebhookSettings(BaseModel):
    """Mixed into IngestSettings, whose configuration (environment, empty means unset) applies."""

    # The key that signs every event (Standard Webhooks): `whsec_` and 24–64 random bytes in
    # base64. Unset: webhooks are off and a request naming a webhook_url is refused (422).
    webhook_secret: SecretStr | None = None
    # Allow http:// and private, loopback and link-local addresses (a receiver on this
    # machine or network). Cloud metadata addresses stay refused.
    webhook_allow_private: bool = False
    # Put the transcript in the event's data (it is left out by default: it can be long, and
    # the receiver may not need the words themselves).
    webhook_include_transcript: bool = False
    # One attempt: connecting, sending and the receiver's answer, in all.
    webhook_timeout_s: float = Field(default=10.0, gt=0, le=60)
    # After a failed attempt the event is tried again after this, doubling each time (capped
    # at 6 hours, with jitter) until WEBHOOK_RETRY_WINDOW_S after it was first due.
    webhook_first_retry_s: float = Field(default=30.0, gt=0)
    webhook_retry_window_s: float = Field(default=24 * 3600.0, gt=0)
    # How often an idle delivery loop looks for due events (a new event wakes it at once).
    webhook_poll_interval_s: float = Field(default=5.0, gt=0)

    @field_validator("webhook_secret")
    @classmethod
    def _a_standard_webhooks_secret(cls, secret: SecretStr | None) -> SecretStr | None:
        if secret is None:
            return None
        value = secret.get_secret_value()
        problem = f"must be {SECRET_PREFIX} followed by 24 to 64 random bytes in base64"
        if not value.startswith(SECRET_PREFIX):
            raise ValueError(problem)
        try:
            key = base64.b64decode(value.removeprefix(SECRET_PREFIX), validate=True)
        except (binascii.Error, ValueError):
            raise ValueError(problem) from None
        if len(key) not in _SECRET_BYTES:
            raise ValueError(f"{problem} (it holds {len(key)} bytes)")
        return secret
