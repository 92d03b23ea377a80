"""The roster's prompts as a manager meets them: the reason asked once, the create-shift popup, sane sizes.

The dialogs are the real ones, opened by the page and answered through their
widgets; the roster service and database are a demo copy's.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from console.domain.enums import Affiliation, ShiftRole
from console.domain.values import ShiftRow
from console.i18n import msg
from console.rules.roster import Severity, ShiftPlan, Violation
from tests.ui.conftest import in_loop, run, wait_until
from tests.ui.test_roster_view import Q, page, saved, settle  # noqa: F401  (the page fixture)
from ui.views.roster import RosterPage
from ui.views.roster_dialogs import PROMPT_MAX_WIDTH
from ui.views.roster_editor import held_reason
from ui.views.week_board import NewShift, Proposal, Verdict, verdict_icon

LONG_NAME = "欧阳" + "雨" * 118     # as long as the anchor's name column allows (120)


# --- helpers -----------------------------------------------------------------------------------
def opened(qloop, page: RosterPage, name: str, prompt) -> tuple[asyncio.Task[Any], QDialog]:  # type: ignore[no-untyped-def]
    """Start a prompt as the page would and return it with its dialog, shown."""
    task = qloop.create_task(prompt)
    wait_until(qloop, lambda: any(d.isVisible() for d in page.findChildren(QDialog, name)))
    dialog = next(d for d in page.findChildren(QDialog, name) if d.isVisible())
    return task, dialog


def ok_button(dialog: QDialog) -> Any:
    return dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)


def answer(qloop, task: asyncio.Task[Any], dialog: QDialog, accept: bool = True) -> Any:  # type: ignore[no-untyped-def]
    in_loop(qloop, ok_button(dialog).click if accept else dialog.reject)
    return run(qloop, task)


def next_week(qloop, page: RosterPage) -> None:  # type: ignore[no-untyped-def]
    """Go to next week: every hour of it is still to come."""
    local = page.week_start.astimezone(page.model.zone).date() + timedelta(days=7)
    page.week_start = datetime.combine(local, time(), page.model.zone).astimezone(UTC)
    run(qloop, page.refresh())


def free_room_span(page: RosterPage) -> NewShift:
    """Two hours in a room lane, next week, with no shift in the room."""
    model = page.model
    for row in range(model.rowCount()):
        lane = model.lane(row)
        for day in range(7):
            for hour in (10, 13, 16, 19):
                starts = datetime.combine(model.day(day), time(hour), model.zone).astimezone(UTC)
                ends = starts + timedelta(hours=2)
                if not any(s.room_id == lane.id and s.starts_at < ends and s.ends_at > starts
                           for s in model.shifts()):
                    return NewShift(lane, starts, ends)
    pytest.fail("next week has no free room hours; the test needs some")


def choices(dialog: QDialog) -> list[tuple[str, str]]:
    who = dialog.findChild(QComboBox, "WhoChoice")
    return [(who.itemData(i), who.itemText(i)) for i in range(who.count())]


def state_of(text: str) -> Verdict:
    return Verdict.REFUSED if "not possible" in text else Verdict.WARNED if "warns" in text else Verdict.FREE


def prepare_choices(qloop, page: RosterPage, new: NewShift) -> tuple[UUID, UUID]:  # type: ignore[no-untyped-def]
    """One anchor who would warn for ``new`` (weekly cap of 1 h) and one refused (booked elsewhere then)."""
    context = page.model.context

    def blocks(anchor_id: UUID, room_id: UUID) -> bool:
        plan = ShiftPlan(id=uuid4(), anchor_id=anchor_id, room_id=room_id, role=ShiftRole.ROOM_CONTROLLER,
                         starts_at=new.starts_at, ends_at=new.ends_at)
        return any(v.severity is Severity.BLOCK for v in context.check(plan))

    free = [a.id for a in page.model.anchors if not blocks(a.id, new.lane.id)]
    warned = free[-1]
    booked, other_room = next((a, r.id) for a in free[:-1] for r in page.model.rooms
                              if r.id != new.lane.id and r.active and not blocks(a, r.id))
    run(qloop, page.call(page.roster.update_anchor, warned, weekly_hours_cap=1))
    run(qloop, page.call(page.roster.add_shift, anchor_id=booked, room_id=other_room,
                         role=ShiftRole.ROOM_CONTROLLER, starts_at=new.starts_at, ends_at=new.ends_at,
                         override_reason="test"))
    run(qloop, page.refresh())
    return warned, booked


# --- the reason prompt -------------------------------------------------------------------------------
def test_ok_stays_disabled_until_a_reason_is_typed(page: RosterPage, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    task, dialog = opened(qloop, page, "ReasonDialog", page.reason_prompt(["王芳 would rest only 9 h"]))
    reason = dialog.findChild(QLineEdit)
    ok = ok_button(dialog)
    assert not ok.isEnabled()
    in_loop(qloop, lambda: qtbot.keyClicks(reason, "   "))
    assert not ok.isEnabled(), "spaces are no reason"
    in_loop(qloop, lambda: qtbot.keyClick(reason, Qt.Key.Key_Return))
    assert dialog.isVisible(), "Enter with no reason does not accept"
    reason.insert("品牌方要求")
    assert ok.isEnabled()
    assert answer(qloop, task, dialog) == "品牌方要求"


def test_a_reason_holds_for_the_nudges_while_the_warning_stays(page: RosterPage, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    # A weekly cap of one hour: every shift of the anchor warns, and a nudge keeps the warning.
    shift = next(s for s in page.model.shifts() if not s.override_reason)
    run(qloop, page.call(page.roster.update_anchor, shift.anchor_id, weekly_hours_cap=1))
    run(qloop, page.refresh())
    board = page.board
    candidates = [s for s in page.model.shifts() if s.anchor_id == shift.anchor_id and not s.override_reason]
    for shift in candidates:
        steps = [board.propose(shift, shift.starts_at + n * Q, shift.ends_at + n * Q) for n in (1, 2, 3)]
        if all(p.warnings and not p.refused for p in steps) and \
                len({frozenset(m.id for m in p.warning_messages) for p in steps}) == 1:
            break
    else:
        pytest.fail("the demo week has no shift of that anchor to nudge three times; the test needs one")
    asked: list[list[str]] = []
    page.reason_prompt = lambda found: asked.append(found) or "大促周，店长同意"
    board.setFocus()
    board.select_shift(shift.id)
    for n in (1, 2, 3):
        in_loop(qloop, lambda: qtbot.keyClick(board, Qt.Key.Key_Right))
        settle(qloop, page)
        after = saved(qloop, page, shift.id)
        assert after.starts_at == shift.starts_at + n * Q, page.problem_label.text()
        assert after.override_reason == "大促周，店长同意"
    assert len(asked) == 1, "asked once, not at every nudge"


def _row(reason: str, *warnings: Any) -> ShiftRow:
    now = datetime(2027, 3, 1, 2, tzinfo=UTC)
    return ShiftRow(id=UUID(int=1), anchor_id=UUID(int=2), anchor_name="王芳", room_id=UUID(int=3),
                    room_name="1号直播间", role=ShiftRole.HOST, starts_at=now, ends_at=now + timedelta(hours=2),
                    status=None, broadcast_id=None, override_reason=reason, warnings=tuple(warnings))  # type: ignore[arg-type]


def _proposal(row: ShiftRow, *messages: Any) -> Proposal:
    found = tuple(Violation(rule=m.id, severity=Severity.WARN, shift_id=row.id, message=m) for m in messages)
    return Proposal(row, row.anchor_id, row.room_id, row.starts_at + Q, row.ends_at + Q, 0, found)


def rest(anchor: str, hours: int) -> Any:
    return msg("roster_rules.rest_too_short", "{anchor} would rest only {rest} (at least {minimum}).",
               anchor=anchor, rest=msg("roster_rules.hours", "{hours} h", hours=hours), minimum=11)


def cap(anchor: str) -> Any:
    return msg("roster_rules.weekly_hours_over_cap", "{anchor} would work over the cap.", anchor=anchor)


def test_the_reason_holds_while_the_same_rules_warn_about_the_same_people() -> None:
    row = _row("大促", rest("王芳", 9))
    # A nudge moves the hours the warning quotes: still the same warning.
    assert held_reason(row, _proposal(row, rest("王芳", 8))) == "大促"
    # Another rule joins, or the warning is about someone else: ask again.
    assert held_reason(row, _proposal(row, rest("王芳", 9), cap("王芳"))) is None
    assert held_reason(row, _proposal(row, rest("李娜", 9))) is None
    # Nothing recorded, nothing to hold.
    assert held_reason(_row("", rest("王芳", 9)), _proposal(row, rest("王芳", 9))) is None


# --- the create-shift popup ------------------------------------------------------------------------------
def test_the_popup_lists_the_free_first_marks_each_and_remembers_the_choice(page: RosterPage, qloop) -> None:  # type: ignore[no-untyped-def]
    next_week(qloop, page)
    new = free_room_span(page)
    warned, booked = prepare_choices(qloop, page, new)

    task, dialog = opened(qloop, page, "NewShiftDialog", page.new_shift_prompt(new))
    listed = choices(dialog)
    states = [state_of(text) for _id, text in listed]
    assert states == sorted(states) and states[0] is Verdict.FREE
    assert dict((UUID(i), state_of(t)) for i, t in listed)[warned] is Verdict.WARNED
    assert dict((UUID(i), state_of(t)) for i, t in listed)[booked] is Verdict.REFUSED
    who = dialog.findChild(QComboBox, "WhoChoice")
    assert who.currentIndex() == 0 and ok_button(dialog).isEnabled()   # a free anchor, not whoever is first
    # The markers are drawn icons, never an emoji a machine without the font shows as a box.
    assert all(not who.itemIcon(i).isNull() for i in range(who.count()))
    refused_at = who.findData(str(booked))
    in_loop(qloop, lambda: who.setCurrentIndex(refused_at))
    mark, verdict = dialog.findChild(QLabel, "VerdictMark"), dialog.findChild(QLabel, "Verdict")
    assert not ok_button(dialog).isEnabled()
    assert not mark.pixmap().isNull() and "⛔" not in verdict.text() and "already on shift" in verdict.text()

    second_free = next(n for n, (_i, t) in enumerate(listed) if state_of(t) is Verdict.FREE and n > 0)
    in_loop(qloop, lambda: who.setCurrentIndex(second_free))
    role = dialog.findChild(QComboBox, "RoleChoice")
    in_loop(qloop, lambda: role.setCurrentIndex(role.findData(ShiftRole.ROOM_CONTROLLER.value)))
    chosen_id = UUID(who.currentData())
    anchor_id, room_id, chosen_role, reason = answer(qloop, task, dialog)
    assert (anchor_id, room_id, chosen_role, reason) == (chosen_id, new.lane.id, ShiftRole.ROOM_CONTROLLER, "")

    task, dialog = opened(qloop, page, "NewShiftDialog", page.new_shift_prompt(new))
    assert UUID(dialog.findChild(QComboBox, "WhoChoice").currentData()) == chosen_id, "the last choice"
    assert dialog.findChild(QComboBox, "RoleChoice").currentData() == ShiftRole.ROOM_CONTROLLER.value
    assert answer(qloop, task, dialog, accept=False) is None


def test_a_warned_choice_takes_its_reason_in_the_popup(page: RosterPage, qloop) -> None:  # type: ignore[no-untyped-def]
    next_week(qloop, page)
    new = free_room_span(page)
    warned, _booked = prepare_choices(qloop, page, new)
    page.reason_prompt = lambda found: pytest.fail("no second dialog: the popup asked already")

    task = qloop.create_task(page.create(new))
    wait_until(qloop, lambda: any(d.isVisible() for d in page.findChildren(QDialog, "NewShiftDialog")))
    dialog = next(d for d in page.findChildren(QDialog, "NewShiftDialog") if d.isVisible())
    who = dialog.findChild(QComboBox, "WhoChoice")
    in_loop(qloop, lambda: who.setCurrentIndex(who.findData(str(warned))))
    reason = dialog.findChild(QLineEdit)
    form = dialog.findChild(QFormLayout)
    assert reason.isVisibleTo(dialog) and form.isRowVisible(reason)
    assert not ok_button(dialog).isEnabled(), "OK waits for the reason"
    reason.setText("  ")
    assert not ok_button(dialog).isEnabled()
    reason.setText("新人带教")
    assert ok_button(dialog).isEnabled()
    in_loop(qloop, ok_button(dialog).click)
    run(qloop, task)

    assert page.problem_label.isHidden(), page.problem_label.text()
    created = [s for s in page.model.shifts() if s.anchor_id == warned and s.starts_at == new.starts_at]
    assert len(created) == 1
    assert saved(qloop, page, created[0].id).override_reason == "新人带教"


def test_a_shift_starting_in_the_past_is_refused_before_asking(page: RosterPage, qloop) -> None:  # type: ignore[no-untyped-def]
    lane = page.model.lane(0)
    starts = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(hours=3)
    asked: list[NewShift] = []
    page.new_shift_prompt = lambda new: asked.append(new) or (page.model.anchors[0].id, lane.id, ShiftRole.HOST)
    before = len(page.model.shifts())

    run(qloop, page.create(NewShift(lane, starts, starts + timedelta(hours=1))))

    assert not asked
    assert "in the past" in page.problem_label.text()
    assert len(page.model.shifts()) == before


# --- sizes --------------------------------------------------------------------------------------------
def _inside(widget: QWidget, dialog: QDialog) -> bool:
    top_left = widget.mapTo(dialog, widget.rect().topLeft())
    return dialog.rect().contains(top_left) and dialog.rect().contains(top_left + widget.rect().bottomRight())


def test_prompts_keep_a_sane_size_with_the_longest_names(page: RosterPage, qloop) -> None:  # type: ignore[no-untyped-def]
    run(qloop, page.call(page.roster.add_anchor, code="A" * 32, name=LONG_NAME, affiliation=Affiliation.GUEST))
    next_week(qloop, page)
    new = free_room_span(page)

    task, dialog = opened(qloop, page, "NewShiftDialog", page.new_shift_prompt(new))
    who = dialog.findChild(QComboBox, "WhoChoice")
    long_at = next(i for i in range(who.count()) if who.itemData(i, Qt.ItemDataRole.ToolTipRole).startswith(LONG_NAME))
    in_loop(qloop, lambda: who.setCurrentIndex(long_at))
    assert dialog.width() <= PROMPT_MAX_WIDTH
    assert all(_inside(b, dialog) for b in dialog.findChild(QDialogButtonBox).buttons())
    assert "…" in who.itemText(long_at)
    answer(qloop, task, dialog, accept=False)

    warning = f"{LONG_NAME} would be on air 300 minutes in a row from 10:00 to 15:00 on Mon Mar 1 (limit 240)."
    task, dialog = opened(qloop, page, "ReasonDialog", page.reason_prompt([warning, warning]))
    assert dialog.width() <= PROMPT_MAX_WIDTH
    assert all(_inside(b, dialog) for b in dialog.findChild(QDialogButtonBox).buttons())
    answer(qloop, task, dialog, accept=False)


def test_the_verdict_icons_are_drawn_by_the_style(page: RosterPage) -> None:
    for verdict in Verdict:
        assert not verdict_icon(verdict, page).isNull()
    assert Verdict.of([]) is Verdict.FREE
    found = [Violation(rule="x", severity=Severity.WARN, shift_id=uuid4(), message=cap("王芳"))]
    assert Verdict.of(found) is Verdict.WARNED
