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

It also keeps which segment script, if any, the anchor has put on the
prompter (:mod:`ui.segments`): asked for from the Live screen or the
prompter, published as ``segment_changed``, and dropped as soon as the
product on air changes, so a move in the queue always brings the product's
script back.
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
from console.domain.enums import ScriptSegment
from console.domain.errors import DomainError
from console.domain.onair import ShowNow, ShowState
from ui.segments import SegmentCue, approved_segment

if TYPE_CHECKING:
    from console.services.onair import MetricPoint
    from console.services.registry import Services
    from console.services.worker import DbWorker

# What a show is made of: a commit touching one of these, not made here, is read again.
WATCHES = frozenset({"onair_event", "show_run", "metric_snapshot", "broadcast", "queue_item"})
# What a segment script on the prompter is read from again when a commit touches it.
SCRIPT_TABLES = frozenset({"script", "script_version"})
# The keys of the on-air service, by the name the screens and the overlay use.
ACTIONS = frozenset({"next", "previous", "jump", "skip", "sold_out", "set_stock", "note", "pause", "resume", "end"})
_tags = itertools.count(1)


class ShowControl(QObject):
    changed = Signal(object)        # the show as it now stands (ShowNow), or None: nothing on air
    refused = Signal(object)        # a DomainError: a key the show refused; the show goes on
    metrics_recorded = Signal(object)   # a MetricPoint
    segment_changed = Signal(object)    # the SegmentCue now on the prompter, or None: the product's script
    _from_thread = Signal(object)   # an answer to a call made off the GUI thread (the overlay)

    def __init__(self, services: Services, worker: DbWorker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._worker = worker
        self.tag = f"ShowControl-{next(_tags)}"
        self.show: ShowNow | None = None
        self.segment: SegmentCue | None = None     # the segment script on the prompter, if one is
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
        moved = _on_air_key(show) != _on_air_key(self.show)
        self.show = show
        self._shown_at = time.monotonic()
        if moved and self.segment is not None:
            self.segment = None      # before the show is told, so the prompter draws the product at once
            self.changed.emit(show)
            self.segment_changed.emit(None)
            return
        self.changed.emit(show)

    # --- a segment script on the prompter ------------------------------------------------------
    async def show_segment(self, segment: ScriptSegment) -> SegmentCue | None:
        """Put the segment's approved script on the prompter; asked again for the one shown, go back.

        The same key twice toggles, as a clicker's button would; None when
        nothing is on air or the prompter went back to the product.
        """
        show = self.show
        if show is None or not show.live:
            return None
        if self.segment is not None and self.segment.segment == segment:
            self.back_to_product()
            return None
        cue = await self._run(functools.partial(approved_segment, self._services.scripts, show.broadcast_id,
                                                segment))
        if _on_air_key(self.show) != _on_air_key(show):
            return None       # the show moved on while the worker read: the product on air comes first
        self._set_segment(cue)
        return cue

    def back_to_product(self) -> None:
        """The prompter shows the product on air's script again."""
        self._set_segment(None)

    async def read_segment_again(self) -> None:
        """A script changed (approved, taken off): the segment shown is read again, if one is."""
        shown, show = self.segment, self.show
        if shown is None or show is None or not show.live:
            return
        cue = await self._run(functools.partial(approved_segment, self._services.scripts, show.broadcast_id,
                                                shown.segment))
        if self.segment is shown:      # nobody went back or asked for another meanwhile
            self._set_segment(cue)

    def _set_segment(self, cue: SegmentCue | None) -> None:
        if cue == self.segment:
            return
        self.segment = cue
        self.segment_changed.emit(cue)

    # --- following other processes -----------------------------------------------------------
    def on_changes(self, changes: ChangeSet) -> None:
        """A commit somewhere (the window relays every one): read the show again if it was not ours."""
        if changes.origin is Origin.LOCAL and changes.initiator == self.tag:
            return
        from ui.tasks import spawn

        if self.segment is not None and changes.touches(SCRIPT_TABLES):
            # A segment script approved (or taken off) mid-show: the prompter and the Live screen follow,
            # whether the prompter's window is open or not.
            spawn(self.read_segment_again(), owner=self)
        if not changes.touches(WATCHES):
            return
        spawn(self.refresh(), owner=self)


def _on_air_key(show: ShowNow | None) -> tuple[Any, Any] | None:
    """Which run and which product are on air: a segment is dropped when this changes."""
    if show is None or not show.live:
        return None
    return show.run_id, show.current.queue_item_id if show.current is not None else None


def _settle_garbage() -> None:
    """Collect once, then freeze the survivors (``gc.freeze``): later collections skip them."""
    gc.collect()
    gc.freeze()
