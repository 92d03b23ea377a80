"""Importing a catalog spreadsheet from the Products screen: which file, and what it would add, update and refuse.

The page asks through two hooks (``import_file_prompt``,
``import_preview_prompt``) whose answers default to :class:`ImportPrompts`'
dialogs; a test answers them itself. The preview is the service's own dry
run (:meth:`CatalogFileService.import_file` with ``dry_run=True``): nothing
is written until the manager says import, and a file with any refused row
cannot be imported at all, so the dialog then offers only to close.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console.i18n.formats import format_count
from ui.i18n import render, ui_language
from ui.layouts import fit_to_screen
from ui.models.tables import FileProblemModel, PlannedUpdateModel, SkuListModel
from ui.views.page import make_table
from ui.views.roster_dialogs import run_dialog

if TYPE_CHECKING:
    from console.services.catalog_file import CatalogImportResult

FILE_FILTERS = "*.csv *.xlsx *.txt"
PICTURE_FILTERS = "*.png *.jpg *.jpeg *.webp *.gif *.bmp"


def import_summary(done: CatalogImportResult) -> str:
    """What an import did, and what it changed besides (ready broadcasts planned again), in one paragraph."""
    said = [done.summary(), *done.notices]
    ignored = done.ignored_note()
    if ignored is not None:
        said.append(ignored)
    return render(said)


class ImportPreviewDialog(QDialog):
    """What a catalog file would add, update and refuse; "Import" only when nothing is refused."""

    def __init__(self, parent: QWidget, preview: CatalogImportResult) -> None:
        super().__init__(parent)
        self.setObjectName("ImportPreviewDialog")
        self.preview = preview
        self.setWindowTitle(self.tr("Import %1").replace("%1", preview.file_name))
        layout = QVBoxLayout(self)
        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)
        self.summary_label.setObjectName("Problem" if not preview.ok else "")
        layout.addWidget(self.summary_label)
        self.note_label = QLabel(self)
        self.note_label.setWordWrap(True)
        layout.addWidget(self.note_label)

        self.tabs = QTabWidget(self)
        self.added_model = SkuListModel(parent=self)
        self.added_model.set_rows(preview.added_skus)
        self.updates_model = PlannedUpdateModel(parent=self)
        self.updates_model.set_rows(preview.updates)
        self.refused_model = FileProblemModel(parent=self)
        self.refused_model.set_rows(preview.problems)
        self.added_view = self._table(self.added_model, stretch=0)
        self.updates_view = self._table(self.updates_model, stretch=1)
        self.refused_view = self._table(self.refused_model, stretch=FileProblemModel.WHY_COLUMN)
        self.refused_view.setWordWrap(True)
        self.refused_view.setTextElideMode(Qt.TextElideMode.ElideNone)
        # A long reason wraps: the rows follow the width the reasons get, whenever it changes.
        self.refused_view.horizontalHeader().sectionResized.connect(lambda *_: self._fit_reasons())
        self.tabs.addTab(self.added_view, "")
        self.tabs.addTab(self.updates_view, "")
        self.tabs.addTab(self.refused_view, "")
        layout.addWidget(self.tabs, 1)

        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("ImportNow")
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.import_button.setVisible(preview.ok)
        self.import_button.setEnabled(preview.ok and preview.added + preview.updated > 0)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        if not preview.ok:
            self.tabs.setCurrentWidget(self.refused_view)
        elif not preview.added and preview.updated:
            self.tabs.setCurrentWidget(self.updates_view)
        self.retranslate()
        fit_to_screen(self, QSize(820, 560))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Once laid out: the reasons' column has its width only then.
        QTimer.singleShot(0, self._fit_reasons)

    def _fit_reasons(self) -> None:
        """Each refused row as tall as its wrapped reason (the table's own row sizing does not wrap)."""
        view, column = self.refused_view, FileProblemModel.WHY_COLUMN
        width = view.columnWidth(column) - 12        # the cell's margins
        if width <= 0:
            return
        metrics = view.fontMetrics()
        single = view.verticalHeader().defaultSectionSize()
        for row in range(self.refused_model.rowCount()):
            words = self.refused_model.data(self.refused_model.index(row, column)) or ""
            needed = metrics.boundingRect(QRect(0, 0, width, 0), int(Qt.TextFlag.TextWordWrap), words).height()
            view.setRowHeight(row, max(single, needed + 12))

    def _table(self, model: SkuListModel | PlannedUpdateModel | FileProblemModel, stretch: int) -> QTableView:
        view = make_table(model, self)
        view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = view.horizontalHeader()
        for column in range(model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column == stretch
                                        else QHeaderView.ResizeMode.ResizeToContents)
        return view

    def retranslate(self) -> None:
        p, language = self.preview, ui_language()

        def count(n: int) -> str:
            return format_count(n, language)

        if p.ok:
            self.summary_label.setText(
                self.tr("This file adds %1 products, updates %2 and leaves %3 unchanged. "
                        "Nothing is written until you import.")
                .replace("%1", count(p.added)).replace("%2", count(p.updated)).replace("%3", count(p.unchanged)))
        else:
            self.summary_label.setText(
                self.tr("Nothing can be imported from this file: %n row(s) refused. "
                        "Fix every refused row and import the file again.", "", p.refused or p.problem_count))
        notes = []
        if p.added > len(p.added_skus) or p.updated > len(p.updates):
            notes.append(self.tr("The lists name the first %1 products of each kind; the counts are whole.")
                         .replace("%1", count(max(len(p.added_skus), len(p.updates)))))
        if p.problem_count > len(p.problems):
            notes.append(self.tr("The first %1 of %2 problems are listed.")
                         .replace("%1", count(len(p.problems))).replace("%2", count(p.problem_count)))
        ignored = p.ignored_note()
        if ignored is not None:
            notes.append(render(ignored))
        self.note_label.setText(" ".join(notes))
        self.note_label.setVisible(bool(notes))
        self.tabs.setTabText(0, self.tr("To add (%1)").replace("%1", count(p.added)))
        self.tabs.setTabText(1, self.tr("To update (%1)").replace("%1", count(p.updated)))
        self.tabs.setTabText(2, self.tr("Refused (%1)").replace("%1", count(p.problem_count)))
        self.import_button.setText(self.tr("Import"))


class ImportPrompts:
    """The dialogs behind the import's questions, over ``parent``."""

    def __init__(self, parent: QWidget) -> None:
        self._parent = parent
        self.open_dialog: QDialog | None = None   # the prompt open now, if any (tests answer it)
        self._last_folder = ""

    async def _run(self, dialog: QDialog) -> bool:
        self.open_dialog = dialog
        try:
            return await run_dialog(dialog)
        finally:
            self.open_dialog = None

    async def choose_picture(self) -> str | None:
        """A picture file to add to a product, or None."""
        return await self._choose(
            "PictureFileDialog", QCoreApplication.translate("ImportPrompts", "Add a picture"),
            QCoreApplication.translate("ImportPrompts", "Pictures (%1)").replace("%1", PICTURE_FILTERS))

    async def choose_file(self) -> str | None:
        """A spreadsheet to import, or None."""
        return await self._choose(
            "ImportFileDialog", QCoreApplication.translate("ImportPrompts", "Import catalog"),
            QCoreApplication.translate("ImportPrompts", "Spreadsheets (%1)").replace("%1", FILE_FILTERS))

    async def _choose(self, name: str, title: str, kinds: str) -> str | None:
        dialog = QFileDialog(self._parent, title, self._last_folder)
        dialog.setObjectName(name)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([kinds, QCoreApplication.translate("ImportPrompts", "All files (*)")])
        if not await self._run(dialog) or not dialog.selectedFiles():
            return None
        chosen = dialog.selectedFiles()[0]
        self._last_folder = str(Path(chosen).parent)
        return chosen

    async def confirm(self, preview: CatalogImportResult) -> bool:
        """Whether to import, having seen what the file adds, updates and refuses."""
        return await self._run(ImportPreviewDialog(self._parent, preview))
