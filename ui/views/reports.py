"""Reports: the store at a glance and what recent broadcasts sold."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QGridLayout, QWidget

from console.domain.permissions import Permission
from console.domain.values import StoreSummary
from console.i18n.formats import format_count
from console.services.worker import DbWorker
from ui.i18n import ui_language
from ui.models.tables import ReportTableModel
from ui.views.page import Card, Page, make_table

if TYPE_CHECKING:
    from console.services.registry import Services


class ReportsPage(Page):
    view_name = "reports"
    watches = frozenset({"broadcast", "metric_snapshot", "onair_event", "product", "store_product",
                         "quality_document", "anchor", "live_room", "shift"})

    def __init__(self, services: Services, worker: DbWorker, timezone: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, worker, parent)
        self._summary: StoreSummary | None = None
        grid = QGridLayout()
        self.cards = [Card(self) for _ in range(6)]
        for i, card in enumerate(self.cards):
            grid.addWidget(card, 0, i)
        self.body.addLayout(grid)
        self.model = ReportTableModel(timezone, self)
        self.view = make_table(self.model, self)
        self.body.addWidget(self.view, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.title_label.setText(self.tr("Reports"))
        self.intro_label.setText(self.tr("Recent broadcasts: planned against actual, viewers, orders and sales."))
        self.set_coming([
            self.tr("Reports per broadcast, anchor, room, product and store"),
            self.tr("Metrics with the run-of-show marked on the timeline"),
            self.tr("Exports that head office can pull"),
        ])
        self._show_summary()

    async def load(self) -> None:
        self._summary = await self.call(self._services.store.summary)
        self._show_summary()
        if not self._services.actor.may(Permission.VIEW_REPORTS):
            self.model.set_rows([])
            self.show_problem(self.tr("Sales figures are for store managers and head office."))
            return
        self.model.set_rows(await self.call(self._services.reports.recent_broadcasts))
        self.view.resizeColumnsToContents()

    def _show_summary(self) -> None:
        s = self._summary
        figures = [
            (self.tr("Anchors"), s.anchors if s else None),
            (self.tr("Live rooms"), s.rooms if s else None),
            (self.tr("Products"), s.products if s else None),
            (self.tr("Not cleared for air"), s.products_blocked if s else None),
            (self.tr("Upcoming broadcasts"), s.upcoming_broadcasts if s else None),
            (self.tr("Shifts this week"), s.shifts_this_week if s else None),
        ]
        for card, (caption, figure) in zip(self.cards, figures):
            card.set(caption, "—" if figure is None else format_count(figure, ui_language()))
