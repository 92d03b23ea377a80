"""The queue editor as a store manager meets it: add by search and by scanner, reorder, pin, edit in place, undo.

The real window on a copy of the demo store, on a planned broadcast still to
come; the service calls are the real ones. Setups that the screen does not
make (a product set, a price that breaks the gate) go through the services
as another console or the command line would.
"""

from __future__ import annotations

import re
import threading
import time
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from qasync import QEventLoop

from console.domain.enums import AuditVia, BroadcastStatus, Role
from console.domain.values import ProductRow, QueueLine
from console.services.queue import QueueService
from tests.ui.conftest import activate, in_loop, manager_window, run, wait_until, window_for
from ui.app import Console
from ui.models.queue import ProductResultModel, QueueEditorModel
from ui.views.broadcasts import BroadcastsPage

Q = QueueEditorModel


# --- helpers -----------------------------------------------------------------------------------------


def editor(console: Console, qloop: QEventLoop) -> tuple[Any, BroadcastsPage]:
    """The window on the Broadcasts screen, showing the first planned broadcast still to come."""
    window = manager_window(console, qloop)
    activate(window)
    run(qloop, window.show_view("broadcasts"))
    page = window.pages["broadcasts"]
    assert isinstance(page, BroadcastsPage)
    now = datetime.now(UTC)
    show = next((b for b in page.broadcast_model.rows()
                 if b.status is BroadcastStatus.PLANNED and b.planned_start.replace(tzinfo=UTC) > now
                 and b.queue_length >= 4), None)
    assert show is not None, "the demo has no planned broadcast to come"
    run(qloop, page.select_broadcast(show.id))
    page.queue_view.setFocus()
    return window, page


def lines(page: BroadcastsPage) -> list[QueueLine]:
    return page.queue_model.lines()


def stored(console: Console, qloop: QEventLoop, page: BroadcastsPage) -> list[QueueLine]:
    """The queue as the database holds it."""
    assert page.selected_id is not None
    return list(run(qloop, console.worker.run(page.queue.lines, page.selected_id)))


def settled(qloop: QEventLoop, page: BroadcastsPage) -> None:
    wait_until(qloop, lambda: not page.busy and not page.refresh_pending)


def free_products(console: Console, qloop: QEventLoop, page: BroadcastsPage, count: int = 3) -> list[ProductRow]:
    """Products that may go on air, with a barcode, not on the queue."""
    queued = {q.product_id for q in lines(page)}
    rows = run(qloop, console.worker.run(page._services.catalog.search, "", limit=400))
    found = [p for p in rows if p.id not in queued and p.barcode and p.may_go_on_air]
    assert len(found) >= count
    return found[:count]


def other_console(console: Console, qloop: QEventLoop) -> QueueService:
    """The queue service as another console or the command line holds it: not the screen's operations."""
    actor = run(qloop, console.worker.run(console.auth.actor_for_login, None, via=AuditVia.CLI))
    return QueueService(console.db, actor)


def key(page: BroadcastsPage, which: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
        qloop: QEventLoop | None = None) -> None:
    target = QApplication.focusWidget() or page
    if qloop is None:
        QTest.keyClick(target, which, modifiers)
    else:
        in_loop(qloop, lambda: QTest.keyClick(target, which, modifiers))


def undo(qloop: QEventLoop, page: BroadcastsPage) -> None:
    in_loop(qloop, page.undo)
    settled(qloop, page)


def redo(qloop: QEventLoop, page: BroadcastsPage) -> None:
    in_loop(qloop, page.redo)
    settled(qloop, page)


# --- the models ----------------------------------------------------------------------------------------


def test_the_queue_and_result_models_pass_the_model_tester(
        console: Console, qloop: QEventLoop, qtmodeltester: Any) -> None:
    window, page = editor(console, qloop)
    assert page.queue_model.rowCount() >= 4 and page.queue_model.editable
    qtmodeltester.check(page.queue_model)
    results = ProductResultModel()
    results.set_rows(free_products(console, qloop, page))
    results.set_queued(lines(page))
    qtmodeltester.check(results)
    empty = QueueEditorModel()
    qtmodeltester.check(empty)
    window.close()


