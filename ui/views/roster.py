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
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QBrush, QColor, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
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
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot
from shiboken6 import isValid

from console.domain.calendar import week_start
from console.domain.enums import RequestStatus, ShiftRole, TimeOffKind
from console.domain.errors import DomainError, OverrideNeeded, ShiftsStranded
from console.domain.permissions import Permission
from console.domain.values import (
    AnchorRow,
    CopyPreview,
    RosterChange,
    ShiftRow,
    SwapOption,
    SwapRow,
    TimeOffRow,
)
from console.i18n import Message
from console.i18n.formats import format_datetime, in_zone
from console.rules.roster import ShiftPlan, Violation, blocking, warnings
from console.services.worker import DbWorker
from ui.commands import AddShifts, MoveShift, RemoveShift, RosterCommand
from ui.i18n import render, texts, ui_language
from ui.layouts import FlowLayout, fit_to_screen
from ui.models.week import LaneKind, MyShiftsModel, WeekModel
from ui.text import shift_role_text
from ui.views.page import Page, make_table
from ui.views.people import PeopleDialog
from ui.views.roster_dialogs import (
    CopyPreviewDialog,
    StrandedShiftsDialog,
    SwapDialog,
    TimeOffDialog,
    day_range_text,
    shift_line,
)
from ui.views.roster_dialogs import answer as _answer
from ui.views.roster_dialogs import run_dialog as _run_dialog
from ui.views.week_board import ROLE_COLOURS, ZOOMS, NewShift, Proposal, Verdict, WeekBoard, verdict_icon

if TYPE_CHECKING:
    from console.services.registry import Services
    from console.services.roster import PublishSummary


R = TypeVar("R")
ROLES = (ShiftRole.HOST, ShiftRole.CO_HOST, ShiftRole.ROOM_CONTROLLER)
MY_SHIFTS_WEEKS = 4
# How far ahead the "Needs attention" list looks for flagged shifts.
ATTENTION_DAYS = 120
# Prompts keep a sane size whatever the data: a 120-character name is elided, never a 2,000 px dialog.
PROMPT_MAX_WIDTH = 560
NAME_WIDTH = 300
CHOICE_WIDTH = 220


