"""The ingest service as the shared server runs it: its storage, repository, servicer and
background work (the retention sweep, webhook deliveries)."""

from __future__ import annotations

import asyncio

import grpc

from ingest_svc.config import IngestSettings
from ingest_svc.recipients import RecipientMailer
from ingest_svc.repository import IngestRepository
from ingest_svc.retention import ContentSweeper
from ingest_svc.server import IngestServicer
from ingest_svc.storage import AudioStorage, LocalStorage
from ingest_svc.supabase_storage import SupabaseStorage
from ingest_svc.webhooks import WebhookDeliverer
from voice_agent.v1 import ingest_pb2, ingest_pb2_grpc


def make_storage(settings: IngestSettings) -> AudioStorage:
    if settings.storage_backend == "supabase":
        return SupabaseStorage(
            settings.supabase_url,
            settings.supabase_service_role_key.get_secret_value(),
            settings.supabase_bucket,
            spool_dir=settings.audio_dir / ".spool",
        )
    return LocalStorage(settings.audio_dir)


class IngestApp:
    """The ingest service as the shared server runs it."""

    service_names = (ingest_pb2.DESCRIPTOR.services_by_name["IngestService"].full_name,)

    def __init__(self, settings: IngestSettings) -> None:
        self._repository = IngestRepository(settings)
        self._storage = make_storage(settings)
        self._mailer = RecipientMailer(settings, self._repository)
        self._servicer = IngestServicer(settings, self._repository, self._storage, self._mailer)
        self._sweeper = ContentSweeper(settings, self._repository, self._storage)
        self._sweeping: asyncio.Task[None] | None = None
        # Webhooks are off without a secret (requests naming one are refused).
        self._webhooks = (
            WebhookDeliverer(settings, self._repository) if settings.webhook_secret else None
        )
        self._delivering: asyncio.Task[None] | None = None

    def register(self, server: grpc.aio.Server) -> None:
        ingest_pb2_grpc.add_IngestServiceServicer_to_server(self._servicer, server)

    async def start(self) -> None:
        await self._storage.check()
        await self._repository.open()
        self._sweeping = asyncio.create_task(self._sweeper.run(), name="retention sweep")
        if self._webhooks is not None:
            self._delivering = asyncio.create_task(self._webhooks.run(), name="webhooks")

    async def stop(self) -> None:
        for task in (self._sweeping, self._delivering):
            if task is not None:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        if self._webhooks is not None:
            await self._webhooks.close()
        await self._mailer.close()
        await self._storage.close()
        await self._repository.close()
