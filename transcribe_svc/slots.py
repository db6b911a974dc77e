"""How much work a pod takes on: a few transcriptions running, a few waiting, the rest refused.

A call reserves a slot before it reads its upload, so a busy pod says RESOURCE_EXHAUSTED at
once (the caller tries another pod) instead of buffering audio it cannot work on soon, and the
audio a pod holds is bounded by its slots. A slot is given back when the work is really over,
not when the caller goes away: work that already runs keeps its thread until it stops, so it
keeps its slot too. It is told that nobody waits any more, so that it can stop early.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType
from typing import TypeVar

import grpc

from voice_core.errors import ServiceError

T = TypeVar("T")
# Work run on a slot: it receives an event that is set once its caller has gone away.
Work = Callable[[threading.Event], T]


class TranscriptionSlots:
    """`running` worker threads and room for `waiting` more calls."""

    def __init__(self, running: int, waiting: int) -> None:
        self._executor = ThreadPoolExecutor(max_workers=running, thread_name_prefix="whisper")
        self._running = running
        self._waiting = waiting
        self._taken = 0
        # Slots are given back from worker threads as well as from the event loop.
        self._lock = threading.Lock()

    def reserve(self) -> Reservation:
        """A slot for one call, or RESOURCE_EXHAUSTED when every slot is taken."""
        with self._lock:
            if self._taken >= self._running + self._waiting:
                raise ServiceError(
                    grpc.StatusCode.RESOURCE_EXHAUSTED,
                    "transcriber_busy",
                    f"this transcription pod is busy ({self._running} running, "
                    f"{self._waiting} waiting); try again or use another pod",
                )
            self._taken += 1
        return Reservation(self)

    def give_back(self) -> None:
        with self._lock:
            self._taken -= 1

    def submit(self, work: Work[T]) -> asyncio.Future[T]:
        """Run `work` on a worker thread with the caller's log context. Its slot is given back
        when it ends, or at once if the caller gives up before it starts."""
        abandoned = threading.Event()
        future = self._executor.submit(contextvars.copy_context().run, work, abandoned)
        future.add_done_callback(lambda _: self.give_back())
        result = asyncio.wrap_future(future)
        result.add_done_callback(lambda done: abandoned.set() if done.cancelled() else None)
        return result

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


class Reservation:
    """One admitted call. Leaving the block gives the slot back unless `run` handed it to a
    worker thread, which then gives it back when the work is over."""

    def __init__(self, slots: TranscriptionSlots) -> None:
        self._slots = slots
        self._handed_over = False

    def run(self, work: Work[T]) -> asyncio.Future[T]:
        """Hand `work` and the slot to a worker thread now; await the result."""
        future = self._slots.submit(work)
        self._handed_over = True
        return future

    def __enter__(self) -> Reservation:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if not self._handed_over:
            self._slots.give_back()
