"""IngestService over real gRPC with a real Postgres and a local audio folder."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from pydantic import SecretStr

from ingest_svc.app import IngestApp
from ingest_svc.config import IngestSettings
from tests.support import JFK_FLAC, client_channel, count_rows, running
from voice_agent.v1 import ingest_pb2, ingest_pb2_grpc
from voice_core.errors import read_rpc_error


def upload_messages(
    data: bytes, chunk: int = 16_384, *, finished: bool = True
) -> Iterator[ingest_pb2.UploadAudioRequest]:
    yield ingest_pb2.UploadAudioRequest(
        metadata=ingest_pb2.AudioMetadata(filename="note.flac", content_type="audio/flac")
    )
    for start in range(0, len(data), chunk):
        yield ingest_pb2.UploadAudioRequest(chunk=data[start : start + chunk])
    if finished:
        yield ingest_pb2.UploadAudioRequest(finish=ingest_pb2.UploadFinish(size_bytes=len(data)))


@pytest.fixture
async def ingest(
    clean_db: str, tmp_path: Path
) -> AsyncIterator[ingest_pb2_grpc.IngestServiceAsyncStub]:
    # Double opt-in has tests of its own (tests/e2e/test_recipient_attacks.py).
    settings = IngestSettings(
        database_url=SecretStr(clean_db), audio_dir=tmp_path / "audio", recipient_confirmation="off"
    )
    async with (
        running(IngestApp(settings)) as address,
        client_channel(address) as channel,
    ):
        yield ingest_pb2_grpc.IngestServiceStub(channel)


async def upload(
    stub: ingest_pb2_grpc.IngestServiceAsyncStub, data: bytes
) -> ingest_pb2.AudioAsset:
    response = await stub.UploadAudio(upload_messages(data))
    return response.audio_asset


async def uploaded(
    stub: ingest_pb2_grpc.IngestServiceAsyncStub, data: bytes
) -> ingest_pb2.UploadAudioResponse:
    """An upload's answer: the asset and its capability."""
    response: ingest_pb2.UploadAudioResponse = await stub.UploadAudio(upload_messages(data))
    return response


async def test_upload_stores_bytes_and_reads_them_back(
    ingest: ingest_pb2_grpc.IngestServiceAsyncStub,
) -> None:
    data = JFK_FLAC.read_bytes()
    asset = await upload(ingest, data)
    assert asset.sha256 == hashlib.sha256(data).hexdigest()
    assert asset.size_bytes == len(data)
    assert asset.content_type == "audio/flac"
    assert asset.filename == "note.flac"

    messages = [m async for m in ingest.ReadAudio(ingest_pb2.ReadAudioRequest(audio_id=asset.id))]
    assert messages[0].audio_asset.id == asset.id
    assert b"".join(m.chunk for m in messages[1:]) == data


async def test_non_audio_is_refused_and_nothing_is_kept(
    ingest: ingest_pb2_grpc.IngestServiceAsyncStub, clean_db: str, tmp_path: Path
) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await upload(ingest, b"just some text, certainly not audio" * 100)
    error = read_rpc_error(caught.value)
    assert error.code is grpc.StatusCode.INVALID_ARGUMENT
    assert error.reason == "unsupported_media_type"
    assert "accepted formats" in error.message
    assert count_rows(clean_db, "audio_assets") == 0
    assert [p for p in (tmp_path / "audio").rglob("*") if p.is_file()] == []


async def test_upload_without_its_finish_message_stores_nothing(
    ingest: ingest_pb2_grpc.IngestServiceAsyncStub, clean_db: str, tmp_path: Path
) -> None:
    """A stream that just ends is a client gone mid-upload, not a short file."""
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await ingest.UploadAudio(upload_messages(JFK_FLAC.read_bytes(), finished=False))
    assert read_rpc_error(caught.value).reason == "incomplete_upload"
    assert count_rows(clean_db, "audio_assets") == 0
    assert [p for p in (tmp_path / "audio").rglob("*") if p.is_file()] == []


async def test_empty_upload_is_refused(ingest: ingest_pb2_grpc.IngestServiceAsyncStub) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await upload(ingest, b"")
    assert read_rpc_error(caught.value).reason == "empty_upload"


async def test_upload_must_start_with_metadata(
    ingest: ingest_pb2_grpc.IngestServiceAsyncStub,
) -> None:
    async def chunks_only() -> AsyncIterator[ingest_pb2.UploadAudioRequest]:
        yield ingest_pb2.UploadAudioRequest(chunk=b"fLaC....")

    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await ingest.UploadAudio(chunks_only())
    assert read_rpc_error(caught.value).reason == "invalid_upload"


