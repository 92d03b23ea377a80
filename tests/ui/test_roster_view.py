"""The roster week board on a demo store: drag, refuse, resize, create, undo, filters, My shifts.

Everything runs against the real roster service and database of a demo
copy; prompts the page would show as dialogs are answered by replacing the
page's prompt callables (no service is mocked).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from uuid import UUID

import pytest
from PySide6.QtCore import QPoint, Qt

from console.domain.enums import RequestStatus, Role, ShiftRole, ShiftStatus
from console.domain.values import ShiftRow
from console.rules.roster import ShiftPlan
from tests.ui.conftest import activate, in_loop, manager_window, run, wait_until, window_for
from ui.models.week import SHIFTS_ROLE, LaneKind, WeekModel
from ui.views.roster import RosterPage
from ui.views.week_board import LANE_HEADER_WIDTH, WeekBoard

MINUTE = timedelta(minutes=1)
Q = timedelta(minutes=15)


# --- helpers ---------------------------------------------------------------------------------
@pytest.fixture
def page(console, qloop, qtbot) -> RosterPage:  # type: ignore[no-untyped-def]
    window = manager_window(console, qloop)
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    activate(window)
    run(qloop, window.show_view("roster"))
    roster = window.pages["roster"]
    assert isinstance(roster, RosterPage)
    assert roster.problem_label.isHidden(), roster.problem_label.text()
    # One pixel per minute: a 15-minute snap is 15 px, so mouse positions are exact.
    roster.board.set_zoom(1.0)
    roster.window_ = window  # keep the window alive with the page
    return roster


def saved(qloop, page: RosterPage, shift_id: UUID) -> ShiftRow | None:  # type: ignore[no-untyped-def]
    """The shift as the database has it now (through the service, not the model)."""
    start = page.week_start - timedelta(days=14)
    rows = run(qloop, page.call(page.roster.shifts_between, start, start + timedelta(days=42)))
    return next((s for s in rows if s.id == shift_id), None)


def settle(qloop, page: RosterPage) -> None:  # type: ignore[no-untyped-def]
    wait_until(qloop, lambda: not page.busy and not page.editor.stepping)


def shown(board: WeekBoard, shift: ShiftRow) -> QPoint:
    """Select a shift (scrolling it into view) and return its block's centre."""
    board.select_shift(shift.id)
    rect = board.block_rect(shift.id)
    assert rect is not None
    return QPoint(round(rect.center().x()), round(rect.center().y()))


def drag(qtbot, qloop, board: WeekBoard, start: QPoint, end: QPoint, steps: int = 4) -> None:  # type: ignore[no-untyped-def]
    viewport = board.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for n in range(1, steps + 1):
        qtbot.mouseMove(viewport, pos=start + (end - start) * n / steps)
    in_loop(qloop, lambda: qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end))


def movable(page: RosterPage, *, delta: timedelta, resize: bool = False, warn: bool | None = False,
            role: ShiftRole | None = None) -> ShiftRow:
    """A shift the rules let move (or stretch) by ``delta`` within the drawn hours, judged on the board."""
    board = page.board
    for s in page.model.shifts():
        if role is not None and s.role is not role:
            continue
        starts, ends = (s.starts_at, s.ends_at + delta) if resize else (s.starts_at + delta, s.ends_at + delta)
        local_start, local_end = starts.astimezone(page.model.zone), ends.astimezone(page.model.zone)
        if local_start.date() != s.starts_at.astimezone(page.model.zone).date() or local_end.hour < 9 \
                or local_start.hour < 9:
            continue
        proposal = board.propose(s, starts, ends)
        if proposal.refused or (warn is not None and bool(proposal.warnings) != warn):
            continue
        return s
    pytest.fail("the demo week has no shift that moves that way; the test needs one")


