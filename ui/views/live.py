"""Live: the show on air now, or the next one, with its run-of-show."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QWidget

from console.domain.values import BroadcastRow
from console.i18n.formats import format_count
from console.services.worker import DbWorker
from ui.i18n import ui_language
from ui.models.tables import QueueTableModel
from ui.text import broadcast_status_text
from ui.views.page import Page, make_table

if TYPE_CHECKING:
    from console.services.registry import Services


class LivePage(Page):
    view_name = "live"
    watches = frozenset({"broadcast", "queue_item", "product", "store_product", "quality_document", "onair_event",
                         "metric_snapshot"})

    def __init__(self, services: Services, worker: DbWorker, timezone: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, worker, parent)
        self._broadcast: BroadcastRow | None = None
        self.show_title = QLabel(self)
        self.show_title.setObjectName("LiveTitle")
        self.show_meta = QLabel(self)
        self.show_meta.setObjectName("LiveMeta")
        self.queue_model = QueueTableModel(timezone, self)
        self.queue_view = make_table(self.queue_model, self)
        self.body.addWidget(self.show_title)
        self.body.addWidget(self.show_meta)
        self.body.addWidget(self.queue_view, 1)
        self._tz = timezone
        self.retranslate()

    def retranslate(self) -> None:
        self.title_label.setText(self.tr("Live"))
        self.intro_label.setText(self.tr("The show on air now, or the next one planned, with its run-of-show."))
        self.set_coming([
            self.tr("Keyboard-first controls: next product, pin, skip, notes"),
            self.tr("Planned and actual timers per product and for the show"),
            self.tr("Teleprompter on a second screen, fed by approved scripts"),
            self.tr("Every action logged durably; resume exactly where a show was after a crash"),
        ])
        self._show_broadcast()

    async def load(self) -> None:
        bc = self._services.broadcasts
        self._broadcast = await self.call(bc.live_or_next)
        rows = await self.call(bc.queue, self._broadcast.id) if self._broadcast else []
        self.queue_model.set_rows(rows)
        self.queue_view.resizeColumnsToContents()
        self._show_broadcast()

    def _show_broadcast(self) -> None:
        b = self._broadcast
        if b is None:
            self.show_title.setText(self.tr("No broadcast planned"))
            self.show_meta.setText(self.tr("Plan one on the Broadcasts screen."))
            return
        local = self.queue_model.local_time
        self.show_title.setText(b.title)
        self.show_meta.setText(
            self.tr("%1 · %2–%3 · %4 · hosts: %5 · %6 products")
            .replace("%1", broadcast_status_text(b.status))
            .replace("%2", local(b.planned_start, "%Y-%m-%d %H:%M"))
            .replace("%3", local(b.planned_end, "%H:%M"))
            .replace("%4", b.room_name)
            .replace("%5", "、".join(b.hosts) or "—")
            .replace("%6", format_count(b.queue_length, ui_language()))
        )
