"""The queue editor's models: a broadcast's run-of-show with the ready-gate on each item, and search results.

:class:`QueueEditorModel` never changes the queue itself. An edit in place
(:meth:`~QueueEditorModel.setData`) or a drop (:meth:`~QueueEditorModel.dropMimeData`)
asks for it by a signal; the page runs the service call, and the returned
``QueueChange`` comes back through :meth:`~QueueEditorModel.apply_change`,
which emits only what changed: rows removed, moved, inserted, repainted. A
drop shows its new order at once, numbered by the very rule the service
writes link numbers by (:func:`console.rules.link_numbers.link_numbers`),
and goes back to the last confirmed queue if the service refuses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any
from uuid import UUID

from PySide6.QtCore import QByteArray, QMimeData, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from console.domain.values import ItemReadiness, ProductRow, QueueChange, QueueLine
from console.i18n import Message
from console.i18n.formats import format_count, format_money
from console.rules.link_numbers import link_numbers
from console.domain.amounts import CellProblem, duration_text, parse_duration, parse_price_fen, price_text
from ui.i18n import render, texts, ui_language
from ui.models.base import Index, ValueTableModel

# Readable on the light and on the dark theme alike.
BLOCK_COLOUR = QColor("#dc2626")
WARN_COLOUR = QColor("#d97706")
MIME_TYPE = "application/x-anchor-queue-items"


def clock_text(seconds: int, *, with_hours: bool = False) -> str:
    """A running total: ``1:05:00`` from an hour on (or always, ``with_hours``), else ``m:ss``."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours or with_hours else f"{minutes}:{secs:02d}"


def finding(message: Message) -> str:
    """What the gate found, without the "Link 3 (product):" a table row already shows."""
    inner = message.values.get("finding") if message.id == "ready.at_link" else None
    shown = texts([inner if isinstance(inner, Message) else message])[0]
    return shown.rstrip(".。")


