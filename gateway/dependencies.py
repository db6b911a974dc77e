"""What route handlers receive: settings and the gRPC side.

All are `async def` although none awaits: FastAPI runs plain functions on a thread pool,
a thread hop per dependency per request for no benefit.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from gateway.config import GatewaySettings
from gateway.upstream import Upstream


async def _upstream(request: Request) -> Upstream:
    upstream: Upstream = request.app.state.upstream
    return upstream


async def _settings(request: Request) -> GatewaySettings:
    settings: GatewaySettings = request.app.state.settings
    return settings


UpstreamDep = Annotated[Upstream, Depends(_upstream)]
SettingsDep = Annotated[GatewaySettings, Depends(_settings)]
