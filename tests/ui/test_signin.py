"""Sign-in, sign-out and first run, driven through the real dialogs."""

from __future__ import annotations

import threading
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from console.domain.enums import Role
from console.storage.db import open_database
from tests.ui.conftest import activate, in_loop, run, wait_until
from ui import settings as S
from ui.app import Console, make_application
from ui.i18n import Translations
from ui.mainwindow import MainWindow
from ui.settings import Settings
from ui.signin import FirstRunDialog, SignInDialog


def _choose(dialog: SignInDialog, login: str) -> None:
    index = next(i for i, u in enumerate(dialog._users) if u.login == login)
    dialog.user_combo.setCurrentIndex(index)


def test_sign_in_with_the_right_pin_opens_the_main_window(console, qloop, qtbot, demo_users) -> None:  # type: ignore[no-untyped-def]
    run(qloop, console.start())
    dialog = console.dialog
    assert isinstance(dialog, SignInDialog)
    assert dialog.user_combo.count() == len([u for u in demo_users if u.role is not Role.HEAD_OFFICE])
    manager = next(u for u in demo_users if u.role is Role.STORE_MANAGER)
    _choose(dialog, manager.login)
    in_loop(qloop, lambda: qtbot.keyClicks(dialog.pin_edit, manager.pin))
    in_loop(qloop, lambda: qtbot.keyClick(dialog.pin_edit, Qt.Key.Key_Return))
    wait_until(qloop, lambda: isinstance(console.window, MainWindow))
    window = console.window
    assert window._services.actor.role is Role.STORE_MANAGER
    assert manager.display_name in window.user_label.text()
    wait_until(qloop, lambda: window.current_view == "live")


def test_wrong_pin_is_refused_with_words_and_no_window(console, qloop, qtbot, demo_users) -> None:  # type: ignore[no-untyped-def]
    run(qloop, console.start())
    dialog = console.dialog
    user = next(u for u in demo_users if u.role is Role.ANCHOR)
    _choose(dialog, user.login)
    wrong = "000000" if user.pin != "000000" else "111111"
    in_loop(qloop, lambda: qtbot.keyClicks(dialog.pin_edit, wrong))
    in_loop(qloop, dialog.sign_in_button.click)
    wait_until(qloop, lambda: not dialog.problem_label.isHidden())
    assert "Wrong PIN" in dialog.problem_label.text()
    assert dialog.pin_edit.text() == ""
    assert console.window is None