# --- the model ------------------------------------------------------------------------------
def test_week_model_passes_the_model_tester(page: RosterPage, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = page.model
    assert model.rowCount() == len([r for r in model.rooms if r.active]) > 0
    assert model.columnCount() == 7
    qtmodeltester.check(model)
    model.set_kind(LaneKind.ANCHORS)
    qtmodeltester.check(model)
    assert model.rowCount() == len(model.anchors)
    cells = [model.index(r, c).data(SHIFTS_ROLE) for r in range(model.rowCount()) for c in range(7)]
    assert sum(len(c) for c in cells) == len(model.shifts())
    assert model.headerData(0, Qt.Orientation.Horizontal).endswith(
        f"{model.day(0).month}/{model.day(0).day}")


def test_an_edit_changes_only_the_cells_it_touches(page: RosterPage, qloop) -> None:  # type: ignore[no-untyped-def]
    model = page.model
    shift = movable(page, delta=Q)
    resets, changed = [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.dataChanged.connect(lambda a, b, roles: changed.append((a.row(), a.column())))
    proposal = page.board.propose(shift, shift.starts_at + Q, shift.ends_at + Q)
    run(qloop, page.move(proposal))
    assert not resets
    row = model.lane_row(shift.room_id)
    day = (shift.starts_at.astimezone(model.zone).date() - model.day(0)).days
    assert (row, day) in changed
    assert len(set(changed)) <= 3


def test_standalone_week_model_is_empty_and_valid(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = WeekModel()
    qtmodeltester.check(model)
    assert model.rowCount() == 0 and model.columnCount() == 0


# --- dragging ----------------------------------------------------------------------------------
def test_drag_moves_a_shift(page: RosterPage, qtbot, qloop) -> None:  # type: ignore[no-untyped-def]
    shift = movable(page, delta=timedelta(minutes=45))
    start = shown(page.board, shift)
    drag(qtbot, qloop, page.board, start, start + QPoint(45, 0))
    settle(qloop, page)
    assert page.problem_label.isHidden(), page.problem_label.text()
    after = saved(qloop, page, shift.id)
    assert after is not None
    assert after.starts_at == shift.starts_at + timedelta(minutes=45)
    assert after.ends_at == shift.ends_at + timedelta(minutes=45)
    assert page.model.shift(shift.id).starts_at == after.starts_at
    assert page.undo_stack.count() == 1


def _clash(page: RosterPage) -> tuple[ShiftRow, ShiftRow]:
    """Two host shifts of different shows in one room on one day: moving one onto the other blocks."""
    hosts = [s for s in page.model.shifts() if s.role is ShiftRole.HOST]
    for a in hosts:
        for b in hosts:
            if a.id == b.id or a.room_id != b.room_id or a.broadcast_id == b.broadcast_id:
                continue
            if a.starts_at.astimezone(page.model.zone).date() != b.starts_at.astimezone(page.model.zone).date():
                continue
            proposal = page.board.propose(a, b.starts_at, b.starts_at + (a.ends_at - a.starts_at))
            if proposal.refused:
                return a, b
    pytest.fail("the demo week has no two shows in one room on one day; the test needs them")


def test_drag_onto_a_booked_room_is_refused_with_the_reason(page: RosterPage, qtbot, qloop) -> None:  # type: ignore[no-untyped-def]
    a, b = _clash(page)
    board = page.board
    start = shown(board, a)
    offset = round((b.starts_at - a.starts_at) / MINUTE)
    end = start + QPoint(offset, 0)
    viewport = board.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(viewport, pos=start + QPoint(offset // 2, 0))
    qtbot.mouseMove(viewport, pos=end)
    # Refused on the spot, before the drop: red, with the reason beside the block.
    assert "already booked" in board.feedback_text
    in_loop(qloop, lambda: qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end))
    settle(qloop, page)
    assert not page.problem_label.isHidden()
    assert "already booked" in page.problem_label.text()
    assert saved(qloop, page, a.id).starts_at == a.starts_at
    assert page.model.shift(a.id).starts_at == a.starts_at
    assert page.undo_stack.count() == 0


def test_dragging_the_right_edge_resizes(page: RosterPage, qtbot, qloop) -> None:  # type: ignore[no-untyped-def]
    shift = movable(page, delta=timedelta(minutes=-30), resize=True)
    page.board.select_shift(shift.id)
    rect = page.board.block_rect(shift.id)
    start = QPoint(round(rect.right()) - 2, round(rect.center().y()))
    drag(qtbot, qloop, page.board, start, start - QPoint(30, 0))
    settle(qloop, page)
    after = saved(qloop, page, shift.id)
    assert (after.starts_at, after.ends_at) == (shift.starts_at, shift.ends_at - timedelta(minutes=30))


def _free_span(page: RosterPage) -> tuple[int, datetime, datetime, UUID]:
    """An hour to come in a room lane with no shift, and an anchor free to work it without a warning."""
    model, context = page.model, page.model.context
    soon = datetime.now(model.zone) + timedelta(hours=1)   # a past start is refused
    for row in range(model.rowCount()):
        lane = model.lane(row)
        for day in range(7):
            taken = model.shifts_in(row, day)
            for hour in (10, 11, 13, 14, 16, 17, 19, 20):
                starts = datetime(*model.day(day).timetuple()[:3], hour, 0, tzinfo=model.zone)
                ends = starts + timedelta(hours=1)
                if starts < soon or any(s.starts_at < ends + Q and s.ends_at > starts - Q for s in taken):
                    continue
                for anchor in model.anchors:
                    plan = ShiftPlan(id=UUID(int=1), anchor_id=anchor.id, room_id=lane.id,
                                     role=ShiftRole.ROOM_CONTROLLER, starts_at=starts, ends_at=ends)
                    if not context.check(plan):
                        return row, starts, ends, anchor.id
    pytest.fail("the demo week has no free hour; the test needs one")


def test_drag_on_an_empty_lane_creates_a_shift_and_undo_redo_it(page: RosterPage, qtbot, qloop) -> None:  # type: ignore[no-untyped-def]
    row, starts, ends, anchor_id = _free_span(page)
    lane = page.model.lane(row)
    asked = []
    page.new_shift_prompt = lambda new: asked.append(new) or (anchor_id, new.lane.id, ShiftRole.ROOM_CONTROLLER)
    board = page.board
    board.ensure_visible(board._rect_for(starts, ends, row, 0))
    drag(qtbot, qloop, board, board.point_at(starts, row), board.point_at(ends, row))
    settle(qloop, page)
    assert page.problem_label.isHidden(), page.problem_label.text()
    assert asked and asked[0].lane == lane
    assert (asked[0].starts_at, asked[0].ends_at) == (starts, ends)
    created = [s for s in page.model.shifts() if s.starts_at == starts and s.anchor_id == anchor_id]
    assert len(created) == 1
    new_id = created[0].id
    row_saved = saved(qloop, page, new_id)
    assert row_saved.room_id == lane.id and row_saved.status is ShiftStatus.DRAFT
    in_loop(qloop, page.undo)
    settle(qloop, page)
    assert saved(qloop, page, new_id) is None
    assert page.model.shift(new_id) is None
    in_loop(qloop, page.redo)
    settle(qloop, page)
    assert saved(qloop, page, new_id) is not None   # the same row, revived
    assert page.model.shift(new_id) is not None


# --- keyboard, undo and redo ------------------------------------------------------------------------
def test_arrow_keys_move_and_undo_redo_restore(page: RosterPage, qtbot, qloop) -> None:  # type: ignore[no-untyped-def]
    shift = movable(page, delta=Q)
    board = page.board
    board.setFocus()
    board.select_shift(shift.id)
    in_loop(qloop, lambda: qtbot.keyClick(board, Qt.Key.Key_Right))
    settle(qloop, page)
    assert saved(qloop, page, shift.id).starts_at == shift.starts_at + Q
    in_loop(qloop, page.undo)
    settle(qloop, page)
    assert saved(qloop, page, shift.id).starts_at == shift.starts_at
    assert page.model.shift(shift.id).starts_at == shift.starts_at
    in_loop(qloop, page.redo)
    settle(qloop, page)
    assert saved(qloop, page, shift.id).starts_at == shift.starts_at + Q


def test_ctrl_z_in_the_window_undoes_a_removal_and_redo_removes_again(page: RosterPage, qtbot, qloop) -> None:  # type: ignore[no-untyped-def]
    shift = page.model.shifts()[0]
    board = page.board
    board.setFocus()
    board.select_shift(shift.id)
    in_loop(qloop, lambda: qtbot.keyClick(board, Qt.Key.Key_Delete))
    settle(qloop, page)
    assert saved(qloop, page, shift.id) is None
    assert page.model.shift(shift.id) is None
    window = page.window_
    in_loop(qloop, lambda: qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier))
    settle(qloop, page)
    back = saved(qloop, page, shift.id)
    assert back is not None and (back.starts_at, back.anchor_id) == (shift.starts_at, shift.anchor_id)
    in_loop(qloop, lambda: qtbot.keyClick(
        window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier))
    settle(qloop, page)
    assert saved(qloop, page, shift.id) is None


def test_a_refused_undo_is_shown_and_the_stack_stays_put(page: RosterPage, qloop) -> None:  # type: ignore[no-untyped-def]
    shift = page.model.shifts()[0]
    run(qloop, page.remove(shift))
    assert page.undo_stack.index() == 1
    # Someone books the same anchor at the same time meanwhile: bringing the shift back must fail.
    run(qloop, page.call(page.roster.add_shift, anchor_id=shift.anchor_id, room_id=shift.room_id,
                         role=ShiftRole.ROOM_CONTROLLER, starts_at=shift.starts_at, ends_at=shift.ends_at,
                         override_reason="test"))
    in_loop(qloop, page.undo)
    settle(qloop, page)
    assert not page.problem_label.isHidden()
    assert "Could not undo" in page.problem_label.text()
    assert page.undo_stack.index() == 1 and page.undo_stack.canUndo() and not page.undo_stack.canRedo()
    assert saved(qloop, page, shift.id) is None


def test_a_warned_move_asks_for_a_reason_and_records_it(page: RosterPage, qtbot, qloop) -> None:  # type: ignore[no-untyped-def]
    shift = movable(page, delta=timedelta(minutes=60), resize=True, warn=True, role=ShiftRole.HOST)
    asked: list[list[str]] = []
    page.reason_prompt = lambda found: asked.append(found) or "品牌方要求延长讲解"
    page.board.select_shift(shift.id)
    rect = page.board.block_rect(shift.id)
    start = QPoint(round(rect.right()) - 2, round(rect.center().y()))
    drag(qtbot, qloop, page.board, start, start + QPoint(60, 0))
    settle(qloop, page)
    assert asked and asked[0]
    after = saved(qloop, page, shift.id)
    assert after.ends_at == shift.ends_at + timedelta(minutes=60)
    assert after.override_reason == "品牌方要求延长讲解"
    assert page.model.shift(shift.id).warnings


def test_a_warned_move_without_a_reason_is_not_saved(page: RosterPage, qloop) -> None:  # type: ignore[no-untyped-def]
    shift = movable(page, delta=timedelta(minutes=60), resize=True, warn=True, role=ShiftRole.HOST)
    page.reason_prompt = lambda found: None
    run(qloop, page.move(page.board.propose(shift, shift.starts_at, shift.ends_at + timedelta(minutes=60))))
    assert "needs a reason" in page.problem_label.text()
    assert saved(qloop, page, shift.id).ends_at == shift.ends_at
    assert page.undo_stack.count() == 0


# --- filters and navigation ------------------------------------------------------------------------
def test_filters_by_room_anchor_and_role(page: RosterPage, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = page.model
    room = model.rooms[0]
    page.set_filters(room=room.id)
    assert model.rowCount() == 1 and model.lane(0).id == room.id
    assert all(s.room_id == room.id for s in model.shifts())
    page.set_filters(role=ShiftRole.ROOM_CONTROLLER)
    assert model.rowCount() == len([r for r in model.rooms if r.active])
    assert model.shifts() and all(s.role is ShiftRole.ROOM_CONTROLLER for s in model.shifts())
    qtmodeltester.check(model)
    page.anchors_button.click()
    anchor = model.shifts()[0].anchor_id
    page.set_filters(anchor=anchor)
    assert model.kind is LaneKind.ANCHORS and model.rowCount() == 1 and model.lane(0).id == anchor
    assert all(s.anchor_id == anchor for s in model.shifts())
    qtmodeltester.check(model)
    page.set_filters()
    assert model.rowCount() == len(model.anchors)


def test_week_navigation_and_copy_last_week_undo(page: RosterPage, qloop) -> None:  # type: ignore[no-untyped-def]
    this_week = page.week_start
    in_loop(qloop, page.next_button.click)
    wait_until(qloop, lambda: page.week_start > this_week and page.next_button.isEnabled())
    settle(qloop, page)
    assert page.model.day(0) == (this_week + timedelta(days=7)).astimezone(page.model.zone).date()
    in_loop(qloop, page.this_week_button.click)
    wait_until(qloop, lambda: page.week_start == this_week and page.this_week_button.isEnabled())


def test_publish_publishes_the_weeks_drafts(page: RosterPage, qloop) -> None:  # type: ignore[no-untyped-def]
    shift = movable(page, delta=Q)
    run(qloop, page.move(page.board.propose(shift, shift.starts_at + Q, shift.ends_at + Q)))
    assert page.model.unpublished_count() >= 1 and page.publish_button.isEnabled()
    page.publish_prompt = lambda _summary: True   # the manager agrees to the summary
    in_loop(qloop, page.publish_button.click)
    wait_until(qloop, lambda: page.model.unpublished_count() == 0)
    after = saved(qloop, page, shift.id)
    assert after.status is ShiftStatus.PUBLISHED and not after.changed_since_publish


def test_manager_approves_a_time_off_request(page: RosterPage, qloop) -> None:  # type: ignore[no-untyped-def]
    if page.time_off_list.count() == 0:
        pytest.fail("the demo has no open time-off request; the test needs one")
    item = page.time_off_list.item(0)
    request_id = item.data(Qt.ItemDataRole.UserRole)
    page.time_off_list.setCurrentItem(item)
    before = page.time_off_list.count()
    in_loop(qloop, page.approve_time_off.click)
    wait_until(qloop, lambda: page.time_off_list.count() == before - 1)
    now = datetime.now().astimezone()
    rows = run(qloop, page.call(page.roster.time_off_between, now - timedelta(days=2), now + timedelta(days=150)))
    assert next(t for t in rows if t.id == request_id).status is RequestStatus.APPROVED


# --- anchors: My shifts --------------------------------------------------------------------------------
def test_an_anchor_sees_my_shifts_and_asks_for_time_off(console, qloop, qtbot, demo_users) -> None:  # type: ignore[no-untyped-def]
    login = next(u.login for u in demo_users if u.role is Role.ANCHOR)
    window = window_for(console, qloop, login)
    qtbot.addWidget(window)
    window.show()
    run(qloop, window.show_view("roster"))
    page = window.pages["roster"]
    assert isinstance(page, RosterPage)
    assert page.problem_label.isHidden(), page.problem_label.text()
    assert page.pages.currentWidget() is page.mine_page
    assert page.title_label.text() == "My shifts"
    assert not page.publish_button.isVisibleTo(page)
    rows = page.my_model.rows()
    assert all(r.status is ShiftStatus.PUBLISHED for r in rows)
    assert len({r.anchor_id for r in rows}) <= 1
    starts = datetime.now().astimezone() + timedelta(days=20)
    starts = starts.replace(hour=0, minute=0, second=0, microsecond=0)
    page.time_off_prompt = lambda: (starts, starts + timedelta(days=1), "家中有事")
    in_loop(qloop, page.time_off_button.click)
    wait_until(qloop, lambda: "store manager will decide" in page.mine_message.text())
    manager = manager_window(console, qloop)
    qtbot.addWidget(manager)
    found = run(qloop, console.worker.run(manager._services.roster.time_off_between, starts, starts + timedelta(days=1)))
    mine = [t for t in found if t.reason == "家中有事"]
    assert mine and mine[0].status is RequestStatus.REQUESTED
    coming = [n for n, r in enumerate(rows) if r.starts_at > datetime.now().astimezone()]
    if coming:
        # A swap is for a shift still to come, offered to a colleague the rules let take it.
        page.mine_view.selectRow(coming[0])
        chosen = []
        page.swap_prompt = lambda shift, options: chosen.append(next(o for o in options if o.free).anchor.id) or (
            chosen[0], "换班")
        in_loop(qloop, page.swap_button.click)
        wait_until(qloop, lambda: "Offered your shift" in page.mine_message.text()
                   or not page.problem_label.isHidden())
        assert page.problem_label.isHidden(), page.problem_label.text()
        swaps = run(qloop, console.worker.run(manager._services.roster.swaps))
        assert any(s.to_anchor_id == chosen[0] and s.reason == "换班" for s in swaps)


def test_board_lane_header_and_geometry(page: RosterPage) -> None:
    board = page.board
    shift = page.model.shifts()[0]
    x = board.x_of(shift.starts_at)
    assert x >= LANE_HEADER_WIDTH
    assert board.time_at(x) == shift.starts_at


def test_the_reason_dialog_is_a_real_dialog_answered_by_the_manager(page: RosterPage, qloop) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit

    shift = movable(page, delta=timedelta(minutes=60), resize=True, warn=True, role=ShiftRole.HOST)
    seen: list[str] = []

    def answer() -> None:
        dialogs = [d for d in page.findChildren(QDialog, "ReasonDialog") if d.isVisible()]
        if not dialogs:
            QTimer.singleShot(20, answer)
            return
        dialog = dialogs[0]
        seen.append(dialog.findChild(QLabel).text())
        dialog.findChild(QLineEdit).setText("大促加场")
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(20, answer)
    run(qloop, page.move(page.board.propose(shift, shift.starts_at, shift.ends_at + timedelta(minutes=60))))
    assert seen and "Why go ahead anyway?" in seen[0]
    assert saved(qloop, page, shift.id).override_reason == "大促加场"


# --- the core's words, in the window's language ------------------------------------------------------
# Two English words in a row: what a sentence the catalog missed looks like (codes such as "R05" or
# "SK-II" are single words).
ENGLISH_WORDS = re.compile(r"[A-Za-z]{2,}[\s,.'’]+[A-Za-z]{2,}")


def reads_in_chinese(text: str) -> bool:
    return "已" in text and not ENGLISH_WORDS.search(text)


def switch_language(console, qloop, page: RosterPage, language: str) -> None:  # type: ignore[no-untyped-def]
    """Choose a language as the View menu does, and let the posted LanguageChange reach the page."""
    console.set_language(language)
    title = "Roster" if language == "en" else "排班"
    wait_until(qloop, lambda: page.title_label.text() == title)


def test_a_refusal_on_the_board_reads_in_chinese_then_in_english(console, page: RosterPage, qtbot, qloop) -> None:  # type: ignore[no-untyped-def]
    a, b = _clash(page)
    switch_language(console, qloop, page, "zh_CN")
    board = page.board
    start = shown(board, a)
    end = start + QPoint(round((b.starts_at - a.starts_at) / MINUTE), 0)
    viewport = board.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(viewport, pos=(start + end) / 2)
    qtbot.mouseMove(viewport, pos=end)
    # During the drag: the rules' reason beside the block, in Chinese.
    assert reads_in_chinese(board.feedback_text), board.feedback_text
    in_loop(qloop, lambda: qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end))
    settle(qloop, page)
    assert not page.problem_label.isHidden()
    assert reads_in_chinese(page.problem_label.text()), page.problem_label.text()
    assert saved(qloop, page, a.id).starts_at == a.starts_at

    # Switching language while the refusal is on screen shows it again in the new language.
    switch_language(console, qloop, page, "en")
    assert page.problem_label.text().startswith("Not moved: ")
    assert "already booked" in page.problem_label.text()
    assert "已" not in page.problem_label.text()
    # And a new drag is judged in English.
    start = shown(board, a)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(viewport, pos=(start + end) / 2)
    qtbot.mouseMove(viewport, pos=end)
    assert "already booked" in board.feedback_text
    in_loop(qloop, lambda: qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end))
    settle(qloop, page)


def test_a_service_refusal_reads_in_chinese_in_the_problem_line(console, page: RosterPage, qloop) -> None:  # type: ignore[no-untyped-def]
    switch_language(console, qloop, page, "zh_CN")
    shift = page.model.shifts()[0]
    run(qloop, page.remove(shift))
    # Someone books the same anchor at the same time meanwhile: the service refuses to bring it back.
    run(qloop, page.call(page.roster.add_shift, anchor_id=shift.anchor_id, room_id=shift.room_id,
                         role=ShiftRole.ROOM_CONTROLLER, starts_at=shift.starts_at, ends_at=shift.ends_at,
                         override_reason="test"))
    in_loop(qloop, page.undo)
    settle(qloop, page)
    shown_text = page.problem_label.text()
    assert not page.problem_label.isHidden()
    assert shown_text.startswith("无法撤销"), shown_text
    assert reads_in_chinese(shown_text), shown_text

    switch_language(console, qloop, page, "en")
    assert page.problem_label.text().startswith("Could not undo")
    assert "already" in page.problem_label.text() and "已" not in page.problem_label.text()


def test_a_shifts_warnings_follow_the_language(console, page: RosterPage, qloop) -> None:  # type: ignore[no-untyped-def]
    """The week model keeps the rules' messages, and renders them when asked, in the language of the moment."""
    shift = movable(page, delta=timedelta(minutes=60), resize=True, warn=True, role=ShiftRole.HOST)
    page.reason_prompt = lambda found: "大促加场"
    run(qloop, page.move(page.board.propose(shift, shift.starts_at, shift.ends_at + timedelta(minutes=60))))
    row = page.model.shift(shift.id)
    assert row is not None and row.warnings
    english = page.model.warning_texts(row)
    assert english and all(ENGLISH_WORDS.search(w) for w in english)
    switch_language(console, qloop, page, "zh_CN")
    chinese = page.model.warning_texts(page.model.shift(shift.id))
    assert chinese and not any(ENGLISH_WORDS.search(w) for w in chinese), chinese
    tooltip = re.sub(r"<[^>]+>", " ", page.board.tooltip_for(page.model.shift(shift.id)))
    assert all(w in tooltip for w in chinese) and not ENGLISH_WORDS.search(tooltip), tooltip
