"""A stored transcript is reused only when it was made with the same vocabulary and language:
the pipeline on a real Postgres (the migrations' find_transcript and record_request_transcript),
with fake services that record what each transcription was asked for."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import psycopg
import pytest
from pydantic import SecretStr

from scheduler.pipeline import Pipeline
from scheduler.store import RequestStore
from tests.scheduler.fakes import SETTINGS, FakeServices, FakeStore, make_claim
from tests.support import create_requests, insert_audio_row
from voice_core.db import Pool, open_pool
from voice_core.settings import DatabaseSettings


@pytest.fixture
async def pool(clean_db: str) -> AsyncIterator[Pool]:
    pool = await open_pool(DatabaseSettings(database_url=SecretStr(clean_db)), "test")
    yield pool
    await pool.close()


class Notes:
    """Requests made as ingest makes them, each worked on by the pipeline at once."""

    def __init__(self, database_url: str, pool: Pool) -> None:
        self._database_url = database_url
        self.store = RequestStore(pool, "test", lease_s=60, max_attempts=5)
        self.services = FakeServices()
        # Two uploads of the same bytes (insert_audio_row gives every row one hash).
        with psycopg.connect(database_url, autocommit=True) as connection:
            self.audio = [insert_audio_row(connection), insert_audio_row(connection)]

    async def process(self, audio: int, vocabulary: list[str], language: str = "") -> str:
        """The transcript source of a new request for `self.audio[audio]`, once sent."""
        with psycopg.connect(self._database_url, autocommit=True) as connection:
            [request_id] = create_requests(
                connection, audio_id=self.audio[audio], raw_transcript=None
            )
            connection.execute(
                "SELECT set_request_transcription(%s, %s, %s)", [request_id, vocabulary, language]
            )
        [claim] = await self.store.claim(1)
        assert (claim.vocabulary, claim.language) == (vocabulary, language)
        await Pipeline(self.store, self.services.as_services(), SETTINGS).process(claim)
        return self._source(request_id)

    def _source(self, request_id: uuid.UUID) -> str:
        with psycopg.connect(self._database_url) as connection:
            row = connection.execute(
                "SELECT status, transcript_source FROM summary_requests WHERE id = %s",
                [request_id],
            ).fetchone()
        assert row is not None
        assert row[0] == "sent"
        return str(row[1])


async def test_a_transcript_is_reused_only_with_the_same_vocabulary_and_language(
    pool: Pool, clean_db: str
) -> None:
    notes = Notes(clean_db, pool)

    assert await notes.process(0, []) == "transcribed"
    assert await notes.process(1, []) == "existing"  # the same bytes, uploaded again
    assert await notes.process(0, ["ComfyUI", "Ana Lopez"]) == "transcribed"
    assert await notes.process(1, ["Ana Lopez", "ComfyUI"]) == "existing"  # any order
    assert await notes.process(1, ["ComfyUI"]) == "transcribed"
    assert await notes.process(0, ["ComfyUI"], "en") == "transcribed"
    assert await notes.process(1, ["ComfyUI"], "en") == "existing"

    assert notes.services.transcribed_with == [
        ("", []),
        ("", ["ComfyUI", "Ana Lopez"]),
        ("", ["ComfyUI"]),
        ("en", ["ComfyUI"]),
    ]
    with psycopg.connect(clean_db) as connection:
        stored = connection.execute(
            "SELECT vocabulary, requested_language, language FROM transcripts ORDER BY created_at"
        ).fetchall()
    # The vocabulary as the key it is compared by: its terms sorted.
    assert stored == [
        ([], "", "en"),
        (["Ana Lopez", "ComfyUI"], "", "en"),
        (["ComfyUI"], "", "en"),
        (["ComfyUI"], "en", "en"),
    ]


async def test_the_table_refuses_a_vocabulary_beyond_the_limits(clean_db: str) -> None:
    with psycopg.connect(clean_db, autocommit=True) as connection:
        [request_id] = create_requests(connection)
        for vocabulary in (["x" * 51], [f"t{n}" for n in range(51)], [""]):
            with pytest.raises(psycopg.errors.CheckViolation):
                connection.execute(
                    "SELECT set_request_transcription(%s, %s, '')", [request_id, vocabulary]
                )
        with pytest.raises(psycopg.errors.CheckViolation):
            connection.execute(
                "SELECT set_request_transcription(%s, '{}', 'english')", [request_id]
            )


async def test_a_raw_transcript_is_summarized_in_the_language_the_request_named() -> None:
    services = FakeServices()

    await Pipeline(FakeStore().as_store(), services.as_services(), SETTINGS).process(
        make_claim(language="de", raw_transcript="Wir treffen uns am Montag.")
    )

    assert services.summarized_in == ["de"]


async def test_audio_is_transcribed_with_the_requests_language_and_vocabulary() -> None:
    services = FakeServices()

    await Pipeline(FakeStore().as_store(), services.as_services(), SETTINGS).process(
        make_claim(raw_transcript=None, language="en", vocabulary=["ComfyUI"])
    )

    assert services.transcribed_with == [("en", ["ComfyUI"])]
    assert services.summarized_in == ["en"]
