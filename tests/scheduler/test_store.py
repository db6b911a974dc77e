"""claim_due_requests and the lease-guarded transitions, on a real Postgres."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import psycopg
import pytest
from pydantic import SecretStr

from scheduler.store import LeaseLost, RequestStore
from tests.support import create_requests
from voice_core.capabilities import token_hash
from voice_core.db import Pool, open_pool
from voice_core.settings import DatabaseSettings


@pytest.fixture
async def pool(clean_db: str) -> AsyncIterator[Pool]:
    pool = await open_pool(DatabaseSettings(database_url=SecretStr(clean_db)), "test")
    yield pool
    await pool.close()


def add_requests(database_url: str, count: int, *, due_in: str = "0 seconds") -> None:
    with psycopg.connect(database_url, autocommit=True) as connection:
        create_requests(connection, count, due_in=due_in)


async def test_claims_only_due_requests_and_records_the_lease(pool: Pool, clean_db: str) -> None:
    add_requests(clean_db, 3)
    add_requests(clean_db, 2, due_in="1 hour")
    store = RequestStore(pool, "worker-a", lease_s=60, max_attempts=5)

    claims = await store.claim(10)

    assert len(claims) == 3
    assert all(claim.attempts == 1 for claim in claims)
    assert len({claim.lease_token for claim in claims}) == 3
    assert await store.claim(10) == []
    with psycopg.connect(clean_db) as connection:
        rows = connection.execute(
            "SELECT locked_by, locked_until > now() FROM summary_requests"
            " WHERE status = 'processing'"
        ).fetchall()
    assert rows == [("worker-a", True)] * 3


async def test_concurrent_claims_never_share_a_request(pool: Pool, clean_db: str) -> None:
    add_requests(clean_db, 200)
    stores = [RequestStore(pool, f"worker-{i}", lease_s=60, max_attempts=5) for i in range(4)]

    batches = await asyncio.gather(*(store.claim(60) for store in stores))

    ids = [claim.id for batch in batches for claim in batch]
    assert len(ids) == 200
    assert len(set(ids)) == 200


async def test_expired_lease_is_reclaimed_and_the_stale_worker_changes_nothing(
    pool: Pool, clean_db: str
) -> None:
    add_requests(clean_db, 1)
    # A 0 s lease has expired by the next statement: the stale worker is as good as dead.
    stale, fresh = RequestStore(pool, "stale", 0, 5), RequestStore(pool, "fresh", 60, 5)
    [old_claim] = await stale.claim(1)

    [new_claim] = await fresh.claim(1)

    assert new_claim.id == old_claim.id
    assert new_claim.attempts == 2
    with pytest.raises(LeaseLost):
        await stale.mark_sent(old_claim)
    await fresh.mark_sent(new_claim)
    with psycopg.connect(clean_db) as connection:
        assert connection.execute("SELECT status FROM summary_requests").fetchone() == ("sent",)


async def test_hand_back_does_not_charge_an_attempt(pool: Pool, clean_db: str) -> None:
    add_requests(clean_db, 1)
    store = RequestStore(pool, "w", 60, 5)
    [claim] = await store.claim(1)

    await store.hand_back(claim)

    [again] = await store.claim(1)
    assert again.attempts == 1


async def test_retry_later_waits_before_the_next_claim(pool: Pool, clean_db: str) -> None:
    add_requests(clean_db, 1)
    store = RequestStore(pool, "w", 60, 5)
    [claim] = await store.claim(1)

    await store.retry_later(claim, 3600, "email_provider_unavailable", "Mailjet answered 503")

    assert await store.claim(1) == []
    with psycopg.connect(clean_db) as connection:
        row = connection.execute("SELECT status, error_code FROM summary_requests").fetchone()
    assert row == ("pending", "email_provider_unavailable")


async def test_email_links_mint_a_capability_and_a_deleted_request_is_lost(
    pool: Pool, clean_db: str
) -> None:
    add_requests(clean_db, 2)
    store = RequestStore(pool, "w", 60, 5)
    kept, deleted = await store.claim(2)

    links = await store.email_links(kept)

    with psycopg.connect(clean_db, autocommit=True) as connection:
        stored = connection.execute(
            "SELECT token_hash, purpose FROM request_capabilities WHERE summary_request_id = %s",
            [kept.id],
        ).fetchall()
        assert stored == [(token_hash(links.access_token), "email_link")]
        assert not links.unsubscribed
        # Deleting the request while the scheduler works on it takes its lease away.
        connection.execute("SELECT * FROM delete_summary_request(%s)", [deleted.id])
    with pytest.raises(LeaseLost):
        await store.email_links(deleted)


async def test_an_empty_queue_has_no_next_due_time(pool: Pool, clean_db: str) -> None:
    """None, not 0: an idle scheduler sleeps its poll interval instead of polling in a loop."""
    store = RequestStore(pool, "worker-a", lease_s=60, max_attempts=5)
    assert await store.seconds_until_next_due() is None

    add_requests(clean_db, 1, due_in="1 hour")
    wait_s = await store.seconds_until_next_due()
    assert wait_s is not None
    assert 3500 < wait_s <= 3600

    add_requests(clean_db, 1, due_in="-1 minute")
    assert await store.seconds_until_next_due() == 0
