"""The transcription service as the shared server runs it: the model (loaded before health says
SERVING), the slots, and the channel to peer pods that take chunks of long notes."""

from __future__ import annotations

import asyncio

import grpc

from transcribe_svc.asr import SpeechToText
from transcribe_svc.config import TranscribeSettings
from transcribe_svc.coordinator import Coordinator
from transcribe_svc.server import TranscribeServicer
from transcribe_svc.slots import TranscriptionSlots
from voice_agent.v1 import transcribe_pb2, transcribe_pb2_grpc
from voice_core.grpc_client import open_channel


class TranscribeApp:
    """The transcription service as the shared server runs it."""

    service_names = (transcribe_pb2.DESCRIPTOR.services_by_name["TranscribeService"].full_name,)

    def __init__(self, settings: TranscribeSettings) -> None:
        self._speech_to_text = SpeechToText(settings)
        self._slots = TranscriptionSlots(
            running=settings.transcribe_max_concurrency, waiting=settings.transcribe_max_queue
        )
        self._settings = settings
        self._peers: grpc.aio.Channel | None = None
        self._servicer = TranscribeServicer(self._speech_to_text, self._slots, settings)

    def register(self, server: grpc.aio.Server) -> None:
        transcribe_pb2_grpc.add_TranscribeServiceServicer_to_server(self._servicer, server)

    async def start(self) -> None:
        # The peers' channel belongs to the server's event loop: opened here, not before.
        if self._settings.transcribe_peers:
            self._peers = open_channel(self._settings.transcribe_peers, self._settings)
            self._servicer.coordinator = Coordinator(
                self._speech_to_text,
                transcribe_pb2_grpc.TranscribeServiceStub(self._peers),
                self._settings,
            )
        # Loading takes seconds; health stays NOT_SERVING until it is done.
        await asyncio.to_thread(self._speech_to_text.load)

    async def stop(self) -> None:
        self._slots.shutdown()
        if self._peers is not None:
            await self._peers.close()
