"""The main window on a demo store: screens load real data, keys and settings work."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from console.domain.enums import AuditVia
from console.services.reports import ReportService
from tests.ui.conftest import activate, in_loop, manager_window, run, wait_until, window_for
from ui import settings as S
from ui.mainwindow import VIEW_NAMES
from ui.settings import Settings


def test_every_screen_loads_real_data(console, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = manager_window(console, qloop)
    qtbot.addWidget(window)
    window.show()
    for name in VIEW_NAMES:
        run(qloop, window.show_view(name))
        page = window.pages[name]
        assert window.stack.currentWidget() is page
        assert page.problem_label.isHidden(), f"{name}: {page.problem_label.text()}"
        assert page.title_label.text()
        # Every screen is built: none shows a box of what is to come.
        assert page.coming_label.isHidden() and "Coming to this screen" not in page.coming_label.text(), name
    assert window.pages["products"].model.rowCount() > 0
    assert window.pages["broadcasts"].broadcast_model.rowCount() > 0
    assert window.pages["roster"].model.rowCount() > 0
    assert window.pages["reports"].model.rowCount() > 0
    assert window.pages["scripts"].model.rowCount() > 0
    assert window.pages["live"].queue_model.rowCount() > 0
    assert window.pages["live"].live_model.rowCount() > 0     # the demo's show on air
    assert window.pages["sync"].server_value.text() == "Not enrolled yet"


def test_status_bar_names_store_user_and_sync_state(console, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = manager_window(console, qloop)
    qtbot.addWidget(window)
    run(qloop, window.refresh_status())
    store = run(qloop, console.worker.run(console.auth.local_store))
    assert store.code in window.store_label.text()
    assert "Store manager" in window.user_label.text()
    assert "not enrolled" in window.sync_label.text()


def test_view_shortcuts_switch_screens(console, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = manager_window(console, qloop)
    qtbot.addWidget(window)
    activate(window)
    for key, name in ((Qt.Key.Key_3, "products"), (Qt.Key.Key_5, "roster"), (Qt.Key.Key_1, "live")):
        in_loop(qloop, lambda k=key: qtbot.keyClick(window, k, Qt.KeyboardModifier.ControlModifier))
        wait_until(qloop, lambda n=name: window.current_view == n)
        assert window.stack.currentWidget() is window.pages[name]
    page = window.pages["live"]
    wait_until(qloop, lambda: page.queue_model.rowCount() > 0)


def test_find_focuses_search_and_typing_filters(console, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = manager_window(console, qloop)
    qtbot.addWidget(window)
    activate(window)
    in_loop(qloop, window.actions["view.find"].trigger)
    page = window.pages["products"]
    wait_until(qloop, lambda: window.current_view == "products" and page.model.rowCount() > 0)
    assert QApplication.focusWidget() is page.search_edit
    first = page.model.value(0)
    in_loop(qloop, lambda: qtbot.keyClicks(page.search_edit, first.sku))
    wait_until(qloop, lambda: page.model.rowCount() == 1)
    assert page.model.value(0).sku == first.sku


def test_language_switch_retranslates_live(console, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = manager_window(console, qloop)
    qtbot.addWidget(window)
    assert window.nav.item(0).text() == "Live"
    window.actions["view.lang_zh"].trigger()
    QApplication.processEvents()
    assert window.nav.item(0).text() == "直播"
    assert window.pages["live"].title_label.text() == "直播"
    assert console.settings.get(S.LANGUAGE) == "zh_CN"
    window.actions["view.lang_en"].trigger()
    QApplication.processEvents()
    assert window.nav.item(0).text() == "Live"


def test_theme_toggle_is_applied_and_remembered(console, qloop, qtbot, demo_dir) -> None:  # type: ignore[no-untyped-def]
    window = manager_window(console, qloop)
    qtbot.addWidget(window)
    window.actions["view.dark_theme"].trigger()
    assert console.theme == "dark"
    assert "#111418" in QApplication.instance().styleSheet()
    window.actions["view.dark_theme"].trigger()
    assert console.theme == "light"
    console.settings.sync()
    assert Settings.for_data_dir(demo_dir).get(S.THEME) == "light"


def test_window_state_and_last_view_survive_a_restart(console, qloop, qtbot, demo_dir) -> None:  # type: ignore[no-untyped-def]
    window = manager_window(console, qloop)
    window.show()
    window.resize(window.width(), 470)
    run(qloop, window.show_view("reports"))
    window.close()
    reread = Settings.for_data_dir(demo_dir)
    assert reread.get(S.LAST_VIEW) == "reports"
    assert not reread.get(S.WINDOW_GEOMETRY).isEmpty()
    again = manager_window(console, qloop)
    qtbot.addWidget(again)
    again.restore_state()
    # The off-screen screen is 800 px wide, so only the height is free to differ.
    assert again.height() == 470


def test_user_shortcut_binding_overrides_the_default(console, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    console.actions.rebind("view.products", "Ctrl+Alt+P")
    assert console.actions["view.products"].shortcut().toString() == "Ctrl+Alt+P"
    assert console.settings.shortcut("view.products") == "Ctrl+Alt+P"


def test_an_anchor_sees_only_the_shows_they_hosted(console, qloop, qtbot, demo_users) -> None:  # type: ignore[no-untyped-def]
    login = next(u.login for u in demo_users if u.role.value == "anchor")
    window = window_for(console, qloop, login)
    qtbot.addWidget(window)
    run(qloop, window.show_view("reports"))
    page = window.pages["reports"]
    assert page.problem_label.isHidden()
    assert "The shows you hosted" in page.intro_label.text()
    start, end = page.dates()
    theirs = run(qloop, console.worker.run(page._services.reports.report, "broadcasts", start, end))
    manager = run(qloop, console.worker.run(console.auth.actor_for_login, None, via=AuditVia.GUI))
    everyone = run(qloop, console.worker.run(ReportService(console.db, manager).report, "broadcasts", start, end))
    shown = {page.model.report.rows[r].id for r in range(page.model.rowCount())}
    assert shown == {row.id for row in theirs.rows}
    assert 0 < len(shown) < len(everyone.rows)
