"""Where audio bytes live: a local folder (default) or a Supabase Storage bucket.

Uploads are first streamed to a spool file (hashing and size-checking on the way); a
backend then takes the finished file with `put`. Either way nothing partial is ever visible
under an object path, and an object is never overwritten. The Supabase backend lives in
`ingest_svc.supabase_storage`.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Protocol

from voice_core.chunks import iter_file_chunks
from voice_core.errors import not_found, unavailable


class AudioStorage(Protocol):
    """A place to put finished audio files and read them back."""

    backend: str
    spool_dir: Path
    # The largest object the storage takes (a bucket's limit), known after `check`; None: any.
    max_object_bytes: int | None

    async def check(self) -> None:
        """Fail with a clear error if the storage cannot be used."""

    async def put(self, spooled: Path, object_path: str, content_type: str) -> None:
        """Store a finished spool file under `object_path` (the spool file is consumed)."""

    def read(self, object_path: str) -> AsyncIterator[bytes]:
        """The stored bytes, in chunks."""

    async def delete(self, object_path: str) -> None:
        """Remove an object; missing objects are fine."""

    async def close(self) -> None:
        """Release connections (at service stop)."""


class LocalStorage:
    """Files under one folder; the spool lives inside it so that `put` is an atomic rename."""

    backend = "local"
    max_object_bytes: int | None = None

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.spool_dir = self.root / ".spool"

    async def check(self) -> None:
        await asyncio.to_thread(self.spool_dir.mkdir, parents=True, exist_ok=True)
        if not os.access(self.root, os.W_OK):
            raise unavailable("storage_unwritable", f"audio folder {self.root} is not writable")

    def _path(self, object_path: str) -> Path:
        return self.root / object_path

    async def put(self, spooled: Path, object_path: str, content_type: str) -> None:
        target = self._path(object_path)
        await asyncio.to_thread(target.parent.mkdir, parents=True, exist_ok=True)
        # os.link fails if the target exists: no silent overwrite.
        await asyncio.to_thread(os.link, spooled, target)
        await asyncio.to_thread(spooled.unlink)

    async def read(self, object_path: str) -> AsyncIterator[bytes]:
        path = self._path(object_path)
        if not path.is_file():
            raise not_found("audio_missing", "the stored audio file is missing")
        async for chunk in iter_file_chunks(path):
            yield chunk

    async def delete(self, object_path: str) -> None:
        await asyncio.to_thread(self._path(object_path).unlink, missing_ok=True)

    async def close(self) -> None:
        return None
