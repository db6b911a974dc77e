"""The TranscribeService servicer: Whisper and the summarizer both off the event loop.

Transcriptions run on `TRANSCRIBE_MAX_CONCURRENCY` worker threads with at most
`TRANSCRIBE_MAX_QUEUE` calls waiting for one (`slots.py`). A summary is pure Python, quick for a
voice note but seconds for a 200k-character transcript: it runs on a worker thread too, so that
health checks and other calls are answered meanwhile.
"""

from __future__ import annotations

import asyncio
import os
import socket
import tempfile
import threading
import time
from collections.abc import AsyncIterator
from functools import partial
from typing import IO

import grpc
import structlog
from prometheus_client import Counter, Histogram

from transcribe_svc import summarizer
from transcribe_svc.asr import SpeechToText, Transcription
from transcribe_svc.config import TranscribeSettings
from transcribe_svc.slots import TranscriptionSlots
from voice_agent.v1 import transcribe_pb2, transcribe_pb2_grpc, types_pb2
from voice_core.context import Context
from voice_core.errors import invalid_argument, unavailable

log = structlog.get_logger("transcribe_svc")
# Audio up to this size is held in memory; larger uploads spill to a temporary file.
_SPOOL_IN_MEMORY_BYTES = 16 * 1024 * 1024
# Sent as soon as a call holds a slot, naming the pod that took it. A careful client waits for
# these headers before it streams the audio: then a busy pod's refusal never races the client's
# writes, a race that grpc-python reports as INTERNAL instead of the refusal (grpc/grpc#36066).
POD_HEADER = "x-transcribe-pod"
_POD_NAME = f"{socket.gethostname()}:{os.getpid()}"


AUDIO_SECONDS = Counter("transcription_audio_seconds_total", "Seconds of audio transcribed.")
REAL_TIME_FACTOR = Histogram(
    "transcription_real_time_factor",
    "Transcription time divided by audio duration (0.05: a minute of audio in 3 s).",
    buckets=(0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1.0, 2.0),
)
TRANSCRIPTIONS = Counter(
    "transcriptions_total", "Transcriptions finished, by outcome: speech, no_speech.", ["outcome"]
)


def _observe(result: Transcription, elapsed_s: float) -> None:
    AUDIO_SECONDS.inc(result.duration_s)
    if result.duration_s > 0:
        REAL_TIME_FACTOR.observe(elapsed_s / result.duration_s)
    TRANSCRIPTIONS.labels("no_speech" if result.no_speech else "speech").inc()


def _response(result: Transcription) -> transcribe_pb2.TranscribeResponse:
    return transcribe_pb2.TranscribeResponse(
        text=result.text,
        language=result.language,
        language_probability=result.language_probability,
        duration_s=result.duration_s,
        segments=[
            types_pb2.TranscriptSegment(start_s=s.start, end_s=s.end, text=s.text)
            for s in result.segments
        ],
        model=result.model,
        no_speech=result.no_speech,
    )


async def _receive(
    request_iterator: AsyncIterator[transcribe_pb2.TranscribeRequest],
) -> tuple[str, IO[bytes]]:
    """(language, the uploaded audio rewound to its start), spooled to disk when large."""
    language = ""
    audio = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY_BYTES)  # noqa: SIM115
    try:
        async for message in request_iterator:
            if message.WhichOneof("payload") == "options":
                language = message.options.language
            else:
                audio.write(message.chunk)
        if audio.tell() == 0:
            raise invalid_argument("audio_empty", "no audio bytes were sent")
        log.info("audio received", audio_bytes=audio.tell())
    except BaseException:
        audio.close()
        raise
    audio.seek(0)
    return language, audio


class TranscribeServicer(transcribe_pb2_grpc.TranscribeServiceServicer):
    def __init__(self, speech_to_text: SpeechToText, slots: TranscriptionSlots) -> None:
        self._speech_to_text = speech_to_text
        self._slots = slots

    async def Transcribe(
        self,
        request_iterator: AsyncIterator[transcribe_pb2.TranscribeRequest],
        context: Context,
    ) -> transcribe_pb2.TranscribeResponse:
        if not self._speech_to_text.loaded:
            raise unavailable("model_loading", "the speech model is still loading; try again")
        with self._slots.reserve() as reservation:
            await context.send_initial_metadata(((POD_HEADER, _POD_NAME),))
            language, audio = await _receive(request_iterator)
            started = time.perf_counter()
            result = await reservation.run(partial(self._transcribe, audio, language))
        _observe(result, time.perf_counter() - started)
        log.info(
            "transcribed",
            duration_s=round(result.duration_s, 2),
            language=result.language,
            no_speech=result.no_speech,
        )
        return _response(result)

    def _transcribe(
        self, audio: IO[bytes], language: str, abandoned: threading.Event
    ) -> Transcription:
        with audio:
            return self._speech_to_text.transcribe(audio, language, abandoned)

    async def Summarize(
        self, request: transcribe_pb2.SummarizeRequest, context: Context
    ) -> transcribe_pb2.SummarizeResponse:
        segments = [summarizer.Segment(s.start_s, s.end_s, s.text) for s in request.segments]
        try:
            summary = await asyncio.to_thread(
                summarizer.summarize,
                request.text,
                segments=segments or None,
                language=request.language or None,
            )
        except summarizer.EmptyTranscriptError as error:
            raise invalid_argument("empty_transcript", str(error)) from None
        return transcribe_pb2.SummarizeResponse(
            summary=types_pb2.Summary(
                bullets=list(summary.bullets),
                next_step=summary.next_step,
                next_step_found=summary.next_step_found,
            )
        )


class TranscribeApp:
    """The transcription service as the shared server runs it."""

    service_names = (transcribe_pb2.DESCRIPTOR.services_by_name["TranscribeService"].full_name,)

    def __init__(self, settings: TranscribeSettings) -> None:
        self._speech_to_text = SpeechToText(settings)
        self._slots = TranscriptionSlots(
            running=settings.transcribe_max_concurrency, waiting=settings.transcribe_max_queue
        )
        self._servicer = TranscribeServicer(self._speech_to_text, self._slots)

    def register(self, server: grpc.aio.Server) -> None:
        transcribe_pb2_grpc.add_TranscribeServiceServicer_to_server(self._servicer, server)

    async def start(self) -> None:
        # Loading takes seconds; health stays NOT_SERVING until it is done.
        await asyncio.to_thread(self._speech_to_text.load)

    async def stop(self) -> None:
        self._slots.shutdown()
