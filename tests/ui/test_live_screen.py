"""The Live screen: a whole show driven by keys alone, refusals that leave the show going, other writers,
the clocks' colours, and sign-in landing on a show that is on air."""

from __future__ import annotations

import gc

from datetime import timedelta
from typing import Any
from uuid import UUID

from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester, QTest
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from console.domain.enums import AuditVia, BroadcastStatus, OnAirEventKind, Role
from console.domain.onair import ClockThresholds
from console.services.registry import Services
from console.storage.db import open_database
from console.storage.models import Broadcast, MetricSnapshot, OnAirEvent, ShowRun
from console.storage.types import utcnow
from tests.onair_helpers import ready_show
from tests.ui.conftest import activate, in_loop, manager_window, run, wait_until
from ui import settings as S
from ui.app import Console
from ui.i18n import render
from ui.mainwindow import MainWindow
from ui.signin import SignInDialog
from ui.views.live import LivePage

K = OnAirEventKind


def _services(console: Console) -> Services:
    assert console.db is not None
    actor = console.auth.actor_for_login(None, via=AuditVia.GUI)
    return Services.for_actor(console.db, actor)


def _our_show(console: Console, *, minutes_ago: int = 10, title: str = "锦华冬季专场",
              room_id: UUID | None = None) -> UUID:
    """The demo's show on air ended; a ready show of ours in a room of its own, the next to go live."""
    services = _services(console)
    if services.onair.active() is not None:
        services.onair.end()
    store = console.auth.local_store()
    assert store is not None and console.db is not None
    return ready_show(console.db, store, services.actor, title=title, room_code="T1", room_name="测试直播间",
                      start=utcnow() - timedelta(minutes=minutes_ago), room_id=room_id)


def _live_window(console: Console, qloop: Any) -> tuple[MainWindow, LivePage]:
    window = manager_window(console, qloop)
    activate(window)
    run(qloop, window.show_view("live"))
    page = window.pages["live"]
    assert isinstance(page, LivePage)
    return window, page


