"""The supervisor's decisions, with real (tiny) processes: restarts with backoff and a log line,
children that die with their parent even on SIGKILL, and a second `make run` that names what
holds its ports. The whole system under chaos is in test_chaos.py."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from devstack.processes import ServiceProcess
from devstack.supervisor import Supervisor, backoff_s
from tests.support import gone, wait_until


def test_backoff_doubles_from_half_a_second_up_to_thirty() -> None:
    assert [backoff_s(failures) for failures in range(8)] == [0.5, 1, 2, 4, 8, 16, 30, 30]


def test_a_killed_child_is_restarted_with_a_log_line_and_not_once_stopping() -> None:
    launched: list[ServiceProcess] = []

    def launch() -> ServiceProcess:
        launched.append(ServiceProcess("sleeper", ["sleep", "60"], os.environ))
        return launched[-1]

    supervisor = Supervisor()
    try:
        supervisor.watch("sleeper", launch(), launch)
        first = launched[0].pid
        os.kill(first, signal.SIGKILL)
        wait_until(lambda: any("is back" in line for line in supervisor.lines), 10, "a restart")
        log = "".join(supervisor.lines)
        assert f"sleeper (pid {first}) killed by SIGKILL; restarting in 0.5 s (restart 1)" in log
        assert f"sleeper is back (pid {launched[1].pid})" in log

        supervisor.stop_restarts()
        launched[1].kill()
    finally:
        supervisor.close()
        for process in launched:
            process.kill()
    assert len(launched) == 2, "a child that ended while stopping was started again"


def test_what_a_dead_child_left_in_its_process_group_goes_with_it() -> None:
    """As Postgres's backends (holding its shared memory) or next's server (holding the port)."""
    script = "sleep 60 & echo $!; wait"
    child = ServiceProcess("shell", ["sh", "-c", script], os.environ)
    wait_until(lambda: child.lines, 5, "the grandchild's PID")
    grandchild = int(child.lines[0])
    os.kill(child.pid, signal.SIGKILL)  # the shell only, not its group
    wait_until(lambda: gone(grandchild), 5, "the grandchild to end")


@pytest.fixture
def parent_of_a_child() -> Iterator[tuple[subprocess.Popen[str], int]]:
    """A Python process that started one child the way devstack does; yields both PIDs."""
    script = (
        "import os, sys\n"
        "from devstack.processes import ServiceProcess\n"
        "child = ServiceProcess('sleeper', ['sleep', '60'], os.environ)\n"
        "print(child.pid, flush=True)\n"
        "sys.stdin.read()\n"  # until the test closes it (or kills us)
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    yield parent, child
    parent.kill()
    parent.wait()
    if not gone(child):
        os.kill(child, signal.SIGKILL)


def test_children_die_with_their_parent_even_on_sigkill(
    parent_of_a_child: tuple[subprocess.Popen[str], int],
) -> None:
    parent, child = parent_of_a_child
    assert not gone(child)
    parent.kill()
    parent.wait()
    wait_until(lambda: gone(child), 5, "the child to die with its parent")


def held_port() -> socket.socket:
    listener = socket.create_server(("127.0.0.1", 0))
    listener.listen()
    return listener


def run_devstack(cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`make run` as far as its check of what is in use (it stops there, so nothing starts)."""
    ports = {f"{name}_PORT": "0" for name in ("INGEST", "TRANSCRIBE", "NOTIFY", "SCHEDULER")}
    environment = {**os.environ, "FRONTEND": "0", "DATA_DIR": str(cwd / "data"), **ports, **env}
    return subprocess.run(
        [sys.executable, "-m", "devstack"],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_held_port_is_named_with_its_process_and_nothing_starts(tmp_path: Path) -> None:
    with held_port() as listener:
        port = listener.getsockname()[1]
        result = run_devstack(tmp_path, GATEWAY_PORT=str(port))
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"port {port} (gateway) is held by PID {os.getpid()} (" in result.stderr
    assert not (tmp_path / "data" / "pg").exists(), "Postgres was started anyway"


def test_dotenv_in_the_current_folder_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    with held_port() as in_dotenv, held_port() as in_environment:
        from_file, from_environment = in_dotenv.getsockname()[1], in_environment.getsockname()[1]
        (tmp_path / ".env").write_text(f"GATEWAY_PORT={from_file}\n")
        read = run_devstack(tmp_path)
        overridden = run_devstack(tmp_path, GATEWAY_PORT=str(from_environment))
    assert f"port {from_file} (gateway) is held" in read.stderr
    assert f"port {from_environment} (gateway) is held" in overridden.stderr
    assert f"port {from_file} " not in overridden.stderr
