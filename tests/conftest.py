"""Fixtures shared by every test: a real, migrated Postgres."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from devstack.stack import start_embedded_postgres
from tests.fakes.mailjet import FakeMailjet
from tests.support import TABLES
from voice_core.migrate import apply_migrations


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A throwaway PostgreSQL cluster for the whole test session, migrated."""
    server, url = start_embedded_postgres(tmp_path_factory.mktemp("pg"), throwaway=True)
    apply_migrations(url)
    yield url
    server.cleanup()


@pytest.fixture(scope="module")
def mailjet() -> Iterator[FakeMailjet]:
    """A fake Mailjet Send API for the module's tests (see tests/fakes/mailjet.py)."""
    with FakeMailjet() as fake:
        yield fake


@pytest.fixture
def clean_db(database_url: str) -> str:
    """The database with every table emptied first."""
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute(f"TRUNCATE {TABLES}")
    return database_url
