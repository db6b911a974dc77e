"""Prometheus metrics, served on a port of their own beside each service.

The RPC metrics follow the names Go's grpc-prometheus made common, so existing dashboards and
alerts fit; each service adds the few metrics of its own domain next to its code.
"""

from __future__ import annotations

import structlog
from prometheus_client import Counter, Histogram, start_http_server

log = structlog.get_logger("voice_core.metrics")

# Latencies from a millisecond (a summary, a lookup) to ten minutes (a long transcription).
LATENCY_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 600)

RPCS_HANDLED = Counter(
    "grpc_server_handled_total",
    "RPCs completed by the server, by method and status code.",
    ["grpc_service", "grpc_method", "grpc_code"],
)
RPC_SECONDS = Histogram(
    "grpc_server_handling_seconds",
    "Time from receiving an RPC to its status, by method.",
    ["grpc_service", "grpc_method"],
    buckets=LATENCY_BUCKETS,
)


def observe_rpc(full_method: str, code: str, seconds: float) -> None:
    """Count one finished RPC: `full_method` is gRPC's `/package.Service/Method`."""
    service, _, method = full_method.lstrip("/").partition("/")
    RPCS_HANDLED.labels(service, method, code).inc()
    RPC_SECONDS.labels(service, method).observe(seconds)


def serve_metrics(host: str, port: int) -> int:
    """Expose /metrics over HTTP on a background thread; returns the bound port (0 picks one)."""
    server, _thread = start_http_server(port, addr=host)
    bound = int(server.server_port)
    # Tests and the dev stack read the bound port from this line, as for the service port.
    log.info("metrics listening", host=host, port=bound)
    return bound
