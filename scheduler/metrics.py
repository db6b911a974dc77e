"""The scheduler's metrics: how much work waits, how much is claimed, how attempts end.

`summary_requests{state="due"}` growing is the signal to add schedulers or transcription pods;
`scheduler_attempts_total{outcome="failed"}` rising is the one to alert on.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge

QUEUE_DEPTH = Gauge(
    "summary_requests",
    "Summary requests by state: due (pending, time reached), scheduled (pending, later),"
    " processing, failed.",
    ["state"],
)
CLAIMS = Counter("scheduler_claims_total", "Requests claimed by this scheduler.")
ATTEMPTS = Counter(
    "scheduler_attempts_total",
    "Attempts finished by this scheduler, by outcome: sent, retry, failed, lease_lost,"
    " abandoned (the lease could not be renewed in time), handed_back.",
    ["outcome"],
)
