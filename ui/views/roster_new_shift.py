"""The create-shift popup: who works a span drawn on the board (or where), and in which role, judged as chosen."""

from __future__ import annotations

from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from console.domain.enums import ShiftRole
from console.rules.roster import ShiftPlan, Violation, blocking, warnings
from ui.i18n import render
from ui.models.week import LaneKind, WeekModel
from ui.text import shift_role_text
from ui.views.roster_dialogs import PROMPT_MAX_WIDTH, ROLES, when
from ui.views.week_board import NewShift, Verdict, verdict_icon

NAME_WIDTH = 300
CHOICE_WIDTH = 220
# The popup's answer: anchor, live room, role, and the reason typed for a choice that warns ("" if none).
NewShiftAnswer = tuple[UUID, UUID, ShiftRole, str]


class NewShiftDialog(QDialog):
    """Who works a drawn span (or where), and in which role.

    The choices are judged by the same rules as the board: free ones first,
    then those that warn, then those refused, each marked; the last choice
    (``last``: who or where, and the role's value) is preselected unless it is
    refused here. A warned choice needs its reason in this popup, so OK stays
    disabled until one is typed.
    """

    def __init__(self, parent: QWidget | None, *, new: NewShift, model: WeekModel, zone: ZoneInfo,
                 last: tuple[str, str] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NewShiftDialog")
        self.setWindowTitle(self.tr("New shift"))
        self.setMaximumWidth(PROMPT_MAX_WIDTH)
        self._new = new
        self._context = model.context
        self._rooms_lane = new.lane.kind is LaneKind.ROOMS
        self._candidates = ([(a.id, a.name, a.code) for a in model.anchors] if self._rooms_lane
                            else [(r.id, r.name, r.code) for r in model.rooms if r.active])
        self._judged: dict[str, list[Violation]] = {}
        self.form = QFormLayout(self)
        heading = QLabel(self)
        heading.setWordWrap(True)
        heading.setText(self.tr("%1, %2 – %3").replace("%1", _elided(new.lane.name, heading, NAME_WIDTH))
                        .replace("%2", when(new.starts_at, zone)).replace("%3", when(new.ends_at, zone)))
        heading.setToolTip(new.lane.name)
        self.form.addRow(heading)
        self.role = QComboBox(self)
        self.role.setObjectName("RoleChoice")
        for r in ROLES:
            self.role.addItem(shift_role_text(r), r.value)
        self.who = QComboBox(self)
        self.who.setObjectName("WhoChoice")
        # Sized by a name's worth of characters, not by the longest name in the store.
        self.who.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.who.setMinimumContentsLength(30)
        self.who.setMinimumWidth(CHOICE_WIDTH + 150)   # an elided name, its marker and its verdict word
        self.form.addRow(self.tr("Role"), self.role)
        self.form.addRow(self.tr("Anchor") if self._rooms_lane else self.tr("Live room"), self.who)
        self.mark = QLabel(self)
        self.mark.setObjectName("VerdictMark")
        self.verdict = QLabel(self)
        self.verdict.setObjectName("Verdict")
        self.verdict.setWordWrap(True)
        self.verdict.setMinimumWidth(320)
        judged_row = QHBoxLayout()
        judged_row.addWidget(self.mark, 0, Qt.AlignmentFlag.AlignTop)
        judged_row.addWidget(self.verdict, 1)
        self.form.addRow(judged_row)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("Why go ahead anyway? (recorded on the shift)"))
        self.form.addRow(self.tr("Reason"), self.reason)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.form.addRow(buttons)

        last_choice, last_role = last or (None, None)
        self.role.setCurrentIndex(max(self.role.findData(last_role), 0) if last_role else 0)
        self.who.currentIndexChanged.connect(lambda _i: self._judge())
        self.role.currentIndexChanged.connect(lambda _i: self._fill(self.who.currentData()))
        self.reason.textChanged.connect(lambda _t: self._judge())
        self._fill(last_choice)

    def choice(self) -> tuple[str, str] | None:
        """Who or where, and the role's value, as chosen now (for the next popup to start from)."""
        chosen = self.who.currentData()
        return (chosen, self.role.currentData()) if chosen is not None else None

    def answer(self) -> NewShiftAnswer | None:
        chosen = self.who.currentData()
        if chosen is None:
            return None
        anchor_id, room_id = self._ends(UUID(chosen))
        return (anchor_id, room_id, self._role(), self.reason.text().strip() if self.reason.isVisibleTo(self)
                else "")

    def _ends(self, chosen: UUID) -> tuple[UUID, UUID]:
        """(anchor, room): the lane is one of them, the choice the other."""
        return (chosen, self._new.lane.id) if self._rooms_lane else (self._new.lane.id, chosen)

    def _role(self) -> ShiftRole:
        return ShiftRole(self.role.currentData())

    def _plan(self, chosen: UUID, role: ShiftRole) -> ShiftPlan:
        anchor_id, room_id = self._ends(chosen)
        return ShiftPlan(id=uuid4(), anchor_id=anchor_id, room_id=room_id, role=role,
                         starts_at=self._new.starts_at, ends_at=self._new.ends_at)

    def _fill(self, keep: str | None) -> None:
        """The choices for the role, best first; ``keep`` stays selected unless it is refused."""
        role, judged, candidates, who = self._role(), self._judged, self._candidates, self.who
        states = {Verdict.FREE: self.tr("free"), Verdict.WARNED: self.tr("warns"),
                  Verdict.REFUSED: self.tr("not possible")}
        judged.clear()
        for cid, _name, _code in candidates:
            judged[str(cid)] = list(self._context.check(self._plan(cid, role))) if self._context is not None else []
        order = sorted(range(len(candidates)), key=lambda n: (Verdict.of(judged[str(candidates[n][0])]), n))
        who.blockSignals(True)
        who.clear()
        for n in order:
            cid, name, code = candidates[n]
            state = Verdict.of(judged[str(cid)])
            # The name and code elided, so that the verdict after them always shows.
            shown = _elided(self.tr("%1 (%2)").replace("%1", name).replace("%2", code), who, CHOICE_WIDTH)
            who.addItem(verdict_icon(state, who), self.tr("%1 · %2").replace("%1", shown).replace("%2", states[state]),
                        str(cid))
            who.setItemData(who.count() - 1, f"{name} ({code})", Qt.ItemDataRole.ToolTipRole)
        index = who.findData(keep) if keep else -1
        if index < 0 or Verdict.of(judged[keep or ""]) is Verdict.REFUSED:
            index = 0
        who.setCurrentIndex(index)
        who.blockSignals(False)
        self._judge()

    def _judge(self) -> None:
        chosen = self.who.currentData()
        found = self._judged.get(chosen, []) if chosen is not None else []
        state = Verdict.of(found) if chosen is not None else Verdict.REFUSED
        blocks = [v.message for v in blocking(found)]
        warned = [v.message for v in warnings(found)]
        self.mark.setPixmap(verdict_icon(state, self.mark).pixmap(16, 16))
        said = self.verdict.text()
        self.verdict.setText(render(blocks) if blocks else render(warned) if warned
                             else self.tr("The rules find nothing against this shift.") if chosen is not None
                             else self.tr("Nothing to choose from."))
        self.form.setRowVisible(self.reason, state is Verdict.WARNED)
        self.ok_button.setEnabled(state is Verdict.FREE
                                  or (state is Verdict.WARNED and bool(self.reason.text().strip())))
        if self.isVisible() and self.verdict.text() != said:
            self.adjustSize()   # a longer verdict gets its lines, within the maximum width


def _elided(text: str, widget: QWidget, width: int) -> str:
    return widget.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, width)
