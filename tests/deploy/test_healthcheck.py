"""`python -m voice_core.healthcheck` against grpcio's server: healthy only when it says so."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
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


def test_grpc_serving_is_healthy_and_anything_else_is_not(
    health_server: tuple[str, health.HealthServicer], capsys: pytest.CaptureFixture[str]
) -> None:
    address, servicer = health_server
    servicer.set("", health_pb2.HealthCheckResponse.NOT_SERVING)
    assert main([address]) == 1
    assert capsys.readouterr().out == f"{address}: NOT_SERVING\n"

    servicer.set("", health_pb2.HealthCheckResponse.SERVING)
    assert main([address]) == 0
    assert capsys.readouterr().out == f"{address}: SERVING\n"


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
    assert "unreachable (" in capsys.readouterr().out
    assert main([f"http://127.0.0.1:{free_port}/readyz", "--timeout", "2"]) == 1
    assert "unreachable (" in capsys.readouterr().out


def test_http_200_is_healthy_and_503_is_not(
    http_status: tuple[str, list[HTTPStatus]], capsys: pytest.CaptureFixture[str]
) -> None:
    url, status = http_status
    assert main([url]) == 0
    status[0] = HTTPStatus.SERVICE_UNAVAILABLE
    assert main([url]) == 1
    assert capsys.readouterr().out.splitlines() == [f"{url}: HTTP 200", f"{url}: HTTP 503"]


def test_a_check_imports_neither_grpc_nor_protobuf() -> None:
    """Docker runs it every few seconds in each container: Python's start must be its cost."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "voice_core.healthcheck", "127.0.0.1:1"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    assert "voice_core.healthcheck" in imported or "socket" in imported
    heavy = {m for m in imported if m.startswith(("grpc", "google.protobuf", "urllib.request"))}
    assert not heavy
