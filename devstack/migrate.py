"""`make migrate`: apply migrations to DATABASE_URL, or to the embedded cluster under .data/."""

from __future__ import annotations

import os
from pathlib import Path

from dotenv import load_dotenv

from devstack.stack import start_embedded_postgres
from voice_core.migrate import apply_migrations

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    load_dotenv(".env")  # as `make run` does; variables already set win
    server = None
    database_url = os.environ.get("DATABASE_URL")
    if not database_url:
        data_dir = Path(os.environ.get("DATA_DIR") or ROOT / ".data").resolve()
        server, database_url = start_embedded_postgres(data_dir, throwaway=False)
    try:
        applied = apply_migrations(database_url)
    finally:
        if server is not None:
            server.stop()
    print(f"migrations applied: {', '.join(applied) if applied else 'none (up to date)'}")


if __name__ == "__main__":
    main()
