"""The gateway's gRPC side: a channel to ingest, and one to transcription (only asked what
model it runs), opened at start and closed at stop."""

from __future__ import annotations

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from gateway.config import GatewaySettings
from voice_agent.v1 import ingest_pb2, ingest_pb2_grpc, transcribe_pb2_grpc
from voice_core.grpc_client import open_channel

INGEST_SERVICE = ingest_pb2.DESCRIPTOR.services_by_name["IngestService"].full_name


class Upstream:
    def __init__(self, settings: GatewaySettings) -> None:
        self._channel = open_channel(settings.ingest_addr, settings)
        self.ingest = ingest_pb2_grpc.IngestServiceStub(self._channel)
        self._health = health_pb2_grpc.HealthStub(self._channel)
        self._transcribe_channel = open_channel(settings.transcribe_addr, settings)
        self.transcribe = transcribe_pb2_grpc.TranscribeServiceStub(self._transcribe_channel)

    async def ingest_health(self, timeout_s: float = 2.0) -> int:
        """Ingest's health status; UNKNOWN when it cannot be reached."""
        try:
            response = await self._health.Check(
                health_pb2.HealthCheckRequest(service=INGEST_SERVICE), timeout=timeout_s
            )
        except grpc.aio.AioRpcError:
            return int(health_pb2.HealthCheckResponse.UNKNOWN)
        return int(response.status)

    async def close(self) -> None:
        await self._channel.close()
        await self._transcribe_channel.close()