class QueueEditorModel(ValueTableModel[QueueLine]):
    """One broadcast's queue in order; the edits it asks for are signals, the changes it shows are the service's."""

    LINK, PRODUCT, LIVE_PRICE, COUNTER_PRICE, DEAL, PLANNED, STOCK, GATE = range(8)
    numeric_columns = frozenset({LINK, LIVE_PRICE, COUNTER_PRICE, PLANNED, STOCK})
    EDITABLE_COLUMNS = frozenset({LINK, LIVE_PRICE, DEAL, PLANNED, STOCK})

    # (item ids in queue order, the index the first lands at): a drop asks the service to move them.
    move_requested = Signal(list, int)
    # (item id, column, value: fen, seconds, stock, link number or deal): an edit in place.
    edit_requested = Signal(object, int, object)
    # A value typed in place that is not a price or a duration: why, for the page to show.
    refused = Signal(object)

    def __init__(self, timezone: str = "Asia/Shanghai", parent: Any = None) -> None:
        super().__init__(timezone, parent)
        self._findings: dict[UUID, ItemReadiness] = {}
        self._confirmed: list[QueueLine] = []      # the queue as the service last said it
        self.editable = False                      # a planned or ready broadcast, and one may plan

    def headers(self) -> list[str]:
        return [self.tr("Link"), self.tr("Product"), self.tr("Live price"), self.tr("Counter price"),
                self.tr("Deal"), self.tr("Planned"), self.tr("Stock at start"), self.tr("Ready gate")]

    # --- what a row shows ------------------------------------------------------------------------
    def findings(self, line: QueueLine) -> tuple[tuple[Message, ...], tuple[Message, ...]]:
        """The gate's blocks and warnings on this item (its on-air problems until the gate has spoken)."""
        found = self._findings.get(line.id)
        if found is None:
            return tuple(line.on_air_problems), ()
        return found.problems, found.warnings

    def cell(self, q: QueueLine, column: int) -> str:
        if column == self.LINK:
            number = str(q.link_number)
            return (self.tr("#%1 (pinned)") if q.link_pinned else self.tr("#%1")).replace("%1", number)
        if column == self.PRODUCT:
            return q.product_name
        if column in (self.LIVE_PRICE, self.COUNTER_PRICE):
            fen = q.live_price_fen if column == self.LIVE_PRICE else q.counter_price_fen
            return "—" if not fen else format_money(fen, ui_language())
        if column == self.DEAL:
            return q.deal
        if column == self.PLANNED:
            return duration_text(q.planned_seconds)
        if column == self.STOCK:
            return format_count(q.stock_allocated, ui_language())
        blocks, warnings = self.findings(q)
        if blocks:
            return self.tr("Blocked: %1").replace("%1", " · ".join(finding(m) for m in blocks))
        if warnings:
            return self.tr("Check: %1").replace("%1", " · ".join(finding(m) for m in warnings))
        return self.tr("OK")

    def needs_attention(self, q: QueueLine) -> bool:
        return bool(self.findings(q)[0])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        q, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_value(q, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(q, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            blocks, warnings = self.findings(q)
            if blocks:
                return QBrush(BLOCK_COLOUR)
            if warnings and column == self.GATE:
                return QBrush(WARN_COLOUR)
            return None
        if role == Qt.ItemDataRole.FontRole and column == self.LINK and q.link_pinned:
            font = QFont()
            font.setBold(True)
            return font
        return super().data(index, role)

    def _edit_value(self, q: QueueLine, column: int) -> Any:
        if column == self.LINK:
            return q.link_number
        if column == self.LIVE_PRICE:
            return price_text(q.live_price_fen)
        if column == self.DEAL:
            return q.deal
        if column == self.PLANNED:
            return duration_text(q.planned_seconds)
        if column == self.STOCK:
            return q.stock_allocated
        return self.cell(q, column)

    def _tooltip(self, q: QueueLine, column: int) -> str | None:
        if column == self.GATE:
            blocks, warnings = self.findings(q)
            return "\n".join(texts([*blocks, *warnings])) or None
        if column == self.LINK:
            return (self.tr("Pinned: stays #%1 when the queue is reordered (Ctrl+P lets it follow the order)")
                    if q.link_pinned else self.tr("Follows the order (Ctrl+P pins it)")).replace(
                "%1", str(q.link_number))
        if column == self.PRODUCT:
            return " · ".join(p for p in (q.product_name, q.brand, q.spec, q.sku, q.barcode) if p)
        if column == self.STOCK and q.store_stock is not None:
            return self.tr("The store holds %1").replace("%1", format_count(q.store_stock, ui_language()))
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            # Between rows: where a dragged item may land.
            return Qt.ItemFlag.ItemIsDropEnabled if self.editable else Qt.ItemFlag.NoItemFlags
        flags = super().flags(index)
        if self.editable:
            flags |= Qt.ItemFlag.ItemIsDragEnabled
            if index.column() in self.EDITABLE_COLUMNS:
                flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    # --- edits in place ----------------------------------------------------------------------------
    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Ask for the edit (the row changes when the service's change arrives); False if it is no value."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not self.editable \
                or index.column() not in self.EDITABLE_COLUMNS or not 0 <= index.row() < len(self._rows):
            return False
        q, column = self._rows[index.row()], index.column()
        try:
            wanted = self._read(column, value)
        except CellProblem as problem:
            self.refused.emit(problem.message)
            return False
        if wanted == self._current(q, column):
            return False
        self.edit_requested.emit(q.id, column, wanted)
        return True

    def _read(self, column: int, value: Any) -> Any:
        if column == self.LIVE_PRICE:
            return parse_price_fen(value)
        if column == self.PLANNED:
            return parse_duration(value)
        if column == self.DEAL:
            return str(value).strip()
        return int(value)

    def _current(self, q: QueueLine, column: int) -> Any:
        return {self.LINK: q.link_number if q.link_pinned else None, self.LIVE_PRICE: q.live_price_fen,
                self.DEAL: q.deal, self.PLANNED: q.planned_seconds, self.STOCK: q.stock_allocated}[column]

    # --- dragging rows -----------------------------------------------------------------------------
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid() and 0 <= i.row() < len(self._rows)})
        data = QMimeData()
        data.setData(MIME_TYPE, QByteArray("\n".join(str(self._rows[r].id) for r in rows).encode()))
        return data

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: Index) -> bool:
        """Show the dropped items at their new place at once, and ask the service to move them there."""
        if action != Qt.DropAction.MoveAction or not self.editable or not data.hasFormat(MIME_TYPE):
            return False
        wanted = bytes(data.data(MIME_TYPE).data()).decode().split()
        present = {str(q.id): q.id for q in self._rows}
        ids = [present[w] for w in wanted if w in present]
        if not ids:
            return False
        if row < 0:
            row = parent.row() if parent.isValid() else len(self._rows)
        # The service counts the place in the queue as it will be: the moved items above it do not count.
        moving = set(ids)
        to_index = row - sum(1 for q in self._rows[:row] if q.id in moving)
        if self.preview_move(ids, to_index):
            self.move_requested.emit(ids, to_index)
        # The rows have moved already: nothing for the view to remove after the drag.
        return False

    def preview_move(self, ids: Sequence[UUID], to_index: int) -> bool:
        """The queue as the move will leave it, numbered by the service's rule; False if nothing moves."""
        moving = set(ids)
        moved = [q for q in self._rows if q.id in moving]
        rest = [q for q in self._rows if q.id not in moving]
        place = min(max(to_index, 0), len(rest))
        order = rest[:place] + moved + rest[place:]
        if [q.id for q in order] == [q.id for q in self._rows]:
            return False
        numbers = link_numbers([q.link_number if q.link_pinned else None for q in order])
        self._sync([replace(q, index=i, link_number=n) for i, (q, n) in enumerate(zip(order, numbers))])
        return True

    def revert(self) -> None:
        """Back to the queue as the service last said it (a previewed move it refused)."""
        self._sync(self._confirmed)

    # --- the service's changes ---------------------------------------------------------------------
    def set_rows(self, rows: Sequence[QueueLine]) -> None:
        self._findings = {}
        self._confirmed = list(rows)
        super().set_rows(rows)

    def show_queue(self, change: QueueChange) -> None:
        """Another broadcast's queue: everything anew."""
        self.beginResetModel()
        self._findings = _by_item(change)
        self._rows = list(change.rows)
        self._confirmed = list(change.rows)
        self.endResetModel()

    def apply_change(self, change: QueueChange) -> None:
        """The queue as an edit (or a reload) left it: only what differs is removed, moved, added, repainted."""
        self._confirmed = list(change.rows)
        self._sync(change.rows, _by_item(change))

    def row_of(self, item_id: UUID) -> int | None:
        return next((n for n, q in enumerate(self._rows) if q.id == item_id), None)

    def lines(self) -> list[QueueLine]:
        return list(self._rows)

    def _sync(self, new: Sequence[QueueLine], findings: dict[UUID, ItemReadiness] | None = None) -> None:
        old_findings = self._findings
        if findings is not None:
            self._findings = findings
        wanted = {q.id for q in new}
        # 1. Rows gone, bottom up in runs.
        for first, last in reversed(_runs([n for n, q in enumerate(self._rows) if q.id not in wanted])):
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._rows[first:last + 1]
            self.endRemoveRows()
        # 2. The rows left, into the new order (the selection follows them).
        place = {q.id: n for n, q in enumerate(new)}
        staying = sorted(self._rows, key=lambda q: place[q.id])
        if [q.id for q in staying] != [q.id for q in self._rows]:
            self._relayout(staying)
        # 3. New rows, top down, each at its final place.
        for n, q in enumerate(new):
            if n >= len(self._rows) or self._rows[n].id != q.id:
                self.beginInsertRows(QModelIndex(), n, n)
                self._rows.insert(n, q)
                self.endInsertRows()
        # 4. Rows whose values or findings changed.
        changed = [n for n, (old, q) in enumerate(zip(self._rows, new))
                   if old != q or old_findings.get(q.id) != self._findings.get(q.id)]
        self._rows = list(new)
        last_column = self.columnCount() - 1
        for first, last in _runs(changed):
            self.dataChanged.emit(self.index(first, 0), self.index(last, last_column))

    def _relayout(self, order: list[QueueLine]) -> None:
        self.layoutAboutToBeChanged.emit()
        new_row = {q.id: n for n, q in enumerate(order)}
        before = self.persistentIndexList()
        after = [self.index(new_row[self._rows[i.row()].id], i.column()) if i.isValid() else QModelIndex()
                 for i in before]
        self._rows = order
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()


