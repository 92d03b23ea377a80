"""One way to run an operation from a screen, like Anki's ``CollectionOp``.

:meth:`Operations.run` disables what triggered it, runs the service call on
the ordered database worker under the screen's change tag, shows a progress
box when the call takes long, asks for a reason when the rules warn (and
runs again with it), shows a refusal in the window in the user's language,
hands anything unexpected to the crash reporter (the window stays up), and
re-enables the trigger. What the call commits reaches every screen through
the stream of changes; the screen that ran it can tell its own changes by
:attr:`Operations.tag`.

    result = await self.ops.run(self.roster.publish, start, end, trigger=self.publish_button)
    if result is FAILED:
        return
"""

from __future__ import annotations

import asyncio
import enum
import functools
import inspect
import itertools
import logging
import sys
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QProgressDialog, QWidget
from shiboken6 import isValid

from console.domain.changes import initiated_by
from console.domain.errors import DomainError, OverrideNeeded
from console.i18n import Message

if TYPE_CHECKING:
    from console.services.worker import DbWorker

log = logging.getLogger(__name__)

R = TypeVar("R")
Trigger = QWidget | QAction
# Given the rules' warnings, the reason to go ahead, or None when the person declines.
ReasonAsker = Callable[[Sequence[Message]], Awaitable[str | None]]
ProblemSink = Callable[..., None]

PROGRESS_AFTER_MS = 400
_tags = itertools.count(1)


class Outcome(enum.Enum):
    FAILED = "failed"


FAILED = Outcome.FAILED


class Operations(QObject):
    """A screen's runner: its change tag, its busy count, where its problems are shown."""

    def __init__(self, owner: QWidget, worker: DbWorker, show_problem: ProblemSink, *,
                 ask_reason: ReasonAsker | None = None) -> None:
        super().__init__(owner)
        self._owner = owner
        self._worker = worker
        self._show_problem = show_problem
        self._ask_reason = ask_reason
        self._busy = 0
        self.tag = f"{type(owner).__name__}-{next(_tags)}"
        self.progress: QProgressDialog | None = None   # on screen while a slow operation runs

    @property
    def busy(self) -> bool:
        return self._busy > 0

    async def call(self, fn: Callable[..., R] | Callable[..., Awaitable[R]], /, *args: Any, **kwargs: Any) -> R:
        """Run on the worker under this screen's tag; errors are the caller's (for loads and inner steps).

        A coroutine function (the sync loop's ``sync_now``) is awaited on the loop instead: it does
        its own database work on the worker.
        """
        if inspect.iscoroutinefunction(fn):
            # Its database work goes to the worker on its own (the tag would not travel with it there).
            result: R = await fn(*args, **kwargs)
        else:
            result = await self._worker.run(_tagged, self.tag, functools.partial(fn, *args, **kwargs))
        if not isValid(self._owner):
            # The screen went (its window closed) while the worker ran: what waited for the
            # answer is cancelled rather than run on deleted widgets.
            raise asyncio.CancelledError
        return result

    async def run(self, fn: Callable[..., R], /, *args: Any, trigger: Trigger | Iterable[Trigger] | None = None,
                  progress: str | None = None, ask_reason: ReasonAsker | bool | None = None,
                  problem_words: Callable[[str], str] | None = None, exclusive: bool = False,
                  holds: bool = True, **kwargs: Any) -> R | Outcome:
        """Run ``fn(*args, **kwargs)`` as a user's operation; FAILED once its problem has been shown.

        ``ask_reason`` (True for the screen's own asker): when the rules warn,
        ask why, and run again with ``override_reason``. ``exclusive``: refuse
        (silently) while another operation of this screen is running, for keys
        that repeat. ``problem_words`` puts a refusal into the screen's words.
        ``holds=False`` for reads (a reload): they do not make the screen busy, so a key
        pressed meanwhile is not refused; the ordered worker runs it after the read anyway.
        """
        if exclusive and self.busy:
            return FAILED
        asker = self._ask_reason if ask_reason is True else ask_reason or None
        triggers = _triggers(trigger)
        enabled = [t.isEnabled() for t in triggers]
        for t in triggers:
            t.setEnabled(False)
        held = 1 if holds else 0
        self._busy += held
        timer = self._progress_timer(progress)
        try:
            while True:
                try:
                    return await self.call(fn, *args, **kwargs)
                except OverrideNeeded as exc:
                    if asker is None:
                        raise
                    reason = await asker(exc.warnings)
                    if not reason:
                        self._show_problem(QCoreApplication.translate(
                            "Operations", "Not saved: the rules warn, and going ahead needs a reason."))
                        return FAILED
                    kwargs["override_reason"] = reason
        except DomainError as exc:
            if problem_words is None:
                self._show_problem(exc)
            else:
                self._show_problem(exc, problem_words)
            return FAILED
        except Exception:
            # A bug, not a refusal: the traceback goes to the log, one sentence to the window.
            sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
            return FAILED
        finally:
            self._busy -= held
            if timer is not None and isValid(timer):
                timer.stop()
            self._close_progress()
            for t, was in zip(triggers, enabled):
                if isValid(t):
                    t.setEnabled(was)

    # --- progress -----------------------------------------------------------------------
    def _progress_timer(self, words: str | None) -> QTimer | None:
        if not words:
            return None
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(lambda: self._open_progress(words))
        timer.start(PROGRESS_AFTER_MS)
        return timer

    def _open_progress(self, words: str) -> None:
        if not isValid(self._owner) or self.progress is not None:
            return
        box = QProgressDialog(words, "", 0, 0, self._owner)
        box.setObjectName("OperationProgress")
        box.setCancelButton(None)   # database work cannot be stopped half-way
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setMinimumDuration(0)
        self.progress = box
        box.show()

    def _close_progress(self) -> None:
        box, self.progress = self.progress, None
        if box is not None and isValid(box):
            box.close()
            box.deleteLater()


def _tagged(tag: str, call: Callable[[], R]) -> R:
    with initiated_by(tag):
        return call()


def _triggers(trigger: Trigger | Iterable[Trigger] | None) -> list[Trigger]:
    if trigger is None:
        return []
    if isinstance(trigger, (QWidget, QAction)):
        return [trigger]
    return [t for t in trigger if t is not None]

