"""`POST /v1/audio`: a multipart upload streamed to ingest chunk by chunk."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import grpc
from fastapi import APIRouter, Request

from gateway.config import GatewaySettings
from gateway.dependencies import SettingsDep, UpstreamDep
from gateway.errors import ApiError
from gateway.links import uploaded_links
from gateway.multipart_stream import FileStart, stream_file_field
from gateway.schemas import AudioOut, audio_out, error_responses
from voice_agent.v1 import ingest_pb2
from voice_core.audio_types import ACCEPTED_DESCRIPTION, ACCEPTED_TYPES
from voice_core.chunks import UPLOAD_LIMIT_HEADER

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
                "encoding": {"file": {"contentType": ", ".join(ACCEPTED_TYPES)}},
                "schema": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "minLength": 1,
                            "description": (
                                f"The audio: {ACCEPTED_DESCRIPTION}, identified by its bytes"
                                " (415 otherwise), not empty, at most MAX_UPLOAD_BYTES (413)."
                            ),
                        }
                    },
                },
            }
        },
    }
}


def _too_large(limit: int) -> ApiError:
    return ApiError(413, "payload_too_large", f"the file is larger than {limit // 2**20} MB")


def _check_filename(filename: str) -> None:
    if "\x00" in filename:
        raise ApiError(422, "invalid_filename", "the file name contains a NUL character (\\u0000)")


async def _write(call: UploadCall, message: ingest_pb2.UploadAudioRequest) -> None:
    """Send one message; if ingest already ended the call, raise its answer, not the write's.

    A write racing the end of the call fails with INTERNAL or InvalidStateError, whatever
    ingest said (grpc/grpc#36066); awaiting the call gives ingest's own status.
    """
    try:
        await call.write(message)
    except (grpc.aio.AioRpcError, asyncio.InvalidStateError):
        await call
        raise


async def _admitted_limit(call: UploadCall, settings: GatewaySettings) -> int:
    """Wait until ingest admits the upload; the largest file it takes (its headers say)."""
    headers = await call.initial_metadata()
    if not headers:
        await call  # refused before admission (busy, disk full, bad name): raises its error
    limit = dict(headers).get(UPLOAD_LIMIT_HEADER)
    if isinstance(limit, str) and limit.isdigit():
        return min(int(limit), settings.max_upload_bytes)
    return settings.max_upload_bytes


@router.post(
    "/v1/audio",
    status_code=201,
    openapi_extra=_UPLOAD_SCHEMA,
    responses={**uploaded_links(), **error_responses(400, 413, 415, 422, 429, 503)},
)
async def upload_audio(request: Request, services: UpstreamDep, settings: SettingsDep) -> AudioOut:
    """Upload an audio file (multipart field `file`); it is streamed, never held in memory."""
    declared = request.headers.get("content-length", "")
    declared_bytes = int(declared) if declared.isdigit() else None
    limit = settings.max_upload_bytes
    if declared_bytes is not None and declared_bytes > limit + _MULTIPART_OVERHEAD_BYTES:
        raise _too_large(limit)
    call: UploadCall = services.ingest.UploadAudio(timeout=settings.upload_timeout_s)
    size = 0
    try:
        parts = stream_file_field(request.headers.get("content-type", ""), request.stream())
        async for part in parts:
            if isinstance(part, FileStart):
                _check_filename(part.filename)
                metadata = ingest_pb2.AudioMetadata(
                    filename=part.filename, content_type=part.content_type
                )
                await _write(call, ingest_pb2.UploadAudioRequest(metadata=metadata))
                # Ingest may take less (its storage bucket's limit): refuse before the transfer.
                limit = await _admitted_limit(call, settings)
                if (
                    declared_bytes is not None
                    and declared_bytes > limit + _MULTIPART_OVERHEAD_BYTES
                ):
                    raise _too_large(limit)
            elif part:
                size += len(part)
                if size > limit:
                    raise _too_large(limit)
                await _write(call, ingest_pb2.UploadAudioRequest(chunk=part))
        finish = ingest_pb2.UploadFinish(size_bytes=size)
        await _write(call, ingest_pb2.UploadAudioRequest(finish=finish))
        await call.done_writing()
        response: ingest_pb2.UploadAudioResponse = await call
    except BaseException:
        # Cancelling tells ingest to drop what it spooled: no row, no object.
        call.cancel()
        raise
    return audio_out(response)