async def test_create_and_get_summary_job(
    ingest: ingest_pb2_grpc.IngestServiceAsyncStub,
) -> None:
    upload_response = await uploaded(ingest, JFK_FLAC.read_bytes())
    asset = upload_response.audio_asset
    later = Timestamp()
    later.FromDatetime(datetime.now(UTC) + timedelta(hours=2))
    created = await ingest.CreateSummaryJob(
        ingest_pb2.CreateSummaryJobRequest(
            email="Someone@Example.COM",
            audio_id=asset.id,
            upload_token=upload_response.upload_token,
            send_at=later,
            raw_transcript=" hi ",
            time_zone="Europe/Paris",
        )
    )
    job = created.summary_job
    assert job.status == ingest_pb2.SUMMARY_JOB_STATUS_PENDING
    assert not job.HasField("stage")  # only a processing job has one
    assert job.email == "Someone@example.com"  # the domain is normalized, the local part kept
    assert abs(job.send_at.seconds - later.seconds) <= 1

    fetched = await ingest.GetSummaryJob(
        ingest_pb2.GetSummaryJobRequest(id=job.id, access_token=created.access_token)
    )
    assert fetched.summary_job.id == job.id
    assert fetched.summary_job.time_zone == "Europe/Paris"
    assert not fetched.summary_job.HasField("transcript")


@pytest.mark.parametrize(
    ("email", "audio_id", "send_in", "reason"),
    [
        ("not-an-address", None, None, "invalid_email"),
        ("a@example.com\r\nBcc: b@example.com", None, None, "invalid_email"),
        ("a@example.com", "0b5a5f9e-8a8f-4d0e-9c55-2d9f2b0f9a11", None, "upload_token_invalid"),
        ("a@example.com", "nope", None, "invalid_audio_id"),
        ("a@example.com", None, timedelta(days=400), "invalid_send_at"),
        ("a@example.com", None, "Mars/Olympus_Mons", "invalid_time_zone"),
    ],
)
async def test_bad_requests_are_refused_and_nothing_is_written(
    ingest: ingest_pb2_grpc.IngestServiceAsyncStub,
    clean_db: str,
    email: str,
    audio_id: str | None,
    send_in: timedelta | str | None,
    reason: str,
) -> None:
    upload_response = await uploaded(ingest, JFK_FLAC.read_bytes())
    message = ingest_pb2.CreateSummaryJobRequest(
        email=email,
        audio_id=audio_id or upload_response.audio_asset.id,
        upload_token=upload_response.upload_token,
    )
    if isinstance(send_in, timedelta):
        message.send_at.FromDatetime(datetime.now(UTC) + send_in)
    elif isinstance(send_in, str):
        message.time_zone = send_in
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await ingest.CreateSummaryJob(message)
    assert read_rpc_error(caught.value).reason == reason
    assert count_rows(clean_db, "summary_requests") == 0


async def test_unknown_request_is_not_found(
    ingest: ingest_pb2_grpc.IngestServiceAsyncStub,
) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await ingest.GetSummaryJob(
            ingest_pb2.GetSummaryJobRequest(id="0b5a5f9e-8a8f-4d0e-9c55-2d9f2b0f9a11")
        )
    assert caught.value.code() is grpc.StatusCode.NOT_FOUND
    assert read_rpc_error(caught.value).reason == "request_not_found"


async def test_a_nul_anywhere_text_enters_is_refused_not_a_database_error(
    ingest: ingest_pb2_grpc.IngestServiceAsyncStub, clean_db: str, tmp_path: Path
) -> None:
    """Postgres cannot store U+0000: refused as invalid input, never a 500 from the insert."""
    data = JFK_FLAC.read_bytes()
    messages = list(upload_messages(data))
    messages[0].metadata.filename = "note\x00.flac"
    # Only the metadata, as the gateway does: a client streams the file once admitted. A
    # sync iterator writing on while ingest refuses sometimes reads the refusal as INTERNAL
    # (grpc/grpc#36066), which failed CI once in 800 tests.
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await ingest.UploadAudio(iter(messages[:1]))
    assert read_rpc_error(caught.value).reason == "invalid_filename"
    assert count_rows(clean_db, "audio_assets") == 0
    assert [p for p in (tmp_path / "audio").rglob("*") if p.is_file()] == []

    asset = await upload(ingest, data)
    refused = [
        (ingest_pb2.CreateSummaryJobRequest(raw_transcript="hi\x00"), "invalid_transcript"),
        (ingest_pb2.CreateSummaryJobRequest(email="a\x00@example.com"), "invalid_email"),
        (ingest_pb2.CreateSummaryJobRequest(time_zone="Europe/Par\x00is"), "invalid_time_zone"),
    ]
    for message, reason in refused:
        message.audio_id = asset.id
        message.email = message.email or "a@example.com"
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await ingest.CreateSummaryJob(message)
        assert read_rpc_error(caught.value).reason == reason
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await ingest.ListSummaryJobs(ingest_pb2.ListSummaryJobsRequest(email="a\x00@b.co"))
    assert read_rpc_error(caught.value).reason == "invalid_email"
    assert count_rows(clean_db, "summary_requests") == 0