def test_the_list_names_each_status_in_words_and_the_gate_marks_each_item(console: Console, qloop: QEventLoop) -> None:
    window, page = editor(console, qloop)
    statuses = {page.broadcast_model.cell(b, 6) for b in page.broadcast_model.rows()}
    assert {"Planned", "Ended"} <= statuses
    model = page.queue_model
    shown = [model.data(model.index(r, Q.GATE)) for r in range(model.rowCount())]
    assert all(s == "OK" or s.startswith(("Blocked: ", "Check: ")) for s in shown)
    assert model.data(model.index(0, Q.LINK)) == f"#{lines(page)[0].link_number}"
    assert "Planned" in page.timing_label.text() and "of" in page.timing_label.text()
    window.close()


# --- adding ---------------------------------------------------------------------------------------------


def test_a_product_found_as_you_type_goes_on_the_queue_with_enter_and_comes_off_with_undo(
        console: Console, qloop: QEventLoop) -> None:
    window, page = editor(console, qloop)
    product = free_products(console, qloop, page)[0]
    before = len(lines(page))
    key(page, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is page.add_bar.search_edit
    in_loop(qloop, lambda: QTest.keyClicks(page.add_bar.search_edit, product.sku))
    wait_until(qloop, lambda: page.add_bar.results.rowCount() > 0
               and page.add_bar.results.value(0).id == product.id)
    assert page.add_bar.results_view.isVisible()
    key(page, Qt.Key.Key_Return, qloop=qloop)
    wait_until(qloop, lambda: any(q.product_id == product.id for q in lines(page)))
    settled(qloop, page)
    added = next(q for q in lines(page) if q.product_id == product.id)
    assert len(lines(page)) == before + 1 and added.index == before
    assert page.selected_items() == [added.id]
    # The result says it is on the queue now.
    assert page.add_bar.results.cell(page.add_bar.results.value(0), ProductResultModel.NOTE_COLUMN) \
        == f"On the queue as #{added.link_number}"

    undo(qloop, page)
    assert all(q.product_id != product.id for q in lines(page))
    assert all(q.product_id != product.id for q in stored(console, qloop, page))
    redo(qloop, page)
    assert any(q.id == added.id for q in lines(page)), "redo brings the same item back"
    assert [q.id for q in stored(console, qloop, page)] == [q.id for q in lines(page)]
    window.close()


def test_up_and_down_choose_among_the_results_and_a_double_click_adds_one(
        console: Console, qloop: QEventLoop) -> None:
    window, page = editor(console, qloop)
    first = free_products(console, qloop, page)[0]
    bar = page.add_bar
    brand = first.brand
    in_loop(qloop, lambda: bar.search_edit.setText(brand))
    wait_until(qloop, lambda: bar.results.rowCount() > 2 and not page.busy)
    shown = [bar.results.value(r) for r in range(bar.results.rowCount())]
    queued_before = {q.product_id for q in lines(page)}
    bar.search_edit.setFocus()
    key(page, Qt.Key.Key_Down, qloop=qloop)
    assert bar.highlighted() == shown[1] and bar.search_edit.hasFocus()
    key(page, Qt.Key.Key_Return, qloop=qloop)
    wait_until(qloop, lambda: shown[1].id in {q.product_id for q in lines(page)} or page.problem_label.isVisible())
    settled(qloop, page)
    # Double-click the third result.
    view = bar.results_view
    at = view.visualRect(bar.results.index(2, 1)).center()
    # As a hand does it: the first click of the two presses, then the double-click.
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)
    in_loop(qloop, lambda: QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton,
                                             Qt.KeyboardModifier.NoModifier, at))
    wait_until(qloop, lambda: shown[2].id in {q.product_id for q in lines(page)} or page.problem_label.isVisible())
    settled(qloop, page)
    queued = [q.product_id for q in stored(console, qloop, page)]
    new = [p.id for p in shown[1:3] if p.id not in queued_before]
    assert new and queued[-len(new):] == new, "the highlighted result, then the double-clicked one"
    window.close()


