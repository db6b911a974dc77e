"""Apply the SQL migrations in `supabase/migrations/`, in name order, each once.

Applied versions are recorded in `schema_migrations`; an advisory lock makes concurrent runs
(several pods starting at once) safe. Run it as `python -m voice_core.migrate`.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import psycopg

DEFAULT_MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "supabase" / "migrations"
_LOCK_KEY = 7_201_125  # arbitrary, constant: serializes migration runs across processes


def apply_migrations(database_url: str, directory: Path = DEFAULT_MIGRATIONS_DIR) -> list[str]:
    """Apply pending migrations; return the versions applied now."""
    applied_now: list[str] = []
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("SELECT pg_advisory_lock(%s)", [_LOCK_KEY])
        try:
            connection.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
            )
            done = {row[0] for row in connection.execute("SELECT version FROM schema_migrations")}
            migrations = sorted(directory.glob("*.sql"))
            if not migrations:
                # An installed package has no migrations folder beside it: say so, loudly.
                raise FileNotFoundError(f"no migrations (*.sql) in {directory}; pass --dir")
            for path in migrations:
                if path.stem in done:
                    continue
                with connection.transaction():
                    connection.execute(path.read_text())
                    connection.execute(
                        "INSERT INTO schema_migrations (version) VALUES (%s)", [path.stem]
                    )
                applied_now.append(path.stem)
        finally:
            connection.execute("SELECT pg_advisory_unlock(%s)", [_LOCK_KEY])
    return applied_now


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--dir", type=Path, default=DEFAULT_MIGRATIONS_DIR)
    args = parser.parse_args()
    if not args.database_url:
        parser.error("DATABASE_URL is not set (pass --database-url or set the variable)")
    applied = apply_migrations(args.database_url, args.dir)
    print(f"migrations applied: {', '.join(applied) if applied else 'none (up to date)'}")


if __name__ == "__main__":
    main()
