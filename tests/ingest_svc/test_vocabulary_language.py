"""CreateSummaryJob checks a job's vocabulary and language itself (services trust no one),
stores them normalised, and DescribeIngest says whether recipients must confirm."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import grpc
import pytest
from pydantic import SecretStr

from ingest_svc.app import IngestApp
from ingest_svc.config import IngestSettings
from tests.ingest_svc.test_server import ingest, uploaded
from tests.support import JFK_FLAC, client_channel, count_rows, running
from voice_agent.v1 import ingest_pb2, ingest_pb2_grpc
from voice_core.errors import read_rpc_error

if TYPE_CHECKING:
    Stub = ingest_pb2_grpc.IngestServiceAsyncStub

__all__ = ["ingest"]  # the fixture, shared with the server's tests


async def create(ingest: Stub, vocabulary: list[str], language: str) -> ingest_pb2.SummaryJob:
    upload = await uploaded(ingest, JFK_FLAC.read_bytes())
    created = await ingest.CreateSummaryJob(
        ingest_pb2.CreateSummaryJobRequest(
            email="ana@example.com",
            audio_id=upload.audio_asset.id,
            upload_token=upload.upload_token,
            vocabulary=vocabulary,
            language=language,
        )
    )
    return created.summary_job


async def test_the_job_keeps_its_vocabulary_normalised_and_its_language(ingest: Stub) -> None:
    job = await create(ingest, [" ComfyUI", "comfyui", "", "Ana  Lopez"], "DE")
    assert list(job.vocabulary) == ["ComfyUI", "Ana Lopez"]
    assert job.language == "de"


@pytest.mark.parametrize(
    ("vocabulary", "language", "reason"),
    [
        (["line\nbreak"], "", "invalid_vocabulary"),
        ([f"t{n}" for n in range(51)], "", "invalid_vocabulary"),
        (["x" * 51], "", "invalid_vocabulary"),
        ([], "english", "invalid_language"),
    ],
)
async def test_a_bad_vocabulary_or_language_is_refused_and_nothing_is_written(
    ingest: Stub, clean_db: str, vocabulary: list[str], language: str, reason: str
) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await create(ingest, vocabulary, language)
    assert caught.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert read_rpc_error(caught.value).reason == reason
    assert count_rows(clean_db, "summary_requests") == 0


@pytest.mark.parametrize("confirmation", ["required", "off"])
async def test_describe_ingest_says_whether_recipients_must_confirm(
    clean_db: str, tmp_path: Path, confirmation: str
) -> None:
    settings = IngestSettings(
        database_url=SecretStr(clean_db),
        audio_dir=tmp_path / "audio",
        recipient_confirmation=confirmation,  # type: ignore[arg-type]
    )
    async with running(IngestApp(settings)) as address, client_channel(address) as channel:
        described = await ingest_pb2_grpc.IngestServiceStub(channel).DescribeIngest(
            ingest_pb2.DescribeIngestRequest()
        )
    assert described.recipient_confirmation_required is (confirmation == "required")
