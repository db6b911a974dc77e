"""Start the system in dependency order and stop it in reverse.

Postgres (embedded unless DATABASE_URL is given) → migrations → ingest, transcribe, notify →
schedulers → gateway. Each gRPC service counts as started once its health says SERVING, the
gateway once /readyz answers 200. Every child dies with the process that started it; with
`supervise`, one that exits on its own is started again on the same port (`make run`).
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import grpc
import httpx
from grpc_health.v1 import health_pb2, health_pb2_grpc

from devstack.postgres import EmbeddedPostgres
from devstack.processes import ServiceProcess
from devstack.supervisor import Supervisor
from voice_core.migrate import apply_migrations

# Notify first: ingest sends confirmation emails through it.
GRPC_SERVICES = ("notify", "ingest", "transcribe")
DEFAULT_PORTS = {
    "ingest": 50051,
    "transcribe": 50052,
    "notify": 50053,
    "scheduler": 50054,
    "gateway": 8000,
}
_MODULES = {"ingest": "ingest_svc", "transcribe": "transcribe_svc", "notify": "notify_svc"}


def start_embedded_postgres(
    data_dir: Path, *, throwaway: bool, echo: TextIO | None = None
) -> tuple[EmbeddedPostgres, str]:
    """A real PostgreSQL from the embedded-postgres package; returns (server, URL)."""
    server = EmbeddedPostgres(data_dir, throwaway=throwaway, echo=echo)
    return server, server.start()


def wait_serving(address: str, timeout_s: float = 120.0) -> None:
    """Block until the gRPC server at `address` reports SERVING."""
    deadline = time.monotonic() + timeout_s
    with grpc.insecure_channel(address) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        while True:
            try:
                response = stub.Check(health_pb2.HealthCheckRequest(), timeout=2)
                if response.status == health_pb2.HealthCheckResponse.SERVING:
                    return
            except grpc.RpcError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"{address} did not become SERVING in {timeout_s} s")
            time.sleep(0.1)


@dataclass
class Stack:
    """The running system; use as a context manager or call `start`/`stop`."""

    data_dir: Path
    database_url: str | None = None
    ports: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_PORTS))
    schedulers: int = 1
    env: Mapping[str, str] = field(default_factory=dict)
    echo: TextIO | None = None
    throwaway_database: bool = False
    # Tests and benchmarks send everything from one address; they turn the gateway's rate
    # limits off (RATE_LIMITS=off).
    rate_limits: bool = True
    # Tests mail made-up addresses that never click a confirmation link: the ephemeral stacks
    # turn double opt-in off (RECIPIENT_CONFIRMATION=off) unless a test is about it.
    recipient_confirmation: bool = True
    # The internal gRPC secret: INTERNAL_AUTH_TOKEN if set, else a fresh one for this stack.
    auth_token: str = field(
        default_factory=lambda: os.environ.get("INTERNAL_AUTH_TOKEN") or secrets.token_urlsafe(32)
    )
    # Restart any child (Postgres included) that exits while the system runs.
    supervise: bool = False
    processes: dict[str, ServiceProcess] = field(default_factory=dict)
    addresses: dict[str, str] = field(default_factory=dict)
    _postgres: EmbeddedPostgres | None = None
    _supervisor: Supervisor | None = None

    @classmethod
    def ephemeral(cls, data_dir: Path, **options: Any) -> Stack:
        """A throwaway system for tests and benchmarks: every port 0, a database deleted at
        stop, no rate limits (one client sends all the traffic) and, unless
        `recipient_confirmation=True`, no double opt-in (nobody clicks the links)."""
        ports = dict.fromkeys(DEFAULT_PORTS, 0)
        return cls(
            data_dir=data_dir,
            ports=ports,
            throwaway_database=True,
            rate_limits=False,
            **{"recipient_confirmation": False, **options},
        )

    @property
    def gateway_url(self) -> str:
        return f"http://{self.addresses['gateway']}"

    @property
    def outbox_dir(self) -> Path:
        return Path(
            self.env.get("OUTBOX_DIR") or os.environ.get("OUTBOX_DIR") or self.data_dir / "outbox"
        )

    def service_env(self, **overrides: str) -> dict[str, str]:
        assert self.database_url is not None
        return {
            "AUDIO_DIR": str(self.data_dir / "audio"),
            "OUTBOX_DIR": str(self.outbox_dir),
            **os.environ,
            "DATABASE_URL": self.database_url,
            "INTERNAL_AUTH_TOKEN": self.auth_token,
            **({} if self.rate_limits else {"RATE_LIMITS": "off"}),
            **({} if self.recipient_confirmation else {"RECIPIENT_CONFIRMATION": "off"}),
            **self.env,
            **overrides,
        }

    def start(self) -> Stack:
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    @property
    def postgres(self) -> EmbeddedPostgres | None:
        """The embedded database server, unless DATABASE_URL named another."""
        return self._postgres

    def _start(self) -> None:
        if self.supervise:
            self._supervisor = Supervisor(self.echo)
        if self.database_url is None:
            self._postgres, self.database_url = start_embedded_postgres(
                self.data_dir, throwaway=self.throwaway_database, echo=self.echo
            )
            self._watch("postgres", self._postgres.process, self._relaunch_postgres)
        apply_migrations(self.database_url)
        for name in GRPC_SERVICES:
            extra = {"NOTIFY_ADDR": self.addresses["notify"]} if name == "ingest" else {}
            self._launch(name, name, **self._port_env(name, self.ports[name]), **extra)
        for name in GRPC_SERVICES:
            wait_serving(self.addresses[name])
        for index in range(self.schedulers):
            self.start_scheduler(f"scheduler{index + 1}" if self.schedulers > 1 else "scheduler")
        self._launch(
            "gateway",
            "gateway",
            **self._port_env("gateway", self.ports["gateway"]),
            INGEST_ADDR=self.addresses["ingest"],
            TRANSCRIBE_ADDR=self.addresses["transcribe"],
        )
        self._wait_gateway_ready()

    @staticmethod
    def _port_env(service: str, port: int) -> dict[str, str]:
        """The service's port, and its metrics port: the default one, or 0 beside port 0."""
        env = {f"{service.upper()}_PORT": str(port)}
        if port == 0:
            env[f"{service.upper()}_METRICS_PORT"] = "0"
        return env

    def _launch(self, name: str, service: str, **env: str) -> ServiceProcess:
        module = _MODULES.get(service, service)
        process = ServiceProcess.python_module(name, module, self.service_env(**env), self.echo)
        self.processes[name] = process
        self.addresses[name] = f"127.0.0.1:{process.wait_port()}"
        # Started again on the ports it bound first, where the other services look for it.
        again = {**env, **self._port_env(service, int(self.addresses[name].rsplit(":", 1)[1]))}
        if process.metrics_port is not None:
            again[f"{service.upper()}_METRICS_PORT"] = str(process.metrics_port)
        self._watch(name, process, lambda: self._relaunch(name, module, again))
        return process

    def run_supervised(self, name: str, launch: Callable[[], ServiceProcess]) -> ServiceProcess:
        """Start one more child that stops with the stack (and is restarted, if supervised)."""
        process = self.processes[name] = launch()

        def relaunch() -> ServiceProcess:
            assert self._supervisor is not None
            with self._supervisor.spawning():
                self.processes[name] = launch()
            return self.processes[name]

        self._watch(name, process, relaunch)
        return process

    def _watch(
        self, name: str, process: ServiceProcess | None, relaunch: Callable[[], ServiceProcess]
    ) -> None:
        if self._supervisor is not None and process is not None:
            self._supervisor.watch(name, process, relaunch)

    def _relaunch(self, name: str, module: str, env: Mapping[str, str]) -> ServiceProcess:
        """Start a supervised service again (in the supervisor's thread)."""
        assert self._supervisor is not None
        with self._supervisor.spawning():
            process = ServiceProcess.python_module(name, module, self.service_env(**env), self.echo)
            self.processes[name] = process
        return self._ready_or_killed(process)

    def _relaunch_postgres(self) -> ServiceProcess:
        assert self._supervisor is not None
        assert self._postgres is not None
        with self._supervisor.spawning():
            process = self._postgres.launch()
        return self._ready_or_killed(process)

    @staticmethod
    def _ready_or_killed(process: ServiceProcess) -> ServiceProcess:
        """Wait until a restarted child serves; if it never does, end it (it is retried)."""
        try:
            process.wait_port()
        except BaseException:
            process.kill()
            raise
        return process

    def start_scheduler(self, name: str = "scheduler", **env: str) -> ServiceProcess:
        """Start one more scheduler (tests run several, and restart killed ones)."""
        # Only the first scheduler gets the fixed ports; more would clash on them.
        port = self.ports["scheduler"] if name == "scheduler" else 0
        process = self._launch(
            name,
            "scheduler",
            **{
                **self._port_env("scheduler", port),
                "INGEST_ADDR": self.addresses["ingest"],
                "TRANSCRIBE_ADDR": self.addresses["transcribe"],
                "NOTIFY_ADDR": self.addresses["notify"],
                "WORKER_ID": name,
                **env,
            },
        )
        wait_serving(self.addresses[name])
        return process

    def _wait_gateway_ready(self, timeout_s: float = 30.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.gateway_url}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"gateway not ready:\n{self.processes['gateway'].output()}")

    def restart_database(self) -> None:
        """Stop the embedded Postgres and start it again on the same data (failure drills)."""
        assert self._postgres is not None, "only the embedded database can be restarted"
        assert self._supervisor is None, "the supervisor restarts it by itself"
        self._postgres.stop_server()
        self._postgres.launch().wait_port()

    def stop(self) -> dict[str, int]:
        """Stop every process (gateway and schedulers first), then Postgres, whatever state
        they are in; returns the services' exit statuses."""
        if self._supervisor is not None:
            self._supervisor.stop_restarts()
        statuses = {}
        for name, process in reversed(list(self.processes.items())):
            statuses[name] = process.stop()
        self.processes.clear()
        if self._postgres is not None:
            self._postgres.stop()
            self._postgres = None
        if self._supervisor is not None:
            # Only now: its thread's end would kill the children it restarted.
            self._supervisor.close()
            self._supervisor = None
        return statuses

    def __enter__(self) -> Stack:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()
