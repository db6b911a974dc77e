"""STORAGE_BACKEND=supabase: the real `supabase` client and httpx against a local Storage API."""

from __future__ import annotations

import hashlib
import os
import tracemalloc
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import grpc
import pytest

from devstack.processes import ServiceProcess
from ingest_svc.config import IngestSettings
from ingest_svc.server import IngestApp
from ingest_svc.supabase_storage import SupabaseStorage
from tests.fakes.supabase_storage import ANON_KEY, SERVICE_ROLE_KEY, Bucket, FakeSupabaseStorage
from tests.ingest_svc.test_server import upload_messages
from tests.support import JFK_FLAC, client_channel, count_rows, running
from voice_agent.v1 import ingest_pb2, ingest_pb2_grpc
from voice_core.errors import ServiceError, read_rpc_error

if TYPE_CHECKING:
    Stub = ingest_pb2_grpc.IngestServiceAsyncStub

MB = 1024 * 1024


@pytest.fixture
def fake_storage(tmp_path: Path) -> Iterator[FakeSupabaseStorage]:
    with FakeSupabaseStorage(tmp_path / "supabase") as fake:
        yield fake


@pytest.fixture
async def storage(
    fake_storage: FakeSupabaseStorage, tmp_path: Path
) -> AsyncIterator[SupabaseStorage]:
    storage = SupabaseStorage(fake_storage.url, SERVICE_ROLE_KEY, "voice-audio", tmp_path / "spool")
    await storage.check()
    yield storage
    await storage.close()


