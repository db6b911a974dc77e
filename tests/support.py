"""Helpers the tests share: fixture files, real gRPC servers on port 0, row counts."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import grpc
import psutil
import psycopg

from voice_core.grpc_server import ServiceApp
from voice_core.interceptor import RequestContextInterceptor

FIXTURES = Path(__file__).parent / "fixtures"
JFK_FLAC = FIXTURES / "jfk.flac"
JFK_WEBM = FIXTURES / "jfk_chromium.webm"
TABLES = "email_deliveries, summary_requests, transcripts, audio_assets"


@asynccontextmanager
async def running(app: ServiceApp) -> AsyncIterator[str]:
    """Serve an app on 127.0.0.1:0 with the production interceptor; yields its address."""
    server = grpc.aio.server(interceptors=[RequestContextInterceptor()])
    app.register(server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    await app.start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        await server.stop(grace=None)
        await app.stop()


def wait_until(condition: Callable[[], object], timeout_s: float, what: str) -> None:
    """Return once `condition()` is true; fail saying what did not happen in time."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")
        time.sleep(0.05)


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
    row = connection.execute(
        "INSERT INTO audio_assets (storage_backend, storage_path, content_type, size_bytes,"
        " sha256) VALUES ('local', 'x.flac', 'audio/flac', 1, %s) RETURNING id",
        ["0" * 64],
    ).fetchone()
    assert row is not None
    audio_id: uuid.UUID = row[0]
    return audio_id
