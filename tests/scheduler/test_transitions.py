"""The request state machine, tried against real Postgres: every transition from every status.

The allowed transitions are read from the tables in the migrations that define them (the state
machine's own, and one in each later migration that adds a transition), so each is written
once and this test keeps it honest.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
from psycopg.rows import dict_row

from tests.support import create_requests
from voice_core.migrate import DEFAULT_MIGRATIONS_DIR
from voice_core.states import RequestStatus

# The first table, and the one each later migration adds for its new transitions.
MIGRATIONS = sorted(DEFAULT_MIGRATIONS_DIR.glob("*.sql"))
_ROW = re.compile(r"^--\s+([a-z_]+)\s{2,}(.+?)\s{2,}(.+)$")


def allowed_transitions() -> dict[str, dict[RequestStatus, str]]:
    """transition → {status it may start from: the status it leads to}, from the migrations;
    a later migration's rows add to what earlier ones said of a transition."""
    table: dict[str, dict[RequestStatus, str]] = {}
    for migration in MIGRATIONS:
        for name, rows in _table_of(migration.read_text().splitlines()).items():
            table.setdefault(name, {}).update(rows)
    return table


def _table_of(lines: list[str]) -> dict[str, dict[RequestStatus, str]]:
    table: dict[str, dict[RequestStatus, str]] = {}
    starts = [i for i, line in enumerate(lines) if re.match(r"^--\s+transition\s+from", line)]
    for line in lines[starts[0] + 1 :] if starts else []:
        if not (match := _ROW.match(line)):
            break
        name, source, target = match.groups()
        table.setdefault(name, {})
        if not source.startswith("("):
            table[name][RequestStatus(source.split()[0])] = target.split()[0].rstrip(",")
    return table


ALLOWED = allowed_transitions()
TRANSITIONS = sorted(name for name in ALLOWED if name != "create_summary_request")


@dataclass
class Planted:
    id: uuid.UUID
    lease_token: uuid.UUID


@pytest.fixture
def connection(clean_db: str) -> Iterator[psycopg.Connection[dict[str, Any]]]:
    with psycopg.connect(clean_db, autocommit=True, row_factory=dict_row) as connection:
        yield connection


def claim(connection: psycopg.Connection[dict[str, Any]], lease_s: int = 0) -> dict[str, Any]:
    """Claim the one due request; a lease of 0 s has expired by the next statement."""
    [row] = connection.execute(
        "SELECT * FROM claim_due_requests(10, 'test', %s, 5)", [lease_s]
    ).fetchall()
    return row


def plant(connection: psycopg.Connection[dict[str, Any]], status: RequestStatus) -> Planted:
    """A request in `status`, brought there through the state functions themselves."""
    awaiting = status is RequestStatus.AWAITING_CONFIRMATION
    [request_id] = create_requests(connection, confirmation_required=awaiting)
    token = uuid.uuid4()  # a lease token that holds nothing
    if status is RequestStatus.CANCELED:
        connection.execute("SELECT cancel_summary_request(%s)", [request_id])
    elif status is RequestStatus.DELETED:
        connection.execute("SELECT * FROM delete_summary_request(%s)", [request_id])
    elif status not in (RequestStatus.PENDING, RequestStatus.AWAITING_CONFIRMATION):
        token = claim(connection)["lease_token"]
        if status is RequestStatus.SENT:
            connection.execute("SELECT mark_request_sent(%s, %s)", [request_id, token])
        elif status is RequestStatus.FAILED:
            connection.execute(
                "SELECT mark_request_failed(%s, %s, 'test', 'planted')", [request_id, token]
            )
    return Planted(request_id, token)


def attempt(connection: psycopg.Connection[dict[str, Any]], transition: str, row: Planted) -> bool:
    """Try `transition` on the planted row: True if it happened, False if it was refused."""
    if transition in _FOR_ADDRESS:
        changed = _FOR_ADDRESS[transition](connection, row)
        return row.id in {request["id"] for request in changed}
    if transition == "expire_summary_requests":
        # A retention of 0 days: everything finished before this statement is old enough.
        [counted] = connection.execute(
            "SELECT expired_requests FROM expire_summary_requests(0, 10)"
            " WHERE expired_requests IS NOT NULL"
        ).fetchall()
        return bool(counted["expired_requests"])
    by_id: dict[str, list[Any]] = {
        "cancel_summary_request": [],
        "reschedule_summary_request": [None],
        "retry_summary_request": [],
        "delete_summary_request": [],
        "set_request_transcription": [["ComfyUI"], "en"],
    }
    lease_args: dict[str, list[Any]] = {
        "extend_request_lease": [60],
        "set_request_stage": ["emailing"],
        "record_request_transcript": ["raw"],
        "record_request_summary": ['["a"]', "next", True],
        "mark_request_sent": [],
        "mark_request_failed": ["code", "message"],
        "retry_request_later": [60, "code", "message"],
        "hand_back_request": [],
        "record_transcriber_death": [],
        "record_transcription_progress": [0.5, 60],
    }
    args = [row.id, *by_id[transition]] if transition in by_id else None
    if args is None:
        args = [row.id, row.lease_token, *lease_args[transition]]
    placeholders = ", ".join(["%s"] * len(args))
    try:
        connection.execute(f"SELECT * FROM {transition}({placeholders})", args)
    except (psycopg.errors.ObjectNotInPrerequisiteState, psycopg.errors.NoDataFound):
        # A deleted request reads as unknown: NoDataFound, as for an id never created.
        return False
    return True


