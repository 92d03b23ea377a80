"""One ordered worker for database work, awaitable from the UI's asyncio loop.

Every call runs on the same single thread, in the order it was made, so the
GUI never blocks on SQLite and two edits never interleave (Anki's taskman
does the same). Results come back as awaitables on the caller's loop.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class DbWorker:
    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db-worker")

    async def run(self, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            # A loop that lives inside another event loop (qasync inside Qt's) may step a task
            # while Qt processes events outside run_forever: the task's own loop is still the
            # one to come back to, and it is the thread's current loop.
            loop = asyncio.get_event_loop_policy().get_event_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args, **kwargs))

    def submit(self, fn: Callable[..., R], *args: Any, **kwargs: Any) -> "Any":
        """A concurrent future, for callers without a running loop."""
        return self._executor.submit(fn, *args, **kwargs)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True)
