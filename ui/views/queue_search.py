"""Where the queue editor's products come from: a search as you type, a barcode scanner, sets and past shows.

The search never blocks the window: a pause in typing starts a search on the
worker, at most one runs at a time, and only the newest query's result is
shown (a slow search for "g" never overwrites the one for "gl" typed after
it). Enter adds the highlighted result (the first by default), once the
result shown is the one for the text typed; Up and Down move the highlight
without leaving the box, so a keyboard never has to reach for the mouse.

A scanner is a keyboard that types the code and Enter into the focused scan
field: the field empties at once for the next scan, and the page adds the
product by its barcode or SKU (``QueueService.add_by_code``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout, QHeaderView, QLineEdit, QMenu, QPushButton, QTableView, QVBoxLayout, QWidget,
)

from console.domain.values import ProductRow, ProductSetRow, QueueLine
from ui.models.queue import ProductResultModel
from ui.operations import FAILED, Operations
from ui.tasks import spawn
from ui.views.page import make_table

SEARCH_DELAY_MS = 120
SEARCH_LIMIT = 30
RESULT_ROWS_SHOWN = 4


def fit_columns(view: QTableView, stretch: int) -> None:
    """Each column to its contents and ``stretch`` over the room left (resizing it to contents would undo that)."""
    header = view.horizontalHeader()
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    for column in range(header.count()):
        if column != stretch:
            view.resizeColumnToContents(column)


class AddBar(QWidget):
    """The row above the queue: search to add, the scan field, and the menu of sets and past broadcasts."""

    add_requested = Signal(list)          # product ids, best first
    code_scanned = Signal(str)            # what the scanner typed before its Enter
    set_chosen = Signal(object, str)      # a product set's id and name
    copy_chosen = Signal()                # "Copy a past broadcast's queue…"
    save_chosen = Signal()                # "Save this queue as a set…"

    def __init__(self, ops: Operations, search_fn: Callable[..., list[ProductRow]], timezone: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        # What a search runs (the catalog's): an attribute, so a test can slow it down and watch the newest win.
        self.search_fn = search_fn
        self._asked = 0
        self._shown_for: str | None = None       # the text whose results are on the list
        self._task: asyncio.Task[None] | None = None
        self._sets: list[ProductSetRow] = []

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(4)
        row = QHBoxLayout()
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("QueueSearch")
        self.search_edit.setClearButtonEnabled(True)
        self.scan_edit = QLineEdit(self)
        self.scan_edit.setObjectName("QueueScan")
        self.from_button = QPushButton(self)
        self.from_menu = QMenu(self.from_button)
        self.from_button.setMenu(self.from_menu)
        self.sets_menu = self.from_menu.addMenu("")
        self.sets_menu.setObjectName("ProductSetsMenu")
        self.copy_action = self.from_menu.addAction("")
        self.copy_action.triggered.connect(self.copy_chosen)
        self.from_menu.addSeparator()
        self.save_action = self.from_menu.addAction("")
        self.save_action.triggered.connect(self.save_chosen)
        row.addWidget(self.search_edit, 3)
        row.addWidget(self.scan_edit, 1)
        row.addWidget(self.from_button)
        self.buttons = QHBoxLayout()        # the page puts its edit buttons at the end of the row
        row.addLayout(self.buttons)
        outer.addLayout(row)
        self.results = ProductResultModel(timezone, self)
        self.results_view = make_table(self.results, self)
        self.results_view.setObjectName("QueueSearchResults")
        self.results_view.hide()
        outer.addWidget(self.results_view)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(lambda: spawn(self.search(), owner=self))
        self.search_edit.textChanged.connect(self._on_typed)
        self.search_edit.returnPressed.connect(lambda: spawn(self.add_highlighted(), owner=self))
        self.search_edit.installEventFilter(self)
        self.results_view.installEventFilter(self)
        self.results_view.doubleClicked.connect(lambda index: self._add_row(index.row()))
        self.scan_edit.returnPressed.connect(self._on_scanned)
        self.retranslate()

    def retranslate(self) -> None:
        self.search_edit.setPlaceholderText(self.tr("Add a product: name, SKU, barcode or pinyin (Ctrl+K)"))
        self.search_edit.setToolTip(self.tr("Enter or a double-click adds the highlighted product; "
                                            "Up and Down choose another"))
        self.scan_edit.setPlaceholderText(self.tr("Scan a barcode (Ctrl+B)"))
        self.scan_edit.setToolTip(self.tr("A scanner types the code and Enter: the product goes on the queue"))
        self.from_button.setText(self.tr("Add from"))
        self._fill_menu()

    def set_editable(self, editable: bool) -> None:
        for widget in (self.search_edit, self.scan_edit, self.from_button):
            widget.setEnabled(editable)
        if not editable:
            self.results_view.hide()

    # --- sets and past broadcasts -------------------------------------------------------------
    def show_sets(self, sets: list[ProductSetRow]) -> None:
        self._sets = list(sets)
        self._fill_menu()

    def _fill_menu(self) -> None:
        self.sets_menu.setTitle(self.tr("Product set"))
        self.copy_action.setText(self.tr("Copy a past broadcast's queue…"))
        self.save_action.setText(self.tr("Save this queue as a set…"))
        self.sets_menu.clear()
        for product_set in self._sets:
            action = self.sets_menu.addAction(self.tr("%1 (%2 products)").replace("%1", product_set.name)
                                              .replace("%2", str(product_set.size)))
            action.triggered.connect(lambda _c=False, s=product_set: self.set_chosen.emit(s.id, s.name))
        if not self._sets:
            self.sets_menu.addAction(self.tr("No product sets yet")).setEnabled(False)

    # --- the scanner -----------------------------------------------------------------------------
    def focus_scan(self) -> None:
        self.scan_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.scan_edit.selectAll()

    def _on_scanned(self) -> None:
        code = self.scan_edit.text().strip()
        # Empty at once: the next scan may come before the product is on the queue.
        self.scan_edit.clear()
        if code:
            self.code_scanned.emit(code)

    # --- searching -------------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def show_queued(self, lines: list[QueueLine]) -> None:
        """Which results are on the queue already (and as which link)."""
        self.results.set_queued(lines)

    def _on_typed(self, _text: str) -> None:
        self._debounce.start()

    async def search(self) -> None:
        """Show what the box finds; returns once the newest query's result is on the list."""
        self._debounce.stop()
        self._asked += 1
        if self._task is None or self._task.done():
            self._task = spawn(self._search_until_current(), owner=self)
        # Shielded: a caller that gives up must not cancel the search others wait for.
        await asyncio.shield(self._task)

    async def _search_until_current(self) -> None:
        while True:
            asked, query = self._asked, self.search_edit.text().strip()
            if not query:
                rows: Any = []
            else:
                # Not disabling the box, and a read that does not make the screen busy: a person typing
                # keeps typing, and a key pressed meanwhile is not refused. A refusal shows on the page.
                rows = await self._ops.run(self.search_fn, query, limit=SEARCH_LIMIT, holds=False)
            if asked == self._asked:
                break
            # Typed on meanwhile: this result is stale, and the newest query runs now.
        if rows is not FAILED:
            self._show_results(query, rows)

    def _show_results(self, query: str, rows: list[ProductRow]) -> None:
        self._shown_for = query
        self.results.set_rows(rows)
        visible = bool(query)
        self.results_view.setVisible(visible)
        if visible:
            fit_columns(self.results_view, ProductResultModel.NOTE_COLUMN)
            height = self.results_view.verticalHeader().defaultSectionSize()
            header = self.results_view.horizontalHeader().sizeHint().height()
            self.results_view.setFixedHeight(header + height * RESULT_ROWS_SHOWN + 4)
        if rows:
            self.results_view.selectRow(0)

    def highlighted(self) -> ProductRow | None:
        rows = self.results_view.selectionModel().selectedRows()
        if rows:
            return self.results.value(rows[0].row())
        return self.results.value(0) if self.results.rowCount() else None

    async def add_highlighted(self) -> None:
        """Enter in the box: the highlighted result, once the list shows the results for what was typed."""
        if self._shown_for != self.search_edit.text().strip() or self._debounce.isActive():
            await self.search()
        chosen = self.highlighted()
        if chosen is not None:
            self.add_requested.emit([chosen.id])

    def _add_row(self, row: int) -> None:
        if 0 <= row < self.results.rowCount():
            self.add_requested.emit([self.results.value(row).id])

    def _move_highlight(self, step: int) -> None:
        count = self.results.rowCount()
        if not count:
            return
        rows = self.results_view.selectionModel().selectedRows()
        current = rows[0].row() if rows else -1
        self.results_view.selectRow(min(max(current + step, 0), count - 1))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.search_edit and key in (Qt.Key.Key_Down, Qt.Key.Key_Up) \
                    and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self._move_highlight(1 if key == Qt.Key.Key_Down else -1)
                return True
            if watched is self.search_edit and key == Qt.Key.Key_Escape and self.search_edit.text():
                self.search_edit.clear()
                return True
            if watched is self.results_view and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._add_row(self.results_view.currentIndex().row())
                return True
        return super().eventFilter(watched, event)
