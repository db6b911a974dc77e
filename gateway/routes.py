"""The HTTP endpoints; each one is a thin translation to an IngestService call."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from google.protobuf.timestamp_pb2 import Timestamp
from grpc_health.v1 import health_pb2
from voice_agent.v1 import ingest_pb2

from gateway.config import GatewaySettings
from gateway.errors import ApiError, error_response
from gateway.multipart_stream import FileStart, stream_file_field
from gateway.schemas import AudioOut, CreateRequestIn, RequestOut, audio_out, request_out
from gateway.upstream import Upstream
from voice_core.context import outgoing_metadata

router = APIRouter()
# Multipart framing around the file: boundaries and part headers.
_MULTIPART_OVERHEAD_BYTES = 16 * 1024
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


def upstream(request: Request) -> Upstream:
    result: Upstream = request.app.state.upstream
    return result


UpstreamDep = Annotated[Upstream, Depends(upstream)]


@router.get("/healthz", tags=["health"])
async def healthz() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


@router.get("/readyz", tags=["health"], response_model=None)
async def readyz(services: UpstreamDep) -> Any:
    """Ready when the ingest service answers SERVING."""
    status = await services.ingest_health()
    if status != health_pb2.HealthCheckResponse.SERVING:
        return error_response(503, "not_ready", "the ingest service is not serving")
    return {"status": "ready", "dependencies": {"ingest": "serving"}}


def _too_large(limit: int) -> ApiError:
    return ApiError(413, "payload_too_large", f"the file is larger than {limit // 2**20} MB")


@router.post("/v1/audio", status_code=201, tags=["audio"], openapi_extra=_UPLOAD_SCHEMA)
async def upload_audio(request: Request, services: UpstreamDep) -> AudioOut:
    """Upload an audio file (multipart field `file`); it is streamed, never held in memory."""
    settings: GatewaySettings = request.app.state.settings
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.max_upload_bytes + _MULTIPART_OVERHEAD_BYTES:
        raise _too_large(settings.max_upload_bytes)
    call = services.ingest.UploadAudio(
        timeout=settings.upload_timeout_s, metadata=outgoing_metadata()
    )
    size = 0
    try:
        parts = stream_file_field(request.headers.get("content-type", ""), request.stream())
        async for part in parts:
            if isinstance(part, FileStart):
                metadata = ingest_pb2.AudioMetadata(
                    filename=part.filename, content_type=part.content_type
                )
                await call.write(ingest_pb2.UploadAudioRequest(metadata=metadata))
            elif part:
                size += len(part)
                if size > settings.max_upload_bytes:
                    raise _too_large(settings.max_upload_bytes)
                await call.write(ingest_pb2.UploadAudioRequest(chunk=part))
        await call.done_writing()
        response: ingest_pb2.UploadAudioResponse = await call
    except BaseException:
        # Cancelling tells ingest to drop what it spooled: no row, no object.
        call.cancel()
        raise
    return audio_out(response.audio_asset)


@router.post("/v1/requests", status_code=201, tags=["requests"])
async def create_request(
    body: CreateRequestIn, request: Request, services: UpstreamDep
) -> RequestOut:
    """Ask for a summary of an uploaded audio file, emailed now or at `send_at`."""
    settings: GatewaySettings = request.app.state.settings
    if body.transcript is not None and len(body.transcript) > settings.max_transcript_chars:
        raise ApiError(
            422,
            "invalid_transcript",
            f"the transcript is longer than {settings.max_transcript_chars} characters",
        )
    message = ingest_pb2.CreateSummaryRequestRequest(email=body.email, audio_id=str(body.audio_id))
    if body.send_at is not None:
        stamp = Timestamp()
        stamp.FromDatetime(body.send_at)
        message.send_at.CopyFrom(stamp)
    if body.transcript is not None:
        message.raw_transcript = body.transcript
    response = await services.ingest.CreateSummaryRequest(
        message, timeout=settings.rpc_timeout_s, metadata=outgoing_metadata()
    )
    return request_out(response.summary_request)


@router.get("/v1/requests/{request_id}", tags=["requests"])
async def get_request(request_id: UUID, request: Request, services: UpstreamDep) -> RequestOut:
    """A request as it stands: status, stage, transcript, summary, delivery, error."""
    settings: GatewaySettings = request.app.state.settings
    response = await services.ingest.GetSummaryRequest(
        ingest_pb2.GetSummaryRequestRequest(id=str(request_id)),
        timeout=settings.rpc_timeout_s,
        metadata=outgoing_metadata(),
    )
    return request_out(response.summary_request)
