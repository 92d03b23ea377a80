"""The week board's editor: every edit a roster-service operation, kept on the undo stack.

It is the :class:`ui.commands.ShiftEditor` the undo commands work through.
Each edit (a drag, a key, a drawn span, a copied week, publishing) runs as
one of the page's operations: the worker does the service call, a warning
asks the manager for a reason (the page's :meth:`~ui.views.page.Page.ask_reason`)
and runs it again with it, a refusal is shown on the page, and the returned
``RosterChange`` goes to the week model, which repaints only what it names.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMenu, QPushButton, QToolButton, QWidget
from qasync import asyncSlot
from shiboken6 import isValid

from console.domain.values import CopyPreview, RosterChange, ShiftRow, TemplateRow
from console.i18n import Message
from ui.commands import AddShifts, MoveShift, RemoveShift, RosterCommand
from ui.operations import FAILED, Outcome, Trigger
from ui.tasks import spawn
from ui.text import shift_role_text
from ui.views.roster_dialogs import answer, when
from ui.views.week_board import NewShift, Proposal

if TYPE_CHECKING:
    from console.services.roster import PublishSummary
    from ui.views.roster import RosterPage


class StepFailed(Exception):
    """An undo or redo step the service refused: shown already, and the rest of the step is not tried."""


class BoardEditor(QObject):
    """The manager's edits of the week on the page's board, and their undo stack."""

    def __init__(self, page: RosterPage, buttons_parent: QWidget) -> None:
        super().__init__(page)
        self._page = page
        self._ops = page.ops
        self.roster = page.roster
        self.model = page.model
        self.board = page.board
        self.undo_stack = QUndoStack(self)
        self._step: asyncio.Task[None] | None = None
        # While an undo or redo step runs: how its refusal reads ("Could not undo “Move shift”: ...").
        self._step_words: Callable[[str], str] | None = None
        self._templates: list[TemplateRow] = []
        # Its buttons, for the page's header.
        self.undo_button = QToolButton(buttons_parent)
        self.undo_button.setText("↶")
        self.redo_button = QToolButton(buttons_parent)
        self.redo_button.setText("↷")
        self.template_button = QPushButton(buttons_parent)
        self.template_menu = QMenu(self.template_button)
        self.template_button.setMenu(self.template_menu)
        self.undo_button.clicked.connect(self.undo)
        self.redo_button.clicked.connect(self.redo)
        self.undo_stack.indexChanged.connect(self._on_undo_index)
        self.board.move_requested.connect(self._on_move_requested)
        self.board.create_requested.connect(self._on_create_requested)
        self.board.remove_requested.connect(self._on_remove_requested)
        self.board.refused.connect(self._on_refused)

    def retranslate(self) -> None:
        self.template_button.setText(self.tr("Templates"))
        self._fill_templates()
        self._update_undo()

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

    # --- the editor commands use -------------------------------------------------------------
    async def apply(self, fn: Callable[..., RosterChange], /, *args: Any, **kwargs: Any) -> RosterChange:
        """For the commands' steps: an edit whose refusal (shown) raises :class:`StepFailed`."""
        change = await self._change(fn, *args, problem_words=self._step_words, **kwargs)
        if change is FAILED:
            raise StepFailed
        return change

    async def _change(self, fn: Callable[..., RosterChange], /, *args: Any, **kwargs: Any) -> RosterChange | Outcome:
        """Run an edit as the page's operation (a warning asks for the reason) and show what it changed."""
        change = await self._ops.run(fn, *args, ask_reason=True, **kwargs)
        if change is not FAILED:
            self.model.apply_change(change)
        return change

    def run_step(self, command: RosterCommand, step: Callable[[], Awaitable[None]], *, undoing: bool) -> None:
        self._step = spawn(self._run_step(command, step, undoing), owner=self)

    @property
    def stepping(self) -> bool:
        """An undo or redo step is under way (or about to start)."""
        return self._step is not None and not self._step.done()

    async def _run_step(self, command: RosterCommand, step: Callable[[], Awaitable[None]], undoing: bool) -> None:
        what = command.text()
        self._step_words = lambda why: (self.tr("Could not undo “%1”: %2") if undoing
                                        else self.tr("Could not redo “%1”: %2")).replace("%1", what).replace("%2", why)
        try:
            await step()
        except StepFailed:
            # Put the stack back where the database is, without calling the service again.
            command.restoring = True
            try:
                if undoing:
                    self.undo_stack.redo()
                else:
                    self.undo_stack.undo()
            finally:
                command.restoring = False
            return
        finally:
            self._step_words = None
        self._page.problem_label.hide()

    def undo(self) -> None:
        if not self._page.busy:
            self.undo_stack.undo()

    def redo(self) -> None:
        if not self._page.busy:
            self.undo_stack.redo()

    # --- edits from the board -------------------------------------------------------------------
    @asyncSlot(object)
    async def _on_move_requested(self, proposal: Proposal) -> None:
        await self.move(proposal)

    async def move(self, proposal: Proposal) -> None:
        """A drop or key move; refused silently while another edit runs (keys repeat)."""
        before = self.model.shift(proposal.shift.id) or proposal.shift
        change = await self._change(self.roster.move_shift, before.id, starts_at=proposal.starts_at,
                                    ends_at=proposal.ends_at, anchor_id=proposal.anchor_id,
                                    room_id=proposal.room_id, override_reason=held_reason(before, proposal),
                                    exclusive=True, problem_words=self._not_moved)
        self.board.clear_pending()
        if change is FAILED:
            return
        after = next(s for s in change.shifts if s.id == before.id)
        nudge = (after.ends_at - after.starts_at) == (before.ends_at - before.starts_at) and \
            abs(after.starts_at - before.starts_at) <= timedelta(minutes=15)
        self.undo_stack.push(MoveShift(self, before, after, nudge=nudge))
        self._page.problem_label.hide()

    def _on_refused(self, problems: list[Message | str]) -> None:
        """The board refused a drop or a key move itself (the rules block it): say why."""
        self._page.show_problem(problems, self._not_moved)

    def _not_moved(self, why: str) -> str:
        return self.tr("Not moved: %1").replace("%1", why)

    @asyncSlot(object)
    async def _on_create_requested(self, new: NewShift) -> None:
        if not self._page.busy:
            await self.create(new)

    async def create(self, new: NewShift) -> None:
        """Ask who works a drawn span, then add it; the service judges it (a warning asks for the reason)."""
        if new.starts_at < datetime.now(UTC):
            # The roster plans what is to come; a past start is nearly always a slip of the mouse.
            self._page.show_problem(self.tr("Not added: %1 is in the past; new shifts start from now on.")
                                    .replace("%1", when(new.starts_at, self._page.zone)))
            return
        choice = await answer(self._page.new_shift_prompt(new))
        if choice is None:
            return
        # The popup asks for the reason itself when the choice warns; a 3-tuple leaves it to the operation.
        anchor_id, room_id, role, *given = choice
        reason = given[0].strip() if given and isinstance(given[0], str) else ""
        change = await self._change(self.roster.add_shift, anchor_id=anchor_id, room_id=room_id, role=role,
                                    starts_at=new.starts_at, ends_at=new.ends_at, override_reason=reason or None,
                                    problem_words=lambda why: self.tr("Not added: %1").replace("%1", why))
        if change is FAILED:
            return
        self.undo_stack.push(AddShifts(self, change.shifts))
        if change.shifts:
            self.board.select_shift(change.shifts[0].id)
        self._page.problem_label.hide()

    @asyncSlot(object)
    async def _on_remove_requested(self, shift: ShiftRow) -> None:
        await self.remove(shift)

    async def remove(self, shift: ShiftRow) -> None:
        row = self.model.shift(shift.id) or shift
        if await self._change(self.roster.remove_shift, row.id, exclusive=True) is FAILED:
            return
        self.undo_stack.push(RemoveShift(self, row))
        self._page.problem_label.hide()

    # --- many at once: a copied week, a template -------------------------------------------------
    async def copy_last_week(self, trigger: Trigger | None) -> None:
        """Preview last week's shifts at this week's dates, then copy those the rules allow."""
        start = self._page.week_start
        await self._add_many(self.tr("Copy last week"), self.roster.preview_copy_week, self.roster.copy_week,
                             start - timedelta(days=7), start, trigger=trigger)

    @asyncSlot()
    async def _on_apply_template(self, template_id: UUID, name: str) -> None:
        await self._add_many(self.tr("Apply template %1").replace("%1", name), self.roster.preview_template,
                             self.roster.apply_template, template_id, self._page.week_start,
                             trigger=self.template_button)

    async def _add_many(self, text: str, preview: Callable[..., CopyPreview], fn: Callable[..., RosterChange],
                        *args: Any, trigger: Trigger | None) -> None:
        """Show what a copy would add and refuse, row by row; add the allowed ones if the manager agrees."""
        found = await self._ops.run(preview, *args, trigger=trigger, exclusive=True)
        if found is FAILED:
            return
        if not found.items:
            self._page.show_problem(self.tr("Nothing to copy: that week has no shifts."))
            return
        if not await answer(self._page.copy_prompt(text, found)):
            return
        change = await self._change(fn, *args, skip_refused=True, trigger=trigger,
                                    progress=self.tr("Adding the shifts…"))
        if change is FAILED:
            return
        if change.shifts:
            self.undo_stack.push(AddShifts(self, change.shifts, text))
        self._page.problem_label.hide()

    def set_templates(self, templates: list[TemplateRow]) -> None:
        self._templates = templates
        self._fill_templates()

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

    @asyncSlot()
    async def _on_save_template(self) -> None:
        name = await answer(self._page.text_prompt(self.tr("Save as template"), self.tr("Name of the template:")))
        if not name:
            return
        templates = await self._ops.run(self._save_template, name, self._page.week_start,
                                        trigger=self.template_button)
        if templates is FAILED:
            return
        self.set_templates(templates)
        self._page.problem_label.hide()

    def _save_template(self, name: str, week_start: datetime) -> list[TemplateRow]:
        """On the worker: save the week, and the templates as they now stand."""
        self.roster.save_template(name, week_start)
        return self.roster.templates()

    # --- publishing ----------------------------------------------------------------------------------
    async def publish(self, trigger: Trigger | None) -> None:
        """Say per anchor what changes for them, and publish the week once the manager agrees."""
        page = self._page
        start, end = page.week_start, page.week_start + timedelta(days=7)
        summary: PublishSummary | Outcome = await self._ops.run(self.roster.publish_summary, start, end,
                                                                trigger=trigger)
        if summary is FAILED:
            return
        if not summary.anchors:
            # The board counted changes the database no longer has (another console published): reload.
            await page.refresh()
            page.show_problem(self.tr("Nothing to publish: every shift this week is published already."))
            return
        if not await answer(page.publish_prompt(summary)):
            return
        if await self._change(self.roster.publish, start, end, trigger=trigger,
                              progress=self.tr("Publishing…")) is not FAILED:
            page.problem_label.hide()

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
        day = s.starts_at.astimezone(self.model.zone).date()
        return (f"{self.model.day_label(day)} {self.model.clock(s.starts_at)}–{self.model.clock(s.ends_at)} · "
                f"{s.room_name} · {shift_role_text(s.role)}")


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
