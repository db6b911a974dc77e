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
import time
from collections.abc import AsyncIterator
from functools import partial
from typing import IO

import structlog
from prometheus_client import Counter, Histogram

from transcribe_svc import summarizer
from transcribe_svc.asr import SpeechToText, Transcription
from transcribe_svc.audio import measure_seconds
from transcribe_svc.config import TranscribeSettings
from transcribe_svc.coordinator import Coordinator, Report
from transcribe_svc.slots import Reservation, TranscriptionSlots
from transcribe_svc.upload import Upload, read_options, receive_audio
from voice_agent.v1 import transcribe_pb2, transcribe_pb2_grpc, types_pb2
from voice_core.context import Context
from voice_core.errors import invalid_argument, unavailable
from voice_core.vocabulary import VocabularyError, normalise_vocabulary

log = structlog.get_logger("transcribe_svc")
# Sent as soon as a call holds a slot, naming the pod that took it. A careful client waits for
# these headers before it streams the audio: then a busy pod's refusal never races the client's
# writes, a race that grpc-python reports as INTERNAL instead of the refusal (grpc/grpc#36066).
POD_HEADER = "x-transcribe-pod"
_POD_NAME = f"{socket.gethostname()}:{os.getpid()}"
# The setting that chooses the model, named to whoever asks for a language it lacks.
MODEL_SETTING = "WHISPER_MODEL"


def language_unsupported_message(language: str, model: str) -> str:
    """Why a language is refused, and what the operator changes to have it."""
    return (
        f"the speech model {model!r} does not transcribe language {language!r}; a multilingual"
        f" model transcribes it: set {MODEL_SETTING} to one (such as 'small') on the"
        " transcription service"
    )


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


def _progress(done_s: float, duration_s: float) -> transcribe_pb2.TranscribeStreamResponse:
    return transcribe_pb2.TranscribeStreamResponse(
        progress=transcribe_pb2.TranscribeProgress(done_s=done_s, duration_s=duration_s)
    )


def _done_of(report: Report, duration_s: float, done_s: float) -> None:
    report(done_s, duration_s)


def _ignore(done_s: float, duration_s: float) -> None:
    """Progress nobody asked for."""


class TranscribeServicer(transcribe_pb2_grpc.TranscribeServiceServicer):
    def __init__(
        self,
        speech_to_text: SpeechToText,
        slots: TranscriptionSlots,
        settings: TranscribeSettings,
    ) -> None:
        self._speech_to_text = speech_to_text
        self._slots = slots
        self._settings = settings
        # Splits long notes over the peers, once the app has started with some.
        self.coordinator: Coordinator | None = None

    async def Transcribe(
        self,
        request_iterator: AsyncIterator[transcribe_pb2.TranscribeRequest],
        context: Context,
    ) -> transcribe_pb2.TranscribeResponse:
        return _response(await self._transcribe(request_iterator, context, report=None))

    async def TranscribeStream(
        self,
        request_iterator: AsyncIterator[transcribe_pb2.TranscribeStreamRequest],
        context: Context,
    ) -> AsyncIterator[transcribe_pb2.TranscribeStreamResponse]:
        loop = asyncio.get_running_loop()
        # Progress comes from worker threads; None after the work is over.
        updates: asyncio.Queue[tuple[float, float] | None] = asyncio.Queue()

        def report(done_s: float, duration_s: float) -> None:
            loop.call_soon_threadsafe(updates.put_nowait, (done_s, duration_s))

        work = asyncio.ensure_future(self._transcribe(request_iterator, context, report))
        work.add_done_callback(lambda _: updates.put_nowait(None))
        try:
            sent_s = 0.0
            while (update := await updates.get()) is not None:
                done_s, duration_s = min(update[0], update[1]), update[1]
                if done_s > sent_s:  # never backwards, and only news
                    sent_s = done_s
                    yield _progress(done_s, duration_s)
            result = await work
            yield _progress(result.duration_s, result.duration_s)
            yield transcribe_pb2.TranscribeStreamResponse(transcript=_response(result))
        finally:
            work.cancel()

    async def _transcribe(
        self, messages: AsyncIterator[Upload], context: Context, report: Report | None
    ) -> Transcription:
        if not self._speech_to_text.loaded:
            raise unavailable("model_loading", "the speech model is still loading; try again")
        options, first = await read_options(messages)
        vocabulary = self._check_options(options)
        with self._slots.reserve(wait=not options.is_chunk) as reservation:
            await context.send_initial_metadata(((POD_HEADER, _POD_NAME),))
            audio = await receive_audio(messages, first)
            started = time.perf_counter()
            coordinator = None if options.is_chunk else self.coordinator
            try:
                result = await self._work(
                    audio, options.language, vocabulary, reservation, coordinator, report
                )
            finally:
                audio.close()
        _observe(result, time.perf_counter() - started)
        log.info(
            "transcribed",
            duration_s=round(result.duration_s, 2),
            language=result.language,
            no_speech=result.no_speech,
            chunk=options.is_chunk,
            vocabulary_terms=len(vocabulary),
        )
        return result

    def _check_options(self, options: transcribe_pb2.TranscribeOptions) -> list[str]:
        """The call's vocabulary, normalised; refuses a language the model does not know
        (an English-only model knows one) before any audio is received."""
        languages = self._speech_to_text.languages
        if options.language and options.language not in languages:
            raise invalid_argument(
                "language_unsupported",
                language_unsupported_message(options.language, self._speech_to_text.model_name),
            )
        try:
            return normalise_vocabulary(options.vocabulary)
        except VocabularyError as error:
            raise invalid_argument("invalid_vocabulary", str(error)) from None

    async def _work(
        self,
        audio: IO[bytes],
        language: str,
        vocabulary: list[str],
        reservation: Reservation,
        coordinator: Coordinator | None,
        report: Report | None,
    ) -> Transcription:
        """Here, window by window; or, for a note of several chunks with peers, over pods."""
        settings = self._settings
        if report is None and coordinator is None:
            return await reservation.run(
                partial(self._speech_to_text.transcribe, audio, language, vocabulary=vocabulary)
            )
        # Progress needs the duration up front: a recording that declares none is decoded
        # once to measure it. Without progress, the coordinator copes with not knowing.
        duration_s = await reservation.run(
            lambda _: measure_seconds(
                audio,
                settings.transcribe_max_audio_s,
                settings.transcribe_decode_timeout_s,
                decode_undeclared=report is not None,
            )
        )
        if coordinator is not None and (
            duration_s is None or duration_s > 1.5 * settings.transcribe_chunk_s
        ):
            return await coordinator.transcribe(
                audio, language, vocabulary, duration_s or 0.0, reservation, report or _ignore
            )
        progress = None if report is None else partial(_done_of, report, duration_s or 0.0)
        return await reservation.run(
            partial(
                self._speech_to_text.transcribe,
                audio,
                language,
                progress=progress,
                vocabulary=vocabulary,
            )
        )

    async def DescribeModel(
        self, request: transcribe_pb2.DescribeModelRequest, context: Context
    ) -> transcribe_pb2.DescribeModelResponse:
        if not self._speech_to_text.loaded:
            raise unavailable("model_loading", "the speech model is still loading; try again")
        return transcribe_pb2.DescribeModelResponse(
            model=self._speech_to_text.model_name,
            multilingual=self._speech_to_text.multilingual,
            languages=self._speech_to_text.languages,
            model_setting=MODEL_SETTING,
            max_audio_s=self._settings.transcribe_max_audio_s,
        )

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
