"""The claim loop's decisions: how much it claims, what a lost lease or a stop does, and that a
request nobody can finish ends `failed` in the claim (the last test, on real Postgres)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import cast

import psycopg
import pytest

from scheduler.pipeline import Pipeline
from scheduler.store import Claim, RequestStore
from scheduler.worker import Worker
from tests.scheduler.fakes import SETTINGS, FakeStore, make_claim
from tests.support import create_requests
from voice_core.db import Database
from voice_core.settings import DatabaseSettings


class BlockingPipeline:
    """Records each claim it is given and works on it until told to finish."""

    def __init__(self) -> None:
        self.started: list[Claim] = []
        self.cancelled: list[Claim] = []
        self.finish = asyncio.Event()
        self.changed = asyncio.Event()

    async def process(self, claim: Claim) -> None:
        self.started.append(claim)
        self.changed.set()
        try:
            await self.finish.wait()
        except asyncio.CancelledError:
            self.cancelled.append(claim)
            self.changed.set()
            raise

    async def until(self, condition: Callable[[], bool]) -> None:
        while not condition():
            self.changed.clear()
            await asyncio.wait_for(self.changed.wait(), 5)


@contextlib.asynccontextmanager
async def looping(worker: Worker) -> AsyncIterator[asyncio.Task[None]]:
    task = asyncio.create_task(worker.run())
    try:
        yield task
    finally:
        await worker.stop(grace_s=0)
        await asyncio.wait_for(task, 5)


def worker_for(store: FakeStore, pipeline: BlockingPipeline, **settings: object) -> Worker:
    return Worker(SETTINGS.model_copy(update=settings), store.as_store(), cast(Pipeline, pipeline))


async def test_claims_only_as_many_requests_as_it_has_free_slots() -> None:
    store, pipeline = FakeStore(due=[make_claim() for _ in range(3)]), BlockingPipeline()

    async with looping(worker_for(store, pipeline, scheduler_concurrency=2)):
        await pipeline.until(lambda: len(pipeline.started) == 2)
        assert len(store.due) == 1
        pipeline.finish.set()
        await pipeline.until(lambda: len(pipeline.started) == 3)


async def test_stop_hands_back_unfinished_work_after_the_grace_period() -> None:
    claim = make_claim()
    store, pipeline = FakeStore(due=[claim]), BlockingPipeline()
    worker = worker_for(store, pipeline)
    task = asyncio.create_task(worker.run())
    await pipeline.until(lambda: len(pipeline.started) == 1)

    await worker.stop(grace_s=0.01)
    await asyncio.wait_for(task, 5)

    assert pipeline.cancelled == [claim]
    assert store.names() == ["hand_back"]


async def test_a_lost_lease_stops_the_work_without_writing() -> None:
    store, pipeline = FakeStore(due=[make_claim()], lease_alive=False), BlockingPipeline()

    # Heartbeats every 10 ms: the lease is found lost at the first one.
    async with looping(worker_for(store, pipeline, scheduler_lease_s=0.03)):
        await pipeline.until(lambda: len(pipeline.cancelled) == 1)

    assert store.writes == []


@pytest.fixture
async def database(clean_db: str) -> AsyncIterator[Database]:
    database = Database(DatabaseSettings(database_url=clean_db), "test")
    await database.open()
    yield database
    await database.close()


async def test_a_request_that_keeps_killing_its_worker_fails_at_the_next_claim(
    clean_db: str, database: Database
) -> None:
    with psycopg.connect(clean_db, autocommit=True) as connection:
        [request_id] = create_requests(connection)
        for _ in range(SETTINGS.max_attempts):  # claimed, then the worker "died" (0 s lease)
            connection.execute("SELECT claim_due_requests(1, 'dead', 0, 100)")
    store = RequestStore(database.pool, "w", 60, SETTINGS.max_attempts)
    claims: list[list[Claim]] = []
    claimed_twice = asyncio.Event()

    async def claim(batch_size: int) -> list[Claim]:
        claims.append(await RequestStore.claim(store, batch_size))
        if len(claims) == 2:
            claimed_twice.set()
        return claims[-1]

    store.claim = claim  # type: ignore[method-assign]
    pipeline = BlockingPipeline()
    async with looping(Worker(SETTINGS, store, cast(Pipeline, pipeline))):
        await asyncio.wait_for(claimed_twice.wait(), 5)  # the first claim and one poll later

    assert claims == [[], []]
    assert pipeline.started == []
    with psycopg.connect(clean_db) as connection:
        row = connection.execute(
            "SELECT status, error_code, attempts FROM summary_requests WHERE id = %s",
            [request_id],
        ).fetchone()
    assert row == ("failed", "gave_up", SETTINGS.max_attempts)
