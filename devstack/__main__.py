"""`make run`: the whole system in the foreground on embedded defaults; Ctrl-C stops it all.

A `.env` in the current folder is read first; variables already set in the environment win.
Set DATABASE_URL to use your own Postgres (Supabase included). The UI is the production build
(built again when its sources changed, devstack/frontend.py); FRONTEND=dev runs `next dev`
with hot reload instead (`make dev`), FRONTEND=0 skips the UI. Any
service (or Postgres) that exits is started again; all of them end when this process ends,
however it ends.
"""

from __future__ import annotations

import os
import secrets
import signal
import sys
import threading
from pathlib import Path

from dotenv import load_dotenv

from devstack import frontend as ui
from devstack.postgres import EmbeddedPostgres
from devstack.preflight import describe, held_ports
from devstack.processes import ServiceProcess
from devstack.stack import DEFAULT_PORTS, Stack

ROOT = Path(__file__).resolve().parents[1]
TOKEN_FILE = "internal_auth_token"  # noqa: S105 - a file name, not a secret


def _frontend_mode() -> ui.Mode | None:
    """FRONTEND: unset or 1 the production build, `dev` next dev, 0 no UI."""
    value = os.environ.get("FRONTEND", "1")
    if value not in ("0", "1", "dev"):
        print(f"FRONTEND must be 1, dev or 0, not {value!r}", file=sys.stderr)
        sys.exit(1)
    return None if value == "0" else "dev" if value == "dev" else "production"


def local_auth_token(data_dir: Path) -> str:
    """INTERNAL_AUTH_TOKEN, or one generated once and kept (owner-only) under the data dir."""
    if token := os.environ.get("INTERNAL_AUTH_TOKEN"):
        return token
    path = data_dir / TOKEN_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(32))
    return path.read_text().strip()


def ports_in_use(ports: dict[str, int], data_dir: Path, embedded_database: bool) -> list[str]:
    """What stands in the way of starting: ports held, and a Postgres left on our data."""
    problems = held_ports(ports)
    if embedded_database:
        postgres = EmbeddedPostgres(data_dir, throwaway=False)
        if (pid := postgres.leftover_pid()) is not None:
            problems.append(f"the database in {postgres.pgdata} is in use by {describe(pid)}")
    return problems


def main() -> None:
    load_dotenv(".env")  # never overrides a variable that is already set
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    data_dir = Path(os.environ.get("DATA_DIR") or ROOT / ".data").resolve()
    database_url = os.environ.get("DATABASE_URL") or None
    ports = {
        name: int(os.environ.get(f"{name.upper()}_PORT") or port)
        for name, port in DEFAULT_PORTS.items()
    }
    mode = _frontend_mode()
    frontend_port = os.environ.get("FRONTEND_PORT") or "3000"
    wanted = {**ports, **({"frontend": int(frontend_port)} if mode else {})}
    if problems := ports_in_use(wanted, data_dir, database_url is None):
        print(
            "Cannot start:\n" + "\n".join(f"  {problem}" for problem in problems), file=sys.stderr
        )
        sys.exit(1)
    stack = Stack(
        data_dir=data_dir,
        database_url=database_url,
        ports=ports,
        echo=sys.stdout,
        auth_token=local_auth_token(data_dir),
        supervise=True,
        # The emails' links go to this front end and this API, unless set otherwise.
        env={
            "PUBLIC_APP_URL": os.environ.get("PUBLIC_APP_URL")
            or f"http://localhost:{frontend_port}",
            "PUBLIC_API_URL": os.environ.get("PUBLIC_API_URL")
            or f"http://localhost:{ports['gateway']}",
        },
    )
    try:
        ui_env = _start(stack, mode, ports["gateway"], stop)
    except (RuntimeError, TimeoutError) as error:  # a service that could not start, and why
        print(f"Cannot start: {error}", file=sys.stderr)
        sys.exit(1)
    try:
        if mode is not None:
            stack.run_supervised(
                "frontend",
                lambda: ui.server(mode, ui.FRONTEND, ui_env, frontend_port, sys.stdout),
            )
        url = f"http://localhost:{frontend_port}" if mode else "(skipped)"
        print(_banner(stack, url, data_dir, mode), flush=True)
        stop.wait()
        print("\nStopping…", flush=True)
    finally:  # everything is stopped however this block ends
        stack.stop()


def _start(
    stack: Stack, mode: ui.Mode | None, gateway_port: int, stop: threading.Event
) -> dict[str, str]:
    """Start the services and, for the production UI, bring its build up to date; returns the
    UI's environment. The gateway's URL is baked into the bundle: with a fixed port the build
    runs while the services start, with port 0 only once the gateway has picked one."""
    early = gateway_port != 0
    ui_env = ui.frontend_env(f"http://127.0.0.1:{gateway_port}")
    build = _build_if_needed(ui_env) if mode == "production" and early else None
    try:
        stack.start()  # stops what it started if it fails
        if mode == "production" and not early:
            ui_env = ui.frontend_env(stack.gateway_url)
            build = _build_if_needed(ui_env)
        if build is not None:
            ui.finish_build(build, ui.FRONTEND, ui_env, stop)
    except BaseException:
        if build is not None:
            build.stop()
        stack.stop()
        raise
    return ui_env


def _build_if_needed(env: dict[str, str]) -> ServiceProcess | None:
    if ui.is_current(ui.FRONTEND, env):
        return None
    print("Building the frontend (its sources changed since the last build)…", flush=True)
    return ui.start_build(ui.FRONTEND, env, sys.stdout)


def _banner(stack: Stack, url: str, data_dir: Path, mode: ui.Mode | None) -> str:
    how = {"production": " (production build)", "dev": " (next dev, hot reload)", None: ""}[mode]
    return (
        "\n"
        f"  Voice notes is running.\n"
        f"  Frontend:     {url}{how}\n"
        f"  API:          {stack.gateway_url}  (docs: {stack.gateway_url}/docs)\n"
        f"  gRPC:         ingest {stack.addresses['ingest']}, transcribe "
        f"{stack.addresses['transcribe']}, notify {stack.addresses['notify']}\n"
        f"  Database:     {stack.postgres.url if stack.postgres else '(DATABASE_URL)'}\n"
        f"  Emails land in {stack.outbox_dir}\n"
        f"  A new address first gets a confirmation email: open its link to send what waits\n"
        f"  (RECIPIENT_CONFIRMATION=off skips this on a box only you can reach).\n"
        f'  Debug with: .venv/bin/grpcurl -plaintext -H "authorization: Bearer $(cat '
        f'{data_dir / TOKEN_FILE})" {stack.addresses["ingest"]} list\n'
        f"  A service that stops is started again; Ctrl-C stops everything.\n"
    )


if __name__ == "__main__":
    main()
