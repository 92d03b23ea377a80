"""The live wall's push to browsers: one poller per process refreshes the feed, each stream waits for it.

The poller runs only while somebody watches (it sleeps on an event when the
last stream closes), reads the database in a worker thread, and wakes every
stream when the shows changed; a stream then sends its own stores' view.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

from console.headoffice.wall import WallFeed

log = logging.getLogger(__name__)


class WallHub:
    def __init__(self, feed: WallFeed, interval: float = 1.0) -> None:
        self.feed = feed
        self.interval = interval
        self._waiting: set[asyncio.Event] = set()
        self._watched: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None

    async def changes(self) -> AsyncIterator[int]:
        """The feed's version now, then again after each change, for as long as the caller reads."""
        changed = asyncio.Event()
        self._waiting.add(changed)
        self._ensure_polling()
        try:
            yield self.feed.version
            while True:
                await changed.wait()
                changed.clear()
                yield self.feed.version
        finally:
            self._waiting.discard(changed)

    def _ensure_polling(self) -> None:
        if self._watched is None:
            self._watched = asyncio.Event()
        self._watched.set()
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._poll())

    async def _poll(self) -> None:
        assert self._watched is not None
        while True:
            if not self._waiting:
                self._watched.clear()
                await self._watched.wait()
            try:
                changed = await asyncio.to_thread(self.feed.refresh)
            except Exception:   # the database away for a moment: the streams stay, the next poll retries
                log.exception("the live wall could not be refreshed")
                changed = False
            if changed:
                for waiting in list(self._waiting):
                    waiting.set()
            await asyncio.sleep(self.interval)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except (asyncio.CancelledError, Exception):
                pass
