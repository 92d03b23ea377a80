"""Undoable queue edits: QUndoCommands that call the queue service's inverse of each edit.

As with the roster's (:mod:`ui.commands`): a command is pushed only after
the service accepted the edit, so its first ``redo()`` does nothing; later
steps hand a coroutine to the :class:`QueueEditing` (the queue editor), which
runs it as one of the page's operations and shows the returned
``QueueChange``. When the service refuses a step, the editor puts the stack
back without calling the service again (``restoring``), so the stack always
says what the database holds. The inverse calls are those the service's
module lists (:mod:`console.services.queue`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol
from uuid import UUID

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from console.domain.values import LinkPin, ProductSetRow, QueueChange, QueueTerms, RemovedQueueItem
from ui.commands import SavedCommand

if TYPE_CHECKING:
    from console.services.queue import QueueService

_NUDGE_ID = 4001   # keyboard moves of the same items merge into one undo step


class QueueEditing(Protocol):
    """What a command needs from the editor that owns the undo stacks."""

    queue: QueueService

    async def apply(self, fn: Callable[..., Any], /, *args: Any) -> Any:
        """Run a service call as an operation and show its change; raises StepFailed once a refusal is shown."""

    def run_step(self, command: QueueCommand, step: Callable[[], Awaitable[None]], *, undoing: bool) -> None:
        """Schedule an undo or redo step; on failure put the stack back."""


class QueueCommand(SavedCommand):
    def __init__(self, editor: QueueEditing, broadcast_id: UUID, text: str) -> None:
        super().__init__(editor, text)
        self._editor: QueueEditing = editor
        self.broadcast_id = broadcast_id


class AddItems(QueueCommand):
    """Products put on the queue (searched, scanned, a set, a copied queue): undo takes them off again."""

    def __init__(self, editor: QueueEditing, change: QueueChange, text: str | None = None) -> None:
        super().__init__(editor, change.broadcast_id,
                         text or QCoreApplication.translate("QueueCommands", "Add to the queue"))
        self.item_ids = change.added_ids
        self.removed: tuple[RemovedQueueItem, ...] = ()

    async def undo_step(self) -> None:
        change = await self._editor.apply(self._editor.queue.remove, self.broadcast_id, self.item_ids)
        self.removed = change.removed

    async def redo_step(self) -> None:
        await self._editor.apply(self._editor.queue.restore, self.broadcast_id, self.removed)


class RemoveItems(QueueCommand):
    """Items taken off: undo puts them back where they were, with their terms and pins."""

    def __init__(self, editor: QueueEditing, change: QueueChange) -> None:
        super().__init__(editor, change.broadcast_id,
                         QCoreApplication.translate("QueueCommands", "Remove from the queue"))
        self.removed = change.removed

    async def undo_step(self) -> None:
        await self._editor.apply(self._editor.queue.restore, self.broadcast_id, self.removed)

    async def redo_step(self) -> None:
        change = await self._editor.apply(self._editor.queue.remove, self.broadcast_id,
                                          [r.item_id for r in self.removed])
        self.removed = change.removed


class MoveItems(QueueCommand):
    """The queue reordered (a drop, a key): undo puts the whole order back."""

    def __init__(self, editor: QueueEditing, change: QueueChange, moved: Sequence[UUID], *,
                 nudge: bool = False) -> None:
        super().__init__(editor, change.broadcast_id, QCoreApplication.translate("QueueCommands", "Move in the queue"))
        self.before, self.after = change.order_before, change.order
        self.moved = frozenset(moved)
        self._nudge = nudge

    def id(self) -> int:
        return _NUDGE_ID if self._nudge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Ctrl+Down five times is one step back, as long as the same items move and nothing came between."""
        if not isinstance(other, MoveItems) or not other._nudge or other.broadcast_id != self.broadcast_id \
                or other.before != self.after or other.moved != self.moved:
            return False
        self.after = other.after
        return True

    async def undo_step(self) -> None:
        await self._editor.apply(self._editor.queue.reorder, self.broadcast_id, self.before)

    async def redo_step(self) -> None:
        await self._editor.apply(self._editor.queue.reorder, self.broadcast_id, self.after)


class SetTerms(QueueCommand):
    """A live price, deal, planned duration or stock at the start changed: undo sets the old terms again."""

    def __init__(self, editor: QueueEditing, change: QueueChange, text: str) -> None:
        super().__init__(editor, change.broadcast_id, text)
        self.before: tuple[QueueTerms, ...] = change.terms_before
        named = {t.item_id for t in self.before}
        self.after = tuple(r.terms for r in change.rows if r.id in named)

    async def undo_step(self) -> None:
        await self._editor.apply(self._editor.queue.set_terms, self.broadcast_id, self.before)

    async def redo_step(self) -> None:
        await self._editor.apply(self._editor.queue.set_terms, self.broadcast_id, self.after)


class SetPins(QueueCommand):
    """Link numbers pinned or let follow the order: undo sets the old pins again (the numbers follow)."""

    def __init__(self, editor: QueueEditing, change: QueueChange, text: str) -> None:
        super().__init__(editor, change.broadcast_id, text)
        self.before: tuple[LinkPin, ...] = change.pins_before
        named = {p.item_id for p in self.before}
        self.after = tuple(r.pin for r in change.rows if r.id in named)

    async def undo_step(self) -> None:
        await self._editor.apply(self._editor.queue.set_pins, self.broadcast_id, self.before)

    async def redo_step(self) -> None:
        await self._editor.apply(self._editor.queue.set_pins, self.broadcast_id, self.after)


class SaveSet(QueueCommand):
    """The queue saved as a new product set: undo deletes the set, redo brings the same set back."""

    def __init__(self, editor: QueueEditing, broadcast_id: UUID, saved: ProductSetRow) -> None:
        super().__init__(editor, broadcast_id, QCoreApplication.translate("QueueCommands", "Save as product set"))
        self.set_id = saved.id

    async def undo_step(self) -> None:
        await self._editor.apply(self._editor.queue.delete_set, self.set_id)

    async def redo_step(self) -> None:
        await self._editor.apply(self._editor.queue.restore_set, self.set_id)
