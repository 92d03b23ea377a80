"""Undoable roster edits: QUndoCommands that call the roster service and can reverse themselves.

Service calls are asynchronous (they run on the database worker), and
``QUndoStack`` is not: so a command is pushed only after the service has
accepted the edit, and its first ``redo()`` does nothing. Later ``undo()`` and
``redo()`` calls hand a coroutine to the :class:`ShiftEditor` (the roster
page), which runs it, applies the returned ``RosterChange`` to the board and
shows a refusal on the page. When the service refuses an undo or a redo,
the editor puts the stack's index back without calling the service again
(``restoring``), so the stack always says what the database holds.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from console.domain.values import RosterChange, ShiftRow

if TYPE_CHECKING:
    from console.services.roster import RosterService


_MOVE_ID = 3001   # keyboard nudges of one shift merge into one undo step


class ShiftEditor(Protocol):
    """What a command needs from the page that owns the undo stack."""

    roster: RosterService

    async def apply(self, fn: Callable[..., RosterChange], /, *args: Any, **kwargs: Any) -> RosterChange:
        """Run a service call on the worker (asking for a reason if a warning needs one) and show its change."""

    def run_step(self, command: RosterCommand, step: Callable[[], Awaitable[None]], *, undoing: bool) -> None:
        """Schedule an undo or redo step; on failure put the stack back."""


class StepRunner(Protocol):
    """What a saved command needs of whoever owns its stack: a way to run its steps."""

    def run_step(self, command: Any, step: Callable[[], Awaitable[None]], *, undoing: bool) -> None:
        """Schedule an undo or redo step; on failure put the stack back."""


class SavedCommand(QUndoCommand):
    """An edit the service has already saved when it is pushed: the first ``redo()`` does nothing, later
    ``undo()`` and ``redo()`` calls run the command's steps through its editor (the roster's, the queue's)."""

    def __init__(self, editor: StepRunner, text: str, parent: QUndoCommand | None = None) -> None:
        super().__init__(text, parent)
        self._editor: Any = editor
        self._already_done = True   # pushed after the service saved it
        self.restoring = False      # set by the editor while it rewinds the stack after a failure

    def redo(self) -> None:
        if self._already_done:
            self._already_done = False
            return
        if not self.restoring:
            self._editor.run_step(self, self.redo_step, undoing=False)

    def undo(self) -> None:
        if not self.restoring:
            self._editor.run_step(self, self.undo_step, undoing=True)

    async def redo_step(self) -> None:
        raise NotImplementedError

    async def undo_step(self) -> None:
        raise NotImplementedError


class RosterCommand(SavedCommand):
    def __init__(self, editor: ShiftEditor, text: str, parent: QUndoCommand | None = None) -> None:
        super().__init__(editor, text, parent)
        self._editor: ShiftEditor = editor


def _add(editor: ShiftEditor, row: ShiftRow) -> Awaitable[RosterChange]:
    return editor.apply(editor.roster.add_shift, anchor_id=row.anchor_id, room_id=row.room_id, role=row.role,
                        starts_at=row.starts_at, ends_at=row.ends_at, broadcast_id=row.broadcast_id,
                        override_reason=row.override_reason or None, shift_id=row.id)


class AddShifts(RosterCommand):
    """New shifts (one drawn on the board, or a copied week or template): undo removes them."""

    def __init__(self, editor: ShiftEditor, rows: Sequence[ShiftRow], text: str | None = None,
                 parent: QUndoCommand | None = None) -> None:
        super().__init__(editor, text or QCoreApplication.translate("RosterCommands", "Add shift"), parent)
        self.rows = tuple(rows)

    # One service call each way, one transaction: all the shifts, or none and the stack stays put.
    async def undo_step(self) -> None:
        await self._editor.apply(self._editor.roster.remove_shifts, [row.id for row in self.rows])

    async def redo_step(self) -> None:
        await self._editor.apply(self._editor.roster.restore_shifts, self.rows)


class MoveShift(RosterCommand):
    """A shift moved, resized, or given to another anchor or room."""

    def __init__(self, editor: ShiftEditor, before: ShiftRow, after: ShiftRow, *, nudge: bool = False,
                 text: str | None = None, parent: QUndoCommand | None = None) -> None:
        super().__init__(editor, text or QCoreApplication.translate("RosterCommands", "Move shift"), parent)
        self.before, self.after = before, after
        self._nudge = nudge

    def id(self) -> int:
        return _MOVE_ID if self._nudge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, MoveShift) or not other._nudge or other.before.id != self.after.id:
            return False
        self.after = other.after
        return True

    async def _go(self, to: ShiftRow) -> None:
        await self._editor.apply(self._editor.roster.move_shift, to.id, starts_at=to.starts_at, ends_at=to.ends_at,
                                 anchor_id=to.anchor_id, room_id=to.room_id, role=to.role,
                                 override_reason=to.override_reason or None)

    async def undo_step(self) -> None:
        await self._go(self.before)

    async def redo_step(self) -> None:
        await self._go(self.after)


class RemoveShift(RosterCommand):
    """A shift removed (a draft's tombstone, a published shift's withdrawal until published); undo brings the
    same row back, published and unchanged again if it was so."""

    def __init__(self, editor: ShiftEditor, row: ShiftRow, parent: QUndoCommand | None = None) -> None:
        super().__init__(editor, QCoreApplication.translate("RosterCommands", "Remove shift"), parent)
        self.row = row

    async def undo_step(self) -> None:
        await _add(self._editor, self.row)

    async def redo_step(self) -> None:
        await self._editor.apply(self._editor.roster.remove_shift, self.row.id)
