"""The summary email's attachments: the whole transcript, as `transcript.txt` and, when it was
transcribed with timings, `transcript.srt` and `transcript.vtt`.

The files are made by `voice_core.transcript_files`, the same code as the downloads at
`GET /v1/requests/{id}/transcript.{format}`, so the email and the status page give the same
files. Mailjet refuses a message over 15 MB, and attachments travel in base64 (a third more):
the files go in, `.txt` first, only while they fit in `MAX_ATTACHMENT_BYTES`; one that does not
fit is left out (the status page still has it). A two-hour note's three files take under 1 MB.
"""

from __future__ import annotations

from collections.abc import Sequence

from voice_agent.v1 import types_pb2
from voice_core.transcript_files import TimedText, TranscriptFile, render_all

# 10 MiB of files is 13.3 MiB in base64: the summary and its headers fit in the rest of 15 MB.
MAX_ATTACHMENT_BYTES = 10 * 2**20


def transcript_attachments(
    transcript: str,
    segments: Sequence[types_pb2.TranscriptSegment],
    budget_bytes: int = MAX_ATTACHMENT_BYTES,
) -> tuple[TranscriptFile, ...]:
    """The transcript's files that fit in `budget_bytes`, `.txt` first; none without one."""
    timed = [TimedText(s.start_s, s.end_s, s.text) for s in segments]
    attached = []
    for file in render_all(transcript, timed):
        if len(file.content) <= budget_bytes:
            attached.append(file)
            budget_bytes -= len(file.content)
    return tuple(attached)
