"""The FastAPI application: routes, error format, request ids, CORS."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from gateway import (
    audio_routes,
    config_routes,
    health_routes,
    recipient_routes,
    request_routes,
    transcript_routes,
)
from gateway.abuse_limits import RateLimitMiddleware, RateLimits
from gateway.config import GatewaySettings
from gateway.deployment import DeploymentInfo
from gateway.errors import install_error_handlers
from gateway.metrics import HttpMetricsMiddleware
from gateway.middleware import BodyLimitMiddleware, RequestIdMiddleware, SecurityHeadersMiddleware
from gateway.schemas import error_responses
from gateway.upstream import Upstream


def create_app(settings: GatewaySettings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.upstream = Upstream(settings)
        app.state.deployment = DeploymentInfo(app.state.upstream, settings.rpc_timeout_s)
        try:
            yield
        finally:
            await app.state.upstream.close()

    app = FastAPI(
        title="Voice notes API",
        version="1.0.0",
        description="Upload a voice note, get a summary by email now or later.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.rate_limits = RateLimits(settings) if settings.rate_limits == "on" else None
    # Every route may answer 429 (RateLimitMiddleware); the document says so for each.
    for routes in (
        health_routes,
        audio_routes,
        request_routes,
        transcript_routes,
        recipient_routes,
        config_routes,
    ):
        app.include_router(routes.router, responses=error_responses(429))
    install_error_handlers(app)
    # Inside CORS, so that a browser can read the 429 (preflights are answered before it).
    if app.state.rate_limits is not None:
        app.add_middleware(RateLimitMiddleware, limits=app.state.rate_limits)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
        # Authorization carries a request's capability (Bearer); no cookies are ever used.
        allow_headers=["authorization", "content-type", "x-request-id"],
        # Retry-After is no CORS-safelisted header: without this the UI could not honour it;
        # Content-Disposition names a transcript download (transcript.<format>).
        expose_headers=["x-request-id", "retry-after", "content-disposition"],
    )
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_json_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware)
    # The client's address from X-Forwarded-For, only when the peer is a trusted proxy. Here
    # rather than in uvicorn's config, so that the app keeps the rule under any server.
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.forwarded_allow_ips)
    # Added last, so they run first: every response, errors included, carries the request id
    # and is counted.
    app.add_middleware(RequestIdMiddleware)
    app.add_middleware(HttpMetricsMiddleware)
    return app
