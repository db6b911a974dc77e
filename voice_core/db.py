"""The Postgres connection pool every database-backed service opens the same way."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import AsyncConnection
from psycopg.rows import DictRow, dict_row
from psycopg_pool import AsyncConnectionPool

from voice_core.errors import unavailable
from voice_core.interceptor import translate_errors
from voice_core.settings import DatabaseSettings

Pool = AsyncConnectionPool[AsyncConnection[DictRow]]

# A lost or refused connection is temporary: callers see UNAVAILABLE and retry.
translate_errors(
    psycopg.OperationalError,
    lambda _: unavailable("database_unavailable", "the database is unavailable; try again shortly"),
)


async def _configure(connection: AsyncConnection[Any]) -> None:
    await connection.set_autocommit(True)
    # Our statements are short; a hung one should fail rather than hold a connection forever.
    await connection.execute("SET statement_timeout = '30s'")


async def open_pool(settings: DatabaseSettings, name: str) -> Pool:
    """Open a pool and wait until it has its first connections (or fail clearly)."""
    pool: Pool = AsyncConnectionPool(
        settings.database_url.get_secret_value(),
        min_size=settings.db_pool_min_size,
        max_size=settings.db_pool_max_size,
        kwargs={"row_factory": dict_row, "prepare_threshold": settings.db_prepare_threshold},
        configure=_configure,
        # Checking on checkout lets services ride out a database restart.
        check=AsyncConnectionPool.check_connection,
        open=False,
        name=name,
    )
    await pool.open(wait=True, timeout=30)
    return pool


class Database:
    """A service's pool, opened when the service starts and closed when it stops.

    Repositories subclass it; until `open()` the pool is unusable and says so.
    """

    def __init__(self, settings: DatabaseSettings, name: str) -> None:
        self._settings = settings
        self._name = name
        self._pool: Pool | None = None

    async def open(self) -> None:
        self._pool = await open_pool(self._settings, self._name)

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    @property
    def pool(self) -> Pool:
        if self._pool is None:
            raise RuntimeError(f"{type(self).__name__} used before open()")
        return self._pool
