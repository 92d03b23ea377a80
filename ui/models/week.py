"""The roster week as a table: lanes (rooms or anchors) by the seven days, updated edit by edit.

Each cell holds the shifts of one lane that start on one local day, so a
view can draw a lane's week from seven cells. An edit's ``RosterChange``
touches only the cells it names (and, since warnings depend on an anchor's
whole week, the cells of the shifts whose warnings it changed); switching
week, lanes or filters is the only reset.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from console.domain.enums import ShiftRole, ShiftStatus
from console.domain.values import AnchorRow, RoomRow, RosterChange, ShiftRow
from console.rules.roster import RosterContext, ShiftPlan, blocking, warnings
from ui.i18n import texts
from ui.models.base import ValueTableModel
from ui.text import shift_role_text

Index = QModelIndex | QPersistentModelIndex

if TYPE_CHECKING:
    from console.services.roster import RosterWeek


SHIFTS_ROLE = Qt.ItemDataRole.UserRole + 10   # cell: tuple[ShiftRow, ...] sorted by start
LANE_ROLE = Qt.ItemDataRole.UserRole + 11     # vertical header: Lane
HOURS_ROLE = Qt.ItemDataRole.UserRole + 12    # vertical header (anchor lanes): hours this week
DAY_ROLE = Qt.ItemDataRole.UserRole + 13      # horizontal header: datetime.date


class LaneKind(enum.Enum):
    ROOMS = "rooms"
    ANCHORS = "anchors"


@dataclass(frozen=True, slots=True)
class Lane:
    """One row of the board: a live room or an anchor."""

    kind: LaneKind
    id: UUID
    code: str
    name: str
    # Anchors: their weekly-hours cap; rooms: 0.
    weekly_hours_cap: int = 0


def plan_of(shift: ShiftRow) -> ShiftPlan:
    return ShiftPlan(id=shift.id, anchor_id=shift.anchor_id, room_id=shift.room_id, role=shift.role,
                     starts_at=shift.starts_at, ends_at=shift.ends_at, broadcast_id=shift.broadcast_id)


class WeekModel(QAbstractTableModel):
    """Lanes x 7 days of one roster week, with filters by room, anchor and role."""

    hours_changed = Signal()

    def __init__(self, timezone: str = "Asia/Shanghai", parent: Any = None) -> None:
        super().__init__(parent)
        self._zone = ZoneInfo(timezone)
        self._kind = LaneKind.ROOMS
        self._week: RosterWeek | None = None
        self._context: RosterContext | None = None
        self._start: datetime | None = None
        self._first_day: date | None = None
        self._anchors: tuple[AnchorRow, ...] = ()
        self._former_anchors: tuple[AnchorRow, ...] = ()
        self._rooms: tuple[RoomRow, ...] = ()
        self._shifts: dict[UUID, ShiftRow] = {}
        # Published shifts taken off, the removal not yet published: not drawn, but counted for publishing.
        self._withdrawn: dict[UUID, ShiftRow] = {}
        self._lanes: list[Lane] = []
        self._lane_rows: dict[UUID, int] = {}
        # (lane id in the current kind, day) -> ids of the shifts starting there
        self._cells: dict[tuple[UUID, int], list[UUID]] = {}
        self.room_filter: UUID | None = None
        self.anchor_filter: UUID | None = None
        self.role_filter: ShiftRole | None = None

    # --- what the page sets -----------------------------------------------------
    def set_week(self, week: RosterWeek) -> None:
        self.beginResetModel()
        self._week = week
        self._context = week.context
        self._start = week.start
        self._first_day = week.start.astimezone(self._zone).date()
        self._anchors = week.anchors
        self._former_anchors = week.former_anchors
        self._rooms = week.rooms
        self._shifts = {s.id: s for s in week.shifts if self._day_of(s) is not None}
        self._withdrawn = {s.id: s for s in week.withdrawn if self._day_of(s) is not None}
        self._rebuild()
        self.endResetModel()
        self.hours_changed.emit()

    def set_kind(self, kind: LaneKind) -> None:
        if kind is self._kind:
            return
        self.beginResetModel()
        self._kind = kind
        self._rebuild()
        self.endResetModel()

    def set_filters(self, *, room: UUID | None = None, anchor: UUID | None = None,
                    role: ShiftRole | None = None) -> None:
        self.beginResetModel()
        self.room_filter, self.anchor_filter, self.role_filter = room, anchor, role
        self._rebuild()
        self.endResetModel()

    def apply_change(self, change: RosterChange) -> None:
        """Take in what an edit changed; only the touched cells are announced."""
        if self._context is None:
            return
        touched: set[tuple[UUID, int]] = set()
        anchors: set[UUID] = set()
        hours_before = self.hours_by_anchor()
        for row in change.withdrawn:
            if self._day_of(row) is not None:
                self._withdrawn[row.id] = row
        withdrawn_now = {row.id for row in change.withdrawn}
        for shift_id in change.removed_shift_ids:
            if shift_id not in withdrawn_now:   # a draft removed, or a removal published
                self._withdrawn.pop(shift_id, None)
        for row in change.shifts:
            self._withdrawn.pop(row.id, None)   # brought back (undo)
            old = self._shifts.pop(row.id, None)
            if old is not None:
                touched |= self._unindex(old)
                anchors.add(old.anchor_id)
            self._context = self._context.with_shift(plan_of(row))
            anchors.add(row.anchor_id)
            if self._day_of(row) is not None:
                self._shifts[row.id] = row
                touched |= self._index(row)
        for shift_id in change.removed_shift_ids:
            self._context = self._context.without(shift_id)
            old = self._shifts.pop(shift_id, None)
            if old is not None:
                touched |= self._unindex(old)
                anchors.add(old.anchor_id)
        touched |= self._refresh_warnings(anchors)
        self._announce(touched)
        hours_after = self.hours_by_anchor()
        if hours_after != hours_before:
            if self._kind is LaneKind.ANCHORS:
                for anchor_id in anchors:
                    row = self._lane_rows.get(anchor_id)
                    if row is not None:
                        self.headerDataChanged.emit(Qt.Orientation.Vertical, row, row)
            self.hours_changed.emit()

    # --- what views read ------------------------------------------------------------
    @property
    def kind(self) -> LaneKind:
        return self._kind

    @property
    def zone(self) -> ZoneInfo:
        return self._zone

    @property
    def week_start(self) -> datetime | None:
        return self._start

    @property
    def context(self) -> RosterContext | None:
        """The rules' view of the roster as the board shows it, for checks during a drag."""
        return self._context

    @property
    def anchors(self) -> tuple[AnchorRow, ...]:
        return self._anchors

    @property
    def rooms(self) -> tuple[RoomRow, ...]:
        return self._rooms

    def day(self, column: int) -> date:
        assert self._first_day is not None
        return self._first_day + timedelta(days=column)

    def lane(self, row: int) -> Lane:
        return self._lanes[row]

    def lanes(self) -> list[Lane]:
        return list(self._lanes)

    def lane_row(self, lane_id: UUID) -> int | None:
        return self._lane_rows.get(lane_id)

    def shift(self, shift_id: UUID) -> ShiftRow | None:
        return self._shifts.get(shift_id)

    def shifts(self) -> list[ShiftRow]:
        """Every shift of the week the filters let through, by start."""
        return sorted((s for s in self._shifts.values() if self._passes(s)), key=lambda s: s.starts_at)

    def all_shifts(self) -> list[ShiftRow]:
        return sorted(self._shifts.values(), key=lambda s: s.starts_at)

    def shifts_in(self, row: int, column: int) -> tuple[ShiftRow, ...]:
        lane = self._lanes[row]
        ids = self._cells.get((lane.id, column), ())
        found = [self._shifts[i] for i in ids if self._passes(self._shifts[i])]
        return tuple(sorted(found, key=lambda s: (s.starts_at, s.role.value)))

    def hours_by_anchor(self) -> dict[UUID, float]:
        totals: dict[UUID, float] = {}
        for s in self._shifts.values():
            totals[s.anchor_id] = totals.get(s.anchor_id, 0.0) + s.hours
        return totals

    def unpublished_count(self) -> int:
        """Drafts, published shifts changed since, and removals of published shifts: what publishing sends."""
        return len(self._withdrawn) + sum(1 for s in self._shifts.values()
                                          if s.status is ShiftStatus.DRAFT or s.changed_since_publish)

    def withdrawn(self) -> list[ShiftRow]:
        return sorted(self._withdrawn.values(), key=lambda s: s.starts_at)

    @property
    def former_anchors(self) -> tuple[AnchorRow, ...]:
        """Anchors no longer active who still hold shifts this week (their lanes stay until those move)."""
        return self._former_anchors

    def needing_attention(self) -> list[ShiftRow]:
        """This week's shifts the rules now refuse (flagged): to move or reassign."""
        return [s for s in self.all_shifts() if s.problems]

    # --- Qt ---------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._lanes)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() or self._first_day is None else 7

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._lanes) and 0 <= index.column() < 7):
            return None
        if role == SHIFTS_ROLE:
            return self.shifts_in(index.row(), index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            shifts = self.shifts_in(index.row(), index.column())
            if not shifts:
                return ""
            hours = sum(s.hours for s in shifts)
            return (self.tr("Shifts: %1 · %2 h").replace("%1", str(len(shifts))).replace("%2", _hours(hours)))
        if role == Qt.ItemDataRole.ToolTipRole:
            shifts = self.shifts_in(index.row(), index.column())
            lines = []
            for s in shifts:
                lines.append(self.describe(s))
                lines += ["  " + self.tr("Needs moving or reassigning: %1").replace("%1", p)
                          for p in self.problem_texts(s)]
                lines += [f"  ⚠ {w}" for w in self.warning_texts(s)]
            return "\n".join(lines) or None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if self._first_day is None or not 0 <= section < 7:
                return None
            day = self.day(section)
            if role == Qt.ItemDataRole.DisplayRole:
                return self.day_label(day)
            if role == DAY_ROLE:
                return day
            return None
        if not 0 <= section < len(self._lanes):
            return None
        lane = self._lanes[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return lane.name
        if role == LANE_ROLE:
            return lane
        if role == HOURS_ROLE and lane.kind is LaneKind.ANCHORS:
            return self.hours_by_anchor().get(lane.id, 0.0)
        if role == Qt.ItemDataRole.ToolTipRole:
            if lane.kind is LaneKind.ANCHORS:
                return (self.tr("%1 (%2): %3 h of %4 h this week").replace("%1", lane.name)
                        .replace("%2", lane.code)
                        .replace("%3", _hours(self.hours_by_anchor().get(lane.id, 0.0)))
                        .replace("%4", str(lane.weekly_hours_cap)))
            return f"{lane.name} ({lane.code})"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    # --- words ------------------------------------------------------------------------
    def day_label(self, day: date) -> str:
        """"Mon 11/23" or "周一 11/23", in the UI language."""
        weekday = QLocale().dayName(day.isoweekday(), QLocale.FormatType.ShortFormat)
        return f"{weekday} {day.month}/{day.day}"

    def clock(self, moment: datetime) -> str:
        return f"{moment.astimezone(self._zone):%H:%M}"

    def warning_texts(self, s: ShiftRow) -> list[str]:
        """What the rules warn about this shift, in the active language."""
        return texts(s.warnings)

    def problem_texts(self, s: ShiftRow) -> list[str]:
        """What the rules now refuse about this booked shift (why it is flagged), in the active language."""
        return texts(s.problems)

    def retranslate(self) -> None:
        """The language changed: every cell and heading reads anew (nothing is re-judged)."""
        if self._lanes and self._first_day is not None:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._lanes) - 1, 6),
                                  [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole])
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 6)
            self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, len(self._lanes) - 1)

    def describe(self, s: ShiftRow) -> str:
        """One line a manager reads: "10:00–12:00 王芳 · Host · 1号直播间"."""
        return (f"{self.clock(s.starts_at)}–{self.clock(s.ends_at)} {s.anchor_name} · "
                f"{shift_role_text(s.role)} · {s.room_name}")

    # --- internals -----------------------------------------------------------------------
    def _day_of(self, s: ShiftRow) -> int | None:
        if self._first_day is None:
            return None
        day = (s.starts_at.astimezone(self._zone).date() - self._first_day).days
        return day if 0 <= day < 7 else None

    def _key(self, s: ShiftRow) -> UUID:
        return s.room_id if self._kind is LaneKind.ROOMS else s.anchor_id

    def _passes(self, s: ShiftRow) -> bool:
        return ((self.room_filter is None or s.room_id == self.room_filter)
                and (self.anchor_filter is None or s.anchor_id == self.anchor_filter)
                and (self.role_filter is None or s.role is self.role_filter))

    def _rebuild(self) -> None:
        # A closed room or a former anchor keeps a lane while shifts are still booked on it, so
        # the flagged shifts stay in sight until they are moved or reassigned.
        booked = {s.room_id for s in self._shifts.values()} | {s.anchor_id for s in self._shifts.values()}
        if self._kind is LaneKind.ROOMS:
            lanes = [Lane(LaneKind.ROOMS, r.id, r.code, r.name) for r in self._rooms
                     if (r.active or r.id in booked) and self.room_filter in (None, r.id)]
        else:
            lanes = [Lane(LaneKind.ANCHORS, a.id, a.code, a.name, a.weekly_hours_cap)
                     for a in (*self._anchors, *self._former_anchors)
                     if (a.active or a.id in booked) and self.anchor_filter in (None, a.id)]
        self._lanes = lanes
        self._lane_rows = {lane.id: n for n, lane in enumerate(lanes)}
        self._cells = {}
        for s in self._shifts.values():
            self._index(s)

    def _index(self, s: ShiftRow) -> set[tuple[UUID, int]]:
        day = self._day_of(s)
        if day is None:
            return set()
        key = (self._key(s), day)
        self._cells.setdefault(key, []).append(s.id)
        return {key}

    def _unindex(self, s: ShiftRow) -> set[tuple[UUID, int]]:
        day = self._day_of(s)
        if day is None:
            return set()
        key = (self._key(s), day)
        ids = self._cells.get(key, [])
        if s.id in ids:
            ids.remove(s.id)
        return {key}

    def _refresh_warnings(self, anchors: Iterable[UUID]) -> set[tuple[UUID, int]]:
        """Re-judge the anchors' shifts: a move can raise or clear a neighbour's warning (or flag)."""
        assert self._context is not None
        touched: set[tuple[UUID, int]] = set()
        wanted = set(anchors)
        now = datetime.now(UTC)
        for s in list(self._shifts.values()):
            if s.anchor_id not in wanted:
                continue
            # Kept as the core's messages: they are rendered when shown, in the language of the moment.
            judged = self._context.check(plan_of(s))
            found = tuple(dict.fromkeys(v.message for v in warnings(judged)))
            # As the service flags them: a shift already over is history, not a problem to fix.
            problems = tuple(dict.fromkeys(v.message for v in blocking(judged))) if s.ends_at > now else ()
            if found != s.warnings or problems != s.problems:
                self._shifts[s.id] = replace(s, warnings=found, problems=problems)
                day = self._day_of(s)
                if day is not None:
                    touched.add((self._key(s), day))
        return touched

    def _announce(self, touched: Iterable[tuple[UUID, int]]) -> None:
        for lane_id, day in sorted(touched, key=lambda k: (str(k[0]), k[1])):
            row = self._lane_rows.get(lane_id)
            if row is None:
                continue
            index = self.index(row, day)
            self.dataChanged.emit(index, index, [SHIFTS_ROLE, Qt.ItemDataRole.DisplayRole,
                                                 Qt.ItemDataRole.ToolTipRole])


class MyShiftsModel(ValueTableModel[ShiftRow]):
    """An anchor's own published shifts, as a list."""

    def headers(self) -> list[str]:
        return [self.tr("Day"), self.tr("Time"), self.tr("Room"), self.tr("Role"), self.tr("Note")]

    def cell(self, s: ShiftRow, column: int) -> str:
        if column == 0:
            local = s.starts_at.astimezone(self._tz)
            weekday = QLocale().dayName(local.isoweekday(), QLocale.FormatType.ShortFormat)
            return f"{QLocale().toString(QDate(local.year, local.month, local.day), QLocale.FormatType.ShortFormat)} {weekday}"
        if column == 1:
            return f"{self.local_time(s.starts_at, '%H:%M')}–{self.local_time(s.ends_at, '%H:%M')}"
        if column == 2:
            return s.room_name
        if column == 3:
            return shift_role_text(s.role)
        return self.tr("Changed since you last saw it") if s.changed_since_publish else ""

    def needs_attention(self, s: ShiftRow) -> bool:
        return s.changed_since_publish


def _hours(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"
