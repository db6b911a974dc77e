"""Stand-ins for a coordinating pod's peers: a servicer that takes chunks (`Transcribe` with
`is_chunk`) and nothing else, run as an app of the shared test server."""

from __future__ import annotations

from collections.abc import AsyncIterator

import grpc

from voice_agent.v1 import transcribe_pb2, transcribe_pb2_grpc
from voice_core.context import Context


class ChunkPeer(transcribe_pb2_grpc.TranscribeServiceServicer):
    """A peer: subclasses answer `Transcribe`; a coordinator calls nothing else on a peer."""

    async def Summarize(  # noqa: N802
        self, request: transcribe_pb2.SummarizeRequest, context: Context
    ) -> transcribe_pb2.SummarizeResponse:
        raise NotImplementedError

    def TranscribeStream(  # noqa: N802
        self,
        request_iterator: AsyncIterator[transcribe_pb2.TranscribeStreamRequest],
        context: Context,
    ) -> AsyncIterator[transcribe_pb2.TranscribeStreamResponse]:
        raise NotImplementedError

    async def DescribeModel(  # noqa: N802
        self, request: transcribe_pb2.DescribeModelRequest, context: Context
    ) -> transcribe_pb2.DescribeModelResponse:
        raise NotImplementedError


class PeerApp:
    """A peer servicer as `tests.support.running` serves it."""

    service_names = ("voice_agent.v1.TranscribeService",)

    def __init__(self, peer: ChunkPeer) -> None:
        self.peer = peer

    def register(self, server: grpc.aio.Server) -> None:
        transcribe_pb2_grpc.add_TranscribeServiceServicer_to_server(self.peer, server)

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        pass
