"""The claim loop: ask for as many due requests as there are free slots, work on them.

It wakes up when a request becomes due now (Postgres NOTIFY from the insert trigger), when a
slot frees up, or after the poll interval (scheduled requests, missed notifications).
On stop it claims nothing more, lets in-flight work finish within the grace period and hands
back what is left without charging an attempt.
"""

from __future__ import annotations

import asyncio
import contextlib
import random

import psycopg
import structlog

from scheduler.config import SchedulerSettings
from scheduler.metrics import ATTEMPTS, CLAIMS, QUEUE_DEPTH
from scheduler.pipeline import Pipeline, bind_claim, claim_log_ids
from scheduler.store import Claim, LeaseLost, RequestStore

log = structlog.get_logger("scheduler.worker")
NOTIFY_CHANNEL = "summary_requests_due"


class Worker:
    def __init__(
        self, settings: SchedulerSettings, store: RequestStore, pipeline: Pipeline
    ) -> None:
        self._settings = settings
        self._store = store
        self._pipeline = pipeline
        self._in_flight: dict[asyncio.Task[None], Claim] = {}
        self._given_up: set[asyncio.Task[bool]] = set()  # renewals still unwinding
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()

    def _free_slots(self) -> int:
        return self._settings.scheduler_concurrency - len(self._in_flight)

    def _start(self, claim: Claim, claimed_at: float) -> None:
        task = asyncio.create_task(self._work(claim, claimed_at), name=f"request-{claim.id}")
        self._in_flight[task] = claim
        task.add_done_callback(self._finished)

    async def _work(self, claim: Claim, claimed_at: float) -> None:
        """Process a claim while a heartbeat keeps its lease; stop if the lease is lost or
        cannot be renewed in time: nothing more is written for the request then."""
        bind_claim(claim)  # before the tasks below copy this task's logging context
        work = asyncio.create_task(self._pipeline.process(claim))
        why_gone: list[tuple[str, str]] = []  # (outcome, why), once the heartbeat gives up
        heartbeat = asyncio.create_task(self._heartbeat(claim, claimed_at, work, why_gone))
        try:
            await work
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if not why_gone or (current is not None and current.cancelling()):
                raise
            outcome, why = why_gone[0]
            log.warning("stopped working on the request; left to whoever claims it", why=why)
            ATTEMPTS.labels(outcome).inc()
        finally:
            heartbeat.cancel()

    async def _heartbeat(
        self,
        claim: Claim,
        claimed_at: float,
        work: asyncio.Task[None],
        why_gone: list[tuple[str, str]],
    ) -> None:
        """Renew the lease three times per lease period, so that one slow round trip does not
        lose the request. If it is lost, or cannot be renewed before it runs out (the database
        is out of reach), another scheduler may take the request over at any moment: cancel the
        work rather than go on transcribing (and emailing) alongside the new owner.

        The database starts a lease no earlier than its claim or renewal was sent, so a lease
        is known to last until then plus its length (no clock is compared with another's).
        """
        loop = asyncio.get_running_loop()
        lease_s = self._settings.scheduler_lease_s
        expires_at = claimed_at + lease_s
        delay = lease_s / 3
        while True:
            await asyncio.sleep(delay)
            sent_at = loop.time()
            if sent_at >= expires_at:
                why_gone.append(("abandoned", "the lease ran out before it could be renewed"))
                break
            renewal = asyncio.create_task(self._store.extend_lease(claim))
            # Waited for, not cancelled at the deadline: a cancelled query unwinds only once
            # psycopg has sent the server a cancel request, which a dead network delays.
            try:
                await asyncio.wait([renewal], timeout=expires_at - sent_at)
            finally:
                if not renewal.done():
                    self._let_go(renewal)
            if not renewal.done():
                delay = 0  # the lease has run out: the check at the top abandons the request
                continue
            try:
                alive = renewal.result()
            except psycopg.Error as error:
                left_s = max(0.0, expires_at - loop.time())
                log.warning(
                    "heartbeat failed; will try again while the lease lasts",
                    error=str(error),
                    lease_left_s=round(left_s, 1),
                )
                delay = min(lease_s / 10, left_s)
                continue
            if not alive:
                why_gone.append(("lease_lost", "the lease was taken over"))
                break
            expires_at = sent_at + lease_s
            delay = lease_s / 3
        work.cancel()

    def _let_go(self, renewal: asyncio.Task[bool]) -> None:
        """Cancel a renewal nobody waits for any more; keep it until it has unwound, and
        retrieve its outcome so that asyncio does not report it as unhandled."""

        def unwound(task: asyncio.Task[bool]) -> None:
            self._given_up.discard(task)
            if not task.cancelled():
                task.exception()

        renewal.cancel()
        self._given_up.add(renewal)
        renewal.add_done_callback(unwound)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._in_flight.pop(task, None)
        if not task.cancelled() and (error := task.exception()) is not None:
            log.error("request task crashed", error=repr(error))
        self._wake.set()

    async def run(self) -> None:
        """Claim and dispatch until `stop` is called."""
        listener = asyncio.create_task(self._listen())
        watcher = asyncio.create_task(self._watch_queue())
        try:
            while not self._stopping.is_set():
                # Cleared before claiming: a NOTIFY that arrives after the claim's snapshot
                # still wakes the sleep below.
                self._wake.clear()
                free = self._free_slots()
                claimed: list[Claim] = []
                claimed_at = asyncio.get_running_loop().time()
                if free > 0:
                    try:
                        claimed = await self._store.claim(free)
                    except psycopg.Error as error:
                        log.warning("claim failed; will retry", error=str(error))
                CLAIMS.inc(len(claimed))
                for claim in claimed:
                    self._start(claim, claimed_at)
                if free > 0 and len(claimed) == free:
                    continue  # a full batch: more may be due right now
                await self._sleep()
        finally:
            for task in (listener, watcher):
                task.cancel()
            await asyncio.gather(listener, watcher, return_exceptions=True)

    async def _sleep(self) -> None:
        """Until woken, the next request falls due, or the (jittered) poll interval passes."""
        interval = self._settings.scheduler_poll_interval_s * random.uniform(0.8, 1.2)
        if self._free_slots() > 0:
            with contextlib.suppress(psycopg.Error):
                next_due = await self._store.seconds_until_next_due()
                if next_due is not None:
                    interval = min(interval, next_due + 0.01)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), interval)

    async def _watch_queue(self, interval_s: float = 5.0) -> None:
        """Keep the queue-depth gauge current (it is read by whoever scrapes /metrics), and
        fail the requests whose address did not confirm in time."""
        while True:
            try:
                for state, count in (await self._store.queue_depth()).items():
                    QUEUE_DEPTH.labels(state).set(count)
                # Here too, since it is as periodic and as cheap (a partial index).
                if expired := await self._store.expire_unconfirmed():
                    log.info("requests failed: address not confirmed in time", count=expired)
            except psycopg.Error as error:
                log.warning("queue depth unavailable", error=str(error))
            await asyncio.sleep(interval_s)

    async def _listen(self) -> None:
        """Turn NOTIFYs into wake-ups; reconnect after database restarts."""
        while True:
            try:
                connection = await psycopg.AsyncConnection.connect(
                    (
                        self._settings.listen_database_url or self._settings.database_url
                    ).get_secret_value(),
                    autocommit=True,
                )
                async with connection:
                    await connection.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    async for _ in connection.notifies():
                        self._wake.set()
            except psycopg.Error as error:
                log.warning("listen connection lost; polling meanwhile", error=str(error))
                await asyncio.sleep(self._settings.scheduler_poll_interval_s)

    async def stop(self, grace_s: float) -> None:
        """Stop claiming; give in-flight requests `grace_s` to finish, then hand them back."""
        self._stopping.set()
        self._wake.set()
        if not self._in_flight:
            return
        log.info("waiting for in-flight requests", count=len(self._in_flight))
        _, unfinished = await asyncio.wait(list(self._in_flight), timeout=grace_s)
        claims = [self._in_flight[task] for task in unfinished]
        for task in unfinished:
            task.cancel()
        await asyncio.gather(*unfinished, return_exceptions=True)
        for claim in claims:
            with contextlib.suppress(LeaseLost, psycopg.Error):
                await self._store.hand_back(claim)
                ATTEMPTS.labels("handed_back").inc()
                log.info("handed back", **claim_log_ids(claim))
