"""The queue editor: every edit of a broadcast's queue a queue-service operation, kept on that show's undo stack.

It is the :class:`ui.queue_commands.QueueEditing` the undo commands work
through. Each edit (an add, a scan, a drop, a key, a value typed in place)
runs as one of the page's operations; a refusal is shown on the page, and the
returned ``QueueChange`` goes to the page, which hands it to the queue model
(repainting only what changed) and says what else it did (left-out products,
a ready broadcast planned again). Each broadcast has its own undo stack, so
Ctrl+Z never reaches into a show that is not on the screen.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any
from uuid import UUID

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoGroup, QUndoStack

from console.domain.values import LinkPin, ProductSetRow, QueueChange
from ui.models.queue import QueueEditorModel as Q
from ui.operations import FAILED, Outcome, Trigger
from ui.queue_commands import AddItems, MoveItems, QueueCommand, RemoveItems, SaveSet, SetPins, SetTerms
from ui.tasks import spawn

if TYPE_CHECKING:
    from ui.views.broadcasts import BroadcastsPage


class StepFailed(Exception):
    """An undo or redo step the service refused: shown already, and the stack goes back."""


class QueueEditor(QObject):
    """The edits of the queue on the page, and an undo stack per broadcast."""

    def __init__(self, page: BroadcastsPage) -> None:
        super().__init__(page)
        self._page = page
        self._ops = page.ops
        self.queue = page.queue
        self.model = page.queue_model
        self.group = QUndoGroup(self)
        self._stacks: dict[UUID, QUndoStack] = {}
        self.broadcast_id: UUID | None = None
        self._step: asyncio.Task[None] | None = None
        # While an undo or redo step runs: how its refusal reads ("Could not undo “Move in the queue”: ...").
        self._step_words: Callable[[str], str] | None = None

    # --- which queue ----------------------------------------------------------------------------
    def show_broadcast(self, broadcast_id: UUID | None) -> None:
        self.broadcast_id = broadcast_id
        if broadcast_id is None:
            self.group.setActiveStack(None)
            return
        stack = self._stacks.get(broadcast_id)
        if stack is None:
            stack = self._stacks[broadcast_id] = QUndoStack(self.group)
        self.group.setActiveStack(stack)

    @property
    def undo_stack(self) -> QUndoStack | None:
        return self.group.activeStack()

    def _push(self, command: QueueCommand) -> None:
        stack = self._stacks.get(command.broadcast_id)
        if stack is not None:
            stack.push(command)

    # --- what commands use ------------------------------------------------------------------------
    async def apply(self, fn: Callable[..., Any], /, *args: Any) -> Any:
        """For the commands' steps: an edit whose refusal (shown) raises :class:`StepFailed`."""
        result = await self._run(fn, *args, problem_words=self._step_words)
        if result is FAILED:
            raise StepFailed
        return result

    async def _run(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        """One operation of the page; its change (or a set's new state) shown on the screen."""
        result = await self._ops.run(fn, *args, **kwargs)
        if isinstance(result, QueueChange):
            self._page.show_change(result)
        elif isinstance(result, ProductSetRow):
            spawn(self._page.load_sets(), owner=self._page)
        return result

    def run_step(self, command: QueueCommand, step: Callable[[], Awaitable[None]], *, undoing: bool) -> None:
        self._step = spawn(self._run_step(command, step, undoing), owner=self)

    @property
    def stepping(self) -> bool:
        """An undo or redo step is under way (or about to start)."""
        return self._step is not None and not self._step.done()

    async def _run_step(self, command: QueueCommand, step: Callable[[], Awaitable[None]], undoing: bool) -> None:
        what = command.text()
        self._step_words = lambda why: (self.tr("Could not undo “%1”: %2") if undoing
                                        else self.tr("Could not redo “%1”: %2")).replace("%1", what).replace("%2", why)
        try:
            await step()
        except StepFailed:
            # Put the stack back where the database is, without calling the service again.
            stack = self._stacks.get(command.broadcast_id)
            command.restoring = True
            try:
                if stack is not None and undoing:
                    stack.redo()
                elif stack is not None:
                    stack.undo()
            finally:
                command.restoring = False
            return
        finally:
            self._step_words = None
        self._page.problem_label.hide()

    def undo(self) -> None:
        stack = self.undo_stack
        if stack is not None and not self._page.busy:
            stack.undo()

    def redo(self) -> None:
        stack = self.undo_stack
        if stack is not None and not self._page.busy:
            stack.redo()

    # --- adding ----------------------------------------------------------------------------------
    def _not_added(self, why: str) -> str:
        return self.tr("Not added: %1").replace("%1", why)

    async def _add(self, fn: Callable[..., QueueChange], *args: Any, text: str | None = None,
                   trigger: Trigger | None = None) -> QueueChange | Outcome:
        if self.broadcast_id is None:
            return FAILED
        change = await self._run(fn, self.broadcast_id, *args, problem_words=self._not_added, trigger=trigger)
        if change is FAILED:
            return FAILED
        self._push(AddItems(self, change, text))
        self._page.select_items(change.added_ids)
        return change

    async def add_products(self, product_ids: Sequence[UUID]) -> QueueChange | Outcome:
        return await self._add(self.queue.add_products, list(product_ids))

    async def add_by_code(self, code: str) -> QueueChange | Outcome:
        """A scanned barcode (or a typed SKU); a refusal names the code, and the field is empty already."""
        return await self._add(self.queue.add_by_code, code,
                               text=self.tr("Scan %1").replace("%1", code))

    async def add_set(self, set_id: UUID, name: str) -> QueueChange | Outcome:
        return await self._add(self.queue.add_set, set_id, text=self.tr("Add the set “%1”").replace("%1", name),
                               trigger=self._page.add_bar.from_button)

    async def copy_queue(self, source_id: UUID, title: str) -> QueueChange | Outcome:
        return await self._add(self.queue.copy_queue, source_id,
                               text=self.tr("Copy the queue of “%1”").replace("%1", title),
                               trigger=self._page.add_bar.from_button)

    # --- removing and moving -----------------------------------------------------------------------
    async def remove(self, item_ids: Sequence[UUID]) -> None:
        if self.broadcast_id is None or not item_ids:
            return
        change = await self._run(self.queue.remove, self.broadcast_id, list(item_ids), exclusive=True,
                                 problem_words=lambda why: self.tr("Not removed: %1").replace("%1", why))
        if change is not FAILED:
            self._push(RemoveItems(self, change))
            self._page.problem_label.hide()

    async def move(self, item_ids: Sequence[UUID], to_index: int, *, nudge: bool = False,
                   previewed: bool = False) -> None:
        """A drop (shown already) or a key: the new order at once, the service's move, or back if refused."""
        if self.broadcast_id is None or not item_ids:
            return
        if nudge and self._ops.busy:
            return      # a held key repeats faster than the service answers: not shown, then taken back
        if not previewed and not self.model.preview_move(item_ids, to_index):
            return
        change = await self._run(self.queue.move, self.broadcast_id, list(item_ids), to_index, exclusive=nudge,
                                 problem_words=lambda why: self.tr("Not moved: %1").replace("%1", why))
        if change is FAILED:
            self.model.revert()
            return
        if change.order_before:
            self._push(MoveItems(self, change, item_ids, nudge=nudge))
        self._page.problem_label.hide()

    # --- link numbers and terms --------------------------------------------------------------------
    async def toggle_pins(self, item_ids: Sequence[UUID]) -> None:
        """Pin each item's present number; if all are pinned already, let them follow the order again."""
        wanted = set(item_ids)
        lines = [q for q in self.model.lines() if q.id in wanted]
        if self.broadcast_id is None or not lines:
            return
        if all(q.link_pinned for q in lines):
            pins, text = [LinkPin(q.id, None) for q in lines], self.tr("Let the link follow the order")
        else:
            pins = [LinkPin(q.id, q.link_number) for q in lines if not q.link_pinned]
            text = self.tr("Pin the link number")
        await self._set_pins(pins, text)

    async def _set_pins(self, pins: list[LinkPin], text: str) -> None:
        assert self.broadcast_id is not None
        change = await self._run(self.queue.set_pins, self.broadcast_id, pins, exclusive=True,
                                 problem_words=self._not_changed)
        if change is not FAILED and change.pins_before:
            self._push(SetPins(self, change, text))
            self._page.problem_label.hide()

    def _not_changed(self, why: str) -> str:
        return self.tr("Not changed: %1").replace("%1", why)

    async def set_value(self, item_id: UUID, column: int, value: Any) -> None:
        """A value typed in place: a pinned link number, a live price, a deal, a duration, a stock."""
        if self.broadcast_id is None:
            return
        if column == Q.LINK:
            await self._set_pins([LinkPin(item_id, int(value))], self.tr("Pin link #%1").replace("%1", str(value)))
            return
        fn, text = {
            Q.LIVE_PRICE: (self.queue.set_live_price, self.tr("Change the live price")),
            Q.DEAL: (self.queue.set_deal, self.tr("Change the deal")),
            Q.PLANNED: (self.queue.set_planned_duration, self.tr("Change the planned duration")),
            Q.STOCK: (self.queue.set_stock_at_start, self.tr("Change the stock at the start")),
        }[column]
        change = await self._run(fn, self.broadcast_id, item_id, value, problem_words=self._not_changed)
        if change is not FAILED and change.terms_before:
            self._push(SetTerms(self, change, text))
            self._page.problem_label.hide()

    # --- sets -----------------------------------------------------------------------------------
    async def save_as_set(self, name: str) -> None:
        if self.broadcast_id is None:
            return
        saved = await self._run(self.queue.save_queue_as_set, self.broadcast_id, name,
                                trigger=self._page.add_bar.from_button,
                                problem_words=lambda why: self.tr("Not saved: %1").replace("%1", why))
        if saved is not FAILED:
            self._push(SaveSet(self, self.broadcast_id, saved))
            self._page.problem_label.hide()
