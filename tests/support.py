"""Helpers the tests share: fixture files, real gRPC servers on port 0, row counts."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any, TypeVar

import grpc
import psutil
import psycopg
from psycopg.rows import tuple_row
from pydantic import SecretStr

from devstack.stack import Stack
from tests.fakes.mailjet import FakeMailjet
from voice_core.grpc_client import open_channel
from voice_core.grpc_server import ServiceApp, serving
from voice_core.settings import ServiceSettings

T = TypeVar("T")
FIXTURES = Path(__file__).parent / "fixtures"
JFK_FLAC = FIXTURES / "jfk.flac"
JFK_WEBM = FIXTURES / "jfk_chromium.webm"
TABLES = (
    "webhook_attempts, webhook_deliveries, request_capabilities, email_deliveries,"
    " summary_requests, transcripts, audio_assets,"
    " recipient_tokens, recipient_confirmation_emails, recipients"
)


# The internal auth token of the services the tests start in-process.
TEST_TOKEN = "test-internal-token"
TEST_SETTINGS = ServiceSettings(
    internal_auth_token=SecretStr(TEST_TOKEN), shutdown_grace_s=0, grpc_host="127.0.0.1"
)


@asynccontextmanager
async def running(app: ServiceApp) -> AsyncIterator[str]:
    """Serve an app on 127.0.0.1:0 through the production bootstrap (auth and request-id
    interceptors, health, reflection); yields its address. Call it through `client_channel()`."""
    async with serving(app, port=0, settings=TEST_SETTINGS) as port:
        yield f"127.0.0.1:{port}"


def client_channel(address: str) -> grpc.aio.Channel:
    """A client channel as the services open them, with the tests' auth token."""
    return open_channel(address, TEST_SETTINGS)


def wait_until(
    condition: Callable[[], T | None], timeout_s: float, what: str, *, interval_s: float = 0.05
) -> T:
    """Call `condition` until it returns something truthy, and return that; fail after
    `timeout_s` naming `what` was awaited. For state only visible by looking (a row, a file,
    a log line); where an event can be awaited, await it instead."""
    deadline = time.monotonic() + timeout_s
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")
        time.sleep(interval_s)
    return result


@contextmanager
def running_stack(data_dir: Path, **options: Any) -> Iterator[Stack]:
    """The whole system as real processes on a throwaway Postgres (`Stack.ephemeral`, every
    port 0). When it stops, every service still running must end cleanly on SIGTERM."""
    system = Stack.ephemeral(data_dir, **options)
    system.start()
    try:
        yield system
    finally:
        alive = {name for name, process in system.processes.items() if process.running()}
        statuses = system.stop()
    assert all(statuses[name] == 0 for name in alive), statuses


def log_lines(stack: Stack, service: str) -> list[dict[str, Any]]:
    """The JSON log lines a service of the stack has written so far."""
    output = stack.processes[service].output()  # a copy: the service may still be writing
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def mailjet_env(mailjet: FakeMailjet) -> dict[str, str]:
    """The settings that send every email through the fake Mailjet."""
    return {
        "EMAIL_BACKEND": "mailjet",
        "MAILJET_BASE_URL": mailjet.base_url,
        "MAILJET_API_KEY": mailjet.api_key,
        "MAILJET_API_SECRET": mailjet.api_secret,
        "MAIL_FROM_EMAIL": "notes@example.com",
    }


def gone(pid: int) -> bool:
    """The process has ended (a zombie waiting to be reaped by its new parent counts)."""
    try:
        return bool(psutil.Process(pid).status() == psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return True


def count_rows(database_url: str, table: str) -> int:
    with psycopg.connect(database_url) as connection:
        row = connection.execute(f"SELECT count(*) FROM {table}").fetchone()
    assert row is not None
    return int(row[0])


def write_long_speech(path: Path, repeats: int) -> Path:
    """A WAV of the JFK clip said `repeats` times in a row: real speech that takes a while."""
    import av
    import numpy as np
    from faster_whisper import decode_audio

    samples = np.tile(decode_audio(str(JFK_FLAC), sampling_rate=16_000), repeats)
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype(np.int16).reshape(1, -1)
    with av.open(str(path), "w", format="wav") as container:
        stream = container.add_stream("pcm_s16le", rate=16_000, layout="mono")
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
        frame.sample_rate = 16_000
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)
    return path


def insert_audio_row(connection: psycopg.Connection[Any]) -> uuid.UUID:
    """An audio asset row for requests to refer to (its bytes are never read)."""
    row = (
        connection.cursor(row_factory=tuple_row)
        .execute(
            "INSERT INTO audio_assets (storage_backend, storage_path, content_type, size_bytes,"
            " sha256) VALUES ('local', 'x.flac', 'audio/flac', 1, %s) RETURNING id",
            ["0" * 64],
        )
        .fetchone()
    )
    assert row is not None
    audio_id: uuid.UUID = row[0]
    return audio_id


def create_requests(
    connection: psycopg.Connection[Any],
    count: int = 1,
    *,
    audio_id: uuid.UUID | None = None,
    raw_transcript: str | None = "text",
    due_in: str = "0 seconds",
    request_id: str = "",
    email: str | None = None,
    confirmation_required: bool = False,
    webhook_url: str | None = None,
) -> list[uuid.UUID]:
    """`count` pending requests made as ingest makes them (`create_summary_request`), for
    `email` or for n1@example.com, n2@example.com…; with `confirmation_required`, those to an
    address that has not confirmed are awaiting_confirmation. A `webhook_url` is set in the
    same statement (`set_request_webhook` works only in the creating transaction)."""
    cursor = connection.cursor(row_factory=tuple_row)
    cursor.execute(
        "SELECT CASE WHEN %s::text IS NULL THEN c.id ELSE (set_request_webhook(c.id, %s)).id END"
        " FROM generate_series(1, %s) AS i, LATERAL create_summary_request("
        "coalesce(%s, 'n' || i || '@example.com'), %s, now() + %s::interval, %s, '', %s, %s) AS c",
        [
            webhook_url,
            webhook_url,
            count,
            email,
            audio_id or insert_audio_row(connection),
            due_in,
            raw_transcript,
            request_id,
            confirmation_required,
        ],
    )
    return [row[0] for row in cursor.fetchall()]


def fail_due_requests(connection: psycopg.Connection[Any], code: str, message: str) -> None:
    """Claim every due request and mark it failed, as a scheduler that gave up would."""
    connection.execute(
        "SELECT mark_request_failed(c.id, c.lease_token, %s, %s)"
        " FROM claim_due_requests(1000, 'test', 60, 1000) AS c",
        [code, message],
    )
