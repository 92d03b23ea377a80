"""Broadcasts: upcoming and past shows; the selected show's run-of-show below."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import QLabel, QSplitter, QWidget
from qasync import asyncSlot

from console.services.worker import DbWorker
from ui.models.tables import BroadcastTableModel, QueueTableModel
from ui.views.page import Page, make_table

if TYPE_CHECKING:
    from console.services.registry import Services


class BroadcastsPage(Page):
    view_name = "broadcasts"
    watches = frozenset({"broadcast", "queue_item", "product", "store_product", "quality_document", "live_room",
                         "shift", "anchor"})

    def __init__(self, services: Services, worker: DbWorker, timezone: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, worker, parent)
        self.broadcast_model = BroadcastTableModel(timezone, self)
        self.queue_model = QueueTableModel(timezone, self)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.broadcast_view = make_table(self.broadcast_model, splitter)
        self.queue_caption = QLabel(splitter)
        self.queue_view = make_table(self.queue_model, splitter)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(2, 2)
        self.body.addWidget(splitter, 1)
        self.broadcast_view.selectionModel().selectionChanged.connect(self._on_selected)
        self.retranslate()

    def retranslate(self) -> None:
        self.title_label.setText(self.tr("Broadcasts"))
        self.intro_label.setText(self.tr("Upcoming shows first; select one to see its run-of-show."))
        self.queue_caption.setText(self.tr("Run-of-show"))
        self.set_coming([
            self.tr("Plan a broadcast: room, platform accounts, time window, hosts"),
            self.tr("Build the queue: link numbers, live prices, deals, planned durations"),
            self.tr("The on-air gate: products without quality papers or after-sales policy are refused"),
        ])

    async def load(self) -> None:
        rows = await self.call(self._services.broadcasts.upcoming)
        self.broadcast_model.set_rows(rows)
        self.broadcast_view.resizeColumnsToContents()
        if not rows:
            self.queue_model.set_rows([])
            return
        # Select the first show without the selection slot, and load its queue
        # here, so that a refresh is finished when this returns.
        selection = self.broadcast_view.selectionModel()
        selection.blockSignals(True)
        self.broadcast_view.selectRow(0)
        selection.blockSignals(False)
        await self._show_queue(0)

    @asyncSlot(QItemSelection, QItemSelection)
    async def _on_selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes:
            await self.ops.run(self._show_queue, indexes[0].row())

    async def _show_queue(self, row: int) -> None:
        broadcast = self.broadcast_model.value(row)
        self.queue_caption.setText(self.tr("Run-of-show: %1").replace("%1", broadcast.title))
        self.queue_model.set_rows(await self.call(self._services.broadcasts.queue, broadcast.id))
        self.queue_view.resizeColumnsToContents()
