"""A webhook endpoint on 127.0.0.1:0, in the test's own event loop: it records every request
and answers with the statuses a test scripts (then 204), so a test can await deliveries
rather than poll for them."""

from __future__ import annotations

import asyncio
import socket
import ssl
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from types import TracebackType

from aiohttp import web


@dataclass(frozen=True)
class ReceivedEvent:
    path: str
    headers: dict[str, str]
    body: str
    # time.monotonic() when it came: the gaps between retries.
    received_at: float


class WebhookReceiver:
    """`answers`: the status of each request in turn (a 3xx carries `Location: redirect_to`);
    204 once they are used up."""

    def __init__(
        self,
        answers: Iterable[int] = (),
        *,
        redirect_to: str = "",
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self._answers = deque(answers)
        self._redirect_to = redirect_to
        self._ssl_context = ssl_context
        self.received: list[ReceivedEvent] = []
        self._arrived = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    def url(self, path: str = "/hook", host: str = "127.0.0.1") -> str:
        scheme = "https" if self._ssl_context else "http"
        return f"{scheme}://{host}:{self.port}{path}"

    async def __aenter__(self) -> WebhookReceiver:
        app = web.Application()
        app.router.add_route("*", "/{path:.*}", self._handle)
        self._runner = web.AppRunner(app, shutdown_timeout=1.0)
        await self._runner.setup()
        listener = socket.create_server(("127.0.0.1", 0))
        await web.SockSite(self._runner, listener, ssl_context=self._ssl_context).start()
        self.port = listener.getsockname()[1]
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        event = ReceivedEvent(
            request.path, dict(request.headers), await request.text(), time.monotonic()
        )
        async with self._arrived:
            self.received.append(event)
            self._arrived.notify_all()
        status = self._answers.popleft() if self._answers else 204
        if 300 <= status < 400:
            return web.Response(status=status, headers={"Location": self._redirect_to})
        return web.Response(status=status, text="" if status == 204 else "answer")

    async def wait_for(self, count: int, timeout_s: float = 20.0) -> list[ReceivedEvent]:
        """The first `count` requests, once they have come."""
        async with asyncio.timeout(timeout_s), self._arrived:
            await self._arrived.wait_for(lambda: len(self.received) >= count)
        return self.received[:count]
