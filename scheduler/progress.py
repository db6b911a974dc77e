"""How far a transcription has come, written to its request for the status page to show.

The transcription pod sends a progress message for every stretch of audio it finishes (each
segment Whisper writes, each chunk a peer returns): many a second on a fast pod. The status
page polls every few seconds at most, so the scheduler writes progress about once every
`PROGRESS_INTERVAL_S`, plus the writes that carry news a reader must not miss: the first (the
transcription started, with its start time), a restart (a pod died and another began from the
start) and the end. Each write also renews the request's lease.
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import psycopg
import structlog

from scheduler.store import Claim, RequestStore

# Told the share of the audio transcribed so far, 0 to 1.
ProgressReport = Callable[[float], Awaitable[None]]
PROGRESS_INTERVAL_S = 2.0
log = structlog.get_logger("scheduler.progress")


@dataclass
class ProgressThrottle:
    """Decides which progress figures are worth a database write."""

    interval_s: float = PROGRESS_INTERVAL_S
    clock: Callable[[], float] = time.monotonic
    _written: float | None = field(default=None, init=False)
    _written_at: float = field(default=-math.inf, init=False)

    def admit(self, progress: float) -> bool:
        """True if `progress` should be written now (and it is then taken as written)."""
        now = self.clock()
        if progress == self._written:
            return False  # no news
        news = (
            self._written is None  # the first: the transcription started
            or progress < self._written  # a new transcription started over
            or progress >= 1.0  # the end
            or now - self._written_at >= self.interval_s
        )
        if news:
            self._written, self._written_at = progress, now
        return news


@dataclass
class ProgressRecorder:
    """Writes a claim's transcription progress through the store, throttled.

    A write the database refuses for the lease (`LeaseLost`) stops the work, as any write
    would. One that fails otherwise (the database briefly out of reach) is only logged: a
    figure on a status page is not worth an hour of transcription, and the heartbeat decides
    when an unreachable database means the request must be left.
    """

    store: RequestStore
    claim: Claim
    throttle: ProgressThrottle = field(default_factory=ProgressThrottle)

    async def __call__(self, progress: float) -> None:
        if not self.throttle.admit(progress):
            return
        try:
            await self.store.record_transcription_progress(self.claim, progress)
        except (psycopg.OperationalError, OSError) as error:
            log.warning("progress not stored", progress=round(progress, 3), error=str(error))