def spool_file(directory: Path, size: int) -> Path:
    """A spool file of `size` random bytes, written in 1 MB pieces."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "upload.part"
    with path.open("wb") as handle:
        for _ in range(size // MB):
            handle.write(os.urandom(MB))
    return path


async def read_all(storage: SupabaseStorage, object_path: str) -> bytes:
    return b"".join([chunk async for chunk in storage.read(object_path)])


async def test_25_mb_round_trip_streams_with_bounded_memory(
    storage: SupabaseStorage, fake_storage: FakeSupabaseStorage, tmp_path: Path
) -> None:
    spooled = spool_file(tmp_path / "spool", 25 * MB)
    expected = hashlib.sha256(spooled.read_bytes()).hexdigest()

    tracemalloc.start()
    try:
        await storage.put(spooled, "2026/11/27/big.webm", "audio/webm")
        digest = hashlib.sha256()
        async for chunk in storage.read("2026/11/27/big.webm"):
            digest.update(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert digest.hexdigest() == expected
    # Both ways the file passes in chunks: never anywhere near its 25 MB in memory.
    assert peak < 5 * MB, f"peak {peak / MB:.1f} MB"
    stored = fake_storage.objects[("voice-audio", "2026/11/27/big.webm")]
    assert stored.content_type == "audio/webm"
    assert stored.size == 25 * MB
    assert not spooled.exists()


async def test_an_object_is_never_replaced(
    storage: SupabaseStorage, fake_storage: FakeSupabaseStorage, tmp_path: Path
) -> None:
    (tmp_path / "first").write_bytes(b"first")
    (tmp_path / "second").write_bytes(b"second")
    await storage.put(tmp_path / "first", "a/note.ogg", "audio/ogg")
    with pytest.raises(ServiceError) as caught:
        await storage.put(tmp_path / "second", "a/note.ogg", "audio/ogg")
    assert caught.value.code is grpc.StatusCode.ALREADY_EXISTS
    assert await read_all(storage, "a/note.ogg") == b"first"


async def test_a_missing_object_reads_as_missing_audio(storage: SupabaseStorage) -> None:
    with pytest.raises(ServiceError) as caught:
        await read_all(storage, "2026/01/01/gone.flac")
    assert caught.value.code is grpc.StatusCode.NOT_FOUND
    assert caught.value.reason == "audio_missing"


async def test_a_file_over_the_buckets_limit_is_refused_as_too_large(tmp_path: Path) -> None:
    with FakeSupabaseStorage(tmp_path / "s", {"voice-audio": Bucket(file_size_limit=4)}) as fake:
        storage = SupabaseStorage(fake.url, SERVICE_ROLE_KEY, "voice-audio", tmp_path / "spool")
        await storage.check()
        (tmp_path / "audio").write_bytes(b"12345")
        with pytest.raises(ServiceError) as caught:
            await storage.put(tmp_path / "audio", "a/b.wav", "audio/wav")
        await storage.close()
    assert caught.value.reason == "payload_too_large"
    assert fake.names() == []


@pytest.mark.parametrize(
    ("key", "buckets", "reason", "hint"),
    [
        ("not-a-key", None, "storage_key_rejected", "service_role key"),
        (ANON_KEY, None, "storage_bucket_missing", "service_role key"),
        (SERVICE_ROLE_KEY, {}, "storage_bucket_missing", "named exactly 'voice-audio'"),
    ],
    ids=["wrong key", "anon key", "no bucket"],
)
async def test_start_up_check_says_what_to_fix(
    key: str, buckets: dict[str, Bucket] | None, reason: str, hint: str, tmp_path: Path
) -> None:
    with FakeSupabaseStorage(tmp_path / "s", buckets) as fake:
        storage = SupabaseStorage(fake.url, key, "voice-audio", tmp_path / "spool")
        with pytest.raises(ServiceError) as caught:
            await storage.check()
        await storage.close()
    assert caught.value.reason == reason
    assert hint in caught.value.message


def test_ingest_with_a_wrong_key_stops_at_start_saying_so(
    fake_storage: FakeSupabaseStorage, clean_db: str
) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": clean_db,
        "INGEST_PORT": "0",
        "INTERNAL_AUTH_TOKEN": "test-internal-token",
        "STORAGE_BACKEND": "supabase",
        "SUPABASE_URL": fake_storage.url,
        "SUPABASE_SERVICE_ROLE_KEY": "not-the-service-role-key",
    }
    process = ServiceProcess.python_module("ingest", "ingest_svc", env)
    try:
        status = process.popen.wait(timeout=60)
    finally:
        process.stop()
    assert status == 1
    assert '"reason": "storage_key_rejected"' in process.output()
    assert "Supabase refused SUPABASE_SERVICE_ROLE_KEY" in process.output()


@pytest.fixture
async def ingest(
    clean_db: str, fake_storage: FakeSupabaseStorage, tmp_path: Path
) -> AsyncIterator[Stub]:
    settings = IngestSettings(
        database_url=clean_db,
        audio_dir=tmp_path / "audio",
        storage_backend="supabase",
        supabase_url=fake_storage.url,
        supabase_service_role_key=SERVICE_ROLE_KEY,
    )
    async with running(IngestApp(settings)) as address, client_channel(address) as ch:
        yield ingest_pb2_grpc.IngestServiceStub(ch)


async def test_upload_lands_under_a_dated_path_with_its_content_type(
    ingest: Stub, fake_storage: FakeSupabaseStorage
) -> None:
    data = JFK_FLAC.read_bytes()
    asset = (await ingest.UploadAudio(upload_messages(data))).audio_asset

    (name,) = fake_storage.names()
    assert name == f"{datetime.now(UTC):%Y/%m/%d}/{asset.id}.flac"
    assert fake_storage.objects[("voice-audio", name)].content_type == "audio/flac"
    messages = [m async for m in ingest.ReadAudio(ingest_pb2.ReadAudioRequest(audio_id=asset.id))]
    assert b"".join(m.chunk for m in messages[1:]) == data


@pytest.mark.parametrize("stored", [False, True], ids=["broken midway", "answer lost"])
async def test_failed_upload_leaves_no_row_and_no_object(
    stored: bool, ingest: Stub, fake_storage: FakeSupabaseStorage, clean_db: str, tmp_path: Path
) -> None:
    fake_storage.break_next_upload(stored=stored)
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await ingest.UploadAudio(upload_messages(JFK_FLAC.read_bytes()))

    error = read_rpc_error(caught.value)
    assert error.code is grpc.StatusCode.UNAVAILABLE
    assert error.reason == "storage_unavailable"
    assert count_rows(clean_db, "audio_assets") == 0
    assert fake_storage.names() == []
    assert list((tmp_path / "audio" / ".spool").iterdir()) == []
