"""Fire-and-forget work on the loop, held so it is never dropped, and never failing in silence.

A task started from a signal (a timer, a change set, an undo step) is kept
here until it ends; an exception it raises goes to ``sys.excepthook`` (the
crash reporter: the log, and one sentence in the window). Given an owner,
the task is cancelled when the owner is destroyed, so nothing runs on a
closed window; given an owner already destroyed, it is cancelled at once.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import QObject
from shiboken6 import isValid

_running: set[asyncio.Task[Any]] = set()


def spawn(work: Coroutine[Any, Any, Any], *, owner: QObject | None = None) -> asyncio.Task[Any]:
    task = asyncio.ensure_future(work)
    _running.add(task)
    task.add_done_callback(_done)
    if owner is not None and not isValid(owner):
        # The owner is gone already (a timer or a queued signal that fired as its window closed): the work is for
        # nobody, and connecting to a deleted object would raise where the caller cannot help it.
        task.cancel()
    elif owner is not None:
        connection = owner.destroyed.connect(lambda *_: task.cancel())
        task.add_done_callback(lambda _t: isValid(owner) and QObject.disconnect(connection))
    return task


def _done(task: asyncio.Task[Any]) -> None:
    _running.discard(task)
    if task.cancelled():
        return
    problem = task.exception()
    if problem is not None:
        sys.excepthook(type(problem), problem, problem.__traceback__)


def running() -> frozenset[asyncio.Task[Any]]:
    return frozenset(_running)


async def cancel_all() -> None:
    """Quitting: end what is still running, so no task is destroyed while pending."""
    pending = [task for task in _running if not task.done()]
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.gather(*pending, return_exceptions=True)
