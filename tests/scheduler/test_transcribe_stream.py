"""The scheduler's TranscribeStream call, over real gRPC to a scripted pod: progress is passed
on as shares of the audio, news keeps a long call alive, and silence gives it up."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import grpc
import pytest
from pydantic import SecretStr

from scheduler.clients import Services
from scheduler.config import SchedulerSettings
from tests.support import TEST_TOKEN, running
from transcribe_svc.server import POD_HEADER
from voice_agent.v1 import ingest_pb2, transcribe_pb2
from voice_core.context import Context

IDLE_S = 0.5
DURATION_S = 100.0


@dataclass
class ScriptedPod:
    """Ingest's ReadAudio and a transcription pod that, once it has the audio, waits each of
    `gaps_s` in turn and sends a progress message after each (done_s = 10 s × its number)."""

    gaps_s: list[float]
    audio: list[bytes] = field(default_factory=list)
    cancelled: asyncio.Event = field(default_factory=asyncio.Event)

    async def ReadAudio(  # noqa: N802
        self, request: ingest_pb2.ReadAudioRequest, context: Context
    ) -> AsyncIterator[ingest_pb2.ReadAudioResponse]:
        asset = ingest_pb2.AudioAsset(id=request.audio_id, content_type="audio/wav")
        yield ingest_pb2.ReadAudioResponse(audio_asset=asset)
        yield ingest_pb2.ReadAudioResponse(chunk=b"RIFF....")

    async def TranscribeStream(  # noqa: N802
        self,
        request_iterator: AsyncIterator[transcribe_pb2.TranscribeStreamRequest],
        context: Context,
    ) -> AsyncIterator[transcribe_pb2.TranscribeStreamResponse]:
        await context.send_initial_metadata(((POD_HEADER, "scripted"),))
        self.audio = [message.chunk async for message in request_iterator if message.chunk]
        try:
            for number, gap_s in enumerate(self.gaps_s, start=1):
                await asyncio.sleep(gap_s)
                progress = transcribe_pb2.TranscribeProgress(
                    done_s=10.0 * number, duration_s=DURATION_S
                )
                yield transcribe_pb2.TranscribeStreamResponse(progress=progress)
        except asyncio.CancelledError:
            self.cancelled.set()
            raise
        transcript = transcribe_pb2.TranscribeResponse(text="Done.", duration_s=DURATION_S)
        yield transcribe_pb2.TranscribeStreamResponse(transcript=transcript)


class ScriptedApp:
    service_names = ("voice_agent.v1.IngestService", "voice_agent.v1.TranscribeService")

    def __init__(self, pod: ScriptedPod) -> None:
        self.pod = pod

    def register(self, server: grpc.aio.Server) -> None:
        """Only the two methods the scheduler's transcription calls."""
        read_audio = grpc.unary_stream_rpc_method_handler(
            self.pod.ReadAudio,
            request_deserializer=ingest_pb2.ReadAudioRequest.FromString,
            response_serializer=ingest_pb2.ReadAudioResponse.SerializeToString,
        )
        transcribe_stream = grpc.stream_stream_rpc_method_handler(
            self.pod.TranscribeStream,
            request_deserializer=transcribe_pb2.TranscribeStreamRequest.FromString,
            response_serializer=transcribe_pb2.TranscribeStreamResponse.SerializeToString,
        )
        server.add_generic_rpc_handlers(
            (
                grpc.method_handlers_generic_handler(
                    self.service_names[0], {"ReadAudio": read_audio}
                ),
                grpc.method_handlers_generic_handler(
                    self.service_names[1], {"TranscribeStream": transcribe_stream}
                ),
            )
        )

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        pass


@asynccontextmanager
async def scheduler_services(pod: ScriptedPod) -> AsyncIterator[Services]:
    """The scheduler's clients, with ingest and transcription both served by `pod`."""
    async with running(ScriptedApp(pod)) as address:
        settings = SchedulerSettings(
            database_url=SecretStr("postgresql://127.0.0.1:1/unused"),
            internal_auth_token=SecretStr(TEST_TOKEN),
            ingest_addr=address,
            transcribe_addr=address,
            notify_addr=address,
            transcribe_timeout_s=IDLE_S,
        )
        services = Services(settings)
        try:
            yield services
        finally:
            await services.close()


async def test_progress_is_passed_on_and_keeps_a_call_longer_than_the_timeout_alive() -> None:
    # Ten messages 0.2 s apart: 2 s in all, four times the timeout, never 0.5 s without news.
    pod = ScriptedPod(gaps_s=[0.2] * 10)
    reported: list[float] = []

    async def on_progress(progress: float) -> None:
        reported.append(progress)

    async with scheduler_services(pod) as services:
        response = await services.transcribe_audio(uuid.uuid4(), on_progress)

    assert response.text == "Done."
    assert pod.audio == [b"RIFF...."]
    # 0 when the pod took the call, then each message as a share of the duration.
    assert reported == pytest.approx([0.0, *(n / 10 for n in range(1, 11))])


async def test_a_pod_that_goes_quiet_is_given_up_and_its_call_cancelled() -> None:
    pod = ScriptedPod(gaps_s=[0.1, 30.0])
    loop = asyncio.get_running_loop()
    started = loop.time()

    async def on_progress(progress: float) -> None:
        pass

    async with scheduler_services(pod) as services:
        with pytest.raises(grpc.aio.AioRpcError) as raised:
            await services.transcribe_audio(uuid.uuid4(), on_progress)
        assert raised.value.code() is grpc.StatusCode.DEADLINE_EXCEEDED
        assert loop.time() - started < 5
        # The pod learns at once, not when the connection closes.
        await asyncio.wait_for(pod.cancelled.wait(), 5)
