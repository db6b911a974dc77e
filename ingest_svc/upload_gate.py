"""Admission for uploads: a fixed number spool at once, and only while the disk has room.

The spool is a small volume (a 2 GiB emptyDir in Kubernetes, evicted when full): unbounded
concurrent uploads fill it and take the service down with it. An upload is admitted only when a
slot is free and the spool's file system can hold it at its largest (`max_upload_bytes`) on top
of what the uploads already running may still write, keeping `min_free_bytes` in reserve.
Otherwise the caller hears UNAVAILABLE with a time to retry after (503 + Retry-After at the
gateway), before a single byte is written.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import structlog
from prometheus_client import Counter, Gauge

from voice_core.errors import ServiceError, unavailable

log = structlog.get_logger("ingest_svc.upload_gate")
UPLOADS_IN_PROGRESS = Gauge("uploads_in_progress", "Uploads being spooled now.")
UPLOADS_REFUSED = Counter(
    "uploads_refused_total", "Uploads refused before spooling, by reason.", ["reason"]
)
# How long a refused caller is told to wait: a slot frees when an upload ends (seconds to
# minutes); disk space when uploads leave the spool for storage.
_SLOT_RETRY_AFTER_S = 10.0
_DISK_RETRY_AFTER_S = 30.0


class UploadGate:
    """At most `slots` uploads at once, each admitted only if the spool has room for it.

    Used from the event loop only: admission and release never race.
    """

    def __init__(
        self, spool_dir: Path, *, slots: int, max_upload_bytes: int, min_free_bytes: int
    ) -> None:
        self._spool_dir = spool_dir
        self._slots = slots
        self._max_upload_bytes = max_upload_bytes
        self._min_free_bytes = min_free_bytes
        self._tickets: list[UploadTicket] = []

    @contextmanager
    def admit(self) -> Iterator[UploadTicket]:
        """A ticket for one upload while the block runs, or UNAVAILABLE (with a retry delay)
        when there is no room; leave the block once its spool file is gone."""
        ticket = self._take()
        UPLOADS_IN_PROGRESS.inc()
        try:
            yield ticket
        finally:
            self._tickets.remove(ticket)
            UPLOADS_IN_PROGRESS.dec()

    def _take(self) -> UploadTicket:
        if len(self._tickets) >= self._slots:
            raise _refused(
                "uploads_busy",
                f"the server is receiving {self._slots} uploads already; try again shortly",
                _SLOT_RETRY_AFTER_S,
            )
        # Bytes the uploads in progress may still write, at their largest.
        promised = sum(self._max_upload_bytes - t.written for t in self._tickets)
        free = shutil.disk_usage(self._spool_dir).free
        if free - promised - self._max_upload_bytes < self._min_free_bytes:
            log.warning("spool nearly full", free_bytes=free, promised_bytes=promised)
            raise _refused(
                "spool_full",
                "the server has no room for another upload right now; try again shortly",
                _DISK_RETRY_AFTER_S,
            )
        ticket = UploadTicket()
        self._tickets.append(ticket)
        return ticket


@dataclass(eq=False)
class UploadTicket:
    """One admitted upload: how many bytes it has written to the spool so far."""

    written: int = 0


def _refused(reason: str, message: str, retry_after_s: float) -> ServiceError:
    UPLOADS_REFUSED.labels(reason).inc()
    return unavailable(reason, message, retry_after_s=retry_after_s)
