"""Enrolling this console with head office: the address, the one-time code, upload or start clean, progress.

Opened from the Sync screen. The person types head office's address and the
code, and (when this console holds data of its own) chooses between
uploading it as the store's data and starting clean with a backup copy kept.
While a large store uploads or a new console loads head office's catalog the
dialog shows rows done, rows per second and time left; Stop (or closing the
dialog) ends the load where it is, and Resume goes on from the last page
kept, also after a crash. Refusals are the sync client's, in the reader's
language, on the dialog's problem line. Widgets are attributes, so a test
drives the real dialog as a user would.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from console.domain.progress import APPLY, LOAD_CATALOG, LOAD_STORE, UPLOAD, LoadProgress
from console.i18n.formats import format_count
from console.domain.enrollment import MODE_CLEAN as CLEAN
from console.domain.enrollment import MODE_UPLOAD
from ui.i18n import Readable, render, ui_language
from ui.layouts import fit_to_screen
from ui.operations import FAILED, Operations
from ui.tasks import spawn

if TYPE_CHECKING:
    from console.services.enrollment import EnrollmentService, EnrollmentState, EnrollOutcome
    from console.services.worker import DbWorker


class EnrollDialog(QDialog):
    """One enrolment, from the code to the first sync; ``enrolled`` is True once it is done."""

    def __init__(self, enrollment: EnrollmentService, worker: DbWorker, state: EnrollmentState,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("EnrollDialog")
        self.enrollment = enrollment
        self.state = state
        self._worker = worker
        self.enrolled = False
        self.outcome: EnrollOutcome | None = None
        self.stopped = False                      # the last run was stopped (Stop, or the dialog closed)
        self.last_progress: LoadProgress | None = None
        self._task: asyncio.Task[Any] | None = None
        self.ops = Operations(self, worker, self.show_problem)

        outer = QVBoxLayout(self)
        self.intro_label = QLabel(self)
        self.intro_label.setWordWrap(True)
        outer.addWidget(self.intro_label)

        form = QFormLayout()
        self.server_caption, self.server_edit = QLabel(self), QLineEdit(self)
        self.server_edit.setObjectName("EnrollServer")
        self.server_edit.setPlaceholderText("https://")
        self.code_caption, self.code_edit = QLabel(self), QLineEdit(self)
        self.code_edit.setObjectName("EnrollCode")
        self.code_edit.setPlaceholderText("XXXXX-XXXXX-XXXXX-XXXXX")
        self.name_caption, self.name_edit = QLabel(self), QLineEdit(self)
        self.name_edit.setObjectName("EnrollName")
        for caption, edit in ((self.server_caption, self.server_edit), (self.code_caption, self.code_edit),
                              (self.name_caption, self.name_edit)):
            caption.setBuddy(edit)
            form.addRow(caption, edit)
        outer.addLayout(form)

        self.choice_label = QLabel(self)
        self.choice_label.setObjectName("SectionTitle")
        self.choice_label.setWordWrap(True)
        outer.addWidget(self.choice_label)
        self.upload_radio = QRadioButton(self)
        self.upload_radio.setObjectName("EnrollUpload")
        self.upload_note = QLabel(self)
        self.upload_note.setObjectName("PageIntro")
        self.upload_note.setWordWrap(True)
        self.upload_note.setIndent(24)
        self.clean_radio = QRadioButton(self)
        self.clean_radio.setObjectName("EnrollClean")
        self.clean_note = QLabel(self)
        self.clean_note.setObjectName("PageIntro")
        self.clean_note.setWordWrap(True)
        self.clean_note.setIndent(24)
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.upload_radio)
        self.choice.addButton(self.clean_radio)
        self.choice.buttonToggled.connect(lambda *_: self._update_buttons())
        for widget in (self.upload_radio, self.upload_note, self.clean_radio, self.clean_note):
            outer.addWidget(widget)
        if not state.has_own_data:
            # Nothing to upload: start clean is the only meaningful choice, chosen for the person.
            self.clean_radio.setChecked(True)

        self.phase_label = QLabel(self)
        self.phase_label.setObjectName("EnrollPhase")
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setObjectName("EnrollProgress")
        self.progress_bar.setTextVisible(False)
        self.progress_label = QLabel(self)
        self.progress_label.setObjectName("EnrollProgressText")
        for widget in (self.phase_label, self.progress_bar, self.progress_label):
            outer.addWidget(widget)
            widget.hide()

        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("Problem")
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()
        outer.addWidget(self.problem_label)
        self.result_label = QLabel(self)
        self.result_label.setObjectName("EnrollResult")
        self.result_label.setWordWrap(True)
        self.result_label.hide()
        outer.addWidget(self.result_label)
        outer.addStretch(1)

        self.buttons = QDialogButtonBox(self)
        self.start_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.start_button.setObjectName("EnrollStart")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.on_start)
        self.stop_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.stop_button.setObjectName("EnrollStop")
        self.stop_button.setAutoDefault(False)
        self.stop_button.clicked.connect(self.stop)
        self.stop_button.hide()
        self.close_button: QPushButton = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setObjectName("EnrollClose")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.close)
        outer.addWidget(self.buttons)
        self._show_state()
        self.retranslate()
        fit_to_screen(self, QSize(640, 560))

    # --- texts ------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Enrol with head office"))
        if self.state.unfinished:
            self.intro_label.setText(self.tr(
                "This console's enrolment with %1 did not finish. Resume goes on from what was already "
                "loaded or sent; nothing is fetched twice.").replace("%1", self.state.server_url))
        else:
            self.intro_label.setText(self.tr(
                "Head office gives each new console a one-time code. Once enrolled, this console syncs the "
                "store's roster, shows and prices with head office and takes head office's catalog."))
        self.server_caption.setText(self.tr("Head office's &address"))
        self.code_caption.setText(self.tr("One-time &code"))
        self.name_caption.setText(self.tr("This console's &name"))
        self.name_edit.setPlaceholderText(self.tr("as head office lists it (default: the computer's name)"))
        self.choice_label.setText(self.tr("This console's own data") if self.state.has_own_data
                                  else self.tr("This console holds no data of its own yet."))
        self.upload_radio.setText(self.tr("&Upload this console's data"))
        self.upload_note.setText(self.tr(
            "Its anchors, roster, shows and prices become the store's data at head office; its products are "
            "matched to head office's catalog by SKU. Refused, with nothing changed and the code still "
            "usable, if head office lacks a product it uses or already holds this store's data from "
            "another console."))
        self.clean_radio.setText(self.tr("&Start clean"))
        self.clean_note.setText(self.tr(
            "This console's data is set aside and it takes the store's data from head office. A backup copy "
            "of the data file is kept first, in the data folder's backups folder."))
        self.start_button.setText(self.tr("&Resume") if self.state.unfinished else self.tr("&Enrol"))
        self.stop_button.setText(self.tr("S&top"))
        if self.last_progress is not None:
            self.show_progress(self.last_progress)
        if self.outcome is not None:
            self._show_outcome(self.outcome)

    def _phase_words(self, phase: str) -> str:
        return {
            LOAD_CATALOG: self.tr("Loading head office's catalog…"),
            LOAD_STORE: self.tr("Loading the store's data…"),
            UPLOAD: self.tr("Sending this console's data to head office…"),
            APPLY: self.tr("Saving what was loaded…"),
        }.get(phase, self.tr("Working…"))

    def _duration(self, seconds: float) -> str:
        whole = max(1, round(seconds))
        if whole < 60:
            return self.tr("%1 s").replace("%1", str(whole))
        minutes, rest = divmod(whole, 60)
        return self.tr("%1 min %2 s").replace("%1", str(minutes)).replace("%2", str(rest))

    def show_progress(self, progress: LoadProgress) -> None:
        """Rows done, rows per second, time left (on the loop, as the client reports them)."""
        self.last_progress = progress
        if not isValid(self):
            return
        language = ui_language()
        self.phase_label.setText(self._phase_words(progress.phase))
        if progress.total:
            self.progress_bar.setRange(0, 1000)
            self.progress_bar.setValue(round(1000 * (progress.fraction or 0)))
            parts = [self.tr("%1 of %2 rows").replace("%1", format_count(progress.done, language))
                     .replace("%2", format_count(progress.total, language))]
        else:
            self.progress_bar.setRange(0, 0)      # busy, no figure to show
            parts = [self.tr("%1 rows").replace("%1", format_count(progress.done, language))]
        if progress.phase == APPLY:
            self.progress_bar.setRange(0, 0)
        if progress.rows_per_second:
            parts.append(self.tr("%1 rows/s").replace("%1", format_count(round(progress.rows_per_second),
                                                                         language)))
        if progress.seconds_left is not None and progress.phase != APPLY:
            parts.append(self.tr("about %1 left").replace("%1", self._duration(progress.seconds_left)))
        self.progress_label.setText(" · ".join(parts))
        for widget in (self.phase_label, self.progress_bar, self.progress_label):
            widget.show()

    def show_problem(self, problem: Readable, wrap: Callable[[str], str] | None = None) -> None:
        shown = render(problem)
        self.problem_label.setText(wrap(shown) if wrap is not None else shown)
        self.problem_label.show()

    # --- state ------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def chosen_mode(self) -> str | None:
        if self.upload_radio.isChecked():
            return MODE_UPLOAD
        if self.clean_radio.isChecked():
            return CLEAN
        return None

    def _show_state(self) -> None:
        unfinished = self.state.unfinished
        if unfinished:
            self.server_edit.setText(self.state.server_url)
            (self.upload_radio if self.state.mode == MODE_UPLOAD else self.clean_radio).setChecked(True)
        for widget in (self.server_edit, self.code_edit, self.name_edit, self.upload_radio, self.clean_radio):
            widget.setEnabled(not unfinished and not self.enrolled)
        self.upload_radio.setEnabled(self.upload_radio.isEnabled() and self.state.has_own_data)
        for widget in (self.code_caption, self.code_edit, self.name_caption, self.name_edit):
            widget.setVisible(not unfinished)
        self._update_buttons()

    def _update_buttons(self) -> None:
        running = self.running
        self.start_button.setVisible(not self.enrolled)
        self.start_button.setEnabled(not running and (self.state.unfinished or self.chosen_mode() is not None))
        self.stop_button.setVisible(running)

    # --- running ----------------------------------------------------------------------
    def on_start(self) -> None:
        if self.running or self.enrolled:
            return
        self.problem_label.hide()
        self.stopped = False
        if self.state.unfinished:
            work = self.ops.run(self.enrollment.resume, self._worker, self.show_progress,
                                trigger=self.start_button, exclusive=True)
        else:
            server, code, mode = self.server_edit.text().strip(), self.code_edit.text().strip(), self.chosen_mode()
            if not server:
                self.show_problem(self.tr("Type head office's address, as head office gave it (http://… or "
                                          "https://…)."))
                self.server_edit.setFocus()
                return
            if not code:
                self.show_problem(self.tr("Type the one-time code head office gave you."))
                self.code_edit.setFocus()
                return
            if mode is None:
                self.show_problem(self.tr("Choose whether to upload this console's data or to start clean."))
                return
            work = self.ops.run(self.enrollment.enroll, self._worker, server, code, mode, self.name_edit.text(),
                                self.show_progress, trigger=self.start_button, exclusive=True)
        self._task = spawn(self._run(work), owner=self)
        self._update_buttons()

    async def _run(self, work: Any) -> None:
        try:
            try:
                result = await work
            except asyncio.CancelledError:
                result = FAILED
                self.stopped = True
            if not isValid(self):
                return
            self.state = await self.ops.call(self.enrollment.state)
        finally:
            self._task = None
        if not isValid(self):
            return
        if result is not FAILED:
            self.enrolled = True
            self.outcome = result
            self._show_outcome(result)
        elif self.stopped:
            self.show_problem(self.tr("Stopped. What was loaded or sent is kept; Resume goes on from there."))
        self._show_state()
        self.retranslate()

    def stop(self) -> None:
        """End the load or upload where it is; what was kept stays for Resume."""
        task = self._task
        if task is not None and not task.done():
            self.stopped = True
            task.cancel()

    async def wait_stopped(self) -> None:
        task = self._task
        if task is not None:
            await asyncio.gather(task, return_exceptions=True)

    def _show_outcome(self, outcome: EnrollOutcome) -> None:
        words = self.tr("Enrolled as a console of store %1. Sign in again: this console now works with the "
                        "store's data.").replace("%1", outcome.store_code)
        if outcome.problems:
            words += " " + self.tr("The first sync did not finish (%1); the console tries again by "
                                   "itself.").replace("%1", render(outcome.problems[0]))
        self.result_label.setText(words)
        self.result_label.show()
        self.problem_label.hide()

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closing mid-load is a stop: the staged pages and the outbox keep what came, Resume goes on.
        self.stop()
        if self.enrolled:
            self.accept()
        super().closeEvent(event)

    def reject(self) -> None:
        self.stop()
        super().reject()
