"""`make bench-queue`: how fast requests are claimed, processed and sent.

1. Claims per second through `claim_due_requests` at batch 1 and batch 100 (one connection).
2. End-to-end emails per second: requests with raw transcripts (no Whisper) through the real
   services and the outbox, with 1 and with 3 schedulers.
3. "Send now" latency, from `POST /v1/requests` to `sent`, one request at a time (p50, p99).

Everything runs on this machine against an embedded Postgres; prints JSON, then a table.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import psycopg

from devstack.stack import Stack, start_embedded_postgres
from voice_core.migrate import apply_migrations

NOTE = (
    "The supplier confirmed the new delivery date. The warehouse team is ready for it. "
    "Invoices for last month are still open. I will call the supplier tomorrow about the invoices."
)


def insert_requests(database_url: str, count: int, *, due: bool) -> None:
    """`count` pending requests with raw transcripts, due now or in a day."""
    with psycopg.connect(database_url, autocommit=True) as connection:
        audio = connection.execute(
            "INSERT INTO audio_assets (storage_backend, storage_path, content_type, size_bytes,"
            " sha256) VALUES ('local', 'bench.flac', 'audio/flac', 1, %s) RETURNING id",
            ["0" * 64],
        ).fetchone()
        assert audio is not None
        connection.execute(
            "SELECT create_summary_request('bench' || i || '@example.com', %s,"
            " now() + CASE WHEN %s THEN interval '0' ELSE interval '1 day' END, %s, '', '')"
            " FROM generate_series(1, %s) AS i",
            [audio[0], due, NOTE, count],
        )


def claims_per_second(database_url: str, batch: int, total: int) -> float:
    insert_requests(database_url, total, due=True)
    claimed = 0
    with psycopg.connect(database_url, autocommit=True) as connection:
        started = time.perf_counter()
        while claimed < total:
            rows = connection.execute(
                "SELECT id FROM claim_due_requests(%s, 'bench', 300, 5)", [batch]
            ).fetchall()
            if not rows:
                break
            claimed += len(rows)
        elapsed = time.perf_counter() - started
        connection.execute("TRUNCATE email_deliveries, summary_requests, audio_assets CASCADE")
    return claimed / elapsed


def count_sent(database_url: str) -> int:
    with psycopg.connect(database_url) as connection:
        row = connection.execute(
            "SELECT count(*) FROM summary_requests WHERE status = 'sent'"
        ).fetchone()
    return int(row[0]) if row else 0


def emails_per_second(data_dir: Path, schedulers: int, total: int) -> dict[str, Any]:
    """Requests made due all at once; seconds until every one is sent."""
    stack = Stack.ephemeral(data_dir, schedulers=0)
    stack.start()
    try:
        assert stack.database_url is not None
        insert_requests(stack.database_url, total, due=False)
        for index in range(schedulers):
            stack.start_scheduler(f"bench{index}", SCHEDULER_CONCURRENCY="16")
        started = time.perf_counter()
        with psycopg.connect(stack.database_url, autocommit=True) as connection:
            # Every request due now, in one transaction (as a burst of "send now" would be).
            connection.execute(
                "SELECT reschedule_summary_request(id, NULL) FROM summary_requests"
                " WHERE status = 'pending'"
            )
        while count_sent(stack.database_url) < total:
            time.sleep(0.02)
        elapsed = time.perf_counter() - started
        emails = len(list(stack.outbox_dir.glob("*.eml")))
    finally:
        stack.stop()
    return {
        "schedulers": schedulers,
        "requests": total,
        "seconds": round(elapsed, 2),
        "emails": emails,
        "emails_per_s": round(total / elapsed, 1),
    }


def send_now_latency(data_dir: Path, samples: int) -> dict[str, Any]:
    """POST /v1/requests → sent, one at a time, measured from the rows' own timestamps."""
    stack = Stack.ephemeral(data_dir)
    stack.start()
    latencies = []
    try:
        assert stack.database_url is not None
        with httpx.Client(base_url=stack.gateway_url) as client:
            stored = client.post(
                "/v1/audio", files={"file": ("a.flac", b"fLaC" + b"\0" * 64, "audio/flac")}
            ).json()
            for index in range(samples):
                started = time.perf_counter()
                created = client.post(
                    "/v1/requests",
                    json={
                        "email": f"now{index}@example.com",
                        "audio_id": stored["audio_id"],
                        "upload_token": stored["upload_token"],
                        "transcript": NOTE,
                    },
                ).json()
                auth = {"Authorization": f"Bearer {created['access_token']}"}
                url = f"/v1/requests/{created['id']}"
                while client.get(url, headers=auth).json()["status"] != "sent":
                    time.sleep(0.005)
                latencies.append((time.perf_counter() - started) * 1000)
    finally:
        stack.stop()
    latencies.sort()
    return {
        "samples": samples,
        "p50_ms": round(statistics.median(latencies), 1),
        "p99_ms": round(latencies[int(0.99 * (len(latencies) - 1))], 1),
    }


def main() -> None:
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.python_version()}"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        server, database_url = start_embedded_postgres(root / "claims", throwaway=True)
        apply_migrations(database_url)
        claims = {
            "batch_1_per_s": round(claims_per_second(database_url, 1, 2_000)),
            "batch_100_per_s": round(claims_per_second(database_url, 100, 20_000)),
        }
        server.cleanup()
        end_to_end = [emails_per_second(root / f"e2e{n}", n, 1_000) for n in (1, 3)]
        latency = send_now_latency(root / "latency", 100)
    results = {
        "machine": machine,
        "claims": claims,
        "end_to_end": end_to_end,
        "send_now_latency": latency,
    }
    print(json.dumps(results, indent=2))
    print()
    print(f"{'measure':<44}{'result':>12}{'target':>12}")
    print(f"{'claims/s, batch 1':<44}{claims['batch_1_per_s']:>12}{'':>12}")
    print(f"{'claims/s, batch 100':<44}{claims['batch_100_per_s']:>12}{'≥ 5000':>12}")
    for run in end_to_end:
        label = f"emails/s end to end, {run['schedulers']} scheduler(s)"
        print(f"{label:<44}{run['emails_per_s']:>12}{'≥ 200':>12}")
    print(f"{'send now → sent, p50 ms':<44}{latency['p50_ms']:>12}{'≤ 300':>12}")
    print(f"{'send now → sent, p99 ms':<44}{latency['p99_ms']:>12}{'':>12}")
    print(f"\nmachine: {machine}")


if __name__ == "__main__":
    main()
