"""Uploads against the real gateway process: bounded memory, limits, lies and hang-ups."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import psutil
import pytest

from devstack.stack import Stack
from tests.support import count_rows, wait_until

LIMIT = 128 * 1024 * 1024  # the default MAX_UPLOAD_BYTES
BOUNDARY = "limit-test-boundary"
PART_HEADER = (
    f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.flac"\r\n'
    "Content-Type: audio/flac\r\n\r\n"
).encode()


def spooled_files(stack: Stack) -> list[str]:
    spool = stack.data_dir / "audio" / ".spool"
    return [path.name for path in spool.glob("*")] if spool.exists() else []


def wait_for_no_spooled_files(stack: Stack) -> None:
    wait_until(lambda: not spooled_files(stack), timeout_s=15, what="the spool to empty")


class PeakRss:
    """Samples a process's resident memory in the background; `peak` is the largest seen."""

    def __init__(self, pid: int) -> None:
        self._process = psutil.Process(pid)
        self.baseline = self.peak = self._process.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self._process.memory_info().rss)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def body(total_bytes: int) -> Iterator[bytes]:
    """A multipart body whose file part is `total_bytes` of FLAC-looking bytes, streamed."""
    yield PART_HEADER + b"fLaC"
    chunk = b"\0" * (1024 * 1024)
    for _ in range(total_bytes // len(chunk)):
        yield chunk
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


def rows(stack: Stack) -> int:
    assert stack.database_url is not None
    return count_rows(stack.database_url, "audio_assets")


def test_two_gigabytes_are_refused_at_the_limit_in_bounded_memory(stack: Stack) -> None:
    before = rows(stack)
    gateway = stack.processes["gateway"].popen.pid
    started = time.monotonic()
    with PeakRss(gateway) as rss, httpx.Client(timeout=60) as client:
        response = client.post(
            f"{stack.gateway_url}/v1/audio",
            content=body(2 * 1024**3),  # no Content-Length: chunked, the limit is all we have
            headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}"},
        )
    took = time.monotonic() - started
    growth_mb = (rss.peak - rss.baseline) / 2**20
    print(f"\n[upload] 2 GB refused after {took:.1f} s; gateway RSS grew {growth_mb:.1f} MB")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert growth_mb < 50
    assert took < 30, "the refusal came at the limit, not after reading 2 GB"
    assert rows(stack) == before
    wait_for_no_spooled_files(stack)


def raw_upload(stack: Stack, declared_length: int, payload: bytes, *, hang_up: bool) -> bytes:
    """Speak HTTP by hand: headers that may lie, then `payload`, then read or hang up."""
    host, port = stack.addresses["gateway"].split(":")
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall(
            (
                f"POST /v1/audio HTTP/1.1\r\nHost: {host}\r\n"
                f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
                f"Content-Length: {declared_length}\r\n\r\n"
            ).encode()
        )
        connection.sendall(payload)
        if hang_up:
            return b""
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            if not (data := connection.recv(65_536)):
                break
            answer += data
        return answer


def test_content_length_that_lies_short_stores_nothing(stack: Stack) -> None:
    before = rows(stack)
    # The body the server reads ends inside the file: a cut-off upload, not a short file.
    declared = PART_HEADER + b"fLaC" + b"\0" * 4000
    answer = raw_upload(stack, declared_length=len(declared), payload=declared, hang_up=False)
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert b"incomplete_upload" in answer
    # Far more than declared: the surplus is not a request either.
    surplus = declared + b"\0" * 60_000 + f"\r\n--{BOUNDARY}--\r\n".encode()
    answer = raw_upload(stack, declared_length=len(declared), payload=surplus, hang_up=False)
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert rows(stack) == before
    wait_for_no_spooled_files(stack)


def test_content_length_over_the_limit_is_refused_before_reading(stack: Stack) -> None:
    answer = raw_upload(stack, declared_length=3 * LIMIT, payload=PART_HEADER, hang_up=False)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


@pytest.mark.parametrize("sent_mb", [0, 8])
def test_client_hanging_up_mid_upload_leaves_no_row_and_no_file(stack: Stack, sent_mb: int) -> None:
    before = rows(stack)
    payload = PART_HEADER + b"fLaC" + b"\0" * (sent_mb * 1024 * 1024)
    raw_upload(stack, declared_length=50 * 1024 * 1024, payload=payload, hang_up=True)
    wait_for_no_spooled_files(stack)
    assert rows(stack) == before
    audio_files = [p for p in (stack.data_dir / "audio").rglob("*.flac") if p.is_file()]
    assert all(p.stat().st_size != len(payload) - len(PART_HEADER) for p in audio_files)
