"""`POST /v1/audio`: a multipart upload streamed to ingest chunk by chunk."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import grpc
from fastapi import APIRouter, Request

from gateway.dependencies import SettingsDep, UploadQuota, UpstreamDep
from gateway.errors import ApiError
from gateway.multipart_stream import FileStart, stream_file_field
from gateway.schemas import AudioOut, audio_out, error_responses
from voice_agent.v1 import ingest_pb2

if TYPE_CHECKING:
    UploadCall = grpc.aio.StreamUnaryCall[
        ingest_pb2.UploadAudioRequest, ingest_pb2.UploadAudioResponse
    ]
router = APIRouter(tags=["audio"])
# Multipart framing around the file: boundaries and part headers.
_MULTIPART_OVERHEAD_BYTES = 16 * 1024
# The body is read as a stream, so FastAPI cannot infer its schema; state it for /docs.
_UPLOAD_SCHEMA: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}


def _too_large(limit: int) -> ApiError:
    return ApiError(413, "payload_too_large", f"the file is larger than {limit // 2**20} MB")


async def _send(call: UploadCall, message: ingest_pb2.UploadAudioRequest) -> None:
    """Write one message of the upload; if ingest already ended the call (it refused the
    upload, e.g. not audio), raise the error it ended it with rather than grpc's "RPC already
    finished", which would hide a 415 behind a 500."""
    try:
        await call.write(message)
    except asyncio.InvalidStateError:
        await call  # raises the call's AioRpcError
        raise


@router.post(
    "/v1/audio",
    status_code=201,
    openapi_extra=_UPLOAD_SCHEMA,
    dependencies=[UploadQuota],
    responses=error_responses(400, 413, 415, 422, 429, 503),
)
async def upload_audio(request: Request, services: UpstreamDep, settings: SettingsDep) -> AudioOut:
    """Upload an audio file (multipart field `file`); it is streamed, never held in memory."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.max_upload_bytes + _MULTIPART_OVERHEAD_BYTES:
        raise _too_large(settings.max_upload_bytes)
    call = services.ingest.UploadAudio(timeout=settings.upload_timeout_s)
    size = 0
    try:
        parts = stream_file_field(request.headers.get("content-type", ""), request.stream())
        async for part in parts:
            if isinstance(part, FileStart):
                metadata = ingest_pb2.AudioMetadata(
                    filename=part.filename, content_type=part.content_type
                )
                await _send(call, ingest_pb2.UploadAudioRequest(metadata=metadata))
            elif part:
                size += len(part)
                if size > settings.max_upload_bytes:
                    raise _too_large(settings.max_upload_bytes)
                await _send(call, ingest_pb2.UploadAudioRequest(chunk=part))
        finish = ingest_pb2.UploadFinish(size_bytes=size)
        await _send(call, ingest_pb2.UploadAudioRequest(finish=finish))
        await call.done_writing()
        response: ingest_pb2.UploadAudioResponse = await call
    except BaseException:
        # Cancelling tells ingest to drop what it spooled: no row, no object.
        call.cancel()
        raise
    return audio_out(response.audio_asset)
