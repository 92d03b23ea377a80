"""The queue editor's editors and questions: typing a value in place, which past show to copy, a set's name.

The cell editors only shape what can be typed (a link number 1 to 999, a
deal no longer than the column); the queue model reads a price or a duration
as a queue file is read (``1,299.00``, ``¥1299``; ``3:30`` or ``5``), and the
service has the last word. The questions are the page's prompt hooks'
defaults, so a test can answer them without a dialog.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from console.domain.values import BroadcastRow
from console.rules.link_numbers import MAX_LINK_NUMBER
from console.domain.amounts import MAX_ALLOCATED_STOCK
from ui.layouts import fit_to_screen
from ui.models.queue import QueueEditorModel as Q
from ui.models.tables import BroadcastTableModel
from ui.views.page import make_table
from ui.views.roster_dialogs import run_dialog


class TermsDelegate(QStyledItemDelegate):
    """The editor each editable column of the queue gets."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        column = index.column()
        if column in (Q.LINK, Q.STOCK):
            spin = QSpinBox(parent)
            low, high = (1, MAX_LINK_NUMBER) if column == Q.LINK else (0, MAX_ALLOCATED_STOCK)
            spin.setRange(low, high)
            spin.setFrame(False)
            return spin
        editor = QLineEdit(parent)
        editor.setFrame(False)
        if column == Q.DEAL:
            # Here, not at the top: the GUI's first window paints before the database layer loads.
            from console.services.queue_base import DEAL_LENGTH
            editor.setMaxLength(DEAL_LENGTH)
        else:
            editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return editor


class CopyQueueDialog(QDialog):
    """Which broadcast's queue to copy into this one: the others that have a queue, as the list shows them."""

    def __init__(self, parent: QWidget, rows: list[BroadcastRow], timezone: str) -> None:
        super().__init__(parent)
        self.setObjectName("CopyQueueDialog")
        self.setWindowTitle(self.tr("Copy a queue"))
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Its products, order, live prices, deals, durations and pinned links are added "
                               "to this queue; the stock at the start is today's."), self)
        intro.setWordWrap(True)
        self.model = BroadcastTableModel(timezone, self)
        self.model.set_rows(rows)
        self.view = make_table(self.model, self)
        self.view.resizeColumnsToContents()
        self.view.doubleClicked.connect(lambda _i: self.accept())
        if rows:
            self.view.selectRow(0)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Copy"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(intro)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.buttons)
        fit_to_screen(self, QSize(820, 480))

    def chosen(self) -> BroadcastRow | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.value(rows[0].row()) if rows else None


class QueuePrompts:
    """The dialogs behind the page's questions, over ``parent``."""

    def __init__(self, parent: QWidget, timezone: str) -> None:
        self._parent = parent
        self._timezone = timezone
        self.open_dialog: QDialog | None = None   # the prompt open now, if any (tests answer it)

    async def run(self, dialog: QDialog) -> bool:
        """Open ``dialog`` over the page and wait for it; whether it was accepted."""
        return await self._run(dialog)

    async def _run(self, dialog: QDialog) -> bool:
        self.open_dialog = dialog
        try:
            return await run_dialog(dialog)
        finally:
            self.open_dialog = None

    async def copy_source(self, rows: list[BroadcastRow]) -> BroadcastRow | None:
        dialog = CopyQueueDialog(self._parent, rows, self._timezone)
        return dialog.chosen() if await self._run(dialog) else None

    async def text(self, title: str, label: str) -> str | None:
        dialog = QInputDialog(self._parent)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        return (dialog.textValue().strip() or None) if await self._run(dialog) else None

    async def confirm(self, title: str, question: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, question,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self._parent)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        if not await self._run(box):
            return False
        return box.clickedButton() is box.button(QMessageBox.StandardButton.Yes)
