"""The manager's side tabs of requests: time off and swaps to decide, and the shifts that need attention."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QPushButton, QTabWidget, QVBoxLayout, QWidget
from qasync import asyncSlot

from console.domain.enums import RequestStatus
from console.domain.values import ShiftRow, SwapRow, TimeOffRow
from ui.i18n import render
from ui.operations import FAILED
from ui.views.roster_dialogs import shift_line, time_off_span, unless_stranded, when

if TYPE_CHECKING:
    from ui.views.roster import RosterPage


class RequestTabs(QObject):
    """Three tabs added to the board's side: time off to decide, swaps to decide, and needs attention.

    The last lists the shifts the rules now refuse (time off approved, an
    anchor deactivated, new room hours): the manager's list to work through;
    activating one shows it on the board.
    """

    def __init__(self, page: RosterPage, tabs: QTabWidget) -> None:
        super().__init__(page)
        self._page = page
        self._tabs = tabs
        self._time_off: list[TimeOffRow] = []
        self._swaps: list[SwapRow] = []
        self._attention: list[ShiftRow] = []    # flagged shifts from today on, as last loaded
        self.time_off_list, self.time_off_tab, self.approve_time_off, self.reject_time_off = self._request_tab()
        self.swap_list, self.swap_tab, self.approve_swap, self.reject_swap = self._request_tab()
        self.attention_list = QListWidget(tabs)
        self.attention_list.setObjectName("AttentionList")
        self.attention_list.setWordWrap(True)
        for tab in (self.time_off_tab, self.swap_tab, self.attention_list):
            tabs.addTab(tab, "")
        self.approve_time_off.clicked.connect(lambda: self._decide_time_off(True))
        self.reject_time_off.clicked.connect(lambda: self._decide_time_off(False))
        self.approve_swap.clicked.connect(lambda: self._decide_swap(True))
        self.reject_swap.clicked.connect(lambda: self._decide_swap(False))
        self.attention_list.itemActivated.connect(self._on_attention_activated)

    def _request_tab(self) -> tuple[QListWidget, QWidget, QPushButton, QPushButton]:
        tab = QWidget(self._tabs)
        row = QHBoxLayout(tab)
        row.setContentsMargins(4, 4, 4, 4)
        items = QListWidget(tab)
        buttons = QVBoxLayout()
        approve, reject = QPushButton(tab), QPushButton(tab)
        buttons.addWidget(approve)
        buttons.addWidget(reject)
        buttons.addStretch(1)
        row.addWidget(items, 1)
        row.addLayout(buttons)
        return items, tab, approve, reject

    def retranslate(self) -> None:
        for button in (self.approve_time_off, self.approve_swap):
            button.setText(self.tr("Approve"))
        for button in (self.reject_time_off, self.reject_swap):
            button.setText(self.tr("Reject"))
        self._show_requests()
        self.show_attention()

    # --- showing -----------------------------------------------------------------------------
    def set_requests(self, time_off: list[TimeOffRow], swaps: list[SwapRow], attention: list[ShiftRow]) -> None:
        self._time_off = [t for t in time_off if t.status is RequestStatus.REQUESTED]
        self._swaps, self._attention = swaps, attention
        self._show_requests()
        self.show_attention()

    def _show_requests(self) -> None:
        zone = self._page.zone
        self.time_off_list.clear()
        for t in self._time_off:
            item = QListWidgetItem(
                self.tr("%1 · %2 · %3").replace("%1", t.anchor_name).replace("%2", time_off_span(t, zone))
                .replace("%3", t.reason or "—"))
            item.setData(Qt.ItemDataRole.UserRole, t.id)
            self.time_off_list.addItem(item)
        self.swap_list.clear()
        for s in self._swaps:
            item = QListWidgetItem(
                self.tr("%1 → %2 · shift %3 · %4").replace("%1", s.from_anchor_name)
                .replace("%2", s.to_anchor_name).replace("%3", when(s.shift_starts_at, zone))
                .replace("%4", s.reason or "—"))
            item.setData(Qt.ItemDataRole.UserRole, s.id)
            self.swap_list.addItem(item)
        self._set_title(self.time_off_tab, self.tr("Time off to decide (%1)"), len(self._time_off))
        self._set_title(self.swap_tab, self.tr("Swaps to decide (%1)"), len(self._swaps))

    def show_attention(self) -> None:
        """The flagged shifts, this week's as the board has them now and later weeks' as last loaded."""
        model = self._page.model
        week = {s.id for s in model.all_shifts()}
        shown = model.week_start
        later = [s for s in self._attention if s.id not in week
                 and not (shown is not None and shown <= s.starts_at < shown + timedelta(days=7))]
        rows = sorted([*model.needing_attention(), *later], key=lambda s: s.starts_at)
        self.attention_list.clear()
        for s in rows:
            item = QListWidgetItem(self.tr("%1 — %2").replace("%1", shift_line(s, self._page.zone))
                                   .replace("%2", render(list(s.problems))))
            item.setData(Qt.ItemDataRole.UserRole, str(s.id))
            item.setData(Qt.ItemDataRole.UserRole + 1, s.starts_at)
            item.setForeground(QBrush(QColor("#dc2626")))
            self.attention_list.addItem(item)
        self._set_title(self.attention_list, self.tr("Needs attention (%1)"), len(rows))

    def _set_title(self, tab: QWidget, words: str, count: int) -> None:
        self._tabs.setTabText(self._tabs.indexOf(tab), words.replace("%1", str(count)))

    @asyncSlot()
    async def _on_attention_activated(self, item: QListWidgetItem) -> None:
        await self._page.show_flagged(UUID(item.data(Qt.ItemDataRole.UserRole)),
                                      item.data(Qt.ItemDataRole.UserRole + 1), trigger=self.attention_list)

    # --- deciding --------------------------------------------------------------------------------
    @asyncSlot()
    async def _decide_time_off(self, approve: bool) -> None:
        item = self.time_off_list.currentItem()
        if item is None:
            return
        request_id = item.data(Qt.ItemDataRole.UserRole)
        request = next((t for t in self._time_off if t.id == request_id), None)
        who = request.anchor_name if request else ""

        def ask(shifts: list[ShiftRow]) -> object:
            # Approving over booked shifts: list them first, and approve only if the manager agrees.
            intro = (self.tr("%1 has %2 booked shifts inside this time off. Approved, they stay on the board, "
                             "flagged, until you move them or give them to someone else.")
                     .replace("%1", who).replace("%2", str(len(shifts))))
            return self._page.stranded_prompt(self.tr("Approve time off?"), intro, self.tr("Approve anyway"), shifts)

        decided = await unless_stranded(self._page.ops, ask, self._page.roster.decide_time_off, request_id,
                                        approve=approve, trigger=(self.approve_time_off, self.reject_time_off))
        if decided is not None and decided is not FAILED:
            await self._page.refresh()

    @asyncSlot()
    async def _decide_swap(self, approve: bool) -> None:
        item = self.swap_list.currentItem()
        if item is None:
            return
        decided = await self._page.ops.run(self._page.roster.decide_swap, item.data(Qt.ItemDataRole.UserRole),
                                           approve=approve, ask_reason=True,
                                           trigger=(self.approve_swap, self.reject_swap))
        if decided is not FAILED:
            await self._page.refresh()
