"""The show on air, for every part of the GUI that follows or drives it.

One :class:`ShowControl` per main window. The Live screen's keys, the
prompter's keys and the overlay's buttons all act through it, on the ordered
database worker, so they are recorded in the order they were pressed; each
answer (the show as it now stands, already on disk) is published as
``changed`` to everything that shows the show. What another process did (the
command line, a second console on the same data folder) arrives through the
stream of changes and is read again, so the screens follow it within a second.

Between answers the clocks run on: :meth:`clocks` adds the time since the
last answer to its figures while the show is live and not paused.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import gc
import functools
import itertools
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from shiboken6 import isValid

from console.domain.changes import ChangeSet, Origin, initiated_by
from console.domain.errors import DomainError
from console.domain.onair import ShowNow, ShowState

if TYPE_CHECKING:
    from console.services.onair import MetricPoint
    from console.services.registry import Services
    from console.services.worker import DbWorker

# What a show is made of: a commit touching one of these, not made here, is read again.
WATCHES = frozenset({"onair_event", "show_run", "metric_snapshot", "broadcast", "queue_item"})
# The keys of the on-air service, by the name the screens and the overlay use.
ACTIONS = frozenset({"next", "previous", "jump", "skip", "sold_out", "set_stock", "note", "pause", "resume", "end"})
_tags = itertools.count(1)


class ShowControl(QObject):
    changed = Signal(object)        # the show as it now stands (ShowNow), or None: nothing on air
    refused = Signal(object)        # a DomainError: a key the show refused; the show goes on
    metrics_recorded = Signal(object)   # a MetricPoint
    _from_thread = Signal(object)   # an answer to a call made off the GUI thread (the overlay)

    def __init__(self, services: Services, worker: DbWorker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._worker = worker
        self.tag = f"ShowControl-{next(_tags)}"
        self.show: ShowNow | None = None
        self._shown_at = time.monotonic()
        self._from_thread.connect(self._publish, Qt.ConnectionType.QueuedConnection)

    # --- reading ------------------------------------------------------------------------
    @property
    def live(self) -> bool:
        return self.show is not None and self.show.live

    @property
    def run_id(self) -> Any:
        return self.show.run_id if self.show is not None and self.show.live else None

    def clocks(self) -> tuple[float, float]:
        """The show's and the current product's elapsed seconds now."""
        show = self.show
        if show is None:
            return 0.0, 0.0
        extra = time.monotonic() - self._shown_at if show.state is ShowState.LIVE else 0.0
        return show.show_elapsed_seconds + extra, (show.item_elapsed_seconds + extra if show.current else 0.0)

    async def refresh(self) -> ShowNow | None:
        """Read the store's show on air again (at start, after sign-in, after another process's change)."""
        show = await self._run(self._services.onair.active)
        self._publish(show)
        return show

    # --- acting ---------------------------------------------------------------------------
    async def start(self, broadcast_id: Any, *, rehearsal: bool = False) -> ShowNow | None:
        return await self._act(functools.partial(self._services.onair.start, broadcast_id, rehearsal=rehearsal))

    async def act(self, name: str, *args: Any) -> ShowNow | None:
        """One of :data:`ACTIONS` on the show on air; None when it was refused (``refused`` says why)."""
        return await self._act(self._bound(name, *args))

    async def record_metrics(self, **figures: int | None) -> MetricPoint | None:
        try:
            point = await self._run(functools.partial(self._services.onair.record_metrics, run_id=self.run_id,
                                                      **figures))
        except DomainError as exc:
            self.refused.emit(exc)
            return None
        self.metrics_recorded.emit(point)
        return point

    def act_from_thread(self, name: str, *args: Any) -> concurrent.futures.Future[ShowNow]:
        """The same, for a caller on another thread (the overlay's server): the answer as a future.

        The worker records it in order with the screen's keys; the GUI thread then publishes it.
        """
        call = self._bound(name, *args)

        def work() -> ShowNow:
            with initiated_by(self.tag):
                show = call()
            self._from_thread.emit(show)
            return show

        return self._worker.submit(work)

    def _bound(self, name: str, *args: Any) -> Callable[[], ShowNow]:
        if name not in ACTIONS:
            raise ValueError(f"no such on-air action: {name}")
        return functools.partial(getattr(self._services.onair, name), *args, run_id=self.run_id)

    async def _act(self, call: Callable[[], ShowNow]) -> ShowNow | None:
        try:
            show = await self._run(call)
        except DomainError as exc:
            self.refused.emit(exc)
            return None
        self._publish(show)
        return show

    async def _run(self, call: Callable[[], Any]) -> Any:
        def tagged() -> Any:
            with initiated_by(self.tag):
                return call()

        result = await self._worker.run(tagged)
        if not isValid(self):
            # The window that held this show closed while the worker ran: nobody is left to tell.
            raise asyncio.CancelledError
        return result

    def _publish(self, show: ShowNow | None) -> None:
        if show is not None and show.live and not self.live:
            # A show begins (or is found on air): what the console holds so far lives on, so it leaves
            # the garbage collector's view. A full collection over the 300,000 objects a large store's
            # screens hold took up to 100 ms, at random keys of the show; now it looks at what is new.
            QTimer.singleShot(0, _settle_garbage)
        elif self.live and not (show is not None and show.live):
            gc.unfreeze()   # the show is over: cycles among what was frozen may be collected again
        self.show = show
        self._shown_at = time.monotonic()
        self.changed.emit(show)

    # --- following other processes -----------------------------------------------------------
    def on_changes(self, changes: ChangeSet) -> None:
        """A commit somewhere (the window relays every one): read the show again if it was not ours."""
        if changes.origin is Origin.LOCAL and changes.initiator == self.tag:
            return
        if not changes.touches(WATCHES):
            return
        from ui.tasks import spawn

        spawn(self.refresh(), owner=self)


def _settle_garbage() -> None:
    """Collect once, then freeze the survivors (``gc.freeze``): later collections skip them."""
    gc.collect()
    gc.freeze()
