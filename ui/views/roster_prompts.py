"""The roster page's questions as dialogs: the default answers its prompt hooks start with.

The page asks through attributes (``reason_prompt``, ``new_shift_prompt`` ...)
so that a test can answer without a dialog; these are what they are
otherwise. Each opens its dialog over the page, window-modal, and waits
without a nested event loop; :attr:`open_dialog` names the one open now, for
a test to answer through its widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QDialog, QInputDialog, QWidget

from console.domain.values import CopyPreview, ShiftRow, SwapOption
from ui.models.week import LaneKind, WeekModel
from ui.views.roster_dialogs import (
    CopyPreviewDialog,
    PublishDialog,
    ReasonDialog,
    StrandedShiftsDialog,
    SwapDialog,
    TimeOffDialog,
    run_dialog,
)
from ui.views.roster_new_shift import NewShiftAnswer, NewShiftDialog
from ui.views.week_board import NewShift

if TYPE_CHECKING:
    from console.services.roster import PublishSummary

PublishLines = Callable[["PublishSummary"], list[tuple[str, list[str]]]]


class RosterPrompts:
    """The dialogs behind the roster page's questions, over ``parent``."""

    def __init__(self, parent: QWidget, model: WeekModel, zone: ZoneInfo, publish_lines: PublishLines) -> None:
        self._parent = parent
        self._model = model
        self._zone = zone
        self._publish_lines = publish_lines
        self.open_dialog: QDialog | None = None   # the prompt open now, if any (tests answer it)
        # The create-shift popup's last choice, by lane kind: (anchor or room id, role value).
        self._last_new_shift: dict[LaneKind, tuple[str, str]] = {}

    async def _run(self, dialog: QDialog) -> bool:
        self.open_dialog = dialog
        try:
            return await run_dialog(dialog)
        finally:
            self.open_dialog = None

    async def reason(self, found: list[str]) -> str | None:
        dialog = ReasonDialog(self._parent, warnings=found)
        return dialog.answer() if await self._run(dialog) else None

    async def new_shift(self, new: NewShift) -> NewShiftAnswer | None:
        dialog = NewShiftDialog(self._parent, new=new, model=self._model, zone=self._zone,
                                last=self._last_new_shift.get(new.lane.kind))
        if not await self._run(dialog):
            return None
        choice = dialog.choice()
        if choice is not None:
            self._last_new_shift[new.lane.kind] = choice
        return dialog.answer()

    async def publish(self, summary: PublishSummary) -> bool:
        return await self._run(PublishDialog(self._parent, lines=self._publish_lines(summary)))

    async def copy(self, title: str, preview: CopyPreview) -> bool:
        return await self._run(CopyPreviewDialog(self._parent, title=title, preview=preview, zone=self._zone))

    async def stranded(self, title: str, intro: str, go: str, shifts: list[ShiftRow]) -> bool:
        return await self._run(StrandedShiftsDialog(self._parent, title=title, intro=intro, go_text=go,
                                                    shifts=shifts, zone=self._zone))

    async def text(self, title: str, label: str) -> str | None:
        dialog = QInputDialog(self._parent)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        return (dialog.textValue().strip() or None) if await self._run(dialog) else None

    async def time_off(self) -> tuple[datetime, datetime, str] | None:
        dialog = TimeOffDialog(self._parent, zone=self._zone)
        return dialog.answer() if await self._run(dialog) else None

    async def swap(self, shift: ShiftRow, options: list[SwapOption]) -> tuple[UUID, str] | None:
        dialog = SwapDialog(self._parent, shift=shift, options=options, zone=self._zone)
        if not await self._run(dialog):
            return None
        chosen = dialog.chosen()
        return (chosen, dialog.reason.text()) if chosen is not None else None
