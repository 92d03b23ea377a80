"""Settling one sync conflict: both sides of each field, who changed each and when, and the choices.

Opened from the Sync screen's list. Each field is a row: this store's value,
head office's value (the row as it is here now), and a third column to type a
merged value, filled with this store's to start from. "Keep head office's"
writes nothing, "Keep this store's" and "Save merged value" write the row
again as an ordinary edit that syncs; a code head office renamed (A007-2) gets
a name of one's choosing. The service has the last word: its refusal (the row
changed meanwhile, a value already taken) shows on the dialog's problem line,
and the dialog stays open. Widgets are attributes, so a test drives the real
dialog as a user would.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.domain.conflicts import ConflictField, OpenConflict, SettleChoice, Side
from console.i18n.formats import format_datetime, in_zone
from ui.i18n import Readable, render, ui_language
from ui.layouts import fit_to_screen
from ui.names import field_text, table_text
from ui.operations import FAILED, Operations
from ui.tasks import spawn

if TYPE_CHECKING:
    from console.services.conflicts import ConflictService
    from console.services.worker import DbWorker

FIELD, STORE, HEAD_OFFICE, MERGED = range(4)


def _shown(value: Any) -> str:
    """A value as the person reads and types it: text as is, anything else as JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


class ConflictDialog(QDialog):
    """One conflict, side by side; settling it closes the dialog (``settled`` is then True)."""

    def __init__(self, conflicts: ConflictService, worker: DbWorker, conflict: OpenConflict, timezone: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ConflictDialog")
        self.conflicts = conflicts
        self.conflict = conflict
        self.settled = False
        self._tz = timezone
        self.ops = Operations(self, worker, self.show_problem)

        outer = QVBoxLayout(self)
        self.intro_label = QLabel(self)
        self.intro_label.setWordWrap(True)
        outer.addWidget(self.intro_label)
        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("Problem")
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()
        outer.addWidget(self.problem_label)

        self.table = QTableWidget(len(conflict.fields), 4, self)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.table.setWordWrap(False)     # a value and its who/when: two lines, never a tall cell
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(FIELD, QHeaderView.ResizeMode.ResizeToContents)
        for column in (STORE, HEAD_OFFICE, MERGED):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self._fill()
        if conflict.fields and not (conflict.row_gone or conflict.renamed_key):
            self.table.setCurrentCell(0, MERGED)    # where typing starts
        outer.addWidget(self.table, 1)

        rename_row = QHBoxLayout()
        self.rename_caption = QLabel(self)
        self.rename_edit = QLineEdit(self)
        self.rename_edit.setObjectName("RenameTo")
        self.rename_button = QPushButton(self)
        self.rename_button.setObjectName("Rename")
        self.rename_button.clicked.connect(lambda: self._settle(SettleChoice.RENAME, self.rename_values))
        rename_row.addWidget(self.rename_caption)
        rename_row.addWidget(self.rename_edit, 1)
        rename_row.addWidget(self.rename_button)
        outer.addLayout(rename_row)
        for widget in (self.rename_caption, self.rename_edit, self.rename_button):
            widget.setVisible(conflict.renamed_key)
        if conflict.renamed_key:
            self.rename_edit.setText(_shown(conflict.fields[0].head_office.value))

        self.buttons = QDialogButtonBox(self)
        self.keep_head_office_button = self._button("KeepHeadOffice", SettleChoice.KEEP_HEAD_OFFICE, lambda: {})
        self.keep_store_button = self._button("KeepStore", SettleChoice.KEEP_STORE, lambda: {})
        self.merged_button = self._button("SaveMerged", SettleChoice.MERGED, self.merged_values)
        self.keep_store_button.setVisible(not conflict.row_gone)
        # A renamed key is merged by renaming it; a refused new row has nothing to merge into.
        self.merged_button.setVisible(not conflict.row_gone and not conflict.renamed_key)
        self.table.setColumnHidden(MERGED, conflict.row_gone or conflict.renamed_key)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        self.retranslate()
        fit_to_screen(self, QSize(900, 360))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.table.resizeRowsToContents()      # the columns have their widths now

    def _button(self, name: str, choice: SettleChoice, values: Callable[[], dict[str, Any] | None]) -> QPushButton:
        button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(lambda: self._settle(choice, values))
        return button

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        c = self.conflict
        self.setWindowTitle(self.tr("Settle a conflict"))
        self.table.setHorizontalHeaderLabels([self.tr("Field"), self.tr("This store's value"),
                                              self.tr("Head office's value"), self.tr("Merged value")])
        if c.row_gone:
            intro = self.tr("Head office refused this new %1 row: another row already holds its value. "
                            "Only head office's side can be kept.")
        elif c.renamed_key:
            intro = self.tr("Another row of the store already had this %1's value, so head office renamed it. "
                            "Keep head office's name, or choose another one.")
        else:
            intro = self.tr("Another console changed this %1 row first, so head office kept its values. "
                            "Keep either side, or type a merged value.")
        self.intro_label.setText(intro.replace("%1", table_text(c.table)))
        self.rename_caption.setText(self.tr("New value"))
        self.rename_button.setText(self.tr("Rename…"))
        self.keep_head_office_button.setText(self.tr("Keep head office's"))
        self.keep_store_button.setText(self.tr("Keep this store's"))
        self.merged_button.setText(self.tr("Save merged value"))
        for row, field in enumerate(c.fields):
            self.table.item(row, FIELD).setText(field_text(field.name))
            self.table.item(row, STORE).setText(self._side(field.store))
            self.table.item(row, HEAD_OFFICE).setText(self._side(field.head_office))
        self.table.resizeRowsToContents()

    def _fill(self) -> None:
        for row, field in enumerate(self.conflict.fields):
            name = QTableWidgetItem(field_text(field.name))
            self.table.setItem(row, FIELD, name)
            for column in (STORE, HEAD_OFFICE):
                self.table.setItem(row, column, QTableWidgetItem())
            merged = QTableWidgetItem(_shown(field.store.value))
            merged.setToolTip(field.name)
            self.table.setItem(row, MERGED, merged)
            for column in (FIELD, STORE, HEAD_OFFICE):
                item = self.table.item(row, column)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)

    def _side(self, side: Side) -> str:
        """The value, then who changed it and when, as far as it is known."""
        who = [self.tr("head office")] if side.head_office else [w for w in (side.person, side.console) if w]
        if side.at is not None:
            who.append(format_datetime(in_zone(side.at, self._tz), ui_language()))
        value = _shown(side.value) if side.value is not None else self.tr("(none)")
        return f"{value}\n{' · '.join(who)}" if who else value

    # --- settling ---------------------------------------------------------------------

    def merged_values(self) -> dict[str, Any] | None:
        """The third column as wire values; None (with the problem shown) when one cannot be read."""
        values: dict[str, Any] = {}
        for row, field in enumerate(self.conflict.fields):
            typed = self.table.item(row, MERGED).text()
            value = self._read(field, typed)
            if value is _UNREADABLE:
                self.show_problem(self.tr("The merged value of %1 cannot be read: type it as this "
                                          "store's value is written.").replace("%1", field_text(field.name)))
                return None
            values[field.name] = value
        return values

    def _read(self, field: ConflictField, typed: str) -> Any:
        if field.text_typed:
            return typed
        try:
            return json.loads(typed)
        except ValueError:
            return _UNREADABLE

    def rename_values(self) -> dict[str, Any]:
        return {self.conflict.fields[0].name: self.rename_edit.text().strip()}

    def _settle(self, choice: SettleChoice, values: Callable[[], dict[str, Any] | None]) -> None:
        merged = values()
        if merged is None:
            return
        spawn(self.settle(choice, merged), owner=self)

    async def settle(self, choice: SettleChoice, merged: dict[str, Any] | None = None) -> bool:
        """Run the decision on the worker; True (and the dialog closed) once it is written."""
        buttons = [self.keep_head_office_button, self.keep_store_button, self.merged_button, self.rename_button]
        result = await self.ops.run(self.conflicts.settle, self.conflict.conflict_id, choice, merged or None,
                                    trigger=buttons, exclusive=True)
        if result is FAILED:
            return False
        self.settled = True
        self.accept()
        return True

    def show_problem(self, problem: Readable, wrap: Callable[[str], str] | None = None) -> None:
        shown = render(problem)
        self.problem_label.setText(wrap(shown) if wrap is not None else shown)
        self.problem_label.show()


_UNREADABLE = object()
