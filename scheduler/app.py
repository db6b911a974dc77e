"""The scheduler as the shared server runs it: health over gRPC, the claim loop beside it."""

from __future__ import annotations

import asyncio
import contextlib

import grpc

from scheduler.clients import Services
from scheduler.config import SchedulerSettings
from scheduler.pipeline import Pipeline
from scheduler.store import RequestStore
from scheduler.worker import Worker
from voice_core.db import Database


class SchedulerApp:
    # No service of its own: the server carries health and reflection only.
    service_names: tuple[str, ...] = ()

    def __init__(self, settings: SchedulerSettings) -> None:
        self._settings = settings
        self._database = Database(settings, "scheduler")
        self._services: Services | None = None
        self._worker: Worker | None = None
        self._loop_task: asyncio.Task[None] | None = None

    def register(self, server: grpc.aio.Server) -> None:
        return None

    async def start(self) -> None:
        settings = self._settings
        await self._database.open()
        self._services = Services(settings)
        store = RequestStore(
            self._database.pool,
            settings.worker_id,
            settings.scheduler_lease_s,
            settings.max_attempts,
        )
        pipeline = Pipeline(store, self._services, settings)
        self._worker = Worker(settings, store, pipeline)
        self._loop_task = asyncio.create_task(self._worker.run(), name="claim-loop")

    async def stop(self) -> None:
        if self._worker is not None:
            await self._worker.stop(self._settings.shutdown_grace_s)
        if self._loop_task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop_task
        if self._services is not None:
            await self._services.close()
        await self._database.close()
