"""Chaos under `make run`'s supervisor: ~200 requests fall due over ~20 s while the scheduler,
notify, transcribe, ingest and Postgres are each killed with SIGKILL in turn. Every request
still ends `sent`, with exactly one email; then SIGKILL of devstack itself leaves no process.
And a second `make run` beside the first names what holds its port and database; Ctrl-C then
stops the first one, Postgres included."""

from __future__ import annotations

import collections
import email
import email.policy
import functools
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psutil
import psycopg
import pytest

from tests.support import JFK_FLAC, JFK_WEBM, gone, wait_until

REQUESTS = 200
WITH_AUDIO = 8  # transcribed by Whisper (the rest carry their transcript)
DUE_OVER_S = 20.0
# In order: each is killed once the one before is back, while it has work in hand if it can.
VICTIMS = {
    "scheduler": "processing",
    "notify": "emailing",
    "transcribe": "transcribing",
    "ingest": None,
    "postgres": None,
}
# The scheduler's times scaled down with the test's: a 5 s lease, retries after 1 s, 2 s, …
# (in production 30 s, 60 s, …: far longer than a restart, as here; attempts stay at 5).
ENV = {
    "FRONTEND": "0",
    **{f"{name}_PORT": "0" for name in ("INGEST", "TRANSCRIBE", "NOTIFY", "SCHEDULER", "GATEWAY")},
    "EMAIL_BACKEND": "outbox",
    "STORAGE_BACKEND": "local",
    # 200 made-up addresses that never confirm: double opt-in is not what this test is about.
    "RECIPIENT_CONFIRMATION": "off",
    "RATE_LIMIT_REQUESTS_BURST": "1000000",
    "RATE_LIMIT_UPLOADS_BURST": "1000000",
    "SCHEDULER_POLL_INTERVAL_S": "0.5",
    "SCHEDULER_LEASE_S": "5",
    "SCHEDULER_CONCURRENCY": "8",
    "RETRY_BASE_S": "1",
    "RETRY_MAX_S": "8",
}
NOTE = (
    "The supplier confirmed the new delivery date for the spare parts. The warehouse team is "
    "ready to receive them on Thursday. Invoices for last month are still open. I will call "
    "the supplier tomorrow morning about the open invoices."
)


@dataclass
class Devstack:
    """`python -m devstack` (what `make run` runs) as a child of the test, its output kept."""

    popen: subprocess.Popen[str]
    data_dir: Path
    lines: list[str] = field(default_factory=list)

    def read(self) -> None:
        assert self.popen.stdout is not None
        for line in self.popen.stdout:
            self.lines.append(line)

    def output(self) -> str:
        return "".join(self.lines)

    def banner(self, label: str) -> str:
        found = re.search(rf"^  {label}:\s+(\S+)", self.output(), re.MULTILINE)
        assert found, f"no {label} in the banner:\n{self.output()[-3000:]}"
        return found.group(1)

    def child(self, name: str) -> psutil.Process | None:
        """The process now running `name` (a service module, or the postmaster), if any."""
        wanted = ["-m", f"{name}_svc" if name in ("ingest", "transcribe", "notify") else name]
        for process in psutil.Process(self.popen.pid).children():
            try:
                argv = process.cmdline() or [""]  # a zombie's is empty
            except psutil.Error:
                continue
            if argv[1:3] == wanted or (name == "postgres" and argv[0].endswith("/postgres")):
                return process
        return None

    def restarted(self, name: str, old_pid: int) -> bool:
        child = self.child(name)
        return f"{name} is back" in self.output() and child is not None and child.pid != old_pid


def processes_using(data_dir: Path) -> list[int]:
    """Processes whose command line names the data folder (the postmaster does)."""
    return [
        process.pid
        for process in psutil.process_iter(["cmdline"])
        if str(data_dir) in " ".join(process.info["cmdline"] or [])
    ]


