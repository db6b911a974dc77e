"""Child processes that announce their port in a JSON log line, stop on SIGTERM, and die
with the process that started them, even when it is killed with SIGKILL."""

from __future__ import annotations

import collections
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import TextIO

# The events our servers log once they have bound their port, and their metrics port.
_LISTENING_EVENTS = {"grpc server listening", "http server listening"}
_METRICS_EVENT = "metrics listening"

# setpriv (util-linux, in every Debian system) sets the parent-death signal and then execs,
# so no Python runs between fork and exec: `preexec_fn` is documented as unsafe in a process
# with threads, and ours has an output reader per child and a supervisor. The signal is only
# set once the child runs setpriv: if we died before that, the `sh` guard sees a parent that
# is no longer us ($PPID is read at its start, after setpriv) and exits instead of running on.
_SETPRIV = shutil.which("setpriv") if sys.platform == "linux" else None
_PARENT_GUARD = '[ "$PPID" = "$0" ] && exec "$@"'
CHILDREN_DIE_WITH_US = _SETPRIV is not None


def dies_with_us(argv: Sequence[str], death_signal: str = "KILL") -> list[str]:
    """`argv`, run so that the kernel sends it `death_signal` when this process ends.

    The kernel sends it when the *thread* that started the child ends, so only long-lived
    threads start children (the main thread, the supervisor's).
    """
    if _SETPRIV is None:  # not Linux, or no util-linux: children are only stopped by `stop`
        return list(argv)
    guard = ["sh", "-c", _PARENT_GUARD, str(os.getpid())]
    return [_SETPRIV, f"--pdeathsig={death_signal}", "--", *guard, *argv]


class ServiceProcess:
    """One child process, its output kept (and echoed if asked)."""

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        env: Mapping[str, str],
        echo: TextIO | None = None,
        *,
        death_signal: str = "KILL",
        stop_signal: signal.Signals = signal.SIGTERM,
        user: str | None = None,
    ) -> None:
        self.name = name
        self.lines: collections.deque[str] = collections.deque(maxlen=5000)
        self._port: int | None = None
        self.metrics_port: int | None = None
        self._port_ready = threading.Event()
        self._echo = echo
        self._stop_signal = stop_signal
        # Called once the process has ended (the supervisor sets it to learn of crashes).
        self.on_exit: Callable[[ServiceProcess], None] | None = None
        self.popen = subprocess.Popen(
            dies_with_us(argv, death_signal),
            env=dict(env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
            # Own process group: a terminal's Ctrl-C reaches the runner, which stops children
            # in order, instead of every process at once.
            start_new_session=True,
            user=user,
        )
        self._reader = threading.Thread(target=self._read, name=f"{name}-output", daemon=True)
        self._reader.start()
        # Its own thread: the output may stay open after the process ended (a grandchild's).
        threading.Thread(target=self._wait_exit, name=f"{name}-exit", daemon=True).start()

    @classmethod
    def python_module(
        cls, name: str, module: str, env: Mapping[str, str], echo: TextIO | None = None
    ) -> ServiceProcess:
        return cls(name, [sys.executable, "-m", module], env, echo)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def _read(self) -> None:
        assert self.popen.stdout is not None
        for line in self.popen.stdout:
            self.lines.append(line)
            if self._echo is not None:
                self._echo.write(f"{self.name:<11}| {line}")
                self._echo.flush()
            if self._port is None:
                self.on_line(line)
        self._port_ready.set()  # the process ended: stop anyone waiting for a port

    def _wait_exit(self) -> None:
        self.popen.wait()
        # What it left in its process group goes with it (Postgres's backends, next's server):
        # left alone, they would hold the port or the shared memory its successor needs.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        if self.on_exit is not None:
            self.on_exit(self)

    def on_line(self, line: str) -> None:
        """Look for the port announcements (metrics bind first, so both are known at once)."""
        if '"port"' not in line:
            return
        try:
            event = json.loads(line)
        except ValueError:
            return
        if event.get("event") == _METRICS_EVENT:
            self.metrics_port = int(event["port"])
        elif event.get("event") in _LISTENING_EVENTS:
            self.mark_ready(int(event["port"]))

    def mark_ready(self, port: int) -> None:
        self._port = port
        self._port_ready.set()

    def wait_port(self, timeout_s: float = 60.0) -> int:
        """The port the service bound; raises with its output if it died or took too long."""
        self._port_ready.wait(timeout_s)
        if self._port is None:
            raise RuntimeError(f"{self.name} did not start listening:\n{self.output()}")
        return self._port

    def output(self) -> str:
        return "".join(self.lines)

    def running(self) -> bool:
        return self.popen.poll() is None

    def stop(self, timeout_s: float = 20.0) -> int:
        """The stop signal (SIGTERM unless told), then SIGKILL if it has not exited in time;
        returns the exit status.

        The whole process group is signalled: `npm run dev` only stops its children that way.
        """
        if self.running():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, self._stop_signal)
        try:
            return self.popen.wait(timeout_s)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGKILL)
            return self.popen.wait()
        finally:
            self._reader.join(timeout=5)

    def kill(self) -> None:
        """SIGKILL at once, as a crash would."""
        if self.running():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait()
