"""The webhook delivery loop: each ingest replica sends the events that are due.

Events are rows (`webhook_deliveries`), enqueued by the database in the transaction that
ends a request, so none is lost to a crash or a restart. The loop claims due events under a
lease (several replicas never share one), makes an event's body at its first attempt and
keeps it, checks the URL again after resolving it, sends, and records the attempt: delivered
on a 2xx, otherwise due again after an exponential backoff, until WEBHOOK_RETRY_WINDOW_S
(a day by default) has passed since the request ended; the attempt after that is the last.
A process that dies mid-attempt leaves a lease that expires; another loop then takes it up.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import psycopg
import structlog
from prometheus_client import Counter
from psycopg.rows import DictRow
from standardwebhooks import Webhook

from ingest_svc import convert
from ingest_svc.config import IngestSettings
from ingest_svc.repository import IngestRepository
from ingest_svc.webhook_events import event_body
from ingest_svc.webhook_queries import DeliveryLost, WebhookQueries
from ingest_svc.webhook_sender import AttemptOutcome, WebhookSender
from ingest_svc.webhook_urls import WebhookUrlRefused, check_webhook_url

log = structlog.get_logger("ingest_svc.webhooks")
ATTEMPTS = Counter("webhook_attempts_total", "Webhook delivery attempts, by outcome.", ["outcome"])
# The channel the migration's trigger notifies when an event is enqueued.
DUE_CHANNEL = "webhook_deliveries_due"
_BATCH = 10
# Retries double from WEBHOOK_FIRST_RETRY_S up to this, then stay there.
MAX_RETRY_DELAY_S = 6 * 3600.0
_JITTER = 0.1


def retry_delay(
    attempts: int,
    first_retry_s: float,
    elapsed_s: float,
    window_s: float,
    jitter: Callable[[], float] = random.random,
) -> float | None:
    """Seconds until the next attempt after `attempts` failed ones, `elapsed_s` after the event
    was enqueued; None once the window has passed (the event has failed for good). Jitter
    (±10 %) keeps the events of one outage from all coming back at once."""
    if elapsed_s >= window_s:
        return None
    delay = min(first_retry_s * 2.0 ** (attempts - 1), MAX_RETRY_DELAY_S)
    return delay * (1 + _JITTER * (2 * jitter() - 1))


class WebhookDeliverer:
    def __init__(
        self,
        settings: IngestSettings,
        repository: IngestRepository,
        sender: WebhookSender | None = None,
    ) -> None:
        assert settings.webhook_secret is not None, "webhooks are off without WEBHOOK_SECRET"
        self._settings = settings
        self._repository = repository
        self._queries = WebhookQueries(repository)
        self._sender = sender or WebhookSender(settings.webhook_timeout_s)
        self._signer = Webhook(settings.webhook_secret.get_secret_value())
        # Long enough for every address of an attempt to time out, with room to record it.
        self._lease_s = int(settings.webhook_timeout_s * 4) + 30
        self._wake = asyncio.Event()

    async def close(self) -> None:
        await self._sender.close()

    async def run(self) -> None:
        """Deliver due events until cancelled; database errors are logged and waited out."""
        listener = asyncio.create_task(self._listen(), name="webhook listener")
        try:
            while True:
                claimed = 0
                try:
                    claimed = await self.deliver_due()
                except psycopg.Error as error:
                    log.warning("webhook claim failed; will retry", error=str(error))
                except Exception:
                    log.exception("webhook round failed; will retry")
                if claimed < _BATCH:
                    await self._sleep()
        finally:
            listener.cancel()
            await asyncio.gather(listener, return_exceptions=True)

    async def deliver_due(self) -> int:
        """One round: claim up to a batch of due events and attempt each; how many."""
        claimed = await self._queries.claim(_BATCH, self._lease_s)
        await asyncio.gather(*(self._deliver(row) for row in claimed))
        return len(claimed)

    async def _deliver(self, delivery: DictRow) -> None:
        ids = {
            "webhook_event_id": str(delivery["id"]),
            "summary_request_id": str(delivery["summary_request_id"]),
        }
        try:
            try:
                outcome = await self._attempt(delivery)
            except (DeliveryLost, psycopg.Error):
                raise
            except Exception:
                # A bug must not stop the loop or lose the event: it counts as a failed attempt.
                log.exception("webhook attempt failed unexpectedly", **ids)
                outcome = AttemptOutcome(None, "an internal error stopped this attempt")
            retry_in_s = None
            if outcome.error is not None:
                elapsed_s = (datetime.now(UTC) - delivery["created_at"]).total_seconds()
                retry_in_s = retry_delay(
                    delivery["attempts"] + 1,
                    self._settings.webhook_first_retry_s,
                    elapsed_s,
                    self._settings.webhook_retry_window_s,
                )
            await self._queries.record_attempt(
                delivery["id"],
                delivery["lease_token"],
                outcome.status_code,
                outcome.error,
                retry_in_s,
            )
        except DeliveryLost:
            log.info("webhook event no longer ours (deleted or taken over)", **ids)
            return
        except psycopg.Error as error:
            # The lease expires and the attempt is made again.
            log.warning("webhook attempt not recorded", error=str(error), **ids)
            return
        result = "delivered" if outcome.error is None else "retry" if retry_in_s else "failed"
        ATTEMPTS.labels(result).inc()
        log.info(
            "webhook attempt",
            outcome=result,
            status_code=outcome.status_code,
            error=outcome.error,
            retry_in_s=None if retry_in_s is None else round(retry_in_s, 1),
            **ids,
        )

    async def _attempt(self, delivery: DictRow) -> AttemptOutcome:
        body = delivery["payload"] or await self._make_body(delivery)
        try:
            target = await check_webhook_url(delivery["url"], self._settings.webhook_allow_private)
        except WebhookUrlRefused as refused:
            return AttemptOutcome(None, f"refused: {refused}")
        return await self._sender.send(target, self._signer, str(delivery["id"]), body)

    async def _make_body(self, delivery: DictRow) -> str:
        """The event's body from the request as it is now, kept for every later attempt."""
        request = await self._repository.get_request(delivery["summary_request_id"])
        if request is None:
            raise DeliveryLost
        body = event_body(
            str(delivery["event_type"]),
            convert.summary_job(request),
            request["updated_at"],
            self._settings.webhook_include_transcript,
        )
        lease: uuid.UUID = delivery["lease_token"]
        return await self._queries.keep_payload(delivery["id"], lease, body)

    async def _sleep(self) -> None:
        """Until woken by a new event, the next one falls due, or the poll interval passes."""
        interval = self._settings.webhook_poll_interval_s
        with contextlib.suppress(psycopg.Error):
            next_due = await self._queries.seconds_until_next()
            if next_due is not None:
                interval = min(interval, next_due + 0.01)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), interval)
        self._wake.clear()

    async def _listen(self) -> None:
        """Turn the trigger's NOTIFYs into wake-ups; polling covers a lost connection."""
        while True:
            try:
                connection = await psycopg.AsyncConnection.connect(
                    self._settings.database_url.get_secret_value(), autocommit=True
                )
                async with connection:
                    await connection.execute(f"LISTEN {DUE_CHANNEL}")
                    async for _ in connection.notifies():
                        self._wake.set()
            except psycopg.Error as error:
                log.warning("webhook listen connection lost; polling", error=str(error))
                await asyncio.sleep(self._settings.webhook_poll_interval_s)
