"""The scheduler's promise, shown with real processes: every request ends `sent` exactly once
(or `failed` with a reason), whatever crashes, restarts or runs twice."""

from __future__ import annotations

import collections
import email
import email.policy
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from devstack.processes import ServiceProcess
from devstack.stack import Stack, wait_serving
from scheduler.pipeline import AUDIO_TOO_DEMANDING_MESSAGE
from tests.support import JFK_FLAC, running_stack, wait_until, write_long_speech

# Short leases so that a crashed scheduler's work is taken over within seconds.
FAST = {"SCHEDULER_LEASE_S": "3", "SCHEDULER_POLL_INTERVAL_S": "0.5", "RETRY_BASE_S": "0.2"}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(tmp_path_factory.mktemp("resilience"), schedulers=0) as system:
        yield system


@pytest.fixture
def schedulers(stack: Stack) -> Iterator[dict[str, ServiceProcess]]:
    """Schedulers a test starts; all stopped (and forgotten) when it ends."""
    started: dict[str, ServiceProcess] = {}
    yield started
    for name, process in started.items():
        process.stop()
        stack.processes.pop(name, None)


def start(
    stack: Stack, started: dict[str, ServiceProcess], name: str, **env: str
) -> ServiceProcess:
    started[name] = stack.start_scheduler(name, **{**FAST, **env})
    return started[name]


def query(stack: Stack, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    assert stack.database_url is not None
    with psycopg.connect(stack.database_url) as connection:
        return connection.execute(sql, params).fetchall()


def upload(stack: Stack, path: Path) -> dict[str, str]:
    """The upload's id and capability, as POST /v1/requests takes them."""
    with httpx.Client(base_url=stack.gateway_url) as client, path.open("rb") as audio:
        response = client.post("/v1/audio", files={"file": (path.name, audio, "audio/wav")})
    assert response.status_code == 201, response.text
    return {key: response.json()[key] for key in ("audio_id", "upload_token")}


def create(
    stack: Stack, emails: list[str], audio: dict[str, str], transcript: str | None
) -> list[str]:
    ids = []
    with httpx.Client(base_url=stack.gateway_url) as client:
        for address in emails:
            body = {"email": address, **audio}
            if transcript is not None:
                body["transcript"] = transcript
            response = client.post("/v1/requests", json=body)
            assert response.status_code == 201, response.text
            ids.append(response.json()["id"])
    return ids


def statuses(stack: Stack, ids: list[str]) -> dict[str, int]:
    rows = query(
        stack,
        "SELECT status, count(*) FROM summary_requests WHERE id = ANY(%s::uuid[]) GROUP BY status",
        ids,
    )
    return dict(rows)


def emails_by_recipient(stack: Stack) -> collections.Counter[str]:
    recipients = (
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)["To"]
        for path in stack.outbox_dir.glob("*.eml")
    )
    return collections.Counter(str(recipient) for recipient in recipients)


NOTE = (
    "The supplier confirmed the new delivery date. The warehouse team is ready for it. "
    "Invoices for last month are still open. I will call the supplier tomorrow about the invoices."
)


def test_three_schedulers_send_five_hundred_requests_exactly_once(
    stack: Stack, schedulers: dict[str, ServiceProcess]
) -> None:
    audio = upload(stack, JFK_FLAC)
    addresses = [f"bulk{i}@example.com" for i in range(500)]
    # All three are up and idle before the work arrives: started one by one after it, the
    # first could finish everything on a slow machine before the third was ready.
    for index in range(3):
        start(stack, schedulers, f"bulk-scheduler{index}", SCHEDULER_CONCURRENCY="8")
    ids = create(stack, addresses, audio, NOTE)
    wait_until(
        lambda: statuses(stack, ids).get("sent") == 500, timeout_s=120, what="500 requests sent"
    )

    rows = query(
        stack,
        "SELECT attempts, count(*) FROM summary_requests WHERE id = ANY(%s::uuid[])"
        " GROUP BY attempts",
        ids,
    )
    assert rows == [(1, 500)], "a request was claimed more than once"
    sent = emails_by_recipient(stack)
    assert all(sent[address] == 1 for address in addresses)
    # Every scheduler took part, and together they sent each request once.
    per_scheduler = {
        name: process.output().count('"request sent"') for name, process in schedulers.items()
    }
    print(f"\n[resilience] requests sent per scheduler: {per_scheduler}")
    assert sum(per_scheduler.values()) == 500
    assert all(count > 0 for count in per_scheduler.values())


def wait_until_transcribing(stack: Stack, request_id: str) -> str:
    """Wait for the request to be mid-transcription; return the scheduler that holds it."""
    wait_until(
        lambda: (
            query(stack, "SELECT stage FROM summary_requests WHERE id = %s", request_id)
            == [("transcribing",)]
        ),
        timeout_s=30,
        what="the transcription to start",
    )
    [(owner,)] = query(stack, "SELECT locked_by FROM summary_requests WHERE id = %s", request_id)
    return str(owner)


def test_scheduler_killed_mid_transcription_is_taken_over(
    stack: Stack, schedulers: dict[str, ServiceProcess], tmp_path: Path
) -> None:
    audio = upload(stack, write_long_speech(tmp_path / "long.wav", repeats=3))
    [request_id] = create(stack, ["crash@example.com"], audio, None)
    doomed = start(stack, schedulers, "doomed")
    assert wait_until_transcribing(stack, request_id) == "doomed"

    doomed.kill()
    start(stack, schedulers, "survivor")
    wait_until(
        lambda: statuses(stack, [request_id]) == {"sent": 1}, timeout_s=60, what="the takeover"
    )

    [(attempts, locked_by, source)] = query(
        stack,
        "SELECT attempts, locked_by, transcript_source FROM summary_requests WHERE id = %s",
        request_id,
    )
    assert (attempts, locked_by, source) == (2, "survivor", "transcribed")
    assert emails_by_recipient(stack)["crash@example.com"] == 1


