"""Restart the children that exit while the system is meant to be running, with backoff.

One thread does every restart, and lives until every child has been stopped: the kernel sends
a child its parent-death signal when the *thread* that started it ends (see `dies_with_us`).
"""

from __future__ import annotations

import collections
import contextlib
import queue
import signal
import threading
import time
from collections.abc import Callable, Iterator
from typing import TextIO

from devstack.processes import CHILDREN_DIE_WITH_US, ServiceProcess

# A child that stayed up this long before dying starts its backoff afresh.
HEALTHY_AFTER_S = 30.0


class Stopping(Exception):
    """The system is being stopped: start nothing more."""


def backoff_s(failures: int, first_s: float = 0.5, cap_s: float = 30.0) -> float:
    """How long to wait before restart number `failures + 1` of a child that keeps dying."""
    return float(min(cap_s, first_s * 2**failures))


def describe_exit(status: int) -> str:
    if status < 0:
        return f"killed by {signal.Signals(-status).name}"
    return f"exited with status {status}"


class Supervisor:
    """Watches children; `relaunch` starts one again and waits until it serves."""

    def __init__(self, echo: TextIO | None = None) -> None:
        self.lines: collections.deque[str] = collections.deque(maxlen=1000)
        self._echo = echo
        self._relaunchers: dict[str, Callable[[], ServiceProcess]] = {}
        self._current: dict[str, ServiceProcess] = {}
        self._started_at: dict[str, float] = {}
        self._failures: collections.Counter[str] = collections.Counter()
        self._exits: queue.Queue[ServiceProcess | None] = queue.Queue()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="supervisor", daemon=True)
        self._thread.start()
        if not CHILDREN_DIE_WITH_US:
            self.log(
                "no setpriv (util-linux) here: if this process is killed, its children live on"
            )

    def log(self, message: str) -> None:
        line = f"{time.strftime('%H:%M:%S')} {message}\n"
        self.lines.append(line)
        if self._echo is not None:
            self._echo.write(f"{'supervisor':<11}| {line}")
            self._echo.flush()

    def watch(
        self, name: str, process: ServiceProcess, relaunch: Callable[[], ServiceProcess]
    ) -> None:
        """Restart `name` with `relaunch` whenever `process` (and then its successors) ends."""
        with self._lock:
            self._relaunchers[name] = relaunch
            self._adopt(name, process)

    def _adopt(self, name: str, process: ServiceProcess) -> None:
        self._current[name] = process
        self._started_at[name] = time.monotonic()
        process.on_exit = self._exits.put
        if not process.running():  # it ended before it was watched: handle it all the same
            self._exits.put(process)

    @contextlib.contextmanager
    def spawning(self) -> Iterator[None]:
        """Hold while creating a child, so that `stop_restarts` cannot miss it."""
        with self._lock:
            if self._stopping.is_set():
                raise Stopping
            yield

    def stop_restarts(self) -> None:
        """From now on an ending child is not restarted; a restart under way is abandoned."""
        with self._lock:
            self._stopping.set()

    def close(self) -> None:
        """End the restart thread; call once its children have been stopped."""
        self.stop_restarts()
        self._exits.put(None)
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while (ended := self._exits.get()) is not None:
            with self._lock:
                name = next((n for n, p in self._current.items() if p is ended), None)
            if name is not None and not self._stopping.is_set():
                self._restart(name, ended)
            # else: an exit already handled, or one we caused by stopping

    def _restart(self, name: str, ended: ServiceProcess) -> None:
        if time.monotonic() - self._started_at[name] >= HEALTHY_AFTER_S:
            self._failures[name] = 0
        reason = f"{name} (pid {ended.pid}) {describe_exit(ended.popen.returncode)}"
        while True:
            delay = backoff_s(self._failures[name])
            self._failures[name] += 1
            self.log(f"{reason}; restarting in {delay:g} s (restart {self._failures[name]})")
            if self._stopping.wait(delay):
                return
            try:
                process = self._relaunchers[name]()
            except Stopping:
                return
            except Exception as error:  # a failed start is retried, with more backoff
                reason = f"{name} did not come back ({str(error).splitlines()[0]})"
                continue
            with self._lock:
                self._adopt(name, process)
            self.log(f"{name} is back (pid {process.pid})")
            return
