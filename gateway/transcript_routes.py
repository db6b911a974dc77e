"""`/v1/requests/{id}/transcript.{txt,srt,vtt}`: a request's transcript as a file to keep.

The same capability as `GET /v1/requests/{id}` (`Authorization: Bearer`), and the same 404
for an unknown id and a wrong token. Ingest, which owns the requests, makes the file; the
gateway passes it on as a download.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response

from gateway.capability import AccessTokenDep
from gateway.dependencies import SettingsDep, UpstreamDep
from gateway.schemas import error_responses
from voice_agent.v1 import ingest_pb2
from voice_core.request_json import TranscriptFileFormat

router = APIRouter(tags=["requests"])

_FILE = {"schema": {"type": "string"}}
_DOWNLOAD: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The file, as an attachment (`Content-Disposition`).",
        "content": {"text/plain": _FILE, "application/x-subrip": _FILE, "text/vtt": _FILE},
        "headers": {
            "Content-Disposition": {
                "description": 'attachment; filename="transcript.<format>"',
                "schema": {"type": "string"},
            }
        },
    },
    **error_responses(401, 404, 422, 503),
}


@router.get(
    "/v1/requests/{request_id}/transcript.{transcript_format}",
    response_class=Response,
    responses=_DOWNLOAD,
)
async def download_transcript(
    request_id: UUID,
    transcript_format: TranscriptFileFormat,
    access_token: AccessTokenDep,
    services: UpstreamDep,
    settings: SettingsDep,
) -> Response:
    """The request's transcript as `transcript.txt`, or as subtitles timed by Whisper's
    segments: `transcript.srt` (SubRip) or `transcript.vtt` (WebVTT). `transcript.formats` in
    the request lists those it has. 404 `transcript_not_ready` before it has a transcript;
    404 `transcript_format_unavailable` for subtitles of a transcript without timings (one
    given as text)."""
    response = await services.ingest.GetTranscriptFile(
        ingest_pb2.GetTranscriptFileRequest(
            id=str(request_id),
            access_token=access_token,
            # "srt" → TRANSCRIPT_FORMAT_SRT (Buf STANDARD names: the enum's name as prefix).
            format=ingest_pb2.TranscriptFormat.Value(
                f"TRANSCRIPT_FORMAT_{transcript_format.upper()}"
            ),
        ),
        timeout=settings.rpc_timeout_s,
    )
    return Response(
        content=response.content,
        media_type=response.media_type,
        # The name is ours ("transcript.srt"), never the caller's: nothing to quote or escape.
        headers={"Content-Disposition": f'attachment; filename="{response.filename}"'},
    )
