"""The claim loop's decisions: how much it claims, what a lost lease or a stop does, and that a
request nobody can finish ends `failed` in the claim (the last test, on real Postgres)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import cast

import psycopg
import pytest
import structlog
from pydantic import SecretStr

from scheduler.pipeline import Pipeline
from scheduler.store import Claim, RequestStore
from scheduler.worker import Worker
from tests.scheduler.fakes import SETTINGS, FakeStore, make_claim
from tests.scheduler.network import CuttableRelay
from tests.support import create_requests, wait_until
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


async def test_a_heartbeat_that_cannot_reach_the_database_abandons_the_request_in_time() -> None:
    failure = psycopg.OperationalError("connection refused")
    store, pipeline = FakeStore(due=[make_claim()], heartbeat_failure=failure), BlockingPipeline()
    lease_s = 0.1
    started = asyncio.get_running_loop().time()

    with structlog.testing.capture_logs() as logs:
        async with looping(worker_for(store, pipeline, scheduler_lease_s=lease_s)):
            await pipeline.until(lambda: len(pipeline.cancelled) == 1)
            abandoned_after = asyncio.get_running_loop().time() - started

    # Never before the lease can have run out, and after trying to renew it more than once.
    assert abandoned_after >= lease_s
    assert store.heartbeats >= 2
    assert store.writes == []
    [line] = [line for line in logs if line["event"].startswith("stopped working")]
    assert line["why"] == "the lease ran out before it could be renewed"


async def test_a_heartbeat_that_hangs_abandons_the_request_when_the_lease_runs_out() -> None:
    store = FakeStore(due=[make_claim()], heartbeat_stall=asyncio.Event())
    pipeline = BlockingPipeline()

    async with looping(worker_for(store, pipeline, scheduler_lease_s=0.1)):
        await pipeline.until(lambda: len(pipeline.cancelled) == 1)

    assert store.heartbeats == 1  # the one renewal still waiting for an answer
    assert store.writes == []


async def test_a_heartbeat_that_fails_once_keeps_the_request() -> None:
    store, pipeline = FakeStore(due=[make_claim()]), BlockingPipeline()
    # The database is back before the lease runs out; then two lease periods of renewals.
    answers: list[BaseException | None] = [psycopg.OperationalError("server closed"), *[None] * 6]
    renewed = asyncio.Event()

    async def extend_lease(claim: Claim) -> bool:
        if answer := (answers.pop(0) if answers else None):
            raise answer
        if not answers:
            renewed.set()
        return True

    store.extend_lease = extend_lease  # type: ignore[method-assign]
    async with looping(worker_for(store, pipeline, scheduler_lease_s=0.3)):
        await asyncio.wait_for(renewed.wait(), 5)
        assert pipeline.cancelled == []
        assert len(pipeline.started) == 1


@pytest.fixture
async def database(clean_db: str) -> AsyncIterator[Database]:
    database = Database(DatabaseSettings(database_url=SecretStr(clean_db)), "test")
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


async def test_a_worker_cut_off_from_postgres_stops_before_another_takes_over(
    clean_db: str,
) -> None:
    """The worker reaches Postgres through a relay that goes silent mid-request: its heartbeat
    hangs, and the work is cancelled when the lease runs out, not after the next owner began."""
    with psycopg.connect(clean_db, autocommit=True) as connection:
        [request_id] = create_requests(connection)
    relay = CuttableRelay(clean_db)
    async with relay.serving() as relayed_url:
        settings = SETTINGS.model_copy(
            update={"database_url": SecretStr(relayed_url), "scheduler_lease_s": 2}
        )
        database = Database(settings, "cut-off")
        await database.open()
        store = RequestStore(database.pool, "cut-off", 2, SETTINGS.max_attempts)
        pipeline = BlockingPipeline()
        worker = Worker(settings, store, cast(Pipeline, pipeline))
        task = asyncio.create_task(worker.run())
        await pipeline.until(lambda: len(pipeline.started) == 1)

        relay.cut()
        await pipeline.until(lambda: len(pipeline.cancelled) == 1)
        with psycopg.connect(clean_db, autocommit=True) as connection:
            [(late_s,)] = connection.execute(
                "SELECT extract(epoch FROM now() - locked_until) FROM summary_requests"
                " WHERE id = %s",
                [request_id],
            ).fetchall()
            # The lease was never renewed, and the work stopped as it ran out (by the worker's
            # reckoning, which starts the lease when the claim was sent: a little early).
            assert -1.0 < late_s < 1.0
            successor = wait_until(
                lambda: connection.execute(
                    "SELECT attempts FROM claim_due_requests(1, 'successor', 60, 5)"
                ).fetchall(),
                timeout_s=2,
                what="the lease to run out in the database",
            )
        assert successor == [(2,)]

        relay.mend()
        await worker.stop(grace_s=0)
        await asyncio.wait_for(task, 10)
        await database.close()
    assert pipeline.started == pipeline.cancelled  # it never claimed the request back
