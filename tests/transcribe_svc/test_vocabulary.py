"""A request's vocabulary and language through the real TranscribeService with tiny.en.

`fixtures/hotwords.mp3` is real speech ("Then you go into your ComfyUI folder again…") that
tiny.en hears as "comfy eye" on its own, and spells right once told the term: the proof that
the vocabulary reaches Whisper, on a short note, from the deployment's WHISPER_VOCABULARY, and
in every chunk of a long note spread over two pods.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import grpc
import pytest
from pydantic import SecretStr

from tests.support import TEST_TOKEN, client_channel, running
from tests.transcribe_svc import media
from tests.transcribe_svc.peers import ChunkPeer, PeerApp
from transcribe_svc.app import TranscribeApp
from transcribe_svc.config import TranscribeSettings
from transcribe_svc.server import POD_HEADER
from voice_agent.v1 import transcribe_pb2, transcribe_pb2_grpc
from voice_core.context import Context
from voice_core.errors import read_rpc_error

if TYPE_CHECKING:
    Stub = transcribe_pb2_grpc.TranscribeServiceAsyncStub

HOTWORDS_CLIP = (media.FIXTURES / "hotwords.mp3").read_bytes()
TERM = "ComfyUI"


def messages(
    data: bytes, language: str = "", vocabulary: list[str] | None = None
) -> Iterator[transcribe_pb2.TranscribeRequest]:
    yield transcribe_pb2.TranscribeRequest(
        options=transcribe_pb2.TranscribeOptions(language=language, vocabulary=vocabulary or [])
    )
    for start in range(0, len(data), media.CHUNK_BYTES):
        yield transcribe_pb2.TranscribeRequest(chunk=data[start : start + media.CHUNK_BYTES])


@pytest.fixture(scope="module")
async def transcribe() -> AsyncIterator[Stub]:
    async with (
        running(TranscribeApp(TranscribeSettings())) as address,
        client_channel(address) as channel,
    ):
        yield transcribe_pb2_grpc.TranscribeServiceStub(channel)


async def test_the_clip_is_misheard_without_vocabulary_and_right_with_it(transcribe: Stub) -> None:
    plain = await transcribe.Transcribe(messages(HOTWORDS_CLIP))
    assert TERM.lower() not in plain.text.lower()
    assert "comfy eye" in plain.text.lower()

    told = await transcribe.Transcribe(messages(HOTWORDS_CLIP, vocabulary=[TERM, "Ana Lopez"]))
    assert TERM.lower() in told.text.lower()
    assert "comfy eye" not in told.text.lower()
    assert "folder" in told.text


async def test_the_deployments_vocabulary_applies_to_every_note() -> None:
    settings = TranscribeSettings(whisper_vocabulary=f" {TERM} , Kubernetes")
    async with running(TranscribeApp(settings)) as address, client_channel(address) as channel:
        response = await transcribe_pb2_grpc.TranscribeServiceStub(channel).Transcribe(
            messages(HOTWORDS_CLIP)
        )
    assert TERM.lower() in response.text.lower()


def test_a_bad_deployment_vocabulary_stops_the_service_at_start() -> None:
    with pytest.raises(ValueError, match="longer than 50 characters"):
        TranscribeSettings(whisper_vocabulary="x" * 51)


async def test_an_english_only_model_refuses_another_language_before_the_audio(
    transcribe: Stub,
) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as raised:
        await transcribe.Transcribe(messages(HOTWORDS_CLIP, language="de"))
    error = read_rpc_error(raised.value)
    assert error.code is grpc.StatusCode.INVALID_ARGUMENT
    assert error.reason == "language_unsupported"
    assert "tiny.en" in error.message
    assert "WHISPER_MODEL" in error.message

    english = await transcribe.Transcribe(messages(HOTWORDS_CLIP, language="en"))
    assert english.language == "en"


async def test_a_vocabulary_with_a_control_character_is_refused(transcribe: Stub) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as raised:
        await transcribe.Transcribe(messages(HOTWORDS_CLIP, vocabulary=["ok", "line\nbreak"]))
    assert read_rpc_error(raised.value).reason == "invalid_vocabulary"


async def test_describe_model_names_the_model_and_its_languages(transcribe: Stub) -> None:
    model = await transcribe.DescribeModel(transcribe_pb2.DescribeModelRequest())
    assert model.model == "tiny.en"
    assert not model.multilingual
    assert list(model.languages) == ["en"]
    assert model.model_setting == "WHISPER_MODEL"
    assert model.max_audio_s == TranscribeSettings().transcribe_max_audio_s


@dataclass
class RecordingPeer(ChunkPeer):
    """A peer pod in front of a real one that keeps the options of every chunk it is sent."""

    pod: Stub
    options: list[transcribe_pb2.TranscribeOptions] = field(default_factory=list)

    async def Transcribe(  # noqa: N802
        self, request_iterator: AsyncIterator[transcribe_pb2.TranscribeRequest], context: Context
    ) -> transcribe_pb2.TranscribeResponse:
        await context.send_initial_metadata(((POD_HEADER, "recording"),))
        received = [message async for message in request_iterator]
        self.options.append(received[0].options)
        response: transcribe_pb2.TranscribeResponse = await self.pod.Transcribe(iter(received))
        return response


async def test_every_chunk_of_a_long_note_over_two_pods_gets_the_vocabulary() -> None:
    # Chunks of 30 to 45 s: the clip, said twice 64 s apart, falls in two different chunks.
    small = TranscribeSettings(
        transcribe_chunk_s=30, transcribe_window_s=30, internal_auth_token=SecretStr(TEST_TOKEN)
    )
    note = media.wav(media.long_speech(128))
    async with (
        running(TranscribeApp(small)) as pod_address,
        client_channel(pod_address) as pod_channel,
    ):
        peer = RecordingPeer(transcribe_pb2_grpc.TranscribeServiceStub(pod_channel))
        async with running(PeerApp(peer)) as peer_address:
            coordinating = small.model_copy(update={"transcribe_peers": f"ipv4:{peer_address}"})
            async with (
                running(TranscribeApp(coordinating)) as address,
                client_channel(address) as channel,
            ):
                response = await transcribe_pb2_grpc.TranscribeServiceStub(channel).Transcribe(
                    messages(note, vocabulary=[TERM])
                )

    # The clip says the term twice, and is said twice: four times, never misheard.
    assert response.text.lower().count(TERM.lower()) == 4, response.text
    assert "comfy eye" not in response.text.lower()
    assert peer.options, "no chunk went to the peer"
    assert all(list(options.vocabulary) == [TERM] for options in peer.options)
    assert all(options.is_chunk and options.language == "en" for options in peer.options)
