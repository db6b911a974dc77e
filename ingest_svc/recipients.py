"""Mail about an address, sent on the side: the confirmation email of double opt-in, and the
link to the address's notes.

Whether one may go is decided in the database (`request_recipient_confirmation`: the address
has not confirmed, and the caps of one per 10 minutes and five a day hold); the email itself is
notify's fixed text with a link. It is sent in a task of its own, so the call that caused it
answers at once and the same way whatever the outcome, and a notify outage loses only that one
email (the address gets another with its next request, caps permitting).
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

import grpc
import structlog

from ingest_svc.config import IngestSettings
from ingest_svc.repository import IngestRepository
from voice_agent.v1 import notify_pb2, notify_pb2_grpc
from voice_core.capabilities import new_token, token_hash
from voice_core.grpc_client import open_channel

log = structlog.get_logger("ingest_svc")


class RecipientMailer:
    """Sends the fixed emails about addresses through notify, each in a background task."""

    def __init__(self, settings: IngestSettings, repository: IngestRepository) -> None:
        self._settings = settings
        self._repository = repository
        self._channel: grpc.aio.Channel | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def _notify(self) -> notify_pb2_grpc.NotifyServiceAsyncStub:
        if self._channel is None:
            self._channel = open_channel(self._settings.notify_addr, self._settings)
        return notify_pb2_grpc.NotifyServiceStub(self._channel)

    def confirm_later(self, email: str) -> None:
        """Send the address its confirmation email, if the caps allow, without waiting."""
        self._in_background(self._send_confirmation(email))

    def notes_link_later(self, email: str) -> None:
        """Send the address a link to its notes if it has any, without waiting: the caller's
        answer and its timing are the same whether it has or not."""
        self._in_background(self._send_notes_link(email))

    def _in_background(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _send_notes_link(self, email: str) -> None:
        token = new_token()
        try:
            if not await self._repository.notes_link(email, token_hash(token)):
                log.info("notes link not sent: the address has no notes")
                return
            await self._send(notify_pb2.RECIPIENT_EMAIL_KIND_NOTES_LINK, email, token)
            log.info("notes link sent")
        except Exception as error:  # a background task: nobody else would see it
            log.warning("notes link not sent", error=str(error))

    async def _send(
        self, kind: notify_pb2.RecipientEmailKind.ValueType, email: str, token: str
    ) -> None:
        await self._notify().SendRecipientEmail(
            notify_pb2.SendRecipientEmailRequest(kind=kind, recipient=email, token=token),
            timeout=self._settings.notify_timeout_s,
        )

    async def _send_confirmation(self, email: str) -> None:
        token = new_token()
        try:
            if not await self._repository.request_confirmation(email, token_hash(token)):
                log.info("confirmation email not sent: confirmed, or a cap reached")
                return
            await self._send(notify_pb2.RECIPIENT_EMAIL_KIND_CONFIRMATION, email, token)
            log.info("confirmation email sent")
        except Exception as error:  # a background task: nobody else would see it
            log.warning("confirmation email not sent", error=str(error))

    async def close(self) -> None:
        """Let the emails in flight finish (they are short), then close the channel."""
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=self._settings.notify_timeout_s)
        if self._channel is not None:
            await self._channel.close()
