"""Production backends: the whole system on Mailjet and Supabase Storage, and Supabase's roles.

The SaaS endpoints are local servers that answer as Mailjet and Supabase Storage document;
everything else is the real system as processes.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import make_conninfo

from devstack.stack import Stack
from tests.e2e.conftest import upload, wait_until_done
from tests.fakes.mailjet import FakeMailjet
from tests.fakes.supabase_storage import SERVICE_ROLE_KEY, FakeSupabaseStorage
from tests.support import JFK_FLAC, mailjet_env, running_stack
from voice_core.migrate import apply_migrations

RECIPIENT = "ana@example.com"
TABLES = ("audio_assets", "transcripts", "summary_requests", "email_deliveries")


@pytest.fixture(scope="module")
def supabase_storage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeSupabaseStorage]:
    with FakeSupabaseStorage(tmp_path_factory.mktemp("supabase")) as fake:
        yield fake


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory,
    mailjet: FakeMailjet,
    supabase_storage: FakeSupabaseStorage,
) -> Iterator[Stack]:
    env = {
        "SCHEDULER_POLL_INTERVAL_S": "0.5",
        **mailjet_env(mailjet),
        "STORAGE_BACKEND": "supabase",
        "SUPABASE_URL": supabase_storage.url,
        "SUPABASE_SERVICE_ROLE_KEY": SERVICE_ROLE_KEY,
    }
    with running_stack(tmp_path_factory.mktemp("stack"), env=env) as system:
        yield system


def test_voice_note_is_stored_in_supabase_and_emailed_by_mailjet_once(
    api: httpx.Client, mailjet: FakeMailjet, supabase_storage: FakeSupabaseStorage
) -> None:
    audio = upload(api, JFK_FLAC)
    (name,) = supabase_storage.names()
    stored = supabase_storage.objects[("voice-audio", name)]
    assert name.endswith(f"/{audio['audio_id']}.flac")
    assert stored.content_type == "audio/flac"
    assert stored.path.read_bytes() == JFK_FLAC.read_bytes()

    created = api.post("/v1/requests", json={"email": RECIPIENT, "audio_id": audio["audio_id"]})
    assert created.status_code == 201, created.text
    done = wait_until_done(api, created.json()["id"])

    assert done["status"] == "sent", done
    (message,) = mailjet.messages
    assert message.recipient == RECIPIENT
    assert message.custom_id == f"summary-{done['id']}"
    assert done["delivery"]["provider"] == "mailjet"
    assert done["delivery"]["provider_message_id"] == str(message.id)
    for bullet in done["summary"]["bullets"]:
        assert bullet in message.text
    assert done["summary"]["next_step"] in message.text


@pytest.fixture
def supabase_like_database(database_url: str) -> Iterator[str]:
    """A fresh database in the test cluster with Supabase's API roles and default grants."""
    name = "supabase_like"
    with psycopg.connect(database_url, autocommit=True) as admin:
        for role in ("anon", "authenticated"):
            if not admin.execute("SELECT FROM pg_roles WHERE rolname = %s", [role]).fetchone():
                admin.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = make_conninfo(database_url, dbname=name)
    with psycopg.connect(url, autocommit=True) as connection:
        # What Supabase sets up: the API roles get every new table and function in public.
        for kind in ("TABLES", "FUNCTIONS"):
            connection.execute(
                f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON {kind}"
                " TO anon, authenticated"
            )
    yield url
    with psycopg.connect(database_url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def test_supabase_api_roles_reach_no_table_and_cannot_claim(supabase_like_database: str) -> None:
    apply_migrations(supabase_like_database)
    with psycopg.connect(supabase_like_database, autocommit=True) as connection:
        policies = connection.execute("SELECT count(*) FROM pg_policies").fetchone()
        unprotected = connection.execute(
            "SELECT relname FROM pg_class WHERE relname = ANY(%s) AND NOT relrowsecurity",
            [[*TABLES, "schema_migrations"]],
        ).fetchall()
        assert policies == (0,)
        assert unprotected == []
        for role in ("anon", "authenticated"):
            connection.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(role)))
            for query in ("SELECT * FROM claim_due_requests(1)", *(f"TABLE {t}" for t in TABLES)):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    connection.execute(query)
            connection.execute("RESET ROLE")
        # The services, connected as the owner, still claim.
        assert connection.execute("SELECT * FROM claim_due_requests(1)").fetchall() == []
