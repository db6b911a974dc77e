"""Receive an upload stream into a spool file: identify, hash and bound it on the way."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from ingest_svc.audio_types import ACCEPTED_DESCRIPTION, SNIFF_BYTES, AudioType, sniff_audio_type
from voice_agent.v1 import ingest_pb2
from voice_core.errors import ServiceError, invalid_argument


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


async def spool_upload(
    requests: AsyncIterator[ingest_pb2.UploadAudioRequest], spool_dir: Path, max_bytes: int
) -> SpooledUpload:
    """Write the stream to a spool file; on any failure the file is removed."""
    first = await anext(requests, None)
    if first is None or first.WhichOneof("payload") != "metadata":
        raise invalid_argument("invalid_upload", "an upload must start with its metadata")
    path = spool_dir / f"{uuid.uuid4()}.part"
    digest = hashlib.sha256()
    size = 0
    head = b""
    audio_type: AudioType | None = None
    handle = await asyncio.to_thread(path.open, "wb")
    try:
        async for message in requests:
            chunk = message.chunk
            size += len(chunk)
            if size > max_bytes:
                raise _too_large(max_bytes)
            if audio_type is None:
                head += chunk[:SNIFF_BYTES]
                if len(head) >= SNIFF_BYTES:
                    audio_type = _identify(head)
            digest.update(chunk)
            await asyncio.to_thread(handle.write, chunk)
        if size == 0:
            raise invalid_argument("empty_upload", "the file is empty")
        audio_type = audio_type or _identify(head)
    except BaseException:
        await asyncio.to_thread(handle.close)
        await asyncio.to_thread(path.unlink, missing_ok=True)
        raise
    await asyncio.to_thread(handle.close)
    return SpooledUpload(
        path=path,
        filename=first.metadata.filename[:255],
        audio_type=audio_type,
        size_bytes=size,
        sha256=digest.hexdigest(),
    )


def _identify(head: bytes) -> AudioType:
    audio_type = sniff_audio_type(head)
    if audio_type is None:
        raise invalid_argument(
            "unsupported_media_type",
            f"this file is not audio we can read; accepted formats: {ACCEPTED_DESCRIPTION}",
        )
    return audio_type
