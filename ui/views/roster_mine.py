"""An anchor's roster: their published shifts for the coming weeks; ask for time off, offer a shift for a swap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget
from qasync import asyncSlot

from console.domain.calendar import week_start
from console.domain.enums import TimeOffKind
from console.domain.values import ShiftRow
from ui.models.week import MyShiftsModel
from ui.operations import FAILED
from ui.views.page import make_table
from ui.views.roster_dialogs import answer, time_off_span, when

if TYPE_CHECKING:
    from ui.views.roster import RosterPage

MY_SHIFTS_WEEKS = 4


class MyShifts(QObject):
    """The anchor's page of the roster, added to ``pages``; the store manager decides what they ask."""

    def __init__(self, page: RosterPage, pages: QStackedWidget, timezone: str) -> None:
        super().__init__(page)
        self._page = page
        self._timezone = timezone
        self.model = MyShiftsModel(timezone, self)
        self.widget = QWidget(pages)
        layout = QVBoxLayout(self.widget)
        layout.setContentsMargins(0, 0, 0, 0)
        self.caption = QLabel(self.widget)
        self.caption.setObjectName("WeekLabel")
        self.caption.setStyleSheet("QLabel#WeekLabel { font-size: 16px; font-weight: 600; }")
        self.view = make_table(self.model, self.widget)
        self.view.horizontalHeader().setStretchLastSection(True)
        buttons = QHBoxLayout()
        self.time_off_button = QPushButton(self.widget)
        self.swap_button = QPushButton(self.widget)
        self.message = QLabel(self.widget)
        self.message.setWordWrap(True)
        buttons.addWidget(self.time_off_button)
        buttons.addWidget(self.swap_button)
        buttons.addWidget(self.message, 1)
        layout.addWidget(self.caption)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        pages.addWidget(self.widget)
        self.time_off_button.clicked.connect(self._on_ask_time_off)
        self.swap_button.clicked.connect(self._on_offer_swap)

    def retranslate(self) -> None:
        self.time_off_button.setText(self.tr("Ask for time off…"))
        self.swap_button.setText(self.tr("Offer this shift for a swap…"))
        # No %n plurals: update.py --check and the catalogue tests read only singular translations.
        self.caption.setText(self.tr("My shifts, the next %1 weeks").replace("%1", str(MY_SHIFTS_WEEKS)))

    async def load(self) -> None:
        start = week_start(datetime.now(UTC), self._timezone)
        roster = self._page.roster
        rows = await self._page.ops.run(roster.my_shifts, start, start + timedelta(weeks=MY_SHIFTS_WEEKS))
        if rows is FAILED:
            return
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()

    def selected_shift(self) -> ShiftRow | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.value(rows[0].row()) if rows else None

    @asyncSlot()
    async def _on_ask_time_off(self) -> None:
        await self.ask_time_off()

    async def ask_time_off(self) -> None:
        page = self._page
        asked = await answer(page.time_off_prompt())
        if asked is None:
            return
        starts, ends, reason = asked
        row = await page.ops.run(page.roster.request_time_off, starts_at=starts, ends_at=ends, reason=reason,
                                 kind=TimeOffKind.TIME_OFF, trigger=self.time_off_button)
        if row is FAILED:
            return
        page.problem_label.hide()
        self.message.setText(self.tr("Asked for time off %1; your store manager will decide.")
                             .replace("%1", time_off_span(row, page.zone)))

    @asyncSlot()
    async def _on_offer_swap(self) -> None:
        await self.offer_swap()

    async def offer_swap(self) -> None:
        page = self._page
        shift = self.selected_shift()
        if shift is None:
            page.show_problem(self.tr("Select one of your shifts first."))
            return
        # Each colleague judged by the roster's rules as if the shift were theirs: who is free then.
        options = await page.ops.run(page.roster.swap_options, shift.id, trigger=self.swap_button)
        if options is FAILED:
            return
        offered = await answer(page.swap_prompt(shift, options))
        if offered is None:
            return
        to_anchor, reason = offered
        swap = await page.ops.run(page.roster.request_swap, shift.id, to_anchor_id=to_anchor, reason=reason,
                                  trigger=self.swap_button)
        if swap is FAILED:
            return
        page.problem_label.hide()
        self.message.setText(self.tr("Offered your shift %1 to %2; your store manager will decide.")
                             .replace("%1", when(shift.starts_at, page.zone)).replace("%2", swap.to_anchor_name))
