"""Sync: whether this console reaches head office, what is waiting, and what needs review."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QPushButton, QWidget
from qasync import asyncSlot
from shiboken6 import isValid

from console.domain.conflicts import OpenConflict
from console.domain.permissions import Permission
from console.domain.values import SyncReviewItem, SyncStatus
from console.i18n import text
from console.i18n.formats import format_count, format_datetime, in_zone
from console.services.worker import DbWorker
from ui.actions import SYNC, ActionButton, ActionRegistry
from ui.i18n import ui_language
from ui.models.tables import SyncReviewModel
from ui.operations import FAILED
from ui.views.page import Page, make_table
from ui.views.roster_dialogs import run_dialog
from ui.views.sync_conflicts import ConflictDialog
from ui.views.sync_enroll import EnrollDialog

# Runs one sync and returns its report (console.sync.client.SyncReport); None when not enrolled.
SyncRunner = Callable[[], Awaitable[Any]]

if TYPE_CHECKING:
    from console.services.registry import Services


class SyncPage(Page):
    view_name = "sync"
    scope = SYNC
    watches = frozenset({"local_setting", "outbox"})
    # This console has just been enrolled: its store and people are head office's now, so sign in again.
    enrolled = Signal()

    def __init__(self, services: Services, worker: DbWorker, timezone: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, worker, parent)
        self._status: SyncStatus | None = None
        self._tz = timezone
        self._runner: SyncRunner | None = None
        self._sync_action: QAction | None = None     # the registry's "sync.now", once bound
        self._settle_action: QAction | None = None   # and its "sync.settle"
        self.conflict_dialog: ConflictDialog | None = None   # open now, if any (tests answer it)
        self.enroll_dialog: EnrollDialog | None = None       # likewise
        self._enroll_action: QAction | None = None
        self._enrollment = None   # console.services.enrollment.EnrollmentState, once loaded
        self._last_result = ""
        form = QFormLayout()
        self.server_caption, self.server_value = QLabel(self), QLabel(self)
        self.pending_caption, self.pending_value = QLabel(self), QLabel(self)
        self.last_caption, self.last_value = QLabel(self), QLabel(self)
        self.error_caption, self.error_value = QLabel(self), QLabel(self)
        self.error_value.setWordWrap(True)
        self.error_value.setObjectName("Problem")
        for caption, value in ((self.server_caption, self.server_value),
                               (self.pending_caption, self.pending_value),
                               (self.last_caption, self.last_value),
                               (self.error_caption, self.error_value)):
            form.addRow(caption, value)
        self.body.addLayout(form)

        buttons = QHBoxLayout()
        self.sync_button = QPushButton(self)
        self.sync_button.setObjectName("SyncNow")
        self.result_label = QLabel(self)
        self.enroll_button = QPushButton(self)
        self.enroll_button.setObjectName("Enroll")
        self.enroll_button.setVisible(False)
        buttons.addWidget(self.enroll_button)
        buttons.addWidget(self.sync_button)
        buttons.addWidget(self.result_label, 1)
        self.body.addLayout(buttons)

        review_bar = QHBoxLayout()
        self.review_label = QLabel(self)
        self.review_label.setObjectName("SectionTitle")
        self.reviewed_button = QPushButton(self)
        self.reviewed_button.setObjectName("MarkReviewed")
        self.reviewed_button.setVisible(services.actor.may(Permission.MANAGE_SYNC))
        self.reviewed_button.clicked.connect(self.on_mark_reviewed)
        self.settle_button = QPushButton(self)
        self.settle_button.setObjectName("SettleConflict")
        self.settle_button.setVisible(services.actor.may(Permission.MANAGE_SYNC))
        review_bar.addWidget(self.review_label, 1)
        review_bar.addWidget(self.settle_button)
        review_bar.addWidget(self.reviewed_button)
        self.body.addLayout(review_bar)
        self.review_model = SyncReviewModel(timezone, self)
        self.review_table = make_table(self.review_model, self)
        # Small screens: the list shrinks and scrolls rather than growing the window.
        self.review_table.setMinimumHeight(48)
        self.review_table.selectionModel().selectionChanged.connect(self._update_button)
        self.review_table.activated.connect(lambda _index: self.on_settle())   # Enter or a double-click
        self.body.addWidget(self.review_table, 1)
        self.retranslate()

    def set_actions(self, actions: ActionRegistry) -> None:
        """"Sync now" is the sync screen's action (Ctrl+Return here): the button stands for it."""
        self._sync_action = actions["sync.now"]
        ActionButton(self.sync_button, self._sync_action, "text")
        self._settle_action = actions["sync.settle"]
        ActionButton(self.settle_button, self._settle_action, "text")
        self._enroll_action = actions["sync.enroll"]
        ActionButton(self.enroll_button, self._enroll_action, "text")
        self._update_button()

    def set_sync_runner(self, runner: SyncRunner | None) -> None:
        """What "Sync now" runs (the console's sync loop); None while not enrolled."""
        self._runner = runner
        self._update_button()

    def retranslate(self) -> None:
        self.title_label.setText(self.tr("Sync"))
        self.intro_label.setText(self.tr(
            "The store works offline; changes wait here until head office can be reached."))
        self.server_caption.setText(self.tr("Head office"))
        self.pending_caption.setText(self.tr("Changes waiting"))
        self.last_caption.setText(self.tr("Last success"))
        self.error_caption.setText(self.tr("Last problem"))
        self.reviewed_button.setText(self.tr("Mark all as reviewed"))
        self.reviewed_button.setToolTip(self.tr(
            "Clears this list once someone has looked at it; what head office kept stays as it is."))
        self.coming_label.hide()
        self.settle_button.setToolTip(self.tr(
            "Both sides of the selected conflict, to keep one or the other or merge them (Enter)"))
        self.review_model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0,
                                                 self.review_model.columnCount() - 1)
        # Headers differ in length by language ("This store tried" vs "本店尝试"): never clip them.
        self.review_table.resizeColumnsToContents()
        self._show()

    async def load(self) -> None:
        self._status = await self.call(self._services.sync.status)
        if self._services.actor.may(Permission.MANAGE_SYNC):
            self._enrollment = await self.call(self._services.enrollment.state)
        review: list[SyncReviewItem] = await self.call(self._services.sync.review)
        self.review_model.set_rows(review)
        self.review_table.resizeColumnsToContents()
        self._show()

    def _update_button(self) -> None:
        if self._sync_action is not None:
            self._sync_action.setEnabled(self._runner is not None)   # the button follows
        self.sync_button.setEnabled(self._runner is not None)
        settle = self.selected_conflict_id() is not None and self._services.actor.may(Permission.MANAGE_SYNC)
        if self._settle_action is not None:
            self._settle_action.setEnabled(settle)
        self.settle_button.setEnabled(settle)
        self.sync_button.setToolTip("" if self._runner is not None else self.tr(
            "Enrol this console with head office first."))
        state = self._enrollment
        may_enroll = state is not None and not state.enrolled
        self.enroll_button.setVisible(may_enroll)
        if self._enroll_action is not None:
            self._enroll_action.setEnabled(may_enroll and self.enroll_dialog is None)
        if state is not None:
            self.enroll_button.setText(self.tr("Finish enrolling…") if state.unfinished
                                       else self.tr("Enrol with head office…"))

    def _show(self) -> None:
        self._update_button()
        count = self.review_model.rowCount()
        self.review_label.setText(self.tr("To review (%1)").replace("%1", str(count)) if count
                                  else self.tr("Nothing to review"))
        self.reviewed_button.setEnabled(count > 0)
        self.result_label.setText(self._last_result)
        s = self._status
        if s is None:
            return
        if self._enrollment is not None and self._enrollment.unfinished:
            self.server_value.setText(self.tr("%1 (enrolment not finished)").replace("%1", s.server_url))
        else:
            self.server_value.setText(s.server_url if s.enrolled else self.tr("Not enrolled yet"))
        language = ui_language()
        self.pending_value.setText(format_count(s.pending_changes, language))
        self.last_value.setText(
            format_datetime(in_zone(s.last_success, self._tz), language) if s.last_success
            else self.tr("Never"))
        self.error_value.setText(text(s.last_error) if s.last_error else self.tr("None"))
        # The red box only for a real problem; "None" is plain text.
        if self.error_value.objectName() != ("Problem" if s.last_error else "NoProblem"):
            self.error_value.setObjectName("Problem" if s.last_error else "NoProblem")
            self.error_value.style().unpolish(self.error_value)
            self.error_value.style().polish(self.error_value)

    @asyncSlot()
    async def on_mark_reviewed(self) -> None:
        if await self.ops.run(self._services.sync.mark_reviewed, trigger=self.reviewed_button) is not FAILED:
            await self.refresh()

    def selected_conflict_id(self) -> str | None:
        """The conflict chosen in the list, if the selected row is one that can be settled."""
        rows = self.review_table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.review_model.value(rows[0].row())
        return item.conflict_id if item.kind == "conflict" and item.conflict_id else None

    def select_conflict(self, conflict_id: str) -> None:
        for row in range(self.review_model.rowCount()):
            if self.review_model.value(row).conflict_id == conflict_id:
                self.review_table.selectRow(row)
                return

    @asyncSlot()
    async def on_settle(self) -> None:
        await self.settle_selected()

    async def settle_selected(self) -> None:
        """Both sides of the selected conflict in a dialog; the list reloads once it is settled."""
        conflict_id = self.selected_conflict_id()
        if conflict_id is None or self.conflict_dialog is not None \
                or not self._services.actor.may(Permission.MANAGE_SYNC):
            return
        found = await self.ops.run(self._services.conflicts.open_conflicts, trigger=self._settle_action,
                                   holds=False)
        if found is FAILED:
            return
        conflict: OpenConflict | None = next((c for c in found if c.conflict_id == conflict_id), None)
        if conflict is None:
            await self.refresh()     # settled on another console meanwhile: the list says so
            return
        dialog = ConflictDialog(self._services.conflicts, self._worker, conflict, self._tz, self)
        self.conflict_dialog = dialog
        try:
            await run_dialog(dialog)
        finally:
            self.conflict_dialog = None
        if dialog.settled and isValid(self):
            self._last_result = self.tr("Conflict settled; it reaches head office with the next sync.")
            await self.refresh()

    @asyncSlot()
    async def on_enroll(self) -> None:
        await self.open_enroll_dialog()

    async def open_enroll_dialog(self) -> None:
        """The enrolment dialog; once it has enrolled the console, the person signs in again."""
        if self.enroll_dialog is not None or not self._services.actor.may(Permission.MANAGE_SYNC):
            return
        state = await self.ops.run(self._services.enrollment.state, trigger=self._enroll_action, holds=False)
        if state is FAILED or state.enrolled:
            return
        dialog = EnrollDialog(self._services.enrollment, self._worker, state, self)
        self.enroll_dialog = dialog
        self._update_button()
        try:
            await run_dialog(dialog)
            await dialog.wait_stopped()
        finally:
            self.enroll_dialog = None
        if not isValid(self):
            return
        self._update_button()
        if dialog.enrolled:
            self.enrolled.emit()
            return
        await self.refresh()

    async def screenshot_enroll_dialog(self, *, progress: bool) -> QWidget:
        """The dialog filled as a person would, for --screenshot; with ``progress``, a load's progress line."""
        from console.domain.progress import LOAD_CATALOG, LoadProgress

        state = await self.call(self._services.enrollment.state)
        dialog = EnrollDialog(self._services.enrollment, self._worker, state, self)
        dialog.server_edit.setText("https://headoffice.example.cn")
        dialog.code_edit.setText("GK87G-QFBVT-3UBA7-BVMFK")
        dialog.upload_radio.setChecked(True)
        if progress:
            # Figures of the shape a 100,000-product load shows (see bench/sync.py for measured ones).
            dialog.show_progress(LoadProgress(LOAD_CATALOG, 42_000, 100_001, 3_900.0, 14.9))
            dialog.stop_button.show()
            dialog.start_button.setEnabled(False)
        dialog.show()
        return dialog

    @asyncSlot()
    async def on_sync_now(self) -> None:
        if self._runner is None or self.ops.busy:
            return
        # One operation from the click to the refreshed screen: the button stays off until it is shown.
        await self.ops.run(self._sync_and_show, trigger=self._sync_action or self.sync_button, exclusive=True,
                           progress=self.tr("Syncing with head office…"))
        self._update_button()

    async def _sync_and_show(self) -> None:
        assert self._runner is not None
        report = await self._runner()
        if report.errors:
            self._last_result = self.tr("Sync did not finish.")
        else:
            self._last_result = (self.tr("Sent %1, received %2.")
                                 .replace("%1", str(report.pushed)).replace("%2", str(report.pulled)))
        await self.refresh()
