"""Planning a show on the Broadcasts screen: the dialog, a new show selected with its empty queue, a refusal, cancelling."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QTime
from qasync import QEventLoop

from console.domain.enums import BroadcastStatus
from tests.ui.conftest import activate, in_loop, manager_window, run, wait_until, window_for
from ui.app import Console
from ui.views.broadcast_plan import PlanBroadcastDialog, PlanRequest
from ui.views.broadcasts import BroadcastsPage

ZONE = ZoneInfo("Asia/Shanghai")


def broadcasts_page(console: Console, qloop: QEventLoop, login: str | None = None) -> tuple[Any, BroadcastsPage]:
    window = window_for(console, qloop, login) if login else manager_window(console, qloop)
    activate(window)
    run(qloop, window.show_view("broadcasts"))
    page = window.pages["broadcasts"]
    assert isinstance(page, BroadcastsPage)
    return window, page


def settled(qloop: QEventLoop, page: BroadcastsPage) -> None:
    wait_until(qloop, lambda: not page.busy and not page.refresh_pending)


async def _answer(value: Any) -> Any:
    return value


def test_the_dialog_reads_a_day_and_times_in_the_stores_time_and_runs_past_midnight(
        console: Console, qloop: QEventLoop) -> None:
    window, page = broadcasts_page(console, qloop)
    rooms = run(qloop, console.worker.run(page._services.roster.rooms))
    today = datetime.now(ZONE).date()
    dialog = PlanBroadcastDialog(page, rooms, "Asia/Shanghai", today)
    assert not dialog.ok_button.isEnabled()          # no title yet
    dialog.title_edit.setText("深夜好物专场")   # keyClicks types Latin letters only
    assert dialog.ok_button.isEnabled()
    day = today + timedelta(days=3)
    dialog.day_edit.setDate(QDate(day.year, day.month, day.day))
    dialog.start_edit.setTime(QTime(22, 30))
    dialog.end_edit.setTime(QTime(0, 30))
    asked = dialog.request()
    assert asked.starts_at == datetime(day.year, day.month, day.day, 22, 30, tzinfo=ZONE).astimezone(UTC)
    assert asked.ends_at - asked.starts_at == timedelta(hours=2)
    assert "next day" in dialog.length_label.text() and "2:00" in dialog.length_label.text()
    assert asked.room_id == rooms[0].id and asked.title == "深夜好物专场"
    dialog.deleteLater()
    window.close()


def test_a_new_show_is_planned_listed_and_selected_and_a_clash_is_refused_on_the_screen(
        console: Console, qloop: QEventLoop) -> None:
    window, page = broadcasts_page(console, qloop)
    rooms = run(qloop, console.worker.run(page._services.roster.rooms))
    room = next(r for r in rooms if r.active)
    # Three in the morning: no demo show is on any room's calendar then, whatever day the demo was built.
    starts = datetime.combine(datetime.now(ZONE).date() + timedelta(days=20), datetime.min.time(), ZONE) \
        + timedelta(hours=3)
    asked = PlanRequest(title="新品首发专场", room_id=room.id, starts_at=starts.astimezone(UTC),
                        ends_at=(starts + timedelta(hours=2)).astimezone(UTC), brand="锦华")
    page.plan_prompt = lambda _rooms, _shown: _answer(asked)
    assert page.new_button.isVisible() and page.new_button.text().startswith("New broadcast")
    in_loop(qloop, page.new_button.click)
    try:
        wait_until(qloop, lambda: page.problem_label.isVisibleTo(page) or (
            page.broadcast is not None and page.broadcast.title == "新品首发专场"), timeout=15)
    except AssertionError:
        planned = [b.title for b in run(qloop, console.worker.run(page._services.broadcasts.broadcasts))
                   if b.title == "新品首发专场"]
        raise AssertionError(
            f"not selected: shown={page.broadcast.title if page.broadcast else None!r} busy={page.ops.busy} "
            f"rows={page.broadcast_model.rowCount()} problem={page.problem_label.text()!r} "
            f"action enabled={window.actions['broadcasts.new'].isEnabled()} in the database={planned}") from None
    assert page.problem_label.isHidden(), page.problem_label.text()
    settled(qloop, page)
    assert page.broadcast.status is BroadcastStatus.PLANNED and page.queue_model.rowCount() == 0
    assert page.problem_label.isHidden()

    # The same room and time again: refused, in words, on the screen; nothing added.
    count = page.broadcast_model.rowCount()
    in_loop(qloop, page.new_button.click)
    wait_until(qloop, lambda: page.problem_label.isVisibleTo(page))
    settled(qloop, page)
    assert "新品首发专场" in page.problem_label.text()
    assert page.broadcast_model.rowCount() == count
    window.close()


def test_a_show_is_moved_and_cancelled_after_asking(console: Console, qloop: QEventLoop) -> None:
    window, page = broadcasts_page(console, qloop)
    # The first show still to come (the demo's show on air heads the list).
    row, wanted = next((n, b) for n, b in enumerate(page.broadcast_model.rows())
                       if b.status in (BroadcastStatus.PLANNED, BroadcastStatus.READY))
    in_loop(qloop, lambda: page.broadcast_view.selectRow(row))
    wait_until(qloop, lambda: page.broadcast is not None and page.broadcast.id == wanted.id)
    settled(qloop, page)
    show = page.broadcast
    assert show is not None and show.status in (BroadcastStatus.PLANNED, BroadcastStatus.READY)
    assert window.actions["broadcasts.change"].isEnabled() and window.actions["broadcasts.cancel"].isEnabled()
    rooms = run(qloop, console.worker.run(page._services.roster.rooms))
    later_start = show.planned_start + timedelta(days=30)
    room_id = next(r.id for r in rooms if r.name == show.room_name)
    page.plan_prompt = lambda _rooms, shown: _answer(PlanRequest(
        title=shown.title + "（改期）", room_id=room_id, starts_at=later_start,
        ends_at=later_start + (show.planned_end - show.planned_start)))
    in_loop(qloop, page.change_button.click)
    wait_until(qloop, lambda: page.broadcast is not None and page.broadcast.title.endswith("（改期）"))
    settled(qloop, page)
    assert page.broadcast.id == show.id
    assert page.broadcast.planned_start == later_start

    asked: list[str] = []
    page.confirm_prompt = lambda _title, question: (asked.append(question), _answer(False))[1]
    in_loop(qloop, page.cancel_button.click)
    wait_until(qloop, lambda: bool(asked))
    settled(qloop, page)
    assert show.title in asked[0] and page.broadcast.status is not BroadcastStatus.CANCELLED
    page.confirm_prompt = lambda _title, _question: _answer(True)
    in_loop(qloop, page.cancel_button.click)
    wait_until(qloop, lambda: any(b.id == show.id and b.status is BroadcastStatus.CANCELLED
                                  for b in page.broadcast_model.rows()))
    wait_until(qloop, lambda: not window.actions["broadcasts.cancel"].isEnabled())
    settled(qloop, page)
    assert not window.actions["broadcasts.change"].isEnabled() and window.actions["broadcasts.new"].isEnabled()
    window.close()


def test_someone_who_may_not_plan_sees_no_planning_buttons(console: Console, qloop: QEventLoop,
                                                           demo_users: Any) -> None:
    anchor = next(u for u in demo_users if u.role.value == "anchor")
    window, page = broadcasts_page(console, qloop, anchor.login)
    assert not page.new_button.isVisibleTo(page) and not page.cancel_button.isVisibleTo(page)
    window.close()
