"""One claimed request, start to finish: transcript → summary → email → sent.

Each stage's result is saved as soon as it exists, so a retry skips what is done. Failures
are sorted into transient (back to pending with backoff) and permanent (failed at once, with
a reason the user can read).
"""

from __future__ import annotations

import random
from typing import Any

import grpc
import psycopg
import structlog

from scheduler.clients import Services, TranscriberLost
from scheduler.config import SchedulerSettings
from scheduler.metrics import ATTEMPTS
from scheduler.progress import ProgressRecorder
from scheduler.store import Claim, LeaseLost, RequestStore
from voice_agent.v1 import notify_pb2, transcribe_pb2, types_pb2
from voice_core.context import bind_request_id
from voice_core.errors import read_rpc_error
from voice_core.states import RequestStage, TranscriptSource
from voice_core.timestamps import to_timestamp

log = structlog.get_logger("scheduler.pipeline")

TRANSIENT_CODES = {
    grpc.StatusCode.UNAVAILABLE,
    grpc.StatusCode.DEADLINE_EXCEEDED,
    grpc.StatusCode.RESOURCE_EXHAUSTED,
    grpc.StatusCode.ABORTED,
}
# Not a failure of this attempt, so trying again later must not use up the request's attempts:
# notify is still waiting to learn whether an earlier send went out, or for the email provider
# to accept its (rotated) keys again; or every transcription pod is busy (back-pressure: a
# burst of notes longer than the retries' span would otherwise fail the last ones queued).
UNCHARGED_REASONS = {"email_outcome_pending", "email_provider_auth_failed", "transcriber_busy"}
# What the user reads when something we did not foresee broke; the details go to the log.
UNEXPECTED_MESSAGE = "Something went wrong on our side while working on this request."
# Transcription pods a request may lose mid-call, over all its attempts. One may die of
# something else (a node drained, a deploy); when a second dies on the same recording, the
# recording is the likely cause, and trying pod after pod would take the whole pool down.
MAX_TRANSCRIBER_DEATHS = 2
AUDIO_TOO_DEMANDING_MESSAGE = (
    "This recording needs more memory to transcribe than our transcription service has, so it"
    " could not be transcribed. A shorter recording, or one split into parts, will work."
)
_EXCERPT_CHARS = 400


UNSUBSCRIBED_MESSAGE = "This address asked to receive no more of these emails, so nothing was sent."


