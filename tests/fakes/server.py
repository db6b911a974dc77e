"""Serve an aiohttp application on 127.0.0.1:0 from a thread of its own.

A thread (with its own event loop) lets the same fake serve async tests, synchronous tests and
service processes alike, and keeps answering while a test blocks or a hook runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import threading

from aiohttp import web


class BackgroundServer:
    """An aiohttp application on a loopback port; `start` returns its base URL."""

    def __init__(self, app: web.Application) -> None:
        self._app = app
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ready = threading.Event()
        self.port = 0
        # Set when the server stops: handlers that hold a request open give up on it.
        self.stopping = asyncio.Event()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> str:
        self._thread = threading.Thread(target=asyncio.run, args=(self._serve(),), daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout=10):
            raise RuntimeError("the fake server did not start")
        return self.base_url

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        runner = web.AppRunner(self._app, shutdown_timeout=1.0)
        await runner.setup()
        listener = socket.create_server(("127.0.0.1", 0))
        await web.SockSite(runner, listener).start()
        self.port = listener.getsockname()[1]
        self._ready.set()
        try:
            await self.stopping.wait()
        finally:
            await runner.cleanup()

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            with contextlib.suppress(RuntimeError):  # the loop already ended
                self._loop.call_soon_threadsafe(self.stopping.set)
            self._thread.join(timeout=10)


def reset_connection(request: web.Request) -> None:
    """Drop the client's connection with a TCP reset, as a crashing server or a proxy would."""
    transport = request.transport
    if transport is None:
        return
    sock = transport.get_extra_info("socket")
    if sock is not None:
        # Linger 0: closing sends RST instead of FIN.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
