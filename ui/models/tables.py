"""The console's table models: one class per kind of row a screen lists."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from console.domain.enums import QualityDocumentKind
from console.domain.values import (
    AnchorRow,
    BroadcastReport,
    BroadcastRow,
    PricePoint,
    ProductRow,
    QualityPaper,
    QueueRow,
    RoomRow,
    ScriptRow,
    SyncReviewItem,
)
from console.i18n import text
from console.i18n.formats import format_count, format_duration, format_money
from ui.i18n import render, texts, ui_language
from ui.models.base import Index, ValueTableModel
from ui.names import field_text, table_text
from ui.text import (
    affiliation_text, broadcast_status_text, platform_text, queue_status_text, script_status_text,
)


if TYPE_CHECKING:
    from console.services.catalog_file import FileProblem, PlannedUpdate

_EXPIRED = QBrush(QColor("#b91c1c"))


def _duration(seconds: int | None) -> str:
    """3:05 for a product slot, 2:00:00 for a show (as the core writes an hour or more)."""
    if seconds is None:
        return "—"
    if seconds >= 3600:
        return format_duration(timedelta(seconds=seconds))
    # A product's few minutes read better without "0:" in front; the queue is full of them.
    minutes, secs = divmod(seconds, 60)
    return f"{minutes}:{secs:02d}"


def _money(fen: int | None) -> str:
    return "—" if fen is None else format_money(fen, ui_language())


def _count(value: int | None) -> str:
    return "—" if value is None else format_count(value, ui_language())


class ProductTableModel(ValueTableModel[ProductRow]):
    """The catalog's rows; the gate column shows the on-air rule's own reasons."""

    numeric_columns = frozenset({5, 6})
    NAME_COLUMN = 1
    GATE_COLUMN = 7

    def headers(self) -> list[str]:
        return [self.tr("SKU"), self.tr("Product"), self.tr("Brand"), self.tr("Category"),
                self.tr("Spec"), self.tr("Counter price"), self.tr("Stock"), self.tr("On-air gate"),
                self.tr("Barcode")]

    def cell(self, p: ProductRow, column: int) -> str:
        if column == self.GATE_COLUMN:
            if p.may_go_on_air:
                return self.tr("OK")
            # A table cell reads as a list of short reasons, not of sentences.
            return " · ".join(_without_full_stop(t) for t in texts(p.on_air_problems))
        return (p.sku, p.name, p.brand, p.category, p.spec, _money(p.counter_price_fen), _count(p.stock),
                None, p.barcode)[column] or ""

    def needs_attention(self, p: ProductRow) -> bool:
        return not p.may_go_on_air

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid() and 0 <= index.row() < self.rowCount():
            p = self.value(index.row())
            if index.column() == self.NAME_COLUMN:
                return p.name          # elided when the list is narrow
            if index.column() == self.GATE_COLUMN and not p.may_go_on_air:
                return render(p.on_air_problems)
            return None
        return super().data(index, role)

    def row_of(self, product_id: UUID) -> int | None:
        """The row showing ``product_id``, if the list holds it."""
        return next((n for n, p in enumerate(self._rows) if p.id == product_id), None)


def _without_full_stop(sentence: str) -> str:
    return sentence.rstrip(".。")


class QualityPaperModel(ValueTableModel[QualityPaper]):
    """A product's quality documents; an expired one in red, one that expires soon in orange."""

    ISSUER_COLUMN = 2
    VALID_UNTIL_COLUMN = 3

    def __init__(self, timezone: str = "Asia/Shanghai", parent: Any = None) -> None:
        super().__init__(timezone, parent)
        self._today = date.today()

    def set_today(self, today: date) -> None:
        """The store's date, against which papers expire; repaints the validity column."""
        self._today = today
        if self.rowCount():
            column = self.VALID_UNTIL_COLUMN
            self.dataChanged.emit(self.index(0, column), self.index(self.rowCount() - 1, column))

    def headers(self) -> list[str]:
        return [self.tr("Kind"), self.tr("Number"), self.tr("Issuer"), self.tr("Valid until")]

    def cell(self, d: QualityPaper, column: int) -> str:
        if column == 0:
            return self.kind_text(d.kind)
        if column == self.VALID_UNTIL_COLUMN:
            if d.valid_until is None:
                return self.tr("No end date")
            day = d.valid_until.isoformat()
            if d.expired(self._today):
                return self.tr("%1 (expired)").replace("%1", day)
            if d.expiring_soon(self._today):
                return self.tr("%1 (expires soon)").replace("%1", day)
            return day
        return (None, d.number, d.issuer or "—")[column] or ""

    def kind_text(self, kind: QualityDocumentKind) -> str:
        words = {
            QualityDocumentKind.INSPECTION_REPORT: self.tr("Inspection report"),
            QualityDocumentKind.CCC_CERTIFICATE: self.tr("3C certificate"),
            QualityDocumentKind.COSMETICS_FILING: self.tr("Cosmetics filing"),
            QualityDocumentKind.FOOD_LICENSE: self.tr("Food production licence"),
            QualityDocumentKind.BRAND_AUTHORISATION: self.tr("Brand authorisation"),
            QualityDocumentKind.CUSTOMS_DECLARATION: self.tr("Customs declaration"),
        }
        return words.get(kind, str(kind))

    def needs_attention(self, d: QualityPaper) -> bool:
        return d.expired(self._today) or d.expiring_soon(self._today)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        if role == Qt.ItemDataRole.ForegroundRole and self.value(index.row()).expired(self._today):
            return _EXPIRED
        if role == Qt.ItemDataRole.ToolTipRole:
            # The panel is narrow: a long issuer is elided, and whole here.
            return self.cell(self.value(index.row()), index.column())
        return super().data(index, role)


