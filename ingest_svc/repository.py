"""SQL for audio assets and summary requests: the only place ingest talks to Postgres."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import DictRow

from voice_core.db import Pool, open_pool
from voice_core.settings import DatabaseSettings

_JOINED_COLUMNS = (
    "transcript_text",
    "transcript_language",
    "delivery_id",
    "delivery_status",
    "delivery_provider",
    "delivery_message_id",
    "delivery_recipient",
    "delivery_sent_at",
    "delivery_error",
)
_REQUEST_VIEW = """
SELECT r.*,
       t.text AS transcript_text, t.language AS transcript_language,
       d.id AS delivery_id, d.status AS delivery_status, d.provider AS delivery_provider,
       d.provider_message_id AS delivery_message_id, d.recipient AS delivery_recipient,
       d.sent_at AS delivery_sent_at, d.error_message AS delivery_error
FROM summary_requests r
LEFT JOIN transcripts t ON t.id = r.transcript_id
LEFT JOIN email_deliveries d ON d.request_id = r.id
"""


class IngestRepository:
    """Audio assets and summary requests in Postgres."""

    def __init__(self, settings: DatabaseSettings) -> None:
        self._settings = settings
        self._pool: Pool | None = None

    async def open(self) -> None:
        self._pool = await open_pool(self._settings, "ingest")

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()

    @property
    def pool(self) -> Pool:
        if self._pool is None:
            raise RuntimeError("repository used before open()")
        return self._pool

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
    ) -> DictRow | None:
        """The new request as `get_request` shows it; None if the audio does not exist."""
        try:
            async with self.pool.connection() as connection:
                cursor = await connection.execute(
                    "INSERT INTO summary_requests"
                    " (email, audio_id, send_at, due_at, raw_transcript, time_zone)"
                    " VALUES (%s, %s, coalesce(%s, now()), coalesce(%s, now()), %s, %s)"
                    " RETURNING *",
                    [email, audio_id, send_at, send_at, raw_transcript, time_zone],
                )
                created = await cursor.fetchone()
        except psycopg.errors.ForeignKeyViolation:
            return None
        assert created is not None
        # A new request has no transcript or delivery yet: the view's joined columns are empty.
        return {**created, **dict.fromkeys(_JOINED_COLUMNS)}

    async def get_request(self, request_id: uuid.UUID) -> DictRow | None:
        async with self.pool.connection() as connection:
            cursor = await connection.execute(_REQUEST_VIEW + " WHERE r.id = %s", [request_id])
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

    async def transition(
        self, request_id: uuid.UUID, from_status: str, assignments: str, **values: Any
    ) -> bool:
        """Apply `assignments` if the request is in `from_status`; False if it is not."""
        async with self.pool.connection() as connection:
            cursor = await connection.execute(
                f"UPDATE summary_requests SET {assignments}, updated_at = now()"
                " WHERE id = %(id)s AND status = %(from_status)s",
                {"id": request_id, "from_status": from_status, **values},
            )
            return cursor.rowcount == 1
