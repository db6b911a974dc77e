"""What route handlers receive: the settings and the gRPC side, from the app's state."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from gateway.config import GatewaySettings
from gateway.upstream import Upstream


def _upstream(request: Request) -> Upstream:
    upstream: Upstream = request.app.state.upstream
    return upstream


def _settings(request: Request) -> GatewaySettings:
    settings: GatewaySettings = request.app.state.settings
    return settings


UpstreamDep = Annotated[Upstream, Depends(_upstream)]
SettingsDep = Annotated[GatewaySettings, Depends(_settings)]
