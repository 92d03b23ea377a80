"""The roster board as a manager (and an anchor) met it on first use, issue 9 items 2-7, with real widgets.

A removal counts for publishing and its undo restores the shift as it was;
approving time off and deactivating an anchor list the shifts they strand in
a real dialog, then the board flags them and lists them; copying last week
shows every row before it copies the rest; the time-off and swap dialogs
refuse what makes no sense. A demo store copy, the real services.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID

import pytest
from PySide6.QtCore import QDate, Qt

from console.domain.enums import RequestStatus, Role, ShiftStatus, TimeOffKind
from console.domain.values import ShiftRow
from console.storage.models import TimeOff
from tests.ui.conftest import (
    activate,
    in_loop,
    manager_window,
    run,
    wait_until,
    window_for,
)
from ui.models.week import LaneKind
from ui.views.people import PeopleDialog
from ui.views.roster import RosterPage
from ui.views.roster_dialogs import (
    CopyPreviewDialog,
    StrandedShiftsDialog,
    SwapDialog,
    TimeOffDialog,
)


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
    roster.window_ = window  # keep the window alive with the page
    return roster


def settle(qloop, page: RosterPage) -> None:  # type: ignore[no-untyped-def]
    wait_until(qloop, lambda: not page.busy and not page.editor.stepping)


def go_to_week(qloop, page: RosterPage, weeks: int) -> None:  # type: ignore[no-untyped-def]
    local = page.week_start.astimezone(page.model.zone).date() + timedelta(days=7 * weeks)
    page.week_start = datetime.combine(local, time(), page.model.zone).astimezone(UTC)
    run(qloop, page.refresh())


def coming(page: RosterPage, *, published: bool = False) -> list[ShiftRow]:
    """This board week's shifts that start an hour from now or later (unchanged published ones if asked)."""
    soon = datetime.now(UTC) + timedelta(hours=1)
    return [s for s in page.model.shifts() if s.starts_at > soon and not s.problems
            and (not published or (s.status is ShiftStatus.PUBLISHED and not s.changed_since_publish))]


def week_with_coming_shifts(qloop, page: RosterPage, *, published: bool = False) -> list[ShiftRow]:  # type: ignore[no-untyped-def]
    found = coming(page, published=published)
    if not found:            # late on a Sunday: next week has what is still to come
        go_to_week(qloop, page, 1)
        if published:
            run(qloop, page.call(page.roster.publish, page.week_start, page.week_start + timedelta(days=7)))
            run(qloop, page.refresh())
        found = coming(page, published=published)
    if not found:
        pytest.fail("the demo has no shift still to come; the test needs one")
    return found


def dialog_of(qloop, owner, kind):  # type: ignore[no-untyped-def]
    wait_until(qloop, lambda: isinstance(owner.open_dialog, kind) and owner.open_dialog.isVisible())
    return owner.open_dialog


def count_in(button_text: str) -> int:
    return int(button_text.rsplit("(", 1)[1].rstrip(")")) if "(" in button_text else 0


# --- 2: a removal waits for publishing, its undo restores the published shift -------------------------------
def test_removing_a_published_shift_counts_for_publishing_and_undo_restores_it(page: RosterPage, qloop) -> None:  # type: ignore[no-untyped-def]
    shift = week_with_coming_shifts(qloop, page, published=True)[0]
    before = page.model.unpublished_count()

    run(qloop, page.remove(shift))

    assert page.model.shift(shift.id) is None
    assert page.model.unpublished_count() == before + 1
    assert count_in(page.publish_button.text()) == before + 1 and page.publish_button.isEnabled()
    assert [w.id for w in page.model.withdrawn()] == [shift.id]

    in_loop(qloop, page.undo)
    settle(qloop, page)

    back = page.model.shift(shift.id)
    assert back is not None and page.problem_label.isHidden(), page.problem_label.text()
    assert (back.status, back.changed_since_publish) == (ShiftStatus.PUBLISHED, False)
    assert page.model.unpublished_count() == before and page.model.withdrawn() == []


