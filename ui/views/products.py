"""Products: the catalog searched as you type, one product in full beside it, the store's prices and stock, imports.

Searching never blocks the window: a pause in typing (:data:`SEARCH_DELAY_MS`)
starts a search on the worker, at most one runs at a time, and only the
newest query's result is shown (a slow search for "g" never overwrites the
one for "gl" typed after it). A reload from the stream of changes keeps the
search text and the selected product.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QSplitter, QWidget
from qasync import asyncSlot
from shiboken6 import isValid

from console.domain.errors import DomainError
from console.domain.values import CatalogAccess, ProductRow
from console.i18n.formats import format_count
from console.services.worker import DbWorker
from ui.actions import PRODUCTS, ActionButton, ActionRegistry
from ui.i18n import render, ui_language
from ui.models.tables import ProductTableModel
from ui.operations import FAILED
from ui.tasks import spawn
from ui.views.catalog_import import ImportPrompts, import_summary
from ui.views.page import Page, make_table
from ui.views.product_detail import ProductDetailPanel, load_thumbnails
from ui.views.roster_dialogs import answer

if TYPE_CHECKING:
    from console.services.registry import Services

SEARCH_DELAY_MS = 120
IMPORT_ACTION = "products.import"
NAME_AT_LEAST_PX = 140
GATE_AT_MOST_PX = 150
# Until the first load says otherwise, offer nothing that changes the catalog.
NO_ACCESS = CatalogAccess(from_head_office=False, may_import=False, may_edit_store_prices=False)


class ProductsPage(Page):
    view_name = "products"
    scope = PRODUCTS
    watches = frozenset({"product", "store_product", "quality_document", "price_history"})

    def __init__(self, services: Services, worker: DbWorker, timezone: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, worker, parent)
        self.coming_label.hide()
        self._zone = ZoneInfo(timezone)
        self._total = 0
        self.access = NO_ACCESS
        self._import_action: QAction | None = None
        # The newest search asked for wins; at most one runs on the worker at a time.
        self._searches_asked = 0
        self._search_task: asyncio.Task[None] | None = None
        self._details_asked = 0
        self.selected_id: UUID | None = None
        # What a search runs: the catalog's, held here so a test can slow it down and watch the newest win.
        self.search_fn: Callable[[str], list[ProductRow]] = services.catalog.search
        # The import's questions (which file; go ahead after the preview?): a test answers them itself.
        self.import_prompts = ImportPrompts(self)
        self.import_file_prompt: Callable[[], Any] = self.import_prompts.choose_file
        self.import_preview_prompt: Callable[[Any], Any] = self.import_prompts.confirm
        self.picture_file_prompt: Callable[[], Any] = self.import_prompts.choose_picture

        self._build_toolbar()
        self.owner_label = QLabel(self)
        self.owner_label.setObjectName("Notice")
        self.owner_label.setWordWrap(True)
        self.owner_label.hide()
        self.body.addWidget(self.owner_label)
        # What an edit or an import did, in a word (saved, and a ready broadcast went back to planned).
        self.notice_label = QLabel(self)
        self.notice_label.setObjectName("Notice")
        self.notice_label.setWordWrap(True)
        self.notice_label.hide()
        self.body.addWidget(self.notice_label)
        self.model = ProductTableModel(timezone, self)
        self.view = make_table(self.model, self)
        self._columns_fitted = False    # to the rows of a first load: until then the name is left alone
        self.view.viewport().installEventFilter(self)
        self.detail = ProductDetailPanel(timezone, self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([930, 410])
        self.body.addWidget(self.splitter, 1)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._on_selection())
        self.detail.save_button.clicked.connect(self.on_save_store_price)
        self.detail.add_picture_button.clicked.connect(self.on_add_picture)
        # Wait for a pause in typing rather than querying on every key.
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self._search_now)
        self.search_edit.textChanged.connect(self._on_typed)
        # A barcode scanner types the code and Enter: search at once rather than after the pause.
        self.search_edit.returnPressed.connect(self._search_at_once)
        self.retranslate()

    def _build_toolbar(self) -> None:
        row = QHBoxLayout()
        self.search_edit = QLineEdit(self)
        self.search_edit.setClearButtonEnabled(True)
        self.count_label = QLabel(self)
        self.import_button = QPushButton(self)
        self.import_button.setObjectName("ImportCatalog")
        row.addWidget(self.search_edit, 1)
        row.addWidget(self.count_label)
        row.addWidget(self.import_button)
        self.body.addLayout(row)

    def set_actions(self, actions: ActionRegistry) -> None:
        """"Import catalog…" is this screen's action (Ctrl+I here): the button stands for it."""
        self._import_action = actions[IMPORT_ACTION]
        ActionButton(self.import_button, self._import_action, "text")
        self._show_access()

    def retranslate(self) -> None:
        self.title_label.setText(self.tr("Products"))
        self.search_edit.setPlaceholderText(self.tr("Search by name, SKU, barcode, brand or pinyin (Ctrl+F)"))
        self._show_access()
        self._show_count()

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    # --- loading --------------------------------------------------------------------------------
    async def load(self) -> None:
        self.access = await self.call(self._services.catalog_detail.access)
        if self.closed:
            return
        self._show_access()
        self._total = await self.call(self._services.catalog.count)
        await self.search()
        if self.closed:
            return
        # Fit the columns once per load, not on every keystroke of a search.
        self.view.resizeColumnsToContents()
        # The gate's reasons are elided past this (whole in the tooltip and the panel), for the name's sake.
        gate = ProductTableModel.GATE_COLUMN
        self.view.setColumnWidth(gate, min(self.view.columnWidth(gate), GATE_AT_MOST_PX))
        self._columns_fitted = True
        self._fit_name_column()
        await self.load_detail()

    def _on_typed(self, _text: str) -> None:
        self.notice_label.hide()
        self._debounce.start()

    @asyncSlot()
    async def _search_now(self) -> None:
        # The debounce may fire after the window is gone (a test's teardown, a closing window): nothing to search.
        if self.closed or not isValid(self) or not isValid(self.search_edit):
            return
        await self.search()

    def _search_at_once(self) -> None:
        self._debounce.stop()
        self._search_now()

    async def search(self) -> None:
        """Show what the search box finds; returns once the newest query's result is on the screen."""
        self._searches_asked += 1
        if self._search_task is None or self._search_task.done():
            self._search_task = spawn(self._search_until_current(), owner=self)
        # Shielded: a caller that gives up must not cancel the search others wait for.
        await asyncio.shield(self._search_task)

    async def _search_until_current(self) -> None:
        while True:
            if self.closed or not isValid(self.search_edit):
                return
            asked, query = self._searches_asked, self.search_edit.text()
            # Not disabling the search box: a person typing must keep typing. A refusal shows on the screen.
            rows = await self.ops.run(self.search_fn, query)
            if self.closed:
                return
            if asked == self._searches_asked:
                break
            # Typed on meanwhile: this result is stale, and the newest query runs now.
        if rows is not FAILED:
            self._show_rows(rows)

    def _show_rows(self, rows: list[ProductRow]) -> None:
        keep = self.selected_id
        self.model.set_rows(rows)
        self._show_count()
        row = None if keep is None else self.model.row_of(keep)
        if row is None and rows:
            row = 0     # the best match in full at once: a scanned barcode shows its product
        if row is None:
            self._select(None)
        else:
            self.view.selectRow(row)

    def _on_selection(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        chosen = self.model.value(rows[0].row()).id if rows else None
        if chosen != self.selected_id:
            self._select(chosen)

    def _select(self, product_id: UUID | None) -> None:
        self.selected_id = product_id
        spawn(self.load_detail(), owner=self)

    async def load_detail(self) -> None:
        """Show the selected product in full; only the newest selection's answer is shown."""
        self._details_asked += 1
        asked, product_id = self._details_asked, self.selected_id
        if product_id is None:
            self.detail.clear()
            return
        try:
            detail = await self.call(self._services.catalog_detail.product_detail, product_id)
            history = await self.call(self._services.prices.price_history, product_id)
        except DomainError as exc:
            if asked == self._details_asked and not self.closed:
                self.detail.clear()
                self.show_problem(exc)
            return
        if asked != self._details_asked or self.closed:
            return
        self.detail.show_detail(detail, self.access, self.today())
        self.detail.set_history(history)
        if detail.images:
            pictures = await self.call(load_thumbnails, detail.images)
            if asked == self._details_asked and not self.closed:
                self.detail.set_thumbnails(pictures)

    @property
    def closed(self) -> bool:
        """The window went away while a worker call ran: nothing is left to show its answer on."""
        return not isValid(self)

    def today(self) -> date:
        """The store's date, against which quality papers expire."""
        return datetime.now(self._zone).date()

    # --- the store's price and stock ----------------------------------------------------------
    @asyncSlot()
    async def on_save_store_price(self) -> None:
        shown = self.detail.detail
        if shown is None or not self.access.may_edit_store_prices:
            return
        typed = self._typed_price_and_stock()
        if typed is None:
            return
        fen, stock = typed
        row = await self.ops.run(
            self._services.catalog.set_store_price, shown.row.id, counter_price_fen=fen,
            stock=stock, evidence=self.detail.evidence_edit.text().strip(),
            trigger=self.detail.save_button)
        if row is FAILED or self.closed:
            return
        self.detail.mark_saved()
        self.problem_label.hide()
        if row.notices:
            # Saved, and it changed something elsewhere (a ready broadcast back to planned): say what.
            self.show_notice(render(list(row.notices)))
        if not row.barcode:
            row = dataclasses.replace(row, barcode=shown.barcode)
        if self.model.row_of(row.id) is not None:
            self.model.put(row, key=lambda p: p.id)
        await self.load_detail()

    @asyncSlot()
    async def on_add_picture(self) -> None:
        shown = self.detail.detail
        if shown is None or not self.access.may_edit_catalog:
            return
        chosen = await self.picture_file_prompt()
        if not chosen or self.closed:
            return
        added = await self.ops.run(self._services.catalog_detail.add_image, shown.row.id, chosen,
                                   trigger=self.detail.add_picture_button)
        if added is FAILED or self.closed:
            return
        self.problem_label.hide()
        await self.load_detail()

    def _typed_price_and_stock(self) -> tuple[int, int] | None:
        """The price and stock as typed, read as an import reads a spreadsheet's; None once a problem is shown."""
        # The same readers as a spreadsheet import (pure: no database layer).
        from console.domain.amounts import CellProblem, parse_price_fen, parse_stock

        try:
            fen = parse_price_fen(self.detail.price_edit.text())
        except CellProblem as problem:
            self.show_problem(problem.message, lambda why: self.tr("Not saved, counter price: %1.").replace("%1", why))
            return None
        try:
            stock = parse_stock(self.detail.stock_edit.text())
        except CellProblem as problem:
            self.show_problem(problem.message, lambda why: self.tr("Not saved, stock: %1.").replace("%1", why))
            return None
        return fen, stock

    # --- importing ------------------------------------------------------------------------------
    async def on_import(self) -> None:
        """Choose a file, see what it would add, update and refuse, and import it only on OK."""
        if not self.access.may_import:
            return
        chosen = await answer(self.import_file_prompt())
        if not chosen or self.closed:
            return
        path = Path(chosen)
        files = self._services.catalog_files
        preview = await self.ops.run(files.import_file, path, dry_run=True, trigger=self._import_action,
                                     progress=self.tr("Reading %1…").replace("%1", path.name))
        if preview is FAILED or self.closed or not await answer(self.import_preview_prompt(preview)):
            return
        done = await self.ops.run(files.import_file, path, dry_run=False, trigger=self._import_action,
                                  progress=self.tr("Importing %1…").replace("%1", path.name))
        if done is FAILED or self.closed:
            return
        await self.refresh()
        if not self.closed:
            self.show_notice(import_summary(done))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_name_column()
        return super().eventFilter(watched, event)

    def _fit_name_column(self) -> None:
        """The name takes what the other columns leave (elided if short), so the gate and barcode stay in sight."""
        if not self._columns_fitted:
            return
        name = ProductTableModel.NAME_COLUMN
        others = sum(self.view.columnWidth(c) for c in range(self.model.columnCount()) if c != name)
        room = self.view.viewport().width() - others
        self.view.setColumnWidth(name, max(NAME_AT_LEAST_PX, room))

    # --- showing --------------------------------------------------------------------------------
    def _show_access(self) -> None:
        """Who owns the catalog here, and the controls this person may use."""
        if self.access.from_head_office:
            self.intro_label.setText(self.tr(
                "Head office's catalog with this store's counter prices and stock. "
                "Products in orange may not go on air yet."))
            self.owner_label.setText(self.tr(
                "This console is enrolled with head office, so the catalog comes from head office and its "
                "products are read-only here. This store changes only its own stock and counter prices, "
                "here or by importing a spreadsheet of them."))
        else:
            self.intro_label.setText(self.tr(
                "This store's catalog with its counter prices and stock. "
                "Products in orange may not go on air yet."))
        self.owner_label.setVisible(self.access.from_head_office)
        if self._import_action is not None:
            self._import_action.setEnabled(self.access.may_import)
        self.import_button.setVisible(self.access.may_import)

    def show_notice(self, words: str) -> None:
        """What an edit or import did besides what the screen shows; gone with the next search."""
        self.notice_label.setText(words)
        self.notice_label.show()

    def _show_count(self) -> None:
        self.count_label.setText(
            self.tr("%1 shown · %2 in the catalog")
            .replace("%1", format_count(self.model.rowCount(), ui_language()))
            .replace("%2", format_count(self._total, ui_language()))
        )

