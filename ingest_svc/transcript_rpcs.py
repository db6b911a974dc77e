"""IngestService's transcript downloads: a request's transcript as `.txt`, `.srt` or `.vtt`.

Ingest owns the requests and reads the transcripts they use, so the files are made here, from
the stored text and Whisper's segments, by the same code that attaches them to the summary
email (`voice_core.transcript_files`). The caller needs the request's capability, exactly as
for GetSummaryJob.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from ingest_svc.convert import TRANSCRIPT_FORMATS
from ingest_svc.repository import IngestRepository
from voice_agent.v1 import ingest_pb2
from voice_core.context import Context
from voice_core.errors import invalid_argument, not_found
from voice_core.public_errors import public_message
from voice_core.states import TranscriptSource
from voice_core.transcript_files import TIMED_FORMATS, TimedText, render

# The proto's formats, read back (convert names them for SummaryJob.transcript_formats).
_FORMATS = {proto: kind for kind, proto in TRANSCRIPT_FORMATS.items()}


class TranscriptRpcs:
    """The transcript RPC, mixed into `IngestServicer` (which provides these two)."""

    _repository: IngestRepository
    _authorize: Callable[[str, str], Awaitable[uuid.UUID]]

    async def GetTranscriptFile(
        self, request: ingest_pb2.GetTranscriptFileRequest, context: Context
    ) -> ingest_pb2.GetTranscriptFileResponse:
        transcript_format = _FORMATS.get(request.format)
        if transcript_format is None:
            raise invalid_argument("invalid_format", "format must be txt, srt or vtt")
        summary_request_id = await self._authorize(request.id, request.access_token)
        row = await self._repository.get_transcript(summary_request_id)
        if row is None:
            raise not_found("request_not_found", public_message("request_not_found"))
        if row["transcript_source"] is None:
            raise not_found("transcript_not_ready", public_message("transcript_not_ready"))
        text, segments = _stored(row)
        # A long note has thousands of segments: formatting them is CPU work, off the loop.
        made = await asyncio.to_thread(render, transcript_format, text, segments)
        if made is None:
            # Text without timings has no subtitles; no words at all (no speech) have no file.
            timed_only = transcript_format in TIMED_FORMATS and text.strip()
            code = "transcript_format_unavailable" if timed_only else "transcript_not_ready"
            raise not_found(code, public_message(code))
        return ingest_pb2.GetTranscriptFileResponse(
            filename=made.filename, media_type=made.media_type, content=made.content
        )


def _stored(row: dict[str, Any]) -> tuple[str, list[TimedText]]:
    """The request's transcript: its raw text (no timings), or the stored text and segments."""
    if row["transcript_source"] == TranscriptSource.RAW:
        return row["raw_transcript"] or "", []
    segments = [
        TimedText(float(s["start"]), float(s["end"]), str(s["text"])) for s in row["segments"] or []
    ]
    return row["text"] or "", segments
