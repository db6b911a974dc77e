"""TranscribeService over real gRPC with the bundled Whisper tiny.en on real speech."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import grpc
import pytest

from tests.support import JFK_FLAC, JFK_WEBM, client_channel, running
from transcribe_svc.app import TranscribeApp
from transcribe_svc.config import TranscribeSettings
from voice_agent.v1 import transcribe_pb2, transcribe_pb2_grpc
from voice_core.errors import read_rpc_error

JFK_PHRASE = "ask not what your country can do for you"


def words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z ]", " ", text.lower()).split())


def audio_messages(data: bytes) -> Iterator[transcribe_pb2.TranscribeRequest]:
    yield transcribe_pb2.TranscribeRequest(options=transcribe_pb2.TranscribeOptions())
    for start in range(0, len(data), 65_536):
        yield transcribe_pb2.TranscribeRequest(chunk=data[start : start + 65_536])


@pytest.fixture(scope="module")
async def transcribe_channel() -> AsyncIterator[grpc.aio.Channel]:
    app = TranscribeApp(TranscribeSettings())
    async with running(app) as address, client_channel(address) as channel:
        yield channel


@pytest.fixture(scope="module")
def transcribe(
    transcribe_channel: grpc.aio.Channel,
) -> transcribe_pb2_grpc.TranscribeServiceAsyncStub:
    return transcribe_pb2_grpc.TranscribeServiceStub(transcribe_channel)


@pytest.mark.parametrize("fixture", [JFK_FLAC, JFK_WEBM], ids=["flac", "browser-webm"])
async def test_real_speech_is_transcribed(
    transcribe: transcribe_pb2_grpc.TranscribeServiceAsyncStub, fixture: Path
) -> None:
    response = await transcribe.Transcribe(audio_messages(fixture.read_bytes()))
    assert JFK_PHRASE in words(response.text)
    assert response.language == "en"
    assert response.model == "tiny.en"
    assert 10.5 < response.duration_s < 12.5
    assert response.segments
    assert all(s.start_s < s.end_s for s in response.segments)
    assert not response.no_speech


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"fLaC" + b"\x00garbage" * 500, "audio_undecodable"),
        (b"this is not audio at all" * 100, "audio_undecodable"),
        (JFK_FLAC.read_bytes()[:2000], "audio_undecodable"),
    ],
    ids=["fake-flac", "text", "truncated"],
)
async def test_bad_audio_is_invalid_argument(
    transcribe: transcribe_pb2_grpc.TranscribeServiceAsyncStub, data: bytes, reason: str
) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await transcribe.Transcribe(audio_messages(data))
    error = read_rpc_error(caught.value)
    assert error.code is grpc.StatusCode.INVALID_ARGUMENT
    assert error.reason in {reason, "audio_empty"}
    assert "audio" in error.message


async def test_no_bytes_is_invalid_argument(
    transcribe: transcribe_pb2_grpc.TranscribeServiceAsyncStub,
) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await transcribe.Transcribe(audio_messages(b""))
    assert read_rpc_error(caught.value).reason == "audio_empty"


async def test_summarize_returns_bullets_and_next_step(
    transcribe: transcribe_pb2_grpc.TranscribeServiceAsyncStub,
) -> None:
    text = (
        "Quick update on the office move. The new lease is signed for the second floor. "
        "Movers are booked for the fourteenth. Internet installation is still unconfirmed. "
        "I will call the provider tomorrow morning to confirm the installation date."
    )
    response = await transcribe.Summarize(transcribe_pb2.SummarizeRequest(text=text))
    assert 3 <= len(response.summary.bullets) <= 5
    assert response.summary.next_step_found
    assert "provider" in response.summary.next_step


async def test_summarize_empty_text_is_invalid_argument(
    transcribe: transcribe_pb2_grpc.TranscribeServiceAsyncStub,
) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await transcribe.Summarize(transcribe_pb2.SummarizeRequest(text="   "))
    assert read_rpc_error(caught.value).reason == "empty_transcript"


async def test_a_long_summary_leaves_other_calls_answering(
    transcribe: transcribe_pb2_grpc.TranscribeServiceAsyncStub,
) -> None:
    """Summarizing 200k characters takes a second of CPU or more: on a worker thread, so that
    the event loop still answers other calls (health checks among them) meanwhile."""
    sentence = "Item {} on the list needs a decision from the team by Friday."
    text = " ".join(sentence.format(n) for n in range(4_000))[:200_000]
    short = transcribe_pb2.SummarizeRequest(text="The lease is signed. Movers come Monday.")
    summary = asyncio.ensure_future(
        transcribe.Summarize(transcribe_pb2.SummarizeRequest(text=text))
    )
    await asyncio.sleep(0.05)  # the long call has started
    slowest, answered = 0.0, 0
    while not summary.done():
        started = time.perf_counter()
        await transcribe.Summarize(short, timeout=5)
        slowest = max(slowest, time.perf_counter() - started)
        answered += 1
    assert (await summary).summary.bullets
    assert answered > 3, "the long summary was too quick to tell"
    assert slowest < 0.5, f"a short call waited {slowest:.2f} s"