def _by_item(change: QueueChange) -> dict[UUID, ItemReadiness]:
    return {} if change.readiness is None else {i.queue_item_id: i for i in change.readiness.items}


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as (first, last) runs of consecutive rows."""
    runs: list[tuple[int, int]] = []
    for n in rows:
        if runs and runs[-1][1] == n - 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


class ProductResultModel(ValueTableModel[ProductRow]):
    """What a search to add finds, with whether each is on the queue already and may go on air."""

    numeric_columns = frozenset({3, 4})
    NOTE_COLUMN = 5

    def __init__(self, timezone: str = "Asia/Shanghai", parent: Any = None) -> None:
        super().__init__(timezone, parent)
        self._queued: dict[UUID, int] = {}     # product id -> its link number on this queue

    def headers(self) -> list[str]:
        return [self.tr("SKU"), self.tr("Product"), self.tr("Brand"), self.tr("Counter price"),
                self.tr("Stock"), self.tr("Note")]

    def set_queued(self, lines: Sequence[QueueLine]) -> None:
        self._queued = {q.product_id: q.link_number for q in lines}
        if self._rows:
            self.dataChanged.emit(self.index(0, self.NOTE_COLUMN),
                                  self.index(len(self._rows) - 1, self.NOTE_COLUMN))

    def cell(self, p: ProductRow, column: int) -> str:
        if column == self.NOTE_COLUMN:
            if p.id in self._queued:
                return self.tr("On the queue as #%1").replace("%1", str(self._queued[p.id]))
            return " · ".join(t.rstrip(".。") for t in texts(p.on_air_problems))
        if column == 3:
            return "—" if p.counter_price_fen is None else format_money(p.counter_price_fen, ui_language())
        if column == 4:
            return "—" if p.stock is None else format_count(p.stock, ui_language())
        return (p.sku, p.name, p.brand)[column]

    def needs_attention(self, p: ProductRow) -> bool:
        return not p.may_go_on_air

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid() and 0 <= index.row() < len(self._rows):
            p = self._rows[index.row()]
            return render(p.on_air_problems) if index.column() == self.NOTE_COLUMN and p.on_air_problems \
                else p.name
        return super().data(index, role)