# --- 3: approving time off over booked shifts ---------------------------------------------------------------
def _request_time_off(console, qloop, page: RosterPage, anchor_id: UUID, day: date) -> UUID:  # type: ignore[no-untyped-def]
    """An anchor's request for one whole day, as the anchor's own console would have written it."""
    store = run(qloop, console.worker.run(console.auth.local_store))
    zone = page.model.zone
    row = TimeOff(store_id=store.id, anchor_id=anchor_id, kind=TimeOffKind.TIME_OFF,
                  starts_at=datetime.combine(day, time(), zone).astimezone(UTC),
                  ends_at=datetime.combine(day + timedelta(days=1), time(), zone).astimezone(UTC),
                  reason="家中有事", status=RequestStatus.REQUESTED)

    def write() -> UUID:
        with console.db.begin() as s:
            s.add(row)
            s.flush()
            return row.id

    request_id = run(qloop, console.worker.run(write))
    run(qloop, page.refresh())
    # The write reaches the page through the stream of changes too: let that reload end first, or
    # a click lands while the screen is busy with it.
    wait_until(qloop, lambda: not page.busy and not page.refresh_pending)
    return request_id


def test_approving_time_off_lists_the_booked_shifts_then_the_board_flags_them(console, page: RosterPage, qloop) -> None:  # type: ignore[no-untyped-def]
    shift = week_with_coming_shifts(qloop, page)[0]
    day = shift.starts_at.astimezone(page.model.zone).date()
    request_id = _request_time_off(console, qloop, page, shift.anchor_id, day)
    now = datetime.now(UTC)
    day_start = datetime.combine(day, time(), page.model.zone)
    inside = {s.id for s in page.model.all_shifts() if s.anchor_id == shift.anchor_id and s.ends_at > now
              and s.starts_at < day_start + timedelta(days=1) and s.ends_at > day_start}
    item = next(page.time_off_list.item(n) for n in range(page.time_off_list.count())
                if page.time_off_list.item(n).data(Qt.ItemDataRole.UserRole) == request_id)
    page.time_off_list.setCurrentItem(item)

    in_loop(qloop, page.approve_time_off.click)
    dialog = dialog_of(qloop, page, StrandedShiftsDialog)

    # Every clashing shift is listed, with why, before anything is approved.
    assert dialog.table.rowCount() == len(inside) >= 1
    assert all("approved time off" in dialog.table.item(n, 1).text() for n in range(dialog.table.rowCount()))
    assert dialog.size().width() <= 1000
    in_loop(qloop, dialog.go_button.click)
    wait_until(qloop, lambda: all(page.model.shift(i) is not None and page.model.shift(i).problems for i in inside))

    assert request_id not in {page.time_off_list.item(n).data(Qt.ItemDataRole.UserRole)
                              for n in range(page.time_off_list.count())}
    listed = {UUID(page.attention_list.item(n).data(Qt.ItemDataRole.UserRole))
              for n in range(page.attention_list.count())}
    assert inside <= listed
    assert "Needs attention" in page.side_tabs.tabText(3)
    assert "Needs moving or reassigning" in page.board.tooltip_for(page.model.shift(shift.id))
    # From the list to the board: the flagged shift is selected there.
    run(qloop, page.show_flagged(shift.id, shift.starts_at))
    assert page.board.selected_shift is not None and page.board.selected_shift.id == shift.id
    assert "Needs moving or reassigning" in page.hint_label.text()


def test_cancelling_the_approval_approves_nothing(console, page: RosterPage, qloop) -> None:  # type: ignore[no-untyped-def]
    shift = week_with_coming_shifts(qloop, page)[0]
    request_id = _request_time_off(console, qloop, page, shift.anchor_id,
                                   shift.starts_at.astimezone(page.model.zone).date())
    page.time_off_list.setCurrentItem(next(
        page.time_off_list.item(n) for n in range(page.time_off_list.count())
        if page.time_off_list.item(n).data(Qt.ItemDataRole.UserRole) == request_id))
    in_loop(qloop, page.approve_time_off.click)
    dialog = dialog_of(qloop, page, StrandedShiftsDialog)
    in_loop(qloop, dialog.reject)
    wait_until(qloop, lambda: page.open_dialog is None and page.approve_time_off.isEnabled())
    rows = run(qloop, page.call(page.roster.time_off_between, page.week_start, page.week_start + timedelta(days=7)))
    assert next(t for t in rows if t.id == request_id).status is RequestStatus.REQUESTED
    assert not page.model.shift(shift.id).problems


