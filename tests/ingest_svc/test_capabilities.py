"""A request's capabilities in Postgres: more than one per request, minted by another service
(`mint_request_capability`, e.g. for the link in the summary email), gone with the request."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from tests.support import create_requests
from voice_core.capabilities import matches, mint_request_capability, new_token


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
