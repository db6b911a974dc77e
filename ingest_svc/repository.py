"""SQL for audio assets and summary requests: the only place ingest talks to Postgres."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import DictRow

from voice_core.db import Database
from voice_core.settings import DatabaseSettings

# A request with its transcript's text and its email's delivery (read through notify's view).
# `{requests}` is the table, or a state function's result: a change answers with the row as
# its own statement wrote it, never with a second read that could race a scheduler.
_DETAILS = """
SELECT r.*,
       t.text AS transcript_text, t.language AS transcript_language,
       d.id AS delivery_id, d.status AS delivery_status, d.provider AS delivery_provider,
       d.provider_message_id AS delivery_message_id, d.recipient AS delivery_recipient,
       d.sent_at AS delivery_sent_at, d.error_message AS delivery_error
FROM {requests} r
LEFT JOIN transcripts t ON t.id = r.transcript_id
LEFT JOIN email_delivery_outcomes d ON d.summary_request_id = r.id
"""
_REQUEST_VIEW = _DETAILS.format(requests="summary_requests")
# The state functions ingest may call, by what they do to a request.
TRANSITIONS = {
    "cancel": "cancel_summary_request(%s)",
    "reschedule": "reschedule_summary_request(%s, %s)",
    "retry": "retry_summary_request(%s)",
}


class IngestRepository(Database):
    """Audio assets and summary requests in Postgres."""

    def __init__(self, settings: DatabaseSettings) -> None:
        super().__init__(settings, "ingest")

    async def insert_audio(
        self,
        *,
        asset_id: uuid.UUID,
        storage_backend: str,
        storage_path: str,
        filename: str,
        content_type: str,
        size_bytes: int,
        sha256: str,
    ) -> DictRow:
        async with self.pool.connection() as connection:
            cursor = await connection.execute(
                "INSERT INTO audio_assets"
                " (id, storage_backend, storage_path, filename, content_type, size_bytes, sha256)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING *",
                [
                    asset_id,
                    storage_backend,
                    storage_path,
                    filename,
                    content_type,
                    size_bytes,
                    sha256,
                ],
            )
            row = await cursor.fetchone()
        assert row is not None
        return row

    async def get_audio(self, audio_id: uuid.UUID) -> DictRow | None:
        async with self.pool.connection() as connection:
            cursor = await connection.execute(
                "SELECT * FROM audio_assets WHERE id = %s", [audio_id]
            )
            return await cursor.fetchone()

    async def create_request(
        self,
        *,
        email: str,
        audio_id: uuid.UUID,
        send_at: datetime | None,
        raw_transcript: str | None,
        time_zone: str,
        request_id: str,
        confirmation_required: bool,
    ) -> DictRow | None:
        """The new request as `get_request` shows it; None if the audio does not exist.
        `request_id` is the X-Request-ID of the call that creates it; with
        `confirmation_required` it awaits confirmation unless its address confirmed."""
        query = _DETAILS.format(requests="create_summary_request(%s, %s, %s, %s, %s, %s, %s)")
        params = [
            email,
            audio_id,
            send_at,
            raw_transcript,
            time_zone,
            request_id,
            confirmation_required,
        ]
        try:
            async with self.pool.connection() as connection:
                cursor = await connection.execute(query, params)
                return await cursor.fetchone()
        except psycopg.errors.ForeignKeyViolation:
            return None

    async def get_request(self, summary_request_id: uuid.UUID) -> DictRow | None:
        async with self.pool.connection() as connection:
            cursor = await connection.execute(
                _REQUEST_VIEW + " WHERE r.id = %s", [summary_request_id]
            )
            return await cursor.fetchone()

    async def list_requests(
        self, email: str, limit: int, after: tuple[datetime, uuid.UUID] | None
    ) -> list[DictRow]:
        """One address's requests, newest first, starting after a (created_at, id) key."""
        query = _REQUEST_VIEW + " WHERE r.email = %(email)s"
        if after is not None:
            query += " AND (r.created_at, r.id) < (%(created_at)s, %(id)s)"
        query += " ORDER BY r.created_at DESC, r.id DESC LIMIT %(limit)s"
        params = {"email": email, "limit": limit}
        if after is not None:
            params.update(created_at=after[0], id=after[1])
        async with self.pool.connection() as connection:
            cursor = await connection.execute(query, params)
            return await cursor.fetchall()

    async def transition(self, change: str, summary_request_id: uuid.UUID, *args: Any) -> DictRow:
        """Apply a state change (a key of TRANSITIONS) and answer with the changed request.

        Raises `psycopg.errors.NoDataFound` for an unknown id and
        `psycopg.errors.ObjectNotInPrerequisiteState` when the request's status forbids it.
        """
        query = _DETAILS.format(requests=TRANSITIONS[change])
        async with self.pool.connection() as connection:
            cursor = await connection.execute(query, [summary_request_id, *args])
            row = await cursor.fetchone()
        assert row is not None
        return row

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

    async def notes_owner(self, token_hash: bytes) -> str:
        """The address a "my notes" token lists. Raises `psycopg.errors.NoDataFound` for an
        unknown or expired token."""
        async with self.pool.connection() as connection:
            cursor = await connection.execute(
                "SELECT recipient_token_owner(%s, '{notes}') AS email", [token_hash]
            )
            row = await cursor.fetchone()
        assert row is not None
        return str(row["email"])
