"""Nothing escapes silently: unexpected errors go to a rotating log and one sentence in the window.

:func:`install` sets ``sys.excepthook`` (Qt slots and qasync's ``asyncSlot``
report through it), ``threading.excepthook`` and the asyncio loop's
exception handler. Each writes the traceback to ``logs/anchor-console.log``
in the data folder (rotated, so a bad day cannot fill the disk) and tells the
user, in their language, that something went wrong and where the log is. The
console keeps running: a live show must not end because one slot failed.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
import time
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from shiboken6 import isValid

from console.paths import LOG_DIRNAME

log = logging.getLogger("anchor_console.crash")

LOG_FILENAME = "anchor-console.log"
LOG_BYTES = 1_000_000
LOG_BACKUPS = 5
QUIET_SECONDS = 10.0      # one box at a time, and not again for this long: a failing timer must not flood


def log_path(data_dir: Path) -> Path:
    return data_dir / LOG_DIRNAME / LOG_FILENAME


def file_handler(data_dir: Path) -> logging.Handler:
    path = log_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Opened on the first record: a console that never logs leaves no file.
    handler = RotatingFileHandler(path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8",
                                  delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"))
    handler.setLevel(logging.INFO)
    return handler


class CrashReporter(QObject):
    """Logs what nobody caught and says so once in the window; lives as long as the console."""

    # Emitted from any thread; the box is shown on the GUI thread.
    reported = Signal(str)

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = log_path(data_dir)
        self._handler = file_handler(data_dir)
        self._box: QMessageBox | None = None
        self._last_shown = float("-inf")
        self._previous: tuple[Any, Any] | None = None
        self.count = 0     # unexpected errors seen since start (for tests and the About box)
        self.reported.connect(self._show, Qt.ConnectionType.QueuedConnection)

    # --- installing -------------------------------------------------------------------
    def install(self) -> None:
        root = logging.getLogger()
        if self._handler not in root.handlers:
            root.addHandler(self._handler)
            if root.level > logging.INFO or root.level == logging.NOTSET:
                root.setLevel(logging.INFO)
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.excepthook
        threading.excepthook = self._thread_hook

    def watch_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        loop.set_exception_handler(self.loop_exception)

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous
            self._previous = None
        logging.getLogger().removeHandler(self._handler)
        self._handler.close()

    # --- the hooks ------------------------------------------------------------------------
    def excepthook(self, kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QCoreApplication.quit()
            return
        self.report("uncaught error", (kind, value, tb))

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit or args.exc_value is None:
            return
        self.report(f"uncaught error in thread {args.thread.name if args.thread else '?'}",
                    (args.exc_type, args.exc_value, args.exc_traceback))

    def loop_exception(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        problem = context.get("exception")
        what = context.get("message", "asyncio error")
        if isinstance(problem, asyncio.CancelledError):
            return
        if problem is None:
            log.error("%s: %s", what, {k: v for k, v in context.items() if k != "message"})
            return
        self.report(what, (type(problem), problem, problem.__traceback__))

    def report(self, what: str, exc_info: tuple[type[BaseException], BaseException, TracebackType | None]) -> None:
        """Log the traceback and tell the user (from any thread)."""
        self.count += 1
        # Straight to the file as well as through the logger: a library's logging set-up
        # (dictConfig disabling existing loggers) must not lose the one record that matters.
        record = log.makeRecord(log.name, logging.ERROR, __file__, 0, "%s", (what,), exc_info)
        self._handler.handle(record)
        self._handler.flush()
        if not log.disabled:
            for handler in logging.getLogger().handlers:
                if handler is not self._handler:
                    handler.handle(record)
        self.reported.emit(what)

    # --- telling the user -------------------------------------------------------------------
    def sentence(self) -> str:
        return (QCoreApplication.translate(
            "CrashReporter", "Something went wrong, and the console kept running. The details are in %1.")
            .replace("%1", str(self.path)))

    def _show(self, _what: str) -> None:
        now = time.monotonic()
        if self.box is not None:
            return
        if now - self._last_shown < QUIET_SECONDS:
            return
        self._last_shown = now
        box = self._box if self._box is not None and isValid(self._box) else None
        if box is None:
            # One box, made once and shown again: never deleted on close (a widget Python owns that
            # Qt deletes on close is freed twice when its wrapper goes), held by this reporter, or by
            # the window it sits on.
            box = QMessageBox(QMessageBox.Icon.Warning,
                              QCoreApplication.translate("CrashReporter", "Anchor Console"),
                              "", QMessageBox.StandardButton.Ok, _active_window())
            box.setObjectName("CrashBox")
            # Not modal: whoever is on air keeps their keys.
            box.setWindowModality(Qt.WindowModality.NonModal)
            self._box = box
        box.setText(self.sentence())
        box.show()

    @property
    def box(self) -> QMessageBox | None:
        """The box while it is on screen; None once closed, or before anything went wrong."""
        box = self._box
        if box is None or not isValid(box) or not box.isVisible():
            return None
        return box


def _active_window() -> QWidget | None:
    """The window to sit on, if one is up and not on its way out."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return None
    window = app.activeWindow()
    if window is None or not isValid(window) or not window.isVisible():
        return None
    return window