class PriceHistoryModel(ValueTableModel[PricePoint]):
    """The store's counter prices of one product, newest first: the evidence behind a "before" price."""

    numeric_columns = frozenset({1})
    EVIDENCE_COLUMN = 2

    def headers(self) -> list[str]:
        return [self.tr("Since"), self.tr("Counter price"), self.tr("Evidence")]

    def set_rows(self, rows: Sequence[PricePoint]) -> None:
        """``rows`` oldest first, as the service gives them."""
        super().set_rows(list(reversed(rows)))

    def cell(self, point: PricePoint, column: int) -> str:
        if column == 0:
            return self.local_time(point.at, "%Y-%m-%d %H:%M")
        return (None, _money(point.counter_price_fen), point.evidence or "—")[column] or ""


class SkuListModel(ValueTableModel[str]):
    """SKUs, one a row: the products an import would add."""

    def headers(self) -> list[str]:
        return [self.tr("SKU")]

    def cell(self, sku: str, column: int) -> str:
        return sku


class PlannedUpdateModel(ValueTableModel["PlannedUpdate"]):
    """The products an import would change, with what of each it changes."""

    def headers(self) -> list[str]:
        return [self.tr("SKU"), self.tr("Changes")]

    def cell(self, update: PlannedUpdate, column: int) -> str:
        if column == 0:
            return update.sku
        # Loaded here, not at start: the file module reaches the database layer.
        from console.services.catalog_file import COLUMN_WORDS

        return "、".join(text(COLUMN_WORDS[f]) if f in COLUMN_WORDS else f for f in update.fields)


class FileProblemModel(ValueTableModel["FileProblem"]):
    """Why an import refuses each row (0: the file as a whole), in the reader's language."""

    numeric_columns = frozenset({0})
    WHY_COLUMN = 2

    def headers(self) -> list[str]:
        return [self.tr("Row"), self.tr("SKU"), self.tr("Why")]

    def cell(self, problem: FileProblem, column: int) -> str:
        if column == 0:
            return str(problem.row) if problem.row else self.tr("File")
        if column == 1:
            return problem.sku or "—"
        return text(problem.message)

    def needs_attention(self, problem: FileProblem) -> bool:
        return True

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid() and index.column() == self.WHY_COLUMN \
                and 0 <= index.row() < self.rowCount():
            return self.cell(self.value(index.row()), self.WHY_COLUMN)
        return super().data(index, role)


class BroadcastTableModel(ValueTableModel[BroadcastRow]):
    numeric_columns = frozenset({5})

    def headers(self) -> list[str]:
        return [self.tr("Starts"), self.tr("Ends"), self.tr("Broadcast"), self.tr("Room"),
                self.tr("Hosts"), self.tr("Products"), self.tr("Status")]

    def cell(self, b: BroadcastRow, column: int) -> str:
        if column == 0:
            return self.local_time(b.planned_start, "%Y-%m-%d %H:%M")
        if column == 1:
            return self.local_time(b.planned_end, "%H:%M")
        if column == 6:
            return broadcast_status_text(b.status)
        return (None, None, b.title, b.room_name, "、".join(b.hosts), _count(b.queue_length))[column] or ""


class QueueTableModel(ValueTableModel[QueueRow]):
    numeric_columns = frozenset({0, 3, 4, 6})

    def headers(self) -> list[str]:
        return [self.tr("Link"), self.tr("Product"), self.tr("Brand"), self.tr("Live price"),
                self.tr("Counter price"), self.tr("Deal"), self.tr("Planned"), self.tr("Status")]

    def cell(self, q: QueueRow, column: int) -> str:
        if column == 7:
            return queue_status_text(q.status) if q.may_go_on_air else self.tr("Blocked: papers missing")
        return (self.tr("#%1").replace("%1", str(q.link_number)), q.product_name, q.brand,
                _money(q.live_price_fen), _money(q.counter_price_fen), q.deal, _duration(q.planned_seconds))[column]

    def needs_attention(self, q: QueueRow) -> bool:
        return not q.may_go_on_air


