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
import httpx
import pytest
from pydantic import SecretStr

from devstack.processes import ServiceProcess
from gateway.app import create_app
from gateway.config import GatewaySettings
from ingest_svc import supabase_storage
from ingest_svc.app import IngestApp
from ingest_svc.config import IngestSettings
from ingest_svc.supabase_storage import SupabaseStorage
from tests.fakes.supabase_storage import ANON_KEY, SERVICE_ROLE_KEY, Bucket, FakeSupabaseStorage
from tests.gateway.http import assert_error, client_for, upload
from tests.ingest_svc.test_server import upload_messages
from tests.support import JFK_FLAC, TEST_TOKEN, client_channel, count_rows, running
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
        database_url=SecretStr(clean_db),
        audio_dir=tmp_path / "audio",
        storage_backend="supabase",
        supabase_url=fake_storage.url,
        supabase_service_role_key=SecretStr(SERVICE_ROLE_KEY),
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


# --- answers as the real server gives them ------------------------------------------------


async def test_the_fake_answers_errors_as_storage_api_does(
    fake_storage: FakeSupabaseStorage,
) -> None:
    """HTTP 400, the real status as a string and a `code`; a wrong route is a plain 404."""
    headers = {"apikey": SERVICE_ROLE_KEY, "Authorization": f"Bearer {SERVICE_ROLE_KEY}"}
    async with httpx.AsyncClient(base_url=fake_storage.url, headers=headers) as client:
        missing = await client.get("/storage/v1/object/authenticated/voice-audio/a/b.ogg")
        route = await client.get("/storage/v1/storage/v1/bucket/voice-audio")
        expired = {"Authorization": "Bearer expired"}
        anonymous = await client.get("/storage/v1/object/voice-audio/a/b.ogg", headers=expired)
        denied = await client.get(
            "/storage/v1/object/authenticated/voice-audio/a/b.ogg", headers=expired
        )
    assert (missing.status_code, missing.json()) == (
        400,
        {
            "statusCode": "404",
            "code": "NoSuchKey",
            "error": "not_found",
            "message": "Object not found",
        },
    )
    assert (route.status_code, route.json()["statusCode"]) == (404, 404)
    assert route.json()["message"] == "Route GET:/storage/v1/bucket/voice-audio not found"
    # The plain route takes a bad token for an anonymous caller: the private bucket "is not".
    assert anonymous.json()["code"] == "NoSuchBucket"
    assert (denied.status_code, denied.json()["code"]) == (400, "AccessDenied")


async def test_an_expired_key_on_read_is_a_configuration_fault_not_missing_audio(
    storage: SupabaseStorage, fake_storage: FakeSupabaseStorage, tmp_path: Path
) -> None:
    (tmp_path / "audio").write_bytes(b"fLaC audio")
    await storage.put(tmp_path / "audio", "2026/01/01/a.flac", "audio/flac")
    fake_storage.expire(SERVICE_ROLE_KEY)
    with pytest.raises(ServiceError) as caught:
        await read_all(storage, "2026/01/01/a.flac")
    # UNAVAILABLE: the request waits for a working key instead of failing for good.
    assert caught.value.code is grpc.StatusCode.UNAVAILABLE
    assert caught.value.reason == "storage_key_rejected"


async def test_a_bucket_gone_after_start_is_not_missing_audio(
    storage: SupabaseStorage, fake_storage: FakeSupabaseStorage
) -> None:
    fake_storage.buckets.clear()
    with pytest.raises(ServiceError) as caught:
        await read_all(storage, "2026/01/01/a.flac")
    assert caught.value.code is grpc.StatusCode.UNAVAILABLE
    assert caught.value.reason == "storage_bucket_missing"


async def test_a_supabase_url_with_a_path_is_told_apart_from_a_missing_bucket(
    fake_storage: FakeSupabaseStorage, tmp_path: Path
) -> None:
    url = f"{fake_storage.url}/storage/v1"
    storage = SupabaseStorage(url, SERVICE_ROLE_KEY, "voice-audio", tmp_path / "spool")
    with pytest.raises(ServiceError) as caught:
        await storage.check()
    await storage.close()
    assert caught.value.reason == "storage_url_wrong"
    assert "SUPABASE_URL" in caught.value.message
    assert "without a path such as /storage/v1" in caught.value.message


