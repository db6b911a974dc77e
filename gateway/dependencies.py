"""What route handlers receive: settings, the gRPC side and rate-limit checks.

All are `async def` although none awaits: FastAPI runs plain functions on a thread pool,
a thread hop per dependency per request for no benefit.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request

from gateway.config import GatewaySettings
from gateway.errors import ApiError
from gateway.rate_limit import TokenBucketLimiter, retry_after_header
from gateway.upstream import Upstream


async def _upstream(request: Request) -> Upstream:
    upstream: Upstream = request.app.state.upstream
    return upstream


async def _settings(request: Request) -> GatewaySettings:
    settings: GatewaySettings = request.app.state.settings
    return settings


def _rate_limited(name: str) -> Callable[[Request], Awaitable[None]]:
    """A dependency that spends one of the client's tokens for `name`, or answers 429."""

    async def spend(request: Request) -> None:
        limiter: TokenBucketLimiter = getattr(request.app.state, f"{name}_limiter")
        client = request.client.host if request.client else "unknown"
        wait_s = limiter.take(client)
        if wait_s > 0:
            raise ApiError(
                429,
                "rate_limited",
                f"too many {name}; try again in {retry_after_header(wait_s)} s",
                headers={"Retry-After": retry_after_header(wait_s)},
            )

    return spend


UpstreamDep = Annotated[Upstream, Depends(_upstream)]
SettingsDep = Annotated[GatewaySettings, Depends(_settings)]
UploadQuota = Depends(_rate_limited("uploads"))
RequestQuota = Depends(_rate_limited("requests"))
