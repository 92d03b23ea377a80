"""The roster board: lanes by days and hours, shifts as blocks to drag, stretch and draw.

Painted by hand over a :class:`~ui.models.week.WeekModel` in a scroll area
whose lane names and day headings stay put while the timeline scrolls. A
drag is judged against the model's rules context on every mouse move, so a
refused position shows red with the reason before the mouse is released;
the board itself never saves: it asks the page through signals.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import IntEnum
from uuid import UUID

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QEvent,
    QPoint,
    QPointF,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QIcon,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QLabel, QStyle, QToolTip, QWidget

from console.domain.enums import ShiftRole, ShiftStatus
from console.domain.errors import ValidationError
from console.domain.values import ShiftRow, TimeOffRow
from console.i18n import Message
from console.rules.roster import ShiftPlan, Violation, blocking, warnings
from ui.i18n import texts
from ui.models.week import Lane, LaneKind, WeekModel
from ui.text import shift_role_text

SNAP_MINUTES = 15
LANE_HEADER_WIDTH = 150
DAY_HEADER_HEIGHT = 26
HOUR_HEADER_HEIGHT = 18
HEADER_HEIGHT = DAY_HEADER_HEIGHT + HOUR_HEADER_HEIGHT
BLOCK_HEIGHT = 22
BLOCK_GAP = 2
LANE_PADDING = 5
MIN_LANE_HEIGHT = 40
EDGE_GRIP = 6          # px at a block's right end that resize instead of move
DRAG_THRESHOLD = 4     # px before a press becomes a drag
ZOOMS = (0.0, 0.5, 1.0, 2.0)   # px per minute; 0 fits the week to the width

ROLE_COLOURS = {
    ShiftRole.HOST: QColor("#2563eb"),
    ShiftRole.CO_HOST: QColor("#0d9488"),
    ShiftRole.ROOM_CONTROLLER: QColor("#9333ea"),
}
WARN_COLOUR = QColor("#f59e0b")
BLOCK_COLOUR = QColor("#dc2626")
CHANGED_COLOUR = QColor("#f97316")
NOW_COLOUR = QColor("#ef4444")

# The board's own keys (what keyPressEvent does), for the F1 list: keys as shown, then what they do.
BOARD_KEYS: tuple[tuple[str, str], ...] = (
    ("↑ / ↓", QT_TRANSLATE_NOOP("WeekBoard", "Select the previous / next shift")),
    ("← / →", QT_TRANSLATE_NOOP("WeekBoard", "Move the selected shift 15 minutes earlier / later")),
    ("Shift+← / Shift+→", QT_TRANSLATE_NOOP("WeekBoard", "End the selected shift 15 minutes earlier / later")),
    ("Delete / Backspace", QT_TRANSLATE_NOOP("WeekBoard", "Take the selected shift off the roster")),
    ("Esc", QT_TRANSLATE_NOOP("WeekBoard", "Cancel a drag")),
)


class Verdict(IntEnum):
    """What the rules say of a plan, best first, so that a list of choices sorts by it."""

    FREE = 0
    WARNED = 1
    REFUSED = 2

    @classmethod
    def of(cls, violations: Iterable[Violation]) -> Verdict:
        found = list(violations)
        return cls.REFUSED if blocking(found) else cls.WARNED if warnings(found) else cls.FREE


_VERDICT_ICONS = {
    Verdict.FREE: QStyle.StandardPixmap.SP_DialogApplyButton,
    Verdict.WARNED: QStyle.StandardPixmap.SP_MessageBoxWarning,
    Verdict.REFUSED: QStyle.StandardPixmap.SP_MessageBoxCritical,
}


def verdict_icon(verdict: Verdict, widget: QWidget) -> QIcon:
    """The verdict as the style's own drawn icon, never an emoji: "⛔" is an empty box on a machine
    without a colour-emoji font (most Linux installs, the live rooms' laptops among them)."""
    return widget.style().standardIcon(_VERDICT_ICONS[verdict], None, widget)


@dataclass(frozen=True)
class Proposal:
    """Where a dragged or keyed shift would go, and what the rules say about it."""

    shift: ShiftRow
    anchor_id: UUID
    room_id: UUID
    starts_at: datetime
    ends_at: datetime
    lane_row: int
    violations: tuple[Violation, ...] = ()
    problem: Message | str = ""   # a plan the rules cannot even judge (e.g. ends before it starts)

    @property
    def block_messages(self) -> list[Message | str]:
        """Why this position is refused, as the core's messages (each once)."""
        found = [v.message for v in blocking(self.violations)]
        return list(dict.fromkeys(([self.problem] if self.problem else []) + found))

    @property
    def warning_messages(self) -> list[Message | str]:
        return list(dict.fromkeys(v.message for v in warnings(self.violations)))

    @property
    def blocks(self) -> list[str]:
        """The refusals in the active language."""
        return texts(self.block_messages)

    @property
    def warnings(self) -> list[str]:
        return texts(self.warning_messages)

    @property
    def refused(self) -> bool:
        return bool(self.blocks)

    def moved(self) -> bool:
        s = self.shift
        return (self.starts_at, self.ends_at, self.anchor_id, self.room_id) != (
            s.starts_at, s.ends_at, s.anchor_id, s.room_id)


@dataclass(frozen=True)
class NewShift:
    """A span drawn on an empty lane: the page asks for the rest (who or where, which role)."""

    lane: Lane
    starts_at: datetime
    ends_at: datetime


@dataclass
class _Block:
    shift: ShiftRow
    lane_row: int
    slot: int
    rect: QRectF = field(default_factory=QRectF)   # content coordinates


@dataclass
class _Drag:
    kind: str                  # "move", "resize" or "create"
    press: QPointF             # content coordinates
    lane_row: int
    shift: ShiftRow | None = None
    grab_dx: float = 0.0
    started: bool = False
    proposal: Proposal | None = None
    span: tuple[datetime, datetime] | None = None   # create


class WeekBoard(QAbstractScrollArea):
    """Lanes x (7 days x opening hours); emits what the user asked for, never saves."""

    move_requested = Signal(object)      # Proposal (not refused)
    create_requested = Signal(object)    # NewShift
    remove_requested = Signal(object)    # ShiftRow
    refused = Signal(object)             # list[Message | str]: why a drop or key move was not made
    selection_changed = Signal(object)   # ShiftRow | None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("WeekBoard")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.viewport().setMouseTracking(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setMinimumHeight(80)
        self._model: WeekModel | None = None
        self._editable = True
        self._zoom = 0.0
        self._day_from = 8 * 60      # minutes after local midnight shown per day
        self._day_to = 24 * 60
        self._lane_tops: list[float] = []
        self._lane_heights: list[float] = []
        self._blocks: list[_Block] = []
        self._by_id: dict[UUID, _Block] = {}
        self._selected: UUID | None = None
        self._drag: _Drag | None = None
        self._pending: Proposal | None = None
        self._time_off: tuple[TimeOffRow, ...] = ()
        self._now: datetime | None = None
        # What each block may be shortened to, so that a short label names one person (or room).
        self._short_forms: dict[str, tuple[str, ...]] = {}
        self.texts = BoardTexts()
        self.feedback = QLabel(self.viewport())
        self.feedback.setObjectName("BoardFeedback")
        self.feedback.setWordWrap(True)
        self.feedback.setMaximumWidth(380)
        self.feedback.hide()
        self._relayout_timer = QTimer(self)
        self._relayout_timer.setSingleShot(True)
        self._relayout_timer.setInterval(0)
        self._relayout_timer.timeout.connect(self._relayout)

    # --- set-up -------------------------------------------------------------------
    def setModel(self, model: WeekModel) -> None:
        self._model = model
        for signal in (model.modelReset, model.layoutChanged, model.rowsInserted, model.rowsRemoved):
            signal.connect(self._relayout)
        model.dataChanged.connect(self._on_data_changed)
        model.headerDataChanged.connect(lambda *_: self.viewport().update())
        self._relayout()

    def model(self) -> WeekModel | None:
        return self._model

    def set_editable(self, editable: bool) -> None:
        self._editable = editable

    def set_zoom(self, pixels_per_minute: float) -> None:
        self._zoom = pixels_per_minute
        self._relayout()

    def set_time_off(self, rows: tuple[TimeOffRow, ...]) -> None:
        self._time_off = rows
        self.viewport().update()

    def set_now(self, now: datetime | None) -> None:
        self._now = now
        self.viewport().update()

    def set_hours(self, first_minute: int, last_minute: int) -> None:
        """The part of each day drawn, e.g. 8*60 to 24*60."""
        self._day_from, self._day_to = first_minute, max(last_minute, first_minute + 60)
        self._relayout()

    # --- selection ------------------------------------------------------------------
    @property
    def selected_shift(self) -> ShiftRow | None:
        return self._model.shift(self._selected) if self._model and self._selected else None

    def select_shift(self, shift_id: UUID | None) -> None:
        if shift_id == self._selected:
            return
        self._selected = shift_id
        block = self._by_id.get(shift_id) if shift_id else None
        if block is not None:
            self.ensure_visible(block.rect)
        self.viewport().update()
        self.selection_changed.emit(self.selected_shift)

    def ensure_visible(self, rect: QRectF) -> None:
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        view_w = self.viewport().width() - LANE_HEADER_WIDTH
        view_h = self.viewport().height() - HEADER_HEIGHT
        left = rect.left() - LANE_HEADER_WIDTH
        top = rect.top() - HEADER_HEIGHT
        if left < h.value():
            h.setValue(int(left) - 8)
        elif rect.right() - LANE_HEADER_WIDTH > h.value() + view_w:
            h.setValue(int(rect.right() - LANE_HEADER_WIDTH - view_w) + 8)
        if top < v.value():
            v.setValue(int(top) - 8)
        elif rect.bottom() - HEADER_HEIGHT > v.value() + view_h:
            v.setValue(int(rect.bottom() - HEADER_HEIGHT - view_h) + 8)

    def clear_pending(self) -> None:
        self._pending = None
        self.viewport().update()

    # --- geometry ---------------------------------------------------------------------
    @property
    def day_minutes(self) -> int:
        return self._day_to - self._day_from

    def pixels_per_minute(self) -> float:
        if self._zoom > 0:
            return self._zoom
        width = max(self.viewport().width() - LANE_HEADER_WIDTH - 1, 7 * 60)
        return width / (7 * self.day_minutes)

    def day_width(self) -> float:
        return self.day_minutes * self.pixels_per_minute()

    def x_of(self, moment: datetime) -> float:
        """Content x of a moment, clamped into its day's drawn hours."""
        assert self._model is not None
        local = moment.astimezone(self._model.zone)
        day = (local.date() - self._model.day(0)).days
        minutes = local.hour * 60 + local.minute + local.second / 60
        if day >= 0 and minutes == 0 and self._day_to == 24 * 60:
            day, minutes = day - 1, 24 * 60   # midnight ends the day before
        minutes = min(max(minutes - self._day_from, 0), self.day_minutes)
        return LANE_HEADER_WIDTH + day * self.day_width() + minutes * self.pixels_per_minute()

    def time_at(self, x: float) -> datetime:
        """The moment at content x, snapped to 15 minutes, in UTC."""
        assert self._model is not None
        offset = max(x - LANE_HEADER_WIDTH, 0.0)
        day = min(int(offset // self.day_width()), 6)
        minutes = (offset - day * self.day_width()) / self.pixels_per_minute()
        minutes = round(minutes / SNAP_MINUTES) * SNAP_MINUTES
        minutes = min(max(minutes, 0), self.day_minutes)
        local_day = self._model.day(day)
        start = datetime.combine(local_day, time(), self._model.zone)
        moment = start + timedelta(minutes=self._day_from + minutes)
        # Wall-clock arithmetic in the store's zone, then UTC for the services.
        return datetime.combine(moment.date(), moment.time(), self._model.zone).astimezone(UTC)

    def lane_at(self, y: float) -> int | None:
        for row, (top, height) in enumerate(zip(self._lane_tops, self._lane_heights)):
            if top <= y < top + height:
                return row
        return None

    def to_content(self, pos: QPointF | QPoint) -> QPointF:
        p = QPointF(pos)
        x = p.x() + self.horizontalScrollBar().value() if p.x() >= LANE_HEADER_WIDTH else p.x()
        y = p.y() + self.verticalScrollBar().value() if p.y() >= HEADER_HEIGHT else p.y()
        return QPointF(x, y)

    def to_viewport(self, rect: QRectF) -> QRectF:
        return rect.translated(-self.horizontalScrollBar().value(), -self.verticalScrollBar().value())

    def block_rect(self, shift_id: UUID) -> QRectF | None:
        """Where a shift's block is drawn, in viewport coordinates (for tests and tooltips)."""
        block = self._by_id.get(shift_id)
        return None if block is None else self.to_viewport(block.rect)

    def point_at(self, moment: datetime, lane_row: int) -> QPoint:
        """The viewport point of a moment in the middle of a lane's first block row."""
        x = self.x_of(moment) - self.horizontalScrollBar().value()
        y = self._lane_tops[lane_row] + LANE_PADDING + BLOCK_HEIGHT / 2 - self.verticalScrollBar().value()
        return QPoint(round(x), round(y))

    # --- layout ---------------------------------------------------------------------------
    def _on_data_changed(self, *_args: object) -> None:
        # Several cells change in one edit; lay out once after them.
        self._relayout_timer.start()

    def _relayout(self, *_args: object) -> None:
        self._blocks, self._by_id = [], {}
        self._lane_tops, self._lane_heights = [], []
        model = self._model
        y = float(HEADER_HEIGHT)
        if model is not None and model.columnCount() == 7:
            for row in range(model.rowCount()):
                shifts = [s for day in range(7) for s in model.shifts_in(row, day)]
                slots_end: list[datetime] = []
                placed = []
                for s in sorted(shifts, key=lambda s: (s.starts_at, _role_order(s.role))):
                    for slot, end in enumerate(slots_end):
                        if end <= s.starts_at:
                            slots_end[slot] = s.ends_at
                            break
                    else:
                        slot = len(slots_end)
                        slots_end.append(s.ends_at)
                    placed.append((s, slot))
                height = max(MIN_LANE_HEIGHT, 2 * LANE_PADDING + len(slots_end) * (BLOCK_HEIGHT + BLOCK_GAP))
                self._lane_tops.append(y)
                self._lane_heights.append(height)
                for s, slot in placed:
                    block = _Block(s, row, slot)
                    self._blocks.append(block)
                    self._by_id[s.id] = block
                y += height
        if self._selected is not None and self._selected not in self._by_id:
            self._selected = None
            self.selection_changed.emit(None)
        self._short_forms = short_forms(self._block_names()) if model is not None else {}
        self._place_blocks()
        self._update_scrollbars(y)
        self.viewport().update()

    def _block_names(self) -> set[str]:
        """Every name a block of this week may show: all anchors (or rooms), not only those filtered in."""
        model = self._model
        assert model is not None
        if model.kind is LaneKind.ANCHORS:
            return {r.code or r.name for r in model.rooms} | {s.room_code or s.room_name for s in model.all_shifts()}
        return {a.name for a in model.anchors} | {s.anchor_name for s in model.all_shifts()}

    def block_label(self, s: ShiftRow, width: float, metrics: QFontMetrics) -> str:
        """The words a block of ``width`` px shows: never a short form two anchors (or rooms) share."""
        model = self._model
        assert model is not None
        name = (s.room_code or s.room_name) if model.kind is LaneKind.ANCHORS else s.anchor_name
        return _label_that_fits(metrics, name, model.clock(s.starts_at), model.clock(s.ends_at), width,
                                self._short_forms.get(name, ()))

    def day_heading(self, column: int, metrics: QFontMetrics) -> str:
        """A day's heading that fits its column: "周二 12/1", else "12/1"; today "周二 12/1 · 今天", else "今天 12/1"."""
        model = self._model
        assert model is not None
        day = model.day(column)
        today = self._now.astimezone(model.zone).date() if self._now else None
        label, short = model.day_label(day), f"{day.month}/{day.day}"
        if day == today:
            choices = (f"{label} · {self.texts.today}", self.texts.today_date.replace("%1", short), short)
        else:
            choices = (label, short)
        room = self.day_heading_width()
        for choice in choices:
            if metrics.horizontalAdvance(choice) <= room:
                return choice
        return metrics.elidedText(choices[-1], Qt.TextElideMode.ElideRight, int(room))

    def day_heading_width(self) -> float:
        return self.day_width() - 10

    def day_heading_font(self) -> QFont:
        bold = QFont(self.font())
        bold.setBold(True)
        return bold

    def _place_blocks(self) -> None:
        for block in self._blocks:
            block.rect = self._rect_for(block.shift.starts_at, block.shift.ends_at, block.lane_row, block.slot)

    def _rect_for(self, starts_at: datetime, ends_at: datetime, lane_row: int, slot: int) -> QRectF:
        left = self.x_of(starts_at)
        right = self.x_of(ends_at)
        if right < left:   # ends after the drawn hours of a later day
            right = LANE_HEADER_WIDTH + (math.floor((left - LANE_HEADER_WIDTH) / self.day_width()) + 1) * self.day_width()
        top = self._lane_tops[lane_row] + LANE_PADDING + slot * (BLOCK_HEIGHT + BLOCK_GAP)
        return QRectF(left + 1, top, max(right - left - 2, 4), BLOCK_HEIGHT)

    def _update_scrollbars(self, content_height: float | None = None) -> None:
        if content_height is None:
            content_height = (self._lane_tops[-1] + self._lane_heights[-1]) if self._lane_tops else HEADER_HEIGHT
        content_width = LANE_HEADER_WIDTH + 7 * self.day_width()
        view = self.viewport().size()
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        h.setRange(0, max(0, math.ceil(content_width - view.width())))
        h.setPageStep(max(1, view.width() - LANE_HEADER_WIDTH))
        h.setSingleStep(20)
        v.setRange(0, max(0, math.ceil(content_height - view.height())))
        v.setPageStep(max(1, view.height() - HEADER_HEIGHT))
        v.setSingleStep(20)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_blocks()
        self._update_scrollbars()

    def sizeHint(self) -> QSize:
        return QSize(900, 420)

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().update()

    # --- judging a position -------------------------------------------------------------------
    def propose(self, shift: ShiftRow, starts_at: datetime, ends_at: datetime,
                lane_row: int | None = None) -> Proposal:
        """The rules' verdict on moving ``shift`` there (and into another lane's anchor or room)."""
        assert self._model is not None
        anchor_id, room_id = shift.anchor_id, shift.room_id
        if lane_row is not None:
            lane = self._model.lane(lane_row)
            if lane.kind is LaneKind.ROOMS:
                room_id = lane.id
            else:
                anchor_id = lane.id
        else:
            lane_row = self._by_id[shift.id].lane_row if shift.id in self._by_id else 0
        context = self._model.context
        try:
            plan = ShiftPlan(id=shift.id, anchor_id=anchor_id, room_id=room_id, role=shift.role,
                             starts_at=starts_at, ends_at=ends_at, broadcast_id=shift.broadcast_id)
            found = tuple(context.check(plan)) if context is not None else ()
        except ValidationError as exc:
            return Proposal(shift, anchor_id, room_id, starts_at, ends_at, lane_row, (), exc.message)
        return Proposal(shift, anchor_id, room_id, starts_at, ends_at, lane_row, found)

    # --- mouse ----------------------------------------------------------------------------------
    def _block_at(self, content: QPointF) -> _Block | None:
        for block in reversed(self._blocks):
            if block.rect.contains(content):
                return block
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._model is None:
            return super().mousePressEvent(event)
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        pos = event.position()
        if pos.x() < LANE_HEADER_WIDTH or pos.y() < HEADER_HEIGHT:
            return
        content = self.to_content(pos)
        block = self._block_at(content)
        if block is not None:
            self.select_shift(block.shift.id)
            if not self._editable:
                return
            kind = "resize" if content.x() >= block.rect.right() - EDGE_GRIP else "move"
            self._drag = _Drag(kind, content, block.lane_row, block.shift,
                               grab_dx=content.x() - block.rect.left())
            return
        self.select_shift(None)
        row = self.lane_at(content.y())
        if row is not None and self._editable:
            self._drag = _Drag("create", content, row)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        content = self.to_content(pos)
        drag = self._drag
        if drag is None:
            self._update_cursor(content)
            return
        if not drag.started:
            if (content - drag.press).manhattanLength() < DRAG_THRESHOLD:
                return
            drag.started = True
        if drag.kind == "create":
            a, b = self.time_at(drag.press.x()), self.time_at(content.x())
            drag.span = (min(a, b), max(a, b)) if a != b else None
            self._show_feedback("", None)
        else:
            assert drag.shift is not None
            shift = drag.shift
            if drag.kind == "move":
                starts = self.time_at(content.x() - drag.grab_dx)
                ends = starts + (shift.ends_at - shift.starts_at)
                row = self.lane_at(content.y())
                drag.proposal = self.propose(shift, starts, ends, drag.lane_row if row is None else row)
            else:
                ends = self.time_at(content.x())
                if ends <= shift.starts_at:
                    ends = shift.starts_at + timedelta(minutes=SNAP_MINUTES)
                drag.proposal = self.propose(shift, shift.starts_at, ends, drag.lane_row)
            self._show_feedback_for(drag.proposal, pos)
        self.viewport().update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        drag, self._drag = self._drag, None
        self.feedback.hide()
        if drag is None or not drag.started or self._model is None:
            self.viewport().update()
            return super().mouseReleaseEvent(event)
        if drag.kind == "create":
            if drag.span is not None:
                self.create_requested.emit(NewShift(self._model.lane(drag.lane_row), *drag.span))
        elif drag.proposal is not None:
            self._submit(drag.proposal)
        self.viewport().update()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        event.accept()

    def _submit(self, proposal: Proposal) -> None:
        if not proposal.moved():
            return
        if proposal.refused:
            self.refused.emit(proposal.block_messages)
            return
        self._pending = proposal
        self.move_requested.emit(proposal)

    def _update_cursor(self, content: QPointF) -> None:
        block = self._block_at(content) if content.x() >= LANE_HEADER_WIDTH else None
        if block is None or not self._editable:
            self.viewport().unsetCursor()
        elif content.x() >= block.rect.right() - EDGE_GRIP:
            self.viewport().setCursor(Qt.CursorShape.SizeHorCursor)
        else:
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)

    def _show_feedback_for(self, proposal: Proposal, pos: QPointF) -> None:
        start = proposal.starts_at.astimezone(self._model.zone) if self._model else proposal.starts_at
        end = proposal.ends_at.astimezone(self._model.zone) if self._model else proposal.ends_at
        when = f"{start:%H:%M}–{end:%H:%M}"
        if proposal.refused:
            self._show_feedback(self.texts.refused.replace("%1", when) + "\n" + "\n".join(proposal.blocks), pos,
                                BLOCK_COLOUR)
        elif proposal.warnings:
            self._show_feedback(self.texts.warned.replace("%1", when) + "\n" + "\n".join(proposal.warnings), pos,
                                WARN_COLOUR)
        else:
            self._show_feedback(when, pos, None)

    def _show_feedback(self, text: str, pos: QPointF | None, colour: QColor | None = None) -> None:
        if not text or pos is None:
            self.feedback.hide()
            return
        colour = colour or self.palette().color(QPalette.ColorRole.Highlight)
        self.feedback.setStyleSheet(
            f"QLabel#BoardFeedback {{ background: {colour.name()}; color: white; border-radius: 4px;"
            " padding: 4px 8px; }")
        self.feedback.setText(text)
        self.feedback.adjustSize()
        x = min(int(pos.x()) + 16, self.viewport().width() - self.feedback.width() - 4)
        y = int(pos.y()) + 18
        if y + self.feedback.height() > self.viewport().height():
            y = int(pos.y()) - self.feedback.height() - 12
        self.feedback.move(max(x, 4), max(y, 4))
        self.feedback.show()
        self.feedback.raise_()

    @property
    def feedback_text(self) -> str:
        return self.feedback.text() if self.feedback.isVisible() else ""

    # --- keyboard -------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        model = self._model
        if model is None:
            return super().keyPressEvent(event)
        order = sorted(self._blocks, key=lambda b: (b.shift.starts_at, b.lane_row, b.slot))
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and not mods & Qt.KeyboardModifier.ShiftModifier:
            if order:
                ids = [b.shift.id for b in order]
                at = ids.index(self._selected) if self._selected in ids else -1
                at = max(0, at - 1) if key == Qt.Key.Key_Up else min(len(ids) - 1, at + 1)
                self.select_shift(ids[at])
            return
        shift = self.selected_shift
        if shift is None or not self._editable:
            return super().keyPressEvent(event)
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.remove_requested.emit(shift)
            return
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            step = timedelta(minutes=SNAP_MINUTES if key == Qt.Key.Key_Right else -SNAP_MINUTES)
            if mods & Qt.KeyboardModifier.ShiftModifier:
                proposal = self.propose(shift, shift.starts_at, shift.ends_at + step)
            else:
                proposal = self.propose(shift, shift.starts_at + step, shift.ends_at + step)
            self._submit(proposal)
            return
        if key == Qt.Key.Key_Escape and self._drag is not None:
            self._drag = None
            self.feedback.hide()
            self.viewport().update()
            return
        super().keyPressEvent(event)

    # --- tooltips ----------------------------------------------------------------------------------
    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent) and self._model:
            content = self.to_content(event.position() if hasattr(event, "position") else QPointF(event.pos()))
            block = self._block_at(content)
            if block is not None:
                QToolTip.showText(event.globalPos(), self.tooltip_for(block.shift), self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def tooltip_for(self, s: ShiftRow) -> str:
        assert self._model is not None
        t = self.texts
        lines = [f"<b>{_html(s.anchor_name)}</b> · {_html(shift_role_text(s.role))}",
                 _html(s.room_name),
                 (f"{self._model.day_label(s.starts_at.astimezone(self._model.zone).date())} "
                  f"{self._model.clock(s.starts_at)}–{self._model.clock(s.ends_at)}"),
                 t.draft if s.status is ShiftStatus.DRAFT else t.published]
        if s.changed_since_publish:
            lines.append(f"<span style='color:{CHANGED_COLOUR.name()}'>{_html(t.changed)}</span>")
        for problem in self._model.problem_texts(s):
            lines.append(f"<span style='color:{BLOCK_COLOUR.name()}'><b>{_html(t.attention)}</b> {_html(problem)}</span>")
        for w in self._model.warning_texts(s):
            lines.append(f"<span style='color:{WARN_COLOUR.name()}'>⚠ {_html(w)}</span>")
        if s.override_reason:
            lines.append(_html(t.override.replace("%1", s.override_reason)))
        return "<br>".join(lines)

    # --- painting -------------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        try:
            self._paint(painter)
        finally:
            painter.end()

    def _colours(self) -> dict[str, QColor]:
        pal = self.palette()
        base = pal.color(QPalette.ColorRole.Base)
        dark = base.lightness() < 128
        text = pal.color(QPalette.ColorRole.Text)
        return {
            "base": base,
            "alt": QColor("#171d25") if dark else QColor("#fafbfc"),
            "header": QColor("#1c222b") if dark else QColor("#f3f4f6"),
            "weekend": QColor(255, 255, 255, 8) if dark else QColor(15, 23, 42, 9),
            "today": QColor(59, 130, 246, 26) if dark else QColor(59, 130, 246, 18),
            "grid": QColor("#262d38") if dark else QColor("#eceef2"),
            "day_line": QColor("#3b4452") if dark else QColor("#cfd4dc"),
            "text": text,
            "muted": QColor("#9ca3af") if dark else QColor("#6b7280"),
            "time_off": QColor(148, 163, 184, 60) if dark else QColor(100, 116, 139, 40),
            "selected": QColor("#ffffff") if dark else QColor("#111827"),
            "dark": QColor(1 if dark else 0, 0, 0),
        }

    def _paint(self, p: QPainter) -> None:
        c = self._colours()
        dark = c["base"].lightness() < 128
        vw, vh = self.viewport().width(), self.viewport().height()
        p.fillRect(0, 0, vw, vh, c["base"])
        model = self._model
        if model is None or model.columnCount() != 7:
            return
        hx, vy = self.horizontalScrollBar().value(), self.verticalScrollBar().value()
        ppm, day_w = self.pixels_per_minute(), self.day_width()
        today = self._now.astimezone(model.zone).date() if self._now else None

        # Timeline area: lanes, day columns, grid, time off, blocks.
        p.save()
        p.setClipRect(QRectF(LANE_HEADER_WIDTH, HEADER_HEIGHT, vw - LANE_HEADER_WIDTH, vh - HEADER_HEIGHT))
        p.translate(-hx, -vy)
        for row, (top, height) in enumerate(zip(self._lane_tops, self._lane_heights)):
            if row % 2:
                p.fillRect(QRectF(LANE_HEADER_WIDTH, top, 7 * day_w, height), c["alt"])
        bottom = (self._lane_tops[-1] + self._lane_heights[-1]) if self._lane_tops else HEADER_HEIGHT
        hour_step = _hour_step(ppm)
        for d in range(7):
            x0 = LANE_HEADER_WIDTH + d * day_w
            day = model.day(d)
            if day.weekday() >= 5:
                p.fillRect(QRectF(x0, HEADER_HEIGHT, day_w, bottom), c["weekend"])
            if day == today:
                p.fillRect(QRectF(x0, HEADER_HEIGHT, day_w, bottom), c["today"])
            p.setPen(QPen(c["grid"], 1))
            for h in range(self._day_from // 60 + 1, self._day_to // 60):
                if h % hour_step == 0:
                    x = x0 + (h * 60 - self._day_from) * ppm
                    p.drawLine(QPointF(x, HEADER_HEIGHT), QPointF(x, bottom))
            p.setPen(QPen(c["day_line"], 1))
            p.drawLine(QPointF(x0, HEADER_HEIGHT), QPointF(x0, bottom))
        p.setPen(QPen(c["grid"], 1))
        for top, height in zip(self._lane_tops, self._lane_heights):
            p.drawLine(QPointF(LANE_HEADER_WIDTH, top + height), QPointF(LANE_HEADER_WIDTH + 7 * day_w, top + height))
        self._paint_time_off(p, c)
        if self._now is not None:
            local = self._now.astimezone(model.zone)
            if 0 <= (local.date() - model.day(0)).days < 7 and \
                    self._day_from <= local.hour * 60 + local.minute < self._day_to:
                x = self.x_of(self._now)
                p.setPen(QPen(NOW_COLOUR, 1.5))
                p.drawLine(QPointF(x, HEADER_HEIGHT), QPointF(x, bottom))
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF() - 1, 8))
        p.setFont(font)
        moving = self._drag.shift.id if self._drag and self._drag.started and self._drag.shift else None
        pending = self._pending.shift.id if self._pending else None
        for block in self._blocks:
            ghosted = block.shift.id in (moving, pending)
            self._paint_block(p, block.rect, block.shift, c, dark, faded=ghosted,
                              selected=block.shift.id == self._selected)
        proposal = self._drag.proposal if self._drag and self._drag.started else self._pending
        if proposal is not None:
            self._paint_proposal(p, proposal, c, dark)
        if self._drag and self._drag.started and self._drag.kind == "create" and self._drag.span:
            a, b = self._drag.span
            row = self._drag.lane_row
            rect = self._rect_for(a, b, row, 0)
            rect.setTop(self._lane_tops[row] + 2)
            rect.setHeight(self._lane_heights[row] - 4)
            p.setPen(QPen(c["selected"], 1.5, Qt.PenStyle.DashLine))
            p.setBrush(QBrush(QColor(37, 99, 235, 50)))
            p.drawRoundedRect(rect, 4, 4)
            p.setPen(c["text"])
            p.drawText(rect.adjusted(4, 2, -2, 0), Qt.AlignmentFlag.AlignTop,
                       f"{model.clock(a)}–{model.clock(b)}")
        p.restore()

        self._paint_day_header(p, c, hx, today)
        self._paint_lane_header(p, c, vy, vh)
        # Corner
        p.fillRect(QRectF(0, 0, LANE_HEADER_WIDTH, HEADER_HEIGHT), c["header"])
        p.setPen(c["muted"])
        p.drawText(QRectF(12, 0, LANE_HEADER_WIDTH - 16, HEADER_HEIGHT), Qt.AlignmentFlag.AlignVCenter,
                   self.texts.rooms_corner if model.kind is LaneKind.ROOMS else self.texts.anchors_corner)
        p.setPen(QPen(c["day_line"], 1))
        p.drawLine(QPointF(0, HEADER_HEIGHT - 0.5), QPointF(vw, HEADER_HEIGHT - 0.5))
        p.drawLine(QPointF(LANE_HEADER_WIDTH - 0.5, 0), QPointF(LANE_HEADER_WIDTH - 0.5, vh))
        if not self._lane_tops:
            p.setPen(c["muted"])
            p.drawText(QRectF(LANE_HEADER_WIDTH, HEADER_HEIGHT, vw - LANE_HEADER_WIDTH, 80),
                       Qt.AlignmentFlag.AlignCenter, self.texts.empty)

    def _paint_time_off(self, p: QPainter, c: dict[str, QColor]) -> None:
        model = self._model
        if model is None or model.kind is not LaneKind.ANCHORS or not self._time_off:
            return
        brush = QBrush(c["time_off"], Qt.BrushStyle.BDiagPattern)
        for off in self._time_off:
            if off.status.value == "rejected":
                continue
            row = model.lane_row(off.anchor_id)
            if row is None:
                continue
            top, height = self._lane_tops[row], self._lane_heights[row]
            first = model.day(0)
            for d in range(7):
                lo = datetime.combine(first + timedelta(days=d), time(), model.zone)
                hi = lo + timedelta(days=1)
                if off.starts_at < hi and off.ends_at > lo:
                    a = self.x_of(max(off.starts_at, lo.astimezone(UTC)))
                    b = self.x_of(min(off.ends_at, hi.astimezone(UTC)))
                    if b <= a:
                        b = LANE_HEADER_WIDTH + (d + 1) * self.day_width()
                    rect = QRectF(a, top + 1, b - a, height - 2)
                    p.fillRect(rect, QColor(c["time_off"].red(), c["time_off"].green(),
                                            c["time_off"].blue(), 25))
                    p.fillRect(rect, brush)
                    if off.status.value == "requested":
                        p.setPen(QPen(c["muted"], 1, Qt.PenStyle.DashLine))
                        p.drawRect(rect)

    def _paint_block(self, p: QPainter, rect: QRectF, s: ShiftRow, c: dict[str, QColor], dark: bool, *,
                     faded: bool = False, selected: bool = False) -> None:
        colour = ROLE_COLOURS[s.role]
        draft = s.status is ShiftStatus.DRAFT
        path = QPainterPath()
        path.addRoundedRect(rect, 3, 3)
        if draft:
            fill = QColor(colour)
            fill.setAlpha(60 if dark else 45)
            p.fillPath(path, QBrush(fill))
            hatch = QColor(colour)
            hatch.setAlpha(90)
            p.fillPath(path, QBrush(hatch, Qt.BrushStyle.BDiagPattern))
            text_colour = colour.lighter(160) if dark else colour.darker(140)
            pen = QPen(colour, 1.2, Qt.PenStyle.DashLine)
        else:
            p.fillPath(path, QBrush(colour if not dark else colour.darker(115)))
            text_colour = QColor("#ffffff")
            pen = QPen(colour.darker(130), 1)
        if faded:
            p.fillPath(path, QBrush(QColor(c["base"].red(), c["base"].green(), c["base"].blue(), 170)))
        p.setPen(pen)
        p.setBrush(QBrush())
        p.drawPath(path)
        if selected:
            p.setPen(QPen(c["selected"], 2))
            p.drawRoundedRect(rect.adjusted(-1.5, -1.5, 1.5, 1.5), 5, 5)
        # Markers: changed since publish (corner), warnings (badge).
        # Narrow blocks (a week fitted to the screen) keep every pixel for the name.
        inner = rect.adjusted(5, 0, -3, 0) if rect.width() > 40 else rect.adjusted(1, 0, -1, 0)
        if s.changed_since_publish:
            tri = QPainterPath()
            tri.moveTo(rect.right() - 9, rect.top())
            tri.lineTo(rect.right(), rect.top())
            tri.lineTo(rect.right(), rect.top() + 9)
            tri.closeSubpath()
            p.fillPath(tri, QBrush(CHANGED_COLOUR))
        if s.problems:
            # Flagged: the rules now refuse this booked shift (time off, a former anchor, new room
            # hours). A red frame every block shows, however narrow, and a red badge where it fits.
            p.setPen(QPen(BLOCK_COLOUR, 2, Qt.PenStyle.SolidLine))
            p.setBrush(QBrush())
            p.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 3, 3)
        if (s.problems or s.warnings) and rect.width() >= 14:
            badge = QRectF(rect.left() + 3, rect.center().y() - 7, 14, 14)
            p.setPen(QPen(Qt.PenStyle.NoPen))
            p.setBrush(QBrush(BLOCK_COLOUR if s.problems else WARN_COLOUR))
            p.drawEllipse(badge)
            p.setPen(QColor("#ffffff") if s.problems else QColor("#1f2937"))
            bold = QFont(p.font())
            bold.setBold(True)
            p.save()
            p.setFont(bold)
            p.drawText(badge, Qt.AlignmentFlag.AlignCenter, "!")
            p.restore()
            inner.setLeft(badge.right() + 3)
        if inner.width() > 6 and not faded:
            text = self.block_label(s, inner.width(), QFontMetrics(p.font()))
            if text:
                p.setPen(text_colour)
                align = Qt.AlignmentFlag.AlignLeft if rect.width() > 40 else Qt.AlignmentFlag.AlignHCenter
                p.drawText(inner, Qt.AlignmentFlag.AlignVCenter | align, text)

    def _paint_proposal(self, p: QPainter, proposal: Proposal, c: dict[str, QColor], dark: bool) -> None:
        block = self._by_id.get(proposal.shift.id)
        slot = block.slot if block is not None and block.lane_row == proposal.lane_row else 0
        if not 0 <= proposal.lane_row < len(self._lane_tops):
            return
        rect = self._rect_for(proposal.starts_at, proposal.ends_at, proposal.lane_row, slot)
        self._paint_block(p, rect, proposal.shift, c, dark)
        colour = BLOCK_COLOUR if proposal.refused else WARN_COLOUR if proposal.warnings else c["selected"]
        p.setPen(QPen(colour, 2.5 if proposal.refused else 2, Qt.PenStyle.SolidLine))
        p.setBrush(QBrush())
        p.drawRoundedRect(rect.adjusted(-1.5, -1.5, 1.5, 1.5), 5, 5)
        if proposal.refused:
            p.setPen(QPen(BLOCK_COLOUR, 2))
            p.drawLine(rect.topLeft() + QPointF(3, 3), rect.bottomRight() - QPointF(3, 3))

    def _paint_day_header(self, p: QPainter, c: dict[str, QColor], hx: int, today: date | None) -> None:
        model = self._model
        assert model is not None
        vw = self.viewport().width()
        p.save()
        p.setClipRect(QRectF(LANE_HEADER_WIDTH, 0, vw - LANE_HEADER_WIDTH, HEADER_HEIGHT))
        p.fillRect(QRectF(LANE_HEADER_WIDTH, 0, vw, HEADER_HEIGHT), c["header"])
        p.translate(-hx, 0)
        day_w, ppm = self.day_width(), self.pixels_per_minute()
        bold = self.day_heading_font()
        bold_metrics = QFontMetrics(bold)
        small = QFont(self.font())
        small.setPointSizeF(max(small.pointSizeF() - 2, 7))
        step = _hour_step(ppm)
        for d in range(7):
            x0 = LANE_HEADER_WIDTH + d * day_w
            day = model.day(d)
            if day == today:
                p.fillRect(QRectF(x0, 0, day_w, HEADER_HEIGHT), QColor(59, 130, 246, 40))
            p.setFont(bold)
            p.setPen(QColor("#2563eb") if day == today else c["text"])
            p.drawText(QRectF(x0 + 8, 0, self.day_heading_width(), DAY_HEADER_HEIGHT), Qt.AlignmentFlag.AlignVCenter,
                       self.day_heading(d, bold_metrics))
            p.setFont(small)
            p.setPen(c["muted"])
            for h in range(self._day_from // 60, self._day_to // 60):
                if h % step == 0 and h * 60 > self._day_from:
                    x = x0 + (h * 60 - self._day_from) * ppm
                    p.drawText(QRectF(x - 20, DAY_HEADER_HEIGHT, 40, HOUR_HEADER_HEIGHT - 2),
                               Qt.AlignmentFlag.AlignCenter, f"{h:02d}")
            p.setPen(QPen(c["day_line"], 1))
            p.drawLine(QPointF(x0, 0), QPointF(x0, HEADER_HEIGHT))
        p.restore()

    def _paint_lane_header(self, p: QPainter, c: dict[str, QColor], vy: int, vh: int) -> None:
        model = self._model
        assert model is not None
        p.save()
        p.setClipRect(QRectF(0, HEADER_HEIGHT, LANE_HEADER_WIDTH, vh - HEADER_HEIGHT))
        p.fillRect(QRectF(0, HEADER_HEIGHT, LANE_HEADER_WIDTH, vh), c["header"])
        p.translate(0, -vy)
        bold = QFont(self.font())
        bold.setBold(True)
        small = QFont(self.font())
        small.setPointSizeF(max(small.pointSizeF() - 1.5, 7))
        hours = model.hours_by_anchor()
        for row, (top, height) in enumerate(zip(self._lane_tops, self._lane_heights)):
            lane = model.lane(row)
            p.setFont(bold)
            p.setPen(c["text"])
            metrics = QFontMetrics(bold)
            name_rect = QRectF(12, top + 4, LANE_HEADER_WIDTH - 20, 20)
            p.drawText(name_rect, Qt.AlignmentFlag.AlignVCenter,
                       metrics.elidedText(lane.name, Qt.TextElideMode.ElideRight, int(name_rect.width())))
            p.setFont(small)
            if lane.kind is LaneKind.ANCHORS:
                worked = hours.get(lane.id, 0.0)
                cap = max(lane.weekly_hours_cap, 1)
                over = worked > cap
                p.setPen(BLOCK_COLOUR if over else c["muted"])
                p.drawText(QRectF(12, top + 22, 90, 14), Qt.AlignmentFlag.AlignVCenter,
                           self.texts.hours.replace("%1", _fmt_hours(worked)).replace("%2", str(cap)))
                bar = QRectF(100, top + 27, LANE_HEADER_WIDTH - 112, 5)
                p.setPen(QPen(Qt.PenStyle.NoPen))
                p.setBrush(QBrush(c["grid"].darker(115)))
                p.drawRoundedRect(bar, 2, 2)
                p.setBrush(QBrush(BLOCK_COLOUR if over else QColor("#16a34a") if worked else c["grid"]))
                p.drawRoundedRect(QRectF(bar.left(), bar.top(), bar.width() * min(worked / cap, 1.0),
                                         bar.height()), 2, 2)
            else:
                p.setPen(c["muted"])
                p.drawText(QRectF(12, top + 22, LANE_HEADER_WIDTH - 20, 14), Qt.AlignmentFlag.AlignVCenter,
                           lane.code)
            p.setPen(QPen(c["grid"], 1))
            p.drawLine(QPointF(0, top + height), QPointF(LANE_HEADER_WIDTH, top + height))
        p.restore()


class BoardTexts:
    """The board's words, set by the page's retranslate() (the board has no tr() context of its own)."""

    def __init__(self) -> None:
        self.refused = "Not possible at %1:"
        self.warned = "Allowed at %1, with a reason:"
        self.draft = "Draft (not published yet)"
        self.published = "Published"
        self.changed = "Changed since it was published"
        self.override = "Reason given: %1"
        self.rooms_corner = "Live rooms"
        self.anchors_corner = "Anchors"
        self.hours = "%1 / %2 h"
        self.today = "today"
        self.attention = "Needs moving or reassigning:"
        self.today_date = "Today %1"     # %1: "12/1", when the day's column is too narrow for its name too
        self.empty = "Nothing to show with these filters."


def _label_that_fits(metrics: QFontMetrics, name: str, start: str, end: str, width: float,
                     short: tuple[str, ...] = ()) -> str:
    """The longest useful label for a block: name and times, name, then a short form from ``short``."""
    for text in (f"{name} {start}–{end}", f"{name} {start}", name, *short):
        if text and metrics.horizontalAdvance(text) <= width:
            return text
    return ""


def _abbreviations(name: str) -> tuple[str, ...]:
    """Shorter forms of a name, longest first: a given name, then an initial (Chinese names only)."""
    # Chinese given names are what colleagues call each other ("若曦" for 欧阳若曦).
    # Codes ("R05") shorten to their number ("05").
    forms = [name[-2:]] if len(name) >= 3 else []
    if not name.isascii() and len(name) >= 2:
        forms.append(name[:1])
    return tuple(forms)


def short_forms(names: set[str]) -> dict[str, tuple[str, ...]]:
    """For each name, the short forms that name no one else in ``names``.

    Four anchors called 子轩 (贺子轩, 廖子轩, 郭子轩, 卢子轩) and five surnamed 赵:
    their blocks show the full name or nothing, never a "子轩" or "赵" that could be
    any of them; 若曦 stays short for 欧阳若曦 only while she is the week's one 若曦.
    """
    owners: dict[str, set[str]] = {}
    for name in names:
        for form in (name, *_abbreviations(name)):
            owners.setdefault(form, set()).add(name)
    return {name: tuple(form for form in _abbreviations(name) if owners[form] == {name}) for name in names}


def _role_order(role: ShiftRole) -> int:
    return (ShiftRole.HOST, ShiftRole.CO_HOST, ShiftRole.ROOM_CONTROLLER).index(role)


def _hour_step(ppm: float) -> int:
    hour = ppm * 60
    for step in (1, 2, 3, 4, 6):
        if hour * step >= 28:
            return step
    return 8


def _fmt_hours(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
