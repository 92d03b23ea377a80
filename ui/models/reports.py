"""The Reports screen's table: any report's rows, its columns named in the reader's language."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from console.domain.enums import Platform
from console.domain.reports import MONEY_COLUMNS, Report, ReportRow
from ui.models.base import Index, ValueTableModel
from ui.models.tables import _count, _duration, _money
from ui.text import platform_text

_PLATFORMS = frozenset(p.value for p in Platform)
_SECONDS = frozenset({"planned_seconds", "actual_seconds", "over_under_seconds"})
_TEXT = frozenset({"title", "room_code", "room", "platforms", "hosts", "brand", "category", "anchor_code", "anchor",
                   "sku", "product", "store_code", "store", "start"})


class ReportModel(ValueTableModel[ReportRow]):
    def __init__(self, timezone: str = "Asia/Shanghai", parent: Any = None) -> None:
        super().__init__(timezone, parent)
        self.columns: tuple[str, ...] = ()
        self.report: Report | None = None

    def set_report(self, report: Report) -> None:
        self.beginResetModel()
        self.report = report
        self.columns = report.columns
        self._rows = list(report.rows)
        self.endResetModel()

    def headers(self) -> list[str]:
        names = self.column_names()
        return [names.get(c, c) for c in self.columns]

    def column_names(self) -> dict[str, str]:
        return {
            "title": self.tr("Broadcast"),
            "room_code": self.tr("Room code"),
            "room": self.tr("Room"),
            "platforms": self.tr("Platforms"),
            "hosts": self.tr("Hosts"),
            "brand": self.tr("Brand"),
            "category": self.tr("Category"),
            "start": self.tr("Start"),
            "anchor_code": self.tr("Anchor code"),
            "anchor": self.tr("Anchor"),
            "sku": self.tr("SKU"),
            "product": self.tr("Product"),
            "store_code": self.tr("Store code"),
            "store": self.tr("Store"),
            "link_number": self.tr("Link"),
            "broadcasts": self.tr("Broadcasts"),
            "planned_seconds": self.tr("Planned"),
            "actual_seconds": self.tr("Actual"),
            "over_under_seconds": self.tr("Over/under"),
            "products_planned": self.tr("Products planned"),
            "products_explained": self.tr("Products explained"),
            "explained": self.tr("Explained"),
            "peak_viewers": self.tr("Peak viewers"),
            "avg_viewers": self.tr("Average viewers"),
            "orders": self.tr("Orders"),
            "gmv": self.tr("GMV"),
            "gmv_per_hour": self.tr("GMV per hour"),
            "sold_out_times": self.tr("Sold out"),
        }

    def hidden_columns(self) -> list[int]:
        """Ids are for exports and drill-down, not for reading."""
        return [i for i, c in enumerate(self.columns) if c.endswith("_id")]

    def cell(self, row: ReportRow, column: int) -> str:
        name, value = self.columns[column], row.values[column]
        if name == "start":
            return self.local_time(datetime.fromisoformat(value), "%Y-%m-%d %H:%M")
        if name in MONEY_COLUMNS:
            return _money(value)
        if name in _SECONDS:
            if value is None:
                return "—"
            sign = "−" if value < 0 else ("+" if name == "over_under_seconds" and value > 0 else "")
            return sign + _duration(abs(value))
        if name == "platforms":
            return "、".join(platform_text(Platform(p)) for p in value.split(",") if p in _PLATFORMS)
        if name == "explained":
            return self.tr("Yes") if value else self.tr("No")
        if name in _TEXT or name.endswith("_id"):
            return "" if value is None else str(value)
        return _count(value)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and index.isValid():
            name = self.columns[index.column()]
            if name not in _TEXT and not name.endswith("_id"):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return super().data(index, role)

    def id_at(self, index: QModelIndex) -> Any:
        return self._rows[index.row()].id if index.isValid() else None