def test_a_slow_stale_search_never_overwrites_the_newer_one(console: Console, qloop: QEventLoop) -> None:
    window, page = editor(console, qloop)
    bar = page.add_bar
    product = free_products(console, qloop, page)[0]
    real = bar.search_fn
    slow_started = threading.Event()
    asked: list[str] = []

    def slowed(text: str, **kwargs: Any) -> list[ProductRow]:
        asked.append(text)
        if text == "a":
            slow_started.set()
            time.sleep(0.6)      # a slow query typed first
        return real(text, **kwargs)

    bar.search_fn = slowed
    shown: list[list[UUID]] = []
    bar.results.modelReset.connect(lambda: shown.append([r.id for r in bar.results.rows()]))
    in_loop(qloop, lambda: bar.search_edit.setText("a"))
    wait_until(qloop, slow_started.is_set)
    in_loop(qloop, lambda: bar.search_edit.setText(product.sku))     # typed while it runs
    wait_until(qloop, lambda: [r.id for r in bar.results.rows()][:1] == [product.id] and not page.busy)
    time.sleep(0.2)
    wait_until(qloop, lambda: not page.busy)
    assert asked[0] == "a" and asked[-1] == product.sku
    assert shown and all(rows[:1] == [product.id] for rows in shown), "the stale result was shown"
    window.close()


