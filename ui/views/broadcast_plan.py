"""Planning a broadcast: title, room, day and times (a show may run past midnight), brand and category."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QSize, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from console.domain.values import BroadcastRow, RoomRow
from ui.layouts import fit_to_screen

DEFAULT_START = time(19, 0)       # the evening slot most stores sell in
DEFAULT_HOURS = 2


@dataclass(frozen=True, slots=True)
class PlanRequest:
    """What the dialog asks the planning service for (times in UTC)."""

    title: str
    room_id: UUID
    starts_at: datetime
    ends_at: datetime
    brand: str = ""
    category: str = ""


class PlanBroadcastDialog(QDialog):
    """A new show, or a show still to come changed (``shown``): the service judges what is asked."""

    def __init__(self, parent: QWidget, rooms: list[RoomRow], timezone: str, today: date,
                 shown: BroadcastRow | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PlanBroadcastDialog")
        self._zone = ZoneInfo(timezone)
        self._rooms = [r for r in rooms if r.active]
        self.setWindowTitle(self.tr("Plan a broadcast") if shown is None else self.tr("Change the broadcast"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.title_edit = QLineEdit(self)
        self.title_edit.setPlaceholderText(self.tr("e.g. Lancôme winter special"))
        self.room_box = QComboBox(self)
        for room in self._rooms:
            self.room_box.addItem(room.name, room.id)
        self.day_edit = QDateEdit(self)
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("yyyy-MM-dd")
        self.day_edit.setMinimumDate(QDate(today.year, today.month, today.day))
        self.start_edit, self.end_edit = QTimeEdit(self), QTimeEdit(self)
        for edit in (self.start_edit, self.end_edit):
            edit.setDisplayFormat("HH:mm")
        self.length_label = QLabel(self)
        self.length_label.setObjectName("PageIntro")
        self.brand_edit, self.category_edit = QLineEdit(self), QLineEdit(self)
        form.addRow(self.tr("Title"), self.title_edit)
        form.addRow(self.tr("Room"), self.room_box)
        form.addRow(self.tr("Day"), self.day_edit)
        form.addRow(self.tr("Starts"), self.start_edit)
        form.addRow(self.tr("Ends"), self.end_edit)
        form.addRow("", self.length_label)
        form.addRow(self.tr("Brand"), self.brand_edit)
        form.addRow(self.tr("Category"), self.category_edit)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Plan") if shown is None else self.tr("Save"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._fill(shown, today)
        for edit in (self.start_edit, self.end_edit):
            edit.timeChanged.connect(lambda _t: self._show_length())
        self.title_edit.textChanged.connect(lambda _t: self._enable())
        self._show_length()
        self._enable()
        fit_to_screen(self, QSize(460, 360))

    def _fill(self, shown: BroadcastRow | None, today: date) -> None:
        if shown is None:
            starts = datetime.combine(today + timedelta(days=1), DEFAULT_START, self._zone)
            ends = starts + timedelta(hours=DEFAULT_HOURS)
        else:
            starts, ends = shown.planned_start.astimezone(self._zone), shown.planned_end.astimezone(self._zone)
            self.title_edit.setText(shown.title)
            self.brand_edit.setText(shown.brand)
            self.category_edit.setText(shown.category)
            index = self.room_box.findText(shown.room_name)
            if index >= 0:
                self.room_box.setCurrentIndex(index)
            # Its brand and category are the show's, not changed here.
            self.brand_edit.setEnabled(False)
            self.category_edit.setEnabled(False)
        self.day_edit.setDate(QDate(starts.year, starts.month, starts.day))
        self.start_edit.setTime(QTime(starts.hour, starts.minute))
        self.end_edit.setTime(QTime(ends.hour, ends.minute))

    def _times(self) -> tuple[datetime, datetime]:
        day = self.day_edit.date().toPython()
        start, end = self.start_edit.time().toPython(), self.end_edit.time().toPython()
        starts = datetime.combine(day, start.replace(second=0, microsecond=0), self._zone)
        ends = datetime.combine(day, end.replace(second=0, microsecond=0), self._zone)
        if ends <= starts:
            ends += timedelta(days=1)       # past midnight
        return starts.astimezone(UTC), ends.astimezone(UTC)

    def _show_length(self) -> None:
        starts, ends = self._times()
        minutes = int((ends - starts).total_seconds() // 60)
        words = self.tr("%1:%2 long").replace("%1", str(minutes // 60)).replace("%2", f"{minutes % 60:02d}")
        if ends.astimezone(self._zone).date() != starts.astimezone(self._zone).date():
            words = self.tr("%1, ending the next day").replace("%1", words)
        self.length_label.setText(words)

    def _enable(self) -> None:
        self.ok_button.setEnabled(bool(self.title_edit.text().strip()) and self.room_box.count() > 0)

    def request(self) -> PlanRequest:
        starts, ends = self._times()
        return PlanRequest(title=self.title_edit.text(), room_id=self.room_box.currentData(), starts_at=starts,
                           ends_at=ends, brand=self.brand_edit.text(), category=self.category_edit.text())
