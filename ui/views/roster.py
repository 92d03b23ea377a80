"""Roster: the manager's week board (drag, undo, publish, requests), or an anchor's own shifts.

The page is also the :class:`ui.commands.ShiftEditor` its undo commands work
through: every edit runs a roster-service call on the database worker, asks
the manager for a reason when the rules warn, and applies the returned
``RosterChange`` to the week model, which repaints only what it names.
Prompts are attributes (``reason_prompt``, ``new_shift_prompt`` ...) so a
test can answer them without a dialog.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot
from shiboken6 import isValid

from console.domain.calendar import week_start
from console.domain.enums import RequestStatus, ShiftRole, TimeOffKind
from console.domain.errors import DomainError, OverrideNeeded
from console.domain.permissions import Permission
from console.domain.values import AnchorRow, RosterChange, ShiftRow, SwapRow, TimeOffRow
from console.i18n import Message
from console.i18n.formats import format_datetime, in_zone
from console.rules.roster import ShiftPlan, blocking, warnings
from console.services.worker import DbWorker
from ui.commands import AddShifts, MoveShift, RemoveShift, RosterCommand
from ui.i18n import render, texts, ui_language
from ui.models.week import LaneKind, MyShiftsModel, WeekModel
from ui.text import shift_role_text
from ui.views.page import Page, make_table
from ui.views.people import PeopleDialog
from ui.views.week_board import ROLE_COLOURS, ZOOMS, NewShift, Proposal, WeekBoard

if TYPE_CHECKING:
    from console.services.registry import Services


R = TypeVar("R")
ROLES = (ShiftRole.HOST, ShiftRole.CO_HOST, ShiftRole.ROOM_CONTROLLER)
MY_SHIFTS_WEEKS = 4


class EditCancelled(DomainError):
    """The manager closed the reason prompt: nothing was saved."""


async def _answer(value: Any) -> Any:
    """Prompts may answer at once (tests) or after a dialog (awaitable)."""
    return await value if inspect.isawaitable(value) else value


async def _run_dialog(dialog: QDialog) -> bool:
    """Open a dialog window-modally and wait for it without a nested event loop."""
    done: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    dialog.finished.connect(lambda result: done.done() or done.set_result(result))
    dialog.open()
    try:
        return await done == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()


class RosterPage(Page):
    view_name = "roster"

    def __init__(self, services: Services, worker: DbWorker, timezone: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, worker, parent)
        self._timezone = timezone
        self._zone = ZoneInfo(timezone)
        self.roster = services.roster
        self.manager = services.actor.may(Permission.EDIT_ROSTER)
        self.may_publish = services.actor.may(Permission.PUBLISH_ROSTER)
        self.week_start = week_start(datetime.now(UTC), timezone)
        self.undo_stack = QUndoStack(self)
        self._busy = 0
        self._steps: set[asyncio.Future[None]] = set()
        self._time_off: list[TimeOffRow] = []
        self._swaps: list[SwapRow] = []
        self._templates: list[Any] = []
        self._colleagues: list[AnchorRow] = []
        # Prompts a test may replace; each returns the answer or None, at once or awaitably.
        self.reason_prompt: Callable[[list[str]], Any] = self._ask_reason
        self.new_shift_prompt: Callable[[NewShift], Any] = self._ask_new_shift
        self.time_off_prompt: Callable[[], Any] = self._ask_time_off
        self.swap_prompt: Callable[[ShiftRow, list[AnchorRow]], Any] = self._ask_swap
        self.text_prompt: Callable[[str, str], Any] = self._ask_text

        self.model = WeekModel(timezone, self)
        self.my_model = MyShiftsModel(timezone, self)
        self.pages = QStackedWidget(self)
        self.body.addWidget(self.pages, 1)
        self._build_board()
        self._build_my_shifts()
        self.pages.setCurrentWidget(self.board_page if self.manager else self.mine_page)
        self.model.hours_changed.connect(self._show_hours)
        self.model.dataChanged.connect(self._on_cells_changed)
        self.undo_stack.indexChanged.connect(self._on_undo_index)
        self.retranslate()

    # --- building -----------------------------------------------------------------------
    def _build_board(self) -> None:
        self.board_page = QWidget(self.pages)
        layout = QVBoxLayout(self.board_page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)

        nav = QHBoxLayout()
        self.prev_button = QToolButton(self.board_page)
        self.prev_button.setText("◀")
        self.this_week_button = QPushButton(self.board_page)
        self.next_button = QToolButton(self.board_page)
        self.next_button.setText("▶")
        self.week_label = QLabel(self.board_page)
        self.week_label.setObjectName("WeekLabel")
        self.week_label.setStyleSheet("QLabel#WeekLabel { font-size: 16px; font-weight: 600; padding: 0 10px; }")
        self.undo_button = QToolButton(self.board_page)
        self.undo_button.setText("↶")
        self.redo_button = QToolButton(self.board_page)
        self.redo_button.setText("↷")
        self.copy_button = QPushButton(self.board_page)
        self.template_button = QPushButton(self.board_page)
        self.people_button = QPushButton(self.board_page)
        self.people_dialog: PeopleDialog | None = None   # while it is open (tests drive it)
        self.template_menu = QMenu(self.template_button)
        self.template_button.setMenu(self.template_menu)
        self.publish_button = QPushButton(self.board_page)
        self.publish_button.setObjectName("PublishButton")
        self.publish_button.setStyleSheet(
            "QPushButton#PublishButton { background: #e4572e; color: white; border: none; border-radius: 4px;"
            " padding: 6px 16px; font-weight: 600; }"
            "QPushButton#PublishButton:disabled { background: #9ca3af; }")
        for w in (self.prev_button, self.this_week_button, self.next_button, self.week_label):
            nav.addWidget(w)
        nav.addStretch(1)
        for w in (self.undo_button, self.redo_button, self.copy_button, self.template_button, self.people_button,
                  self.publish_button):
            nav.addWidget(w)
        layout.addLayout(nav)

        tools = QHBoxLayout()
        self.rooms_button = QPushButton(self.board_page)
        self.anchors_button = QPushButton(self.board_page)
        self.lanes_group = QButtonGroup(self.board_page)
        for n, b in enumerate((self.rooms_button, self.anchors_button)):
            b.setCheckable(True)
            self.lanes_group.addButton(b, n)
            tools.addWidget(b)
        self.rooms_button.setChecked(True)
        for b in (self.rooms_button, self.anchors_button):
            b.setStyleSheet("QPushButton:checked { background: #2563eb; color: white; border: 1px solid #1d4ed8;"
                            " border-radius: 4px; }")
        self.room_filter = QComboBox(self.board_page)
        self.anchor_filter = QComboBox(self.board_page)
        self.role_filter = QComboBox(self.board_page)
        self.zoom_combo = QComboBox(self.board_page)
        for combo in (self.room_filter, self.anchor_filter, self.role_filter):
            combo.setMinimumContentsLength(8)
            tools.addSpacing(6)
            tools.addWidget(combo)
        tools.addSpacing(6)
        tools.addWidget(self.zoom_combo)
        tools.addStretch(1)
        self.legend_label = QLabel(self.board_page)
        tools.addWidget(self.legend_label)
        layout.addLayout(tools)

        self.hint_label = QLabel(self.board_page)
        self.hint_label.setObjectName("PageIntro")
        layout.addWidget(self.hint_label)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self.board_page)
        self.board = WeekBoard(self.splitter)
        self.board.setModel(self.model)
        self.board.set_editable(self.manager)
        self.side_tabs = QTabWidget(self.splitter)
        self.side_tabs.setMinimumHeight(40)   # the splitter may squeeze it; the board matters more
        self.hours_list = QListWidget(self.side_tabs)
        self.hours_list.setFlow(QListWidget.Flow.LeftToRight)
        self.hours_list.setWrapping(True)
        self.hours_list.setSpacing(2)
        self.hours_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.time_off_list, time_off_tab, self.approve_time_off, self.reject_time_off = self._request_tab()
        self.swap_list, swap_tab, self.approve_swap, self.reject_swap = self._request_tab()
        self.side_tabs.addTab(self.hours_list, "")
        self.side_tabs.addTab(time_off_tab, "")
        self.side_tabs.addTab(swap_tab, "")
        self.splitter.addWidget(self.board)
        self.splitter.addWidget(self.side_tabs)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([560, 150])
        layout.addWidget(self.splitter, 1)
        self.pages.addWidget(self.board_page)

        self.prev_button.clicked.connect(lambda: self._go_week(-1))
        self.next_button.clicked.connect(lambda: self._go_week(1))
        self.this_week_button.clicked.connect(lambda: self._go_week(0))
        self.undo_button.clicked.connect(self.undo)
        self.redo_button.clicked.connect(self.redo)
        self.copy_button.clicked.connect(self._on_copy_week)
        self.publish_button.clicked.connect(self._on_publish)
        self.lanes_group.idClicked.connect(self._on_lanes)
        for combo in (self.room_filter, self.anchor_filter, self.role_filter):
            combo.activated.connect(lambda _i: self._apply_filters())
        self.zoom_combo.activated.connect(lambda i: self.board.set_zoom(ZOOMS[i]))
        self.board.move_requested.connect(self._on_move_requested)
        self.board.create_requested.connect(self._on_create_requested)
        self.board.remove_requested.connect(self._on_remove_requested)
        self.board.refused.connect(self._on_refused)
        self.board.selection_changed.connect(lambda _s: self._show_hint())
        self.approve_time_off.clicked.connect(lambda: self._decide_time_off(True))
        self.reject_time_off.clicked.connect(lambda: self._decide_time_off(False))
        self.approve_swap.clicked.connect(lambda: self._decide_swap(True))
        self.reject_swap.clicked.connect(lambda: self._decide_swap(False))
        self.people_button.clicked.connect(self._on_people)
        # self.manager is Permission.EDIT_ROSTER, which anchors and rooms need too.
        for w in (self.undo_button, self.redo_button, self.copy_button, self.template_button, self.people_button):
            w.setVisible(self.manager)
        self.publish_button.setVisible(self.may_publish)

    def _request_tab(self) -> tuple[QListWidget, QWidget, QPushButton, QPushButton]:
        tab = QWidget(self.side_tabs)
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

    def _build_my_shifts(self) -> None:
        self.mine_page = QWidget(self.pages)
        layout = QVBoxLayout(self.mine_page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.mine_caption = QLabel(self.mine_page)
        self.mine_caption.setObjectName("WeekLabel")
        self.mine_caption.setStyleSheet("QLabel#WeekLabel { font-size: 16px; font-weight: 600; }")
        self.mine_view = make_table(self.my_model, self.mine_page)
        self.mine_view.horizontalHeader().setStretchLastSection(True)
        buttons = QHBoxLayout()
        self.time_off_button = QPushButton(self.mine_page)
        self.swap_button = QPushButton(self.mine_page)
        self.mine_message = QLabel(self.mine_page)
        self.mine_message.setWordWrap(True)
        buttons.addWidget(self.time_off_button)
        buttons.addWidget(self.swap_button)
        buttons.addWidget(self.mine_message, 1)
        layout.addWidget(self.mine_caption)
        layout.addWidget(self.mine_view, 1)
        layout.addLayout(buttons)
        self.pages.addWidget(self.mine_page)
        self.time_off_button.clicked.connect(self._on_ask_time_off)
        self.swap_button.clicked.connect(self._on_offer_swap)

    # --- words ---------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title_label.setText(self.tr("Roster") if self.manager else self.tr("My shifts"))
        self.intro_label.setText(
            self.tr("Drag on a lane to add a shift, drag a block to move it, drag its right edge to change "
                    "its end. Impossible positions turn red and are refused; warnings need a reason.")
            if self.manager else
            self.tr("Your published shifts for the coming weeks. Ask for time off or offer a shift to a "
                    "colleague; your store manager decides."))
        self.set_coming([
            self.tr("Import and export from this screen (the command line has them today)"),
        ])
        self.this_week_button.setText(self.tr("This week"))
        self.prev_button.setToolTip(self.tr("Previous week"))
        self.next_button.setToolTip(self.tr("Next week"))
        self.copy_button.setText(self.tr("Copy last week"))
        self.template_button.setText(self.tr("Templates"))
        self.people_button.setText(self.tr("Anchors and rooms…"))
        self.rooms_button.setText(self.tr("Live rooms"))
        self.anchors_button.setText(self.tr("Anchors"))
        self._fill_role_filter()
        self._fill_lane_filters()
        current = max(self.zoom_combo.currentIndex(), 0)
        self.zoom_combo.clear()
        self.zoom_combo.addItems([self.tr("Fit the week"), self.tr("1 hour = 30 px"),
                                  self.tr("1 hour = 60 px"), self.tr("1 hour = 120 px")])
        self.zoom_combo.setCurrentIndex(current)
        legend = [(ROLE_COLOURS[r].name(), "■", shift_role_text(r)) for r in ROLES]
        legend += [("#64748b", "▨", self.tr("Draft")), ("#f97316", "◥", self.tr("Changed since published")),
                   ("#f59e0b", "●", self.tr("Warning"))]
        self.legend_label.setText("&nbsp;&nbsp;".join(
            f"<span style='color:{c}; font-size:15px'>{mark}</span>&nbsp;{text}" for c, mark, text in legend))
        texts = self.board.texts
        texts.refused = self.tr("Not possible at %1:")
        texts.warned = self.tr("Allowed at %1, with a reason:")
        texts.draft = self.tr("Draft (not published yet)")
        texts.published = self.tr("Published")
        texts.changed = self.tr("Changed since it was published")
        texts.override = self.tr("Reason given: %1")
        texts.rooms_corner = self.tr("Live rooms")
        texts.anchors_corner = self.tr("Anchors")
        texts.hours = self.tr("%1 / %2 h")
        texts.today = self.tr("today")
        texts.empty = self.tr("Nothing to show with these filters.")
        self.side_tabs.setTabText(0, self.tr("Hours this week"))
        for button in (self.approve_time_off, self.approve_swap):
            button.setText(self.tr("Approve"))
        for button in (self.reject_time_off, self.reject_swap):
            button.setText(self.tr("Reject"))
        self.time_off_button.setText(self.tr("Ask for time off…"))
        self.swap_button.setText(self.tr("Offer this shift for a swap…"))
        # No %n plurals: update.py --check and the catalogue tests read only singular translations.
        self.mine_caption.setText(self.tr("My shifts, the next %1 weeks").replace("%1", str(MY_SHIFTS_WEEKS)))
        self._show_week_label()
        self._show_requests()
        self._show_hours()
        self._update_undo()
        self._update_publish()
        self._show_hint()
        self.model.retranslate()
        self.board.viewport().update()

    def _fill_role_filter(self) -> None:
        current = self.role_filter.currentData()
        self.role_filter.clear()
        self.role_filter.addItem(self.tr("All roles"), None)
        for role in ROLES:
            # A StrEnum would come back from the combo as a plain str: keep the value, rebuild the role.
            self.role_filter.addItem(shift_role_text(role), role.value)
        self.role_filter.setCurrentIndex(max(self.role_filter.findData(current), 0))

    def _fill_lane_filters(self) -> None:
        for combo, everyone, rows in (
            (self.room_filter, self.tr("All live rooms"), self.model.rooms),
            (self.anchor_filter, self.tr("All anchors"), self.model.anchors),
        ):
            current = combo.currentData()
            combo.clear()
            combo.addItem(everyone, None)
            for row in rows:
                # Item data compares by value only for Qt types: keep ids as text.
                combo.addItem(row.name, str(row.id))
            combo.setCurrentIndex(max(combo.findData(current), 0))

    def _show_week_label(self) -> None:
        zone = self._zone
        first = self.week_start.astimezone(zone).date()
        last = first + timedelta(days=6)
        self.week_label.setText(
            self.tr("%1 – %2 · week %3").replace("%1", f"{first.month}/{first.day}")
            .replace("%2", f"{last.month}/{last.day}").replace("%3", str(first.isocalendar()[1])))

    def _show_hint(self) -> None:
        shift = self.board.selected_shift
        if shift is None:
            self.hint_label.setText(self.tr(
                "Select a shift with a click or ↑/↓; ←/→ move it by 15 minutes, Shift+←/→ change its end, "
                "Delete removes it; Ctrl+Z undoes."))
            return
        text = self.model.describe(shift)
        found = self.model.warning_texts(shift)
        if found:
            text += " — ⚠ " + render(found)
        self.hint_label.setText(text)

    def _on_cells_changed(self, *_args: Any) -> None:
        self._update_publish()
        self._show_hint()

    def _show_hours(self) -> None:
        self.hours_list.clear()
        hours = self.model.hours_by_anchor()
        rows = sorted(self.model.anchors, key=lambda a: (-hours.get(a.id, 0.0), a.code))
        for anchor in rows:
            worked = hours.get(anchor.id, 0.0)
            if not worked:
                continue
            item = QListWidgetItem(self.tr("%1  %2 / %3 h").replace("%1", anchor.name)
                                   .replace("%2", _fmt(worked)).replace("%3", str(anchor.weekly_hours_cap)))
            item.setData(Qt.ItemDataRole.UserRole, anchor.id)
            if worked > anchor.weekly_hours_cap:
                item.setForeground(QBrush(QColor("#dc2626")))
            self.hours_list.addItem(item)
        self._update_publish()
        self._show_hint()

    def _show_requests(self) -> None:
        self.time_off_list.clear()
        for t in self._time_off:
            item = QListWidgetItem(
                self.tr("%1 · %2 – %3 · %4").replace("%1", t.anchor_name)
                .replace("%2", self._when(t.starts_at)).replace("%3", self._when(t.ends_at))
                .replace("%4", t.reason or "—"))
            item.setData(Qt.ItemDataRole.UserRole, t.id)
            self.time_off_list.addItem(item)
        self.swap_list.clear()
        for s in self._swaps:
            item = QListWidgetItem(
                self.tr("%1 → %2 · shift %3 · %4").replace("%1", s.from_anchor_name)
                .replace("%2", s.to_anchor_name).replace("%3", self._when(s.shift_starts_at))
                .replace("%4", s.reason or "—"))
            item.setData(Qt.ItemDataRole.UserRole, s.id)
            self.swap_list.addItem(item)
        self.side_tabs.setTabText(1, self.tr("Time off to decide (%1)").replace("%1", str(len(self._time_off))))
        self.side_tabs.setTabText(2, self.tr("Swaps to decide (%1)").replace("%1", str(len(self._swaps))))

    def _when(self, moment: datetime) -> str:
        # As the core's roster messages write a moment, so the list and a refusal beside it agree.
        return format_datetime(in_zone(moment, self._zone), ui_language())

    def _on_undo_index(self, _index: int) -> None:
        # The stack empties itself while the page is destroyed; nothing to show then.
        if isValid(self.undo_stack) and isValid(self.undo_button):
            self._update_undo()

    def _update_undo(self) -> None:
        stack = self.undo_stack
        self.undo_button.setEnabled(stack.canUndo())
        self.redo_button.setEnabled(stack.canRedo())
        self.undo_button.setToolTip(self.tr("Undo %1 (Ctrl+Z)").replace("%1", stack.undoText())
                                    if stack.canUndo() else self.tr("Nothing to undo"))
        self.redo_button.setToolTip(self.tr("Redo %1 (Ctrl+Shift+Z)").replace("%1", stack.redoText())
                                    if stack.canRedo() else self.tr("Nothing to redo"))

    def _update_publish(self) -> None:
        count = self.model.unpublished_count()
        self.publish_button.setText(self.tr("Publish changes (%1)").replace("%1", str(count)) if count
                                    else self.tr("Published"))
        self.publish_button.setEnabled(count > 0)

    # --- loading -----------------------------------------------------------------------------
    async def load(self) -> None:
        # One trip to the worker for everything the screen shows: the screen is whole when it returns.
        if self.manager:
            week, time_off, swaps, templates = await self.call(self._fetch_board, self.week_start)
            self._show_board(week)
            self._time_off = [t for t in time_off if t.status is RequestStatus.REQUESTED]
            self._swaps, self._templates = swaps, templates
            self._fill_templates()
            self._show_requests()
        else:
            await self._load_my_shifts()

    def _fetch_board(self, start: datetime) -> tuple[Any, list[TimeOffRow], list[SwapRow], list[Any]]:
        """On the worker: the week, open requests and templates (service calls only)."""
        now = datetime.now(UTC)
        roster = self.roster
        return (roster.week(start), roster.time_off_between(now - timedelta(days=1), now + timedelta(days=120)),
                roster.swaps(), roster.templates())

    def _show_board(self, week: Any) -> None:
        self.model.set_week(week)
        if week.rooms:
            opens = min(r.opens_at.hour for r in week.rooms)
            closes = max(24 if r.closes_at <= r.opens_at else r.closes_at.hour + (r.closes_at.minute > 0)
                         for r in week.rooms)
            # The rooms' opening hours are all a shift may use: nothing else earns screen width.
            self.board.set_hours(opens * 60, min(closes, 24) * 60)
        self.board.set_time_off(week.time_off)
        self.board.set_now(datetime.now(UTC))
        self._fill_lane_filters()
        self._show_week_label()
        self._show_hours()

    async def _load_my_shifts(self) -> None:
        start = week_start(datetime.now(UTC), self._timezone)
        rows, self._colleagues = await self.call(self._fetch_mine, start)
        self.my_model.set_rows(rows)
        self.mine_view.resizeColumnsToContents()

    def _fetch_mine(self, start: datetime) -> tuple[list[ShiftRow], list[AnchorRow]]:
        return (self.roster.my_shifts(start, start + timedelta(weeks=MY_SHIFTS_WEEKS)), self.roster.anchors())

    def _fill_templates(self) -> None:
        self.template_menu.clear()
        for template in self._templates:
            action = self.template_menu.addAction(
                self.tr("Apply “%1” (%2 shifts)").replace("%1", template.name)
                .replace("%2", str(template.shift_count)))
            action.triggered.connect(lambda _c=False, t=template: self._on_apply_template(t.id, t.name))
        if self._templates:
            self.template_menu.addSeparator()
        save = self.template_menu.addAction(self.tr("Save this week as a template…"))
        save.triggered.connect(self._on_save_template)

    # --- the editor commands use ------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._busy > 0

    async def apply(self, fn: Callable[..., RosterChange], /, *args: Any, **kwargs: Any) -> RosterChange:
        while True:
            try:
                change = await self.call(fn, *args, **kwargs)
            except OverrideNeeded as exc:
                reason = await self._reason(texts(exc.warnings))
                if not reason:
                    raise EditCancelled(self.tr("Not saved: the rules warn, and going ahead needs a reason.")) from None
                kwargs["override_reason"] = reason
                continue
            self.model.apply_change(change)
            return change

    def run_step(self, command: RosterCommand, step: Callable[[], Awaitable[None]], *, undoing: bool) -> None:
        task = asyncio.ensure_future(self._run_step(command, step, undoing))
        self._steps.add(task)
        task.add_done_callback(self._steps.discard)

    async def _run_step(self, command: RosterCommand, step: Callable[[], Awaitable[None]], undoing: bool) -> None:
        self._busy += 1
        try:
            await step()
            self.problem_label.hide()
        except DomainError as exc:
            self.show_problem(exc, lambda why: (self.tr("Could not undo “%1”: %2") if undoing
                                                else self.tr("Could not redo “%1”: %2"))
                              .replace("%1", command.text()).replace("%2", why))
            # Put the stack back where the database is, without calling the service again.
            command.restoring = True
            try:
                if undoing:
                    self.undo_stack.redo()
                else:
                    self.undo_stack.undo()
            finally:
                command.restoring = False
        finally:
            self._busy -= 1

    def undo(self) -> None:
        if self.manager and not self.busy:
            self.undo_stack.undo()

    def redo(self) -> None:
        if self.manager and not self.busy:
            self.undo_stack.redo()

    async def _reason(self, found: list[str]) -> str | None:
        answer = await _answer(self.reason_prompt(found))
        return answer.strip() if isinstance(answer, str) and answer.strip() else None

    # --- edits from the board -------------------------------------------------------------------
    @asyncSlot(object)
    async def _on_move_requested(self, proposal: Proposal) -> None:
        if self.busy:
            self.board.clear_pending()
            return
        await self.move(proposal)

    async def move(self, proposal: Proposal) -> None:
        before = self.model.shift(proposal.shift.id) or proposal.shift
        self._busy += 1
        try:
            reason = None
            if proposal.warnings:
                reason = await self._reason(proposal.warnings)
                if reason is None:
                    self.show_problem(self.tr("Not moved: the rules warn, and going ahead needs a reason."))
                    return
            change = await self.apply(self.roster.move_shift, before.id, starts_at=proposal.starts_at,
                                      ends_at=proposal.ends_at, anchor_id=proposal.anchor_id,
                                      room_id=proposal.room_id, override_reason=reason)
            after = next(s for s in change.shifts if s.id == before.id)
            nudge = (after.ends_at - after.starts_at) == (before.ends_at - before.starts_at) and \
                abs(after.starts_at - before.starts_at) <= timedelta(minutes=15)
            self.undo_stack.push(MoveShift(self, before, after, nudge=nudge))
            self.problem_label.hide()
        except DomainError as exc:
            self.show_problem(exc)
        finally:
            self._busy -= 1
            self.board.clear_pending()

    def _on_refused(self, problems: list[Message | str]) -> None:
        self.show_problem(problems, lambda why: self.tr("Not moved: %1").replace("%1", why))

    @asyncSlot(object)
    async def _on_create_requested(self, new: NewShift) -> None:
        if not self.busy:
            await self.create(new)

    async def create(self, new: NewShift) -> None:
        self._busy += 1
        try:
            choice = await _answer(self.new_shift_prompt(new))
            if choice is None:
                return
            anchor_id, room_id, role = choice
            context = self.model.context
            found = context.check(ShiftPlan(id=uuid4(), anchor_id=anchor_id, room_id=room_id, role=role,
                                            starts_at=new.starts_at, ends_at=new.ends_at)) if context else []
            blocks = list(dict.fromkeys(v.message for v in blocking(found)))
            if blocks:
                self.show_problem(blocks, lambda why: self.tr("Not added: %1").replace("%1", why))
                return
            reason = None
            warned = texts(v.message for v in warnings(found))
            if warned:
                reason = await self._reason(warned)
                if reason is None:
                    self.show_problem(self.tr("Not added: the rules warn, and going ahead needs a reason."))
                    return
            change = await self.apply(self.roster.add_shift, anchor_id=anchor_id, room_id=room_id, role=role,
                                      starts_at=new.starts_at, ends_at=new.ends_at, override_reason=reason)
            self.undo_stack.push(AddShifts(self, change.shifts))
            if change.shifts:
                self.board.select_shift(change.shifts[0].id)
            self.problem_label.hide()
        except DomainError as exc:
            self.show_problem(exc)
        finally:
            self._busy -= 1

    @asyncSlot(object)
    async def _on_remove_requested(self, shift: ShiftRow) -> None:
        if not self.busy:
            await self.remove(shift)

    async def remove(self, shift: ShiftRow) -> None:
        self._busy += 1
        try:
            row = self.model.shift(shift.id) or shift
            await self.apply(self.roster.remove_shift, row.id)
            self.undo_stack.push(RemoveShift(self, row))
            self.problem_label.hide()
        except DomainError as exc:
            self.show_problem(exc)
        finally:
            self._busy -= 1

    # --- toolbar ------------------------------------------------------------------------------------
    @asyncSlot()
    async def _go_week(self, step: int) -> None:
        if step == 0:
            self.week_start = week_start(datetime.now(UTC), self._timezone)
        else:
            local = self.week_start.astimezone(self._zone).date() + timedelta(weeks=step)
            self.week_start = datetime.combine(local, time(), self._zone).astimezone(UTC)
        for b in (self.prev_button, self.next_button, self.this_week_button):
            b.setEnabled(False)
        try:
            await self.refresh()
        finally:
            for b in (self.prev_button, self.next_button, self.this_week_button):
                b.setEnabled(True)

    def _on_lanes(self, which: int) -> None:
        self.model.set_kind(LaneKind.ROOMS if which == 0 else LaneKind.ANCHORS)

    def _apply_filters(self) -> None:
        room, anchor, role = (c.currentData() for c in (self.room_filter, self.anchor_filter, self.role_filter))
        self.model.set_filters(room=UUID(room) if room else None, anchor=UUID(anchor) if anchor else None,
                               role=ShiftRole(role) if role else None)

    def set_filters(self, *, room: UUID | None = None, anchor: UUID | None = None,
                    role: ShiftRole | None = None) -> None:
        """Choose filters as the combo boxes would (for keyboard users' scripts and tests)."""
        for combo, value in ((self.room_filter, str(room) if room else None),
                             (self.anchor_filter, str(anchor) if anchor else None),
                             (self.role_filter, role.value if role else None)):
            combo.setCurrentIndex(max(combo.findData(value), 0))
        self._apply_filters()

    @asyncSlot()
    async def _on_publish(self) -> None:
        self.publish_button.setEnabled(False)
        try:
            change = await self.call(self.roster.publish, self.week_start, self.week_start + timedelta(days=7))
            self.model.apply_change(change)
            self.problem_label.hide()
        except DomainError as exc:
            self.show_problem(exc)
        finally:
            self._update_publish()

    @asyncSlot()
    async def _on_copy_week(self) -> None:
        await self._add_many(self.tr("Copy last week"), self.roster.copy_week,
                             self.week_start - timedelta(days=7), self.week_start)

    @asyncSlot()
    async def _on_apply_template(self, template_id: UUID, name: str) -> None:
        await self._add_many(self.tr("Apply template %1").replace("%1", name), self.roster.apply_template,
                             template_id, self.week_start)

    async def _add_many(self, text: str, fn: Callable[..., RosterChange], *args: Any) -> None:
        if self.busy:
            return
        self._busy += 1
        self.copy_button.setEnabled(False)
        try:
            change = await self.apply(fn, *args)
            if change.shifts:
                self.undo_stack.push(AddShifts(self, change.shifts, text))
            self.problem_label.hide()
        except DomainError as exc:
            self.show_problem(exc)
        finally:
            self._busy -= 1
            self.copy_button.setEnabled(True)

    @asyncSlot()
    async def _on_people(self) -> None:
        await self.edit_people()

    async def edit_people(self) -> None:
        """Anchors, live rooms and the rules' limits; the week reloads if anything changed."""
        if self.people_dialog is not None:
            return
        self.people_button.setEnabled(False)
        dialog = PeopleDialog(self.roster, self._worker, self)
        self.people_dialog = dialog
        try:
            await dialog.load()
            await _run_dialog(dialog)
            if dialog.changed:
                await self.refresh()
        finally:
            self.people_dialog = None
            if isValid(self.people_button):   # the window may have closed under the dialog
                self.people_button.setEnabled(True)

    @asyncSlot()
    async def _on_save_template(self) -> None:
        name = await _answer(self.text_prompt(self.tr("Save as template"), self.tr("Name of the template:")))
        if not name:
            return
        try:
            await self.call(self.roster.save_template, name, self.week_start)
            self._templates = await self.call(self.roster.templates)
            self._fill_templates()
            self.problem_label.hide()
        except DomainError as exc:
            self.show_problem(exc)

    @asyncSlot()
    async def _decide_time_off(self, approve: bool) -> None:
        item = self.time_off_list.currentItem()
        if item is None:
            return
        try:
            await self.call(self.roster.decide_time_off, item.data(Qt.ItemDataRole.UserRole), approve=approve)
            await self.refresh()
        except DomainError as exc:
            self.show_problem(exc)

    @asyncSlot()
    async def _decide_swap(self, approve: bool) -> None:
        item = self.swap_list.currentItem()
        if item is None:
            return
        swap_id = item.data(Qt.ItemDataRole.UserRole)
        try:
            try:
                await self.call(self.roster.decide_swap, swap_id, approve=approve)
            except OverrideNeeded as exc:
                reason = await self._reason(texts(exc.warnings))
                if reason is None:
                    return
                await self.call(self.roster.decide_swap, swap_id, approve=approve, override_reason=reason)
            await self.refresh()
        except DomainError as exc:
            self.show_problem(exc)

    # --- my shifts (anchors) ----------------------------------------------------------------------------
    def selected_own_shift(self) -> ShiftRow | None:
        rows = self.mine_view.selectionModel().selectedRows()
        return self.my_model.value(rows[0].row()) if rows else None

    @asyncSlot()
    async def _on_ask_time_off(self) -> None:
        await self.ask_time_off()

    async def ask_time_off(self) -> None:
        answer = await _answer(self.time_off_prompt())
        if answer is None:
            return
        starts, ends, reason = answer
        self.time_off_button.setEnabled(False)
        try:
            row = await self.call(self.roster.request_time_off, starts_at=starts, ends_at=ends, reason=reason,
                                  kind=TimeOffKind.TIME_OFF)
            self.problem_label.hide()
            self.mine_message.setText(
                self.tr("Asked for time off %1 – %2; your store manager will decide.")
                .replace("%1", self._when(row.starts_at)).replace("%2", self._when(row.ends_at)))
        except DomainError as exc:
            self.show_problem(exc)
        finally:
            self.time_off_button.setEnabled(True)

    @asyncSlot()
    async def _on_offer_swap(self) -> None:
        await self.offer_swap()

    async def offer_swap(self) -> None:
        shift = self.selected_own_shift()
        if shift is None:
            self.show_problem(self.tr("Select one of your shifts first."))
            return
        colleagues = [a for a in self._colleagues if a.id != shift.anchor_id]
        answer = await _answer(self.swap_prompt(shift, colleagues))
        if answer is None:
            return
        to_anchor, reason = answer
        try:
            swap = await self.call(self.roster.request_swap, shift.id, to_anchor_id=to_anchor, reason=reason)
            self.problem_label.hide()
            self.mine_message.setText(self.tr("Offered your shift %1 to %2; your store manager will decide.")
                                      .replace("%1", self._when(shift.starts_at))
                                      .replace("%2", swap.to_anchor_name))
        except DomainError as exc:
            self.show_problem(exc)

    # --- dialogs (the default prompts) ---------------------------------------------------------------------
    async def _ask_reason(self, found: list[str]) -> str | None:
        dialog = QInputDialog(self)
        dialog.setWindowTitle(self.tr("A reason is needed"))
        dialog.setLabelText(self.tr("The rules warn:\n%1\n\nWhy go ahead anyway? (recorded on the shift)")
                            .replace("%1", "\n".join(f"• {w}" for w in found)))
        dialog.setTextValue("")
        if not await _run_dialog(dialog):
            return None
        return dialog.textValue()

    async def _ask_text(self, title: str, label: str) -> str | None:
        dialog = QInputDialog(self)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        if not await _run_dialog(dialog):
            return None
        return dialog.textValue().strip() or None

    async def _ask_new_shift(self, new: NewShift) -> tuple[UUID, UUID, ShiftRole] | None:
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("New shift"))
        form = QFormLayout(dialog)
        form.addRow(QLabel(self.tr("%1, %2 – %3").replace("%1", new.lane.name)
                           .replace("%2", self._when(new.starts_at)).replace("%3", self._when(new.ends_at)), dialog))
        role = QComboBox(dialog)
        for r in ROLES:
            role.addItem(shift_role_text(r), r)
        other = QComboBox(dialog)
        context = self.model.context
        if new.lane.kind is LaneKind.ROOMS:
            form.addRow(self.tr("Anchor"), other)
            for a in self.model.anchors:
                other.addItem(a.name, a.id)
        else:
            form.addRow(self.tr("Live room"), other)
            for r in self.model.rooms:
                other.addItem(r.name, r.id)
        form.addRow(self.tr("Role"), role)
        verdict = QLabel(dialog)
        verdict.setWordWrap(True)
        verdict.setMinimumWidth(360)
        form.addRow(verdict)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                   dialog)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form.addRow(buttons)

        def picked() -> tuple[UUID, UUID, ShiftRole]:
            chosen = other.currentData()
            if new.lane.kind is LaneKind.ROOMS:
                return chosen, new.lane.id, ShiftRole(role.currentData())
            return new.lane.id, chosen, ShiftRole(role.currentData())

        def judge() -> None:
            if context is None or other.currentData() is None:
                return
            anchor_id, room_id, r = picked()
            found = context.check(ShiftPlan(id=uuid4(), anchor_id=anchor_id, room_id=room_id, role=r,
                                            starts_at=new.starts_at, ends_at=new.ends_at))
            blocks = [v.message for v in blocking(found)]
            warned = [v.message for v in warnings(found)]
            verdict.setText("⛔ " + render(blocks) if blocks else "⚠ " + render(warned) if warned else "✓")
            buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not blocks)

        other.currentIndexChanged.connect(lambda _i: judge())
        role.currentIndexChanged.connect(lambda _i: judge())
        judge()
        if not await _run_dialog(dialog):
            return None
        return picked()

    async def _ask_time_off(self) -> tuple[datetime, datetime, str] | None:
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Ask for time off"))
        form = QFormLayout(dialog)
        today = datetime.now(self._zone).date()
        first, last = QDateEdit(dialog), QDateEdit(dialog)
        for edit in (first, last):
            edit.setCalendarPopup(True)
            edit.setDate(QDate(today.year, today.month, today.day).addDays(7))
        reason = QLineEdit(dialog)
        form.addRow(self.tr("First day off"), first)
        form.addRow(self.tr("Last day off"), last)
        form.addRow(self.tr("Reason"), reason)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                   dialog)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form.addRow(buttons)
        if not await _run_dialog(dialog):
            return None
        a, b = first.date().toPython(), last.date().toPython()
        a, b = min(a, b), max(a, b)
        return (self._midnight(a), self._midnight(b + timedelta(days=1)), reason.text())

    def _midnight(self, day: date) -> datetime:
        return datetime.combine(day, time(), self._zone).astimezone(UTC)

    async def _ask_swap(self, shift: ShiftRow, colleagues: list[AnchorRow]) -> tuple[UUID, str] | None:
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Offer this shift for a swap"))
        form = QFormLayout(dialog)
        form.addRow(QLabel(self.model.describe(shift), dialog))
        who = QComboBox(dialog)
        for a in colleagues:
            who.addItem(f"{a.name} ({a.code})", a.id)
        reason = QLineEdit(dialog)
        form.addRow(self.tr("Colleague"), who)
        form.addRow(self.tr("Reason"), reason)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                   dialog)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form.addRow(buttons)
        if not await _run_dialog(dialog) or who.currentData() is None:
            return None
        return who.currentData(), reason.text()


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"
