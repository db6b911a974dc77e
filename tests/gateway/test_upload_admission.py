"""Uploads are admitted by ingest before the file travels: busy slots and a full spool answer
503 with Retry-After, and a refusal mid-stream is heard as itself (never a 500 from a write
that raced it)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from gateway.app import create_app
from gateway.config import GatewaySettings
from ingest_svc.app import IngestApp
from ingest_svc.config import IngestSettings
from tests.gateway.http import assert_error, client_for, upload
from tests.support import JFK_FLAC, TEST_TOKEN, client_channel, count_rows, running
from voice_agent.v1 import ingest_pb2, ingest_pb2_grpc
from voice_core.chunks import UPLOAD_LIMIT_HEADER


async def _api(
    ingest: IngestSettings, uploads_burst: int = 5
) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    async with running(IngestApp(ingest)) as address:
        gateway = GatewaySettings(
            ingest_addr=address,
            internal_auth_token=SecretStr(TEST_TOKEN),
            rate_limit_uploads_burst=uploads_burst,
        )
        async for client in client_for(create_app(gateway)):
            yield client, address


@pytest.fixture
async def one_slot(clean_db: str, tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    settings = IngestSettings(
        database_url=SecretStr(clean_db), audio_dir=tmp_path / "audio", upload_slots=1
    )
    async for pair in _api(settings):
        yield pair


async def test_uploads_past_the_slots_get_503_with_retry_after(
    one_slot: tuple[httpx.AsyncClient, str],
) -> None:
    api, address = one_slot
    async with client_channel(address) as channel:
        holder = ingest_pb2_grpc.IngestServiceStub(channel).UploadAudio()
        metadata = ingest_pb2.AudioMetadata(filename="slow.flac", content_type="audio/flac")
        await holder.write(ingest_pb2.UploadAudioRequest(metadata=metadata))
        # Admitted: the headers say how large a file may be.
        assert dict(await holder.initial_metadata())[UPLOAD_LIMIT_HEADER] == str(128 * 2**20)

        refused = await upload(api, JFK_FLAC.read_bytes())
        assert_error(refused, 503, "uploads_busy")
        assert int(refused.headers["retry-after"]) >= 1

        holder.cancel()
    # The slot is back once the first upload is gone.
    assert (await upload(api, JFK_FLAC.read_bytes())).status_code == 201


async def test_a_nearly_full_spool_gets_503_before_anything_is_written(
    clean_db: str, tmp_path: Path
) -> None:
    settings = IngestSettings(
        database_url=SecretStr(clean_db), audio_dir=tmp_path / "audio", spool_min_free_bytes=2**62
    )
    async for api, _ in _api(settings):
        refused = await upload(api, JFK_FLAC.read_bytes())
        assert_error(refused, 503, "spool_full")
        assert int(refused.headers["retry-after"]) >= 1
    assert [p for p in (tmp_path / "audio").rglob("*") if p.is_file()] == []
    assert count_rows(clean_db, "audio_assets") == 0


@pytest.mark.parametrize("size", [21, 64 * 1024, 1024 * 1024])
async def test_text_sent_as_audio_is_415_every_time(
    size: int, clean_db: str, tmp_path: Path
) -> None:
    """Ingest refuses after the first bytes while the gateway may still be sending: the answer
    is the refusal, every time (it once was a 500 when a write raced it)."""
    data = (b"plain text, not audio " * (size // 22 + 1))[:size]
    settings = IngestSettings(database_url=SecretStr(clean_db), audio_dir=tmp_path / "audio")
    async for api, _ in _api(settings, uploads_burst=1000):
        for _ in range(30):
            response = await api.post("/v1/audio", files={"file": ("a.txt", data, "audio/wav")})
            assert_error(response, 415, "unsupported_media_type")
