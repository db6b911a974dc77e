"""The migrations on a database prepared as Supabase prepares one: its REST API roles, which
default privileges grant every new table and function, end up able to use none of them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from psycopg.conninfo import make_conninfo

from voice_core.migrate import apply_migrations

API_ROLES = ("anon", "authenticated")


@pytest.fixture
def supabase_like_db(database_url: str) -> Iterator[str]:
    """A fresh database with Supabase's roles, schema grant and default privileges."""
    name = f"supabase_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(database_url, autocommit=True) as admin:
        for role in (*API_ROLES, "service_role"):
            if not admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone():
                admin.execute(f"CREATE ROLE {role} NOLOGIN")
        admin.execute(f"CREATE DATABASE {name}")
    url = make_conninfo(database_url, dbname=name)
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role")
        for kind in ("TABLES", "FUNCTIONS", "SEQUENCES"):
            connection.execute(
                f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON {kind}"
                " TO anon, authenticated, service_role"
            )
    yield url
    with psycopg.connect(database_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


def test_api_roles_can_use_no_table_and_call_no_function(supabase_like_db: str) -> None:
    apply_migrations(supabase_like_db)

    with psycopg.connect(supabase_like_db) as connection:
        relations = connection.execute(
            "SELECT c.relname, r.rolname FROM pg_class c CROSS JOIN pg_roles r"
            " WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'S')"
            " AND r.rolname = ANY(%s) AND has_table_privilege(r.rolname, c.oid,"
            " 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')",
            [list(API_ROLES)],
        ).fetchall()
        functions = connection.execute(
            "SELECT p.oid::regprocedure::text, r.rolname FROM pg_proc p CROSS JOIN pg_roles r"
            " WHERE p.pronamespace = 'public'::regnamespace"
            " AND p.prorettype <> 'trigger'::regtype AND r.rolname = ANY(%s)"
            " AND has_function_privilege(r.rolname, p.oid, 'EXECUTE')",
            [list(API_ROLES)],
        ).fetchall()
        without_rls = connection.execute(
            "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace"
            " AND relkind = 'r' AND NOT relrowsecurity"
        ).fetchall()
        state_functions = connection.execute(
            "SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace"
            " AND proname = 'cancel_summary_request'"
        ).fetchone()

    assert state_functions == (1,)
    assert relations == []
    assert functions == []
    assert without_rls == []


def test_api_roles_are_refused_and_the_owner_is_not(supabase_like_db: str) -> None:
    apply_migrations(supabase_like_db)

    with psycopg.connect(supabase_like_db, autocommit=True) as connection:
        for role in API_ROLES:
            connection.execute(f"SET ROLE {role}")
            for query in (
                "SELECT * FROM claim_due_requests(1, 'x', 60, 5)",
                f"SELECT cancel_summary_request('{uuid.uuid4()}')",
                "TABLE summary_requests",
                "TABLE email_delivery_outcomes",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    connection.execute(query)
            connection.execute("RESET ROLE")
        # The services connect as the owner, and still claim.
        assert (
            connection.execute("SELECT * FROM claim_due_requests(1, 'x', 60, 5)").fetchall() == []
        )


def test_every_state_function_has_a_fixed_search_path(database_url: str) -> None:
    with psycopg.connect(database_url) as connection:
        unpinned = connection.execute(
            "SELECT p.proname FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace"
            " AND p.prorettype <> 'trigger'::regtype"
            " AND NOT coalesce(p.proconfig, '{}') @> ARRAY['search_path=pg_catalog, public']"
        ).fetchall()
    assert unpinned == []