class AnchorTableModel(ValueTableModel[AnchorRow]):
    numeric_columns = frozenset({6})

    def headers(self) -> list[str]:
        return [self.tr("Code"), self.tr("Name"), self.tr("Affiliation"), self.tr("Trained brands"),
                self.tr("Trained categories"), self.tr("Certified until"), self.tr("Weekly cap (h)"),
                self.tr("Active")]

    def cell(self, a: AnchorRow, column: int) -> str:
        if column == 7:
            return self.tr("Yes") if a.active else self.tr("No")
        if column == 2:
            text = affiliation_text(a.affiliation)
            return f"{text} · {a.employer_brand}" if a.employer_brand else text
        if column == 5:
            return a.certification_expires.isoformat() if a.certification_expires else "—"
        return (a.code, a.name, None, "、".join(a.trained_brands), "、".join(a.trained_categories),
                None, str(a.weekly_hours_cap))[column] or ""

    def needs_attention(self, a: AnchorRow) -> bool:
        return not a.active


class RoomTableModel(ValueTableModel[RoomRow]):
    def headers(self) -> list[str]:
        return [self.tr("Code"), self.tr("Name"), self.tr("Platforms"), self.tr("Opens"), self.tr("Closes"),
                self.tr("Active")]

    def cell(self, r: RoomRow, column: int) -> str:
        if column == 2:
            return "、".join(platform_text(p) for p in r.platforms) or "—"
        if column == 5:
            return self.tr("Yes") if r.active else self.tr("No")
        return (r.code, r.name, None, r.opens_at.strftime("%H:%M"), r.closes_at.strftime("%H:%M"))[column] or ""

    def needs_attention(self, r: RoomRow) -> bool:
        return not r.active


class ScriptTableModel(ValueTableModel[ScriptRow]):
    numeric_columns = frozenset({2})

    def headers(self) -> list[str]:
        return [self.tr("Script"), self.tr("Product"), self.tr("Version"), self.tr("Status"),
                self.tr("On prompter"), self.tr("Updated")]

    def cell(self, s: ScriptRow, column: int) -> str:
        if column == 3:
            return script_status_text(s.latest_status)
        if column == 4:
            return self.tr("Yes") if s.approved else self.tr("No")
        if column == 5:
            return self.local_time(s.updated_at, "%Y-%m-%d %H:%M")
        return (s.title, s.product_name, f"v{s.latest_version}")[column]

    def needs_attention(self, s: ScriptRow) -> bool:
        return not s.approved


class ReportTableModel(ValueTableModel[BroadcastReport]):
    numeric_columns = frozenset({2, 3, 4, 5, 6, 7})

    def headers(self) -> list[str]:
        return [self.tr("Date"), self.tr("Broadcast"), self.tr("Planned"), self.tr("Actual"),
                self.tr("Products shown"), self.tr("Peak viewers"), self.tr("Orders"), self.tr("Sales")]

    def cell(self, r: BroadcastReport, column: int) -> str:
        if column == 0:
            return self.local_time(r.planned_start, "%Y-%m-%d %H:%M")
        if column == 4:
            return f"{r.products_presented}/{r.products_planned}"
        return (None, r.title, _duration(r.planned_seconds), _duration(r.actual_seconds), None,
                _count(r.peak_viewers), _count(r.orders), _money(r.gmv_fen))[column] or ""


class SyncReviewModel(ValueTableModel[SyncReviewItem]):
    """Conflicts and refused changes the Sync screen lists for review."""

    def headers(self) -> list[str]:
        return [self.tr("When"), self.tr("What"), self.tr("Table"), self.tr("Fields"),
                self.tr("This store tried"), self.tr("Head office kept")]

    def cell(self, item: SyncReviewItem, column: int) -> str:
        if column == 0:
            return self.local_time(item.recorded_at) if item.recorded_at else ""
        if column == 1:
            if item.kind == "rejected":
                return self.tr("Refused")
            return self.tr("Conflict (this console)") if item.this_console else self.tr("Conflict (other console)")
        if column == 2:
            return table_text(item.table)
        if column == 3:
            return ", ".join(field_text(name) for name in item.fields)
        if column == 4:
            return item.attempted
        # The reason is head office's words (a core message once it carries one).
        return item.kept if item.kind == "conflict" else text(item.reason)

    def needs_attention(self, item: SyncReviewItem) -> bool:
        return item.kind == "conflict" and item.this_console
