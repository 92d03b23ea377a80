"""Products: the catalog with the store's prices and stock, searchable as you type."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget
from qasync import asyncSlot

from console.i18n.formats import format_count
from console.services.worker import DbWorker
from ui.i18n import ui_language
from ui.models.tables import ProductTableModel
from ui.operations import FAILED
from ui.views.page import Page, make_table

if TYPE_CHECKING:
    from console.services.registry import Services


SEARCH_DELAY_MS = 120


class ProductsPage(Page):
    view_name = "products"
    watches = frozenset({"product", "store_product", "quality_document"})

    def __init__(self, services: Services, worker: DbWorker, timezone: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, worker, parent)
        self._total = 0
        row = QHBoxLayout()
        self.search_edit = QLineEdit(self)
        self.search_edit.setClearButtonEnabled(True)
        self.count_label = QLabel(self)
        row.addWidget(self.search_edit, 1)
        row.addWidget(self.count_label)
        self.body.addLayout(row)
        self.model = ProductTableModel(timezone, self)
        self.view = make_table(self.model, self)
        self.body.addWidget(self.view, 1)
        # Wait for a pause in typing rather than querying on every key.
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self._search_now)
        self.search_edit.textChanged.connect(lambda _text: self._debounce.start())
        self.retranslate()

    def retranslate(self) -> None:
        self.title_label.setText(self.tr("Products"))
        self.intro_label.setText(self.tr(
            "The catalog from head office with this store's counter prices and stock. "
            "Products in orange may not go on air yet."))
        self.search_edit.setPlaceholderText(self.tr("Search by name, SKU, brand or pinyin (Ctrl+F)"))
        self.set_coming([
            self.tr("Import the spreadsheets stores really have (CSV and Excel), all-or-nothing"),
            self.tr("Instant search over 100,000 products, also by pinyin initials"),
            self.tr("Quality documents and after-sales policy per product"),
        ])
        self._show_count()

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    async def load(self) -> None:
        self._total = await self.call(self._services.catalog.count)
        await self._run_search()
        # Fit the columns once per load, not on every keystroke of a search.
        self.view.resizeColumnsToContents()

    @asyncSlot()
    async def _search_now(self) -> None:
        # Not disabling the search box: a person typing must keep typing. A refusal shows on the screen.
        rows = await self.ops.run(self._services.catalog.search, self.search_edit.text())
        if rows is not FAILED:
            self.problem_label.hide()
            self.model.set_rows(rows)
            self._show_count()

    async def _run_search(self) -> None:
        rows = await self.call(self._services.catalog.search, self.search_edit.text())
        self.model.set_rows(rows)
        self._show_count()

    def _show_count(self) -> None:
        self.count_label.setText(
            self.tr("%1 shown · %2 in the catalog")
            .replace("%1", format_count(self.model.rowCount(), ui_language()))
            .replace("%2", format_count(self._total, ui_language()))
        )
