"""The TranscribeService servicer: Whisper off the event loop, summaries inline.

Transcriptions run on a dedicated thread pool sized to `TRANSCRIBE_MAX_CONCURRENCY`, so a
long transcription never blocks the loop and `Summarize` (microseconds of pure Python)
stays responsive meanwhile.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor

import grpc
import structlog

from transcribe_svc import summarizer
from transcribe_svc.asr import SpeechToText, Transcription
from transcribe_svc.config import TranscribeSettings
from voice_agent.v1 import transcribe_pb2, transcribe_pb2_grpc, types_pb2
from voice_core.context import Context
from voice_core.errors import invalid_argument

log = structlog.get_logger("transcribe_svc")
# Audio up to this size is held in memory; larger uploads spill to a temporary file.
_SPOOL_IN_MEMORY_BYTES = 16 * 1024 * 1024


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


class TranscribeServicer(transcribe_pb2_grpc.TranscribeServiceServicer):
    def __init__(self, speech_to_text: SpeechToText, executor: ThreadPoolExecutor) -> None:
        self._speech_to_text = speech_to_text
        self._executor = executor

    async def Transcribe(
        self,
        request_iterator: AsyncIterator[transcribe_pb2.TranscribeRequest],
        context: Context,
    ) -> transcribe_pb2.TranscribeResponse:
        language = ""
        received = 0
        with tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY_BYTES) as audio:
            async for message in request_iterator:
                if message.WhichOneof("payload") == "options":
                    language = message.options.language
                else:
                    audio.write(message.chunk)
                    received += len(message.chunk)
            if received == 0:
                raise invalid_argument("audio_empty", "no audio bytes were sent")
            audio.seek(0)
            loop = asyncio.get_running_loop()
            result = await loop.run_in_executor(
                self._executor, self._speech_to_text.transcribe, audio, language
            )
        log.info(
            "transcribed",
            duration_s=round(result.duration_s, 2),
            language=result.language,
            no_speech=result.no_speech,
        )
        return _response(result)

    async def Summarize(
        self, request: transcribe_pb2.SummarizeRequest, context: Context
    ) -> transcribe_pb2.SummarizeResponse:
        segments = [summarizer.Segment(s.start_s, s.end_s, s.text) for s in request.segments]
        try:
            summary = summarizer.summarize(
                request.text, segments=segments or None, language=request.language or None
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
        self._executor = ThreadPoolExecutor(
            max_workers=settings.transcribe_max_concurrency, thread_name_prefix="whisper"
        )
        self._servicer = TranscribeServicer(self._speech_to_text, self._executor)

    def register(self, server: grpc.aio.Server) -> None:
        transcribe_pb2_grpc.add_TranscribeServiceServicer_to_server(self._servicer, server)

    async def start(self) -> None:
        # Loading takes seconds; health stays NOT_SERVING until it is done.
        await asyncio.get_running_loop().run_in_executor(self._executor, self._speech_to_text.load)

    async def stop(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
