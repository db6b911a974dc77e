"""SQL for audio assets and summary requests: the only place ingest talks to Postgres."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import DictRow

from ingest_svc.recipient_queries import RecipientQueries
from voice_core.settings import DatabaseSettings

# A request with its transcript's text and its email's delivery (read through notify's view).
# `{requests}` is the table, or a state function's result: a change answers with the row as
# its own statement wrote it, never with a second read that could race a scheduler.
_DETAILS = """
SELECT r.*,
       t.text AS transcript_text, t.language AS transcript_language,
       -- Whether it has timings (a segment with words): then it is also had as subtitles.
       EXISTS (SELECT FROM jsonb_array_elements(t.segments) s WHERE s->>'text' ~ '[^[:space:]]')
           AS transcript_timed,
       d.id AS delivery_id, d.status AS delivery_status, d.provider AS delivery_provider,
       d.provider_message_id AS delivery_message_id, d.recipient AS delivery_recipient,
       d.sent_at AS delivery_sent_at, d.error_message AS delivery_error,
       request_webhook(r.id) AS webhook
FROM {requests} r
LEFT JOIN transcripts t ON t.id = r.transcript_id
LEFT JOIN email_delivery_outcomes d ON d.summary_request_id = r.id
"""
_REQUEST_VIEW = _DETAILS.format(requests="summary_requests")


# The state functions ingest may call, by what they do to a request.
@dataclass(frozen=True)
class StoredObject:
    """An audio object nothing uses any more."""

    storage_backend: str
    storage_path: str


TRANSITIONS = {
    "cancel": "cancel_summary_request(%s)",
    "reschedule": "reschedule_summary_request(%s, %s)",
    "retry": "retry_summary_request(%s)",
}


class IngestRepository(RecipientQueries):
    """Audio assets and summary requests in Postgres (and, through `RecipientQueries`, the
    recipient tables)."""

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
        upload_token_hash: bytes,
    ) -> DictRow:
        async with self.pool.connection() as connection:
            cursor = await connection.execute(
                "INSERT INTO audio_assets (id, storage_backend, storage_path, filename,"
                " content_type, size_bytes, sha256, upload_token_hash)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING *",
                [
                    asset_id,
                    storage_backend,
                    storage_path,
                    filename,
                    content_type,
                    size_bytes,
                    sha256,
                    upload_token_hash,
                ],
            )
            row = await cursor.fetchone()
        assert row is not None
        return row

    async def get_audio(self, audio_id: uuid.UUID) -> DictRow | None:
        async with self.pool.connection() as connection:
            cursor = await connection.execute(
                "SELECT * FROM audio_assets WHERE id = %s AND purged_at IS NULL", [audio_id]
            )
            return await cursor.fetchone()

    async def upload_token_hash(self, audio_id: uuid.UUID) -> bytes | None:
        """The capability of a stored file; None if unknown, purged or stored before them."""
        async with self.pool.connection() as connection:
            cursor = await connection.execute(
                "SELECT upload_token_hash FROM audio_assets WHERE id = %s AND purged_at IS NULL",
                [audio_id],
            )
            row = await cursor.fetchone()
        return None if row is None else row["upload_token_hash"]

    async def capability_hashes(self, summary_request_id: uuid.UUID) -> list[bytes]:
        """The capabilities of a live request that have not expired (a deleted one has none)."""
        async with self.pool.connection() as connection:
            cursor = await connection.execute(
                "SELECT request_capability_hashes AS token_hash FROM request_capability_hashes(%s)",
                [summary_request_id],
            )
            return [row["token_hash"] for row in await cursor.fetchall()]

    async def create_request(
        self,
        *,
        email: str,
        audio_id: uuid.UUID,
        send_at: datetime | None,
        raw_transcript: str | None,
        time_zone: str,
        request_id: str,
        access_token_hash: bytes,
        confirmation_required: bool,
        vocabulary: list[str] | None = None,
        language: str = "",
        webhook_url: str | None = None,
    ) -> DictRow | None:
        """The new request as `get_request` shows it, with its creator's capability; None if
        the audio does not exist. `request_id` is the X-Request-ID of the call; with
        `confirmation_required` it awaits confirmation unless its address confirmed. Its
        transcription's vocabulary and language are set in the same transaction (not for a
        request that failed at once: it will never be transcribed), and so is a `webhook_url`
        (`set_request_webhook`)."""
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
            async with self.pool.connection() as connection, connection.transaction():
                cursor = await connection.execute(query, params)
                row = await cursor.fetchone()
                assert row is not None
                await connection.execute(
                    "SELECT add_request_capability(%s, %s, 'creator')",
                    [row["id"], access_token_hash],
                )
                if (vocabulary or language) and row["status"] != "failed":
                    cursor = await connection.execute(
                        _DETAILS.format(requests="set_request_transcription(%s, %s, %s)"),
                        [row["id"], vocabulary or [], language],
                    )
                    row = await cursor.fetchone()
                    assert row is not None
                if webhook_url is not None:
                    cursor = await connection.execute(
                        _DETAILS.format(requests="set_request_webhook(%s, %s)"),
                        [row["id"], webhook_url],
                    )
                    row = await cursor.fetchone()
                    assert row is not None
                return row
        except psycopg.errors.ForeignKeyViolation:
            return None

    async def get_request(self, summary_request_id: uuid.UUID) -> DictRow | None:
        async with self.pool.connection() as connection:
            cursor = await connection.execute(
                _REQUEST_VIEW + " WHERE r.id = %s AND r.status <> 'deleted'",
                [summary_request_id],
            )
            return await cursor.fetchone()

    async def get_transcript(self, summary_request_id: uuid.UUID) -> DictRow | None:
        """A live request's transcript: `transcript_source` (NULL before it has one), the
        `raw_transcript` it was given, or the stored transcript's `text` and `segments`."""
        async with self.pool.connection() as connection:
            cursor = await connection.execute(
                "SELECT r.transcript_source, r.raw_transcript, t.text, t.segments"
                " FROM summary_requests r LEFT JOIN transcripts t ON t.id = r.transcript_id"
                " WHERE r.id = %s AND r.status <> 'deleted'",
                [summary_request_id],
            )
            return await cursor.fetchone()

    async def list_requests(
        self, email: str, limit: int, after: tuple[datetime, uuid.UUID] | None
    ) -> list[DictRow]:
        """One address's requests, newest first, starting after a (created_at, id) key."""
        query = _REQUEST_VIEW + " WHERE r.email = %(email)s AND r.status <> 'deleted'"
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

    async def delete_request(self, summary_request_id: uuid.UUID) -> list[StoredObject]:
        """Make a request a tombstone (`delete_summary_request`); the stored objects nothing
        uses any more, to delete. Raises `psycopg.errors.NoDataFound` for an unknown id."""
        async with self.pool.connection() as connection:
            cursor = await connection.execute(
                "SELECT * FROM delete_summary_request(%s)", [summary_request_id]
            )
            rows = await cursor.fetchall()
        return [StoredObject(row["storage_backend"], row["storage_path"]) for row in rows]

    async def purge_expired_capabilities(self, limit: int) -> int:
        """Remove up to `limit` capabilities that expired; how many."""
        async with self.pool.connection() as connection:
            cursor = await connection.execute(
                "SELECT purge_expired_capabilities(%s) AS purged", [limit]
            )
            row = await cursor.fetchone()
        return int(row["purged"]) if row else 0

    async def expire(self, days: int, limit: int) -> tuple[int, list[StoredObject]]:
        """One batch of retention (`expire_summary_requests`): how many requests expired, and
        the stored objects to delete."""
        async with self.pool.connection() as connection:
            cursor = await connection.execute(
                "SELECT * FROM expire_summary_requests(%s, %s)", [days, limit]
            )
            rows = await cursor.fetchall()
        expired = sum(row["expired_requests"] or 0 for row in rows)
        objects = [
            StoredObject(row["storage_backend"], row["storage_path"])
            for row in rows
            if row["storage_path"] is not None
        ]
        return expired, objects
