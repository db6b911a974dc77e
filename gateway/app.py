"""The FastAPI application: routes, error format, request ids, CORS."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from gateway import audio_routes, health_routes, request_routes
from gateway.config import GatewaySettings
from gateway.errors import install_error_handlers
from gateway.metrics import HttpMetricsMiddleware
from gateway.middleware import BodyLimitMiddleware, RequestIdMiddleware, SecurityHeadersMiddleware
from gateway.rate_limit import TokenBucketLimiter
from gateway.upstream import Upstream


def create_app(settings: GatewaySettings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.upstream = Upstream(settings)
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
    app.state.uploads_limiter = TokenBucketLimiter(
        settings.rate_limit_uploads_per_minute, settings.rate_limit_uploads_burst
    )
    app.state.requests_limiter = TokenBucketLimiter(
        settings.rate_limit_requests_per_minute, settings.rate_limit_requests_burst
    )
    for routes in (health_routes, audio_routes, request_routes):
        app.include_router(routes.router)
    install_error_handlers(app)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["content-type", "x-request-id"],
        expose_headers=["x-request-id"],
    )
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_json_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware)
    # Added last, so they run first: every response, errors included, carries the request id
    # and is counted.
    app.add_middleware(RequestIdMiddleware)
    app.add_middleware(HttpMetricsMiddleware)
    return app