def test_pin_field_takes_digits_only(console, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    run(qloop, console.start())
    dialog = console.dialog
    qtbot.keyClicks(dialog.pin_edit, "12ab34567890")
    assert dialog.pin_edit.text() == "12345678"[: len(dialog.pin_edit.text())]
    assert dialog.pin_edit.text().isdigit()


def test_sign_out_returns_to_sign_in(console, qloop, qtbot, demo_users) -> None:  # type: ignore[no-untyped-def]
    run(qloop, console.start())
    dialog = console.dialog
    anchor = next(u for u in demo_users if u.role is Role.ANCHOR)
    _choose(dialog, anchor.login)
    dialog.pin_edit.setText(anchor.pin)
    in_loop(qloop, dialog.sign_in_button.click)
    wait_until(qloop, lambda: console.window is not None)
    window = console.window
    wait_until(qloop, lambda: window.current_view != "")
    in_loop(qloop, window.actions["session.sign_out"].trigger)
    wait_until(qloop, lambda: isinstance(console.dialog, SignInDialog) and console.dialog.isVisible())
    assert console.window is None


def test_first_run_creates_the_store_then_asks_to_sign_in(qapp, qloop, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "new-store"
    app = make_application()
    db = open_database(folder)
    translations = Translations(app)
    translations.install("en")
    console = Console(app, db, Settings.for_data_dir(folder), translations, theme="light")
    try:
        run(qloop, console.start())
        dialog = console.dialog
        assert isinstance(dialog, FirstRunDialog)
        dialog.code_edit.setText("HZ01")
        dialog.name_edit.setText("杭州店")
        dialog.manager_edit.setText("陈店长")
        dialog.login_edit.setText("chen")
        dialog.pin_edit.setText("2580")
        dialog.pin_again_edit.setText("2581")
        in_loop(qloop, dialog.create_button.click)
        assert "differ" in dialog.problem_label.text()
        dialog.pin_again_edit.setText("2580")
        in_loop(qloop, dialog.create_button.click)
        wait_until(qloop, lambda: isinstance(console.dialog, SignInDialog))
        sign_in = console.dialog
        wait_until(qloop, lambda: sign_in.user_combo.count() == 1)
        assert "陈店长" in sign_in.user_combo.currentText()
        store = run(qloop, console.worker.run(console.auth.local_store))
        assert (store.code, store.name) == ("HZ01", "杭州店")
    finally:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, (FirstRunDialog, SignInDialog)):
                widget.close()
        console.close()


def test_first_run_refuses_an_incomplete_form(qapp, qloop, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "new-store"
    app = make_application()
    db = open_database(folder)
    translations = Translations(app)
    translations.install("en")
    console = Console(app, db, Settings.for_data_dir(folder), translations, theme="light")
    try:
        run(qloop, console.start())
        dialog = console.dialog
        dialog.code_edit.setText("HZ01")
        dialog.pin_edit.setText("12")
        dialog.pin_again_edit.setText("12")
        in_loop(qloop, dialog.create_button.click)
        wait_until(qloop, lambda: not dialog.problem_label.isHidden())
        assert "needed" in dialog.problem_label.text()
        assert run(qloop, console.worker.run(console.auth.local_store)) is None
    finally:
        console.dialog.close()
        console.close()


def test_cold_start_paints_the_sign_in_window_before_the_store_opens(qapp, qloop, qtbot, demo_dir) -> None:  # type: ignore[no-untyped-def]
    app = make_application()
    translations = Translations(app)
    translations.install("en")
    console = Console(app, None, Settings.for_data_dir(demo_dir), translations, theme="light",
                      data_dir=demo_dir)
    hold = threading.Event()
    try:
        # Hold the ordered worker, so opening the store waits behind this job.
        console.worker.submit(hold.wait, 10)
        task = qloop.create_task(console.start())
        # The shell is on screen before the database is open, its users already listed (read
        # straight from the file): a person can choose and type while the store opens.
        wait_until(qloop, lambda: isinstance(console.dialog, SignInDialog) and console.dialog.isVisible())
        shell = console.dialog
        assert console.db is None
        assert shell.heading.text().startswith("Sign in to ")
        assert shell.user_combo.count() > 0 and shell.user_combo.isEnabled()
        hold.set()
        run(qloop, task)
        assert console.db is not None
        assert console.dialog is shell  # the same window, now ready
        assert shell.sign_in_button.isEnabled()
        assert shell.user_combo.count() > 0
        assert shell.heading.text().startswith("Sign in to ")
    finally:
        hold.set()
        if console.dialog is not None:
            console.dialog.close()
        console.close()


def test_a_pin_typed_before_the_store_opens_signs_in_once_it_is_open(qapp, qloop, qtbot, demo_dir,  # type: ignore[no-untyped-def]
                                                                   demo_users) -> None:
    app = make_application()
    translations = Translations(app)
    translations.install("en")
    console = Console(app, None, Settings.for_data_dir(demo_dir), translations, theme="light",
                      data_dir=demo_dir)
    console.settings.set(S.OVERLAY_PORT, 0)
    hold = threading.Event()
    try:
        console.worker.submit(hold.wait, 10)
        task = qloop.create_task(console.start())
        wait_until(qloop, lambda: isinstance(console.dialog, SignInDialog) and console.dialog.user_combo.count() > 0)
        manager = next(u for u in demo_users if u.role is Role.STORE_MANAGER)
        _choose(console.dialog, manager.login)
        console.dialog.pin_edit.setText(manager.pin)
        in_loop(qloop, console.dialog.sign_in_button.click)     # the store is still opening
        assert console.db is None and console.window is None
        hold.set()
        run(qloop, task)
        wait_until(qloop, lambda: isinstance(console.window, MainWindow), timeout=30)
        assert console.window._services.actor.user_id is not None
        assert manager.display_name in console.window.user_label.text()
    finally:
        hold.set()
        if console.window is not None:
            console.window.close()
        if console.dialog is not None:
            console.dialog.close()
        qloop.run_until_complete(console.cancel_tasks())
        console.close()


def _sign_in_as(console, qloop, login: str, pin: str):  # type: ignore[no-untyped-def]
    dialog = console.dialog
    assert isinstance(dialog, SignInDialog)
    wait_until(qloop, lambda: dialog.user_combo.count() > 0)
    _choose(dialog, login)
    dialog.pin_edit.setText(pin)
    in_loop(qloop, dialog.sign_in_button.click)
    wait_until(qloop, lambda: isinstance(console.window, MainWindow))
    window = console.window
    wait_until(qloop, lambda: window.current_view != "")
    return window


def test_sign_out_hands_over_to_the_next_person_and_the_console_lives_on(console, qloop, qtbot, demo_users) -> None:  # type: ignore[no-untyped-def]
    run(qloop, console.start())
    anchor = next(u for u in demo_users if u.role is Role.ANCHOR)
    manager = next(u for u in demo_users if u.role is Role.STORE_MANAGER)
    first = _sign_in_as(console, qloop, anchor.login, anchor.pin)
    activate(first)
    # The keyboard way (Ctrl+Shift+L), as the room controller hands over.
    in_loop(qloop, lambda: qtbot.keyClick(first, Qt.Key.Key_L,
                                          Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier))
    wait_until(qloop, lambda: isinstance(console.dialog, SignInDialog) and console.dialog.isVisible()
               and console.dialog.user_combo.count() > 0)
    assert console.window is None
    assert not shiboken6.isValid(first)  # the first person's window is gone, not hidden
    assert not console.finished.done(), "signing out ended the console"
    second = _sign_in_as(console, qloop, manager.login, manager.pin)
    assert second is not first
    assert second._services.actor.role is Role.STORE_MANAGER
    assert not console.finished.done()
    # And again through the menu: File → Sign out.
    in_loop(qloop, console.window.actions["session.sign_out"].trigger)
    wait_until(qloop, lambda: isinstance(console.dialog, SignInDialog) and console.dialog.isVisible())
    assert not console.finished.done()
    _sign_in_as(console, qloop, anchor.login, anchor.pin)
    assert not console.finished.done()
    wait_until(qloop, lambda: not console._tasks)


def test_closing_the_main_window_still_quits(console, qloop, qtbot, demo_users) -> None:  # type: ignore[no-untyped-def]
    run(qloop, console.start())
    manager = next(u for u in demo_users if u.role is Role.STORE_MANAGER)
    window = _sign_in_as(console, qloop, manager.login, manager.pin)
    in_loop(qloop, window.close)
    wait_until(qloop, lambda: console.finished.done())
    assert console.finished.result() == 0
    assert console.dialog is None


def test_closing_the_sign_in_window_after_sign_out_quits(console, qloop, qtbot, demo_users) -> None:  # type: ignore[no-untyped-def]
    run(qloop, console.start())
    manager = next(u for u in demo_users if u.role is Role.STORE_MANAGER)
    window = _sign_in_as(console, qloop, manager.login, manager.pin)
    in_loop(qloop, window.actions["session.sign_out"].trigger)
    wait_until(qloop, lambda: isinstance(console.dialog, SignInDialog) and console.dialog.isVisible())
    assert not console.finished.done()
    in_loop(qloop, console.dialog.reject)
    wait_until(qloop, lambda: console.finished.done())
