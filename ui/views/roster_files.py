"""Roster files from the roster screen: import a CSV or Excel file after seeing every row, export a week or days.

The same files as ``anchor-console roster import`` and ``roster export``, read
and written by :class:`~console.services.roster_io.RosterFileService`. The
import first shows the service's preview: every row of the file with its
problems, as the import itself would find them. The import is all or
nothing, so "Import" is enabled only when no row has a problem; warnings the
rules allow are imported with the manager's reason, asked for by the page's
own reason flow. The export writes the week on the board, or chosen days, as
CSV, Excel or iCalendar, to a temporary file renamed over the chosen one.

The dialogs run their service calls as their own operations (the preview's
read runs as the page's): a refusal shows on the dialog, in the reader's
language, and what an import commits reaches the board through the stream of
changes. Which file is asked through ``import_file_prompt`` and the export
dialog's chooser, so a test answers without a native file dialog.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, QSize, QTimer
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from console.i18n.formats import format_count
from console.services.worker import DbWorker
from ui.i18n import Readable, render, ui_language
from ui.layouts import fit_to_screen
from ui.operations import FAILED, Operations, ReasonAsker, Trigger
from ui.views.roster_dialogs import answer, day_range_text, run_dialog
from ui.views.week_board import BLOCK_COLOUR, WARN_COLOUR, Verdict, verdict_icon

if TYPE_CHECKING:
    from console.services.roster_io import ImportResult, PreviewRow, RosterFileService, RosterPreview

IMPORT_FILTERS = "*.csv *.xlsx *.xlsm *.txt"
# Each export format: its suffix, and how the format menu names it (English, translated in "RosterExportDialog").
EXPORT_FORMATS: tuple[tuple[str, str], ...] = (
    ("csv", QT_TRANSLATE_NOOP("RosterExportDialog", "CSV (the import's columns)")),
    ("xlsx", QT_TRANSLATE_NOOP("RosterExportDialog", "Excel workbook (.xlsx, the import's columns)")),
    ("ics", QT_TRANSLATE_NOOP("RosterExportDialog", "iCalendar (.ics, for phones' calendars)")),
)
# A longest export: a year of days, as a time-off request may be.
EXPORT_DAYS_AT_MOST = 366
PROBLEM_BACKGROUND = QColor(BLOCK_COLOUR.red(), BLOCK_COLOUR.green(), BLOCK_COLOUR.blue(), 40)

ChooseFile = Callable[[str], Awaitable[str | None] | str | None]


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), zone).astimezone(UTC)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _problem_text(problem: Readable) -> str:
    """A refusal, with each of a rejected file's problems after it on a line of its own."""
    lines = [render(problem)]
    lines += [f"• {render(p)}" for p in getattr(problem, "problems", ())]
    return "\n".join(lines)


