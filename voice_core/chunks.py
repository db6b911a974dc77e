"""Reading files in chunks without blocking the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

# Audio travels in 64 KiB chunks: big enough to be cheap per message, small enough to stream.
CHUNK_BYTES = 64 * 1024
# Upload streams (IngestService.UploadAudio): the server sends its headers once it admits the
# upload, with the largest file it takes; the client waits for them before it streams the file.
UPLOAD_LIMIT_HEADER = "x-upload-limit-bytes"


async def iter_file_chunks(path: Path, chunk_bytes: int = CHUNK_BYTES) -> AsyncIterator[bytes]:
    """Yield a file's bytes in chunks; each blocking read runs in a worker thread."""
    handle = await asyncio.to_thread(path.open, "rb")
    try:
        while chunk := await asyncio.to_thread(handle.read, chunk_bytes):
            yield chunk
    finally:
        await asyncio.to_thread(handle.close)
