"""`python -m voice_core.healthcheck` against grpcio's server: healthy only when it says so."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import grpc
import pytest
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from voice_core.healthcheck import main


@pytest.fixture
def health_server() -> Iterator[tuple[str, health.HealthServicer]]:
    """A real gRPC server on loopback with only the standard health service."""
    servicer = health.HealthServicer()
    server = grpc.server(ThreadPoolExecutor(max_workers=2))
    health_pb2_grpc.add_HealthServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    yield f"127.0.0.1:{port}", servicer
    server.stop(grace=None)


@pytest.fixture
def http_status() -> Iterator[tuple[str, list[HTTPStatus]]]:
    """A local HTTP server answering GET with the status in the list (change it to test)."""
    status = [HTTPStatus.OK]

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(status[0])
            self.end_headers()

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/readyz", status
    server.shutdown()
    server.server_close()


def test_grpc_serving_is_healthy(
    health_server: tuple[str, health.HealthServicer], capsys: pytest.CaptureFixture[str]
) -> None:
    address, servicer = health_server
    servicer.set("", health_pb2.HealthCheckResponse.SERVING)
    assert main([address]) == 0
    assert capsys.readouterr().out == f"{address}: SERVING\n"


# UNKNOWN is 0, which protobuf leaves out: the answer is an empty message.
@pytest.mark.parametrize("status", ["NOT_SERVING", "UNKNOWN", "SERVICE_UNKNOWN"])
def test_any_other_grpc_status_is_unhealthy(
    health_server: tuple[str, health.HealthServicer],
    capsys: pytest.CaptureFixture[str],
    status: str,
) -> None:
    address, servicer = health_server
    servicer.set("", health_pb2.HealthCheckResponse.ServingStatus.Value(status))
    assert main([address]) == 1
    assert capsys.readouterr().out == f"{address}: {status}\n"


def test_a_server_without_the_health_service_is_unhealthy(
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = grpc.server(ThreadPoolExecutor(max_workers=1))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        assert main([f"127.0.0.1:{port}"]) == 1
    finally:
        server.stop(grace=None)
    assert capsys.readouterr().out == f"127.0.0.1:{port}: no health answer\n"


def test_nothing_listening_is_unhealthy(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as placeholder:
        placeholder.bind(("127.0.0.1", 0))
        free_port = placeholder.getsockname()[1]  # never listened on, and closed again
    assert main([f"127.0.0.1:{free_port}", "--timeout", "2"]) == 1
    assert capsys.readouterr().out == (
        f"127.0.0.1:{free_port}: unreachable ([Errno 111] Connection refused)\n"
    )
    assert main([f"http://127.0.0.1:{free_port}/readyz", "--timeout", "2"]) == 1
    assert capsys.readouterr().out == (
        f"http://127.0.0.1:{free_port}/readyz: unreachable ([Errno 111] Connection refused)\n"
    )


@pytest.mark.parametrize("scheme", ["", "http://"])
def test_a_server_that_never_answers_is_unhealthy_within_the_timeout(
    scheme: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The kernel completes the connection (a backlog), but nothing ever reads or answers."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        target = f"{scheme}127.0.0.1:{silent.getsockname()[1]}"
        started = time.monotonic()
        assert main([target, "--timeout", "0.5"]) == 1
        elapsed = time.monotonic() - started
    assert capsys.readouterr().out == f"{target}: unreachable (timed out)\n"
    assert 0.5 <= elapsed < 2.5


@pytest.mark.parametrize(
    ("answer", "seen"),
    [
        # h2 waits for the whole "frame" this header announces (4 MiB): the close ends it.
        (
            b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n",
            "unreachable (the server closed the connection)",
        ),
        # A HEADERS frame on the call's stream whose HPACK block cannot be decoded.
        (b"\x00\x00\x01\x01\x04\x00\x00\x00\x01\xff", "not a gRPC server (ProtocolError"),
    ],
)
def test_a_server_that_does_not_speak_grpc_is_unhealthy(
    answer: bytes, seen: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """HTTP/1.1, or broken HTTP/2, on the gRPC port: the check says so and exits 1."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        address = f"127.0.0.1:{listener.getsockname()[1]}"

        def answer_and_close() -> None:
            connection, _ = listener.accept()
            with connection:
                connection.recv(65536)
                connection.sendall(answer)
                # Closed for writing only, and read until the check hangs up: closing with
                # unread bytes would send a reset, which could overtake the answer.
                connection.shutdown(socket.SHUT_WR)
                connection.settimeout(5)
                while connection.recv(65536):
                    pass

        thread = threading.Thread(target=answer_and_close, daemon=True)
        thread.start()
        assert main([address, "--timeout", "2"]) == 1
        thread.join(timeout=5)
    assert capsys.readouterr().out.startswith(f"{address}: {seen}")


def test_http_200_is_healthy_and_503_is_not(
    http_status: tuple[str, list[HTTPStatus]], capsys: pytest.CaptureFixture[str]
) -> None:
    url, status = http_status
    assert main([url]) == 0
    status[0] = HTTPStatus.SERVICE_UNAVAILABLE
    assert main([url]) == 1
    assert capsys.readouterr().out.splitlines() == [f"{url}: HTTP 200", f"{url}: HTTP 503"]


def imported_by(target: str) -> set[str]:
    """The modules `python -m voice_core.healthcheck TARGET` imports."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "voice_core.healthcheck", target],
        capture_output=True,
        text=True,
        timeout=30,
    )
    return {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}


def test_a_check_imports_neither_grpc_nor_protobuf() -> None:
    """Docker runs it every 15 s in each container: it imports only what its target needs."""
    grpc_check = imported_by("127.0.0.1:1")  # port 1: refused, after every import
    assert "h2.connection" in grpc_check
    assert not {
        m for m in grpc_check if m.startswith(("grpc", "google.protobuf", "urllib.request"))
    }
    http_check = imported_by("http://127.0.0.1:1/readyz")
    assert "urllib.request" in http_check
    assert not {m for m in http_check if m.startswith(("grpc", "google.protobuf", "h2", "hpack"))}
