"""Receive an upload stream into a spool file: identify, hash and bound it on the way.

A refusal never races the caller's writes: a call refused before its first chunk ends before
the service sends its headers (a caller waits for those before it streams), and one refused
mid-stream reads the rest of the stream (discarding it) before it answers. Ending a call while
the client still writes makes grpc-python report INTERNAL to the client instead of the refusal
(grpc/grpc#36066).
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ingest_svc.upload_gate import UploadTicket
from ingest_svc.validation import check_text
from voice_agent.v1 import ingest_pb2
from voice_core.audio_types import ACCEPTED_DESCRIPTION, SNIFF_BYTES, AudioType, sniff_audio_type
from voice_core.errors import ServiceError, invalid_argument

_MAX_FILENAME_CHARS = 255

Uploads = AsyncIterator[ingest_pb2.UploadAudioRequest]


@dataclass
class SpooledUpload:
    """A finished upload waiting in the spool for its storage backend."""

    path: Path
    filename: str
    audio_type: AudioType
    size_bytes: int
    sha256: str


def _too_large(limit: int) -> ServiceError:
    return invalid_argument(
        "payload_too_large",
        f"the file is larger than the limit of {limit // (1024 * 1024)} MB",
    )


async def read_metadata(requests: Uploads) -> ingest_pb2.AudioMetadata:
    """The upload's first message, checked; the call ends at once if it is refused."""
    first = await anext(requests, None)
    if first is None or first.WhichOneof("payload") != "metadata":
        raise invalid_argument("invalid_upload", "an upload must start with its metadata")
    check_text(first.metadata.filename, "invalid_filename", "the file name")
    return first.metadata


async def spool_upload(
    metadata: ingest_pb2.AudioMetadata,
    requests: Uploads,
    spool_dir: Path,
    max_bytes: int,
    ticket: UploadTicket,
) -> SpooledUpload:
    """Write the rest of the stream to a spool file; on any failure the file is removed."""
    path = spool_dir / f"{uuid.uuid4()}.part"
    digest = hashlib.sha256()
    head = b""
    audio_type: AudioType | None = None
    # Opened here, not in a worker thread: a cancellation arriving while a thread created the
    # file would leave it behind, outside the cleanup below.
    handle = path.open("wb")
    finish: ingest_pb2.UploadFinish | None = None
    try:
        async for message in requests:
            if message.WhichOneof("payload") == "finish":
                finish = message.finish
                break
            chunk = message.chunk
            if ticket.written + len(chunk) > max_bytes:
                raise _too_large(max_bytes)
            if audio_type is None:
                head += chunk[:SNIFF_BYTES]
                if len(head) >= SNIFF_BYTES:
                    audio_type = _identify(head)
            digest.update(chunk)
            await asyncio.to_thread(handle.write, chunk)
            ticket.written += len(chunk)
        size = ticket.written
        if finish is None or finish.size_bytes != size:
            # The stream ended without the sender saying it was done: a client that went away
            # mid-upload looks exactly like this, and a truncated file must not be stored.
            raise invalid_argument("incomplete_upload", "the upload ended before it was finished")
        if size == 0:
            raise invalid_argument("empty_upload", "the file is empty")
        audio_type = audio_type or _identify(head)
    except ServiceError:
        _discard(handle, path)
        await _drain(requests, max_bytes)
        raise
    except BaseException:
        _discard(handle, path)
        raise
    handle.close()
    return SpooledUpload(
        path=path,
        filename=metadata.filename[:_MAX_FILENAME_CHARS],
        audio_type=audio_type,
        size_bytes=size,
        sha256=digest.hexdigest(),
    )


def _discard(handle: BinaryIO, path: Path) -> None:
    # Synchronous on purpose: a cancelled call (the client hung up) may be cancelled again at
    # the next await, and the spool file must go whatever happens.
    handle.close()
    path.unlink(missing_ok=True)


async def _drain(requests: Uploads, max_bytes: int) -> None:
    """Read what the client still sends, writing nothing, so that the refusal reaches it. A
    client that keeps sending past the upload limit is not waited for any longer."""
    drained = 0
    async for message in requests:
        drained += len(message.chunk)
        if message.WhichOneof("payload") == "finish" or drained > max_bytes:
            return


def _identify(head: bytes) -> AudioType:
    audio_type = sniff_audio_type(head)
    if audio_type is None:
        raise invalid_argument(
            "unsupported_media_type",
            f"this file is not audio we can read; accepted formats: {ACCEPTED_DESCRIPTION}",
        )
    return audio_type
