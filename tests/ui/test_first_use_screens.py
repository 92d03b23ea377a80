"""What a new store manager hit on first use (issue 9): small screens, the dark theme, publishing, names, F1.

Real windows on a demo copy, off-screen; the off-screen platform's screen is
800 x 800, so "fits the screen" is checked against that.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QPushButton, QToolButton, QWidget

from console.domain.values import ShiftRow
from tests.ui.conftest import activate, in_loop, manager_window, run, wait_until
from ui.theme import apply_theme
from ui.views.roster import RosterPage
from ui.views.week_board import BOARD_KEYS, ZOOMS, short_forms

Q = timedelta(minutes=15)


def roster_window(console, qloop, qtbot, size: tuple[int, int], language: str = "en"):  # type: ignore[no-untyped-def]
    console.set_language(language)
    window = manager_window(console, qloop)
    qtbot.addWidget(window)
    window.resize(*size)
    activate(window)
    run(qloop, window.show_view("roster"))
    QApplication.processEvents()
    page = window.pages["roster"]
    assert isinstance(page, RosterPage)
    return window, page


def inside(widget: QWidget, outer: QWidget) -> bool:
    """Shown whole within ``outer``: not cut off at an edge."""
    rect = QRect(widget.mapTo(outer, widget.rect().topLeft()), widget.size())
    return widget.isVisible() and outer.rect().contains(rect)


# --- 1024 x 700 and 1280 x 720 (item 12) --------------------------------------------------------
@pytest.mark.parametrize("language", ["en", "zh_CN"])
@pytest.mark.parametrize("size", [(1024, 700), (1280, 720)])
def test_the_roster_header_is_whole_on_a_small_screen(console, qloop, qtbot, size, language) -> None:  # type: ignore[no-untyped-def]
    window, page = roster_window(console, qloop, qtbot, size, language)
    try:
        assert (window.width(), window.height()) == size, "the window cannot shrink to the screen"
        label = page.week_label
        assert label.fontMetrics().horizontalAdvance(label.text()) <= label.contentsRect().width()
        assert inside(label, page.board_page)
        for widget in (page.prev_button, page.this_week_button, page.next_button, page.undo_button,
                       page.copy_button, page.template_button, page.people_button, page.publish_button,
                       page.rooms_button, page.anchors_button, page.zoom_combo):
            assert inside(widget, page.board_page), widget.objectName() or widget.text()
        assert len(page.legend_items) == 7
        for item in page.legend_items:
            assert inside(item, page.board_page), item.text()
            assert item.fontMetrics().horizontalAdvance(item.text()) > 0
        # The day headings, today's too, fit their columns.
        board = page.board
        metrics = QFontMetrics(board.day_heading_font())
        headings = [board.day_heading(d, metrics) for d in range(7)]
        for heading in headings:
            assert metrics.horizontalAdvance(heading) <= board.day_heading_width(), heading
        today = next(h for h in headings if board.texts.today in h or h.startswith(
            board.texts.today_date.replace("%1", "").strip()))
        assert "…" not in today
    finally:
        console.set_language("en")


def test_the_anchors_dialog_fits_the_screen(console, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    window, page = roster_window(console, qloop, qtbot, (1024, 700))
    in_loop(qloop, page.people_button.click)
    wait_until(qloop, lambda: page.people_dialog is not None and page.people_dialog.room_model.rowCount() > 0)
    dialog = page.people_dialog
    try:
        QApplication.processEvents()
        room = (window.screen() or QGuiApplication.primaryScreen()).availableGeometry()
        assert dialog.width() <= room.width() and dialog.height() <= room.height()
        assert dialog.close_buttons.isVisible()
    finally:
        in_loop(qloop, dialog.reject)
        wait_until(qloop, lambda: page.people_dialog is None and not page.busy)


# --- the dark theme (item 13) -----------------------------------------------------------------
def _looks(widget: QWidget) -> QImage:
    widget.ensurePolished()
    return widget.grab().toImage()


def _luminance(image: QImage) -> float:
    total = 0.0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            colour = image.pixelColor(x, y)
            total += 0.2126 * colour.red() + 0.7152 * colour.green() + 0.0722 * colour.blue()
    return total / ((image.height() + 1) // 2 * ((image.width() + 1) // 2))


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("kind", [QPushButton, QToolButton])
def test_a_disabled_button_looks_disabled(qapp, qtbot, theme, kind) -> None:  # type: ignore[no-untyped-def]
    apply_theme(qapp, theme)
    try:
        enabled, disabled = kind(), kind()
        for button in (enabled, disabled):
            qtbot.addWidget(button)
            button.setText("Copy last week")
            button.resize(160, 32)
        disabled.setEnabled(False)
        on, off = _looks(enabled), _looks(disabled)
        assert on != off
        if theme == "dark":
            # On a dark screen a disabled control is dimmer than an enabled one, not as bright.
            assert _luminance(off) < _luminance(on) - 3
    finally:
        apply_theme(qapp, "light")


# --- publishing (item 13) ---------------------------------------------------------------------------
def _movable(page: RosterPage) -> ShiftRow:
    for s in page.model.shifts():
        start = (s.starts_at + Q).astimezone(page.model.zone)
        if start.hour >= 10 and start.date() == s.starts_at.astimezone(page.model.zone).date():
            proposal = page.board.propose(s, s.starts_at + Q, s.ends_at + Q)
            if not proposal.refused and not proposal.warnings:
                return s
    pytest.fail("the demo week has no shift to nudge; the test needs one")


def test_publish_first_says_what_changes_for_whom(console, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    _window, page = roster_window(console, qloop, qtbot, (1600, 1000))
    shift = _movable(page)
    run(qloop, page.move(page.board.propose(shift, shift.starts_at + Q, shift.ends_at + Q)))
    count = page.model.unpublished_count()
    assert count >= 1
    asked = []
    page.publish_prompt = lambda summary: asked.append(summary) or False    # the manager cancels
    in_loop(qloop, page.publish_button.click)
    wait_until(qloop, lambda: bool(asked) and page.publish_button.isEnabled())
    summary = asked[0]
    mine = next(a for a in summary.anchors if a.anchor_id == shift.anchor_id)
    assert [s.id for s in mine.changed] == [shift.id]
    heading, lines = next((h, ls) for h, ls in page.publish_lines(summary) if h.startswith(mine.anchor_name))
    assert "1 changed" in heading and mine.anchor_code in heading
    assert any(line.startswith("Changed: ") and page.model.clock(shift.starts_at + Q) in line for line in lines)
    assert page.model.unpublished_count() == count, "cancelled, yet published"

    page.publish_prompt = lambda summary: asked.append(summary) or True
    in_loop(qloop, page.publish_button.click)
    wait_until(qloop, lambda: page.model.unpublished_count() == 0)
    assert len(asked) == 2
    assert page.publish_button.text() == "Published" and not page.publish_button.isEnabled()


def test_the_publish_dialog_lists_the_anchors_and_fits_the_screen(console, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    _window, page = roster_window(console, qloop, qtbot, (1024, 700))
    shift = _movable(page)
    run(qloop, page.move(page.board.propose(shift, shift.starts_at + Q, shift.ends_at + Q)))
    summary = run(qloop, page.call(page.roster.publish_summary, page.week_start,
                                   page.week_start + timedelta(days=7)))
    task = qloop.create_task(page._ask_publish(summary))
    wait_until(qloop, lambda: any(w.objectName() == "PublishSummary" and w.isVisible()
                                  for w in QApplication.allWidgets()))
    tree = next(w for w in QApplication.allWidgets() if w.objectName() == "PublishSummary")
    dialog = tree.window()
    try:
        assert tree.topLevelItemCount() == len(summary.anchors)
        assert tree.topLevelItem(0).childCount() >= 1
        room = (dialog.screen() or QGuiApplication.primaryScreen()).availableGeometry()
        assert dialog.width() <= room.width() and dialog.height() <= room.height()
    finally:
        in_loop(qloop, dialog.reject)
    assert run(qloop, task) is False


def test_an_empty_week_has_nothing_to_publish(console, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    _window, page = roster_window(console, qloop, qtbot, (1600, 1000))
    page.week_start += timedelta(weeks=30)      # far beyond the demo's weeks
    run(qloop, page.refresh())
    assert not page.model.all_shifts()
    assert page.publish_button.text() == "Nothing to publish"
    assert not page.publish_button.isEnabled()


# --- names on the blocks (item 13) ------------------------------------------------------------------
def test_short_forms_never_name_two_people() -> None:
    forms = short_forms({"贺子轩", "廖子轩", "郭子轩", "欧阳若曦", "宋昊天", "赵琳", "赵蕾", "姜琳"})
    assert forms["贺子轩"] == ("贺",)          # "子轩" is four people's; "贺" only hers
    assert forms["欧阳若曦"] == ("若曦", "欧")
    assert forms["宋昊天"] == ("昊天", "宋")
    assert forms["赵琳"] == ()                 # two 赵: only the full name says which
    assert forms["姜琳"] == ("姜",)
    assert short_forms({"R01", "R02"}) == {"R01": ("01",), "R02": ("02",)}


@pytest.mark.parametrize("zoom", ZOOMS[:2])
def test_every_block_label_names_one_anchor(console, qloop, qtbot, zoom) -> None:  # type: ignore[no-untyped-def]
    _window, page = roster_window(console, qloop, qtbot, (1600, 1000))
    board = page.board
    board.set_zoom(zoom)
    names = [a.name for a in page.model.anchors]
    given = [n[-2:] for n in names if len(n) >= 3]
    assert len(given) > len(set(given)), "the demo needs two anchors with the same given name"
    metrics = QFontMetrics(board.font())
    shown = 0
    for shift in page.model.shifts():
        rect = board.block_rect(shift.id)
        assert rect is not None
        label = board.block_label(shift, rect.width() - 8, metrics)
        if not label:
            continue
        shown += 1
        word = label.split(" ")[0]
        matches = [n for n in names if n == word or (word != n and (n.endswith(word) or n.startswith(word)))]
        assert matches == [shift.anchor_name], (label, matches)
    assert shown


# --- F1 (item 14) -----------------------------------------------------------------------------------
def test_f1_lists_the_roster_keys_apart_from_their_labels(console, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    window, _page = roster_window(console, qloop, qtbot, (1024, 700))
    in_loop(qloop, lambda: qtbot.keyClick(window, Qt.Key.Key_F1))
    wait_until(qloop, lambda: window.shortcuts_dialog is not None and window.shortcuts_dialog.isVisible())
    dialog = window.shortcuts_dialog
    tree = dialog.tree
    rows = {}
    for top in range(tree.topLevelItemCount()):
        section = tree.topLevelItem(top)
        for n in range(section.childCount()):
            item = section.child(n)
            rows[item.text(0)] = item.text(1)
            words, keys = tree.visualItemRect(item), tree.visualRect(tree.indexFromItem(item, 1))
            # The label ends well before its keys begin.
            label_end = words.left() + tree.fontMetrics().horizontalAdvance(item.text(0))
            assert label_end + 12 <= keys.left(), item.text(0)
    for keys, words in BOARD_KEYS:
        assert rows[words] == keys
    assert rows["Sign out"] == "Ctrl+Shift+L"
    assert rows["Keyboard shortcuts"] == "F1"
    room = (dialog.screen() or QGuiApplication.primaryScreen()).availableGeometry()
    assert dialog.width() <= room.width()
    dialog.close()