# --- 4: deactivating an anchor ---------------------------------------------------------------------------------
def test_deactivating_an_anchor_asks_then_flags_their_shifts_and_keeps_their_lane(page: RosterPage, qloop) -> None:  # type: ignore[no-untyped-def]
    shift = week_with_coming_shifts(qloop, page, published=True)[0]
    anchor_id = shift.anchor_id
    theirs = {s.id for s in page.model.all_shifts() if s.anchor_id == anchor_id and s.ends_at > datetime.now(UTC)}
    in_loop(qloop, page.people_button.click)
    wait_until(qloop, lambda: page.people_dialog is not None and page.people_dialog.anchor_model.rowCount() > 0)
    people: PeopleDialog = page.people_dialog
    row = next(n for n, a in enumerate(people.anchor_model.rows()) if a.id == anchor_id)
    people.anchor_view.selectRow(row)
    people.anchor_active.setChecked(False)

    in_loop(qloop, people.save_anchor_button.click)
    dialog = dialog_of(qloop, people, StrandedShiftsDialog)

    assert dialog.table.rowCount() >= len(theirs)          # later weeks' shifts too
    assert "no longer active" in dialog.table.item(0, 1).text()
    in_loop(qloop, dialog.go_button.click)
    wait_until(qloop, lambda: not people.anchor_model.value(row).active)
    in_loop(qloop, people.reject)
    wait_until(qloop, lambda: page.people_dialog is None and not page.busy)

    assert all(page.model.shift(i).problems for i in theirs)
    page.model.set_kind(LaneKind.ANCHORS)
    assert page.model.lane_row(anchor_id) is not None          # the lane stays while shifts are booked on it
    hours = [page.hours_list.item(n).text() for n in range(page.hours_list.count())]
    assert any("no longer active" in h for h in hours)


def test_new_room_hours_that_strand_shifts_ask_first_then_flag_them(page: RosterPage, qloop) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTime

    shift = week_with_coming_shifts(qloop, page)[0]
    room_id = shift.room_id
    in_loop(qloop, page.people_button.click)
    wait_until(qloop, lambda: page.people_dialog is not None and page.people_dialog.room_model.rowCount() > 0)
    people: PeopleDialog = page.people_dialog
    people.tabs.setCurrentIndex(1)
    people.select_room(room_id)
    people.room_opens.setTime(QTime(6, 0))          # an hour a day, before any show
    people.room_closes.setTime(QTime(7, 0))

    in_loop(qloop, people.save_room_button.click)
    dialog = dialog_of(qloop, people, StrandedShiftsDialog)
    assert dialog.table.rowCount() >= 1 and "is open from 06:00 to 07:00" in dialog.table.item(0, 1).text()
    in_loop(qloop, dialog.go_button.click)
    wait_until(qloop, lambda: next(r for r in people.room_model.rows() if r.id == room_id).closes_at == time(7))
    in_loop(qloop, people.reject)
    wait_until(qloop, lambda: page.people_dialog is None and not page.busy)

    assert page.model.shift(shift.id).problems
    assert page.attention_list.count() >= 1


# --- 6: copy last week, previewed row by row ------------------------------------------------------------------
def test_copy_last_week_previews_every_row_with_its_target_date_then_copies_the_rest(page: RosterPage, qloop) -> None:  # type: ignore[no-untyped-def]
    source_count = len(page.model.all_shifts())
    go_to_week(qloop, page, 1)                      # a filled week: many refusals
    before = len(page.model.all_shifts())
    target = page.model.day(0)
    page.reason_prompt = lambda found: "按上周排班"

    in_loop(qloop, page.copy_button.click)
    dialog = dialog_of(qloop, page, CopyPreviewDialog)

    preview = dialog.preview
    assert dialog.table.rowCount() == len(preview.items) == source_count > 3      # every row, no "and 87 more"
    assert preview.refused and preview.accepted
    assert all(target <= i.starts_at.astimezone(page.model.zone).date() < target + timedelta(days=7)
               for i in preview.items)
    first = dialog.rows[0]
    assert first.refused and dialog.table.item(0, 4).text().startswith("Not copied:")
    assert f"{first.starts_at.astimezone(page.model.zone):%H:%M}" in dialog.table.item(0, 0).text()
    assert dialog.copy_button.text() == f"Copy {len(preview.accepted)} shifts"
    in_loop(qloop, dialog.copy_button.click)
    settle(qloop, page)

    assert page.problem_label.isHidden(), page.problem_label.text()
    assert len(page.model.all_shifts()) == before + len(preview.accepted)
    assert page.undo_stack.count() == 1


