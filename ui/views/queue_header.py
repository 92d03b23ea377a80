"""The queue editor's header: which show, its planned time against the window, undo, "Mark ready", and what it said.

It keeps what it shows (the show, the timing, the notices, a refusal) so
that a language switch shows it all again in the new language. The report
of a refused "Mark ready" lists every block by link number and follows the
edits: each fixed item leaves it, and it closes once nothing blocks.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QToolButton, QVBoxLayout, QWidget

from console.domain.values import BroadcastRow, QueueTiming, ReadyCheck
from console.i18n import Message
from console.domain.errors import BroadcastNotReady
from ui.i18n import texts
from ui.models.queue import WARN_COLOUR, clock_text
from ui.text import broadcast_status_text

if TYPE_CHECKING:
    from ui.models.tables import BroadcastTableModel


class QueueHeader(QWidget):
    """The caption row and the two boxes below it: the gate's refusal (red) and the notices (amber)."""

    def __init__(self, shows: BroadcastTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._shows = shows                        # for the store's wall clock
        self._show: BroadcastRow | None = None
        self._timing: QueueTiming | None = None
        self._notices: list[Message] = []          # what the last edit did besides itself; planned again, and why
        self._marked_ready = False                 # the last "Mark ready" went through
        self.refusal: BroadcastNotReady | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        row = QHBoxLayout()
        self.caption = QLabel(self)
        self.caption.setObjectName("QueueCaption")
        self.timing_label = QLabel(self)
        self.timing_label.setObjectName("QueueTiming")
        self.undo_button, self.redo_button = QToolButton(self), QToolButton(self)
        self.undo_button.setText("↶")
        self.redo_button.setText("↷")
        self.ready_button = QPushButton(self)
        self.ready_button.setObjectName("PublishButton")
        row.addWidget(self.caption, 1)
        row.addWidget(self.timing_label)
        row.addSpacing(12)
        row.addWidget(self.undo_button)
        row.addWidget(self.redo_button)
        row.addWidget(self.ready_button)
        layout.addLayout(row)
        self.ready_report = QLabel(self)
        self.ready_report.setObjectName("Problem")
        self.ready_report.setWordWrap(True)
        self.ready_report.setTextFormat(Qt.TextFormat.RichText)
        self.ready_report.hide()
        self.notice_label = QLabel(self)
        self.notice_label.setObjectName("Notice")
        self.notice_label.setWordWrap(True)
        self.notice_label.hide()
        layout.addWidget(self.ready_report)
        layout.addWidget(self.notice_label)

    # --- what the page tells it ----------------------------------------------------------------
    def show_broadcast(self, show: BroadcastRow | None, timing: QueueTiming | None) -> None:
        self._show, self._timing = show, timing
        self._show_caption()

    @property
    def timing(self) -> QueueTiming | None:
        return self._timing

    def forget(self) -> None:
        """Another show: nothing said about the last one stays."""
        self._notices, self._marked_ready, self.refusal = [], False, None
        self.retranslate()

    def say(self, notices: Sequence[Message], *, marked_ready: bool = False) -> None:
        self._notices, self._marked_ready = list(notices), marked_ready
        self._show_notices()

    def follow(self, readiness: ReadyCheck | None) -> None:
        """After an edit: the refusal's report as the gate now sees it (closed once nothing blocks)."""
        if self.refusal is not None and readiness is not None:
            self.refusal = None if readiness.ready else BroadcastNotReady(readiness)
            self._show_report()

    def show_refusal(self, refusal: BroadcastNotReady | None) -> None:
        self.refusal = refusal
        self._show_report()

    def show_undo(self, stack: QUndoStack | None) -> None:
        can_undo, can_redo = stack is not None and stack.canUndo(), stack is not None and stack.canRedo()
        self.undo_button.setEnabled(can_undo)
        self.redo_button.setEnabled(can_redo)
        self.undo_button.setToolTip(self.tr("Undo %1 (Ctrl+Z)").replace("%1", stack.undoText())
                                    if stack is not None and can_undo else self.tr("Nothing to undo"))
        self.redo_button.setToolTip(self.tr("Redo %1 (Ctrl+Shift+Z)").replace("%1", stack.redoText())
                                    if stack is not None and can_redo else self.tr("Nothing to redo"))

    def retranslate(self) -> None:
        self._show_caption()
        self._show_notices()
        self._show_report()

    # --- showing it ----------------------------------------------------------------------------------
    def _show_caption(self) -> None:
        show = self._show
        if show is None:
            self.caption.setText(self.tr("No broadcast selected"))
            self.timing_label.clear()
            return
        when = f"{self._shows.local_time(show.planned_start, '%m-%d %H:%M')}–" \
               f"{self._shows.local_time(show.planned_end, '%H:%M')}"
        self.caption.setText(self.tr("<b>%1</b> · %2 · %3").replace("%1", html.escape(show.title))
                             .replace("%2", when).replace("%3", broadcast_status_text(show.status)))
        timing = self._timing
        if timing is None:
            self.timing_label.clear()
            return
        # One format for the three figures, so 36:30 is never read beside 2:00:00 as hours.
        hours = max(timing.planned_seconds, timing.window_seconds) >= 3600

        def clock(seconds: int) -> str:
            return clock_text(seconds, with_hours=hours)

        planned = self.tr("Planned %1 of %2").replace("%1", clock(timing.planned_seconds)) \
            .replace("%2", clock(timing.window_seconds))
        if timing.fits:
            self.timing_label.setText(self.tr("%1 · %2 to spare").replace("%1", planned)
                                      .replace("%2", clock(timing.spare_seconds)))
            return
        over = self.tr("%1 · %2 over").replace("%1", planned).replace("%2", clock(timing.over_seconds))
        # Over the window is a warning, not a block: the amber of the gate's warnings.
        self.timing_label.setText(f"<span style='color:{WARN_COLOUR.name()}; font-weight:600'>"
                                  f"{html.escape(over)}</span>")

    def _show_notices(self) -> None:
        shown = ([self.tr("Marked ready.")] if self._marked_ready else []) + texts(self._notices)
        self.notice_label.setText("\n".join(shown))
        self.notice_label.setVisible(bool(shown))

    def _show_report(self) -> None:
        refusal = self.refusal
        if refusal is None:
            self.ready_report.hide()
            return
        lines = [f"<b>{html.escape(texts([refusal])[0])}</b>"]
        lines += [f"• {html.escape(t)}" for t in texts(refusal.problems)]
        self.ready_report.setText("<br>".join(lines))
        self.ready_report.show()