def _key(qloop: Any, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    in_loop(qloop, lambda: QTest.keyClick(QApplication.focusWidget(), key, modifier))


def _kinds(console: Console, broadcast_id: UUID) -> list[OnAirEventKind]:
    assert console.db is not None
    with console.db.begin() as s:
        return list(s.scalars(select(OnAirEvent.kind).where(OnAirEvent.broadcast_id == broadcast_id)
                              .order_by(OnAirEvent.seq)))


def _on_link(page: LivePage, link: int) -> bool:
    show = page.on_air
    return show is not None and show.current is not None and show.current.link_number == link


def test_a_whole_show_by_keys_alone(console, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    bid = _our_show(console)
    window, page = _live_window(console, qloop)
    QAbstractItemModelTester(page.live_model)
    QAbstractItemModelTester(page.summary_model)
    assert page.show_title.text() == "锦华冬季专场"
    assert page.buttons["live.go_live"].isEnabled() and not page.buttons["live.next"].isEnabled()
    assert page.buttons["live.next"].minimumHeight() >= 64

    gc.unfreeze()
    _key(qloop, Qt.Key.Key_F5)                                   # a clicker's "start slideshow"
    wait_until(qloop, lambda: _on_link(page, 1))
    # Going live takes what the console holds out of the collector's view: no long pause mid-show.
    wait_until(qloop, lambda: gc.get_freeze_count() > 0)
    assert page.stack.currentWidget() is page.live_panel
    assert page.link_label.text() == "#1" and page.price_label.text() == "¥200"
    assert "买一送一" in page.deal_label.text()
    assert "7天无理由退货" in page.facts_label.text() and "浙江" in page.facts_label.text()
    assert "Inspection report JC-0001" in page.papers_label.text()
    assert "#2" in page.next_label.text()
    assert not page.rehearsal_banner.isVisible()
    assert [page.live_model.index(r, 6).data() for r in range(2)] == ["On air", "Waiting"]

    _key(qloop, Qt.Key.Key_PageDown)
    wait_until(qloop, lambda: _on_link(page, 2))
    assert page.live_model.index(0, 6).data() == "Done"

    _key(qloop, Qt.Key.Key_4, Qt.KeyboardModifier.KeypadModifier)   # the keypad's digits, and its Enter
    assert page.digits_label.isVisible() and "4" in page.digits_label.text()
    _key(qloop, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    wait_until(qloop, lambda: _on_link(page, 4))
    assert not page.digits_label.isVisible()

    for key in (Qt.Key.Key_9, Qt.Key.Key_9, Qt.Key.Key_Return):     # no link 99: refused, the show goes on
        _key(qloop, key)
    wait_until(qloop, lambda: page.problem_label.isVisible())
    assert "99" in page.problem_label.text() and "1 to 5" in page.problem_label.text()
    assert QApplication.focusWidget() is page
    _key(qloop, Qt.Key.Key_PageDown)
    wait_until(qloop, lambda: _on_link(page, 5))
    assert not page.problem_label.isVisible()

    _key(qloop, Qt.Key.Key_K)                                    # the stock, as the platform shows it
    assert QApplication.focusWidget() is page.stock_edit
    page.stock_edit.setText("-3")
    _key(qloop, Qt.Key.Key_Return)
    wait_until(qloop, lambda: page.problem_label.isVisible())
    assert "below zero" in page.problem_label.text()
    _key(qloop, Qt.Key.Key_K)
    page.stock_edit.setText("12")
    _key(qloop, Qt.Key.Key_Return)
    wait_until(qloop, lambda: page.stock_label.text() == "Stock 12")
    assert QApplication.focusWidget() is page

    _key(qloop, Qt.Key.Key_O)                                    # sold out
    wait_until(qloop, lambda: page.stock_label.text() == "SOLD OUT")
    assert page.live_model.index(4, 3).data() == "0"

    _key(qloop, Qt.Key.Key_N)
    assert QApplication.focusWidget() is page.note_edit
    page.note_edit.setText("观众问尺码")
    _key(qloop, Qt.Key.Key_Return)
    wait_until(qloop, lambda: page.on_air is not None and [n.text for n in page.on_air.notes] == ["观众问尺码"])

    _key(qloop, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)    # the platform's figures
    assert QApplication.focusWidget() is page.metric_edits["views"]
    page.metric_edits["views"].setText("1,000")
    page.metric_edits["gmv_fen"].setText("1234.50")
    _key(qloop, Qt.Key.Key_Return)
    wait_until(qloop, lambda: page.last_metrics is not None)
    assert "1,000" in page.metrics_label.text() and "¥1,234.50" in page.metrics_label.text()
    _key(qloop, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    page.metric_edits["views"].setText("900")                   # views never go down
    page.metric_edits["viewers"].setText("80")
    _key(qloop, Qt.Key.Key_Return)
    wait_until(qloop, lambda: page.problem_label.isVisible())
    assert "cannot go down" in page.problem_label.text()
    page.metric_edits["views"].clear()                          # left empty: keeps its last value
    _key(qloop, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    _key(qloop, Qt.Key.Key_Return)
    wait_until(qloop, lambda: page.last_metrics is not None and page.last_metrics.viewers == 80)
    assert console.db is not None
    with console.db.begin() as s:
        figures = s.execute(select(MetricSnapshot.views, MetricSnapshot.viewers, MetricSnapshot.gmv_fen)
                            .where(MetricSnapshot.broadcast_id == bid).order_by(MetricSnapshot.at)).all()
    assert [tuple(f) for f in figures] == [(1000, 0, 123_450), (1000, 80, 123_450)]

    _key(qloop, Qt.Key.Key_B)                                    # a clicker's "black screen"
    wait_until(qloop, lambda: page.on_air is not None and page.on_air.paused)
    assert page.paused_label.isVisible()
    _key(qloop, Qt.Key.Key_B)
    wait_until(qloop, lambda: page.on_air is not None and not page.on_air.paused)

    _key(qloop, Qt.Key.Key_Escape)                               # ending asks first; Esc again goes back
    assert page.confirm_frame.isVisible()
    _key(qloop, Qt.Key.Key_Escape)
    assert not page.confirm_frame.isVisible() and page.on_air is not None
    _key(qloop, Qt.Key.Key_Escape)
    _key(qloop, Qt.Key.Key_Return)
    wait_until(qloop, lambda: page.stack.currentWidget() is page.summary_panel)
    assert page.summary_model.rowCount() == 5
    assert "观众问尺码" in page.summary_notes.text()
    assert "¥1,234.50" in page.summary_metrics.text()
    assert page.summary_model.index(4, 6).data() != "—"          # when link 5 sold out

    assert _kinds(console, bid) == [
        K.SHOW_STARTED, K.PRODUCT_STARTED, K.PRODUCT_ENDED, K.PRODUCT_STARTED, K.PRODUCT_ENDED,
        K.PRODUCT_STARTED, K.PRODUCT_ENDED, K.PRODUCT_STARTED, K.STOCK_CHANGED, K.SOLD_OUT, K.NOTE, K.PAUSED,
        K.RESUMED, K.PRODUCT_ENDED, K.SHOW_ENDED]
    with console.db.begin() as s:
        assert s.get(Broadcast, bid).status is BroadcastStatus.ENDED
        assert s.scalar(select(ShowRun.ended_at).where(ShowRun.broadcast_id == bid)) is not None
    window.close()


def test_a_rehearsal_shows_its_banner(console, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    bid = _our_show(console)
    window, page = _live_window(console, qloop)
    _key(qloop, Qt.Key.Key_F5, Qt.KeyboardModifier.ShiftModifier)
    wait_until(qloop, lambda: _on_link(page, 1))
    assert page.on_air is not None and page.on_air.rehearsal
    assert page.rehearsal_banner.isVisible() and "REHEARSAL" in page.rehearsal_banner.text()
    with console.db.begin() as s:
        assert s.get(Broadcast, bid).status is BroadcastStatus.READY     # a rehearsal leaves it as it was
    window.close()


def test_the_screen_follows_another_writer_within_a_second(console, qloop, qtbot, demo_dir) -> None:  # type: ignore[no-untyped-def]
    _our_show(console)
    window, page = _live_window(console, qloop)
    _key(qloop, Qt.Key.Key_F5)
    wait_until(qloop, lambda: _on_link(page, 1))
    other = open_database(demo_dir)            # the command line, or a second console on the same folder
    try:
        from console.services.auth import AuthService

        services = Services.for_actor(other, AuthService(other).actor_for_login(None, via=AuditVia.CLI))
        services.onair.jump(3)
        wait_until(qloop, lambda: _on_link(page, 3), timeout=1.0)
        services.onair.sold_out()
        wait_until(qloop, lambda: page.stock_label.text() == "SOLD OUT", timeout=1.0)
        services.onair.end()
        wait_until(qloop, lambda: page.stack.currentWidget() is page.summary_panel, timeout=1.0)
    finally:
        other.close()
    window.close()


def test_a_second_show_in_the_same_room_is_refused_with_the_services_words(console, qloop, qtbot, demo_dir) -> None:  # type: ignore[no-untyped-def]
    first = _our_show(console, minutes_ago=20, title="先开的专场")
    with console.db.begin() as s:
        room_id = s.get(Broadcast, first).room_id
    store = console.auth.local_store()
    services = _services(console)
    second = ready_show(console.db, store, services.actor, title="后开的专场", room_code="T1", room_id=room_id,
                        start=utcnow() - timedelta(minutes=10))
    window, page = _live_window(console, qloop)
    assert page.show_title.text() == "先开的专场"
    other = open_database(demo_dir)
    shown: list[str] = []
    window.show_control.refused.connect(lambda _exc: shown.append(page.problem_label.text()))
    try:
        from console.services.auth import AuthService

        Services.for_actor(other, AuthService(other).actor_for_login(None, via=AuditVia.CLI)).onair.start(second)
        _key(qloop, Qt.Key.Key_F5)       # pressed before this console heard of the other's show
        wait_until(qloop, lambda: bool(shown))
    finally:
        other.close()
    assert "测试直播间 is on air with 后开的专场" in shown[0]
    window.close()


def test_the_product_clock_turns_amber_then_red(console, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    bid = _our_show(console)
    window, page = _live_window(console, qloop)
    page.set_clock_thresholds(ClockThresholds(warning_seconds=30, danger_seconds=0))
    onair = _services(console).onair
    now = utcnow()
    onair.start(bid, now=now - timedelta(seconds=700))
    run(qloop, window.show_control.refresh())
    assert page.item_clock.property("level") == "danger"            # 700 s of a 300 s slot
    onair.jump(2, now=now - timedelta(seconds=280))
    run(qloop, window.show_control.refresh())
    assert page.item_clock.property("level") == "warning"           # 20 s left
    onair.jump(3, now=now)
    run(qloop, window.show_control.refresh())
    assert page.item_clock.property("level") == "ok"
    assert page.item_clock.text().endswith("/ 5:00")
    page.set_clock_thresholds(ClockThresholds(warning_seconds=400, danger_seconds=0))
    assert page.item_clock.property("level") == "warning"           # the setting moves the turn
    window.close()


def test_the_clock_thresholds_are_settings(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = S.Settings.for_data_dir(tmp_path)
    assert settings.clock_thresholds() == ClockThresholds(30, 0)
    settings.set(S.CLOCK_WARNING_SECONDS, 45)
    settings.set(S.CLOCK_DANGER_SECONDS, 15)
    assert settings.clock_thresholds() == ClockThresholds(45, 15)


def _sign_in_as_manager(console: Console, qloop: Any, qtbot: Any, demo_users: Any) -> MainWindow:
    run(qloop, console.start())
    dialog = console.dialog
    assert isinstance(dialog, SignInDialog)
    manager = next(u for u in demo_users if u.role is Role.STORE_MANAGER)
    dialog.user_combo.setCurrentIndex(next(i for i, u in enumerate(dialog._users) if u.login == manager.login))
    in_loop(qloop, lambda: qtbot.keyClicks(dialog.pin_edit, manager.pin))
    in_loop(qloop, lambda: qtbot.keyClick(dialog.pin_edit, Qt.Key.Key_Return))
    wait_until(qloop, lambda: isinstance(console.window, MainWindow))
    assert console.window is not None
    return console.window


def test_sign_in_lands_on_the_show_on_air_whatever_the_last_screen(console, qloop, qtbot, demo_users) -> None:  # type: ignore[no-untyped-def]
    console.settings.set(S.LAST_VIEW, "products")
    window = _sign_in_as_manager(console, qloop, qtbot, demo_users)     # the demo leaves a show on air
    wait_until(qloop, lambda: window.current_view == "live")
    page = window.pages["live"]
    assert isinstance(page, LivePage)
    wait_until(qloop, lambda: page.on_air is not None)
    assert page.stack.currentWidget() is page.live_panel
    assert page.on_air.show_elapsed_seconds > 20 * 60                  # its clocks from its events


def test_sign_in_without_a_show_on_air_opens_the_last_screen(console, qloop, qtbot, demo_users) -> None:  # type: ignore[no-untyped-def]
    _services(console).onair.end()
    console.settings.set(S.LAST_VIEW, "products")
    window = _sign_in_as_manager(console, qloop, qtbot, demo_users)
    wait_until(qloop, lambda: window.current_view == "products")


def test_the_demo_leaves_one_show_on_air(console) -> None:  # type: ignore[no-untyped-def]
    show = _services(console).onair.active()
    assert show is not None and not show.rehearsal
    assert 20 * 60 < show.show_elapsed_seconds
    assert [i.state.value for i in show.items[:4]] == ["done", "done", "done", "on_air"]
    assert _services(console).onair.metrics()


def test_the_summary_exports_from_the_screen_and_a_folder_that_is_not_there_is_said(
        console, qloop, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import csv

    bid = _our_show(console)
    window, page = _live_window(console, qloop)
    run(qloop, window.show_control.start(bid))
    run(qloop, window.show_control.act("next"))
    run(qloop, window.show_control.act("end"))
    wait_until(qloop, lambda: page.summary is not None and page.stack.currentWidget() is page.summary_panel)

    target = tmp_path / "summary.csv"
    page.export_prompt = lambda: (str(target), "csv")
    in_loop(qloop, page.export_button.click)
    wait_until(qloop, lambda: target.exists() and str(target) in page.summary_next.text())
    rows = list(csv.DictReader(target.open(encoding="utf-8-sig")))   # with the BOM Excel in China wants
    assert [r["link_number"] for r in rows] == ["1", "2", "3", "4", "5"]
    assert [r["state"] for r in rows[:2]] == ["done", "done"]

    missing = tmp_path / "no-such-folder" / "summary.xlsx"
    page.export_prompt = lambda: (str(missing), "xlsx")
    in_loop(qloop, page.export_button.click)
    wait_until(qloop, lambda: page.problem_label.isVisible())
    assert "no-such-folder" in page.problem_label.text() and not missing.exists()
