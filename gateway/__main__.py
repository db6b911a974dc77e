"""Run the HTTP gateway: `python -m gateway`."""

from __future__ import annotations

import asyncio
import signal
import socket

import structlog
import uvicorn

from gateway.app import create_app
from gateway.config import GatewaySettings
from voice_core.logs import configure_logging, stop_logging
from voice_core.metrics import serve_metrics
from voice_core.settings import load_settings

log = structlog.get_logger("gateway")


async def serve(settings: GatewaySettings) -> None:
    # Binding the socket ourselves lets GATEWAY_PORT=0 work, with the real port logged. It must
    # say IPPROTO_TCP: asyncio turns Nagle off (TCP_NODELAY) only on such sockets, and with
    # Nagle on, keep-alive clients wait ~40 ms for each response's last segment.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((settings.gateway_host, settings.gateway_port))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(settings),
        log_config=None,
        access_log=False,
        # X-Forwarded-For is read by the app itself (gateway.app), under FORWARDED_ALLOW_IPS.
        proxy_headers=False,
        # Headers beyond 16 KiB are refused by the HTTP parser itself (431).
        h11_max_incomplete_event_size=16 * 1024,
        timeout_graceful_shutdown=int(settings.shutdown_grace_s),
    )
    server = uvicorn.Server(config)
    log.info("http server listening", host=settings.gateway_host, port=port)
    # uvicorn stops gracefully on SIGTERM/SIGINT, then re-raises the signal to the handler
    # that was there before; a no-op one lets the process exit 0 after a clean stop.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: None)
    await server.serve(sockets=[sock])
    log.info("stopped")


def main() -> None:
    settings = load_settings(GatewaySettings)
    configure_logging("gateway", settings)
    if settings.rate_limits == "off":
        log.warning("RATE_LIMITS=off: no rate limits at all; never expose this gateway")
    try:
        serve_metrics(settings.gateway_host, settings.gateway_metrics_port)
        asyncio.run(serve(settings))
    finally:
        stop_logging()


if __name__ == "__main__":
    main()
