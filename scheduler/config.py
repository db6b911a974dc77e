"""Settings of the scheduler (environment variables, see .env.example)."""

from __future__ import annotations

import os
import socket

from pydantic import Field, SecretStr

from voice_core.settings import DatabaseSettings


def _default_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


class SchedulerSettings(DatabaseSettings):
    # The scheduler serves only gRPC health (and reflection) on this port.
    scheduler_port: int = 50054
    # Prometheus metrics (/metrics) on a port of their own.
    scheduler_metrics_port: int = 9104
    ingest_addr: str = "127.0.0.1:50051"
    # May name several pods: "ipv4:127.0.0.1:50052,127.0.0.1:50062" or "dns:///transcribe:50052".
    transcribe_addr: str = "127.0.0.1:50052"
    notify_addr: str = "127.0.0.1:50053"
    worker_id: str = Field(default_factory=_default_worker_id)
    # Requests worked on at once by this scheduler (each claim asks only for free slots).
    scheduler_concurrency: int = Field(default=4, ge=1)
    # Where the scheduler LISTENs for "due now" notifications; empty means DATABASE_URL. Set it
    # to a session or direct connection when DATABASE_URL is a transaction-mode pooler, which
    # cannot deliver notifications (polling still finds every request, only later).
    listen_database_url: SecretStr = SecretStr("")
    # How often to look for due requests when nothing wakes the scheduler sooner.
    scheduler_poll_interval_s: float = Field(default=1.0, gt=0)
    # How long a claim is held before another scheduler may take the request over.
    scheduler_lease_s: int = Field(default=300, ge=2)
    max_attempts: int = Field(default=5, ge=1)
    # Retry delay: RETRY_BASE_S doubling per attempt, capped at RETRY_MAX_S, ±20 % jitter.
    retry_base_s: float = Field(default=30.0, gt=0)
    retry_max_s: float = Field(default=3600.0, gt=0)
    # Deadlines of the calls the scheduler makes. A transcription has none of its own length
    # (a 2-hour note takes long): it is given up after this long without news from the pod
    # (its acceptance, a progress message, the transcript).
    transcribe_timeout_s: float = Field(default=900.0, gt=0)
    scheduler_rpc_timeout_s: float = 30.0
