"""Roster: the manager's week board (drag, undo, publish, requests), or an anchor's own shifts.

The page builds the screen, shows the week and its filters, and moves between
weeks; its parts do the rest: the :class:`~ui.views.roster_editor.BoardEditor`
(every edit, the undo stack, copies, templates, publishing), the
:class:`~ui.views.roster_requests.RequestTabs` (time off and swaps to decide,
shifts needing attention), the :class:`~ui.views.roster_files.RosterFiles` (importing and
exporting roster files) and, for anchors, :class:`~ui.views.roster_mine.MyShifts`.
The page's questions are attributes (``reason_prompt``, ``new_shift_prompt`` ...)
so a test can answer them without a dialog; otherwise they are the dialogs of
:class:`~ui.views.roster_prompts.RosterPrompts`. The header's week, copy, people,
import, export and publish buttons stand for the registry's roster actions (:meth:`set_actions`):
a key and a click are one operation, behind one guard.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
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
from console.domain.enums import ShiftRole
from console.domain.permissions import Permission
from console.domain.values import ShiftRow, SwapRow, TemplateRow, TimeOffRow
from console.i18n import Message
from console.services.worker import DbWorker
from ui.actions import ROSTER, ActionButton, ActionRegistry
from ui.i18n import render, texts
from ui.layouts import FlowLayout
from ui.models.week import WeekModel
from ui.operations import FAILED, Trigger
from ui.views.page import Page
from ui.views.people import PeopleDialog
from ui.views.roster_dialogs import answer, run_dialog
from ui.views.roster_editor import BoardEditor
from ui.views.roster_files import RosterFiles, import_summary
from ui.views.roster_filters import BoardFilters
from ui.views.roster_mine import MyShifts
from ui.views.roster_prompts import RosterPrompts
from ui.views.roster_requests import RequestTabs
from ui.views.week_board import BOARD_KEYS, WeekBoard

if TYPE_CHECKING:
    from console.services.registry import Services
    from console.services.roster import RosterWeek

# How far ahead the "Needs attention" list looks for flagged shifts.
ATTENTION_DAYS = 120
PREVIOUS_WEEK, THIS_WEEK, NEXT_WEEK = "roster.previous_week", "roster.this_week", "roster.next_week"
COPY_WEEK, PEOPLE, PUBLISH = "roster.copy_last_week", "roster.people", "roster.publish"
IMPORT, EXPORT = "roster.import", "roster.export"


class RosterPage(Page):
    view_name = "roster"
    scope = ROSTER
    own_keys = BOARD_KEYS
    key_context = "WeekBoard"
    watches = frozenset({"shift", "anchor", "live_room", "time_off", "shift_swap", "shift_template", "store"})

    def __init__(self, services: Services, worker: DbWorker, timezone: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, worker, parent)
        self._timezone = timezone
        self.zone = ZoneInfo(timezone)
        self.roster = services.roster
        self.manager = services.actor.may(Permission.EDIT_ROSTER)
        self.may_publish = services.actor.may(Permission.PUBLISH_ROSTER)
        self.week_start = week_start(datetime.now(UTC), timezone)
        self._actions: dict[str, QAction] = {}     # the registry's roster actions, once set_actions gives them
        self.people_dialog: PeopleDialog | None = None   # while it is open (tests drive it)

        self.coming_label.hide()   # nothing left to come: import and export are on the header
        self.model = WeekModel(timezone, self)
        self.pages = QStackedWidget(self)
        self.body.addWidget(self.pages, 1)
        self._build_board()
        self.mine = MyShifts(self, self.pages, timezone)
        self.pages.setCurrentWidget(self.board_page if self.manager else self.mine.widget)
        self.prompts = RosterPrompts(self, self.model, self.zone, self.editor.publish_lines)
        self.files = RosterFiles(self, services.roster_files, worker, self.zone)
        # Questions a test may answer instead of a dialog; each returns the answer or None, at once or awaitably.
        self.reason_prompt: Callable[[list[str]], Any] = self.prompts.reason
        self.new_shift_prompt: Callable[..., Any] = self.prompts.new_shift
        self.publish_prompt: Callable[..., Any] = self.prompts.publish
        self.copy_prompt: Callable[..., Any] = self.prompts.copy      # (title, the copy's preview) -> copy?
        self.text_prompt: Callable[[str, str], Any] = self.prompts.text
        # (title, intro, go-ahead button, the shifts a change would strand) -> go ahead?
        self.stranded_prompt: Callable[[str, str, str, list[ShiftRow]], Any] = self.prompts.stranded
        self.time_off_prompt: Callable[[], Any] = self.prompts.time_off
        self.swap_prompt: Callable[..., Any] = self.prompts.swap
        # The parts' widgets, as the page is read (by tests, and by whoever looks for a button on it).
        self.rooms_button, self.anchors_button = self.filters.rooms_button, self.filters.anchors_button
        self.zoom_combo, self.legend_items = self.filters.zoom_combo, self.filters.legend_items
        self.undo_stack, self.undo_button = self.editor.undo_stack, self.editor.undo_button
        self.template_button = self.editor.template_button
        self.time_off_list, self.approve_time_off = self.requests.time_off_list, self.requests.approve_time_off
        self.attention_list = self.requests.attention_list
        self.my_model, self.mine_page, self.mine_view = self.mine.model, self.mine.widget, self.mine.view
        self.time_off_button, self.swap_button = self.mine.time_off_button, self.mine.swap_button
        self.mine_message = self.mine.message
        # What the page is driven by (scripts, tests): its parts' own.
        self.move, self.create, self.remove = self.editor.move, self.editor.create, self.editor.remove
        self.publish_lines, self.ask_time_off = self.editor.publish_lines, self.mine.ask_time_off
        self._ask_publish = self.prompts.publish   # the real dialog, as tests/ui/test_first_use_screens opens it
        self.model.hours_changed.connect(self._show_hours)
        self.model.dataChanged.connect(self._on_cells_changed)
        self.retranslate()

    @property
    def open_dialog(self) -> QDialog | None:
        """The prompt open now, if any (tests answer it through its widgets)."""
        return self.prompts.open_dialog or self.files.open_dialog

    @property
    def busy(self) -> bool:
        """An operation, or an undo step, is under way."""
        return self.ops.busy or self.editor.stepping

    # --- building -----------------------------------------------------------------------
    def _build_board(self) -> None:
        self.board_page = QWidget(self.pages)
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
        self.side_tabs.addTab(self.hours_list, "")
        self.filters = BoardFilters(self.board_page, self.model, self.board)
        self.editor = BoardEditor(self, self.board_page)
        self.requests = RequestTabs(self, self.side_tabs)

        self.prev_button = QToolButton(self.board_page)
        self.prev_button.setText("◀")
        self.this_week_button = QPushButton(self.board_page)
        self.next_button = QToolButton(self.board_page)
        self.next_button.setText("▶")
        self.week_label = QLabel(self.board_page)
        self.week_label.setObjectName("WeekLabel")
        self.week_label.setStyleSheet("QLabel#WeekLabel { font-size: 16px; font-weight: 600; padding: 0 10px; }")
        self.copy_button = QPushButton(self.board_page)
        self.people_button = QPushButton(self.board_page)
        self.import_button = QPushButton(self.board_page)
        self.import_button.setObjectName("RosterImportButton")
        self.export_button = QPushButton(self.board_page)
        self.export_button.setObjectName("RosterExportButton")
        self.publish_button = QPushButton(self.board_page)
        self.publish_button.setObjectName("PublishButton")   # styled by the theme (resources/themes)
        editor = self.editor
        # self.manager is Permission.EDIT_ROSTER, which anchors and rooms need too.
        for w in (editor.undo_button, editor.redo_button, self.copy_button, editor.template_button,
                  self.people_button, self.import_button, self.export_button):
            w.setVisible(self.manager)
        self.publish_button.setVisible(self.may_publish)
        self.hint_label = QLabel(self.board_page)
        self.hint_label.setObjectName("PageIntro")
        self.hint_label.setWordWrap(True)   # two lines on a narrow screen rather than a cut-off one
        self.board.selection_changed.connect(lambda _s: self._show_hint())

        # Two rows that wrap rather than clip on a narrow screen (1024 px): the week and its
        # actions, then the lanes, filters and legend; what does not fit moves to a line below.
        header = FlowLayout()
        header.add_widget(_group(self.board_page, (self.prev_button, self.this_week_button, self.next_button,
                                                   self.week_label)))
        self.actions_group = _group(self.board_page, (editor.undo_button, editor.redo_button, self.copy_button,
                                                      editor.template_button, self.people_button,
                                                      self.import_button, self.export_button,
                                                      self.publish_button))
        header.add_widget(self.actions_group, right=True)
        layout = QVBoxLayout(self.board_page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(header)
        layout.addLayout(self.filters.row)
        layout.addWidget(self.hint_label)
        self.splitter.addWidget(self.board)
        self.splitter.addWidget(self.side_tabs)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([560, 150])
        layout.addWidget(self.splitter, 1)
        self.pages.addWidget(self.board_page)

    def set_actions(self, registry: ActionRegistry) -> None:
        """Let the registry's roster actions drive the header's buttons (the main window, once it bound them).

        Each button triggers its action and is enabled as the action is, so the
        runner disabling an action (its ``trigger=``) disables its button too.
        The actions outlive this window: who may use them is set here.
        """
        self._actions = {spec.id: registry[spec.id] for spec in registry.specs(ROSTER)}
        for action_id, button, shows in ((PREVIOUS_WEEK, self.prev_button, "tooltip"),
                                         (THIS_WEEK, self.this_week_button, "text"),
                                         (NEXT_WEEK, self.next_button, "tooltip"),
                                         (COPY_WEEK, self.copy_button, "text"),
                                         (PEOPLE, self.people_button, "text"),
                                         (IMPORT, self.import_button, "text"),
                                         (EXPORT, self.export_button, "text"),
                                         (PUBLISH, self.publish_button, "")):   # its text says what is to publish
            ActionButton(button, self._actions[action_id], shows)
        for action_id in (PREVIOUS_WEEK, THIS_WEEK, NEXT_WEEK, COPY_WEEK, PEOPLE, IMPORT, EXPORT):
            self._actions[action_id].setEnabled(self.manager)
        self._update_publish()

    # --- words ---------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title_label.setText(self.tr("Roster") if self.manager else self.tr("My shifts"))
        self.intro_label.setText(
            self.tr("Drag on a lane to add a shift, drag a block to move it, drag its right edge to change "
                    "its end. Impossible positions turn red and are refused; warnings need a reason.")
            if self.manager else
            self.tr("Your published shifts for the coming weeks. Ask for time off or offer a shift to a "
                    "colleague; your store manager decides."))
        board_texts = self.board.texts
        board_texts.refused = self.tr("Not possible at %1:")
        board_texts.warned = self.tr("Allowed at %1, with a reason:")
        board_texts.draft = self.tr("Draft (not published yet)")
        board_texts.published = self.tr("Published")
        board_texts.changed = self.tr("Changed since it was published")
        board_texts.override = self.tr("Reason given: %1")
        board_texts.attention = self.tr("Needs moving or reassigning:")
        board_texts.rooms_corner = self.tr("Live rooms")
        board_texts.anchors_corner = self.tr("Anchors")
        board_texts.hours = self.tr("%1 / %2 h")
        board_texts.today = self.tr("today")
        board_texts.today_date = self.tr("Today %1")
        board_texts.empty = self.tr("Nothing to show with these filters.")
        self.side_tabs.setTabText(0, self.tr("Hours this week"))
        for part in (self.filters, self.editor, self.requests, self.mine):
            part.retranslate()
        self._show_week_label()
        self._show_hours()
        self._update_publish()
        self._show_hint()
        self.model.retranslate()
        self.board.viewport().update()

    def _show_week_label(self) -> None:
        first = self.week_start.astimezone(self.zone).date()
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
        self.requests.show_attention()

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
        if PUBLISH in self._actions:
            self._actions[PUBLISH].setEnabled(self.may_publish and count > 0)

    async def ask_reason(self, warnings: Sequence[Message]) -> str | None:
        """The manager's reason to go ahead despite the rules' warnings, through ``reason_prompt``."""
        given = await answer(self.reason_prompt(texts(warnings)))
        return given.strip() if isinstance(given, str) and given.strip() else None

    # --- loading -----------------------------------------------------------------------------
    async def load(self) -> None:
        if self.manager:
            await self._load_board(None)
        else:
            await self.mine.load()

    async def _load_board(self, trigger: Trigger | Iterable[Trigger] | None) -> None:
        # One trip to the worker for everything the board shows: the screen is whole when it returns.
        fetched = await self.ops.run(self._fetch_board, self.week_start, trigger=trigger)
        if fetched is FAILED:
            return
        week, time_off, swaps, templates, attention = fetched
        self._show_board(week)
        self.editor.set_templates(templates)
        self.requests.set_requests(time_off, swaps, attention)

    def _fetch_board(self, start: datetime) -> tuple[RosterWeek, list[TimeOffRow], list[SwapRow], list[TemplateRow],
                                                     list[ShiftRow]]:
        """On the worker: the week, open requests, templates and flagged shifts (service calls only)."""
        now = datetime.now(UTC)
        roster = self.roster
        return (roster.week(start), roster.time_off_between(now - timedelta(days=1), now + timedelta(days=120)),
                roster.swaps(), roster.templates(),
                roster.shifts_needing_attention(now, now + timedelta(days=ATTENTION_DAYS)))

    def _show_board(self, week: RosterWeek) -> None:
        self.model.set_week(week)
        if week.rooms:
            opens = min(r.opens_at.hour for r in week.rooms)
            closes = max(24 if r.closes_at <= r.opens_at else r.closes_at.hour + (r.closes_at.minute > 0)
                         for r in week.rooms)
            # The rooms' opening hours are all a shift may use: nothing else earns screen width.
            self.board.set_hours(opens * 60, min(closes, 24) * 60)
        self.board.set_time_off(week.time_off)
        self.board.set_now(datetime.now(UTC))
        self.filters.fill_lanes()
        self._show_week_label()
        self._show_hours()

    # --- weeks and filters ------------------------------------------------------------------------
    @asyncSlot()
    async def go_week(self, step: int) -> None:
        """The week before (-1) or after (1) the one shown, or this week (0)."""
        if step == 0:
            start = week_start(datetime.now(UTC), self._timezone)
        else:
            local = self.week_start.astimezone(self.zone).date() + timedelta(weeks=step)
            start = datetime.combine(local, time(), self.zone).astimezone(UTC)
        await self._go_to(start, [self._actions[a] for a in (PREVIOUS_WEEK, THIS_WEEK, NEXT_WEEK)
                                  if a in self._actions])

    async def show_flagged(self, shift_id: UUID, starts_at: datetime, *, trigger: Trigger | None = None) -> None:
        """Go to the week of a flagged shift and select it on the board."""
        if self.model.shift(shift_id) is None:
            await self._go_to(week_start(starts_at, self._timezone), trigger)
        self.board.select_shift(shift_id)
        self.board.setFocus()

    async def _go_to(self, start: datetime, trigger: Trigger | Iterable[Trigger] | None) -> None:
        self.week_start = start
        self.problem_label.hide()
        await self._load_board(trigger)

    def set_filters(self, *, room: UUID | None = None, anchor: UUID | None = None,
                    role: ShiftRole | None = None) -> None:
        """Choose filters as the combo boxes would (for keyboard users' scripts and tests)."""
        self.filters.set_filters(room=room, anchor=anchor, role=role)

    # --- what the window's actions call: edit.undo and edit.redo, and the roster's own ----------------
    def undo(self) -> None:
        self.editor.undo()

    def redo(self) -> None:
        self.editor.redo()

    @asyncSlot()
    async def on_copy_week(self) -> None:
        await self.editor.copy_last_week(trigger=self._actions.get(COPY_WEEK))

    @asyncSlot()
    async def on_publish(self) -> None:
        await self.editor.publish(trigger=self._actions.get(PUBLISH))

    @asyncSlot()
    async def on_import_roster(self) -> None:
        """A roster file's rows, previewed with their problems, imported all or nothing."""
        if not self.manager:
            return
        done = await self.files.import_roster(trigger=self._actions.get(IMPORT))
        if done is not None and isValid(self):
            # The board reloads through the stream of changes (the dialog's import is not the page's own).
            self.window().statusBar().showMessage(import_summary(done), 20_000)

    @asyncSlot()
    async def on_export_roster(self) -> None:
        """The week on the board, or chosen days, written as CSV, Excel or iCalendar."""
        if not self.manager:
            return
        await self.files.export_roster(self.week_start.astimezone(self.zone).date())

    @asyncSlot()
    async def on_people(self) -> None:
        await self.edit_people()

    async def edit_people(self) -> None:
        """Anchors, live rooms and the rules' limits; the week reloads if anything changed."""
        if self.people_dialog is not None:
            return
        dialog = PeopleDialog(self.roster, self._worker, self)
        self.people_dialog = dialog
        try:
            await dialog.load()
            await run_dialog(dialog)
        finally:
            self.people_dialog = None
        if dialog.changed and isValid(self):   # the window may have closed under the dialog
            await self.refresh()


def _group(parent: QWidget, widgets: tuple[QWidget, ...]) -> QWidget:
    """Widgets side by side that wrap as one (a flow layout moves the group, never splits it)."""
    group = QWidget(parent)
    row = QHBoxLayout(group)
    row.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        row.addWidget(widget)
    return group


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"
