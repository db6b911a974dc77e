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

    def reserve(self, wait: bool = True) -> Reservation:
        """A slot for one call, or RESOURCE_EXHAUSTED when every slot is taken (with
        `wait=False`, when none would run at once: a chunk of a note is then better done
        by the pod that sent it than queued here behind it)."""
        with self._lock:
            if self._taken >= self._running + (self._waiting if wait else 0):
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

    def submit(self, work: Work[T], done: Callable[[], None]) -> asyncio.Future[T]:
        """Run `work` on a worker thread with the caller's log context; `done` is called when
        it ends, or at once if the caller gives up before it starts."""
        abandoned = threading.Event()
        future = self._executor.submit(contextvars.copy_context().run, work, abandoned)
        future.add_done_callback(lambda _: done())
        result = asyncio.wrap_future(future)
        result.add_done_callback(lambda done: abandoned.set() if done.cancelled() else None)
        return result

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


class Reservation:
    """One admitted call. It may run work on a worker thread, one piece after another; its
    slot is given back once the call has left the block and no work of it runs any more."""

    def __init__(self, slots: TranscriptionSlots) -> None:
        self._slots = slots
        self._working = False
        self._left = False
        # Work ends on a worker thread, the call leaves the block on the event loop.
        self._lock = threading.Lock()

    def run(self, work: Work[T]) -> asyncio.Future[T]:
        """Run `work` on a worker thread with this call's slot; await the result."""
        with self._lock:
            assert not self._working, "one piece of work at a time per call"
            self._working = True
        return self._slots.submit(work, self._work_over)

    def _work_over(self) -> None:
        with self._lock:
            self._working = False
            give_back = self._left
        if give_back:
            self._slots.give_back()

    def __enter__(self) -> Reservation:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        with self._lock:
            self._left = True
            give_back = not self._working
        if give_back:
            self._slots.give_back()
