"""Roster: the store's anchors, with this week's planned hours."""

from __future__ import annotations

from datetime import datetime, timezone as tz

from PySide6.QtWidgets import QLabel, QWidget

from console.services.registry import Services
from console.services.store import week_start
from console.services.worker import DbWorker
from ui.models.tables import AnchorTableModel
from ui.views.page import Page, make_table


class RosterPage(Page):
    view_name = "roster"

    def __init__(self, services: Services, worker: DbWorker, timezone: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, worker, parent)
        self._timezone = timezone
        self._week_hours: dict[str, float] = {}
        self.week_label = QLabel(self)
        self.week_label.setWordWrap(True)
        self.model = AnchorTableModel(timezone, self)
        self.view = make_table(self.model, self)
        self.body.addWidget(self.week_label)
        self.body.addWidget(self.view, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.title_label.setText(self.tr("Roster"))
        self.intro_label.setText(self.tr("Anchors of this store, what they are trained for, and their hours this week."))
        self.set_coming([
            self.tr("Week view: drag to create, move and resize shifts, with undo"),
            self.tr("Rules that refuse a double-booked anchor or room, or an untrained anchor"),
            self.tr("Warnings on short rest, long on-air stretches and weekly hours"),
            self.tr("Time off and swap requests; import and export (CSV, iCalendar)"),
        ])
        self._show_week()

    async def load(self) -> None:
        roster = self._services.roster
        self.model.set_rows(await self.call(roster.anchors))
        self.view.resizeColumnsToContents()
        start = week_start(datetime.now(tz.utc), self._timezone)
        self._week_hours = await self.call(roster.week_hours, start)
        self._show_week()

    def _show_week(self) -> None:
        hours = sum(self._week_hours.values())
        self.week_label.setText(
            self.tr("This week: %1 anchors on the roster, %2 hours planned.")
            .replace("%1", str(len(self._week_hours))).replace("%2", f"{hours:,.0f}")
        )
