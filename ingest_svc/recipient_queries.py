"""SQL for the recipient tables (double opt-in, unsubscribe, "my notes" links): the part of
ingest's repository that acts on an address rather than on one request.

Every change is a SQL function of `supabase/migrations/*_recipient_confirmation.sql` and
`*_recipient_notes_link.sql`; a token is looked up by its hash only.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import psycopg

from voice_core.capabilities import derived_token, mint_request_capability
from voice_core.db import Database


class RecipientQueries(Database):
    """What ingest asks Postgres about addresses and the tokens emailed to them."""

    async def request_confirmation(self, email: str, token_hash: bytes) -> bool:
        """Whether a confirmation email may go to `email` now (its token is then stored)."""
        async with self.pool.connection() as connection:
            cursor = await connection.execute(
                "SELECT request_recipient_confirmation(%s, %s) AS send", [email, token_hash]
            )
            row = await cursor.fetchone()
        return bool(row and row["send"])

    async def for_address(self, change: str, token_hash: bytes) -> int:
        """Confirm or unsubscribe the address a token was sent to; how many requests it changed.

        Raises `psycopg.errors.NoDataFound` for an unknown or expired token.
        """
        function = {"confirm": "confirm_recipient", "unsubscribe": "unsubscribe_recipient"}[change]
        async with self.pool.connection() as connection:
            cursor = await connection.execute(
                f"SELECT count(*) AS changed FROM {function}(%s)", [token_hash]
            )
            row = await cursor.fetchone()
        return int(row["changed"]) if row else 0

    async def notes_link(self, email: str, token_hash: bytes) -> bool:
        """Store a "my notes" token for `email` if it has requests; whether it has."""
        async with self.pool.connection() as connection:
            cursor = await connection.execute(
                "SELECT request_notes_link(%s, %s) AS known", [email, token_hash]
            )
            row = await cursor.fetchone()
        return bool(row and row["known"])

    async def notes_owner(self, token_hash: bytes) -> tuple[str, datetime]:
        """The address a "my notes" token lists and when the token expires. Raises
        `psycopg.errors.NoDataFound` for an unknown or expired token."""
        async with self.pool.connection() as connection:
            cursor = await connection.execute("SELECT * FROM notes_token_owner(%s)", [token_hash])
            row = await cursor.fetchone()
        assert row is not None
        return str(row["email"]), row["expires_at"]

    async def notes_capabilities(
        self, summary_request_ids: list[uuid.UUID], notes_token: str, expires_at: datetime
    ) -> dict[uuid.UUID, str]:
        """A capability for each live request listed through a "my notes" link, by id: derived
        from the link's token and expiring with it, so listing again adds nothing. A request
        deleted meanwhile gets none."""
        tokens: dict[uuid.UUID, str] = {}
        async with self.pool.connection() as connection:
            for summary_request_id in summary_request_ids:
                try:
                    tokens[summary_request_id] = await mint_request_capability(
                        connection,
                        summary_request_id,
                        "notes_link",
                        token=derived_token(notes_token, summary_request_id),
                        expires_at=expires_at,
                    )
                except psycopg.errors.NoDataFound:
                    continue
        return tokens
