"""A pod takes on a bounded amount of work: the rest is refused at once, and stays cheap."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import grpc
import pytest

from tests.support import client_channel, running
from tests.transcribe_svc import media
from transcribe_svc.app import TranscribeApp
from transcribe_svc.config import TranscribeSettings
from transcribe_svc.server import POD_HEADER
from transcribe_svc.slots import TranscriptionSlots, Work
from voice_agent.v1 import transcribe_pb2, transcribe_pb2_grpc
from voice_core.errors import ServiceError, read_rpc_error

if TYPE_CHECKING:
    Stub = transcribe_pb2_grpc.TranscribeServiceAsyncStub


@pytest.fixture(scope="module")
async def channel() -> AsyncIterator[grpc.aio.Channel]:
    """A pod that runs one transcription and lets one more wait."""
    settings = TranscribeSettings(transcribe_max_concurrency=1, transcribe_max_queue=1)
    async with (
        running(TranscribeApp(settings)) as address,
        client_channel(address) as channel,
    ):
        yield channel


@pytest.fixture
def transcribe(channel: grpc.aio.Channel) -> Stub:
    return transcribe_pb2_grpc.TranscribeServiceStub(channel)


async def held_upload(
    data: bytes, release: asyncio.Event
) -> AsyncIterator[transcribe_pb2.TranscribeRequest]:
    """Options and the first chunk at once, the rest of the file only once released."""
    messages = list(media.audio_messages(data))
    yield messages[0]
    yield messages[1]
    await release.wait()
    for message in messages[2:]:
        yield message


async def test_calls_beyond_the_running_and_waiting_slots_are_refused_before_uploading(
    transcribe: Stub,
) -> None:
    release = asyncio.Event()
    data = media.wav(media.speech(5))  # more than one chunk
    first = transcribe.Transcribe(held_upload(data, release))
    second = transcribe.Transcribe(held_upload(data, release))
    # A pod answers with its headers once the call holds a slot.
    assert POD_HEADER in dict(await first.initial_metadata())
    assert POD_HEADER in dict(await second.initial_metadata())

    # The third caller, like the scheduler, sends its audio only once the pod has a slot for it.
    chunks_sent = 0

    async def upload_once_admitted() -> AsyncIterator[transcribe_pb2.TranscribeRequest]:
        nonlocal chunks_sent
        options, *chunks = media.audio_messages(data)
        yield options
        if not await third.initial_metadata():  # a refusal comes without headers
            return
        for chunk in chunks:
            chunks_sent += 1
            yield chunk

    third = transcribe.Transcribe(upload_once_admitted())
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await third
    error = read_rpc_error(caught.value)
    assert (error.code, error.reason) == (grpc.StatusCode.RESOURCE_EXHAUSTED, "transcriber_busy")
    assert error.message == (
        "this transcription pod is busy (1 running, 1 waiting); try again or use another pod"
    )
    assert chunks_sent == 0

    release.set()
    for response in await asyncio.gather(first, second):
        assert "fellow americans" in response.text.lower()
    # Their slots are free again.
    response = await transcribe.Transcribe(media.audio_messages(media.wav(media.speech(3))))
    assert "fellow americans" in response.text.lower()


async def test_summaries_answer_while_a_transcription_runs(transcribe: Stub) -> None:
    transcription = transcribe.Transcribe(media.audio_messages(media.wav(media.long_speech(30))))
    await transcription.initial_metadata()
    summary = await transcribe.Summarize(
        transcribe_pb2.SummarizeRequest(text="We signed the lease. I will call the movers.")
    )
    assert not transcription.done()
    assert summary.summary.bullets
    assert "Permission is hereby granted" in (await transcription).text


def test_a_reservation_left_unused_gives_its_slot_back() -> None:
    slots = TranscriptionSlots(running=1, waiting=0)
    with slots.reserve(), pytest.raises(ServiceError) as caught:
        slots.reserve()
    assert caught.value.reason == "transcriber_busy"
    with slots.reserve():
        pass
    slots.shutdown()


async def test_a_cancelled_call_stops_its_work_and_frees_its_slot() -> None:
    slots = TranscriptionSlots(running=1, waiting=1)
    started = threading.Event()

    def work_until_abandoned(abandoned: threading.Event) -> str:
        started.set()
        abandoned.wait()
        return "stopped"

    async def call(work: Work[str], handed_over: asyncio.Event) -> str:
        with slots.reserve() as reservation:
            result = reservation.run(work)
            handed_over.set()
            return await result

    running_call = asyncio.create_task(call(work_until_abandoned, asyncio.Event()))
    await asyncio.to_thread(started.wait)
    queued = asyncio.Event()
    waiting_call = asyncio.create_task(call(lambda _: "never run", queued))
    await queued.wait()
    with pytest.raises(ServiceError):
        slots.reserve()

    # Cancelled before its work started: its slot is free at once.
    waiting_call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting_call
    with slots.reserve(), pytest.raises(ServiceError):
        slots.reserve()

    # Cancelled while its work runs: the work is told, stops, and frees the only worker.
    running_call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running_call
    assert await call(lambda _: "next", asyncio.Event()) == "next"
    slots.shutdown()


def test_a_chunk_is_refused_rather_than_queued_behind_running_work() -> None:
    slots = TranscriptionSlots(running=1, waiting=2)
    with slots.reserve(), pytest.raises(ServiceError) as caught:
        slots.reserve(wait=False)
    assert caught.value.reason == "transcriber_busy"
    with slots.reserve(wait=False):
        pass
    slots.shutdown()


async def test_a_call_runs_pieces_of_work_one_after_another_on_its_slot() -> None:
    slots = TranscriptionSlots(running=1, waiting=0)
    with slots.reserve() as reservation:
        assert await reservation.run(lambda _: 1) == 1
        assert await reservation.run(lambda _: 2) == 2
        with pytest.raises(ServiceError):
            slots.reserve()
    with slots.reserve():  # given back once the call left and its work was over
        pass
    slots.shutdown()
