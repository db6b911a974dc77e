"""Child processes that announce their port in a JSON log line, and stop on SIGTERM."""

from __future__ import annotations

import collections
import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from typing import TextIO

# The events our servers log once they have bound their port, and their metrics port.
_LISTENING_EVENTS = {"grpc server listening", "http server listening"}
_METRICS_EVENT = "metrics listening"


class ServiceProcess:
    """One service run as `python -m <module>`, its output kept (and echoed if asked)."""

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        env: Mapping[str, str],
        echo: TextIO | None = None,
    ) -> None:
        self.name = name
        self.lines: collections.deque[str] = collections.deque(maxlen=5000)
        self._port: int | None = None
        self.metrics_port: int | None = None
        self._port_ready = threading.Event()
        self._echo = echo
        self.popen = subprocess.Popen(
            argv,
            env=dict(env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
            # Own process group: a terminal's Ctrl-C reaches the runner, which stops children
            # in order, instead of every process at once.
            start_new_session=True,
        )
        self._reader = threading.Thread(target=self._read, name=f"{name}-output", daemon=True)
        self._reader.start()

    @classmethod
    def python_module(
        cls, name: str, module: str, env: Mapping[str, str], echo: TextIO | None = None
    ) -> ServiceProcess:
        return cls(name, [sys.executable, "-m", module], env, echo)

    def _read(self) -> None:
        assert self.popen.stdout is not None
        for line in self.popen.stdout:
            self.lines.append(line)
            if self._echo is not None:
                self._echo.write(f"{self.name:<11}| {line}")
                self._echo.flush()
            if self._port is None and '"port"' in line:
                # Metrics bind first, so both ports are known once wait_port returns.
                self._note_port(line)
        self._port_ready.set()  # the process ended: stop anyone waiting for a port

    def _note_port(self, line: str) -> None:
        try:
            event = json.loads(line)
        except ValueError:
            return
        if event.get("event") == _METRICS_EVENT:
            self.metrics_port = int(event["port"])
        elif event.get("event") in _LISTENING_EVENTS:
            self._port = int(event["port"])
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
        """SIGTERM, then SIGKILL if it has not exited in time; returns the exit status.

        The whole process group is signalled: `npm run dev` only stops its children that way.
        """
        if self.running():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)
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
