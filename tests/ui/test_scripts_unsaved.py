"""The Scripts screen's unsaved-changes guard on a real store: every way typed text could be lost asks
first (another script, a new one, another screen, signing out, closing, quitting), and Save, Discard and
Cancel each do what they say; a Save the service refuses keeps the text; a refresh of the same script
keeps it without asking. Most answers come through ``leave_prompt``; the real box is clicked too."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from qasync import QEventLoop

from console.domain.enums import ScriptKind
from tests.ui.conftest import activate, in_loop, manager_window, run, wait_until
from tests.ui.test_scripts_screen import CLEAN, first_product, new_script, scripts_page
from ui.app import Console
from ui.views.script_dialogs import CANCEL, DISCARD, SAVE, UnsavedChangesBox
from ui.views.scripts import ScriptsPage

TYPED = "今天直播间到手{live_price}，面料柔软，大家在小黄车下单。"


class Answers:
    """Stands in for the question: records each title asked about and answers in turn."""

    def __init__(self, *choices: str) -> None:
        self.choices = list(choices)
        self.asked: list[str] = []

    def __call__(self, title: str) -> str:
        self.asked.append(title)
        return self.choices.pop(0)


@pytest.fixture
def window(console: Console, qloop: QEventLoop) -> Any:
    return manager_window(console, qloop)


@pytest.fixture
def lives_on(qapp: Any) -> Any:
    """As the console runs (``Console.start``): the last window closed does not quit Qt, and stop the loop."""
    before = qapp.quitOnLastWindowClosed()
    qapp.setQuitOnLastWindowClosed(False)
    yield
    qapp.setQuitOnLastWindowClosed(before)


def two_scripts(console: Console, window: Any) -> tuple[UUID, UUID]:
    product = first_product(console, window)
    return (new_script(window, product, CLEAN, title="未保存甲"), new_script(window, product, CLEAN, title="未保存乙"))


def typed_in(console: Console, qloop: QEventLoop, window: Any, script_id: UUID) -> ScriptsPage:
    """The Scripts screen with ``script_id`` open and TYPED in its editor, not saved."""
    page = scripts_page(console, qloop, window)
    assert run(qloop, page.open_script(script_id))
    page.editor.setPlainText(TYPED)
    assert page.unsaved and page.leaving_loses_work
    return page


def row_of(page: ScriptsPage, script_id: UUID) -> int:
    return next(i for i, r in enumerate(page.model.rows()) if r.id == script_id)


def selected_id(page: ScriptsPage) -> UUID:
    return page.model.value(page.view.selectionModel().selectedRows()[0].row()).id


def latest_body(window: Any, script_id: UUID) -> str:
    return window._services.scripts.script(script_id).latest.body


def the_box() -> UnsavedChangesBox | None:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, UnsavedChangesBox) and w.isVisible()]
    return found[0] if found else None


# --- another script chosen in the list -------------------------------------------------------------
def test_choosing_another_script_asks_and_cancel_keeps_the_text_and_the_selection(
        console: Console, qloop: QEventLoop, window: Any) -> None:
    first, second = two_scripts(console, window)
    page = typed_in(console, qloop, window, first)
    page.leave_prompt = answers = Answers(CANCEL)
    in_loop(qloop, lambda: page.view.selectRow(row_of(page, second)))
    wait_until(qloop, lambda: answers.asked and selected_id(page) == first)
    assert answers.asked == ["未保存甲"]
    assert page.detail is not None and page.detail.id == first
    assert page.editor.toPlainText() == TYPED and page.unsaved
    assert latest_body(window, first) == CLEAN


def test_choosing_another_script_discard_drops_the_text_and_opens_it(
        console: Console, qloop: QEventLoop, window: Any) -> None:
    first, second = two_scripts(console, window)
    page = typed_in(console, qloop, window, first)
    page.leave_prompt = Answers(DISCARD)
    in_loop(qloop, lambda: page.view.selectRow(row_of(page, second)))
    wait_until(qloop, lambda: page.detail is not None and page.detail.id == second)
    assert page.editor.toPlainText() == CLEAN and not page.unsaved
    assert selected_id(page) == second
    assert window._services.scripts.script(first).latest.number == 1     # nothing was saved


def test_choosing_another_script_save_keeps_a_draft_version_then_opens_it(
        console: Console, qloop: QEventLoop, window: Any) -> None:
    first, second = two_scripts(console, window)
    page = typed_in(console, qloop, window, first)
    page.leave_prompt = Answers(SAVE)
    in_loop(qloop, lambda: page.view.selectRow(row_of(page, second)))
    wait_until(qloop, lambda: page.detail is not None and page.detail.id == second)
    saved = window._services.scripts.script(first).latest
    assert (saved.number, saved.body, saved.status.value) == (2, TYPED, "draft")
    assert page.editor.toPlainText() == CLEAN and selected_id(page) == second


def test_a_save_the_service_refuses_keeps_the_text_and_stays(
        console: Console, qloop: QEventLoop, window: Any) -> None:
    first, second = two_scripts(console, window)
    page = typed_in(console, qloop, window, first)
    page.editor.setPlainText("   ")     # an empty script: the service refuses to save it
    page.leave_prompt = Answers(SAVE)
    assert not run(qloop, page.open_script(second))
    assert not page.problem_label.isHidden() and "empty" in page.problem_label.text()
    assert page.detail is not None and page.detail.id == first
    assert page.editor.toPlainText() == "   " and page.unsaved
    assert window._services.scripts.script(first).latest.number == 1


# --- opened from elsewhere, a new script ---------------------------------------------------------------
def test_open_script_for_another_script_asks_and_the_same_script_keeps_the_text(
        console: Console, qloop: QEventLoop, window: Any) -> None:
    first, second = two_scripts(console, window)
    page = typed_in(console, qloop, window, first)
    page.leave_prompt = answers = Answers(CANCEL, SAVE)
    assert run(qloop, page.open_script(first))          # the same one: no question, the text stays
    assert answers.asked == [] and page.editor.toPlainText() == TYPED
    assert not run(qloop, page.open_script(second))
    assert page.detail is not None and page.detail.id == first and page.editor.toPlainText() == TYPED
    assert run(qloop, page.open_script(second))
    assert answers.asked == ["未保存甲", "未保存甲"]
    assert page.detail.id == second and latest_body(window, first) == TYPED


def test_a_new_script_asks_before_it_is_created(console: Console, qloop: QEventLoop, window: Any) -> None:
    first, _ = two_scripts(console, window)
    page = typed_in(console, qloop, window, first)
    segment = next(t for t in window._services.scripts.templates() if t.kind is ScriptKind.SEGMENT)

    def described(_templates: Any, _broadcasts: Any) -> dict[str, Any]:
        return {"kind": segment.kind, "title": "未保存丙", "template_key": segment.key, "product_id": None,
                "broadcast_id": None, "segment": segment.segment}

    page.new_script_prompt = described
    page.leave_prompt = answers = Answers(CANCEL, DISCARD)
    run(qloop, page.on_new_script())
    assert answers.asked == ["未保存甲"]
    assert not any(r.title == "未保存丙" for r in window._services.scripts.scripts())
    assert page.detail is not None and page.detail.id == first and page.editor.toPlainText() == TYPED
    run(qloop, page.on_new_script())
    assert page.detail.title == "未保存丙" and not page.unsaved
    assert latest_body(window, first) == CLEAN


# --- a refresh of the same script -------------------------------------------------------------------
def test_a_refresh_of_the_same_script_keeps_the_text_without_asking(
        console: Console, qloop: QEventLoop, window: Any) -> None:
    first, _ = two_scripts(console, window)
    page = typed_in(console, qloop, window, first)
    page.leave_prompt = answers = Answers()
    window._services.scripts.rename(first, "未保存甲（改名）")    # as another console would: the change arrives
    wait_until(qloop, lambda: page.detail is not None and page.detail.title == "未保存甲（改名）")
    assert not page.refresh_pending
    run(qloop, page.refresh())                                  # and Ctrl+R
    assert answers.asked == []
    assert page.detail is not None and page.detail.title == "未保存甲（改名）"
    assert page.editor.toPlainText() == TYPED and page.unsaved


def test_taking_an_older_version_s_text_asks_about_the_typed_text(
        console: Console, qloop: QEventLoop, window: Any) -> None:
    first, _ = two_scripts(console, window)
    window._services.scripts.save(first, "第二版的话术，{live_price}到手。")
    page = typed_in(console, qloop, window, first)
    page.leave_prompt = answers = Answers(CANCEL, SAVE)
    page.tabs.setCurrentIndex(1)
    oldest = page.versions.table.rowCount() - 1                 # newest first: version 1 is the last row

    def enter_on_version_1() -> None:
        page.versions.table.setCurrentCell(oldest, 0)
        page.versions.table.itemActivated.emit(page.versions.table.item(oldest, 0))

    in_loop(qloop, enter_on_version_1)
    wait_until(qloop, lambda: answers.asked and not page._asking_to_leave)
    assert page.editor.toPlainText() == TYPED
    in_loop(qloop, enter_on_version_1)
    wait_until(qloop, lambda: page.editor.toPlainText() == CLEAN)
    assert latest_body(window, first) == TYPED and window._services.scripts.script(first).latest.number == 3
    assert page.unsaved                                         # version 1's text, to keep as version 4


# --- other screens, signing out, closing ---------------------------------------------------------------
def test_another_screen_asks_cancel_puts_the_navigation_back_discard_leaves(
        console: Console, qloop: QEventLoop, window: Any) -> None:
    first, _ = two_scripts(console, window)
    page = typed_in(console, qloop, window, first)
    page.leave_prompt = answers = Answers(CANCEL, DISCARD)
    scripts_row = window.nav.currentRow()
    in_loop(qloop, lambda: window.nav.setCurrentRow(2))            # a click on Products
    wait_until(qloop, lambda: answers.asked and window.nav.currentRow() == scripts_row)
    assert window.current_view == "scripts" and window.stack.currentWidget() is page
    assert window.actions["view.scripts"].isChecked() and not window.actions["view.products"].isChecked()
    assert page.editor.toPlainText() == TYPED

    assert run(qloop, window.show_view("products"))
    assert window.current_view == "products" and len(answers.asked) == 2
    run(qloop, window.show_view("scripts"))                        # back: the dropped text stays dropped
    assert page.editor.toPlainText() == CLEAN and not page.unsaved


def test_the_keyboard_switch_to_another_screen_asks_too(console: Console, qloop: QEventLoop, window: Any) -> None:
    first, _ = two_scripts(console, window)
    page = typed_in(console, qloop, window, first)
    page.leave_prompt = answers = Answers(CANCEL, CANCEL, SAVE)
    activate(window)
    in_loop(qloop, lambda: QTest.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier))
    wait_until(qloop, lambda: answers.asked and not page._asking_to_leave)
    assert window.current_view == "scripts" and window.actions["view.scripts"].isChecked()
    in_loop(qloop, lambda: QTest.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier))  # find
    wait_until(qloop, lambda: len(answers.asked) == 2 and not page._asking_to_leave)
    assert window.current_view == "scripts" and page.editor.toPlainText() == TYPED
    in_loop(qloop, lambda: QTest.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier))
    wait_until(qloop, lambda: window.current_view == "products")
    assert latest_body(window, first) == TYPED


def test_signing_out_asks_first(console: Console, qloop: QEventLoop, window: Any) -> None:
    first, _ = two_scripts(console, window)
    page = typed_in(console, qloop, window, first)
    page.leave_prompt = answers = Answers(CANCEL, SAVE)
    requested: list[bool] = []
    window.sign_out_requested.connect(lambda: requested.append(True))
    run(qloop, window.sign_out())
    assert answers.asked and requested == [] and page.editor.toPlainText() == TYPED
    run(qloop, window.sign_out())
    assert requested == [True] and latest_body(window, first) == TYPED


def test_closing_the_window_asks_in_the_real_box_esc_stays_discard_closes(
        console: Console, qloop: QEventLoop, window: Any, lives_on: None) -> None:
    first, _ = two_scripts(console, window)
    page = typed_in(console, qloop, window, first)
    services = window._services

    in_loop(qloop, window.close)
    wait_until(qloop, lambda: the_box() is not None)
    box = the_box()
    assert box is not None and window.isVisible()
    assert box.text() == "未保存甲 has unsaved changes."
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Save)
    assert box.windowModality() == Qt.WindowModality.WindowModal         # open(), not a nested exec()
    in_loop(qloop, lambda: QTest.keyClick(box, Qt.Key.Key_Escape))            # Esc is Cancel
    wait_until(qloop, lambda: the_box() is None and not window._asking_to_close)
    assert window.isVisible() and page.editor.toPlainText() == TYPED

    # Quitting from the menu goes through the same close.
    in_loop(qloop, window.actions["app.quit"].trigger)
    wait_until(qloop, lambda: the_box() is not None)
    box = the_box()
    assert box is not None
    in_loop(qloop, lambda: QTest.mouseClick(box.button(QMessageBox.StandardButton.Discard),
                                            Qt.MouseButton.LeftButton))
    wait_until(qloop, lambda: console.window is None)
    assert services.scripts.script(first).latest.body == CLEAN


def test_closing_the_window_save_in_the_real_box_saves_then_closes(
        console: Console, qloop: QEventLoop, window: Any, lives_on: None) -> None:
    first, _ = two_scripts(console, window)
    typed_in(console, qloop, window, first)
    services = window._services
    in_loop(qloop, window.close)
    wait_until(qloop, lambda: the_box() is not None)
    box = the_box()
    assert box is not None
    in_loop(qloop, lambda: QTest.keyClick(box, Qt.Key.Key_Return))            # Enter is Save, the default
    wait_until(qloop, lambda: console.window is None)
    assert services.scripts.script(first).latest.body == TYPED
