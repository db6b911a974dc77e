"""The default email backend: each email becomes one RFC 5322 .eml file in a folder.

Any mail client opens the files. A file is named after its idempotency id and linked into
place atomically, so an email is either fully there or absent, and never there twice.
"""

from __future__ import annotations

import asyncio
import email.utils
import os
from email.message import EmailMessage
from pathlib import Path

from notify_svc.config import NotifySettings
from notify_svc.senders import OutgoingEmail, SentEmail
from voice_core.transcript_files import TranscriptFile


def _attach(message: EmailMessage, file: TranscriptFile) -> None:
    """One attachment part: its media type with its parameters (the charset), base64, and
    `Content-Disposition: attachment` with its file name. The message becomes
    multipart/mixed around its text and HTML alternatives."""
    media = EmailMessage()
    media["Content-Type"] = file.media_type
    # The first "parameter" is the media type itself.
    params = dict((media.get_params(header="content-type") or [])[1:])
    message.add_attachment(
        file.content,
        maintype=media.get_content_maintype(),
        subtype=media.get_content_subtype(),
        filename=file.filename,
        params=params,
    )


class OutboxSender:
    """Writes each email as one .eml file, named after its idempotency id."""

    provider = "outbox"
    # The folder is its own record: a lookup right after a write already sees the file, and a
    # lookup never fails for want of an answer.
    lookup_lag_s = 0.0
    outcome_deadline_s = 0.0

    def __init__(self, settings: NotifySettings) -> None:
        self._dir = settings.outbox_dir
        self._from = email.utils.formataddr((settings.mail_from_name, settings.mail_from_email))

    def _path(self, custom_id: str) -> Path:
        return self._dir / f"{custom_id}.eml"

    @staticmethod
    def _message_id(custom_id: str) -> str:
        return f"<{custom_id}@voice-agent.local>"

    async def send(self, outgoing: OutgoingEmail) -> SentEmail:
        # Composing MIME (header objects, base64 attachments) costs a few ms of CPU: off the loop.
        await asyncio.to_thread(self._compose_and_write, outgoing)
        return SentEmail(provider_message_id=self._message_id(outgoing.custom_id))

    def _compose(self, outgoing: OutgoingEmail) -> bytes:
        message = EmailMessage()
        message["From"] = self._from
        message["To"] = outgoing.recipient
        message["Subject"] = outgoing.content.subject
        message["Date"] = email.utils.formatdate(localtime=False)
        message["Message-ID"] = self._message_id(outgoing.custom_id)
        for name, value in outgoing.headers:
            message[name] = value
        message.set_content(outgoing.content.text)
        message.add_alternative(outgoing.content.html, subtype="html")
        for file in outgoing.attachments:
            _attach(message, file)
        return bytes(message)

    def _compose_and_write(self, outgoing: OutgoingEmail) -> None:
        self._write(outgoing.custom_id, self._compose(outgoing))

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
