"""Long notes: cut at pauses, spread over pods, stitched whole and in order, progress reported.

A coordinating pod sends chunks to its peer through a proxy that can play a pod dying in
the middle of a chunk; the note is synthesized by espeak-ng, so its words are known.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import grpc
import pytest
from pydantic import SecretStr

from tests.support import TEST_TOKEN, client_channel, running
from tests.transcribe_svc import media, spoken
from tests.transcribe_svc.peers import ChunkPeer, PeerApp
from transcribe_svc.app import TranscribeApp
from transcribe_svc.config import TranscribeSettings
from transcribe_svc.server import POD_HEADER
from voice_agent.v1 import transcribe_pb2, transcribe_pb2_grpc
from voice_core.context import Context

if TYPE_CHECKING:
    Stub = transcribe_pb2_grpc.TranscribeServiceAsyncStub

pytestmark = pytest.mark.skipif(not spoken.espeak_available(), reason="needs espeak-ng")
# Chunks and windows as short as allowed, so that a short note has several of each.
# The coordinator calls its peers with the token every test service requires.
SMALL_PIECES = TranscribeSettings(
    transcribe_chunk_s=30, transcribe_window_s=30, internal_auth_token=SecretStr(TEST_TOKEN)
)


@dataclass
class FlakyPeer(ChunkPeer):
    """A peer pod in front of a real one: the first chunk it is sent, it dies on (UNAVAILABLE
    after reading the audio, as a pod killed mid-chunk); it passes the others on."""

    pod: Stub
    # Every chunk sent here, and those the pod behind transcribed (it may refuse: busy).
    chunks: list[str] = field(default_factory=list)
    transcribed: list[str] = field(default_factory=list)
    died_on: str = ""

    async def Transcribe(  # noqa: N802
        self, request_iterator: AsyncIterator[transcribe_pb2.TranscribeRequest], context: Context
    ) -> transcribe_pb2.TranscribeResponse:
        # Like a pod, it answers with headers once it takes the call; then the audio comes.
        await context.send_initial_metadata(((POD_HEADER, "flaky"),))
        messages = [message async for message in request_iterator]
        assert messages[0].options.is_chunk
        chunk = hashlib.sha256(b"".join(m.chunk for m in messages[1:])).hexdigest()
        self.chunks.append(chunk)
        if not self.died_on:
            self.died_on = chunk
            await context.abort(grpc.StatusCode.UNAVAILABLE, "the pod went away")
        response: transcribe_pb2.TranscribeResponse = await self.pod.Transcribe(iter(messages))
        self.transcribed.append(chunk)
        return response


@pytest.fixture(scope="module")
async def peer() -> AsyncIterator[FlakyPeer]:
    async with (
        running(TranscribeApp(SMALL_PIECES)) as address,
        client_channel(address) as channel,
    ):
        yield FlakyPeer(transcribe_pb2_grpc.TranscribeServiceStub(channel))


@pytest.fixture(scope="module")
async def coordinator(peer: FlakyPeer) -> AsyncIterator[Stub]:
    """A pod whose peers are the flaky one."""
    async with running(PeerApp(peer)) as peer_address:
        settings = SMALL_PIECES.model_copy(update={"transcribe_peers": f"ipv4:{peer_address}"})
        async with (
            running(TranscribeApp(settings)) as address,
            client_channel(address) as channel,
        ):
            yield transcribe_pb2_grpc.TranscribeServiceStub(channel)


def stream_messages(data: bytes) -> list[transcribe_pb2.TranscribeStreamRequest]:
    return [
        transcribe_pb2.TranscribeStreamRequest(options=m.options)
        if m.WhichOneof("payload") == "options"
        else transcribe_pb2.TranscribeStreamRequest(chunk=m.chunk)
        for m in media.audio_messages(data)
    ]


async def test_a_long_note_over_two_pods_is_whole_in_order_and_a_lost_chunk_is_redone_alone(
    coordinator: Stub, peer: FlakyPeer
) -> None:
    note = spoken.spoken_note(150)
    call = coordinator.TranscribeStream(iter(stream_messages(media.wav(note.samples))))
    events = [event async for event in call]
    *progress, last = events
    transcript = last.transcript

    # Complete and in order: every word said, in the order said, and no stretch twice.
    assert spoken.word_error_rate(note.text, transcript.text) < 0.15
    starts = [segment.start_s for segment in transcript.segments]
    assert starts == sorted(starts)
    for before, after in zip(transcript.segments, transcript.segments[1:], strict=False):
        assert after.start_s >= before.end_s - 0.5
    assert transcript.segments[-1].end_s > note.seconds - 10
    assert transcript.duration_s == pytest.approx(note.seconds, abs=0.1)
    assert transcript.language == "en"

    # The peer died on one chunk and transcribed others; none twice (the lost one was done
    # again, here or there: the transcript has no gap, above).
    assert peer.died_on
    assert peer.transcribed
    assert len(peer.transcribed) == len(set(peer.transcribed))

    # Progress: seconds done only go up, to the whole duration.
    done = [event.progress.done_s for event in progress]
    assert len(done) >= 3
    assert done == sorted(done)
    assert all(0 < d <= event.progress.duration_s for d, event in zip(done, progress, strict=True))
    assert done[-1] == progress[-1].progress.duration_s == transcript.duration_s


async def test_a_short_note_on_a_pod_with_peers_stays_one_local_call(
    coordinator: Stub, peer: FlakyPeer
) -> None:
    sent_before = len(peer.chunks)
    response = await coordinator.Transcribe(media.audio_messages(media.wav(media.speech(11))))
    assert "fellow americans" in response.text.lower()
    assert len(peer.chunks) == sent_before


async def test_progress_without_peers_goes_window_by_window_to_the_end() -> None:
    async with (
        running(TranscribeApp(TranscribeSettings(transcribe_window_s=30))) as address,
        client_channel(address) as channel,
    ):
        stub = transcribe_pb2_grpc.TranscribeServiceStub(channel)
        data = media.encode(media.long_speech(100), media.WEBM_OPUS, seekable=False)
        events = [event async for event in stub.TranscribeStream(iter(stream_messages(data)))]
    *progress, last = events
    done = [event.progress.done_s for event in progress]
    assert len(done) >= 4
    assert done == sorted(done)
    # A browser recording declares no length: it is measured before the work starts.
    assert {event.progress.duration_s for event in progress} == {last.transcript.duration_s}
    assert done[-1] == last.transcript.duration_s == pytest.approx(100, abs=0.1)
    assert "Permission is hereby granted" in last.transcript.text