class PermanentFailure(Exception):
    """The request cannot succeed as it is; retrying would only repeat the failure."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def backoff_s(attempts: int, base_s: float, max_s: float) -> float:
    """`base_s` doubling per attempt, capped at `max_s`, ±20 % jitter so retries spread out."""
    return float(min(max_s, base_s * 2 ** (attempts - 1)) * random.uniform(0.8, 1.2))


def claim_log_ids(claim: Claim) -> dict[str, str]:
    """The log keys of a claim: the id of the call that created it (sent on as `x-request-id`
    with every RPC made for it) and the summary request's own id. A request created without
    one (by SQL, say) uses its own id, so that every line about it still shares one."""
    return {"request_id": claim.request_id or claim.id.hex, "summary_request_id": str(claim.id)}


def bind_claim(claim: Claim) -> None:
    """Every log line of the current task (and of the tasks it starts) names the claim."""
    bind_request_id(**claim_log_ids(claim))


def excerpt(text: str, limit: int = _EXCERPT_CHARS) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


class Pipeline:
    def __init__(
        self, store: RequestStore, services: Services, settings: SchedulerSettings
    ) -> None:
        self._store = store
        self._services = services
        self._settings = settings

    async def process(self, claim: Claim) -> None:
        """Work on one claim; every outcome is written to its row (unless the lease is lost).

        Nothing escapes: an exception nobody foresaw counts as a failed attempt, so a request
        that breaks the pipeline every time ends `failed` after `max_attempts`.
        """
        bind_claim(claim)
        try:
            await self._run(claim)
            ATTEMPTS.labels("sent").inc()
        except LeaseLost:
            log.warning("lease lost; leaving the request to its new owner")
            ATTEMPTS.labels("lease_lost").inc()
        except PermanentFailure as failure:
            log.info("request failed", code=failure.code, reason=failure.message)
            await self._fail(claim, failure.code, failure.message)
        except grpc.aio.AioRpcError as error:
            await self._rpc_failed(claim, error)
        except (psycopg.OperationalError, OSError) as error:
            await self._retry_or_fail(claim, "database_unavailable", str(error))
        except Exception:
            log.exception("unexpected error while working on the request")
            await self._retry_or_fail(claim, "internal_error", UNEXPECTED_MESSAGE)

    async def _rpc_failed(self, claim: Claim, error: grpc.aio.AioRpcError) -> None:
        remote = read_rpc_error(error)
        if remote.reason in UNCHARGED_REASONS:
            delay = remote.retry_after_s or self._settings.retry_base_s
            log.info("waiting for an earlier attempt's outcome", delay_s=round(delay, 1))
            await self._store.retry_later(
                claim, delay, remote.reason, remote.message, refund_attempt=True
            )
        elif remote.code in TRANSIENT_CODES:
            await self._retry_or_fail(claim, remote.reason, remote.message, remote.retry_after_s)
        else:
            log.info("request failed", code=remote.reason, reason=remote.message)
            await self._fail(claim, remote.reason, remote.message)

    async def _fail(self, claim: Claim, code: str, message: str) -> None:
        await self._store.mark_failed(claim, code, message)
        ATTEMPTS.labels("failed").inc()

    async def _retry_or_fail(
        self, claim: Claim, code: str, message: str, retry_after_s: float | None = None
    ) -> None:
        if claim.attempts >= self._settings.max_attempts:
            log.info("request failed after retries", attempts=claim.attempts, code=code)
            await self._fail(claim, code, f"{message} (gave up after {claim.attempts} attempts)")
            return
        delay = max(
            backoff_s(claim.attempts, self._settings.retry_base_s, self._settings.retry_max_s),
            retry_after_s or 0.0,
        )
        log.info("will retry", attempts=claim.attempts, delay_s=round(delay, 1), code=code)
        await self._store.retry_later(claim, delay, code, message)
        ATTEMPTS.labels("retry").inc()

    async def _run(self, claim: Claim) -> None:
        text, language, segments = await self._transcript(claim)
        summary = await self._summary(claim, text, language, segments)
        links = await self._store.email_links(claim)
        if links.unsubscribed:
            raise PermanentFailure("recipient_unsubscribed", UNSUBSCRIBED_MESSAGE)
        await self._services.send_email(
            notify_pb2.SendSummaryEmailRequest(
                summary_job_id=str(claim.id),
                recipient=claim.email,
                summary=summary,
                transcript_excerpt=excerpt(text),
                requested_at=to_timestamp(claim.created_at),
                time_zone=claim.time_zone,
                access_token=links.access_token,
                unsubscribe_token=links.unsubscribe_token,
                # Attached as transcript.txt, and as .srt and .vtt when it has timings.
                transcript=text,
                transcript_segments=segments,
            )
        )
        await self._store.mark_sent(claim)
        log.info("request sent", attempts=claim.attempts)

    async def _transcript(self, claim: Claim) -> tuple[str, str, list[types_pb2.TranscriptSegment]]:
        """Resolve the transcript: raw text, a stored one, or a fresh transcription."""
        if claim.raw_transcript is not None:
            if claim.transcript_source is None:
                await self._store.record_transcript(claim, TranscriptSource.RAW)
            # Summarized in the language the request named, if it named one.
            return claim.raw_transcript, claim.language, []
        if claim.transcript_id is not None:
            stored = await self._store.get_transcript(claim.transcript_id)
        elif existing := await self._store.find_transcript(
            claim.audio_id, claim.vocabulary, claim.language
        ):
            await self._store.record_transcript(claim, TranscriptSource.EXISTING, existing.id)
            stored = existing
        else:
            await self._store.set_stage(claim, RequestStage.TRANSCRIBING)
            response = await self._transcribe(claim)
            fields = {
                "text": response.text,
                "language": response.language,
                "language_probability": response.language_probability,
                "duration_s": response.duration_s,
                "segments": [
                    {"start": s.start_s, "end": s.end_s, "text": s.text} for s in response.segments
                ],
                "model": response.model,
                "no_speech": response.no_speech,
            }
            kept = await self._store.record_transcript(
                claim, TranscriptSource.TRANSCRIBED, transcribed=fields
            )
            assert kept is not None
            stored = await self._store.get_transcript(kept)
        if not stored.text.strip():
            raise PermanentFailure(
                "no_speech",
                "No speech was found in the recording, so there is nothing to summarize.",
            )
        return stored.text, stored.language, [_segment(s) for s in stored.segments]

    async def _transcribe(self, claim: Claim) -> transcribe_pb2.TranscribeResponse:
        """Transcribe the claim's audio; a pod lost mid-call is counted on the request and,
        until it has killed `MAX_TRANSCRIBER_DEATHS`, another pod tries at once. Progress is
        written to the request as it comes (a pod that tries again starts again from 0)."""
        on_progress = ProgressRecorder(self._store, claim)
        while True:
            try:
                return await self._services.transcribe_audio(
                    claim.audio_id, on_progress, claim.language, claim.vocabulary
                )
            except TranscriberLost as lost:
                deaths = await self._store.record_transcriber_death(claim)
                log.warning("transcription pod lost mid-call", deaths=deaths, error=str(lost))
                if deaths >= MAX_TRANSCRIBER_DEATHS:
                    raise PermanentFailure(
                        "audio_too_demanding", AUDIO_TOO_DEMANDING_MESSAGE
                    ) from lost

    async def _summary(
        self,
        claim: Claim,
        text: str,
        language: str,
        segments: list[types_pb2.TranscriptSegment],
    ) -> types_pb2.Summary:
        """The summary made on an earlier attempt, or a new one; either way emailing starts."""
        if claim.summary_bullets is not None:
            await self._store.set_stage(claim, RequestStage.EMAILING)
            return types_pb2.Summary(
                bullets=claim.summary_bullets,
                next_step=claim.summary_next_step or "",
                next_step_found=bool(claim.next_step_found),
            )
        if claim.transcript_source is not None:
            # The transcript came from an earlier attempt, so nothing has said "summarizing".
            await self._store.set_stage(claim, RequestStage.SUMMARIZING)
        summary = await self._services.summarize(text, language, segments)
        await self._store.record_summary(
            claim, summary.bullets, summary.next_step, summary.next_step_found
        )
        return summary


def _segment(stored: dict[str, Any]) -> types_pb2.TranscriptSegment:
    return types_pb2.TranscriptSegment(
        start_s=stored["start"], end_s=stored["end"], text=stored["text"]
    )
