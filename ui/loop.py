"""The asyncio loop inside Qt's (qasync), with its loop current also for its last pass over events.

qasync's ``run_until_complete`` stops the loop, clears asyncio's running
loop, and then processes the pending Qt events once more. Callbacks that run
in that pass (a task's next step: a cancelled HTTP read, an
``asyncio.sleep``) find no running loop, and anyio and asyncio refuse
("no running event loop"). Here that last pass runs with this loop current,
as every other pass does.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop as QtEventLoop
from qasync import QEventLoop

T = TypeVar("T")


class ConsoleLoop(QEventLoop):  # type: ignore[misc]
    def run_until_complete(self, future: Awaitable[T]) -> T:
        task: asyncio.Future[Any] = asyncio.ensure_future(future, loop=self)

        def stop(*_args: object) -> None:
            self.stop()

        task.add_done_callback(stop)
        try:
            self.run_forever()
        finally:
            task.remove_done_callback(stop)
        asyncio.events._set_running_loop(self)
        try:
            # qasync's last pass over what is pending, with this loop current.
            dispatcher = self._QEventLoop__app.eventDispatcher()
            dispatcher.processEvents(QtEventLoop.ProcessEventsFlag.AllEvents)
        finally:
            asyncio.events._set_running_loop(None)
        return task.result()  # type: ignore[no-any-return]   # asyncio's InvalidStateError if the loop stopped early
