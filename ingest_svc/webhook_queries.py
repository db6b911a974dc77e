"""SQL for webhook deliveries: the functions of 20261130210000_webhooks.sql, nothing else."""

from __future__ import annotations

import uuid

import psycopg
from psycopg.rows import DictRow

from voice_core.db import Database


class DeliveryLost(Exception):
    """The event is no longer this loop's: its lease expired and another took it up, or its
    request was deleted."""


class WebhookQueries:
    def __init__(self, database: Database) -> None:
        self._database = database

    async def claim(self, batch: int, lease_s: int) -> list[DictRow]:
        async with self._database.pool.connection() as connection:
            cursor = await connection.execute(
                "SELECT * FROM claim_webhook_deliveries(%s, %s)", [batch, lease_s]
            )
            return await cursor.fetchall()

    async def keep_payload(self, delivery_id: uuid.UUID, lease: uuid.UUID, payload: str) -> str:
        """The body to send: `payload`, unless one was kept before."""
        row = await self._call(
            "keep_webhook_payload(%s, %s, %s) AS kept", delivery_id, lease, payload
        )
        kept: str = row["kept"]
        return kept

    async def record_attempt(
        self,
        delivery_id: uuid.UUID,
        lease: uuid.UUID,
        status_code: int | None,
        error: str | None,
        retry_in_s: float | None,
    ) -> DictRow:
        return await self._call(
            "* FROM record_webhook_attempt(%s, %s, %s, %s, %s)",
            delivery_id,
            lease,
            status_code,
            error,
            retry_in_s,
        )

    async def seconds_until_next(self) -> float | None:
        async with self._database.pool.connection() as connection:
            cursor = await connection.execute("SELECT seconds_until_next_webhook() AS wait_s")
            row = await cursor.fetchone()
        return None if row is None else row["wait_s"]

    async def _call(self, expression: str, *args: object) -> DictRow:
        try:
            async with self._database.pool.connection() as connection:
                cursor = await connection.execute(f"SELECT {expression}", list(args))
                row = await cursor.fetchone()
        except psycopg.errors.ObjectNotInPrerequisiteState:
            raise DeliveryLost from None
        assert row is not None
        return row
