"""IngestService's audio calls, mixed into `IngestServicer`: a file streamed in (admitted
first, spooled, stored with a capability of its own) and streamed back out."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import structlog
from prometheus_client import Counter

from ingest_svc import convert
from ingest_svc.config import IngestSettings
from ingest_svc.repository import IngestRepository
from ingest_svc.storage import AudioStorage
from ingest_svc.upload import SpooledUpload, read_metadata, spool_upload
from ingest_svc.upload_gate import UploadGate
from ingest_svc.validation import parse_uuid
from voice_agent.v1 import ingest_pb2
from voice_core import capabilities
from voice_core.chunks import UPLOAD_LIMIT_HEADER
from voice_core.context import Context
from voice_core.errors import not_found

log = structlog.get_logger("ingest_svc")
STORED_AUDIO = Counter("audio_stored_total", "Audio files stored, by media type.", ["content_type"])
STORED_BYTES = Counter("audio_stored_bytes_total", "Bytes of audio stored.")


def _object_path(asset_id: uuid.UUID, extension: str) -> str:
    # Dated folders keep listings short; the id alone makes the path unique.
    return f"{datetime.now(UTC):%Y/%m/%d}/{asset_id}.{extension}"


class AudioRpcs:
    """The audio RPCs; `IngestServicer` sets the attributes."""

    _settings: IngestSettings
    _repository: IngestRepository
    _storage: AudioStorage
    _gate: UploadGate

    def _upload_limit(self) -> int:
        """The largest file taken: ours, or the storage bucket's if that is smaller."""
        bucket_limit = self._storage.max_object_bytes
        limit = self._settings.max_upload_bytes
        return limit if bucket_limit is None else min(limit, bucket_limit)

    async def UploadAudio(
        self,
        request_iterator: AsyncIterator[ingest_pb2.UploadAudioRequest],
        context: Context,
    ) -> ingest_pb2.UploadAudioResponse:
        metadata = await read_metadata(request_iterator)
        limit = self._upload_limit()
        with self._gate.admit() as ticket:
            # The headers say "admitted": only now does the caller stream the file.
            await context.send_initial_metadata(((UPLOAD_LIMIT_HEADER, str(limit)),))
            upload = await spool_upload(
                metadata, request_iterator, self._storage.spool_dir, limit, ticket
            )
            return await self._store(upload)

    async def _store(self, upload: SpooledUpload) -> ingest_pb2.UploadAudioResponse:
        # Every upload is an asset of its own with its own capability, even of bytes stored
        # before: the hash dedups transcripts, never who may use a file.
        asset_id = uuid.uuid4()
        upload_token = capabilities.new_token()
        object_path = _object_path(asset_id, upload.audio_type.extension)
        try:
            await self._storage.put(upload.path, object_path, upload.audio_type.content_type)
            row = await self._repository.insert_audio(
                asset_id=asset_id,
                storage_backend=self._storage.backend,
                storage_path=object_path,
                filename=upload.filename,
                content_type=upload.audio_type.content_type,
                size_bytes=upload.size_bytes,
                sha256=upload.sha256,
                upload_token_hash=capabilities.token_hash(upload_token),
            )
        except BaseException:
            # No row, no object, no spool file: never leave an orphan behind. Shielded, so
            # that a cancelled call (the caller gone) still finishes cleaning up.
            upload.path.unlink(missing_ok=True)
            await asyncio.shield(self._storage.delete(object_path))
            raise
        STORED_AUDIO.labels(upload.audio_type.content_type).inc()
        STORED_BYTES.inc(upload.size_bytes)
        log.info("audio stored", audio_id=str(asset_id), size_bytes=upload.size_bytes)
        return ingest_pb2.UploadAudioResponse(
            audio_asset=convert.audio_asset(row), upload_token=upload_token
        )

    async def ReadAudio(
        self, request: ingest_pb2.ReadAudioRequest, context: Context
    ) -> AsyncIterator[ingest_pb2.ReadAudioResponse]:
        row = await self._repository.get_audio(parse_uuid(request.audio_id, "audio_id"))
        if row is None:
            raise not_found("audio_not_found", f"no audio with id {request.audio_id}")
        yield ingest_pb2.ReadAudioResponse(audio_asset=convert.audio_asset(row))
        async for chunk in self._storage.read(row["storage_path"]):
            yield ingest_pb2.ReadAudioResponse(chunk=chunk)