# --- 7: the anchor's requests ----------------------------------------------------------------------------------
@pytest.fixture
def anchor_page(console, qloop, qtbot, demo_users) -> RosterPage:  # type: ignore[no-untyped-def]
    login = next(u.login for u in demo_users if u.role is Role.ANCHOR)
    window = window_for(console, qloop, login)
    qtbot.addWidget(window)
    window.show()
    run(qloop, window.show_view("roster"))
    mine = window.pages["roster"]
    assert isinstance(mine, RosterPage) and mine.pages.currentWidget() is mine.mine_page
    mine.window_ = window
    return mine


def test_the_time_off_dialog_refuses_an_end_before_the_start_and_shows_the_years(anchor_page: RosterPage, qloop) -> None:  # type: ignore[no-untyped-def]
    page = anchor_page
    in_loop(qloop, page.time_off_button.click)
    dialog = dialog_of(qloop, page, TimeOffDialog)
    today = datetime.now(page.model.zone).date()
    first = today + timedelta(days=10)
    dialog.first.setDate(QDate(first.year, first.month, first.day))
    dialog.last.setDate(QDate(first.year, first.month, first.day).addDays(-2))

    assert not dialog.ok_button.isEnabled()
    assert "before the first" in dialog.span.text()

    # Across new year: both years shown, so "12-20 – 01-05" cannot be misread.
    december = date(today.year, 12, 20) if today < date(today.year, 12, 20) else date(today.year + 1, 12, 20)
    dialog.first.setDate(QDate(december.year, 12, 20))
    dialog.last.setDate(QDate(december.year + 1, 1, 5))
    assert dialog.ok_button.isEnabled()
    assert str(december.year) in dialog.span.text() and str(december.year + 1) in dialog.span.text()
    assert "17 days" in dialog.span.text()
    in_loop(qloop, dialog.ok_button.click)
    wait_until(qloop, lambda: "store manager will decide" in page.mine_message.text()
               or not page.problem_label.isHidden())
    assert page.problem_label.isHidden(), page.problem_label.text()
    assert str(december.year + 1) in page.mine_message.text()


def test_an_end_before_the_start_reaching_the_service_is_refused_not_swapped(anchor_page: RosterPage, qloop) -> None:  # type: ignore[no-untyped-def]
    page = anchor_page
    starts = datetime.combine(datetime.now(page.model.zone).date() + timedelta(days=10), time(), page.model.zone)
    page.time_off_prompt = lambda: (starts, starts - timedelta(days=2), "")
    run(qloop, page.ask_time_off())
    assert "must end after it starts" in page.problem_label.text()


def test_the_swap_dialog_shows_who_is_free_and_offers_only_them(anchor_page: RosterPage, qloop) -> None:  # type: ignore[no-untyped-def]
    page = anchor_page
    soon = datetime.now(UTC) + timedelta(hours=1)
    rows = [n for n, r in enumerate(page.my_model.rows()) if r.starts_at > soon]
    # The demo week must hold one; a test that skipped here would prove nothing.
    assert rows, "this anchor has no shift still to come in the demo"
    page.mine_view.selectRow(rows[0])
    in_loop(qloop, page.swap_button.click)
    dialog = dialog_of(qloop, page, SwapDialog)

    items = [dialog.colleagues.item(n) for n in range(dialog.colleagues.count())]
    refused = [i for i in items if not i.flags() & Qt.ItemFlag.ItemIsEnabled]
    assert all("not possible" in i.text() for i in refused)
    assert dialog.chosen() is not None and "free" in dialog.colleagues.currentItem().text()
    chosen = dialog.chosen()
    dialog.reason.setText("家中有事")
    in_loop(qloop, dialog.ok_button.click)
    wait_until(qloop, lambda: "Offered your shift" in page.mine_message.text() or not page.problem_label.isHidden())
    assert page.problem_label.isHidden(), page.problem_label.text()
    swaps = run(qloop, page.call(page.roster.swaps)) if page.manager else None
    assert swaps is None or any(s.to_anchor_id == chosen for s in swaps)
