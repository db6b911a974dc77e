"""A long note on every free pod: the pod that took the call splits, farms out and stitches.

The note is cut at pauses into chunks of `TRANSCRIBE_CHUNK_S` to 1.5x that. This pod works on
chunks itself, on the slot its call holds, and sends others to its peers (`TRANSCRIBE_PEERS`,
a round-robin target that may well be its own service name) as ordinary `Transcribe` calls
with `is_chunk`: a peer takes such a call only if it can start it at once, and otherwise says
RESOURCE_EXHAUSTED; the chunk then goes back to the queue, where this pod or another peer
takes it. A peer that dies mid-chunk costs that chunk only. Peers hold no state: a chunk is a
self-contained 16 kHz WAV, its segments come back relative to its start and are shifted here.

Peer calls ramp up: one at first, one more each time a peer admits a chunk, so that with few
free pods the coordinator does not cut (and hold) chunks nobody will take. A note of one chunk
is one local transcription, like on a pod without peers.
"""

from __future__ import annotations

import asyncio
import io
import time
import wave
from collections.abc import AsyncIterator, Callable
from functools import partial
from typing import IO, TYPE_CHECKING

import grpc
import structlog

from transcribe_svc.asr import SpeechToText, Transcription
from transcribe_svc.audio import SAMPLE_RATE, AudioStream
from transcribe_svc.chunks import ChunkQueue
from transcribe_svc.config import TranscribeSettings
from transcribe_svc.slots import Reservation
from transcribe_svc.summarizer import Segment
from transcribe_svc.windows import Piece, rewindow, split_at_silences
from voice_agent.v1 import transcribe_pb2, transcribe_pb2_grpc

if TYPE_CHECKING:
    PeerStub = transcribe_pb2_grpc.TranscribeServiceAsyncStub

log = structlog.get_logger("transcribe_svc.coordinator")
_CHUNK_BYTES = 64 * 1024
# A refused peer call is tried again at the latest after this, while the note lasts.
_PEER_RETRY_S = 2.0
# Refusals in a row before the last peer worker waits.
_PEERS_ASKED_AT_ONCE = 2
_PEER_TRY_AGAIN = (grpc.StatusCode.RESOURCE_EXHAUSTED, grpc.StatusCode.UNAVAILABLE)
# Told (seconds done, duration), from any thread.
Report = Callable[[float, float], None]


class Coordinator:
    """Transcribes one note at a time per call, over this pod and its peers."""

    def __init__(
        self, speech_to_text: SpeechToText, peers: PeerStub, settings: TranscribeSettings
    ) -> None:
        self._speech_to_text = speech_to_text
        self._peers = peers
        self._settings = settings

    async def transcribe(
        self,
        audio: IO[bytes],
        language: str,
        vocabulary: list[str],
        duration_s: float,
        reservation: Reservation,
        report: Report,
    ) -> Transcription:
        settings = self._settings
        stream = await asyncio.to_thread(
            AudioStream,
            audio,
            settings.transcribe_max_audio_s,
            settings.transcribe_decode_timeout_s,
        )
        chunk_s = settings.transcribe_chunk_s
        queue = ChunkQueue(split_at_silences(stream.pcm(), chunk_s, 1.5 * chunk_s))
        try:
            note = _Note(self, queue, reservation, duration_s, report)
            return await note.run(language, vocabulary)
        finally:
            await queue.close()
            stream.close()

    async def on_peer(self, piece: Piece, language: str, vocabulary: list[str]) -> Transcription:
        """One chunk transcribed by a peer, with the note's language and vocabulary (the peer
        adds the deployment's own); its segments shifted to the note's time."""
        data = _wav(piece)

        async def messages() -> AsyncIterator[transcribe_pb2.TranscribeRequest]:
            yield transcribe_pb2.TranscribeRequest(
                options=transcribe_pb2.TranscribeOptions(
                    language=language, vocabulary=vocabulary, is_chunk=True
                )
            )
            # No audio before the peer has a slot for it: a refusal never races a write.
            if not await call.initial_metadata():
                return
            for start in range(0, len(data), _CHUNK_BYTES):
                yield transcribe_pb2.TranscribeRequest(chunk=data[start : start + _CHUNK_BYTES])

        call = self._peers.Transcribe(messages(), timeout=_chunk_timeout_s(piece))
        response = await call
        return Transcription(
            text=response.text,
            language=response.language,
            language_probability=response.language_probability,
            duration_s=piece.duration_s,
            segments=[
                Segment(piece.start_s + s.start_s, piece.start_s + s.end_s, s.text)
                for s in response.segments
            ],
            model=response.model,
        )


