"""Broadcasts: the shows, upcoming first, and the selected show's queue editor (the run-of-show, 排品).

The page lists the shows and, for the selected one, its queue with the
ready-gate on every item, the planned time against the window, and "Mark
ready". Its parts do the rest: the :class:`~ui.views.queue_search.AddBar`
(search as you type, the scanner, sets and past shows), the
:class:`~ui.views.queue_editor.QueueEditor` (every edit an operation, an undo
stack per show) and the :class:`~ui.models.queue.QueueEditorModel` (drag and
drop, values typed in place). The keys are the registry's "broadcasts"
actions; the buttons stand for them. A reload from the stream of changes
keeps the selected show and the selected items.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractTableModel, QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QPushButton, QSplitter, QToolButton, QVBoxLayout, QWidget,
)
from qasync import asyncSlot
from shiboken6 import isValid

from console.domain.enums import BroadcastStatus
from console.domain.errors import BroadcastNotReady
from console.domain.permissions import Permission
from console.domain.values import BroadcastRow, QueueChange, ReadyCheck, RoomRow
from console.services.worker import DbWorker
from ui.actions import BROADCASTS, ActionButton, ActionRegistry
from ui.models.queue import QueueEditorModel
from ui.models.tables import BroadcastTableModel
from ui.operations import FAILED
from ui.views.broadcast_plan import PlanBroadcastDialog, PlanRequest
from ui.views.page import Page, make_table
from ui.views.queue_editor import QueueEditor
from ui.views.queue_header import QueueHeader
from ui.views.queue_prompts import QueuePrompts, TermsDelegate
from ui.views.queue_search import AddBar, fit_columns
from ui.views.roster_dialogs import answer

if TYPE_CHECKING:
    from console.services.registry import Services

EDITABLE = frozenset({BroadcastStatus.PLANNED, BroadcastStatus.READY})
PAST_SHOWS = 100
# Months of a busy store's shows ahead: a show planned far out is on the list it was planned from.
SHOWS_AHEAD = 2000
BROADCAST_TITLE = 2     # the list's column that takes the room left
# The page's actions that change the queue: off while the show on screen cannot be edited.
EDIT_ACTIONS = ("broadcasts.move_up", "broadcasts.move_down", "broadcasts.remove", "broadcasts.pin",
                "broadcasts.search", "broadcasts.scan", "broadcasts.mark_ready")


class BroadcastsPage(Page):
    view_name = "broadcasts"
    scope = BROADCASTS
    watches = frozenset({"broadcast", "queue_item", "product", "store_product", "quality_document", "live_room",
                         "shift", "anchor", "product_set", "price_history"})

    def __init__(self, services: Services, worker: DbWorker, timezone: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, worker, parent)
        self.coming_label.hide()
        self._timezone = timezone
        self.queue = services.queue
        self.broadcasts = services.broadcasts
        self.may_plan = services.actor.may(Permission.PLAN_BROADCASTS)
        self.selected_id: UUID | None = None       # the show whose queue is on the screen
        self._queue_asked = 0
        self._actions: dict[str, QAction] = {}
        self.prompts = QueuePrompts(self, timezone)
        # Questions a test may answer instead of a dialog; each returns the answer or None, at once or awaitably.
        self.copy_prompt: Callable[[list[BroadcastRow]], Any] = self.prompts.copy_source
        self.text_prompt: Callable[[str, str], Any] = self.prompts.text
        self.plan_prompt: Callable[[list[RoomRow], BroadcastRow | None], Any] = self._ask_plan
        self.confirm_prompt: Callable[[str, str], Any] = self.prompts.confirm

        self.broadcast_model = BroadcastTableModel(timezone, self)
        self.queue_model = QueueEditorModel(timezone, self)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        self.broadcast_view = make_table(self.broadcast_model, splitter)
        self.broadcast_view.setObjectName("BroadcastList")
        editor_panel = QWidget(splitter)
        self._build_editor(editor_panel)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        plan_bar = QHBoxLayout()
        self.new_button, self.change_button, self.cancel_button = (QPushButton(self) for _ in range(3))
        for button in (self.new_button, self.change_button, self.cancel_button):
            plan_bar.addWidget(button)
            button.setVisible(self.may_plan)
        plan_bar.addStretch(1)
        self.body.addLayout(plan_bar)
        self.body.addWidget(splitter, 1)
        self.editor = QueueEditor(self)
        self.undo_stack_changed()
        self.editor.group.indexChanged.connect(lambda _i: self.undo_stack_changed())
        self.editor.group.activeStackChanged.connect(lambda _s: self.undo_stack_changed())
        self.broadcast_view.selectionModel().selectionChanged.connect(self._on_selected)
        self.queue_model.move_requested.connect(self._on_move_requested)
        self.queue_model.edit_requested.connect(self._on_edit_requested)
        self.queue_model.refused.connect(lambda why: self.show_problem(
            why, lambda text: self.tr("Not changed: %1").replace("%1", text)))
        self.add_bar.add_requested.connect(self._on_add_requested)
        self.add_bar.code_scanned.connect(self._on_code_scanned)
        self.add_bar.set_chosen.connect(self._on_set_chosen)
        self.add_bar.copy_chosen.connect(self._on_copy_chosen)
        self.add_bar.save_chosen.connect(self._on_save_chosen)
        self.retranslate()

    def _build_editor(self, panel: QWidget) -> None:
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(6)
        self.header = QueueHeader(self.broadcast_model, panel)
        self.header.undo_button.clicked.connect(self.undo)
        self.header.redo_button.clicked.connect(self.redo)
        # The header's parts, as the page is read (by tests, and by whoever looks for a label on it).
        self.queue_caption, self.timing_label = self.header.caption, self.header.timing_label
        self.ready_report, self.notice_label = self.header.ready_report, self.header.notice_label
        self.undo_button, self.redo_button = self.header.undo_button, self.header.redo_button
        self.ready_button = self.header.ready_button
        layout.addWidget(self.header)
        self.add_bar = AddBar(self.ops, self._services.catalog.search, self._timezone, panel)
        self.up_button, self.down_button = QToolButton(panel), QToolButton(panel)
        self.up_button.setText("↑")
        self.down_button.setText("↓")
        self.pin_button, self.remove_button = QPushButton(panel), QPushButton(panel)
        for button in (self.up_button, self.down_button, self.pin_button, self.remove_button):
            self.add_bar.buttons.addWidget(button)
        layout.addWidget(self.add_bar)
        self.queue_view = make_table(self.queue_model, panel)
        self.queue_view.setObjectName("QueueTable")
        view = self.queue_view
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.SelectedClicked)
        view.setItemDelegate(TermsDelegate(view))
        view.setDragEnabled(True)
        view.setAcceptDrops(True)
        view.setDropIndicatorShown(True)
        view.setDragDropOverwriteMode(False)
        view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        view.setDefaultDropAction(Qt.DropAction.MoveAction)
        layout.addWidget(view, 1)

    def set_actions(self, actions: ActionRegistry) -> None:
        """The queue's keys are this screen's actions: the buttons stand for them."""
        self._actions = {spec.id: actions[spec.id] for spec in actions.specs(BROADCASTS)}
        for button, action_id, shows in ((self.up_button, "broadcasts.move_up", "tooltip"),
                                         (self.down_button, "broadcasts.move_down", "tooltip"),
                                         (self.pin_button, "broadcasts.pin", ""),
                                         (self.remove_button, "broadcasts.remove", ""),
                                         (self.ready_button, "broadcasts.mark_ready", "text"),
                                         (self.new_button, "broadcasts.new", "text"),
                                         (self.change_button, "broadcasts.change", "text"),
                                         (self.cancel_button, "broadcasts.cancel", "text")):
            ActionButton(button, self._actions[action_id], shows)
        self._show_editable()

    def retranslate(self) -> None:
        self.title_label.setText(self.tr("Broadcasts"))
        self.intro_label.setText(self.tr(
            "Upcoming shows first. Build the selected show's queue: search or scan to add, drag or Ctrl+↑/↓ "
            "to reorder, double-click a link, price, deal, duration or stock to change it."))
        self.pin_button.setText(self.tr("Pin link"))
        self.remove_button.setText(self.tr("Remove"))
        self.add_bar.retranslate()
        self.header.retranslate()
        self.undo_stack_changed()
        for model in (self.broadcast_model, self.queue_model, self.add_bar.results):
            _texts_changed(model)

    # --- the shows ---------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """An operation, or an undo step, is under way."""
        return self.ops.busy or self.editor.stepping

    @property
    def broadcast(self) -> BroadcastRow | None:
        return next((b for b in self.broadcast_model.rows() if b.id == self.selected_id), None)

    def _list_shows(self) -> list[BroadcastRow]:
        """On the worker: the shows to come (and on air), earliest first, then the past ones, latest first."""
        return self.broadcasts.upcoming(limit=SHOWS_AHEAD) + self.broadcasts.recent(limit=PAST_SHOWS)

    async def load(self) -> None:
        rows = await self.call(self._list_shows)
        self.broadcast_model.set_rows(rows)
        fit_columns(self.broadcast_view, BROADCAST_TITLE)
        self._show_editable()       # the shown show's new status (cancelled, say), before its queue is in
        await self.load_sets()
        keep = self.selected_id if any(b.id == self.selected_id for b in rows) else None
        if keep is None and rows:
            keep = rows[0].id
        self._select_show(keep)
        await self._show_queue(keep)

    async def load_sets(self) -> None:
        if self.may_plan:
            self.add_bar.show_sets(await self.call(self.queue.product_sets))

    def _select_show(self, broadcast_id: UUID | None) -> None:
        """Select the show's row without the selection slot (the caller loads its queue)."""
        selection = self.broadcast_view.selectionModel()
        selection.blockSignals(True)
        try:
            row = next((n for n, b in enumerate(self.broadcast_model.rows()) if b.id == broadcast_id), None)
            if row is None:
                selection.clearSelection()
            else:
                self.broadcast_view.selectRow(row)
                self.broadcast_view.scrollTo(self.broadcast_model.index(row, 0))
        finally:
            selection.blockSignals(False)

    async def select_broadcast(self, broadcast_id: UUID) -> None:
        """Show this broadcast's queue (awaitable, for tests and scripts)."""
        self._select_show(broadcast_id)
        await self._show_queue(broadcast_id)

    @asyncSlot(QItemSelection, QItemSelection)
    async def _on_selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes:
            await self._show_queue(self.broadcast_model.value(indexes[0].row()).id, failures_shown=True)

    async def _show_queue(self, broadcast_id: UUID | None, *, failures_shown: bool = False) -> None:
        """Load the show's queue; only the newest asked is shown (clicking down the list never lags)."""
        self._queue_asked += 1
        asked = self._queue_asked
        if broadcast_id is None:
            change: Any = None
        elif failures_shown:
            change = await self.ops.run(self.queue.current, broadcast_id, holds=False)
            if change is FAILED:
                return
        else:
            change = await self.call(self.queue.current, broadcast_id)
        if asked != self._queue_asked or not isValid(self):
            return
        same = broadcast_id == self.selected_id
        self.selected_id = broadcast_id
        self.editor.show_broadcast(broadcast_id)
        if not same:
            self.header.forget()
            self.problem_label.hide()
        if change is None:
            self.queue_model.set_rows([])
        elif same:
            self.queue_model.apply_change(change)
        else:
            self.queue_model.show_queue(change)
            fit_columns(self.queue_view, QueueEditorModel.GATE)     # the gate's reasons take the room left
            if change.rows:
                self.queue_view.selectRow(0)
        self._after_change(change)

    # --- what a change shows --------------------------------------------------------------------
    def show_change(self, change: QueueChange) -> None:
        """An edit's result: the rows it changed, the time against the window, and what else it did."""
        if change.broadcast_id != self.selected_id:
            return
        self.queue_model.apply_change(change)
        self.queue_view.resizeColumnToContents(QueueEditorModel.LINK)    # "#12 (pinned)" is wider than "#12"
        self.header.say([*change.notices, *([change.unready] if change.unready is not None else [])])
        self._after_change(change)

    def _after_change(self, change: QueueChange | None) -> None:
        row = self.broadcast
        if change is not None and row is not None and (row.status, row.queue_length) != (
                change.status, len(change.rows)):
            self.broadcast_model.put(replace(row, status=change.status, queue_length=len(change.rows)),
                                     key=lambda b: b.id)
        if change is not None:
            self.header.follow(change.readiness)
        self.add_bar.show_queued(self.queue_model.lines())
        self.header.show_broadcast(self.broadcast, change.timing if change is not None else None)
        self._show_editable()

    def _show_editable(self) -> None:
        row = self.broadcast
        editable = self.may_plan and row is not None and row.status in EDITABLE
        self.queue_model.editable = editable
        self.add_bar.set_editable(editable)
        for action_id in EDIT_ACTIONS:
            action = self._actions.get(action_id)
            # While an operation runs, its trigger is the runner's to enable again.
            if action is not None and not self.ops.busy:
                action.setEnabled(editable)
        for action_id, enabled in (("broadcasts.new", self.may_plan), ("broadcasts.change", editable),
                                   ("broadcasts.cancel", editable)):
            action = self._actions.get(action_id)
            if action is not None and not self.ops.busy:
                action.setEnabled(enabled)

    # --- undo ---------------------------------------------------------------------------------------
    def undo_stack_changed(self) -> None:
        # The group empties itself while the page is destroyed; nothing to show then.
        if hasattr(self, "editor") and isValid(self.header):
            self.header.show_undo(self.editor.undo_stack)

    def undo(self) -> None:
        self.editor.undo()

    def redo(self) -> None:
        self.editor.redo()

    # --- the selection ------------------------------------------------------------------------------
    def selected_items(self) -> list[UUID]:
        """The selected queue items, in queue order."""
        rows = sorted(i.row() for i in self.queue_view.selectionModel().selectedRows())
        return [self.queue_model.value(r).id for r in rows]

    def select_items(self, item_ids: Sequence[UUID]) -> None:
        rows = [r for r in (self.queue_model.row_of(i) for i in item_ids) if r is not None]
        if not rows:
            return
        selection = self.queue_view.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Rows
        selection.select(self.queue_model.index(rows[0], 0),
                         QItemSelectionModel.SelectionFlag.ClearAndSelect | flags)
        for r in rows[1:]:
            selection.select(self.queue_model.index(r, 0), QItemSelectionModel.SelectionFlag.Select | flags)
        selection.setCurrentIndex(self.queue_model.index(rows[0], 0), QItemSelectionModel.SelectionFlag.NoUpdate)
        self.queue_view.scrollTo(self.queue_model.index(rows[-1], 0))

    # --- the actions' handlers ------------------------------------------------------------------------
    async def move_selected(self, step: int) -> None:
        ids = self.selected_items()
        if not ids:
            return
        first = min(r for r in (self.queue_model.row_of(i) for i in ids) if r is not None)
        to_index = first + step
        if to_index < 0 or to_index + len(ids) > self.queue_model.rowCount():
            return
        await self.editor.move(ids, to_index, nudge=True)

    async def remove_selected(self) -> None:
        await self.editor.remove(self.selected_items())

    async def toggle_pin(self) -> None:
        await self.editor.toggle_pins(self.selected_items())

    def focus_search(self) -> None:
        self.add_bar.focus_search()

    def focus_scan(self) -> None:
        self.add_bar.focus_scan()

    def _mark_ready(self, broadcast_id: UUID) -> tuple[ReadyCheck | BroadcastNotReady, BroadcastRow]:
        """On the worker: the gate's answer (a refusal is an answer here, each block shown) and the show now."""
        try:
            result: ReadyCheck | BroadcastNotReady = self.broadcasts.mark_ready(broadcast_id)
        except BroadcastNotReady as refused:
            result = refused
        return result, self.broadcasts.get(broadcast_id)

    @property
    def closed(self) -> bool:
        """The window went away while a worker call ran: nothing is left to show its answer on."""
        return not isValid(self)

    # --- planning the shows --------------------------------------------------------------------------
    async def _ask_plan(self, rooms: list[RoomRow], shown: BroadcastRow | None) -> PlanRequest | None:
        today = datetime.now(ZoneInfo(self._timezone)).date()
        dialog = PlanBroadcastDialog(self, rooms, self._timezone, today, shown)
        return dialog.request() if await self.prompts.run(dialog) else None

    async def on_new_broadcast(self) -> None:
        if self.may_plan:
            await self._plan(None)

    async def on_change_broadcast(self) -> None:
        row = self.broadcast
        if self.may_plan and row is not None and row.status in EDITABLE:
            await self._plan(row)

    async def _plan(self, shown: BroadcastRow | None) -> None:
        rooms = await self.call(self._services.roster.rooms)
        asked = await self.plan_prompt(rooms, shown)
        if asked is None or self.closed:
            return
        plans = self._services.broadcast_plans
        trigger = self._actions.get("broadcasts.new" if shown is None else "broadcasts.change")
        if shown is None:
            row = await self.ops.run(plans.plan, title=asked.title, room_id=asked.room_id,
                                     starts_at=asked.starts_at, ends_at=asked.ends_at, brand=asked.brand,
                                     category=asked.category, trigger=trigger)
        else:
            row = await self.ops.run(plans.reschedule, shown.id, title=asked.title, room_id=asked.room_id,
                                     starts_at=asked.starts_at, ends_at=asked.ends_at, trigger=trigger)
        if row is FAILED or self.closed:
            return
        self.problem_label.hide()
        await self.load()
        await self.select_broadcast(row.id)

    async def on_cancel_broadcast(self) -> None:
        row = self.broadcast
        if not self.may_plan or row is None or row.status not in EDITABLE:
            return
        sure = await self.confirm_prompt(
            self.tr("Cancel broadcast"),
            self.tr("Cancel “%1”? It stays on the list as cancelled, with its queue, and its room is free "
                    "again.").replace("%1", row.title))
        if not sure or self.closed:
            return
        done = await self.ops.run(self._services.broadcast_plans.cancel, row.id,
                                  trigger=self._actions.get("broadcasts.cancel"))
        if done is FAILED or self.closed:
            return
        await self.load()

    async def on_mark_ready(self) -> None:
        if self.selected_id is None:
            return
        done = await self.ops.run(self._mark_ready, self.selected_id, trigger=self._actions.get(
            "broadcasts.mark_ready"), progress=self.tr("Checking the queue…"))
        if done is FAILED:
            return
        result, row = done
        self.broadcast_model.put(row, key=lambda b: b.id)
        self.problem_label.hide()
        refusal = result if isinstance(result, BroadcastNotReady) else None
        # Refused: every block by link number (red), and the warnings (amber); ready: the warnings still said.
        self.header.show_refusal(refusal)
        self.header.say(result.warnings, marked_ready=refusal is None)
        self.header.show_broadcast(row, self.header.timing)
        self._show_editable()

    # --- the parts' requests ----------------------------------------------------------------------------
    @asyncSlot(list)
    async def _on_add_requested(self, product_ids: list[UUID]) -> None:
        await self.editor.add_products(product_ids)

    @asyncSlot(str)
    async def _on_code_scanned(self, code: str) -> None:
        await self.editor.add_by_code(code)

    @asyncSlot(object, str)
    async def _on_set_chosen(self, set_id: UUID, name: str) -> None:
        await self.editor.add_set(set_id, name)

    @asyncSlot()
    async def _on_copy_chosen(self) -> None:
        others = [b for b in self.broadcast_model.rows() if b.id != self.selected_id and b.queue_length]
        if not others:
            self.show_problem(self.tr("No other broadcast has a queue to copy."))
            return
        source = await answer(self.copy_prompt(others))
        if source is not None:
            await self.editor.copy_queue(source.id, source.title)

    @asyncSlot()
    async def _on_save_chosen(self) -> None:
        name = await answer(self.text_prompt(self.tr("Save as product set"), self.tr("Name of the set:")))
        if name:
            await self.editor.save_as_set(name)

    @asyncSlot(list, int)
    async def _on_move_requested(self, item_ids: list[UUID], to_index: int) -> None:
        await self.editor.move(item_ids, to_index, previewed=True)

    @asyncSlot(object, int, object)
    async def _on_edit_requested(self, item_id: UUID, column: int, value: Any) -> None:
        await self.editor.set_value(item_id, column, value)


def _texts_changed(model: QAbstractTableModel) -> None:
    """Every header and cell again (the language changed): the views repaint them."""
    columns, rows = model.columnCount(), model.rowCount()
    if columns:
        model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, columns - 1)
    if columns and rows:
        model.dataChanged.emit(model.index(0, 0), model.index(rows - 1, columns - 1))
