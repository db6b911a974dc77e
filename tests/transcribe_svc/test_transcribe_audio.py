"""Transcribe over real gRPC with the bundled tiny.en: every recorder's format, silence, and
audio that cannot be used, each answered the way a person can act on."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import grpc
import pytest

from tests.support import JFK_FLAC, client_channel, running
from tests.transcribe_svc import media
from transcribe_svc.app import TranscribeApp
from transcribe_svc.config import TranscribeSettings
from voice_agent.v1 import transcribe_pb2_grpc
from voice_core.errors import RemoteError, read_rpc_error

if TYPE_CHECKING:
    Stub = transcribe_pb2_grpc.TranscribeServiceAsyncStub
JFK_PHRASE = "ask not what your country can do for you"
RECORDINGS = {
    "webm-opus": media.WEBM_OPUS,
    "ogg-opus-stereo": media.OGG_OPUS,
    "mp4-aac": media.MP4_AAC,
    "m4a-aac-stereo-44k": media.M4A_AAC,
    "mp3-stereo-44k": media.MP3,
    "wav-stereo-8k": media.WAV_8K_STEREO,
}


def words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z ]", " ", text.lower()).split())


async def pod(settings: TranscribeSettings) -> AsyncIterator[Stub]:
    async with (
        running(TranscribeApp(settings)) as address,
        client_channel(address) as channel,
    ):
        yield transcribe_pb2_grpc.TranscribeServiceStub(channel)


@pytest.fixture(scope="module")
async def transcribe() -> AsyncIterator[Stub]:
    async for stub in pod(TranscribeSettings()):
        yield stub


@pytest.fixture(scope="module")
async def five_second_pod() -> AsyncIterator[Stub]:
    async for stub in pod(TranscribeSettings(transcribe_max_audio_s=5)):
        yield stub


async def refusal(stub: Stub, data: bytes) -> RemoteError:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await stub.Transcribe(media.audio_messages(data))
    return read_rpc_error(caught.value)


@pytest.mark.parametrize("recording", RECORDINGS.values(), ids=RECORDINGS.keys())
async def test_each_recorders_format_is_transcribed(
    transcribe: Stub, recording: media.Recording
) -> None:
    data = media.encode(media.jfk_samples(), recording)
    response = await transcribe.Transcribe(media.audio_messages(data))
    assert JFK_PHRASE in words(response.text)
    assert response.language == "en"
    assert response.duration_s == pytest.approx(11.0, abs=0.1)
    assert not response.no_speech


async def test_silence_is_an_empty_transcript_flagged_no_speech(transcribe: Stub) -> None:
    response = await transcribe.Transcribe(media.audio_messages(media.wav(media.silence(5))))
    assert (response.text, list(response.segments), response.no_speech) == ("", [], True)
    assert response.duration_s == 5.0
    assert response.model == "tiny.en"


@pytest.mark.parametrize(
    ("data", "reason", "message"),
    [
        (media.wav(media.silence(0)), "audio_empty", "the audio is empty: it lasts zero seconds"),
        (
            media.encode(media.jfk_samples(), media.MP3)[:88_000],
            "audio_truncated",
            "the audio file is cut off: it should last 11 s but only 5.5 s could be read; "
            "please upload the whole file again",
        ),
        (
            b"RIFF\x00\x00\x00\x00WAVEthis is not audio",
            "audio_undecodable",
            "the audio could not be read: the file is damaged or not in a supported format "
            "(webm, ogg/opus, mp4/m4a, aac, mp3, wav or flac)",
        ),
    ],
    ids=["zero-seconds", "cut-off", "damaged"],
)
async def test_unusable_audio_is_invalid_argument_saying_why(
    transcribe: Stub, data: bytes, reason: str, message: str
) -> None:
    error = await refusal(transcribe, data)
    assert (error.code, error.reason, error.message) == (
        grpc.StatusCode.INVALID_ARGUMENT,
        reason,
        message,
    )


async def test_audio_over_the_limit_is_invalid_argument_naming_the_limit(
    five_second_pod: Stub,
) -> None:
    error = await refusal(five_second_pod, JFK_FLAC.read_bytes())
    assert (error.code, error.reason, error.message) == (
        grpc.StatusCode.INVALID_ARGUMENT,
        "audio_too_long",
        "the audio is too long: the limit is 5.0 s and this recording lasts 11 s",
    )
    # Under the limit, the same pod transcribes.
    response = await five_second_pod.Transcribe(media.audio_messages(media.wav(media.speech(4))))
    assert "fellow americans" in words(response.text)
