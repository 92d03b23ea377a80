"""The core's messages in the window: the language the user chose, and English when the catalog is broken."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from console import i18n as core
from console.domain.enums import Role
from tests.ui.conftest import in_loop, run, wait_until, window_for
from ui.app import make_application
from ui.i18n import Translations
from ui.signin import SignInDialog

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_WORDS = re.compile(r"[A-Za-z]{2,}[\s,.'’]+[A-Za-z]{2,}")


def broken_catalog(root: Path) -> Path:
    """A locale folder whose zh_CN catalog is not a compiled catalog at all."""
    path = core.catalog_path("zh_CN", root)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a gettext catalog")
    return path


@pytest.fixture
def fresh_catalogs(monkeypatch: pytest.MonkeyPatch) -> None:
    # use_language keeps each language's catalog once loaded; forget those of earlier tests
    # so that this test's locale folder is the one read.
    monkeypatch.setattr(core, "_loaded", {"en": core.ENGLISH})


def test_a_domain_error_on_a_page_reads_in_chinese(console, qloop, qtbot, demo_users) -> None:  # type: ignore[no-untyped-def]
    login = next(u.login for u in demo_users if u.role is Role.ANCHOR)
    window = window_for(console, qloop, login)
    qtbot.addWidget(window)
    window.show()
    run(qloop, window.show_view("sync"))
    page = window.pages["sync"]
    console.set_language("zh_CN")
    wait_until(qloop, lambda: page.title_label.text() == "同步")
    # An anchor has no "Mark all as reviewed" button; the service refuses the action all the same.
    in_loop(qloop, page.on_mark_reviewed)
    wait_until(qloop, lambda: not page.problem_label.isHidden())
    shown = page.problem_label.text()
    assert CJK.search(shown) and not ENGLISH_WORDS.search(shown), shown

    console.set_language("en")
    wait_until(qloop, lambda: page.title_label.text() == "Sync")
    assert "may not" in page.problem_label.text() and not CJK.search(page.problem_label.text())


def test_a_missing_core_catalog_means_english_without_a_warning(qapp, tmp_path: Path, fresh_catalogs) -> None:  # type: ignore[no-untyped-def]
    translations = Translations(make_application(), core_locale_dir=tmp_path / "no-locale")
    try:
        translations.install("zh_CN")
        assert translations.language == "zh_CN"
        assert translations.core_problem is None
        assert core.active().language == "en"
    finally:
        translations.install("en")


def test_a_malformed_core_catalog_at_start_warns_and_the_console_runs_in_english(  # type: ignore[no-untyped-def]
        console, qloop, qtbot, demo_users, tmp_path: Path, fresh_catalogs) -> None:
    bad = broken_catalog(tmp_path / "locale")
    translations = Translations(make_application(), core_locale_dir=tmp_path / "locale")
    console.translations = translations
    try:
        translations.install("zh_CN")      # as at start, from --lang or the setting
        assert translations.core_problem is not None and translations.core_problem.path == bad
        assert core.active().language == "en"

        run(qloop, console.start())
        # The console opens as usual, and says once, without blocking, why its messages are English.
        dialog = console.dialog
        assert isinstance(dialog, SignInDialog) and dialog.isVisible()
        box = console.catalog_warning
        assert isinstance(box, QMessageBox) and box.isVisible()
        assert box.windowModality() is Qt.WindowModality.NonModal
        assert str(bad) in box.informativeText()
        assert CJK.search(box.text()), box.text()        # the UI's own words are still Chinese

        # A core message (a wrong PIN) reads in English, in a window that otherwise speaks Chinese.
        user = next(u for u in demo_users if u.role is Role.ANCHOR)
        index = next(i for i, u in enumerate(dialog._users) if u.login == user.login)
        dialog.user_combo.setCurrentIndex(index)
        dialog.pin_edit.setText("000000" if user.pin != "000000" else "111111")
        in_loop(qloop, dialog.sign_in_button.click)
        wait_until(qloop, lambda: not dialog.problem_label.isHidden())
        assert "Wrong PIN" in dialog.problem_label.text()
        assert dialog.sign_in_button.text() != "Sign in"
        console._warn_about_catalog()   # the start path passes here twice: told once
        assert console.catalog_warning is box
    finally:
        if console.catalog_warning is not None:
            console.catalog_warning.close()
        translations.install("en")


def test_a_malformed_core_catalog_when_switching_language_is_said_in_the_status_bar(  # type: ignore[no-untyped-def]
        console, qloop, qtbot, tmp_path: Path, fresh_catalogs) -> None:
    bad = broken_catalog(tmp_path / "locale")
    translations = Translations(make_application(), core_locale_dir=tmp_path / "locale")
    translations.install("en")
    console.translations = translations
    try:
        window = window_for(console, qloop, None)
        console.window = window
        qtbot.addWidget(window)
        window.show()
        console.set_language("zh_CN")
        assert str(bad) in window.statusBar().currentMessage()
        assert core.active().language == "en"
        assert translations.language == "zh_CN"   # the window itself speaks Chinese
    finally:
        translations.install("en")
