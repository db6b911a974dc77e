"""The scheduler's view of the other services: one channel each, a deadline on every call."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import grpc

from scheduler.config import SchedulerSettings
from scheduler.progress import ProgressReport
from voice_agent.v1 import (
    ingest_pb2,
    ingest_pb2_grpc,
    notify_pb2,
    notify_pb2_grpc,
    transcribe_pb2,
    transcribe_pb2_grpc,
    types_pb2,
)
from voice_core.errors import read_rpc_error
from voice_core.grpc_client import open_channel

if TYPE_CHECKING:
    TranscribeStreamCall = grpc.aio.StreamStreamCall[
        transcribe_pb2.TranscribeStreamRequest, transcribe_pb2.TranscribeStreamResponse
    ]
_T = TypeVar("_T")


class TranscriberLost(Exception):
    """The transcription pod took the call, then its connection was lost before it answered:
    the pod died mid-call (killed for using too much memory, most often)."""

    def __init__(self, error: grpc.aio.AioRpcError) -> None:
        super().__init__(error.details() or error.code().name)
        self.error = error


def _connection_lost(error: grpc.aio.AioRpcError) -> bool:
    """UNAVAILABLE from the transport itself: a pod that refuses a call says why (an
    ErrorInfo reason), a vanished one cannot."""
    return (
        error.code() is grpc.StatusCode.UNAVAILABLE
        and read_rpc_error(error).reason == grpc.StatusCode.UNAVAILABLE.name.lower()
    )


async def _within(awaitable: Awaitable[_T], idle_s: float, call: grpc.aio.Call) -> _T:
    """`awaitable`, unless the pod sends nothing for `idle_s`: then the call is cancelled and
    given up as DEADLINE_EXCEEDED, as a deadline would have."""
    try:
        return await asyncio.wait_for(awaitable, idle_s)
    except TimeoutError:
        call.cancel()
        raise grpc.aio.AioRpcError(
            grpc.StatusCode.DEADLINE_EXCEEDED,
            grpc.aio.Metadata(),
            grpc.aio.Metadata(),
            f"no news from the transcription pod in {idle_s:g} s",
        ) from None


async def _transcript_of(
    call: TranscribeStreamCall, idle_s: float, on_progress: ProgressReport
) -> transcribe_pb2.TranscribeResponse:
    """Read a TranscribeStream answer to its transcript, passing progress on."""
    if await _within(call.initial_metadata(), idle_s, call):
        await on_progress(0.0)  # a pod took the call: the transcription starts
    while True:
        event = await _within(call.read(), idle_s, call)
        if not isinstance(event, transcribe_pb2.TranscribeStreamResponse):
            # An error the pod ended with is raised by read(); this ended "OK".
            raise RuntimeError("TranscribeStream ended without a transcript")
        if event.HasField("transcript"):
            return event.transcript
        if event.progress.duration_s > 0:
            await on_progress(min(1.0, event.progress.done_s / event.progress.duration_s))


@dataclass
class Services:
    """Stubs for ingest, transcribe and notify, and the channels behind them."""

    settings: SchedulerSettings

    def __post_init__(self) -> None:
        self._channels = [
            open_channel(self.settings.ingest_addr, self.settings),
            open_channel(self.settings.transcribe_addr, self.settings),
            open_channel(self.settings.notify_addr, self.settings),
        ]
        ingest, transcribe, notify = self._channels
        self.ingest = ingest_pb2_grpc.IngestServiceStub(ingest)
        self.transcribe = transcribe_pb2_grpc.TranscribeServiceStub(transcribe)
        self.notify = notify_pb2_grpc.NotifyServiceStub(notify)

    async def close(self) -> None:
        for channel in self._channels:
            await channel.close()

    async def transcribe_audio(
        self,
        audio_id: uuid.UUID,
        on_progress: ProgressReport,
        language: str = "",
        vocabulary: Sequence[str] = (),
    ) -> transcribe_pb2.TranscribeResponse:
        """Stream the stored audio from ingest straight into TranscribeStream, chunk by chunk,
        with the request's language ('' detects it) and vocabulary, telling `on_progress` the
        share transcribed (0 once a pod took the call) until the transcript comes.

        The call has no fixed deadline, since a 2-hour note takes long: it is given up
        (DEADLINE_EXCEEDED, transient) when `TRANSCRIBE_TIMEOUT_S` pass without news from the
        pod (its acceptance, progress, the transcript), so a stuck pod costs no more than that.

        A pod that is busy (RESOURCE_EXHAUSTED) or unreachable (UNAVAILABLE before it took the
        call: gone, or still loading its model) gets one more try at once, which round robin
        hands to another pod, with the audio read again from ingest. Only then does the request
        go back to pending with a backoff. A pod that took the call and died before answering
        raises `TranscriberLost` instead: the recording may be what killed it, so the caller
        decides whether another pod should risk it.
        """
        idle_s = self.settings.transcribe_timeout_s

        async def transcribe_once() -> transcribe_pb2.TranscribeResponse:
            reader = self.ingest.ReadAudio(
                ingest_pb2.ReadAudioRequest(audio_id=str(audio_id)), timeout=idle_s
            )
            # Reading the first message here surfaces "audio not found" as ingest's own error,
            # rather than as a cancelled Transcribe call.
            first = await reader.read()
            if not isinstance(first, ingest_pb2.ReadAudioResponse):
                raise RuntimeError("ReadAudio ended before sending the asset")
            content_type = first.audio_asset.content_type
            reader_failure: list[grpc.aio.AioRpcError] = []
            accepted = False

            async def requests() -> AsyncIterator[transcribe_pb2.TranscribeStreamRequest]:
                nonlocal accepted
                yield transcribe_pb2.TranscribeStreamRequest(
                    options=transcribe_pb2.TranscribeOptions(
                        content_type=content_type, language=language, vocabulary=vocabulary
                    )
                )
                # A pod sends headers once it has a slot for the call, and a refusal comes
                # without: no audio is sent before, so that a refusal never races a write (which
                # grpc-python reports as INTERNAL, not RESOURCE_EXHAUSTED: grpc/grpc#36066).
                if not await call.initial_metadata():
                    return
                accepted = True
                try:
                    while isinstance(message := await reader.read(), ingest_pb2.ReadAudioResponse):
                        yield transcribe_pb2.TranscribeStreamRequest(chunk=message.chunk)
                except grpc.aio.AioRpcError as error:
                    reader_failure.append(error)
                    raise

            call = self.transcribe.TranscribeStream(requests())
            try:
                return await _transcript_of(call, idle_s, on_progress)
            except grpc.aio.AioRpcError as error:
                if reader_failure:
                    raise reader_failure[0] from None
                if accepted and _connection_lost(error):
                    raise TranscriberLost(error) from error
                raise
            finally:
                # A pod that failed mid-upload leaves the rest of the audio unread; a call given
                # up (stalled, or the request's work cancelled) must stop on the pod too.
                reader.cancel()
                call.cancel()

        try:
            return await transcribe_once()
        except grpc.aio.AioRpcError as error:
            if error.code() not in (
                grpc.StatusCode.UNAVAILABLE,
                grpc.StatusCode.RESOURCE_EXHAUSTED,
            ):
                raise
        return await transcribe_once()

    async def summarize(
        self, text: str, language: str, segments: list[types_pb2.TranscriptSegment]
    ) -> types_pb2.Summary:
        response = await self.transcribe.Summarize(
            transcribe_pb2.SummarizeRequest(text=text, language=language, segments=segments),
            timeout=self.settings.scheduler_rpc_timeout_s,
        )
        return response.summary

    async def send_email(
        self, request: notify_pb2.SendSummaryEmailRequest
    ) -> types_pb2.EmailDelivery:
        response = await self.notify.SendSummaryEmail(
            request, timeout=self.settings.scheduler_rpc_timeout_s
        )
        return response.delivery
