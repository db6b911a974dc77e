"""`make bench-healthcheck`: the CPU one container health check costs.

Docker runs `python -m voice_core.healthcheck` in every container every 15 s, so its cost is
paid all day by an idle stack (docs/deploy.md). This starts a real grpcio health server (SERVING)
and a local HTTP server answering 200 on loopback, then runs, one after another, each command
RUNS times as a new process, as Docker does, and reads the CPU (user + system) of each from
`getrusage(RUSAGE_CHILDREN)`:

- `python -c pass`: the interpreter's own start, the floor;
- the health check against the gRPC server, and against the HTTP server;
- the same gRPC call made with grpcio and its health stubs, what the check avoids importing.

Prints JSON, then a table of the median and the mean (milliseconds of CPU per run).
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

RUNS = 20
GRPCIO_CHECK = """
import sys, grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
with grpc.insecure_channel(sys.argv[1]) as channel:
    answer = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=3)
sys.exit(answer.status != health_pb2.HealthCheckResponse.SERVING)
"""


@contextmanager
def grpc_health_server() -> Iterator[str]:
    """grpcio's server with only the standard health service, SERVING; yields its address."""
    servicer = health.HealthServicer()
    servicer.set("", health_pb2.HealthCheckResponse.SERVING)
    server = grpc.server(ThreadPoolExecutor(max_workers=2))
    health_pb2_grpc.add_HealthServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.stop(grace=None)


@contextmanager
def http_ok_server() -> Iterator[str]:
    """A local HTTP server answering every GET with 200; yields a /readyz URL on it."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.end_headers()

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/readyz"
    finally:
        server.shutdown()
        server.server_close()


def cpu_ms_per_run(command: list[str]) -> list[float]:
    """CPU (user + system) of each of RUNS runs of the command; each must exit 0."""
    # The images compile every module at install (UV_COMPILE_BYTECODE); here one unmeasured run
    # writes the bytecode that is missing, even where PYTHONDONTWRITEBYTECODE is set, or each
    # run would compile from source (hpack's Huffman table alone takes some 30 ms).
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(command, check=True, capture_output=True, env=environment)
    costs = []
    for _ in range(RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(command, check=True, capture_output=True, env=environment)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        spent = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        costs.append(spent * 1000)
    return costs


def main() -> None:
    python = sys.executable
    with grpc_health_server() as address, http_ok_server() as url:
        commands = {
            "python -c pass": [python, "-c", "pass"],
            "healthcheck, gRPC": [python, "-m", "voice_core.healthcheck", address],
            "healthcheck, HTTP": [python, "-m", "voice_core.healthcheck", url],
            "grpcio Health/Check": [python, "-c", GRPCIO_CHECK, address],
        }
        results = {name: cpu_ms_per_run(command) for name, command in commands.items()}
    summary = {
        name: {
            "median_ms": round(statistics.median(costs), 1),
            "mean_ms": round(statistics.mean(costs), 1),
        }
        for name, costs in results.items()
    }
    print(json.dumps({"python": platform.python_version(), "runs": RUNS, "cpu": summary}, indent=2))
    print(f"\nCPU per run, {RUNS} runs, Python {platform.python_version()}")
    print(f"{'command':<22}{'median ms':>10}{'mean ms':>10}")
    for name, figures in summary.items():
        print(f"{name:<22}{figures['median_ms']:>10}{figures['mean_ms']:>10}")


if __name__ == "__main__":
    main()
