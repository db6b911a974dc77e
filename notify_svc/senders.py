"""Email backends: a local outbox folder (default) and Mailjet's Send API v3.1.

Both take a stable `custom_id` per summary request, so that an ambiguous attempt (a crash
after the provider call) can be looked up instead of sent twice.
"""

from __future__ import annotations

import asyncio
import email.utils
import os
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Protocol

import httpx

from notify_svc.compose import EmailContent
from notify_svc.config import NotifySettings


@dataclass(frozen=True)
class OutgoingEmail:
    recipient: str
    content: EmailContent
    custom_id: str


@dataclass(frozen=True)
class SentEmail:
    provider_message_id: str
    provider_message_uuid: str = ""
    provider_message_href: str = ""


class DeliveryError(Exception):
    """The provider did not take the message; `permanent` says whether retrying can help."""

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


class EmailSender(Protocol):
    provider: str

    async def send(self, outgoing: OutgoingEmail) -> SentEmail: ...

    async def find_sent(self, custom_id: str) -> SentEmail | None:
        """The message sent earlier under this id, if the provider has it."""

    async def close(self) -> None: ...


class OutboxSender:
    """Writes each email as one RFC 5322 .eml file, named after its idempotency id."""

    provider = "outbox"

    def __init__(self, settings: NotifySettings) -> None:
        self._dir = settings.outbox_dir
        self._from = email.utils.formataddr((settings.mail_from_name, settings.mail_from_email))

    def _path(self, custom_id: str) -> Path:
        return self._dir / f"{custom_id}.eml"

    @staticmethod
    def _message_id(custom_id: str) -> str:
        return f"<{custom_id}@voice-agent.local>"

    async def send(self, outgoing: OutgoingEmail) -> SentEmail:
        message = EmailMessage()
        message["From"] = self._from
        message["To"] = outgoing.recipient
        message["Subject"] = outgoing.content.subject
        message["Date"] = email.utils.formatdate(localtime=False)
        message["Message-ID"] = self._message_id(outgoing.custom_id)
        message.set_content(outgoing.content.text)
        message.add_alternative(outgoing.content.html, subtype="html")
        await asyncio.to_thread(self._write, outgoing.custom_id, bytes(message))
        return SentEmail(provider_message_id=self._message_id(outgoing.custom_id))

    def _write(self, custom_id: str, data: bytes) -> None:
        self._dir.mkdir(parents=True, exist_ok=True)
        partial = self._dir / f".{custom_id}.tmp"
        partial.write_bytes(data)
        try:
            # A link never replaces an existing file: the same id cannot be "sent" twice.
            os.link(partial, self._path(custom_id))
        finally:
            partial.unlink()

    async def find_sent(self, custom_id: str) -> SentEmail | None:
        if await asyncio.to_thread(self._path(custom_id).exists):
            return SentEmail(provider_message_id=self._message_id(custom_id))
        return None

    async def close(self) -> None:
        return None


class MailjetSender:
    """Mailjet Send API v3.1 over one pooled HTTP client per process."""

    provider = "mailjet"

    def __init__(self, settings: NotifySettings) -> None:
        self._settings = settings
        self._client = httpx.AsyncClient(
            base_url=settings.mailjet_base_url,
            auth=(settings.mailjet_api_key, settings.mailjet_api_secret),
            timeout=httpx.Timeout(settings.mailjet_timeout_s, connect=5.0),
        )

    async def send(self, outgoing: OutgoingEmail) -> SentEmail:
        message: dict[str, Any] = {
            "From": {
                "Email": self._settings.mail_from_email,
                "Name": self._settings.mail_from_name,
            },
            "To": [{"Email": outgoing.recipient}],
            "Subject": outgoing.content.subject,
            "TextPart": outgoing.content.text,
            "HTMLPart": outgoing.content.html,
            "CustomID": outgoing.custom_id,
        }
        body: dict[str, Any] = {"Messages": [message]}
        if self._settings.mailjet_sandbox:
            body["SandboxMode"] = True
        try:
            response = await self._client.post("/v3.1/send", json=body)
        except httpx.HTTPError as error:
            raise DeliveryError(f"Mailjet unreachable: {error}", permanent=False) from error
        return _read_send_response(response)

    async def find_sent(self, custom_id: str) -> SentEmail | None:
        try:
            response = await self._client.get("/v3/REST/message", params={"CustomID": custom_id})
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise DeliveryError(f"Mailjet lookup failed: {error}", permanent=False) from error
        found = response.json().get("Data", [])
        return SentEmail(provider_message_id=str(found[0]["ID"])) if found else None

    async def close(self) -> None:
        await self._client.aclose()


def _read_send_response(response: httpx.Response) -> SentEmail:
    if response.status_code == 429 or response.status_code >= 500:
        raise DeliveryError(f"Mailjet answered {response.status_code}", permanent=False)
    if response.status_code in (401, 403):
        raise DeliveryError(
            "Mailjet refused the credentials or sender: check MAILJET_API_KEY/MAILJET_API_SECRET"
            " (Send API keys, not SMTP) and that MAIL_FROM_EMAIL is a validated sender",
            permanent=True,
        )
    result = response.json()["Messages"][0]
    if result.get("Status") != "success":
        errors = "; ".join(
            f"{e.get('ErrorCode')}: {e.get('ErrorMessage')}" for e in result.get("Errors", [])
        )
        raise DeliveryError(f"Mailjet rejected the message: {errors}", permanent=True)
    recipient = result["To"][0]
    return SentEmail(
        provider_message_id=str(recipient["MessageID"]),
        provider_message_uuid=recipient.get("MessageUUID", ""),
        provider_message_href=recipient.get("MessageHref", ""),
    )


def make_sender(settings: NotifySettings) -> EmailSender:
    if settings.email_backend == "mailjet":
        return MailjetSender(settings)
    return OutboxSender(settings)