def test_sigterm_hands_back_work_without_charging_an_attempt(
    stack: Stack, schedulers: dict[str, ServiceProcess], tmp_path: Path
) -> None:
    # Not the other test's audio: a transcript stored for the same bytes would be reused.
    audio = upload(stack, write_long_speech(tmp_path / "long.wav", repeats=4))
    [request_id] = create(stack, ["graceful@example.com"], audio, None)
    leaving = start(stack, schedulers, "leaving", SHUTDOWN_GRACE_S="0.5")
    wait_until_transcribing(stack, request_id)

    began = time.monotonic()
    assert leaving.stop() == 0
    took = time.monotonic() - began
    print(f"\n[resilience] scheduler stopped {took:.2f} s after SIGTERM (grace 0.5 s)")
    assert took < 5
    assert query(
        stack, "SELECT status, attempts FROM summary_requests WHERE id = %s", request_id
    ) == [("pending", 0)]

    start(stack, schedulers, "successor")
    wait_until(
        lambda: statuses(stack, [request_id]) == {"sent": 1}, timeout_s=60, what="the successor"
    )
    assert query(stack, "SELECT attempts FROM summary_requests WHERE id = %s", request_id) == [(1,)]
    assert emails_by_recipient(stack)["graceful@example.com"] == 1


def test_postgres_restart_mid_run_loses_nothing(
    stack: Stack, schedulers: dict[str, ServiceProcess]
) -> None:
    audio = upload(stack, JFK_FLAC)
    start(stack, schedulers, "steady1")
    start(stack, schedulers, "steady2")
    before = create(stack, [f"before{i}@example.com" for i in range(40)], audio, NOTE)

    stack.restart_database()
    # Services reconnect by themselves: the API works again within seconds.
    wait_until(
        lambda: httpx.get(f"{stack.gateway_url}/readyz").status_code == 200,
        timeout_s=30,
        what="ingest",
    )
    after = create(stack, [f"after{i}@example.com" for i in range(20)], audio, NOTE)

    wait_until(
        lambda: statuses(stack, before + after) == {"sent": 60},
        timeout_s=90,
        what="every request sent",
    )
    sent = emails_by_recipient(stack)
    assert all(sent[f"before{i}@example.com"] == 1 for i in range(40))
    assert all(sent[f"after{i}@example.com"] == 1 for i in range(20))


def test_without_notifications_polling_still_sends(
    stack: Stack, schedulers: dict[str, ServiceProcess], tmp_path: Path
) -> None:
    """A LISTEN connection that cannot work (as behind a transaction pooler) costs latency only."""
    unreachable = f"postgresql://nobody@/postgres?host={tmp_path}&connect_timeout=1"
    start(stack, schedulers, "polling", LISTEN_DATABASE_URL=unreachable)
    audio = upload(stack, JFK_FLAC)
    [request_id] = create(stack, ["polled@example.com"], audio, NOTE)

    wait_until(
        lambda: statuses(stack, [request_id]) == {"sent": 1},
        timeout_s=30,
        what="the polled request",
    )
    assert "listen connection lost" in schedulers["polling"].output()


def start_transcribe_pod(stack: Stack, name: str) -> tuple[ServiceProcess, str]:
    """One more transcription pod, beside the stack's own; returns it and its address."""
    env = stack.service_env(TRANSCRIBE_PORT="0", TRANSCRIBE_METRICS_PORT="0")
    pod = stack.run_supervised(
        name, lambda: ServiceProcess.python_module(name, "transcribe_svc", env)
    )
    address = f"127.0.0.1:{pod.wait_port()}"
    wait_serving(address)
    return pod, address


def test_a_recording_that_kills_two_transcription_pods_fails_as_too_demanding(
    stack: Stack, schedulers: dict[str, ServiceProcess], tmp_path: Path
) -> None:
    """Each pod is killed (as the OOM killer would) while it transcribes the recording: the
    scheduler tries a second pod at once, and after that one dies too, fails the request."""
    pods = dict(start_transcribe_pod(stack, f"doomed-pod{index}") for index in (1, 2))
    audio_id = upload(stack, write_long_speech(tmp_path / "long.wav", repeats=5))
    [request_id] = create(stack, ["heavy@example.com"], audio_id, None)
    start(stack, schedulers, "pod-killer", TRANSCRIBE_ADDR="ipv4:" + ",".join(pods.values()))

    killed: list[ServiceProcess] = []
    for _ in pods:
        busy = wait_until(
            lambda: next(
                (p for p in pods if p not in killed and '"audio received"' in p.output()), None
            ),
            timeout_s=60,
            what="a pod to take the recording",
        )
        busy.kill()
        killed.append(busy)

    wait_until(
        lambda: statuses(stack, [request_id]) == {"failed": 1}, timeout_s=30, what="the failure"
    )
    assert sorted(pod.name for pod in killed) == ["doomed-pod1", "doomed-pod2"]
    assert query(
        stack,
        "SELECT error_code, error_message, transcriber_deaths, attempts FROM summary_requests"
        " WHERE id = %s",
        request_id,
    ) == [("audio_too_demanding", AUDIO_TOO_DEMANDING_MESSAGE, 2, 1)]
    assert emails_by_recipient(stack)["heavy@example.com"] == 0