class _Note:
    """The work on one note: a local worker, peer workers, the results and the progress."""

    def __init__(
        self,
        coordinator: Coordinator,
        queue: ChunkQueue,
        reservation: Reservation,
        duration_s: float,
        report: Report,
    ) -> None:
        self._coordinator = coordinator
        self._speech_to_text = coordinator._speech_to_text
        self._settings = coordinator._settings
        self._queue = queue
        self._reservation = reservation
        self._duration_s = duration_s
        self._report = report
        self._results: list[tuple[Piece, Transcription]] = []
        self._finished_s = 0.0
        self._peer_workers = 0
        self._on_peers = 0
        self._language = ""
        self._probability = 1.0
        self._vocabulary: list[str] = []

    async def run(self, language: str, vocabulary: list[str]) -> Transcription:
        first = await self._queue.take()
        assert first is not None  # the audio stream raises on empty audio
        self._vocabulary = vocabulary
        if language:
            self._language = language
        else:
            self._language, self._probability = await self._reservation.run(
                lambda _: self._speech_to_text.detect_language(first.samples)
            )
        started = time.perf_counter()
        try:
            async with asyncio.TaskGroup() as tasks:
                tasks.create_task(self._local_worker(first))
                self._spawn_peer_worker(tasks)
        except BaseExceptionGroup as group:
            raise group.exceptions[0] from None
        log.info(
            "note transcribed over pods",
            chunks=len(self._results),
            on_peers=self._on_peers,
            elapsed_s=round(time.perf_counter() - started, 1),
        )
        return self._stitched()

    async def _local_worker(self, piece: Piece | None) -> None:
        window_s = self._settings.transcribe_window_s
        while piece is not None:
            windows = rewindow(piece, window_s * 2 / 3, window_s)
            on_segment = partial(self._local_progress, piece)
            result = await self._reservation.run(
                partial(
                    self._speech_to_text.transcribe_pieces,
                    windows,
                    self._language,
                    progress=on_segment,
                    vocabulary=self._vocabulary,
                )
            )
            self._finish(piece, result)
            piece = await self._queue.take()

    def _local_progress(self, piece: Piece, done_s: float) -> None:
        self._report(self._finished_s + done_s - piece.start_s, self._duration_s)

    def _spawn_peer_worker(self, tasks: asyncio.TaskGroup) -> None:
        if self._peer_workers < self._settings.transcribe_peer_calls and not self._queue.exhausted:
            self._peer_workers += 1
            tasks.create_task(self._peer_worker(tasks))

    async def _peer_worker(self, tasks: asyncio.TaskGroup) -> None:
        refused = 0  # calls refused in a row
        while (piece := await self._queue.take()) is not None:
            try:
                result = await self._coordinator.on_peer(piece, self._language, self._vocabulary)
            except grpc.aio.AioRpcError as error:
                self._queue.give_back(piece)
                log.info("chunk given back", start_s=piece.start_s, code=error.code().name)
                if error.code() not in _PEER_TRY_AGAIN or self._peer_workers > 1:
                    break  # fewer peer calls at once: this pod and the others carry on
                # The last peer worker tries the next pod at once (round robin: this pod
                # itself refuses); when that one is busy too, it tries again once a chunk is
                # done here, or after a while.
                refused += 1
                if refused >= _PEERS_ASKED_AT_ONCE:
                    await self._queue.changed(timeout_s=_PEER_RETRY_S)
                    refused = 0
                continue
            refused = 0
            self._on_peers += 1
            self._finish(piece, result)
            self._spawn_peer_worker(tasks)
        self._peer_workers -= 1

    def _finish(self, piece: Piece, result: Transcription) -> None:
        self._results.append((piece, result))
        self._finished_s += piece.duration_s
        self._queue.done()
        self._report(self._finished_s, self._duration_s)

    def _stitched(self) -> Transcription:
        self._results.sort(key=lambda done: done[0].start_s)
        segments = [segment for _, result in self._results for segment in result.segments]
        return Transcription(
            text=" ".join(segment.text for segment in segments),
            language=self._language,
            language_probability=self._probability,
            duration_s=self._results[-1][0].end_s,
            segments=segments,
            model=self._speech_to_text.model_name,
        )


def _chunk_timeout_s(piece: Piece) -> float:
    """A chunk is transcribed at a tenth of real time or better even on one busy core."""
    return 60 + piece.duration_s


def _wav(piece: Piece) -> bytes:
    """The chunk as a 16 kHz mono 16-bit WAV, exactly as decoded."""
    output = io.BytesIO()
    with wave.open(output, "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(SAMPLE_RATE)
        file.writeframes(piece.pcm16().tobytes())
    return output.getvalue()
