"""The chunks of one long note, handed out in order to whoever transcribes them.

Chunks are decoded and cut only when someone asks for the next one, so the coordinating pod
holds the audio of the chunks in flight, never the whole note. A chunk whose pod failed comes
back (`give_back`) and is handed out again before any new one: only that chunk is redone.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
from collections.abc import Iterator

from transcribe_svc.windows import Piece


class ChunkQueue:
    """Chunks from a blocking iterator (decoding and cutting run on a thread)."""

    def __init__(self, chunks: Iterator[Piece]) -> None:
        self._chunks = chunks
        self._returned: list[Piece] = []
        self._exhausted = False
        self._in_flight = 0
        self._producing = asyncio.Lock()
        self._production: asyncio.Future[Piece | None] | None = None
        self._changed = asyncio.Event()

    @property
    def exhausted(self) -> bool:
        """Every chunk has been cut (some may still come back)."""
        return self._exhausted

    async def take(self) -> Piece | None:
        """The next chunk to transcribe, or None once every chunk is done: while chunks are
        in flight elsewhere it waits, since one may come back."""
        while True:
            if self._returned:
                return self._hand_out(self._returned.pop(0))
            if not self._exhausted:
                async with self._producing:
                    if self._returned or self._exhausted:
                        continue
                    self._production = asyncio.get_running_loop().run_in_executor(
                        None, next, self._chunks, None
                    )
                    piece = await asyncio.shield(self._production)
                    if piece is not None:
                        return self._hand_out(piece)
                    self._exhausted = True
                    self._wake()
                continue
            if not self._in_flight:
                return None
            await self._changed.wait()

    def done(self) -> None:
        """A chunk handed out is transcribed."""
        self._in_flight -= 1
        self._wake()

    def give_back(self, piece: Piece) -> None:
        """A chunk handed out could not be transcribed where it went: hand it out again."""
        self._in_flight -= 1
        bisect.insort(self._returned, piece, key=lambda returned: returned.start_s)
        self._wake()

    async def changed(self, timeout_s: float) -> None:
        """Return once a chunk is done or given back, or after `timeout_s`."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout_s)

    async def close(self) -> None:
        """Wait for the chunk being cut, if any (its thread reads the audio file)."""
        if self._production is not None:
            await asyncio.wait([self._production])

    def _hand_out(self, piece: Piece) -> Piece:
        self._in_flight += 1
        return piece

    def _wake(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()
