"""A read-only table model over a list of frozen values.

Subclasses name their headers (through ``self.tr``) and say how a value
shows in each column; the base keeps the rows and answers Qt's questions.
Only the values are kept, never ORM objects, so nothing loads on paint.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from datetime import datetime
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from console.i18n.formats import in_zone

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex

VALUE_ROLE = Qt.ItemDataRole.UserRole + 1
_WARN = QBrush(QColor("#c2410c"))


class ValueTableModel(QAbstractTableModel, Generic[T]):
    numeric_columns: frozenset[int] = frozenset()

    def __init__(self, timezone: str = "Asia/Shanghai", parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[T] = []
        self._tz = ZoneInfo(timezone)

    # --- to override -----------------------------------------------------
    def headers(self) -> list[str]:
        raise NotImplementedError

    def cell(self, value: T, column: int) -> str:
        raise NotImplementedError

    def needs_attention(self, value: T) -> bool:
        """Rows shown in the warning colour (e.g. a product that may not go on air)."""
        return False

    # --- data --------------------------------------------------------------
    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def put(self, value: T, key: Callable[[T], Hashable]) -> int:
        """Replace the row with the same key (repainting only it) or append the value; its row number."""
        wanted = key(value)
        for n, old in enumerate(self._rows):
            if key(old) == wanted:
                self._rows[n] = value
                self.dataChanged.emit(self.index(n, 0), self.index(n, self.columnCount() - 1))
                return n
        n = len(self._rows)
        self.beginInsertRows(QModelIndex(), n, n)
        self._rows.append(value)
        self.endInsertRows()
        return n

    def rows(self) -> list[T]:
        return list(self._rows)

    def value(self, row: int) -> T:
        return self._rows[row]

    def local_time(self, moment: datetime, fmt: str = "%m-%d %H:%M") -> str:
        """A moment on the store's wall clock (a naive one is read as UTC, as the core does)."""
        return in_zone(moment, self._tz).strftime(fmt)

    # --- Qt ------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers())

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            names = self.headers()
            return names[section] if 0 <= section < len(names) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        value = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(value, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.numeric_columns:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and self.needs_attention(value):
            return _WARN
        if role == VALUE_ROLE:
            return value
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
