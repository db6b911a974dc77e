"""ASGI middleware: the request id of every HTTP call (accepted, logged and echoed)."""

from __future__ import annotations

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from voice_core.context import accept_request_id, bind_request_id

_HEADER = b"x-request-id"


class RequestIdMiddleware:
    """Take `X-Request-ID` from the caller (or make one), bind it for logs, echo it back.

    Pure ASGI rather than BaseHTTPMiddleware, so streamed uploads pass through untouched.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(_HEADER, b"").decode("latin-1") or None
        request_id = accept_request_id(given)
        structlog.contextvars.clear_contextvars()
        bind_request_id(request_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (_HEADER, request_id.encode())]
            await send(message)

        await self.app(scope, receive, send_with_id)
