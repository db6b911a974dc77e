"""SQL for email deliveries: the record that guards against a second email.

A row is `sending` from just before a provider call until its outcome is known; it stays
`sending` while the outcome is being looked up, and is dropped when the call surely did not get
through. It becomes `unknown` when the provider could not say in time whether it holds the email:
such a row is never sent again unless the request itself is retried.
"""

from __future__ import annotations

import uuid

from psycopg.rows import DictRow

from notify_svc.senders import SentEmail
from voice_core.db import Database
from voice_core.settings import DatabaseSettings
from voice_core.states import DeliveryStatus


class DeliveryRepository(Database):
    def __init__(self, settings: DatabaseSettings) -> None:
        super().__init__(settings, "notify")

    async def begin(
        self, summary_request_id: uuid.UUID, recipient: str, provider: str, custom_id: str
    ) -> tuple[DictRow, bool]:
        """The request's delivery row, and whether no earlier attempt can have reached the
        provider: a new row, or one that had failed for good and is being retried (`sending`).
        """
        async with self.pool.connection() as connection:
            cursor = await connection.execute(
                "INSERT INTO email_deliveries (summary_request_id, recipient, provider, custom_id)"
                " VALUES (%s, %s, %s, %s) ON CONFLICT (summary_request_id) DO NOTHING RETURNING *",
                [summary_request_id, recipient, provider, custom_id],
            )
            if created := await cursor.fetchone():
                return created, True
            cursor = await connection.execute(
                "UPDATE email_deliveries SET status = 'sending', recipient = %s, provider = %s,"
                " error_message = NULL, updated_at = now()"
                " WHERE summary_request_id = %s AND status = 'failed' RETURNING *",
                [recipient, provider, summary_request_id],
            )
            if retried := await cursor.fetchone():
                return retried, True
            cursor = await connection.execute(
                "SELECT * FROM email_deliveries WHERE summary_request_id = %s",
                [summary_request_id],
            )
            existing = await cursor.fetchone()
        assert existing is not None
        return existing, False

    async def restart(self, delivery_id: uuid.UUID) -> None:
        """Record that a new attempt on a `sending` or `unknown` row starts now."""
        async with self.pool.connection() as connection:
            await connection.execute(
                "UPDATE email_deliveries SET status = 'sending', error_message = NULL,"
                " updated_at = now() WHERE id = %s",
                [delivery_id],
            )

    async def forget(self, delivery_id: uuid.UUID) -> None:
        """Drop a `sending` row whose attempt surely did not reach the provider."""
        async with self.pool.connection() as connection:
            await connection.execute(
                "DELETE FROM email_deliveries WHERE id = %s AND status = 'sending'", [delivery_id]
            )

    async def mark_sent(self, delivery_id: uuid.UUID, sent: SentEmail) -> DictRow:
        async with self.pool.connection() as connection:
            cursor = await connection.execute(
                "UPDATE email_deliveries SET status = 'sent', provider_message_id = %s,"
                " provider_message_uuid = %s, provider_message_href = %s, error_message = NULL,"
                " sent_at = now(), updated_at = now() WHERE id = %s RETURNING *",
                [
                    sent.provider_message_id,
                    sent.provider_message_uuid or None,
                    sent.provider_message_href or None,
                    delivery_id,
                ],
            )
            row = await cursor.fetchone()
        assert row is not None
        return row

    async def mark_failed(self, delivery_id: uuid.UUID, message: str) -> None:
        await self._mark(delivery_id, DeliveryStatus.FAILED, message)

    async def mark_unknown(self, delivery_id: uuid.UUID, message: str) -> None:
        await self._mark(delivery_id, DeliveryStatus.UNKNOWN, message)

    async def _mark(self, delivery_id: uuid.UUID, status: DeliveryStatus, message: str) -> None:
        async with self.pool.connection() as connection:
            await connection.execute(
                "UPDATE email_deliveries SET status = %s, error_message = %s,"
                " updated_at = now() WHERE id = %s",
                [status, message, delivery_id],
            )
