"""The recipient functions against real Postgres: the caps on confirmation emails, and what
confirming and unsubscribing do to an address's requests."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg.rows import dict_row

from tests.support import create_requests

ADDRESS = "n1@example.com"
Connection = psycopg.Connection[dict[str, Any]]


@pytest.fixture
def connection(clean_db: str) -> Iterator[Connection]:
    with psycopg.connect(clean_db, autocommit=True, row_factory=dict_row) as connection:
        yield connection


def token_hash() -> bytes:
    return hashlib.sha256(secrets.token_bytes(32)).digest()


def may_confirm(connection: Connection) -> bool:
    [row] = connection.execute(
        "SELECT request_recipient_confirmation(%s, %s) AS send", [ADDRESS, token_hash()]
    ).fetchall()
    return bool(row["send"])


def test_one_confirmation_per_ten_minutes_and_five_a_day(connection: Connection) -> None:
    assert may_confirm(connection)
    assert not may_confirm(connection)  # within 10 minutes
    for _ in range(4):  # each 11 minutes later than the last
        connection.execute(
            "UPDATE recipient_confirmation_emails SET sent_at = sent_at - interval '11 minutes'"
        )
        assert may_confirm(connection)
    connection.execute(
        "UPDATE recipient_confirmation_emails SET sent_at = sent_at - interval '11 minutes'"
    )
    assert not may_confirm(connection)  # five within a day


def test_a_confirmed_address_gets_no_confirmation_email(connection: Connection) -> None:
    confirm_token = token_hash()
    connection.execute("SELECT request_recipient_confirmation(%s, %s)", [ADDRESS, confirm_token])
    connection.execute("SELECT * FROM confirm_recipient(%s)", [confirm_token])
    assert not may_confirm(connection)


def test_confirming_releases_waiting_requests_and_is_remembered(connection: Connection) -> None:
    [waiting] = create_requests(connection, email=ADDRESS, confirmation_required=True)
    [later] = create_requests(
        connection, email=ADDRESS, confirmation_required=True, due_in="1 hour"
    )
    confirm_token = token_hash()
    connection.execute("SELECT request_recipient_confirmation(%s, %s)", [ADDRESS, confirm_token])

    released = connection.execute("SELECT * FROM confirm_recipient(%s)", [confirm_token]).fetchall()

    assert {row["id"] for row in released} == {waiting, later}
    assert {row["status"] for row in released} == {"pending"}
    due = connection.execute("SELECT count(*) AS n FROM summary_requests WHERE due_at <= now()")
    assert due.fetchone() == {"n": 1}  # the other waits for its send_at
    [after] = create_requests(connection, email=ADDRESS, confirmation_required=True)
    status = connection.execute("SELECT status FROM summary_requests WHERE id = %s", [after])
    assert status.fetchone() == {"status": "pending"}


def test_an_unknown_or_expired_token_confirms_nothing(connection: Connection) -> None:
    with pytest.raises(psycopg.errors.NoDataFound):
        connection.execute("SELECT * FROM confirm_recipient(%s)", [token_hash()])
    expired = token_hash()
    connection.execute(
        "SELECT add_recipient_token(%s, 'confirm', %s, '-1 second')", [ADDRESS, expired]
    )
    with pytest.raises(psycopg.errors.NoDataFound):
        connection.execute("SELECT * FROM confirm_recipient(%s)", [expired])


def test_unsubscribing_blocks_the_address_until_it_confirms_again(connection: Connection) -> None:
    [pending] = create_requests(connection, email=ADDRESS)
    leave = token_hash()
    connection.execute(
        "SELECT add_recipient_token(%s, 'unsubscribe', %s, '1 day')", [ADDRESS, leave]
    )

    [failed] = connection.execute("SELECT * FROM unsubscribe_recipient(%s)", [leave]).fetchall()
    assert (failed["id"], failed["error_code"]) == (pending, "recipient_unsubscribed")
    # Whatever the setting, a new request to it fails at once, and cannot be retried.
    [blocked] = create_requests(connection, email=ADDRESS, confirmation_required=False)
    row = connection.execute("SELECT * FROM summary_requests WHERE id = %s", [blocked]).fetchone()
    assert row is not None
    assert row["status"] == "failed"
    with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState, match="confirm"):
        connection.execute("SELECT retry_summary_request(%s)", [blocked])

    notes = token_hash()
    connection.execute("SELECT add_recipient_token(%s, 'notes', %s, '1 hour')", [ADDRESS, notes])
    connection.execute("SELECT * FROM confirm_recipient(%s)", [notes])
    [retried] = connection.execute("SELECT * FROM retry_summary_request(%s)", [blocked]).fetchall()
    assert retried["status"] == "pending"


def test_requests_that_waited_too_long_fail(connection: Connection) -> None:
    [waiting] = create_requests(connection, email=ADDRESS, confirmation_required=True)
    assert (
        connection.execute("SELECT * FROM expire_unconfirmed_requests('7 days')").fetchall() == []
    )
    [expired] = connection.execute(
        "SELECT * FROM expire_unconfirmed_requests('0 seconds')"
    ).fetchall()
    assert (expired["id"], expired["error_code"]) == (waiting, "recipient_not_confirmed")


def test_the_caps_count_a_mailbox_however_it_is_spelt(connection: Connection) -> None:
    assert may_confirm(connection)
    for spelling in ("N1+x@Example.com", "n1+other@EXAMPLE.COM", "N1@example.com"):
        [row] = connection.execute(
            "SELECT request_recipient_confirmation(%s, %s) AS send", [spelling, token_hash()]
        ).fetchall()
        assert not row["send"], spelling
    [other] = connection.execute(
        "SELECT request_recipient_confirmation('n2@example.com', %s) AS send", [token_hash()]
    ).fetchall()
    assert other["send"]
