"""A transcription call's upload: its options, then the audio file spooled to disk if large."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from typing import IO

import structlog

from voice_agent.v1 import transcribe_pb2
from voice_core.errors import invalid_argument

log = structlog.get_logger("transcribe_svc")
# Audio up to this size is held in memory; larger uploads spill to a temporary file.
_SPOOL_IN_MEMORY_BYTES = 16 * 1024 * 1024
# A Transcribe or TranscribeStream message: options first (optional), then the file's bytes.
Upload = transcribe_pb2.TranscribeRequest | transcribe_pb2.TranscribeStreamRequest


async def read_options(
    messages: AsyncIterator[Upload],
) -> tuple[transcribe_pb2.TranscribeOptions, list[bytes]]:
    """The call's options (read before a slot is reserved: whether it is a chunk decides how
    it may wait), and the first bytes if the client sent no options."""
    async for message in messages:
        if message.WhichOneof("payload") == "options":
            return message.options, []
        return transcribe_pb2.TranscribeOptions(), [message.chunk]
    return transcribe_pb2.TranscribeOptions(), []


async def receive_audio(messages: AsyncIterator[Upload], first: list[bytes]) -> IO[bytes]:
    """The uploaded audio rewound to its start, spooled to disk when large."""
    audio = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY_BYTES)  # noqa: SIM115
    try:
        for chunk in first:
            audio.write(chunk)
        async for message in messages:
            if message.WhichOneof("payload") == "chunk":
                audio.write(message.chunk)
        if audio.tell() == 0:
            raise invalid_argument("audio_empty", "no audio bytes were sent")
        log.info("audio received", audio_bytes=audio.tell())
    except BaseException:
        audio.close()
        raise
    audio.seek(0)
    return audio
