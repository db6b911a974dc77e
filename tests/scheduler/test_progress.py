"""Transcription progress: which figures the scheduler writes (the throttle, with a clock of
its own), and what `record_transcription_progress` lets a write do, against real Postgres."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg.rows import dict_row

from scheduler.pipeline import Pipeline
from scheduler.progress import ProgressThrottle
from scheduler.store import Claim
from tests.scheduler.fakes import SETTINGS, FakeServices, FakeStore, make_claim
from tests.support import create_requests

Row = dict[str, Any]


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_throttle_writes_about_every_two_seconds_and_never_misses_start_restart_or_end() -> (
    None
):
    clock = Clock()
    throttle = ProgressThrottle(interval_s=2.0, clock=clock)
    admitted = []
    # A figure every 0.5 s for 5 s, then a pod dies and another starts over, then the end.
    for step in range(11):
        progress = step / 20
        if throttle.admit(progress):
            admitted.append(progress)
        clock.now += 0.5
    assert admitted == [0.0, 0.2, 0.4]  # the start, then every 2 s
    assert not throttle.admit(0.4)  # the same figure is no news
    assert throttle.admit(0.0)  # started over: at once
    assert not throttle.admit(0.05)
    assert throttle.admit(1.0)  # the end: at once
    assert not throttle.admit(1.0)


async def test_the_pipeline_writes_throttled_progress_while_transcribing() -> None:
    # Figures that come faster than the throttle lets through (all in the same instant).
    store = FakeStore()
    services = FakeServices(progress=[0.0, 0.1, 0.2, 0.5, 1.0])

    await Pipeline(store.as_store(), services.as_services(), SETTINGS).process(
        make_claim(raw_transcript=None)
    )

    progress = [args[0] for name, args in store.writes if name == "record_transcription_progress"]
    assert progress == [0.0, 1.0]
    assert store.names()[:4] == [
        "set_stage",
        "record_transcription_progress",
        "record_transcription_progress",
        "record_transcript",
    ]


async def test_a_progress_write_that_fails_costs_the_figure_not_the_transcription() -> None:
    class UnreachableStore(FakeStore):
        async def record_transcription_progress(self, claim: Claim, progress: float) -> None:
            raise psycopg.OperationalError("connection refused")

    store = UnreachableStore()
    services = FakeServices(progress=[0.0, 1.0])

    await Pipeline(store.as_store(), services.as_services(), SETTINGS).process(
        make_claim(raw_transcript=None)
    )

    assert store.names()[-1] == "mark_sent"


async def test_a_progress_write_refused_for_the_lease_stops_the_work() -> None:
    store = FakeStore(lose_lease_at="record_transcription_progress")
    services = FakeServices(progress=[0.0, 1.0])

    await Pipeline(store.as_store(), services.as_services(), SETTINGS).process(
        make_claim(raw_transcript=None)
    )

    assert store.names() == ["set_stage"]  # nothing more is written: the request is not ours


@pytest.fixture
def connection(clean_db: str) -> Iterator[psycopg.Connection[Row]]:
    with psycopg.connect(clean_db, autocommit=True, row_factory=dict_row) as connection:
        yield connection


def claimed(
    connection: psycopg.Connection[Row], *, transcribing: bool = True, lease_s: int = 60
) -> Row:
    """A processing request with a lease of `lease_s`, transcribing unless told otherwise."""
    create_requests(connection, raw_transcript=None)
    [row] = connection.execute(
        "SELECT * FROM claim_due_requests(1, 'test', %s, 5)", [lease_s]
    ).fetchall()
    if transcribing:
        connection.execute(
            "SELECT set_request_stage(%s, %s, 'transcribing')", [row["id"], row["lease_token"]]
        )
    return row


def record(connection: psycopg.Connection[Row], row: Row, progress: float, lease_s: int) -> Row:
    written = connection.execute(
        "SELECT * FROM record_transcription_progress(%s, %s, %s, %s)",
        [row["id"], row["lease_token"], progress, lease_s],
    ).fetchone()
    assert written is not None
    return written


def test_a_progress_write_stores_the_share_and_renews_the_lease(
    connection: psycopg.Connection[Row],
) -> None:
    row = claimed(connection)
    started = record(connection, row, 0.0, 7200)
    assert started["transcription_progress"] == 0
    assert started["transcription_started_at"] is not None
    assert (started["locked_until"] - row["locked_until"]).total_seconds() > 7000

    later = record(connection, row, 0.4, 60)
    assert later["transcription_progress"] == 0.4
    assert later["transcription_started_at"] == started["transcription_started_at"]
    # A shorter lease never cuts the one already granted.
    assert later["locked_until"] >= started["locked_until"]

    # A figure below the stored one: another pod started over, and so does the start time.
    again = record(connection, row, 0.1, 60)
    assert again["transcription_progress"] == 0.1
    assert again["transcription_started_at"] > started["transcription_started_at"]
    assert record(connection, row, 7.5, 60)["transcription_progress"] == 1  # clamped


def test_only_the_lease_holder_writes_progress(connection: psycopg.Connection[Row]) -> None:
    row = claimed(connection)
    stranger = {**row, "lease_token": uuid.uuid4()}
    with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState):
        record(connection, stranger, 0.5, 60)
    [after] = connection.execute(
        "SELECT transcription_progress, locked_until FROM summary_requests"
    ).fetchall()
    assert after == {"transcription_progress": None, "locked_until": row["locked_until"]}


def test_progress_is_null_outside_transcribing(connection: psycopg.Connection[Row]) -> None:
    # Not transcribing yet: the write only renews the lease.
    row = claimed(connection, transcribing=False)
    assert record(connection, row, 0.5, 60)["transcription_progress"] is None

    connection.execute(
        "SELECT set_request_stage(%s, %s, 'transcribing')", [row["id"], row["lease_token"]]
    )
    assert record(connection, row, 0.5, 60)["transcription_progress"] == 0.5
    # The next stage clears it.
    summarizing = connection.execute(
        "SELECT * FROM record_request_transcript(%s, %s, 'raw')", [row["id"], row["lease_token"]]
    ).fetchone()
    assert summarizing is not None
    assert summarizing["transcription_progress"] is None
    assert summarizing["transcription_started_at"] is None


def test_a_released_or_taken_over_request_loses_its_progress(
    connection: psycopg.Connection[Row],
) -> None:
    # A lease of 0 s has run out by the next statement, and so has its renewal.
    row = claimed(connection, lease_s=0)
    assert record(connection, row, 0.5, 0)["transcription_progress"] == 0.5
    # Another scheduler takes it over: its stage is still transcribing, the figure is gone.
    [taken] = connection.execute("SELECT * FROM claim_due_requests(1, 'other', 60, 5)").fetchall()
    assert taken["stage"] == "transcribing"
    assert taken["transcription_progress"] is None
    record(connection, taken, 0.2, 60)
    released = connection.execute(
        "SELECT * FROM retry_request_later(%s, %s, 10, 'code', 'message')",
        [taken["id"], taken["lease_token"]],
    ).fetchone()
    assert released is not None
    assert released["transcription_progress"] is None
