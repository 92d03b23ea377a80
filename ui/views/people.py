"""Anchors and live rooms: the manager's lists of who may go on air and where, and the rules' limits.

One dialog with three tabs. Each list sits beside a form: selecting a row
edits it, "New …" clears the form for a new one. Every save is one roster
service call on the database worker; the service validates, and its
sentence is what the manager reads when it refuses. Saves run as the
dialog's own operations (:class:`ui.operations.Operations`): the button is
disabled meanwhile, a refusal shows on the dialog's problem line, and the
changes carry the dialog's tag, so the screens behind it reload. ``changed``
tells the opener whether the week on the board needs reloading now.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, time
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QSize, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from console.domain.enums import Affiliation, Platform
from console.domain.values import AnchorRow, RoomRow, ShiftRow
from console.rules.roster import RosterSettings
from console.services.worker import DbWorker
from ui.i18n import Readable, render
from ui.layouts import fit_to_screen
from ui.models.tables import AnchorTableModel, RoomTableModel
from ui.operations import FAILED, Operations, Outcome
from ui.text import affiliation_text, platform_text
from ui.views.page import make_table
from ui.views.roster_dialogs import StrandedShiftsDialog, run_dialog, unless_stranded

if TYPE_CHECKING:
    from console.services.roster import RosterService


R = TypeVar("R")
# The QDateEdit's minimum stands for "no expiry on record" (shown as special text).
NO_DATE = QDate(2000, 1, 1)
# Managers type lists with either comma, or the Chinese enumeration comma.
_LIST_SEPARATORS = re.compile(r"[,，、;；]")


def split_list(text: str) -> list[str]:
    return [part.strip() for part in _LIST_SEPARATORS.split(text) if part.strip()]


def _qtime(value: time) -> QTime:
    return QTime(value.hour, value.minute)


def _time(value: QTime) -> time:
    return time(value.hour(), value.minute())


class PeopleDialog(QDialog):
    """Anchors and live rooms, with the rules' thresholds, for store managers."""

    roster_changed = Signal()

    def __init__(self, roster: RosterService, worker: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.roster = roster
        self.ops = Operations(self, worker, self.show_problem)
        self.changed = False
        self._anchor_id: UUID | None = None   # the anchor the form edits; None for a new one
        self._room_id: UUID | None = None
        self.anchor_model = AnchorTableModel(parent=self)
        self.room_model = RoomTableModel(parent=self)
        self._zone = ZoneInfo(RosterSettings().store_timezone)   # the store's, once loaded
        # (title, intro, go-ahead button, the booked shifts a change would strand) -> go ahead?
        self.stranded_prompt: Callable[[str, str, str, list[ShiftRow]], Any] = self._ask_stranded
        self.open_dialog: QDialog | None = None   # the prompt open now, if any (tests answer it)

        outer = QVBoxLayout(self)
        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("Problem")
        self.problem_label.setStyleSheet("QLabel#Problem { color: #b91c1c; font-weight: 600; }")
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()
        self.tabs = QTabWidget(self)
        outer.addWidget(self.problem_label)
        outer.addWidget(self.tabs, 1)
        self._build_anchors()
        self._build_rooms()
        self._build_rules()
        self.close_buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.close_buttons.rejected.connect(self.reject)
        outer.addWidget(self.close_buttons)
        self.retranslate()
        self.new_anchor()
        self.new_room()
        # Roomy on an office screen, never wider than the screen it opens on (a 1024 px laptop).
        fit_to_screen(self, QSize(1100, 560))

    # --- building -----------------------------------------------------------------------
    def _list_and_form(self) -> tuple[QWidget, QHBoxLayout, QGroupBox, QFormLayout, QPushButton, QPushButton]:
        """A tab with room for a list on the left and a form box on the right."""
        tab = QWidget(self.tabs)
        row = QHBoxLayout(tab)
        box = QGroupBox(tab)
        box.setMinimumWidth(380)
        form = QFormLayout(box)
        new_button, save_button = QPushButton(box), QPushButton(box)
        save_button.setDefault(True)
        row.addWidget(box)
        return tab, row, box, form, new_button, save_button

    def _build_anchors(self) -> None:
        tab, row, self.anchor_box, form, self.new_anchor_button, self.save_anchor_button = self._list_and_form()
        self.anchor_view = make_table(self.anchor_model, tab)
        row.insertWidget(0, self.anchor_view, 1)
        self.anchor_code = QLineEdit(self.anchor_box)
        self.anchor_name = QLineEdit(self.anchor_box)
        self.anchor_affiliation = QComboBox(self.anchor_box)
        self.anchor_employer = QLineEdit(self.anchor_box)
        self.anchor_brands = QLineEdit(self.anchor_box)
        self.anchor_categories = QLineEdit(self.anchor_box)
        # As long as their columns allow: the service refuses more, so the form stops there.
        # (Read from the models when a dialog opens: the GUI starts before the database layer loads.)
        from console.services import limits

        for edit, length in ((self.anchor_code, limits.ANCHOR_CODE), (self.anchor_name, limits.ANCHOR_NAME),
                             (self.anchor_employer, limits.ANCHOR_EMPLOYER_BRAND)):
            edit.setMaxLength(length)
        self.anchor_certified = QDateEdit(self.anchor_box)
        self.anchor_certified.setCalendarPopup(True)
        self.anchor_certified.setDisplayFormat("yyyy-MM-dd")
        self.anchor_certified.setMinimumDate(NO_DATE)
        self.anchor_cap = QSpinBox(self.anchor_box)
        self.anchor_cap.setRange(1, 80)
        self.anchor_active = QCheckBox(self.anchor_box)
        self.clear_certified_button = QPushButton(self.anchor_box)
        self.clear_certified_button.clicked.connect(lambda: self.anchor_certified.setDate(NO_DATE))
        certified = QHBoxLayout()
        certified.addWidget(self.anchor_certified, 1)
        certified.addWidget(self.clear_certified_button)
        self.anchor_labels = [QLabel(self.anchor_box) for _ in range(9)]
        fields = (self.anchor_code, self.anchor_name, self.anchor_affiliation, self.anchor_employer,
                  self.anchor_brands, self.anchor_categories, certified, self.anchor_cap,
                  self.anchor_active)
        for label, field in zip(self.anchor_labels, fields):
            if isinstance(field, QWidget):
                label.setBuddy(field)
            form.addRow(label, field)
        label_for_date = self.anchor_labels[6]
        label_for_date.setBuddy(self.anchor_certified)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_anchor_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_anchor_button)
        form.addRow(buttons)
        self.tabs.addTab(tab, "")
        self.anchor_view.selectionModel().selectionChanged.connect(lambda *_: self._on_anchor_selected())
        self.new_anchor_button.clicked.connect(self.new_anchor)
        self.save_anchor_button.clicked.connect(self._on_save_anchor)

    def _build_rooms(self) -> None:
        tab, row, self.room_box, form, self.new_room_button, self.save_room_button = self._list_and_form()
        self.room_view = make_table(self.room_model, tab)
        row.insertWidget(0, self.room_view, 1)
        self.room_code = QLineEdit(self.room_box)
        self.room_name = QLineEdit(self.room_box)
        from console.services import limits

        self.room_code.setMaxLength(limits.ROOM_CODE)
        self.room_name.setMaxLength(limits.ROOM_NAME)
        platforms = QWidget(self.room_box)
        grid = QGridLayout(platforms)
        grid.setContentsMargins(0, 0, 0, 0)
        self.platform_boxes: dict[Platform, QCheckBox] = {}
        for n, platform in enumerate(Platform):
            box = QCheckBox(platforms)
            self.platform_boxes[platform] = box
            grid.addWidget(box, n // 2, n % 2)
        self.room_opens = QTimeEdit(self.room_box)
        self.room_closes = QTimeEdit(self.room_box)
        for edit in (self.room_opens, self.room_closes):
            edit.setDisplayFormat("HH:mm")
        self.room_active = QCheckBox(self.room_box)
        self.room_labels = [QLabel(self.room_box) for _ in range(6)]
        fields = (self.room_code, self.room_name, platforms, self.room_opens, self.room_closes, self.room_active)
        for label, field in zip(self.room_labels, fields):
            label.setBuddy(field)
            form.addRow(label, field)
        self.room_hours_note = QLabel(self.room_box)
        self.room_hours_note.setWordWrap(True)
        self.room_hours_note.setObjectName("PageIntro")
        form.addRow(self.room_hours_note)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_room_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_room_button)
        form.addRow(buttons)
        self.tabs.addTab(tab, "")
        self.room_view.selectionModel().selectionChanged.connect(lambda *_: self._on_room_selected())
        self.new_room_button.clicked.connect(self.new_room)
        self.save_room_button.clicked.connect(self._on_save_room)

    def _build_rules(self) -> None:
        tab = QWidget(self.tabs)
        column = QVBoxLayout(tab)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.rest_hours = QDoubleSpinBox(tab)
        self.rest_hours.setRange(0, 24)
        self.rest_hours.setDecimals(1)
        self.rest_hours.setSingleStep(0.5)
        self.minutes_per_day = QSpinBox(tab)
        self.minutes_in_a_row = QSpinBox(tab)
        for spin in (self.minutes_per_day, self.minutes_in_a_row):
            spin.setRange(30, 720)
            spin.setSingleStep(15)
        self.voice_rest = QSpinBox(tab)
        self.voice_rest.setRange(0, 240)
        self.voice_rest.setSingleStep(5)
        self.days_in_a_row = QSpinBox(tab)
        self.days_in_a_row.setRange(1, 14)
        fields = (self.rest_hours, self.minutes_per_day, self.minutes_in_a_row, self.voice_rest,
                  self.days_in_a_row)
        for spin in fields:
            spin.setMinimumWidth(140)
        self.rule_labels = [QLabel(tab) for _ in fields]
        for label, field in zip(self.rule_labels, fields):
            label.setBuddy(field)
            form.addRow(label, field)
        self.rules_note = QLabel(tab)
        self.rules_note.setWordWrap(True)
        self.rules_note.setObjectName("PageIntro")
        self.save_rules_button = QPushButton(tab)
        self.rules_saved_label = QLabel(tab)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_rules_button)
        buttons.addWidget(self.rules_saved_label, 1)
        column.addLayout(form)
        column.addWidget(self.rules_note)
        column.addLayout(buttons)
        column.addStretch(1)
        self.tabs.addTab(tab, "")
        self.save_rules_button.clicked.connect(self._on_save_rules)

    # --- words ---------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Anchors and live rooms"))
        self.tabs.setTabText(0, self.tr("Anchors"))
        self.tabs.setTabText(1, self.tr("Live rooms"))
        self.tabs.setTabText(2, self.tr("Rules"))
        for label, text in zip(self.anchor_labels, (
                self.tr("Code"), self.tr("Full name"), self.tr("Affiliation"), self.tr("Employer brand"),
                self.tr("Trained brands"), self.tr("Trained categories"), self.tr("Certified until"),
                self.tr("Weekly cap"), self.tr("Active"))):
            label.setText(text)
        self.anchor_brands.setPlaceholderText(self.tr("Brands, separated by commas"))
        self.anchor_categories.setPlaceholderText(self.tr("Categories, separated by commas"))
        self.anchor_certified.setSpecialValueText(self.tr("No expiry"))
        self.clear_certified_button.setText(self.tr("No expiry on record"))
        self.anchor_cap.setSuffix(self.tr(" h"))
        self.anchor_active.setText(self.tr("May be put on the roster"))
        current = self.anchor_affiliation.currentData()
        self.anchor_affiliation.clear()
        for affiliation in Affiliation:
            self.anchor_affiliation.addItem(affiliation_text(affiliation), affiliation.value)
        self.anchor_affiliation.setCurrentIndex(max(self.anchor_affiliation.findData(current), 0))
        self.new_anchor_button.setText(self.tr("New anchor"))
        self.save_anchor_button.setText(self.tr("Save anchor"))
        for label, text in zip(self.room_labels, (
                self.tr("Code"), self.tr("Name"), self.tr("Platforms"), self.tr("Opens at"),
                self.tr("Closes at"), self.tr("Active"))):
            label.setText(text)
        for platform, box in self.platform_boxes.items():
            box.setText(platform_text(platform))
        self.room_active.setText(self.tr("Open for shifts"))
        self.room_hours_note.setText(self.tr(
            "A closing time before the opening time means the room closes after midnight; "
            "the same time means it never closes."))
        self.new_room_button.setText(self.tr("New live room"))
        self.save_room_button.setText(self.tr("Save live room"))
        for label, text in zip(self.rule_labels, (
                self.tr("Minimum rest between shifts"), self.tr("Most on-air minutes in a day"),
                self.tr("Most on-air minutes in a row"), self.tr("Shortest break that rests a voice"),
                self.tr("Most days in a row"))):
            label.setText(text)
        self.rest_hours.setSuffix(self.tr(" h"))
        for spin in (self.minutes_per_day, self.minutes_in_a_row, self.voice_rest):
            spin.setSuffix(self.tr(" min"))
        self.rules_note.setText(self.tr(
            "Shifts beyond these limits warn and need a reason; they are never refused. The limits are the "
            "store's: they sync through head office, so every console of the store judges by them."))
        self.save_rules_button.setText(self.tr("Save rules"))
        self._show_form_titles()

    def _show_form_titles(self) -> None:
        self.anchor_box.setTitle(self.tr("Edit anchor") if self._anchor_id else self.tr("New anchor"))
        self.room_box.setTitle(self.tr("Edit live room") if self._room_id else self.tr("New live room"))

    # --- loading -----------------------------------------------------------------------------
    async def load(self) -> None:
        """Everything the tabs list, in one trip to the worker."""
        fetched = await self.ops.run(self._fetch)
        if fetched is FAILED:
            return
        anchors, rooms, settings = fetched
        self.anchor_model.set_rows(anchors)
        self.room_model.set_rows(rooms)
        self._show_settings(settings)
        for view in (self.anchor_view, self.room_view):
            view.resizeColumnsToContents()
            # A trained-brands list can run to twenty names: keep every column in sight.
            for column in range(view.model().columnCount()):
                view.setColumnWidth(column, min(view.columnWidth(column), 180))

    def _fetch(self) -> tuple[list[AnchorRow], list[RoomRow], RosterSettings]:
        """On the worker: service calls only."""
        roster = self.roster
        return roster.anchors(include_inactive=True), roster.rooms(), roster.roster_settings()

    def show_problem(self, problem: Readable, wrap: Callable[[str], str] | None = None) -> None:
        shown = render(problem)
        self.problem_label.setText(wrap(shown) if wrap is not None else shown)
        self.problem_label.show()

    def _saved(self) -> None:
        self.problem_label.hide()
        self.changed = True
        self.roster_changed.emit()

    # --- anchors -------------------------------------------------------------------------------
    def new_anchor(self) -> None:
        self.anchor_view.clearSelection()
        self._anchor_id = None
        for edit in (self.anchor_code, self.anchor_name, self.anchor_employer, self.anchor_brands,
                     self.anchor_categories):
            edit.clear()
        self.anchor_affiliation.setCurrentIndex(0)
        self.anchor_certified.setDate(NO_DATE)
        self.anchor_cap.setValue(44)
        self.anchor_active.setChecked(True)
        self._anchor_form_mode()
        self.anchor_code.setFocus()

    def _anchor_form_mode(self) -> None:
        editing = self._anchor_id is not None
        # The service changes neither an anchor's code nor who employs them; those are set once.
        for w in (self.anchor_code, self.anchor_affiliation, self.anchor_employer):
            w.setEnabled(not editing)
        self.anchor_active.setEnabled(editing)
        self._show_form_titles()

    def _on_anchor_selected(self) -> None:
        rows = self.anchor_view.selectionModel().selectedRows()
        if not rows:
            return
        a = self.anchor_model.value(rows[0].row())
        self._anchor_id = a.id
        self.anchor_code.setText(a.code)
        self.anchor_name.setText(a.name)
        self.anchor_affiliation.setCurrentIndex(max(self.anchor_affiliation.findData(a.affiliation.value), 0))
        self.anchor_employer.setText(a.employer_brand)
        self.anchor_brands.setText(", ".join(a.trained_brands))
        self.anchor_categories.setText(", ".join(a.trained_categories))
        expires = a.certification_expires
        self.anchor_certified.setDate(QDate(expires.year, expires.month, expires.day) if expires else NO_DATE)
        self.anchor_cap.setValue(a.weekly_hours_cap)
        self.anchor_active.setChecked(a.active)
        self._anchor_form_mode()

    def _certified_until(self) -> date | None:
        value = self.anchor_certified.date()
        return None if value == NO_DATE else value.toPython()

    @asyncSlot()
    async def _on_save_anchor(self) -> None:
        await self.save_anchor()

    async def save_anchor(self) -> None:
        certified = self._certified_until()
        if self._anchor_id is None:
            row = await self.ops.run(
                self.roster.add_anchor, code=self.anchor_code.text(), name=self.anchor_name.text(),
                affiliation=Affiliation(self.anchor_affiliation.currentData()),
                employer_brand=self.anchor_employer.text().strip(),
                trained_brands=tuple(split_list(self.anchor_brands.text())),
                trained_categories=tuple(split_list(self.anchor_categories.text())),
                certification_expires=certified, weekly_hours_cap=self.anchor_cap.value(),
                trigger=self.save_anchor_button)
        else:
            name = self.anchor_name.text().strip()
            deactivating = not self.anchor_active.isChecked()
            intro = (self.tr("Deactivated, %1 keeps these booked shifts, which nobody then works. They stay on "
                             "the board, flagged, until you give them to someone else.")
                     .replace("%1", name) if deactivating else
                     self.tr("After this change the rules refuse these booked shifts. They stay on the board, "
                             "flagged, until you move them or give them to someone else."))
            row = await self._unless_stranded(
                self.tr("Deactivate %1?").replace("%1", name) if deactivating else self.tr("Save anchor?"), intro,
                self.roster.update_anchor, self._anchor_id, name=self.anchor_name.text(),
                trained_brands=split_list(self.anchor_brands.text()),
                trained_categories=split_list(self.anchor_categories.text()),
                certification_expires=certified, clear_certification=certified is None,
                weekly_hours_cap=self.anchor_cap.value(), active=self.anchor_active.isChecked(),
                trigger=self.save_anchor_button)
        if row is FAILED or row is None:
            return
        self.anchor_view.selectRow(self.anchor_model.put(row, key=lambda a: a.id))
        self._saved()

    async def _unless_stranded(self, title: str, intro: str, fn: Callable[..., R], /, *args: Any,
                               **kwargs: Any) -> R | Outcome | None:
        """Save; if that would strand booked shifts, list them and save only if the manager goes ahead."""
        go = self.tr("Save anyway")
        row = await unless_stranded(self.ops, lambda shifts: self.stranded_prompt(title, intro, go, shifts),
                                    fn, *args, **kwargs)
        if row is None:
            self.show_problem(self.tr("Not saved: the booked shifts stay as they are."))
        return row

    async def _ask_stranded(self, title: str, intro: str, go: str, shifts: list[ShiftRow]) -> bool:
        dialog = StrandedShiftsDialog(self, title=title, intro=intro, go_text=go, shifts=shifts, zone=self._zone)
        self.open_dialog = dialog
        try:
            return await run_dialog(dialog)
        finally:
            self.open_dialog = None

    # --- rooms -----------------------------------------------------------------------------------
    def new_room(self) -> None:
        self.room_view.clearSelection()
        self._room_id = None
        self.room_code.clear()
        self.room_name.clear()
        for box in self.platform_boxes.values():
            box.setChecked(False)
        self.room_opens.setTime(QTime(9, 0))
        self.room_closes.setTime(QTime(23, 0))
        self.room_active.setChecked(True)
        self._room_form_mode()

    def _room_form_mode(self) -> None:
        editing = self._room_id is not None
        self.room_code.setEnabled(not editing)
        self.room_active.setEnabled(editing)
        self._show_form_titles()

    def _on_room_selected(self) -> None:
        rows = self.room_view.selectionModel().selectedRows()
        if not rows:
            return
        r = self.room_model.value(rows[0].row())
        self._room_id = r.id
        self.room_code.setText(r.code)
        self.room_name.setText(r.name)
        for platform, box in self.platform_boxes.items():
            box.setChecked(platform in r.platforms)
        self.room_opens.setTime(_qtime(r.opens_at))
        self.room_closes.setTime(_qtime(r.closes_at))
        self.room_active.setChecked(r.active)
        self._room_form_mode()

    def select_room(self, room_id: UUID) -> None:
        for n, r in enumerate(self.room_model.rows()):
            if r.id == room_id:
                self.room_view.selectRow(n)

    @asyncSlot()
    async def _on_save_room(self) -> None:
        await self.save_room()

    async def save_room(self) -> None:
        platforms = [p for p, box in self.platform_boxes.items() if box.isChecked()]
        opens, closes = _time(self.room_opens.time()), _time(self.room_closes.time())
        if self._room_id is None:
            row = await self.ops.run(self.roster.add_room, code=self.room_code.text(), name=self.room_name.text(),
                                     platforms=platforms, opens_at=opens, closes_at=closes,
                                     trigger=self.save_room_button)
        else:
            intro = self.tr("With these opening hours (or the room closed) the rules refuse these booked "
                            "shifts. They stay on the board, flagged, until you move them to other times or "
                            "another room.")
            row = await self._unless_stranded(
                self.tr("Save live room?"), intro, self.roster.update_room, self._room_id,
                name=self.room_name.text(), platforms=platforms, opens_at=opens, closes_at=closes,
                active=self.room_active.isChecked(), trigger=self.save_room_button)
        if row is FAILED or row is None:
            return
        self.room_view.selectRow(self.room_model.put(row, key=lambda r: r.id))
        self._saved()

    # --- rules -----------------------------------------------------------------------------------
    def _show_settings(self, settings: RosterSettings) -> None:
        self._zone = ZoneInfo(settings.store_timezone)
        self.rest_hours.setValue(settings.min_rest.total_seconds() / 3600)
        self.minutes_per_day.setValue(settings.max_on_air_minutes_per_day)
        self.minutes_in_a_row.setValue(settings.max_on_air_minutes_in_a_row)
        self.voice_rest.setValue(int(settings.min_voice_rest.total_seconds() // 60))
        self.days_in_a_row.setValue(settings.max_days_in_a_row)

    @asyncSlot()
    async def _on_save_rules(self) -> None:
        await self.save_rules()

    async def save_rules(self) -> None:
        self.rules_saved_label.clear()
        settings = await self.ops.run(
            self.roster.set_roster_settings, min_rest_hours=self.rest_hours.value(),
            max_on_air_minutes_per_day=self.minutes_per_day.value(),
            max_on_air_minutes_in_a_row=self.minutes_in_a_row.value(),
            min_voice_rest_minutes=self.voice_rest.value(),
            max_days_in_a_row=self.days_in_a_row.value(), trigger=self.save_rules_button)
        if settings is FAILED:
            return
        self._show_settings(settings)
        self.rules_saved_label.setText(self.tr("Saved. The roster is judged by these limits from now on."))
        self._saved()
