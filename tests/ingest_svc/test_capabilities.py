"""A request's capabilities in Postgres: more than one per request, minted by another service
(`mint_request_capability`, e.g. for the link in the summary email), gone with the request."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from tests.support import create_requests
from voice_core.capabilities import (
    TOKEN_PATTERN,
    derived_token,
    matches,
    mint_request_capability,
    new_token,
)


def stored_hashes(
    connection: psycopg.Connection[tuple[bytes]], request_id: uuid.UUID
) -> list[bytes]:
    rows = connection.execute(
        "SELECT token_hash FROM request_capabilities WHERE summary_request_id = %s", [request_id]
    ).fetchall()
    return [row[0] for row in rows]


async def test_minted_capabilities_open_the_request_until_it_is_deleted(clean_db: str) -> None:
    with psycopg.connect(clean_db, autocommit=True) as connection:
        [request_id] = create_requests(connection)
    async with await psycopg.AsyncConnection.connect(clean_db, autocommit=True) as connection:
        for_email = await mint_request_capability(connection, request_id, "email_link")
        another = await mint_request_capability(connection, request_id, "email_link")
        with pytest.raises(psycopg.errors.NoDataFound):
            await mint_request_capability(connection, uuid.uuid4(), "email_link")

    with psycopg.connect(clean_db, autocommit=True) as connection:
        hashes = stored_hashes(connection, request_id)
        assert len(hashes) == 2
        assert matches(for_email, hashes)
        assert matches(another, hashes)
        assert not matches(new_token(), hashes)
        connection.execute("SELECT * FROM delete_summary_request(%s)", [request_id])
        assert stored_hashes(connection, request_id) == []

    async with await psycopg.AsyncConnection.connect(clean_db, autocommit=True) as connection:
        with pytest.raises(psycopg.errors.NoDataFound):
            await mint_request_capability(connection, request_id, "email_link")


def live_hashes(connection: psycopg.Connection[tuple[bytes]], request_id: uuid.UUID) -> list[bytes]:
    rows = connection.execute("SELECT * FROM request_capability_hashes(%s)", [request_id])
    return [row[0] for row in rows.fetchall()]


def test_a_derived_token_is_a_token_fixed_by_its_parent_and_request() -> None:
    parent, request_id = new_token(), uuid.uuid4()
    token = derived_token(parent, request_id)
    assert re.fullmatch(TOKEN_PATTERN, token)
    assert derived_token(parent, request_id) == token
    assert derived_token(new_token(), request_id) != token
    assert derived_token(parent, uuid.uuid4()) != token


async def test_a_capability_minted_again_is_one_row_and_ends_when_it_expires(
    clean_db: str,
) -> None:
    """What a "my notes" page relies on: every view adds the same capability, which stops
    opening the request when the link expires and is swept after."""
    with psycopg.connect(clean_db, autocommit=True) as connection:
        [request_id] = create_requests(connection)
    token = derived_token(new_token(), request_id)
    expires_at = datetime.now(UTC) + timedelta(hours=1)
    async with await psycopg.AsyncConnection.connect(clean_db, autocommit=True) as connection:
        for _ in range(3):
            minted = await mint_request_capability(
                connection, request_id, "notes_link", token=token, expires_at=expires_at
            )
            assert minted == token
        creator = await mint_request_capability(connection, request_id, "creator")

    with psycopg.connect(clean_db, autocommit=True) as connection:
        assert len(stored_hashes(connection, request_id)) == 2
        assert matches(token, live_hashes(connection, request_id))
        connection.execute(
            "UPDATE request_capabilities SET expires_at = now() - interval '1 second'"
            " WHERE purpose = 'notes_link'"
        )
        assert not matches(token, live_hashes(connection, request_id))
        assert matches(creator, live_hashes(connection, request_id))
        assert connection.execute("SELECT purge_expired_capabilities(100)").fetchone() == (1,)
        assert len(stored_hashes(connection, request_id)) == 1
