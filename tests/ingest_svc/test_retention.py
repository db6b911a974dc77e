"""Retention: finished requests lose their content after RETENTION_DAYS, unused uploads and
stale spool files go, live requests and their files stay. Real Postgres, a local audio folder."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from prometheus_client import REGISTRY
from pydantic import SecretStr

from ingest_svc.config import IngestSettings
from ingest_svc.repository import IngestRepository
from ingest_svc.retention import SPOOL_ORPHAN_AGE_S, ContentSweeper
from ingest_svc.storage import LocalStorage
from tests.support import create_requests, fail_due_requests


@pytest.fixture
async def sweeper(clean_db: str, tmp_path: Path) -> AsyncIterator[ContentSweeper]:
    settings = IngestSettings(
        database_url=SecretStr(clean_db), audio_dir=tmp_path / "audio", retention_days=30
    )
    storage = LocalStorage(settings.audio_dir)
    await storage.check()
    repository = IngestRepository(settings)
    await repository.open()
    try:
        yield ContentSweeper(settings, repository, storage)
    finally:
        await repository.close()


def stored_audio(connection: psycopg.Connection[Any], audio_dir: Path, name: str) -> uuid.UUID:
    """An audio row with a real file behind it."""
    (audio_dir / name).write_bytes(b"fLaC")
    row = connection.execute(
        "INSERT INTO audio_assets (storage_backend, storage_path, content_type, size_bytes,"
        " sha256) VALUES ('local', %s, 'audio/flac', 4, %s) RETURNING id",
        [name, "0" * 64],
    ).fetchone()
    assert row is not None
    audio_id: uuid.UUID = row[0]
    return audio_id


def age(connection: psycopg.Connection[Any], days: int) -> None:
    """Make every request and upload `days` old, as if time had passed."""
    interval = f"{days} days"
    connection.execute("UPDATE summary_requests SET updated_at = now() - %s::interval", [interval])
    connection.execute("UPDATE audio_assets SET created_at = now() - %s::interval", [interval])


def counter(name: str) -> float:
    return REGISTRY.get_sample_value(name) or 0.0


async def test_old_finished_requests_lose_their_content_and_files(
    sweeper: ContentSweeper, clean_db: str, tmp_path: Path
) -> None:
    audio_dir = tmp_path / "audio"
    with psycopg.connect(clean_db, autocommit=True) as connection:
        finished_audio = stored_audio(connection, audio_dir, "finished.flac")
        live_audio = stored_audio(connection, audio_dir, "live.flac")
        unused_audio = stored_audio(connection, audio_dir, "unused.flac")
        [finished] = create_requests(connection, audio_id=finished_audio)
        fail_due_requests(connection, "no_speech", "nothing said")
        [live] = create_requests(connection, audio_id=live_audio, due_in="40 days")
        age(connection, 31)
    expired_before = counter("retention_requests_expired_total")

    assert await sweeper.sweep() == 1

    with psycopg.connect(clean_db) as connection:
        rows: dict[uuid.UUID, str] = dict(
            connection.execute("SELECT id, status::text FROM summary_requests").fetchall()
        )
        purged = connection.execute(
            "SELECT id FROM audio_assets WHERE purged_at IS NOT NULL"
        ).fetchall()
    assert rows == {finished: "deleted", live: "pending"}
    assert {row[0] for row in purged} == {finished_audio, unused_audio}
    assert {path.name for path in audio_dir.glob("*.flac")} == {"live.flac"}
    assert counter("retention_requests_expired_total") == expired_before + 1
    assert live_audio not in {row[0] for row in purged}


async def test_recent_requests_are_kept(sweeper: ContentSweeper, clean_db: str) -> None:
    with psycopg.connect(clean_db, autocommit=True) as connection:
        create_requests(connection)
        fail_due_requests(connection, "no_speech", "nothing said")
        age(connection, 29)

    assert await sweeper.sweep() == 0


async def test_spool_files_an_interrupted_upload_left_are_removed(
    sweeper: ContentSweeper, tmp_path: Path
) -> None:
    spool = tmp_path / "audio" / ".spool"
    stale, fresh = spool / "stale.part", spool / "fresh.part"
    stale.write_bytes(b"x")
    fresh.write_bytes(b"x")
    long_ago = time.time() - SPOOL_ORPHAN_AGE_S - 60
    os.utime(stale, (long_ago, long_ago))
    removed_before = counter("retention_spool_files_removed_total")

    await sweeper.sweep()

    assert not stale.exists()
    assert fresh.exists()  # an upload in progress
    assert counter("retention_spool_files_removed_total") == removed_before + 1
