"""Every state transition of a summary request, in one place.

Writes made while working on a claimed request carry its lease token and require the row
to still be `processing`: a scheduler that lost its lease (it was too slow, another one took
over) changes nothing, and learns so through `LeaseLost`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg.types.json import Jsonb

from voice_core.db import Pool

_GUARD = " WHERE id = %(id)s AND lease_token = %(lease_token)s AND status = 'processing'"


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
    transcript_source: str | None
    transcript_id: uuid.UUID | None
    summary_bullets: list[str] | None
    summary_next_step: str | None
    next_step_found: bool | None
    time_zone: str

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Claim:
        return cls(**{name: row[name] for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class StoredTranscript:
    id: uuid.UUID
    text: str
    language: str
    segments: list[dict[str, Any]]


class RequestStore:
    def __init__(self, pool: Pool, worker_id: str, lease_s: int) -> None:
        self._pool = pool
        self._worker_id = worker_id
        self._lease_s = lease_s

    async def claim(self, batch_size: int) -> list[Claim]:
        async with self._pool.connection() as connection:
            cursor = await connection.execute(
                "SELECT * FROM claim_due_requests(%s, %s, %s)",
                [batch_size, self._worker_id, self._lease_s],
            )
            return [Claim.from_row(row) for row in await cursor.fetchall()]

    async def extend_lease(self, claim: Claim) -> bool:
        """Heartbeat: push the lease forward; False means it is no longer ours."""
        async with self._pool.connection() as connection:
            cursor = await connection.execute(
                "UPDATE summary_requests"
                " SET locked_until = now() + make_interval(secs => %(lease_s)s)" + _GUARD,
                {"id": claim.id, "lease_token": claim.lease_token, "lease_s": self._lease_s},
            )
            return cursor.rowcount == 1

    async def seconds_until_next_due(self) -> float | None:
        """How long until a pending request falls due or a lease expires; None if neither."""
        async with self._pool.connection() as connection:
            cursor = await connection.execute(
                "SELECT extract(epoch FROM least("
                " (SELECT min(due_at) FROM summary_requests WHERE status = 'pending'),"
                " (SELECT min(locked_until) FROM summary_requests WHERE status = 'processing')"
                ") - now()) AS wait_s"
            )
            row = await cursor.fetchone()
        return None if row is None or row["wait_s"] is None else max(0.0, float(row["wait_s"]))

    async def queue_depth(self) -> dict[str, int]:
        """How many requests are due, scheduled, processing and failed."""
        async with self._pool.connection() as connection:
            cursor = await connection.execute(
                "SELECT count(*) FILTER (WHERE status = 'pending' AND due_at <= now()) AS due,"
                " count(*) FILTER (WHERE status = 'pending' AND due_at > now()) AS scheduled,"
                " count(*) FILTER (WHERE status = 'processing') AS processing,"
                " count(*) FILTER (WHERE status = 'failed') AS failed"
                " FROM summary_requests"
            )
            row = await cursor.fetchone()
        return {state: int(count) for state, count in (row or {}).items()}

    async def _guarded(self, claim: Claim, assignments: str, **values: Any) -> None:
        async with self._pool.connection() as connection:
            cursor = await connection.execute(
                f"UPDATE summary_requests SET {assignments}, updated_at = now(){_GUARD}",
                {"id": claim.id, "lease_token": claim.lease_token, **values},
            )
            if cursor.rowcount == 0:
                raise LeaseLost(str(claim.id))

    async def set_stage(self, claim: Claim, stage: str) -> None:
        await self._guarded(claim, "stage = %(stage)s", stage=stage)

    async def find_transcript(self, audio_id: uuid.UUID) -> StoredTranscript | None:
        """A transcript of this audio, or of an earlier upload of the very same bytes."""
        async with self._pool.connection() as connection:
            cursor = await connection.execute(
                "SELECT t.id, t.text, t.language, t.segments FROM transcripts t"
                " JOIN audio_assets a ON a.id = t.audio_id"
                " WHERE a.id = %(audio_id)s OR a.sha256 ="
                " (SELECT sha256 FROM audio_assets WHERE id = %(audio_id)s)"
                " ORDER BY (a.id = %(audio_id)s) DESC, t.created_at LIMIT 1",
                {"audio_id": audio_id},
            )
            row = await cursor.fetchone()
        return StoredTranscript(**row) if row else None

    async def get_transcript(self, transcript_id: uuid.UUID) -> StoredTranscript:
        async with self._pool.connection() as connection:
            cursor = await connection.execute(
                "SELECT id, text, language, segments FROM transcripts WHERE id = %s",
                [transcript_id],
            )
            row = await cursor.fetchone()
        assert row is not None
        return StoredTranscript(**row)

    async def save_transcript(self, audio_id: uuid.UUID, fields: dict[str, Any]) -> uuid.UUID:
        """Store a transcript; if another scheduler stored one first, keep theirs."""
        async with self._pool.connection() as connection:
            cursor = await connection.execute(
                "INSERT INTO transcripts (audio_id, text, language, language_probability,"
                " duration_s, segments, model, no_speech) VALUES (%(audio_id)s, %(text)s,"
                " %(language)s, %(language_probability)s, %(duration_s)s, %(segments)s,"
                " %(model)s, %(no_speech)s) ON CONFLICT (audio_id) DO UPDATE"
                " SET audio_id = EXCLUDED.audio_id RETURNING id",
                {**fields, "audio_id": audio_id, "segments": Jsonb(fields["segments"])},
            )
            row = await cursor.fetchone()
            await connection.execute(
                "UPDATE audio_assets SET duration_s = %s WHERE id = %s AND duration_s IS NULL",
                [fields["duration_s"], audio_id],
            )
        assert row is not None
        transcript_id: uuid.UUID = row["id"]
        return transcript_id

    async def record_transcript(
        self, claim: Claim, source: str, transcript_id: uuid.UUID | None
    ) -> None:
        """Keep the resolved transcript; summarizing starts (one write for both)."""
        await self._guarded(
            claim,
            "transcript_source = %(source)s, transcript_id = %(transcript_id)s,"
            " stage = 'summarizing'",
            source=source,
            transcript_id=transcript_id,
        )

    async def record_summary(
        self, claim: Claim, bullets: list[str], next_step: str, next_step_found: bool
    ) -> None:
        """Keep the summary; emailing starts (one write for both)."""
        await self._guarded(
            claim,
            "summary_bullets = %(bullets)s, summary_next_step = %(next_step)s,"
            " next_step_found = %(found)s, stage = 'emailing'",
            bullets=Jsonb(bullets),
            next_step=next_step,
            found=next_step_found,
        )

    async def mark_sent(self, claim: Claim) -> None:
        await self._guarded(
            claim,
            "status = 'sent', stage = NULL, locked_until = NULL, lease_token = NULL,"
            " error_code = NULL, error_message = NULL",
        )

    async def mark_failed(self, claim: Claim, code: str, message: str) -> None:
        await self._guarded(
            claim,
            "status = 'failed', stage = NULL, locked_until = NULL, lease_token = NULL,"
            " error_code = %(code)s, error_message = %(message)s",
            code=code,
            message=message,
        )

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
        await self._guarded(
            claim,
            "status = 'pending', stage = NULL, locked_by = NULL, locked_until = NULL,"
            " lease_token = NULL, due_at = now() + make_interval(secs => %(delay)s),"
            " attempts = attempts - %(refund)s,"
            " error_code = %(code)s, error_message = %(message)s",
            delay=delay_s,
            refund=int(refund_attempt),
            code=code,
            message=message,
        )

    async def hand_back(self, claim: Claim) -> None:
        """Give an unfinished request back on shutdown, without charging the attempt."""
        await self._guarded(
            claim,
            "status = 'pending', stage = NULL, locked_by = NULL, locked_until = NULL,"
            " lease_token = NULL, attempts = attempts - 1, due_at = now()",
        )