@pytest.fixture
def devstack(tmp_path: Path) -> Iterator[Devstack]:
    # The data outside pytest's folder, which a pytest session starting meanwhile makes private
    # (Postgres runs as another user under root, and must reach its data at every restart).
    with tempfile.TemporaryDirectory(prefix="voice-chaos-") as data:
        # Run from an empty folder: no developer's .env comes into the test.
        popen = subprocess.Popen(
            [sys.executable, "-m", "devstack"],
            cwd=tmp_path,
            env={**os.environ, **ENV, "DATA_DIR": data},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        runner = Devstack(popen, Path(data))
        threading.Thread(target=runner.read, daemon=True).start()
        try:
            wait_until(
                lambda: "Voice notes is running" in runner.output() or popen.poll() is not None,
                180,
                "make run to start",
            )
            assert popen.poll() is None, runner.output()[-5000:]
            yield runner
        finally:
            popen.kill()  # its children die with it: the test checks that, here it only tidies
            popen.wait()
            wait_until(lambda: not processes_using(runner.data_dir), 10, "Postgres to end")


def create_requests(api: httpx.Client, started: datetime) -> list[str]:
    audio = [
        api.post("/v1/audio", files={"file": path.open("rb")}) for path in (JFK_FLAC, JFK_WEBM)
    ]
    assert all(response.status_code == 201 for response in audio), [r.text for r in audio]
    ids: list[str] = []
    for index in range(REQUESTS):
        due = started + timedelta(seconds=1 + DUE_OVER_S * index / REQUESTS)
        body: dict[str, Any] = {
            "email": f"chaos{index}@example.com",
            "audio_id": audio[index % 2].json()["audio_id"],
            "upload_token": audio[index % 2].json()["upload_token"],
            "send_at": due.isoformat(),
        }
        # The ones with audio fall due while transcribe is about to be killed.
        if not (REQUESTS // 4 <= index < REQUESTS // 4 + WITH_AUDIO):
            body["transcript"] = f"{NOTE} Reference {index}."
        response = api.post("/v1/requests", json=body)
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    return ids


def query(database_url: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    try:
        with psycopg.connect(database_url, connect_timeout=2) as connection:
            return connection.execute(sql, params).fetchall()
    except psycopg.OperationalError:
        return []  # Postgres is being restarted


def in_stage(database_url: str, stage: str) -> bool:
    if stage == "processing":
        sql = "SELECT 1 FROM summary_requests WHERE status = 'processing' LIMIT 1"
        return bool(query(database_url, sql))
    sql = "SELECT 1 FROM summary_requests WHERE stage = %s LIMIT 1"
    return bool(query(database_url, sql, stage))


def kill_in_turn(stack: Devstack, database_url: str) -> list[str]:
    """SIGKILL each victim (mid-work where it can be caught so), once the one before is back."""
    kills = []
    for name, busy_when in VICTIMS.items():
        victim = stack.child(name)
        assert victim is not None, name
        when = ""
        if busy_when is not None:
            try:
                wait_until(functools.partial(in_stage, database_url, busy_when), 8, busy_when)
                when = f" while {busy_when}"
            except AssertionError:
                when = " (idle)"  # nothing to catch it at in time: killed all the same
        victim.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        restarted = functools.partial(stack.restarted, name, victim.pid)
        wait_until(restarted, 60, f"{name} restarted")
        kills.append(f"{name}{when}, back in {time.monotonic() - killed_at:.1f} s")
    return kills


def why_not_sent(stack: Devstack, database_url: str) -> str:
    """The requests not sent, grouped, and what the supervisor and the services said."""
    stuck = query(
        database_url,
        "SELECT status, stage, error_code, left(error_message, 100), max(attempts), count(*)"
        " FROM summary_requests WHERE status <> 'sent' GROUP BY 1, 2, 3, 4",
    )
    said = [
        line
        for line in stack.lines
        if line.startswith("supervisor") or '"level": "error"' in line or "warn" in line
    ]
    return f"not sent: {stuck}\n" + "".join(said[-60:])


def emails_by_recipient(outbox: Path) -> collections.Counter[str]:
    messages = (
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in outbox.glob("*.eml")
    )
    return collections.Counter(str(message["To"]) for message in messages)


def test_a_second_make_run_names_the_first_and_ctrl_c_stops_all(
    devstack: Devstack, tmp_path: Path
) -> None:
    gateway_port = devstack.banner("API").rsplit(":", 1)[1]
    env = {**os.environ, **ENV, "DATA_DIR": str(devstack.data_dir), "GATEWAY_PORT": gateway_port}
    second = subprocess.run(
        [sys.executable, "-m", "devstack"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert second.returncode == 1
    first = f"started by another `make run` (PID {devstack.popen.pid})"
    gateway = devstack.child("gateway")
    assert gateway is not None
    said = second.stderr
    assert f"port {gateway_port} (gateway) is held by PID {gateway.pid} (" in said, said
    assert f"-m gateway), {first}" in said
    assert f"the database in {devstack.data_dir / 'pg'} is in use by PID" in said
    assert devstack.popen.poll() is None, "the first one was disturbed"

    # Ctrl-C: everything stops in order, Postgres included, and make run ends cleanly.
    devstack.popen.send_signal(signal.SIGINT)
    assert devstack.popen.wait(60) == 0, devstack.output()[-3000:]
    assert processes_using(devstack.data_dir) == []
    assert "database system is shut down" in devstack.output()


def test_every_request_is_sent_once_while_each_service_is_killed(devstack: Devstack) -> None:
    began = time.monotonic()
    api_url, database_url = devstack.banner("API"), devstack.banner("Database")
    with httpx.Client(base_url=api_url, timeout=30) as api:
        ids = create_requests(api, datetime.now(UTC))
    kills = kill_in_turn(devstack, database_url)

    def statuses() -> dict[str, int]:
        sql = "SELECT status::text, count(*) FROM summary_requests GROUP BY 1"
        return dict(query(database_url, sql))

    try:
        wait_until(lambda: statuses() == {"sent": REQUESTS}, 120, "every request sent")
    except AssertionError as timeout:
        raise AssertionError(f"{timeout}\n{why_not_sent(devstack, database_url)}") from None
    attempts = dict(
        query(database_url, "SELECT attempts, count(*) FROM summary_requests GROUP BY 1")
    )
    sources = dict(
        query(
            database_url,
            "SELECT transcript_source::text, count(*) FROM summary_requests GROUP BY 1",
        )
    )
    sent = emails_by_recipient(devstack.data_dir / "outbox")
    assert sorted(sent) == sorted(f"chaos{index}@example.com" for index in range(REQUESTS))
    assert set(sent.values()) == {1}, {who: n for who, n in sent.items() if n != 1}
    print(
        f"\n[chaos] {len(ids)} requests ({WITH_AUDIO} transcribed from audio) due over"
        f" {DUE_OVER_S:g} s, all sent once in {time.monotonic() - began:.1f} s;"
        f" killed: {'; '.join(kills)}; requests by attempts: {dict(sorted(attempts.items()))};"
        f" transcripts: {sources}\n"
        + "".join(line for line in devstack.lines if line.startswith("supervisor"))
    )

    # Then devstack itself: SIGKILL leaves nothing of it behind.
    everything = psutil.Process(devstack.popen.pid).children(recursive=True)
    devstack.popen.kill()
    devstack.popen.wait()
    wait_until(lambda: all(gone(p.pid) for p in everything), 10, "every child to end")
    assert processes_using(devstack.data_dir) == []