class RosterImportDialog(QDialog):
    """Every row of a roster file and what stops it; "Import" imports the whole file, only when none is stopped."""

    COLUMNS = 8   # row, anchor, room, start, end, role, broadcast, problems

    def __init__(self, parent: QWidget, preview: RosterPreview, *, files: RosterFileService, path: Path,
                 worker: DbWorker, ask_reason: ReasonAsker) -> None:
        super().__init__(parent)
        self.setObjectName("RosterImportDialog")
        self.preview, self._files, self._path = preview, files, path
        self.result_of_import: ImportResult | None = None
        self.ops = Operations(self, worker, self.show_problem, ask_reason=ask_reason)
        self.setWindowTitle(self.tr("Import roster: %1").replace("%1", preview.file_name))
        layout = QVBoxLayout(self)
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("RosterImportSummary")
        self.summary_label.setWordWrap(True)
        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("Problem")
        self.problem_label.setWordWrap(True)
        self.table = QTableWidget(len(preview.rows), self.COLUMNS, self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        self.table.setVisible(bool(preview.rows))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.import_button: QPushButton = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.import_button.setObjectName("ImportNow")
        self.import_button.setEnabled(preview.ok)
        self.import_button.setDefault(preview.ok)
        self.import_button.setVisible(bool(preview.rows))   # a file that does not read has nothing to import
        self.import_button.clicked.connect(self.on_import)
        self.buttons.rejected.connect(self.reject)
        for widget in (self.summary_label, self.problem_label):
            layout.addWidget(widget)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self._fill()
        self.retranslate()
        if preview.file_problems:
            self.show_problem_text("\n".join(f"• {render(p)}" for p in preview.file_problems))
        else:
            self.problem_label.hide()
        fit_to_screen(self, QSize(1100, 600) if preview.rows else QSize(560, 200))

    def _fill(self) -> None:
        for index, row in enumerate(self.preview.rows):
            cells = (str(row.number), row.anchor, row.room, row.start, row.end, row.role, row.broadcast)
            for column, words in enumerate(cells):
                self.table.setItem(index, column, QTableWidgetItem(words))
            self.table.setItem(index, self.COLUMNS - 1, QTableWidgetItem())
            if row.problems:
                for column in range(self.COLUMNS):
                    self.table.item(index, column).setBackground(QBrush(PROBLEM_BACKGROUND))
        # The broadcast column is optional in a file: without one in any row, its width goes to the problems.
        self.table.setColumnHidden(self.COLUMNS - 2, not any(row.broadcast for row in self.preview.rows))
        header = self.table.horizontalHeader()
        for column in range(self.COLUMNS - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.COLUMNS - 1, QHeaderView.ResizeMode.Stretch)
        # A long problem wraps: the rows follow the width the problems get, whenever it changes.
        header.sectionResized.connect(lambda *_: self.table.resizeRowsToContents())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Once laid out: the problems' column has its width only then.
        QTimer.singleShot(0, self.table.resizeRowsToContents)

    def _said(self, row: PreviewRow) -> tuple[str, Verdict]:
        if row.problems:
            return render(list(row.problems)), Verdict.REFUSED
        if row.warnings:
            return self.tr("Needs a reason: %1").replace("%1", render(list(row.warnings))), Verdict.WARNED
        return self.tr("Reads well"), Verdict.FREE

    def retranslate(self) -> None:
        p, language = self.preview, ui_language()
        self.table.setHorizontalHeaderLabels([
            self.tr("Row"), self.tr("Anchor"), self.tr("Live room"), self.tr("Start"), self.tr("End"),
            self.tr("Role"), self.tr("Broadcast"), self.tr("Problems")])
        for index, row in enumerate(p.rows):
            words, verdict = self._said(row)
            item = self.table.item(index, self.COLUMNS - 1)
            item.setText(words)
            item.setIcon(verdict_icon(verdict, self))
            if verdict is Verdict.REFUSED:
                item.setForeground(QBrush(BLOCK_COLOUR))
            elif verdict is Verdict.WARNED:
                item.setForeground(QBrush(QColor(WARN_COLOUR).darker(130)))
        self.table.resizeRowsToContents()
        rows = self.tr("%1 rows, %2 with problems.").replace("%1", format_count(len(p.rows), language)) \
            .replace("%2", format_count(p.with_problems, language))
        if p.file_problems:
            said = self.tr("Nothing can be imported from %1:").replace("%1", p.file_name)
        elif p.with_problems:
            said = rows + " " + self.tr("The import is all or nothing: fix every row with a problem in the file, "
                                        "then import it again.")
        else:
            said = rows + " " + self.tr("Nothing is written until you import.")
            if p.with_warnings:
                said += " " + self.tr("%1 rows need a reason; you are asked for it when you import.") \
                    .replace("%1", format_count(p.with_warnings, language))
        self.summary_label.setText(said)
        self.import_button.setText(self.tr("Import %1 shifts").replace("%1", format_count(len(p.rows), language)))

    def show_problem(self, problem: Readable, wrap: Callable[[str], str] | None = None) -> None:
        """A refusal of the import itself (the roster changed since the preview, say), on the dialog."""
        said = _problem_text(problem)
        self.show_problem_text(wrap(said) if wrap is not None else said)

    def show_problem_text(self, words: str) -> None:
        self.problem_label.setText(words)
        self.problem_label.show()

    @asyncSlot()
    async def on_import(self) -> None:
        """Import the whole file; the dialog closes once it is in, and stays with the refusal if not."""
        if not self.preview.ok:
            return
        self.problem_label.hide()
        done = await self.ops.run(self._files.import_file, self._path, reason_needed=True, ask_reason=True,
                                  trigger=(self.import_button, self.cancel_button),
                                  progress=self.tr("Importing %1…").replace("%1", self.preview.file_name))
        if done is FAILED:
            return
        self.result_of_import = done
        self.accept()


class RosterExportDialog(QDialog):
    """Which days (the week on the board, or chosen ones), which format, which file; "Export" writes it."""

    def __init__(self, parent: QWidget, *, first_day: date, files: RosterFileService, zone: ZoneInfo,
                 worker: DbWorker, choose_file: ChooseFile) -> None:
        super().__init__(parent)
        self.setObjectName("RosterExportDialog")
        self._files, self._zone, self._choose_file = files, zone, choose_file
        self.week = (first_day, first_day + timedelta(days=6))
        self.written: int | None = None     # shifts in the last file written
        self.ops = Operations(self, worker, self.show_problem)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.week_radio = QRadioButton(self)
        self.days_radio = QRadioButton(self)
        self.week_radio.setChecked(True)
        self._range = QButtonGroup(self)
        self._range.addButton(self.week_radio)
        self._range.addButton(self.days_radio)
        self.from_edit, self.to_edit = QDateEdit(self), QDateEdit(self)
        for edit, day in ((self.from_edit, self.week[0]), (self.to_edit, self.week[1])):
            edit.setCalendarPopup(True)
            edit.setDate(_qdate(day))
            edit.dateChanged.connect(lambda _d: self._judge())
        days_row = QHBoxLayout()
        self.to_label = QLabel(self)
        for widget in (self.days_radio, self.from_edit, self.to_label, self.to_edit):
            days_row.addWidget(widget)
        days_row.addStretch(1)
        self.format_combo = QComboBox(self)
        for fmt, _words in EXPORT_FORMATS:
            self.format_combo.addItem("", fmt)
        self.format_combo.currentIndexChanged.connect(lambda _i: self._follow_format())
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("ExportPath")
        self.path_edit.textChanged.connect(lambda _t: self._judge())
        self.choose_button = QPushButton(self)
        self.choose_button.clicked.connect(self.on_choose)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.choose_button)
        self.days_label, self.format_label, self.file_label = QLabel(self), QLabel(self), QLabel(self)
        form.addRow(self.days_label, self.week_radio)
        form.addRow("", days_row)
        form.addRow(self.format_label, self.format_combo)
        form.addRow(self.file_label, file_row)
        self.result_label = QLabel(self)
        self.result_label.setWordWrap(True)
        self.result_label.hide()
        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("Problem")
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        self.export_button: QPushButton = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.setObjectName("ExportNow")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.on_export)
        self.buttons.rejected.connect(self.reject)
        self.week_radio.toggled.connect(lambda _on: self._judge())
        layout.addLayout(form)
        for widget in (self.result_label, self.problem_label, self.buttons):
            layout.addWidget(widget)
        self.retranslate()
        self._judge()
        fit_to_screen(self, QSize(620, 260))

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Export roster"))
        self.days_label.setText(self.tr("Days"))
        self.week_radio.setText(self.tr("The week shown (%1)").replace("%1", day_range_text(*self.week)))
        self.days_radio.setText(self.tr("From"))
        self.to_label.setText(self.tr("to"))
        self.format_label.setText(self.tr("Format"))
        for index, (_fmt, words) in enumerate(EXPORT_FORMATS):
            self.format_combo.setItemText(index, self.tr(words))
        self.file_label.setText(self.tr("File"))
        self.path_edit.setPlaceholderText(self.tr("Where to save it"))
        self.choose_button.setText(self.tr("Choose…"))
        self.export_button.setText(self.tr("Export"))

    @property
    def fmt(self) -> str:
        return str(self.format_combo.currentData())

    def days(self) -> tuple[date, date]:
        """The first and last day exported (both included)."""
        if self.week_radio.isChecked():
            return self.week
        return self.from_edit.date().toPython(), self.to_edit.date().toPython()  # type: ignore[return-value]

    def problem(self) -> str:
        """Why the export cannot go yet, or ""."""
        first, last = self.days()
        if last < first:
            return self.tr("The last day is before the first.")
        if (last - first).days >= EXPORT_DAYS_AT_MOST:
            return self.tr("Export at most a year at a time.")
        if not self.path_edit.text().strip():
            return self.tr("Choose the file to save it in.")
        return ""

    def _judge(self) -> None:
        days = self.days_radio.isChecked()
        self.from_edit.setEnabled(days)
        self.to_edit.setEnabled(days)
        problem = self.problem()
        self.export_button.setEnabled(not problem)
        self.export_button.setToolTip(problem)

    def _follow_format(self) -> None:
        """A typed or chosen file keeps its name and takes the format's suffix."""
        typed = self.path_edit.text().strip()
        suffixes = {f".{fmt}" for fmt, _ in EXPORT_FORMATS}
        if typed and Path(typed).suffix.lower() in suffixes:
            self.path_edit.setText(str(Path(typed).with_suffix(f".{self.fmt}")))

    def suggested_name(self) -> str:
        first, last = self.days()
        return f"roster-{first.isoformat()}-{last.isoformat()}.{self.fmt}"

    @asyncSlot()
    async def on_choose(self) -> None:
        chosen = await answer(self._choose_file(self.suggested_name()))
        if chosen:
            self.path_edit.setText(str(chosen))

    def show_problem(self, problem: Readable, wrap: Callable[[str], str] | None = None) -> None:
        said = _problem_text(problem)
        self.problem_label.setText(wrap(said) if wrap is not None else said)
        self.problem_label.show()
        self.result_label.hide()

    @asyncSlot()
    async def on_export(self) -> None:
        """Write the file whole (or leave what was there); the dialog stays open, saying what it wrote."""
        if self.problem():
            return
        first, last = self.days()
        path = Path(self.path_edit.text().strip()).expanduser()
        self.problem_label.hide()
        written = await self.ops.run(
            self._files.export_to, path, _midnight(first, self._zone), _midnight(last + timedelta(days=1), self._zone),
            self.fmt, trigger=(self.export_button, self.close_button),
            progress=self.tr("Exporting to %1…").replace("%1", path.name))
        if written is FAILED:
            return
        self.written = written
        self.result_label.setText(self.tr("Wrote %1 shifts (%2) to %3.")
                                  .replace("%1", format_count(written, ui_language()))
                                  .replace("%2", day_range_text(first, last)).replace("%3", str(path)))
        self.result_label.show()