def test_a_scanned_barcode_adds_its_product_and_the_field_is_ready_for_the_next(
        console: Console, qloop: QEventLoop) -> None:
    window, page = editor(console, qloop)
    first, second = free_products(console, qloop, page, 2)
    key(page, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    scan = page.add_bar.scan_edit
    assert QApplication.focusWidget() is scan
    for product in (first, second):
        in_loop(qloop, lambda p=product: QTest.keyClicks(scan, p.barcode))
        in_loop(qloop, lambda: QTest.keyClick(scan, Qt.Key.Key_Return))
        assert scan.text() == ""
    wait_until(qloop, lambda: [q.product_id for q in lines(page)][-2:] == [first.id, second.id])
    settled(qloop, page)
    assert scan.hasFocus()
    undo(qloop, page)
    assert [q.product_id for q in lines(page)][-1] == first.id
    window.close()


def test_an_unknown_code_is_refused_by_name_and_the_field_is_cleared(console: Console, qloop: QEventLoop) -> None:
    window, page = editor(console, qloop)
    before = [q.id for q in lines(page)]
    scan = page.add_bar.scan_edit
    scan.setFocus()
    in_loop(qloop, lambda: QTest.keyClicks(scan, "0000000000017"))
    in_loop(qloop, lambda: QTest.keyClick(scan, Qt.Key.Key_Return))
    wait_until(qloop, lambda: page.problem_label.isVisible())
    assert "0000000000017" in page.problem_label.text() and "Not added" in page.problem_label.text()
    assert scan.text() == ""
    assert [q.id for q in lines(page)] == before
    assert page.editor.undo_stack is not None and not page.editor.undo_stack.canUndo()
    window.close()


def test_a_product_set_and_a_past_broadcasts_queue_are_added_and_undone_in_one_step(
        console: Console, qloop: QEventLoop) -> None:
    window, page = editor(console, qloop)
    products = free_products(console, qloop, page, 3)
    other = other_console(console, qloop)
    made = run(qloop, console.worker.run(other.create_set, "冬季爆款", [p.id for p in products]))

    def entries() -> list[Any]:
        return [a for a in page.add_bar.sets_menu.actions() if a.text().startswith("冬季爆款")]

    wait_until(qloop, lambda: len(entries()) == 1)     # the set reached the screen through the stream
    settled(qloop, page)
    [entry] = entries()
    assert entry.text() == "冬季爆款 (3 products)"
    before = [q.id for q in lines(page)]
    in_loop(qloop, entry.trigger)
    wait_until(qloop, lambda: len(lines(page)) == len(before) + 3)
    settled(qloop, page)
    assert [q.product_id for q in lines(page)][-3:] == [p.id for p in products]
    assert page.editor.undo_stack.undoText() == "Add the set “冬季爆款”"
    undo(qloop, page)
    assert [q.id for q in lines(page)] == before

    queued = {q.product_id for q in lines(page)}

    def new_products(show_id: UUID) -> list[UUID]:
        theirs = run(qloop, console.worker.run(page.queue.lines, show_id))
        return [q.product_id for q in theirs if q.product_id not in queued and not q.withdrawn]

    past = next(b for b in page.broadcast_model.rows()
                if b.status is BroadcastStatus.ENDED and b.queue_length and new_products(b.id))
    coming = new_products(past.id)
    asked: list[Any] = []
    page.copy_prompt = lambda rows: asked.append(rows) or next(b for b in rows if b.id == past.id)
    in_loop(qloop, page.add_bar.copy_chosen.emit)
    wait_until(qloop, lambda: len(lines(page)) == len(before) + len(coming))
    settled(qloop, page)
    assert asked and all(b.id != page.selected_id for b in asked[0])
    assert [q.product_id for q in lines(page)][len(before):] == coming
    assert page.editor.undo_stack.undoText() == f"Copy the queue of “{past.title}”"
    undo(qloop, page)
    assert [q.id for q in lines(page)] == before
    assert made.size == 3
    window.close()


# --- order and link numbers -----------------------------------------------------------------------------


def test_ctrl_down_moves_the_item_the_numbers_follow_and_one_undo_puts_it_back(
        console: Console, qloop: QEventLoop) -> None:
    window, page = editor(console, qloop)
    order = [q.id for q in lines(page)]
    page.select_items([lines(page)[0].id])
    page.queue_view.setFocus()
    moving = order[0]
    for _ in range(2):
        key(page, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier, qloop)
        settled(qloop, page)
    assert [q.id for q in lines(page)][2] == moving
    assert page.selected_items() == [moving], "the selection follows the moved item"
    assert [q.link_number for q in lines(page) if not q.link_pinned] == \
        sorted(q.link_number for q in lines(page) if not q.link_pinned)
    assert [q.id for q in stored(console, qloop, page)] == [q.id for q in lines(page)]
    key(page, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier, qloop)
    settled(qloop, page)
    assert [q.id for q in lines(page)][1] == moving

    undo(qloop, page)   # the three nudges are one step
    assert [q.id for q in lines(page)] == order
    redo(qloop, page)
    assert [q.id for q in lines(page)][1] == moving
    window.close()


def test_a_drop_moves_the_rows_at_once_and_the_service_makes_it_so(console: Console, qloop: QEventLoop) -> None:
    window, page = editor(console, qloop)
    model = page.queue_model
    order = [q.id for q in lines(page)]
    moved: list[tuple[list[UUID], int]] = []
    model.move_requested.connect(lambda ids, at: moved.append((ids, at)))
    data = model.mimeData([model.index(0, 0), model.index(0, 1), model.index(1, 0)])
    in_loop(qloop, lambda: model.dropMimeData(data, Qt.DropAction.MoveAction, 4, 0, QModelIndex()))
    # Shown at once, numbered by the service's rule, before the worker has answered.
    assert moved == [([order[0], order[1]], 2)]
    expected = [order[2], order[3], order[0], order[1], *order[4:]]
    assert [q.id for q in lines(page)] == expected
    settled(qloop, page)
    assert [q.id for q in lines(page)] == expected
    assert [q.id for q in stored(console, qloop, page)] == expected
    numbers = [q.link_number for q in stored(console, qloop, page)]
    assert [q.link_number for q in lines(page)] == numbers
    undo(qloop, page)
    assert [q.id for q in stored(console, qloop, page)] == order
    window.close()


def test_a_refused_drop_goes_back_to_the_queue_as_it_is(console: Console, qloop: QEventLoop) -> None:
    window, page = editor(console, qloop)
    model = page.queue_model
    order = [q.id for q in lines(page)]
    # Another console takes the first item off meanwhile: the move names an item no longer there.
    run(qloop, console.worker.run(other_console(console, qloop).remove, page.selected_id, order[0]))
    wait_until(qloop, lambda: page.refresh_pending)
    page._refresh_timer.stop()      # the screen has not reloaded yet when the drop comes
    data = model.mimeData([model.index(0, 0)])
    in_loop(qloop, lambda: model.dropMimeData(data, Qt.DropAction.MoveAction, 3, 0, QModelIndex()))
    wait_until(qloop, lambda: page.problem_label.isVisible() and not page.busy)
    assert "Not moved" in page.problem_label.text()
    assert [q.id for q in lines(page)] == order
    window.close()


def test_a_pinned_link_keeps_its_number_when_the_queue_is_reordered(console: Console, qloop: QEventLoop) -> None:
    window, page = editor(console, qloop)
    model = page.queue_model
    page.select_items([lines(page)[1].id])
    page.queue_view.setFocus()
    pinned = lines(page)[1]
    key(page, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier, qloop)
    settled(qloop, page)
    assert lines(page)[1].link_pinned and model.data(model.index(1, Q.LINK)) == f"#{pinned.link_number} (pinned)"
    page.select_items([lines(page)[0].id])
    key(page, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier, qloop)
    key(page, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier, qloop)
    settled(qloop, page)
    now = {q.id: q for q in lines(page)}
    assert now[pinned.id].link_number == pinned.link_number and now[pinned.id].index == 0
    assert [q.id for q in stored(console, qloop, page)] == [q.id for q in lines(page)]

    # A number typed into the link column pins it there.
    last = lines(page)[-1]
    in_loop(qloop, lambda: model.setData(model.index(len(lines(page)) - 1, Q.LINK), 90))
    settled(qloop, page)
    assert next(q for q in lines(page) if q.id == last.id).link_number == 90
    undo(qloop, page)
    assert not next(q for q in lines(page) if q.id == last.id).link_pinned
    page.select_items([lines(page)[0].id])
    key(page, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier, qloop)   # unpin: it follows the order again
    settled(qloop, page)
    assert not any(q.link_pinned for q in lines(page))
    assert [q.link_number for q in lines(page)] == list(range(1, len(lines(page)) + 1))
    undo(qloop, page)
    assert next(q for q in lines(page) if q.id == pinned.id).link_pinned
    window.close()


# --- values in place ---------------------------------------------------------------------------------------


def test_a_price_typed_in_place_is_saved_in_fen_and_undone(console: Console, qloop: QEventLoop) -> None:
    window, page = editor(console, qloop)
    view, model = page.queue_view, page.queue_model
    item = lines(page)[0]
    index = model.index(0, Q.LIVE_PRICE)
    view.setCurrentIndex(index)
    view.edit(index)
    editor_widget = view.viewport().findChild(QLineEdit)
    assert editor_widget is not None and editor_widget.text() == f"{item.live_price_fen / 100:.2f}"
    editor_widget.selectAll()
    QTest.keyClicks(editor_widget, "¥1,234.50")
    in_loop(qloop, lambda: QTest.keyClick(editor_widget, Qt.Key.Key_Return))
    settled(qloop, page)
    assert lines(page)[0].live_price_fen == 123450
    assert stored(console, qloop, page)[0].live_price_fen == 123450
    assert model.data(index) == "¥1,234.50"
    undo(qloop, page)
    assert stored(console, qloop, page)[0].live_price_fen == item.live_price_fen
    redo(qloop, page)
    assert stored(console, qloop, page)[0].live_price_fen == 123450
    window.close()


def test_each_kind_of_edit_is_undone_and_redone(console: Console, qloop: QEventLoop) -> None:
    window, page = editor(console, qloop)
    model = page.queue_model
    first = lines(page)[0]
    for column, typed, field, wanted in ((Q.DEAL, "满300减30", "deal", "满300减30"),
                                         (Q.PLANNED, "7:30", "planned_seconds", 450),
                                         (Q.PLANNED, "5", "planned_seconds", 300),
                                         (Q.STOCK, 12, "stock_allocated", 12)):
        was = getattr(lines(page)[0], field)
        in_loop(qloop, lambda c=column, t=typed: model.setData(model.index(0, c), t))
        settled(qloop, page)
        assert getattr(stored(console, qloop, page)[0], field) == wanted
        undo(qloop, page)
        assert getattr(stored(console, qloop, page)[0], field) == was
        redo(qloop, page)
        assert getattr(stored(console, qloop, page)[0], field) == wanted
    assert model.data(model.index(0, Q.PLANNED)) == "5:00"

    # A duration that is none is refused in the window, and nothing is saved.
    in_loop(qloop, lambda: model.setData(model.index(0, Q.PLANNED), "soon"))
    assert page.problem_label.isVisible() and "soon" in page.problem_label.text()
    assert stored(console, qloop, page)[0].planned_seconds == 300

    # Removing with Delete, and back with undo, at its place.
    page.select_items([lines(page)[0].id])
    page.queue_view.setFocus()
    key(page, Qt.Key.Key_Delete, qloop=qloop)
    settled(qloop, page)
    assert all(q.id != first.id for q in stored(console, qloop, page))
    undo(qloop, page)
    assert stored(console, qloop, page)[0].id == first.id
    redo(qloop, page)
    assert all(q.id != first.id for q in lines(page))
    window.close()


def test_delete_in_the_search_box_edits_the_text_and_leaves_the_queue(console: Console, qloop: QEventLoop) -> None:
    window, page = editor(console, qloop)
    before = [q.id for q in lines(page)]
    page.select_items([lines(page)[0].id])
    search = page.add_bar.search_edit
    search.setFocus()
    QTest.keyClicks(search, "ab")
    search.setCursorPosition(0)
    key(page, Qt.Key.Key_Delete, qloop=qloop)
    settled(qloop, page)
    assert search.text() == "b"
    assert [q.id for q in lines(page)] == before
    window.close()


def test_a_refused_redo_rewinds_the_stack_without_calling_the_service_again(
        console: Console, qloop: QEventLoop) -> None:
    window, page = editor(console, qloop)
    product = free_products(console, qloop, page)[0]
    run(qloop, page.editor.add_products([product.id]))
    settled(qloop, page)
    stack = page.editor.undo_stack
    undo(qloop, page)
    assert stack.index() == 0 and stack.canRedo()
    # Meanwhile another console puts the same product on the queue: the redo would add it twice.
    run(qloop, console.worker.run(other_console(console, qloop).add_products, page.selected_id, product.id))
    wait_until(qloop, lambda: any(q.product_id == product.id for q in lines(page)))
    settled(qloop, page)
    calls: list[str] = []
    real = page.queue.restore

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append("restore")
        return real(*args, **kwargs)

    page.queue.restore = counted      # type: ignore[method-assign]
    try:
        redo(qloop, page)
    finally:
        del page.queue.restore
    assert calls == ["restore"]
    assert stack.index() == 0 and stack.canRedo(), "the refused redo is back on the redo side"
    assert "Could not redo" in page.problem_label.text()
    assert sum(q.product_id == product.id for q in stored(console, qloop, page)) == 1
    window.close()


# --- the ready-gate -------------------------------------------------------------------------------------------


def test_mark_ready_names_each_block_by_link_and_an_edit_that_breaks_it_plans_it_again(
        console: Console, qloop: QEventLoop) -> None:
    window, page = editor(console, qloop)
    other = other_console(console, qloop)
    first = lines(page)[0]
    assert first.counter_price_fen
    # A live price above the counter price blocks the show.
    run(qloop, console.worker.run(other.set_live_price, page.selected_id, first.id, first.counter_price_fen + 100))
    wait_until(qloop, lambda: lines(page)[0].live_price_fen == first.counter_price_fen + 100)   # the stream
    settled(qloop, page)
    model = page.queue_model
    assert model.data(model.index(0, Q.GATE)).startswith("Blocked")
    assert model.data(model.index(0, Q.GATE), Qt.ItemDataRole.ForegroundRole) is not None
    blocked = {q.id for q in lines(page) if model.findings(q)[0]}

    key(page, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier, qloop)
    settled(qloop, page)
    report = page.ready_report.text()
    assert page.ready_report.isVisible() and "cannot be marked ready" in report
    assert f"Link {first.link_number} (" in report and "above the counter price" in report
    assert page.broadcast.status is BroadcastStatus.PLANNED

    # Fix every block through the screen: the report follows and closes; then it is marked ready.
    page.select_items(sorted(blocked - {first.id}, key=lambda i: model.row_of(i)))
    if blocked - {first.id}:
        run(qloop, page.remove_selected())
    in_loop(qloop, lambda: model.setData(model.index(0, Q.LIVE_PRICE), f"{first.live_price_fen / 100:.2f}"))
    settled(qloop, page)
    assert not page.ready_report.isVisible()
    key(page, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier, qloop)
    settled(qloop, page)
    assert page.broadcast.status is BroadcastStatus.READY
    assert "Ready" in page.queue_caption.text() and "Marked ready." in page.notice_label.text()

    # An edit that breaks the gate plans it again, and says why.
    in_loop(qloop, lambda: model.setData(model.index(0, Q.LIVE_PRICE), f"{(first.counter_price_fen + 500) / 100:.2f}"))
    settled(qloop, page)
    assert page.broadcast.status is BroadcastStatus.PLANNED
    assert "no longer ready" in page.notice_label.text() and page.notice_label.isVisible()
    undo(qloop, page)
    assert not model.findings(lines(page)[0])[0]
    window.close()


def test_the_running_total_turns_to_the_warning_colour_when_over_the_window(
        console: Console, qloop: QEventLoop) -> None:
    window, page = editor(console, qloop)
    assert "to spare" in page.timing_label.text()
    # The demo's shows are two hours: every figure in hours, so 36:30 is not read as hours beside 2:00:00.
    figures = re.findall(r"\d+:\d\d(?::\d\d)?", page.timing_label.text())
    assert len(figures) == 3 and all(f.count(":") == 2 for f in figures), page.timing_label.text()
    model = page.queue_model
    in_loop(qloop, lambda: model.setData(model.index(0, Q.PLANNED), "240:00"))
    settled(qloop, page)
    assert "over" in page.timing_label.text() and "color:" in page.timing_label.text()
    window.close()


# --- keys and reloads ---------------------------------------------------------------------------------------


def test_f1_lists_the_queue_editors_keys(console: Console, qloop: QEventLoop) -> None:
    window, page = editor(console, qloop)
    window.show_shortcuts()
    sections = dict(window.shortcuts_dialog.sections())
    keys = dict(sections["Broadcasts"])
    assert keys["Move up in the queue"] == "Ctrl+Up" and keys["Mark ready"] == "Ctrl+Return"
    assert keys["Scan a barcode"] == "Ctrl+B" and keys["Remove from the queue"] == "Del"
    window.shortcuts_dialog.close()
    window.close()


def test_a_change_made_elsewhere_reloads_and_keeps_the_show_and_the_selected_item(
        console: Console, qloop: QEventLoop) -> None:
    window, page = editor(console, qloop)
    shown = page.selected_id
    page.select_items([lines(page)[2].id])
    chosen = lines(page)[2]
    run(qloop, console.worker.run(other_console(console, qloop).set_deal, shown, chosen.id, "第二件半价"))
    wait_until(qloop, lambda: next(q for q in lines(page) if q.id == chosen.id).deal == "第二件半价")
    settled(qloop, page)
    assert page.selected_id == shown
    assert page.selected_items() == [chosen.id]
    window.close()


@pytest.mark.parametrize("status", [BroadcastStatus.ENDED])
def test_a_past_broadcasts_queue_is_shown_but_not_offered_for_editing(
        console: Console, qloop: QEventLoop, status: BroadcastStatus) -> None:
    window, page = editor(console, qloop)
    past = next(b for b in page.broadcast_model.rows() if b.status is status and b.queue_length)
    page.broadcast_view.selectRow(page.broadcast_model.rows().index(past))
    wait_until(qloop, lambda: page.selected_id == past.id and page.queue_model.rowCount() == past.queue_length)
    settled(qloop, page)
    assert not page.queue_model.editable and not page.add_bar.scan_edit.isEnabled()
    assert not page.queue_model.flags(page.queue_model.index(0, Q.LIVE_PRICE)) & Qt.ItemFlag.ItemIsEditable
    assert not window.actions["broadcasts.remove"].isEnabled()
    window.close()


def test_an_anchor_sees_the_queue_and_its_gate_but_nothing_to_edit(
        console: Console, qloop: QEventLoop, demo_users: Any) -> None:
    anchor = next(u for u in demo_users if u.role is Role.ANCHOR)
    window = window_for(console, qloop, anchor.login)
    window.show()
    run(qloop, window.show_view("broadcasts"))
    page = window.pages["broadcasts"]
    assert page.queue_model.rowCount() > 0 and not page.queue_model.editable
    assert not page.add_bar.search_edit.isEnabled() and not page.ready_button.isEnabled()
    assert not page.queue_model.flags(page.queue_model.index(0, Q.DEAL)) & Qt.ItemFlag.ItemIsEditable
    assert page.problem_label.isHidden()
    window.close()
