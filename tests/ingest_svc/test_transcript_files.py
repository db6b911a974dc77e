"""IngestService/GetTranscriptFile over real gRPC: what the gateway's downloads rest on. The
HTTP side (formats, tokens, 404s) is in tests/gateway/test_transcript_downloads.py."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import grpc
import psycopg
import pytest

from tests.ingest_svc.test_server import ingest, uploaded
from tests.support import JFK_FLAC
from voice_agent.v1 import ingest_pb2, ingest_pb2_grpc
from voice_core.errors import read_rpc_error

__all__ = ["ingest"]  # the service fixture, used here too
if TYPE_CHECKING:
    Stub = ingest_pb2_grpc.IngestServiceAsyncStub


async def new_job(stub: Stub) -> ingest_pb2.CreateSummaryJobResponse:
    upload = await uploaded(stub, JFK_FLAC.read_bytes())
    created: ingest_pb2.CreateSummaryJobResponse = await stub.CreateSummaryJob(
        ingest_pb2.CreateSummaryJobRequest(
            email="files@example.com",
            audio_id=upload.audio_asset.id,
            upload_token=upload.upload_token,
        )
    )
    return created


async def refused(stub: Stub, request: ingest_pb2.GetTranscriptFileRequest) -> tuple[str, str]:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await stub.GetTranscriptFile(request)
    remote = read_rpc_error(caught.value)
    return remote.code.name, remote.reason


async def test_the_format_must_be_named(ingest: Stub) -> None:
    created = await new_job(ingest)
    request = ingest_pb2.GetTranscriptFileRequest(
        id=created.summary_job.id, access_token=created.access_token
    )

    assert await refused(ingest, request) == ("INVALID_ARGUMENT", "invalid_format")


async def test_a_recording_without_speech_has_no_file(ingest: Stub, clean_db: str) -> None:
    created = await new_job(ingest)
    silence = {"text": "", "language": "en", "segments": [], "model": "tiny.en", "no_speech": True}
    with psycopg.connect(clean_db, autocommit=True) as connection:
        connection.execute(
            "SELECT record_request_transcript(c.id, c.lease_token, 'transcribed', NULL, %s)"
            " FROM claim_due_requests(10, 'test', 60, 10) AS c",
            [json.dumps(silence)],
        )
    job = await ingest.GetSummaryJob(
        ingest_pb2.GetSummaryJobRequest(
            id=created.summary_job.id, access_token=created.access_token
        )
    )
    assert job.summary_job.HasField("transcript")
    assert list(job.summary_job.transcript_formats) == []

    for kind in (ingest_pb2.TRANSCRIPT_FORMAT_TXT, ingest_pb2.TRANSCRIPT_FORMAT_VTT):
        request = ingest_pb2.GetTranscriptFileRequest(
            id=created.summary_job.id, access_token=created.access_token, format=kind
        )
        assert await refused(ingest, request) == ("NOT_FOUND", "transcript_not_ready")
