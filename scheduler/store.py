"""The scheduler's side of the request state machine: calls to the SQL functions that change
a request (`supabase/migrations/*_request_leases.sql` and `*_request_transitions.sql`), and
the reads it needs.

Writes made while working on a claimed request carry its lease token; the database refuses
them once the row is no longer this scheduler's (it was too slow and another took over, or the
request was canceled), which surfaces here as `LeaseLost`.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import psycopg
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

from voice_core.capabilities import mint_request_capability, new_token, token_hash
from voice_core.db import Pool
from voice_core.states import RequestStage, TranscriptSource


class LeaseLost(Exception):
    """The request is no longer ours: another scheduler took it over, or it was canceled."""


@dataclass(frozen=True)
class Claim:
    """A request this scheduler holds a lease on, with what earlier attempts produced."""

    id: uuid.UUID
    lease_token: uuid.UUID
    email: str
    audio_id: uuid.UUID
    attempts: int
    created_at: datetime
    raw_transcript: str | None
    transcript_source: TranscriptSource | None
    transcript_id: uuid.UUID | None
    summary_bullets: list[str] | None
    summary_next_step: str | None
    next_step_found: bool | None
    time_zone: str
    # The X-Request-ID of the call that created the request ('' when it had none).
    request_id: str
    # Names and terms for the transcription, and the language asked for ('' detect it).
    vocabulary: list[str]
    language: str

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Claim:
        fields = {name: row[name] for name in cls.__dataclass_fields__}
        if fields["transcript_source"] is not None:
            fields["transcript_source"] = TranscriptSource(fields["transcript_source"])
        return cls(**fields)


@dataclass(frozen=True)
class StoredTranscript:
    id: uuid.UUID
    text: str
    language: str
    segments: list[dict[str, Any]]


# How long a request waits for its address to confirm (the confirmation email says 7 days).
CONFIRMATION_WAIT = timedelta(days=7)
# How long a summary email's unsubscribe link works.
UNSUBSCRIBE_LINK_TTL = timedelta(days=90)


@dataclass
class EmailLinks:
    access_token: str
    unsubscribe_token: str
    unsubscribed: bool


class RequestStore:
    def __init__(self, pool: Pool, worker_id: str, lease_s: int, max_attempts: int) -> None:
        self._pool = pool
        self._worker_id = worker_id
        self._lease_s = lease_s
        self._max_attempts = max_attempts

    async def claim(self, batch_size: int) -> list[Claim]:
        """Up to `batch_size` due requests, leased to this scheduler."""
        async with self._pool.connection() as connection:
            cursor = await connection.execute(
                "SELECT * FROM claim_due_requests(%s, %s, %s, %s)",
                [batch_size, self._worker_id, self._lease_s, self._max_attempts],
            )
            return [Claim.from_row(row) for row in await cursor.fetchall()]

    async def _call(
        self, function: str, claim: Claim, *args: Any, returning: str = "id"
    ) -> DictRow:
        """Call a lease-guarded state function; the `returning` column(s) of the row as it
        wrote it. Only what the caller reads: the whole row (transcript, summary, …) costs
        Postgres and psycopg more than the write itself at hundreds of requests a second."""
        placeholders = ", ".join(["%s"] * (len(args) + 2))
        try:
            async with self._pool.connection() as connection:
                cursor = await connection.execute(
                    f"SELECT {returning} FROM {function}({placeholders})",
                    [claim.id, claim.lease_token, *args],
                )
                row = await cursor.fetchone()
        except psycopg.errors.ObjectNotInPrerequisiteState as error:
            raise LeaseLost(str(claim.id)) from error
        assert row is not None
        return row

    async def extend_lease(self, claim: Claim) -> bool:
        """Heartbeat: push the lease forward; False means it is no longer ours."""
        try:
            await self._call("extend_request_lease", claim, self._lease_s)
        except LeaseLost:
            return False
        return True

    async def set_stage(self, claim: Claim, stage: RequestStage) -> None:
        await self._call("set_request_stage", claim, stage.value)

    async def record_transcript(
        self,
        claim: Claim,
        source: TranscriptSource,
        transcript_id: uuid.UUID | None = None,
        transcribed: dict[str, Any] | None = None,
    ) -> uuid.UUID | None:
        """Keep the resolved transcript (storing a new transcription first); summarizing
        starts. Returns the id of the transcript kept: another scheduler's if it stored one
        for the same audio first."""
        row = await self._call(
            "record_request_transcript",
            claim,
            source.value,
            transcript_id,
            None if transcribed is None else Jsonb(transcribed),
            returning="transcript_id",
        )
        kept: uuid.UUID | None = row["transcript_id"]
        return kept

    async def record_transcriber_death(self, claim: Claim) -> int:
        """Count one more transcription pod lost mid-call on this request (over all its
        attempts); returns the count."""
        row = await self._call("record_transcriber_death", claim, returning="transcriber_deaths")
        deaths: int = row["transcriber_deaths"]
        return deaths

    async def record_transcription_progress(self, claim: Claim, progress: float) -> None:
        """Store how far the transcription has come (0 to 1) and renew the lease with it."""
        await self._call("record_transcription_progress", claim, progress, self._lease_s)

    async def record_summary(
        self, claim: Claim, bullets: Sequence[str], next_step: str, next_step_found: bool
    ) -> None:
        """Keep the summary; emailing starts (one write for both)."""
        await self._call(
            "record_request_summary", claim, Jsonb(list(bullets)), next_step, next_step_found
        )

    async def mark_sent(self, claim: Claim) -> None:
        await self._call("mark_request_sent", claim)

    async def mark_failed(self, claim: Claim, code: str, message: str) -> None:
        await self._call("mark_request_failed", claim, code, message)

    async def retry_later(
        self,
        claim: Claim,
        delay_s: float,
        code: str,
        message: str,
        *,
        refund_attempt: bool = False,
    ) -> None:
        """Back to pending, due again after `delay_s`; the error stays visible meanwhile."""
        await self._call("retry_request_later", claim, delay_s, code, message, refund_attempt)

    async def hand_back(self, claim: Claim) -> None:
        """Give an unfinished request back on shutdown, without charging the attempt."""
        await self._call("hand_back_request", claim)

    async def find_transcript(
        self, audio_id: uuid.UUID, vocabulary: Sequence[str], language: str
    ) -> StoredTranscript | None:
        """A transcript of this audio, or of an earlier upload of the very same bytes, made
        with the same vocabulary (in any order) and the same language asked for."""
        async with self._pool.connection() as connection:
            cursor = await connection.execute(
                "SELECT * FROM find_transcript(%s, %s, %s)", [audio_id, list(vocabulary), language]
            )
            row = await cursor.fetchone()
        return StoredTranscript(**row) if row else None

    async def get_transcript(self, transcript_id: uuid.UUID) -> StoredTranscript:
        async with self._pool.connection() as connection:
            cursor = await connection.execute("SELECT * FROM get_transcript(%s)", [transcript_id])
            row = await cursor.fetchone()
        assert row is not None
        return StoredTranscript(**row)

    async def seconds_until_next_due(self) -> float | None:
        """How long until a pending request falls due or a lease expires; None if neither."""
        async with self._pool.connection() as connection:
            cursor = await connection.execute("SELECT seconds_until_next_due() AS wait_s")
            row = await cursor.fetchone()
        return None if row is None or row["wait_s"] is None else float(row["wait_s"])

    async def queue_depth(self) -> dict[str, int]:
        """How many requests are due, scheduled, processing and failed."""
        async with self._pool.connection() as connection:
            cursor = await connection.execute("SELECT * FROM request_queue_depth()")
            row = await cursor.fetchone()
        return {state: int(count) for state, count in (row or {}).items()}

    async def email_links(self, claim: Claim) -> EmailLinks:
        """Tokens for the summary email's links, stored (hashed) before the email leaves: a
        capability for the request's status page and the address's unsubscribe link. Also
        whether the address unsubscribed meanwhile (then nothing may be sent). A request
        deleted meanwhile (no capability can be added to it) is `LeaseLost`: deleting it took
        the lease away."""
        unsubscribe_token = new_token()
        async with self._pool.connection() as connection:
            try:
                access_token = await mint_request_capability(connection, claim.id, "email_link")
            except psycopg.errors.NoDataFound as error:
                raise LeaseLost(str(claim.id)) from error
            cursor = await connection.execute(
                "SELECT recipient_standing(%(email)s) AS standing,"
                " add_recipient_token(%(email)s, 'unsubscribe', %(unsubscribe)s, %(ttl)s)",
                {
                    "email": claim.email,
                    "unsubscribe": token_hash(unsubscribe_token),
                    "ttl": UNSUBSCRIBE_LINK_TTL,
                },
            )
            row = await cursor.fetchone()
        unsubscribed = row is not None and row["standing"] == "unsubscribed"
        return EmailLinks(access_token, unsubscribe_token, unsubscribed=unsubscribed)

    async def expire_unconfirmed(self) -> int:
        """Fail the requests that waited too long for their address to confirm; how many."""
        async with self._pool.connection() as connection:
            cursor = await connection.execute(
                "SELECT count(*) AS expired FROM expire_unconfirmed_requests(%s)",
                [CONFIRMATION_WAIT],
            )
            row = await cursor.fetchone()
        return int(row["expired"]) if row else 0
