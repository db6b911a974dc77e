"""Deleting content: a request its owner deletes, and the retention sweep.

Ingest runs the sweep because it owns everything the sweep removes: the requests' content,
the transcripts, the audio rows and the stored objects. The database decides what goes (the
SQL functions `delete_summary_request` and `expire_summary_requests`, which skip rows other
processes hold, so replicas sweeping at once never delete twice); this module deletes the
stored objects they name and the spool files an interrupted upload left behind.
"""

from __future__ import annotations

import asyncio
import time

import structlog
from prometheus_client import Counter

from ingest_svc.config import IngestSettings
from ingest_svc.repository import IngestRepository, StoredObject
from ingest_svc.storage import AudioStorage

log = structlog.get_logger("ingest_svc.retention")
EXPIRED_REQUESTS = Counter(
    "retention_requests_expired_total", "Finished requests whose content retention removed."
)
DELETED_OBJECTS = Counter(
    "audio_objects_deleted_total", "Stored audio objects deleted (by their owner or retention)."
)
REMOVED_SPOOL_FILES = Counter(
    "retention_spool_files_removed_total", "Spool files left behind by interrupted uploads."
)
# Requests expired per database call: each call holds its rows' locks only briefly.
_BATCH = 100
# A spool file older than this belongs to no upload in progress (an upload is refused long
# before: the gateway's UPLOAD_TIMEOUT_S is minutes). Only a crash leaves one behind.
SPOOL_ORPHAN_AGE_S = 24 * 3600


class ContentSweeper:
    def __init__(
        self, settings: IngestSettings, repository: IngestRepository, storage: AudioStorage
    ) -> None:
        self._settings = settings
        self._repository = repository
        self._storage = storage

    async def delete_objects(self, objects: list[StoredObject]) -> None:
        """Delete stored audio that nothing uses any more. Shielded: a caller that hangs up
        does not leave an object whose row says it is gone."""
        for stored in objects:
            if stored.storage_backend != self._storage.backend:
                # Stored under another backend: not reachable from here; say so, once.
                log.warning("stored object on another backend left", path=stored.storage_path)
                continue
            await asyncio.shield(self._storage.delete(stored.storage_path))
            DELETED_OBJECTS.inc()

    async def sweep(self) -> int:
        """One full sweep: expired requests and unused uploads, expired capabilities, then
        stale spool files.
        Returns how many requests expired."""
        expired_total = 0
        while True:
            expired, objects = await self._repository.expire(self._settings.retention_days, _BATCH)
            await self.delete_objects(objects)
            expired_total += expired
            if expired < _BATCH and len(objects) < _BATCH:
                break
        EXPIRED_REQUESTS.inc(expired_total)
        capabilities = 0
        while (purged := await self._repository.purge_expired_capabilities(_BATCH)) > 0:
            capabilities += purged
        spool_files = await asyncio.to_thread(self._remove_stale_spool_files)
        REMOVED_SPOOL_FILES.inc(spool_files)
        log.info(
            "retention sweep",
            retention_days=self._settings.retention_days,
            expired_requests=expired_total,
            expired_capabilities=capabilities,
            spool_files_removed=spool_files,
        )
        return expired_total

    def _remove_stale_spool_files(self) -> int:
        cutoff = time.time() - SPOOL_ORPHAN_AGE_S
        removed = 0
        for path in self._storage.spool_dir.glob("*.part"):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:
                continue  # finished or removed meanwhile
        return removed

    async def run(self) -> None:
        """Sweep now and then every RETENTION_SWEEP_INTERVAL_S until cancelled; a failed
        sweep is logged and tried again at the next interval."""
        while True:
            try:
                await self.sweep()
            except Exception:
                log.exception("retention sweep failed")
            await asyncio.sleep(self._settings.retention_sweep_interval_s)