def _act_for_address(
    transition: str, purpose: str
) -> Callable[[psycopg.Connection[dict[str, Any]], Planted], list[dict[str, Any]]]:
    """Run a transition that acts on every request to an address, with a token for it."""

    def act(connection: psycopg.Connection[dict[str, Any]], row: Planted) -> list[dict[str, Any]]:
        token_hash = hashlib.sha256(uuid.uuid4().bytes).digest()
        connection.execute(
            "SELECT add_recipient_token(email, %s, %s, '1 hour') FROM summary_requests"
            " WHERE id = %s",
            [purpose, token_hash, row.id],
        )
        return connection.execute(f"SELECT * FROM {transition}(%s)", [token_hash]).fetchall()

    return act


# Transitions that act on every request they find rather than on one id; each answers with the
# requests it changed.
_FOR_ADDRESS: dict[
    str, Callable[[psycopg.Connection[dict[str, Any]], Planted], list[dict[str, Any]]]
] = {
    "claim_due_requests": lambda connection, _: connection.execute(
        "SELECT * FROM claim_due_requests(10, 'x', 60, 5)"
    ).fetchall(),
    "expire_unconfirmed_requests": lambda connection, _: connection.execute(
        "SELECT * FROM expire_unconfirmed_requests('0 seconds')"
    ).fetchall(),
    "confirm_recipient": _act_for_address("confirm_recipient", "confirm"),
    "unsubscribe_recipient": _act_for_address("unsubscribe_recipient", "unsubscribe"),
}


def test_the_table_names_every_state_function() -> None:
    # 12 of the state machine, 3 of capabilities and pod deaths (delete_summary_request,
    # expire_summary_requests, record_transcriber_death), 3 of confirmed recipients, 1 of a
    # request's vocabulary and language (set_request_transcription), 1 of transcription
    # progress (record_transcription_progress).
    assert len(TRANSITIONS) == 20
    assert ALLOWED["cancel_summary_request"] == {
        RequestStatus.PENDING: "canceled",
        RequestStatus.AWAITING_CONFIRMATION: "canceled",
    }
    assert ALLOWED["confirm_recipient"] == {RequestStatus.AWAITING_CONFIRMATION: "pending"}
    assert set(ALLOWED["delete_summary_request"]) == set(RequestStatus) - {RequestStatus.DELETED}


@pytest.mark.parametrize("status", list(RequestStatus))
@pytest.mark.parametrize("transition", TRANSITIONS)
def test_exactly_the_allowed_transitions_succeed(
    connection: psycopg.Connection[dict[str, Any]], transition: str, status: RequestStatus
) -> None:
    planted = plant(connection, status)

    happened = attempt(connection, transition, planted)

    assert happened == (status in ALLOWED[transition])
    [after] = connection.execute(
        "SELECT status FROM summary_requests WHERE id = %s", [planted.id]
    ).fetchall()
    expected = ALLOWED[transition][status] if happened else status
    assert after["status"] == expected


def test_a_refusal_says_why_and_an_unknown_id_is_not_found(
    connection: psycopg.Connection[dict[str, Any]],
) -> None:
    sent = plant(connection, RequestStatus.SENT)
    with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState, match="the request is sent"):
        connection.execute("SELECT cancel_summary_request(%s)", [sent.id])
    with pytest.raises(psycopg.errors.NoDataFound):
        connection.execute("SELECT cancel_summary_request(%s)", [uuid.uuid4()])


def test_another_schedulers_token_changes_nothing(
    connection: psycopg.Connection[dict[str, Any]],
) -> None:
    planted = plant(connection, RequestStatus.PROCESSING)
    with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState):
        connection.execute("SELECT mark_request_sent(%s, %s)", [planted.id, uuid.uuid4()])


def test_a_request_whose_lease_expired_after_the_last_attempt_fails_in_the_claim(
    connection: psycopg.Connection[dict[str, Any]],
) -> None:
    create_requests(connection)
    for _ in range(5):
        claim(connection)  # each worker "dies": its 0 s lease expires at once

    assert connection.execute("SELECT * FROM claim_due_requests(10, 'x', 60, 5)").fetchall() == []
    [row] = connection.execute("SELECT status, error_code, attempts FROM summary_requests")
    assert row == {"status": "failed", "error_code": "gave_up", "attempts": 5}
