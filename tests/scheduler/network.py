"""A TCP relay that can fail the way a network does: silently.

Between a service and Postgres it forwards bytes both ways until `cut()`; from then on nothing
passes and nothing is refused (packets dropped on the way, a partition): open connections hang,
new ones are accepted and hang too. `mend()` lets everything held through again.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from psycopg.conninfo import conninfo_to_dict, make_conninfo


class CuttableRelay:
    def __init__(self, database_url: str) -> None:
        """A relay to the Postgres server of `database_url` (TCP or Unix socket)."""
        self._database_url = database_url
        params = conninfo_to_dict(database_url)
        self._host = str(params.get("host") or "localhost")
        self._port = int(params.get("port") or 5432)
        self._open = asyncio.Event()
        self._open.set()
        self._pipes: set[asyncio.Task[None]] = set()

    def cut(self) -> None:
        self._open.clear()

    def mend(self) -> None:
        self._open.set()

    async def _pipe(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        try:
            while data := await source.read(65536):
                await self._open.wait()
                sink.write(data)
                await sink.drain()
        except ConnectionError:
            pass
        finally:
            sink.close()

    def _track(self, task: asyncio.Task[None]) -> None:
        self._pipes.add(task)
        task.add_done_callback(self._pipes.discard)

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        handler = asyncio.current_task()
        assert handler is not None
        self._track(handler)  # ended with the relay, even while it waits for the network
        await self._open.wait()
        if self._host.startswith("/"):  # a socket directory, as libpq names it
            path = f"{self._host}/.s.PGSQL.{self._port}"
            up_reader, up_writer = await asyncio.open_unix_connection(path)
        else:
            up_reader, up_writer = await asyncio.open_connection(self._host, self._port)
        for pipe in (self._pipe(reader, up_writer), self._pipe(up_reader, writer)):
            self._track(asyncio.create_task(pipe))

    @contextlib.asynccontextmanager
    async def serving(self) -> AsyncIterator[str]:
        """Listen on a free local port until the block ends; yields the database URL that
        goes through the relay."""
        server = await asyncio.start_server(self._relay, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        try:
            yield make_conninfo(self._database_url, host="127.0.0.1", port=port)
        finally:
            server.close()
            for task in list(self._pipes):
                task.cancel()
            await asyncio.gather(*self._pipes, return_exceptions=True)