class EditCancelled(DomainError):
    """The manager closed the reason prompt: nothing was saved."""


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
        # The create-shift popup's last choice, by lane kind: (anchor or room id, role value).
        self._last_new_shift: dict[LaneKind, tuple[str, str]] = {}
        # Prompts a test may replace; each returns the answer or None, at once or awaitably.
        self.reason_prompt: Callable[[list[str]], Any] = self._ask_reason
        self.new_shift_prompt: Callable[[NewShift], Any] = self._ask_new_shift
        self.time_off_prompt: Callable[[], Any] = self._ask_time_off
        self.swap_prompt: Callable[[ShiftRow, list[SwapOption]], Any] = self._ask_swap
        # (title, intro, go-ahead button, the shifts a change would strand) -> go ahead?
        self.stranded_prompt: Callable[[str, str, str, list[ShiftRow]], Any] = self._ask_stranded
        # (title, the copy's preview) -> copy the shifts the rules allow?
        self.copy_prompt: Callable[[str, CopyPreview], Any] = self._ask_copy
        self._attention: list[ShiftRow] = []    # flagged shifts from today on, as last loaded
        self.open_dialog: QDialog | None = None  # the prompt open now, if any (tests answer it)
        self.text_prompt: Callable[[str, str], Any] = self._ask_text
        self.publish_prompt: Callable[[PublishSummary], Any] = self._ask_publish

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
        self.publish_button.setObjectName("PublishButton")   # styled by the theme (resources/themes)
        # Two rows that wrap rather than clip on a narrow screen (1024 px): the week and its
        # actions, then the lanes, filters and legend; what does not fit moves to a line below.
        header = FlowLayout()
        week_group = _group(self.board_page, (self.prev_button, self.this_week_button, self.next_button,
                                              self.week_label))
        self.actions_group = _group(self.board_page, (self.undo_button, self.redo_button, self.copy_button,
                                                      self.template_button, self.people_button,
                                                      self.publish_button))
        header.add_widget(week_group)
        header.add_widget(self.actions_group, right=True)
        layout.addLayout(header)

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
        filters_group = QWidget(self.board_page)
        tools.setContentsMargins(0, 0, 0, 0)
        filters_group.setLayout(tools)
        # One label per entry, so a narrow window wraps the legend between entries, never inside one.
        self.legend = QWidget(self.board_page)
        self.legend.setObjectName("Legend")
        legend_flow = FlowLayout(self.legend, spacing=12, line_spacing=2)
        self.legend_items: list[QLabel] = []
        for _entry in range(len(ROLES) + 4):
            item = QLabel(self.legend)
            item.setTextFormat(Qt.TextFormat.RichText)
            legend_flow.add_widget(item)
            self.legend_items.append(item)
        tools_row = FlowLayout()
        tools_row.add_widget(filters_group)
        tools_row.add_widget(self.legend, right=True)
        layout.addLayout(tools_row)

        self.hint_label = QLabel(self.board_page)
        self.hint_label.setObjectName("PageIntro")
        self.hint_label.setWordWrap(True)   # two lines on a narrow screen rather than a cut-off one
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
        # Shifts the rules now refuse (time off approved, an anchor deactivated, new room hours):
        # the manager's list to work through; activating one shows it on the board.
        self.attention_list = QListWidget(self.side_tabs)
        self.attention_list.setObjectName("AttentionList")
        self.attention_list.setWordWrap(True)
        self.side_tabs.addTab(self.hours_list, "")
        self.side_tabs.addTab(time_off_tab, "")
        self.side_tabs.addTab(swap_tab, "")
        self.side_tabs.addTab(self.attention_list, "")
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
        self.attention_list.itemActivated.connect(self._on_attention_activated)
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
                   ("#f59e0b", "●", self.tr("Warning")), ("#dc2626", "<b>!</b>", self.tr("Needs attention"))]
        for item, (c, mark, words) in zip(self.legend_items, legend, strict=True):
            item.setText(f"<span style='color:{c}; font-size:15px'>{mark}</span>&nbsp;{words}")
        texts = self.board.texts
        texts.refused = self.tr("Not possible at %1:")
        texts.warned = self.tr("Allowed at %1, with a reason:")
        texts.draft = self.tr("Draft (not published yet)")
        texts.published = self.tr("Published")
        texts.changed = self.tr("Changed since it was published")
        texts.override = self.tr("Reason given: %1")
        texts.attention = self.tr("Needs moving or reassigning:")
        texts.rooms_corner = self.tr("Live rooms")
        texts.anchors_corner = self.tr("Anchors")
        texts.hours = self.tr("%1 / %2 h")
        texts.today = self.tr("today")
        texts.today_date = self.tr("Today %1")
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
        self._show_attention()
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
        problems = self.model.problem_texts(shift)
        if problems:
            text += " — " + self.tr("Needs moving or reassigning: %1").replace("%1", render(problems))
        found = self.model.warning_texts(shift)
        if found:
            text += " — ⚠ " + render(found)
        self.hint_label.setText(text)

    def _on_cells_changed(self, *_args: Any) -> None:
        self._update_publish()
        self._show_hint()
        self._show_attention()

    def _show_hours(self) -> None:
        self.hours_list.clear()
        hours = self.model.hours_by_anchor()
        # A deactivated anchor still holding shifts stays in the list, marked, until they are reassigned.
        rows = sorted((*self.model.anchors, *self.model.former_anchors),
                      key=lambda a: (-hours.get(a.id, 0.0), a.code))
        for anchor in rows:
            worked = hours.get(anchor.id, 0.0)
            if not worked:
                continue
            item = QListWidgetItem(self.tr("%1  %2 / %3 h").replace("%1", anchor.name)
                                   .replace("%2", _fmt(worked)).replace("%3", str(anchor.weekly_hours_cap)))
            item.setData(Qt.ItemDataRole.UserRole, anchor.id)
            if not anchor.active:
                item.setText(self.tr("%1 (no longer active)").replace("%1", item.text()))
            if worked > anchor.weekly_hours_cap or not anchor.active:
                item.setForeground(QBrush(QColor("#dc2626")))
            self.hours_list.addItem(item)
        self._update_publish()
        self._show_hint()

    def _show_requests(self) -> None:
        self.time_off_list.clear()
        for t in self._time_off:
            item = QListWidgetItem(
                self.tr("%1 · %2 · %3").replace("%1", t.anchor_name).replace("%2", self.time_off_span(t))
                .replace("%3", t.reason or "—"))
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

    def time_off_span(self, t: TimeOffRow | tuple[datetime, datetime]) -> str:
        """Whole days as "12月20日 – 12月24日" (the last day off, not the midnight after it), with the
        years once the range leaves this year; a span with clock times as its two moments."""
        starts, ends = (t.starts_at, t.ends_at) if isinstance(t, TimeOffRow) else t
        first, after = starts.astimezone(self._zone), ends.astimezone(self._zone)
        if first.time() == time() and after.time() == time():
            return day_range_text(first.date(), (after - timedelta(days=1)).date())
        this_year = datetime.now(self._zone).year
        with_year = first.year != this_year or after.year != this_year
        return (f"{format_datetime(first, ui_language(), with_year=with_year)} – "
                f"{format_datetime(after, ui_language(), with_year=with_year)}")

    def _show_attention(self) -> None:
        """The flagged shifts, this week's as the board has them now and later weeks' as last loaded."""
        week = {s.id for s in self.model.all_shifts()}
        shown = self.model.week_start
        later = [s for s in self._attention if s.id not in week
                 and not (shown is not None and shown <= s.starts_at < shown + timedelta(days=7))]
        rows = sorted([*self.model.needing_attention(), *later], key=lambda s: s.starts_at)
        self.attention_list.clear()
        for s in rows:
            item = QListWidgetItem(self.tr("%1 — %2").replace("%1", shift_line(s, self._zone))
                                   .replace("%2", render(list(s.problems))))
            item.setData(Qt.ItemDataRole.UserRole, str(s.id))
            item.setData(Qt.ItemDataRole.UserRole + 1, s.starts_at)
            item.setForeground(QBrush(QColor("#dc2626")))
            self.attention_list.addItem(item)
        self.side_tabs.setTabText(3, self.tr("Needs attention (%1)").replace("%1", str(len(rows))))

    @asyncSlot()
    async def _on_attention_activated(self, item: QListWidgetItem) -> None:
        await self.show_flagged(UUID(item.data(Qt.ItemDataRole.UserRole)), item.data(Qt.ItemDataRole.UserRole + 1))

    async def show_flagged(self, shift_id: UUID, starts_at: datetime) -> None:
        """Go to the week of a flagged shift and select it on the board."""
        if self.model.shift(shift_id) is None:
            self.week_start = week_start(starts_at, self._timezone)
            await self.refresh()
        self.board.select_shift(shift_id)
        self.board.setFocus()

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
        if count:
            self.publish_button.setText(self.tr("Publish changes (%1)").replace("%1", str(count)))
            self.publish_button.setToolTip(self.tr("Shows who is affected, then publishes this week's changes."))
        elif self.model.all_shifts():
            self.publish_button.setText(self.tr("Published"))
            self.publish_button.setToolTip(self.tr("Every shift this week is published; anchors see them."))
        else:
            # An empty week is not "published": there is nothing anyone has seen.
            self.publish_button.setText(self.tr("Nothing to publish"))
            self.publish_button.setToolTip(self.tr("This week has no shifts yet."))
        self.publish_button.setEnabled(count > 0)

    # --- loading -----------------------------------------------------------------------------
    async def load(self) -> None:
        # One trip to the worker for everything the screen shows: the screen is whole when it returns.
        if self.manager:
            week, time_off, swaps, templates, attention = await self.call(self._fetch_board, self.week_start)
            self._attention = attention
            self._show_board(week)
            self._time_off = [t for t in time_off if t.status is RequestStatus.REQUESTED]
            self._swaps, self._templates = swaps, templates
            self._fill_templates()
            self._show_requests()
            self._show_attention()
        else:
            await self._load_my_shifts()

    def _fetch_board(self, start: datetime) -> tuple[Any, list[TimeOffRow], list[SwapRow], list[Any], list[ShiftRow]]:
        """On the worker: the week, open requests, templates and flagged shifts (service calls only)."""
        now = datetime.now(UTC)
        roster = self.roster
        return (roster.week(start), roster.time_off_between(now - timedelta(days=1), now + timedelta(days=120)),
                roster.swaps(), roster.templates(),
                roster.shifts_needing_attention(now, now + timedelta(days=ATTENTION_DAYS)))

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
                reason = held_reason(before, proposal) or await self._reason(proposal.warnings)
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
            if new.starts_at < datetime.now(UTC):
                # The roster plans what is to come; a past start is nearly always a slip of the mouse.
                self.show_problem(self.tr("Not added: %1 is in the past; new shifts start from now on.")
                                  .replace("%1", self._when(new.starts_at)))
                return
            choice = await _answer(self.new_shift_prompt(new))
            if choice is None:
                return
            # The popup asks for the reason itself when the choice warns; a 3-tuple leaves it to the prompt.
            anchor_id, room_id, role, *given = choice
            given_reason = given[0].strip() if given and isinstance(given[0], str) else ""
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
                reason = given_reason or await self._reason(warned)
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
        await self.publish()

    async def publish(self) -> None:
        """Say per anchor what changes for them, and publish the week once the manager agrees."""
        start, end = self.week_start, self.week_start + timedelta(days=7)
        self.publish_button.setEnabled(False)
        try:
            summary: PublishSummary = await self.call(self.roster.publish_summary, start, end)
            if not summary.anchors:
                # The board counted changes the database no longer has (another console published): reload.
                await self.refresh()
                self.show_problem(self.tr("Nothing to publish: every shift this week is published already."))
                return
            if not await _answer(self.publish_prompt(summary)):
                return
            change = await self.call(self.roster.publish, start, end)
            self.model.apply_change(change)
            self.problem_label.hide()
        except DomainError as exc:
            self.show_problem(exc)
        finally:
            self._update_publish()

    @asyncSlot()
    async def _on_copy_week(self) -> None:
        await self.copy_last_week()

    async def copy_last_week(self) -> None:
        """Preview last week's shifts at this week's dates, then copy those the rules allow."""
        source = self.week_start - timedelta(days=7)
        await self._add_many(self.tr("Copy last week"), self.roster.preview_copy_week, self.roster.copy_week,
                             source, self.week_start)

    @asyncSlot()
    async def _on_apply_template(self, template_id: UUID, name: str) -> None:
        await self._add_many(self.tr("Apply template %1").replace("%1", name), self.roster.preview_template,
                             self.roster.apply_template, template_id, self.week_start)

    async def _add_many(self, text: str, preview: Callable[..., CopyPreview], fn: Callable[..., RosterChange],
                        *args: Any) -> None:
        """Show what a copy would add and refuse, row by row; add the allowed ones if the manager agrees."""
        if self.busy:
            return
        self._busy += 1
        self.copy_button.setEnabled(False)
        try:
            found = await self.call(preview, *args)
            if not found.items:
                self.show_problem(self.tr("Nothing to copy: that week has no shifts."))
                return
            if not await _answer(self.copy_prompt(text, found)):
                return
            change = await self.apply(fn, *args, skip_refused=True)
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
        request_id = item.data(Qt.ItemDataRole.UserRole)
        request = next((t for t in self._time_off if t.id == request_id), None)
        for button in (self.approve_time_off, self.reject_time_off):
            button.setEnabled(False)
        try:
            try:
                await self.call(self.roster.decide_time_off, request_id, approve=approve)
            except ShiftsStranded as exc:
                # Approving over booked shifts: list them first, and approve only if the manager agrees.
                who = request.anchor_name if request else ""
                intro = (self.tr("%1 has %2 booked shifts inside this time off. Approved, they stay on the board, "
                                 "flagged, until you move them or give them to someone else.")
                         .replace("%1", who).replace("%2", str(len(exc.shifts))))
                if not await _answer(self.stranded_prompt(self.tr("Approve time off?"), intro,
                                                          self.tr("Approve anyway"), list(exc.shifts))):
                    return
                await self.call(self.roster.decide_time_off, request_id, approve=approve, confirm_stranded=True)
            await self.refresh()
        except DomainError as exc:
            self.show_problem(exc)
        finally:
            for button in (self.approve_time_off, self.reject_time_off):
                if isValid(button):
                    button.setEnabled(True)

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
                self.tr("Asked for time off %1; your store manager will decide.").replace("%1", self.time_off_span(row)))
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
        self.swap_button.setEnabled(False)
        try:
            # Each colleague judged by the roster's rules as if the shift were theirs: who is free then.
            options = await self.call(self.roster.swap_options, shift.id)
            answer = await _answer(self.swap_prompt(shift, options))
            if answer is None:
                return
            to_anchor, reason = answer
            swap = await self.call(self.roster.request_swap, shift.id, to_anchor_id=to_anchor, reason=reason)
            self.problem_label.hide()
            self.mine_message.setText(self.tr("Offered your shift %1 to %2; your store manager will decide.")
                                      .replace("%1", self._when(shift.starts_at))
                                      .replace("%2", swap.to_anchor_name))
        except DomainError as exc:
            self.show_problem(exc)
        finally:
            self.swap_button.setEnabled(True)

    # --- dialogs (the default prompts) ---------------------------------------------------------------------
    async def _ask_reason(self, found: list[str]) -> str | None:
        """Why go ahead despite the warnings; OK stays disabled until a reason is typed (spaces are none)."""
        dialog = QDialog(self)
        dialog.setObjectName("ReasonDialog")
        dialog.setWindowTitle(self.tr("A reason is needed"))
        dialog.setMaximumWidth(PROMPT_MAX_WIDTH)
        layout = QVBoxLayout(dialog)
        question = QLabel(self.tr("The rules warn:\n%1\n\nWhy go ahead anyway? (recorded on the shift)")
                          .replace("%1", "\n".join(f"• {w}" for w in found)), dialog)
        question.setWordWrap(True)
        reason = QLineEdit(dialog)
        question.setBuddy(reason)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                   dialog)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)
        reason.textChanged.connect(lambda typed: ok.setEnabled(bool(typed.strip())))
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        for w in (question, reason, buttons):
            layout.addWidget(w)
        if not await _run_dialog(dialog):
            return None
        return reason.text().strip() or None

    def publish_lines(self, summary: PublishSummary) -> list[tuple[str, list[str]]]:
        """Per anchor, a heading ("王芳 (A001): 1 added, 1 changed") and one line per shift."""
        result = []
        for anchor in summary.anchors:
            counts = [words.replace("%1", str(len(rows))) for words, rows in (
                (self.tr("%1 added"), anchor.added), (self.tr("%1 changed"), anchor.changed),
                (self.tr("%1 removed"), anchor.removed)) if rows]
            heading = self.tr("%1 (%2): %3").replace("%1", anchor.anchor_name).replace("%2", anchor.anchor_code) \
                .replace("%3", self.tr(", ").join(counts))
            lines = [words.replace("%1", self._shift_line(row)) for words, rows in (
                (self.tr("New: %1"), anchor.added), (self.tr("Changed: %1"), anchor.changed),
                (self.tr("Taken off: %1"), anchor.removed)) for row in rows]
            result.append((heading, lines))
        return result

    def _shift_line(self, s: ShiftRow) -> str:
        day = s.starts_at.astimezone(self._zone).date()
        return (f"{self.model.day_label(day)} {self.model.clock(s.starts_at)}–{self.model.clock(s.ends_at)} · "
                f"{s.room_name} · {shift_role_text(s.role)}")

    async def _ask_publish(self, summary: PublishSummary) -> bool:
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Publish this week"))
        layout = QVBoxLayout(dialog)
        intro = QLabel(self.tr("Once you publish, these anchors see the changes on their My shifts:"), dialog)
        intro.setWordWrap(True)
        tree = QTreeWidget(dialog)
        tree.setHeaderHidden(True)
        tree.setObjectName("PublishSummary")
        for heading, lines in self.publish_lines(summary):
            top = QTreeWidgetItem(tree, [heading])
            for line in lines:
                QTreeWidgetItem(top, [line])
        tree.expandAll()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, dialog)
        go = buttons.addButton(self.tr("Publish"), QDialogButtonBox.ButtonRole.AcceptRole)
        go.setDefault(True)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(intro)
        layout.addWidget(tree, 1)
        layout.addWidget(buttons)
        fit_to_screen(dialog, QSize(560, 480))
        return await _run_dialog(dialog)

    async def _ask_text(self, title: str, label: str) -> str | None:
        dialog = QInputDialog(self)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        if not await _run_dialog(dialog):
            return None
        return dialog.textValue().strip() or None

    async def _ask_new_shift(self, new: NewShift) -> tuple[UUID, UUID, ShiftRole, str] | None:
        """Who works a drawn span (or where), and in which role.

        The choices are judged by the same rules as the board: free ones first,
        then those that warn, then those refused, each marked; the last choice
        is preselected unless it is refused here. A warned choice needs its
        reason in this popup, so OK stays disabled until one is typed.
        """
        dialog = QDialog(self)
        dialog.setObjectName("NewShiftDialog")
        dialog.setWindowTitle(self.tr("New shift"))
        dialog.setMaximumWidth(PROMPT_MAX_WIDTH)
        form = QFormLayout(dialog)
        heading = QLabel(dialog)
        heading.setWordWrap(True)
        heading.setText(self.tr("%1, %2 – %3").replace("%1", _elided(new.lane.name, heading, NAME_WIDTH))
                        .replace("%2", self._when(new.starts_at)).replace("%3", self._when(new.ends_at)))
        heading.setToolTip(new.lane.name)
        form.addRow(heading)
        rooms_lane = new.lane.kind is LaneKind.ROOMS
        role = QComboBox(dialog)
        role.setObjectName("RoleChoice")
        for r in ROLES:
            role.addItem(shift_role_text(r), r.value)
        other = QComboBox(dialog)
        other.setObjectName("WhoChoice")
        # Sized by a name's worth of characters, not by the longest name in the store.
        other.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        other.setMinimumContentsLength(30)
        other.setMinimumWidth(CHOICE_WIDTH + 150)   # an elided name, its marker and its verdict word
        form.addRow(self.tr("Role"), role)
        form.addRow(self.tr("Anchor") if rooms_lane else self.tr("Live room"), other)
        mark = QLabel(dialog)
        mark.setObjectName("VerdictMark")
        verdict = QLabel(dialog)
        verdict.setObjectName("Verdict")
        verdict.setWordWrap(True)
        verdict.setMinimumWidth(320)
        judged_row = QHBoxLayout()
        judged_row.addWidget(mark, 0, Qt.AlignmentFlag.AlignTop)
        judged_row.addWidget(verdict, 1)
        form.addRow(judged_row)
        reason = QLineEdit(dialog)
        reason.setPlaceholderText(self.tr("Why go ahead anyway? (recorded on the shift)"))
        form.addRow(self.tr("Reason"), reason)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                   dialog)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form.addRow(buttons)

        context = self.model.context
        candidates = ([(a.id, a.name, a.code) for a in self.model.anchors] if rooms_lane
                      else [(r.id, r.name, r.code) for r in self.model.rooms if r.active])
        states = {Verdict.FREE: self.tr("free"), Verdict.WARNED: self.tr("warns"),
                  Verdict.REFUSED: self.tr("not possible")}
        judged: dict[str, list[Violation]] = {}

        def plan(chosen: UUID, r: ShiftRole) -> ShiftPlan:
            anchor_id, room_id = (chosen, new.lane.id) if rooms_lane else (new.lane.id, chosen)
            return ShiftPlan(id=uuid4(), anchor_id=anchor_id, room_id=room_id, role=r,
                             starts_at=new.starts_at, ends_at=new.ends_at)

        def chosen_role() -> ShiftRole:
            return ShiftRole(role.currentData())

        def fill(keep: str | None) -> None:
            """The choices for the role, best first; ``keep`` stays selected unless it is refused."""
            r = chosen_role()
            judged.clear()
            for cid, _name, _code in candidates:
                judged[str(cid)] = list(context.check(plan(cid, r))) if context is not None else []
            order = sorted(range(len(candidates)), key=lambda n: (Verdict.of(judged[str(candidates[n][0])]), n))
            other.blockSignals(True)
            other.clear()
            for n in order:
                cid, name, code = candidates[n]
                state = Verdict.of(judged[str(cid)])
                # The name and code elided, so that the verdict after them always shows.
                who = _elided(self.tr("%1 (%2)").replace("%1", name).replace("%2", code), other, CHOICE_WIDTH)
                label = self.tr("%1 · %2").replace("%1", who).replace("%2", states[state])
                other.addItem(verdict_icon(state, other), label, str(cid))
                other.setItemData(other.count() - 1, f"{name} ({code})", Qt.ItemDataRole.ToolTipRole)
            index = other.findData(keep) if keep else -1
            if index < 0 or Verdict.of(judged[keep or ""]) is Verdict.REFUSED:
                index = 0
            other.setCurrentIndex(index)
            other.blockSignals(False)
            judge()

        def judge() -> None:
            chosen = other.currentData()
            found = judged.get(chosen, []) if chosen is not None else []
            state = Verdict.of(found) if chosen is not None else Verdict.REFUSED
            blocks = [v.message for v in blocking(found)]
            warned = [v.message for v in warnings(found)]
            mark.setPixmap(verdict_icon(state, mark).pixmap(16, 16))
            said = verdict.text()
            verdict.setText(render(blocks) if blocks else render(warned) if warned
                            else self.tr("The rules find nothing against this shift.") if chosen is not None
                            else self.tr("Nothing to choose from."))
            form.setRowVisible(reason, state is Verdict.WARNED)
            ok.setEnabled(state is Verdict.FREE or (state is Verdict.WARNED and bool(reason.text().strip())))
            if dialog.isVisible() and verdict.text() != said:
                dialog.adjustSize()   # a longer verdict gets its lines, within the maximum width

        last_choice, last_role = self._last_new_shift.get(new.lane.kind, (None, None))
        role.setCurrentIndex(max(role.findData(last_role), 0) if last_role else 0)
        other.currentIndexChanged.connect(lambda _i: judge())
        role.currentIndexChanged.connect(lambda _i: fill(other.currentData()))
        reason.textChanged.connect(lambda _t: judge())
        fill(last_choice)
        if not await _run_dialog(dialog) or other.currentData() is None:
            return None
        self._last_new_shift[new.lane.kind] = (other.currentData(), role.currentData())
        chosen = UUID(other.currentData())
        anchor_id, room_id = (chosen, new.lane.id) if rooms_lane else (new.lane.id, chosen)
        return anchor_id, room_id, chosen_role(), reason.text().strip() if reason.isVisibleTo(dialog) else ""

    async def _ask_time_off(self) -> tuple[datetime, datetime, str] | None:
        dialog = TimeOffDialog(self, zone=self._zone)
        self.open_dialog = dialog
        try:
            if not await _run_dialog(dialog):
                return None
            return dialog.answer()
        finally:
            self.open_dialog = None

    async def _ask_swap(self, shift: ShiftRow, options: list[SwapOption]) -> tuple[UUID, str] | None:
        dialog = SwapDialog(self, shift=shift, options=options, zone=self._zone)
        self.open_dialog = dialog
        try:
            if not await _run_dialog(dialog):
                return None
            chosen = dialog.chosen()
            return (chosen, dialog.reason.text()) if chosen is not None else None
        finally:
            self.open_dialog = None

    async def _ask_stranded(self, title: str, intro: str, go: str, shifts: list[ShiftRow]) -> bool:
        dialog = StrandedShiftsDialog(self, title=title, intro=intro, go_text=go, shifts=shifts, zone=self._zone)
        self.open_dialog = dialog
        try:
            return await _run_dialog(dialog)
        finally:
            self.open_dialog = None

    async def _ask_copy(self, title: str, preview: CopyPreview) -> bool:
        dialog = CopyPreviewDialog(self, title=title, preview=preview, zone=self._zone)
        self.open_dialog = dialog
        try:
            return await _run_dialog(dialog)
        finally:
            self.open_dialog = None

def _group(parent: QWidget, widgets: tuple[QWidget, ...]) -> QWidget:
    """Widgets side by side that wrap as one (a flow layout moves the group, never splits it)."""
    group = QWidget(parent)
    row = QHBoxLayout(group)
    row.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        row.addWidget(widget)
    return group


def held_reason(shift: ShiftRow, proposal: Proposal) -> str | None:
    """The reason already recorded on ``shift``, if it still covers the warnings at the proposed place.

    It holds while the same rules warn about the same anchors, rooms and shows:
    a nudge moves the times and minutes a warning quotes (rest, minutes in a
    row), and asking again at every 15-minute step is what managers stop
    reading. A new rule warning, or another anchor, asks again.
    """
    if not shift.override_reason or not shift.warnings or not proposal.warning_messages:
        return None
    if {_warning_key(m) for m in proposal.warning_messages} != {_warning_key(m) for m in shift.warnings}:
        return None
    return shift.override_reason


def _warning_key(message: Message | str) -> object:
    if not isinstance(message, Message):
        return message
    return message.id, tuple(sorted((k, v) for k, v in message.values.items() if isinstance(v, str)))


def _elided(text: str, widget: QWidget, width: int) -> str:
    return widget.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, width)


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"