class RosterFiles:
    """The roster page's import and export: which file, the preview, the dialogs; over ``page``.

    ``import_file_prompt`` (-> a path or None) and ``export_file_prompt``
    (suggested name -> a path or None) are what a test replaces;
    :attr:`open_dialog` is the preview or export dialog open now.
    """

    def __init__(self, page: Any, files: RosterFileService, worker: DbWorker, zone: ZoneInfo) -> None:
        self._page, self._files, self._worker, self._zone = page, files, worker, zone
        self.open_dialog: QDialog | None = None
        self._last_folder = ""
        self.import_file_prompt: Callable[[], Any] = self.choose_import_file
        self.export_file_prompt: ChooseFile = self.choose_export_file

    async def _run(self, dialog: QDialog) -> bool:
        self.open_dialog = dialog
        try:
            return await run_dialog(dialog)
        finally:
            self.open_dialog = None

    async def import_roster(self, *, trigger: Trigger | None) -> ImportResult | None:
        """Choose a file, see every row and its problems, import it all (or nothing); what was imported."""
        if self.open_dialog is not None:
            return None
        chosen = await answer(self.import_file_prompt())
        if not chosen:
            return None
        path = Path(chosen)
        page = self._page
        preview = await page.ops.run(self._files.preview, path, trigger=trigger,
                                     progress=QCoreApplication.translate("RosterFiles", "Reading %1…")
                                     .replace("%1", path.name))
        if preview is FAILED:
            return None
        dialog = RosterImportDialog(page, preview, files=self._files, path=path, worker=self._worker,
                                    ask_reason=page.ask_reason)
        await self._run(dialog)
        return dialog.result_of_import

    async def export_roster(self, first_day: date) -> int | None:
        """The export dialog over the week starting ``first_day``; the shifts in the last file it wrote."""
        if self.open_dialog is not None:
            return None
        dialog = RosterExportDialog(self._page, first_day=first_day, files=self._files, zone=self._zone,
                                    worker=self._worker, choose_file=lambda name: self.export_file_prompt(name))
        await self._run(dialog)
        return dialog.written

    # --- the native file dialogs ---------------------------------------------------------------------
    async def choose_import_file(self) -> str | None:
        dialog = QFileDialog(self._page, QCoreApplication.translate("RosterFiles", "Import roster"),
                             self._last_folder)
        dialog.setObjectName("RosterImportFileDialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([
            QCoreApplication.translate("RosterFiles", "Roster files (%1)").replace("%1", IMPORT_FILTERS),
            QCoreApplication.translate("RosterFiles", "All files (*)")])
        return self._remember(dialog, await self._run_chooser(dialog))

    async def choose_export_file(self, suggested: str) -> str | None:
        parent = self.open_dialog or self._page
        dialog = QFileDialog(parent, QCoreApplication.translate("RosterFiles", "Export roster"),
                             str(Path(self._last_folder) / suggested) if self._last_folder else suggested)
        dialog.setObjectName("RosterExportFileDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        return self._remember(dialog, await run_dialog(dialog))

    async def _run_chooser(self, dialog: QFileDialog) -> bool:
        self.open_dialog = dialog
        try:
            return await run_dialog(dialog)
        finally:
            self.open_dialog = None

    def _remember(self, dialog: QFileDialog, accepted: bool) -> str | None:
        if not accepted or not dialog.selectedFiles():
            return None
        chosen = dialog.selectedFiles()[0]
        self._last_folder = str(Path(chosen).parent)
        return chosen


def import_summary(done: ImportResult) -> str:
    """What an import did, in the reader's language, for the window's status line."""
    return render(done.summary())