async def test_the_buckets_size_limit_is_read_at_start(tmp_path: Path) -> None:
    buckets = {"voice-audio": Bucket(file_size_limit=MB)}
    with FakeSupabaseStorage(tmp_path / "s", buckets) as fake:
        storage = SupabaseStorage(fake.url, SERVICE_ROLE_KEY, "voice-audio", tmp_path / "spool")
        await storage.check()
        await storage.close()
    assert storage.max_object_bytes == MB


async def test_a_file_over_the_servers_own_limit_is_refused_as_too_large(
    storage: SupabaseStorage, fake_storage: FakeSupabaseStorage, tmp_path: Path
) -> None:
    """No bucket limit: Storage's own (50 MiB) applies, after the body was sent."""
    spooled = spool_file(tmp_path / "spool", 51 * MB)
    with pytest.raises(ServiceError) as caught:
        await storage.put(spooled, "a/big.wav", "audio/wav")
    assert caught.value.reason == "payload_too_large"
    assert fake_storage.names() == []


@pytest.mark.parametrize("path", ["a/../b.wav", "a/./b.wav", "a/é.wav", "a/100%.wav", "a/#.wav"])
async def test_a_key_storage_refuses_fails_for_good_before_anything_is_sent(
    storage: SupabaseStorage, fake_storage: FakeSupabaseStorage, tmp_path: Path, path: str
) -> None:
    (tmp_path / "audio").write_bytes(b"RIFF....WAVE")
    for attempt in (
        storage.put(tmp_path / "audio", path, "audio/wav"),
        read_all(storage, path),
    ):
        with pytest.raises(ServiceError) as caught:
            await attempt
        # A permanent failure (never a ValueError, never UNAVAILABLE to be retried forever).
        assert caught.value.code is grpc.StatusCode.FAILED_PRECONDITION
        assert caught.value.reason == "storage_invalid_key"
    assert fake_storage.upload_requests == 0


async def test_storage_refusing_a_key_is_permanent(
    storage: SupabaseStorage,
    fake_storage: FakeSupabaseStorage,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Were our own check ever to let a key through, Storage's InvalidKey is still final."""
    monkeypatch.setattr(supabase_storage, "storage_key", lambda path: path)
    (tmp_path / "audio").write_bytes(b"RIFF....WAVE")
    with pytest.raises(ServiceError) as caught:
        await storage.put(tmp_path / "audio", "a/é.wav", "audio/wav")
    assert caught.value.code is grpc.StatusCode.FAILED_PRECONDITION
    assert caught.value.reason == "storage_invalid_key"
    assert fake_storage.upload_requests == 1


async def test_upload_and_read_agree_on_keys_with_empty_segments(
    storage: SupabaseStorage, fake_storage: FakeSupabaseStorage, tmp_path: Path
) -> None:
    (tmp_path / "audio").write_bytes(b"OggS audio")
    await storage.put(tmp_path / "audio", "2026//01/a.ogg", "audio/ogg")
    assert fake_storage.names() == ["2026/01/a.ogg"]
    assert await read_all(storage, "2026//01/a.ogg") == b"OggS audio"
    await storage.delete("2026//01/a.ogg")
    assert fake_storage.names() == []


async def test_the_gateway_refuses_a_file_over_the_buckets_limit_before_it_travels(
    clean_db: str, tmp_path: Path
) -> None:
    buckets = {"voice-audio": Bucket(file_size_limit=MB)}
    with FakeSupabaseStorage(tmp_path / "s", buckets) as fake:
        settings = IngestSettings(
            database_url=SecretStr(clean_db),
            audio_dir=tmp_path / "audio",
            storage_backend="supabase",
            supabase_url=fake.url,
            supabase_service_role_key=SecretStr(SERVICE_ROLE_KEY),
        )
        async with running(IngestApp(settings)) as address:
            app = create_app(
                GatewaySettings(ingest_addr=address, internal_auth_token=SecretStr(TEST_TOKEN))
            )
            async for api in client_for(app):
                response = await upload(api, os.urandom(2 * MB), name="big.flac")
                assert_error(response, 413, "payload_too_large")
                assert "larger than 1 MB" in response.json()["error"]["message"]
    assert fake.upload_requests == 0
    assert count_rows(clean_db, "audio_assets") == 0
