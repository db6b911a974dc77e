"""`make run`: the whole system in the foreground on embedded defaults; Ctrl-C stops it all.

Set DATABASE_URL to use your own Postgres (Supabase included); FRONTEND=0 skips the UI.
"""

from __future__ import annotations

import os
import secrets
import signal
import sys
import threading
from pathlib import Path

from devstack.processes import ServiceProcess
from devstack.stack import Stack

ROOT = Path(__file__).resolve().parents[1]
TOKEN_FILE = "internal_auth_token"  # noqa: S105 - a file name, not a secret


def _frontend(stack: Stack) -> ServiceProcess:
    port = os.environ.get("FRONTEND_PORT", "3000")
    env = {
        **os.environ,
        "PORT": port,
        "NEXT_TELEMETRY_DISABLED": "1",
        "NEXT_PUBLIC_API_BASE_URL": os.environ.get("NEXT_PUBLIC_API_BASE_URL", stack.gateway_url),
    }
    return ServiceProcess(
        "frontend", ["npm", "--prefix", str(ROOT / "frontend"), "run", "dev"], env, sys.stdout
    )


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


def main() -> None:
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    data_dir = Path(os.environ.get("DATA_DIR", ROOT / ".data")).resolve()
    stack = Stack(
        data_dir=data_dir,
        database_url=os.environ.get("DATABASE_URL"),
        echo=sys.stdout,
        auth_token=local_auth_token(data_dir),
    )
    stack.start()
    frontend = _frontend(stack) if os.environ.get("FRONTEND", "1") != "0" else None
    ui = f"http://localhost:{os.environ.get('FRONTEND_PORT', '3000')}" if frontend else "(skipped)"
    print(
        "\n"
        f"  Voice notes is running.\n"
        f"  Frontend:     {ui}\n"
        f"  API:          {stack.gateway_url}  (docs: {stack.gateway_url}/docs)\n"
        f"  gRPC:         ingest {stack.addresses['ingest']}, transcribe "
        f"{stack.addresses['transcribe']}, notify {stack.addresses['notify']}\n"
        f"  Emails land in {stack.outbox_dir}\n"
        f'  Debug with: .venv/bin/grpcurl -plaintext -H "authorization: Bearer $(cat '
        f'{data_dir / TOKEN_FILE})" {stack.addresses["ingest"]} list\n'
        f"  Ctrl-C stops everything.\n",
        flush=True,
    )
    stop.wait()
    print("\nStopping…", flush=True)
    if frontend is not None:
        frontend.stop()
    stack.stop()


if __name__ == "__main__":
    main()
