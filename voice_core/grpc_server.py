"""Bootstrap shared by every gRPC service: health, reflection, signals, graceful stop.

A service describes itself as a `ServiceApp`; `run_service` does the rest:

1. the server starts at once with health NOT_SERVING, so probes get an answer while the
   service gets ready (a Whisper model may take seconds to load);
2. `app.start()` opens what the service depends on; only then is health SERVING;
3. SIGTERM or SIGINT → NOT_SERVING → in-flight RPCs get `SHUTDOWN_GRACE_S` to finish →
   `app.stop()` closes pools.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Protocol

import grpc
import structlog
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_health.v1._async import HealthServicer
from grpc_reflection.v1alpha import reflection

from voice_core.auth import TokenAuthInterceptor
from voice_core.interceptor import RequestContextInterceptor
from voice_core.logs import configure_logging, stop_logging
from voice_core.metrics import serve_metrics
from voice_core.settings import ServiceSettings

log = structlog.get_logger("voice_core.server")

SERVING = health_pb2.HealthCheckResponse.SERVING
NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING
# Audio arrives in 64 KiB chunks; a little headroom for the other fields.
MAX_MESSAGE_BYTES = 4 * 1024 * 1024


class ServiceApp(Protocol):
    """What a service plugs into the shared server."""

    @property
    def service_names(self) -> Sequence[str]:
        """Full gRPC service names, for reflection and per-service health."""

    def register(self, server: grpc.aio.Server) -> None:
        """Add the servicers to the server (before it starts)."""

    async def start(self) -> None:
        """Open dependencies (pools, models); health turns SERVING when this returns."""

    async def stop(self) -> None:
        """Close dependencies after the server stopped."""


async def _set_health(health: HealthServicer, names: Sequence[str], status: int) -> None:
    for name in ("", *names):
        await health.set(name, status)


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)


def bind_port(server: grpc.aio.Server, address: str, settings: ServiceSettings) -> int:
    """Listen on `address`, with TLS when a certificate is configured; returns the port."""
    if settings.grpc_tls_cert is None or settings.grpc_tls_key is None:
        return int(server.add_insecure_port(address))
    ca = settings.grpc_tls_ca.read_bytes() if settings.grpc_tls_ca else None
    credentials = grpc.ssl_server_credentials(
        [(settings.grpc_tls_key.read_bytes(), settings.grpc_tls_cert.read_bytes())],
        root_certificates=ca,
        require_client_auth=ca is not None,
    )
    return int(server.add_secure_port(address, credentials))


@asynccontextmanager
async def serving(app: ServiceApp, *, port: int, settings: ServiceSettings) -> AsyncIterator[int]:
    """The app served as in production (interceptors, health, reflection, TLS) while the block
    runs; yields the bound port (pass 0 for any free one). On exit: NOT_SERVING, in-flight RPCs
    get the grace period, then `app.stop()`."""
    token = settings.internal_auth_token.get_secret_value()
    if not token:
        raise RuntimeError(
            "INTERNAL_AUTH_TOKEN is not set: every gRPC service needs the shared secret"
            " (make run generates one; see .env.example)"
        )
    server = grpc.aio.server(
        interceptors=[RequestContextInterceptor(), TokenAuthInterceptor(token)],
        options=[
            ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
            ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
            # Clients reconnect (and re-resolve DNS) at least this often, so that new pods of
            # an autoscaled service get traffic; calls in flight still finish.
            ("grpc.max_connection_age_ms", 60_000),
        ],
    )
    health = HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health, server)
    app.register(server)
    if settings.grpc_reflection:
        health_name = health_pb2.DESCRIPTOR.services_by_name["Health"].full_name
        reflection.enable_server_reflection(
            [*app.service_names, health_name, reflection.SERVICE_NAME], server
        )
    bound_port = bind_port(server, f"{settings.grpc_host}:{port}", settings)
    await _set_health(health, app.service_names, NOT_SERVING)
    await server.start()
    # Tests and the dev stack read the bound port from this line (they start servers on port 0).
    log.info(
        "grpc server listening",
        host=settings.grpc_host,
        port=bound_port,
        tls=settings.grpc_tls_cert is not None,
        reflection=settings.grpc_reflection,
    )
    try:
        await app.start()
        await _set_health(health, app.service_names, SERVING)
        log.info("serving", services=list(app.service_names))
        yield bound_port
    finally:
        await health.enter_graceful_shutdown()
        await server.stop(settings.shutdown_grace_s)
        await app.stop()
        log.info("stopped")


async def serve(app: ServiceApp, *, port: int, settings: ServiceSettings) -> None:
    """Run the app's gRPC server until SIGTERM/SIGINT, then stop gracefully."""
    stop = asyncio.Event()
    _stop_on_signals(stop)
    async with serving(app, port=port, settings=settings):
        await stop.wait()
        log.info("stopping", grace_s=settings.shutdown_grace_s)


def run_service(
    name: str, app: ServiceApp, *, port: int, metrics_port: int, settings: ServiceSettings
) -> None:
    """Entry point of a service's `__main__`: logging, metrics, event loop, exit status."""
    configure_logging(name, settings)
    try:
        serve_metrics(settings.grpc_host, metrics_port)
        asyncio.run(serve(app, port=port, settings=settings))
    except Exception:
        log.exception("service failed")
        raise SystemExit(1) from None
    finally:
        stop_logging()
