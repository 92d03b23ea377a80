"""The Live screen's tables: the queue as it stands on air, and planned against actual after the show."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from console.domain.onair import ItemNow, ItemState
from ui.models.base import Index, ValueTableModel
from ui.models.tables import _count, _duration, _money

_STATE_WORDS = {
    ItemState.WAITING: QT_TRANSLATE_NOOP("LiveQueueModel", "Waiting"),
    ItemState.ON_AIR: QT_TRANSLATE_NOOP("LiveQueueModel", "On air"),
    ItemState.DONE: QT_TRANSLATE_NOOP("LiveQueueModel", "Done"),
    ItemState.SKIPPED: QT_TRANSLATE_NOOP("LiveQueueModel", "Skipped"),
    ItemState.SOLD_OUT: QT_TRANSLATE_NOOP("LiveQueueModel", "Sold out"),
}
_DONE = QBrush(QColor("#6b7280"))
_SOLD_OUT = QBrush(QColor("#dc2626"))


def clock_text(seconds: float) -> str:
    """A clock as the anchor reads it: 4:05, 1:02:09; a negative one (over time) with a minus sign."""
    whole = int(seconds) if seconds >= 0 else -int(-seconds)
    sign = "-" if whole < 0 else ""
    hours, rest = divmod(abs(whole), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{minutes}:{secs:02d}"


def state_text(state: ItemState) -> str:
    return QCoreApplication.translate("LiveQueueModel", _STATE_WORDS[state])


class LiveQueueModel(ValueTableModel[ItemNow]):
    """Each queue item with its state on air: waiting, on air, done, skipped, sold out."""

    numeric_columns = frozenset({0, 2, 3, 4, 5})
    STATE_COLUMN = 6

    def headers(self) -> list[str]:
        return [self.tr("Link"), self.tr("Product"), self.tr("Live price"), self.tr("Stock"),
                self.tr("Planned"), self.tr("Actual"), self.tr("State")]

    def cell(self, item: ItemNow, column: int) -> str:
        if column == self.STATE_COLUMN:
            return state_text(item.state)
        return (f"#{item.link_number}", item.facts.product_name, _money(item.live_price_fen), _count(item.stock),
                _duration(item.facts.planned_seconds),
                clock_text(item.actual_seconds) if item.actual_seconds else "—")[column]

    def update_rows(self, rows: Sequence[ItemNow]) -> bool:
        """The queue as it now stands; True when its shape changed (the rows reset, columns to fit again).

        During a show a key changes two or three items of the same queue: only those rows repaint, so
        a key press costs a few cells, not a reset and a layout of every row.
        """
        old = self._rows
        if [r.queue_item_id for r in old] != [r.queue_item_id for r in rows]:
            self.set_rows(rows)
            return True
        self._rows = list(rows)
        last = self.columnCount() - 1
        for n, (before, after) in enumerate(zip(old, rows, strict=True)):
            if before != after:
                self.dataChanged.emit(self.index(n, 0), self.index(n, last))
        return False

    def row_on_air(self) -> int | None:
        return next((n for n, item in enumerate(self._rows) if item.state is ItemState.ON_AIR), None)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        state = self.value(index.row()).state
        if role == Qt.ItemDataRole.FontRole and state is ItemState.ON_AIR:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole:
            if state is ItemState.SOLD_OUT:
                return _SOLD_OUT
            if state in (ItemState.DONE, ItemState.SKIPPED):
                return _DONE
        return super().data(index, role)


class ShowSummaryModel(ValueTableModel[ItemNow]):
    """After the show: each product's planned and actual time, its state, when it sold out, its notes."""

    numeric_columns = frozenset({0, 2, 3, 4})

    def headers(self) -> list[str]:
        return [self.tr("Link"), self.tr("Product"), self.tr("Planned"), self.tr("Actual"), self.tr("Over"),
                self.tr("State"), self.tr("Sold out at"), self.tr("Notes")]

    def cell(self, item: ItemNow, column: int) -> str:
        planned, actual = item.facts.planned_seconds, item.actual_seconds
        if column == 4:
            return clock_text(actual - planned) if actual else "—"
        if column == 5:
            return state_text(item.state)
        if column == 6:
            return self.local_time(item.sold_out_at, "%H:%M:%S") if item.sold_out_at else "—"
        if column == 7:
            return " / ".join(item.notes)
        return (f"#{item.link_number}", item.facts.product_name, _duration(planned),
                clock_text(actual) if actual else "—")[column]
