"""In-memory stand-ins for the scheduler's store and the services it calls, so that its
decisions can be tested in milliseconds. Each records what it was asked to do."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, cast

import grpc
import structlog
from pydantic import SecretStr

from scheduler.clients import Services, TranscriberLost
from scheduler.config import SchedulerSettings
from scheduler.progress import ProgressReport
from scheduler.store import Claim, EmailLinks, LeaseLost, RequestStore, StoredTranscript
from voice_agent.v1 import notify_pb2, transcribe_pb2, types_pb2
from voice_core.context import current_request_id
from voice_core.errors import ServiceError
from voice_core.states import RequestStage, TranscriptSource

SETTINGS = SchedulerSettings(
    database_url=SecretStr("postgresql://127.0.0.1:1/unreachable"),
    max_attempts=3,
    retry_base_s=10,
    scheduler_poll_interval_s=0.05,
    scheduler_lease_s=3,
)


def make_claim(**changes: Any) -> Claim:
    claim = Claim(
        id=uuid.uuid4(),
        lease_token=uuid.uuid4(),
        email="ana@example.com",
        audio_id=uuid.uuid4(),
        attempts=1,
        created_at=datetime(2026, 11, 30, 9, 0, tzinfo=UTC),
        raw_transcript="The supplier confirmed the date. I will call them tomorrow.",
        transcript_source=None,
        transcript_id=None,
        summary_bullets=None,
        summary_next_step=None,
        next_step_found=None,
        time_zone="",
        request_id="abc",
        vocabulary=[],
        language="",
    )
    return replace(claim, **changes)


def rpc_error(error: ServiceError) -> grpc.aio.AioRpcError:
    """The error a stub raises when the server raised `error`."""
    status = error.to_status()
    return grpc.aio.AioRpcError(
        status.code,
        grpc.aio.Metadata(),
        grpc.aio.Metadata(*status.trailing_metadata),
        status.details,
    )


def pod_lost() -> TranscriberLost:
    """What transcribe_audio raises when the pod that took the call died before answering."""
    error = grpc.aio.AioRpcError(
        grpc.StatusCode.UNAVAILABLE, grpc.aio.Metadata(), grpc.aio.Metadata(), "Socket closed"
    )
    return TranscriberLost(error)


@dataclass
class FakeStore:
    """Records every write; raises LeaseLost from the write named in `lose_lease_at`."""

    writes: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)
    lose_lease_at: str | None = None
    transcripts: dict[uuid.UUID, StoredTranscript] = field(default_factory=dict)
    due: list[Claim] = field(default_factory=list)
    lease_alive: bool = True
    # Whether the recipient unsubscribed after the request was claimed.
    unsubscribed: bool = False
    # Raised by every heartbeat (a database out of reach), or None.
    heartbeat_failure: BaseException | None = None
    # Set to make every heartbeat hang (packets dropped on the way) until the event is set.
    heartbeat_stall: asyncio.Event | None = None
    heartbeats: int = 0
    transcriber_deaths: dict[uuid.UUID, int] = field(default_factory=dict)

    def _write(self, name: str, *args: Any) -> None:
        if name == self.lose_lease_at:
            raise LeaseLost(name)
        self.writes.append((name, args))

    def names(self) -> list[str]:
        return [name for name, _ in self.writes]

    async def claim(self, batch_size: int) -> list[Claim]:
        claimed, self.due = self.due[:batch_size], self.due[batch_size:]
        return claimed

    async def extend_lease(self, claim: Claim) -> bool:
        self.heartbeats += 1
        if self.heartbeat_stall is not None:
            await self.heartbeat_stall.wait()
        if self.heartbeat_failure is not None:
            raise self.heartbeat_failure
        return self.lease_alive

    async def set_stage(self, claim: Claim, stage: RequestStage) -> None:
        self._write("set_stage", stage)

    async def record_transcript(
        self,
        claim: Claim,
        source: TranscriptSource,
        transcript_id: uuid.UUID | None = None,
        transcribed: dict[str, Any] | None = None,
    ) -> uuid.UUID | None:
        self._write("record_transcript", source)
        if transcribed is not None:
            transcript_id = uuid.uuid4()
            self.transcripts[transcript_id] = StoredTranscript(
                transcript_id, transcribed["text"], transcribed["language"], transcribed["segments"]
            )
        return transcript_id

    async def record_transcriber_death(self, claim: Claim) -> int:
        self._write("record_transcriber_death")
        self.transcriber_deaths[claim.id] = self.transcriber_deaths.get(claim.id, 0) + 1
        return self.transcriber_deaths[claim.id]

    async def record_transcription_progress(self, claim: Claim, progress: float) -> None:
        self._write("record_transcription_progress", progress)

    async def record_summary(
        self, claim: Claim, bullets: Sequence[str], next_step: str, next_step_found: bool
    ) -> None:
        self._write("record_summary", list(bullets))

    async def mark_sent(self, claim: Claim) -> None:
        self._write("mark_sent")

    async def mark_failed(self, claim: Claim, code: str, message: str) -> None:
        self._write("mark_failed", code, message)

    async def retry_later(
        self, claim: Claim, delay_s: float, code: str, message: str, *, refund_attempt: bool = False
    ) -> None:
        self._write("retry_later", code, message, refund_attempt)

    async def hand_back(self, claim: Claim) -> None:
        self._write("hand_back")

    async def find_transcript(
        self, audio_id: uuid.UUID, vocabulary: Sequence[str], language: str
    ) -> StoredTranscript | None:
        return None

    async def get_transcript(self, transcript_id: uuid.UUID) -> StoredTranscript:
        return self.transcripts[transcript_id]

    async def seconds_until_next_due(self) -> float | None:
        return 0.0 if self.due else None

    async def queue_depth(self) -> dict[str, int]:
        return {}

    async def email_links(self, claim: Claim) -> EmailLinks:
        return EmailLinks("access-token", "unsubscribe-token", unsubscribed=self.unsubscribed)

    async def expire_unconfirmed(self) -> int:
        return 0

    def as_store(self) -> RequestStore:
        return cast(RequestStore, self)


@dataclass
class FakeServices:
    """Transcribe and notify: each call is recorded with the request id it would carry, and
    may raise the exception set for it (every time), or the next of a list of them (each
    once; then the call succeeds)."""

    failures: dict[str, BaseException | list[BaseException]] = field(default_factory=dict)
    calls: list[tuple[str, str | None]] = field(default_factory=list)
    emails: list[notify_pb2.SendSummaryEmailRequest] = field(default_factory=list)
    # Set to make send_email wait (a slow provider) until the event is set.
    release_email: asyncio.Event | None = None
    transcript_text: str = "We agreed on the plan. I will send the contract on Monday."
    # The (language, vocabulary) of each transcription, and the language of each summary.
    transcribed_with: list[tuple[str, list[str]]] = field(default_factory=list)
    summarized_in: list[str] = field(default_factory=list)
    # The progress transcribe_audio reports before it answers.
    progress: list[float] = field(default_factory=list)

    def _call(self, name: str) -> None:
        self.calls.append((name, current_request_id()))
        structlog.get_logger("fake").info("called", rpc=name)
        failure = self.failures.get(name)
        if isinstance(failure, list):
            failure = failure.pop(0) if failure else None
        if failure is not None:
            raise failure

    async def transcribe_audio(
        self,
        audio_id: uuid.UUID,
        on_progress: ProgressReport,
        language: str = "",
        vocabulary: Sequence[str] = (),
    ) -> transcribe_pb2.TranscribeResponse:
        self._call("transcribe_audio")
        self.transcribed_with.append((language, list(vocabulary)))
        for progress in self.progress:
            await on_progress(progress)
        segment = types_pb2.TranscriptSegment(start_s=0.0, end_s=3.5, text=self.transcript_text)
        return transcribe_pb2.TranscribeResponse(
            text=self.transcript_text, language=language or "en", segments=[segment]
        )

    async def summarize(
        self, text: str, language: str, segments: list[types_pb2.TranscriptSegment]
    ) -> types_pb2.Summary:
        self._call("summarize")
        self.summarized_in.append(language)
        return types_pb2.Summary(bullets=[text[:40]], next_step="Call them", next_step_found=True)

    async def send_email(
        self, request: notify_pb2.SendSummaryEmailRequest
    ) -> types_pb2.EmailDelivery:
        self._call("send_email")
        if self.release_email is not None:
            await self.release_email.wait()
        self.emails.append(request)
        return types_pb2.EmailDelivery()

    def as_services(self) -> Services:
        return cast(Services, self)
