"""The seams every screen stands on: the stream of changes, the operation runner, the crash reporter, scoped keys."""

from __future__ import annotations

import asyncio
import gc
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton
from qasync import QEventLoop

from console.domain.changes import Change, ChangeSet, Kind, Origin
from console.domain.enums import ShiftRole
from console.domain.errors import OverrideNeeded, ValidationError
from console.i18n import msg
from console.rules.roster import ShiftPlan
from tests.ui.conftest import activate, manager_window, run, wait_until
from ui import collector
from ui.actions import ACTIONS, ActionRegistry, ActionSpec, BindingConflict
from ui.app import Console
from ui.crash import CrashReporter, log_path
from ui.operations import FAILED
from ui.settings import Settings


# --- the stream ---------------------------------------------------------------------------------------


def _free_slot(console: Console, qloop: QEventLoop, page: Any) -> tuple[Any, Any, datetime]:
    """An anchor, a room and a two-hour start in the page's week that the roster's rules allow."""
    roster = page.roster
    anchors = run(qloop, console.worker.run(roster.anchors))
    rooms = run(qloop, console.worker.run(roster.rooms))
    zone = page.model.zone
    day = page.week_start.astimezone(zone).date() + timedelta(days=2)
    for hour in (10, 14, 19):
        starts = datetime(day.year, day.month, day.day, hour, tzinfo=zone).astimezone(UTC)
        for anchor in anchors:
            for room in rooms:
                plan = ShiftPlan(id=uuid4(), anchor_id=anchor.id, room_id=room.id, role=ShiftRole.HOST,
                                 starts_at=starts, ends_at=starts + timedelta(hours=2))
                if not run(qloop, console.worker.run(roster.check, plan)):
                    return anchor, room, starts
    raise AssertionError("the demo week has no free slot")


def test_a_roster_import_by_the_command_line_reaches_the_open_board_within_a_second(
        console: Console, qloop: QEventLoop, demo_dir: Path, tmp_path: Path) -> None:
    window = manager_window(console, qloop)
    window.show()
    run(qloop, window.show_view("roster"))
    page = window.pages["roster"]
    run(qloop, page.go_week(1))
    anchor, room, starts = _free_slot(console, qloop, page)
    code, room_code, local = anchor.code, room.code, starts.astimezone(page.model.zone)
    path = tmp_path / "one.csv"
    path.write_text("anchor,room,start,end,role\n"
                    f"{code},{room_code},{local:%Y-%m-%d %H:%M},{local + timedelta(hours=2):%Y-%m-%d %H:%M},host\n",
                    encoding="utf-8")
    before = len(page.model.all_shifts())

    done = subprocess.run([sys.executable, "-m", "console", "--lang", "en", "roster", "import", str(path),
                           "--data-dir", str(demo_dir)], capture_output=True, text=True, timeout=120)
    written = time.monotonic()
    assert done.returncode == 0, done.stderr

    wait_until(qloop, lambda: len(page.model.all_shifts()) == before + 1, timeout=3.0)
    assert time.monotonic() - written < 1.0
    window.close()


def test_local_edits_nudge_sync_and_pulled_rows_do_not(console: Console, qloop: QEventLoop) -> None:
    window = manager_window(console, qloop)
    nudges: list[None] = []
    window.local_change.connect(lambda: nudges.append(None))
    pushed = Change("outbox", Kind.INSERT, None)
    window._on_changes(ChangeSet(Origin.SYNC, (pushed,)))
    window._on_changes(ChangeSet(Origin.LOCAL, (Change("outbox", Kind.DELETE, None),)))
    assert nudges == []
    window._on_changes(ChangeSet(Origin.LOCAL, (pushed,)))
    window._on_changes(ChangeSet(Origin.OTHER_PROCESS, (pushed,)))
    assert len(nudges) == 2
    window.close()


def test_a_screen_reloads_for_others_changes_to_what_it_shows_and_not_for_its_own(
        console: Console, qloop: QEventLoop) -> None:
    window = manager_window(console, qloop)
    run(qloop, window.show_view("roster"))
    page = window.pages["roster"]
    shift = Change("shift", Kind.UPDATE, frozenset({"x"}))
    page.on_changes(ChangeSet(Origin.LOCAL, (shift,), initiator=page.ops.tag))
    assert not page.refresh_pending
    page.on_changes(ChangeSet(Origin.LOCAL, (Change("script", Kind.UPDATE, None),)))
    assert not page.refresh_pending
    page.on_changes(ChangeSet(Origin.OTHER_PROCESS, (shift,)))
    assert page.refresh_pending
    window.close()


# --- the operation runner -----------------------------------------------------------------------------


def _page_and_button(console: Console, qloop: QEventLoop) -> tuple[Any, Any, QPushButton]:
    window = manager_window(console, qloop)
    window.show()
    run(qloop, window.show_view("products"))
    page = window.pages["products"]
    button = QPushButton("go", page)
    return window, page, button


def test_an_operation_disables_its_trigger_while_it_runs_and_returns_its_result(
        console: Console, qloop: QEventLoop) -> None:
    window, page, button = _page_and_button(console, qloop)
    seen: list[bool] = []

    def work(x: int) -> int:
        seen.append(button.isEnabled())
        return x * 2

    assert run(qloop, page.ops.run(work, 21, trigger=button)) == 42
    assert seen == [False] and button.isEnabled() and not page.ops.busy
    window.close()


def test_a_refusal_is_shown_on_the_screen_in_the_users_language(console: Console, qloop: QEventLoop) -> None:
    window, page, button = _page_and_button(console, qloop)

    def refuse() -> None:
        raise ValidationError(msg("catalog.negative_price_or_stock", "Price and stock cannot be negative."))

    console.set_language("zh_CN")
    try:
        assert run(qloop, page.ops.run(refuse, trigger=button)) is FAILED
        assert button.isEnabled()
        assert not page.problem_label.isHidden()
        assert page.problem_label.text() == "价格和库存不能为负数。"
    finally:
        console.set_language("en")
    window.close()


def test_the_rules_warning_asks_for_a_reason_and_runs_again_with_it(console: Console, qloop: QEventLoop) -> None:
    window, page, button = _page_and_button(console, qloop)
    calls: list[str | None] = []

    def edit(override_reason: str | None = None) -> str:
        calls.append(override_reason)
        if override_reason is None:
            raise OverrideNeeded([msg("roster_rules.test_warning", "Long day for {anchor}.", anchor="王芳")])
        return "saved"

    async def reason(warnings: Any) -> str | None:
        return "cover for a sick colleague"

    async def decline(warnings: Any) -> str | None:
        return None

    assert run(qloop, page.ops.run(edit, ask_reason=reason, trigger=button)) == "saved"
    assert calls == [None, "cover for a sick colleague"]
    calls.clear()
    assert run(qloop, page.ops.run(edit, ask_reason=decline, trigger=button)) is FAILED
    assert calls == [None]
    assert "needs a reason" in page.problem_label.text()
    window.close()


def test_an_unexpected_error_is_logged_and_told_and_the_window_stays(
        console: Console, qloop: QEventLoop, tmp_path: Path) -> None:
    crash = CrashReporter(tmp_path)
    crash.install()
    try:
        window, page, button = _page_and_button(console, qloop)

        def broken() -> None:
            raise ZeroDivisionError("a bug in a slot")

        assert run(qloop, page.ops.run(broken, trigger=button)) is FAILED
        wait_until(qloop, lambda: crash.box is not None)
        assert button.isEnabled() and window.isVisible()
        logged = log_path(tmp_path).read_text(encoding="utf-8")
        assert "ZeroDivisionError: a bug in a slot" in logged and "Traceback" in logged
        assert str(log_path(tmp_path)) in crash.box.text()
        assert crash.box.windowModality() == Qt.WindowModality.NonModal
        crash.box.close()
        wait_until(qloop, lambda: crash.box is None)
        window.close()
    finally:
        crash.uninstall()


def test_an_error_in_a_background_task_or_thread_reaches_the_log(qloop: QEventLoop, tmp_path: Path) -> None:
    import threading

    from ui.tasks import spawn

    crash = CrashReporter(tmp_path)
    crash.install()
    crash.watch_loop(qloop)
    try:
        async def fails() -> None:
            raise KeyError("lost task")

        spawn(fails())
        thread = threading.Thread(target=lambda: 1 / 0, name="worker-x")
        thread.start()
        thread.join()
        wait_until(qloop, lambda: crash.count == 2 and crash.box is not None)
        logged = log_path(tmp_path).read_text(encoding="utf-8")
        assert "KeyError: 'lost task'" in logged and "worker-x" in logged
        # Two errors, one box: the second falls in the quiet time.
        assert str(log_path(tmp_path)) in crash.box.text()
        crash.box.close()
        wait_until(qloop, lambda: crash.box is None)
    finally:
        qloop.set_exception_handler(None)
        crash.uninstall()


def test_work_spawned_for_an_owner_already_destroyed_is_cancelled_not_raised(qloop: QEventLoop) -> None:
    import shiboken6
    from PySide6.QtCore import QObject

    from ui.tasks import running, spawn

    ran: list[str] = []

    async def work() -> None:
        ran.append("ran")

    gone = QObject()
    shiboken6.delete(gone)
    task = spawn(work(), owner=gone)
    wait_until(qloop, task.done)
    assert task.cancelled() and ran == [] and task not in running()

    alive = QObject()
    kept = spawn(work(), owner=alive)
    wait_until(qloop, kept.done)
    assert not kept.cancelled() and ran == ["ran"]


def test_the_box_is_shown_again_not_remade_and_goes_with_its_reporter(qloop: QEventLoop, tmp_path: Path) -> None:
    import gc

    import shiboken6

    crash = CrashReporter(tmp_path)
    crash.report("a test error", (ValueError, ValueError("x"), None))
    wait_until(qloop, lambda: crash.box is not None)
    box = crash.box
    box.close()
    assert crash.box is None and shiboken6.isValid(box)
    crash._last_shown = float("-inf")      # past the quiet time
    crash.report("another", (KeyError, KeyError("y"), None))
    wait_until(qloop, lambda: crash.box is not None)
    assert crash.box is box
    box.close()
    # Dropped with its reporter, closed or not, without Qt deleting it a second time.
    del box
    crash.deleteLater()
    del crash
    gc.collect()
    QApplication.processEvents()
    gc.collect()
    assert "ValueError: x" in log_path(tmp_path).read_text(encoding="utf-8")


# --- scoped keys ----------------------------------------------------------------------------------------


def test_one_key_publishes_on_the_roster_and_syncs_on_the_sync_screen(console: Console, qloop: QEventLoop) -> None:
    window = manager_window(console, qloop)
    activate(window)
    asked: list[Any] = []
    synced: list[None] = []

    async def sync_now() -> Any:
        synced.append(None)
        from console.sync.client import SyncReport

        return SyncReport()

    roster = window.pages["roster"]
    roster.publish_prompt = lambda summary: asked.append(summary) or False
    window.set_sync_runner(sync_now)

    run(qloop, window.show_view("sync"))
    QTest.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_until(qloop, lambda: synced == [None])
    assert asked == []

    run(qloop, window.show_view("roster"))
    run(qloop, roster.go_week(1))
    anchor, room, starts = _free_slot(console, qloop, roster)
    run(qloop, console.worker.run(roster.roster.add_shift, anchor_id=anchor.id, room_id=room.id,
                                  role=ShiftRole.HOST, starts_at=starts, ends_at=starts + timedelta(hours=2)))
    run(qloop, roster.refresh())
    assert roster.model.unpublished_count() >= 1
    activate(window)   # a progress box may have come and gone; off-screen, activation does not come back by itself
    QTest.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_until(qloop, lambda: len(asked) == 1)
    assert synced == [None]
    window.close()


def test_a_users_binding_that_collides_is_set_aside_naming_both(console: Console, tmp_path: Path) -> None:
    settings = Settings.for_data_dir(tmp_path)
    settings.set_shortcut("roster.publish", "Ctrl+1")     # already "Live", everywhere
    settings.set_shortcut("roster.people", "Ctrl+Shift+P")
    registry = ActionRegistry(settings)

    [clash] = registry.conflicts
    assert {clash.first.id, clash.second.id} == {"view.live", "roster.publish"}
    assert registry.shortcut_for("roster.publish") == "Ctrl+Return"
    assert registry.shortcut_for("roster.people") == "Ctrl+Shift+P"
    with pytest.raises(BindingConflict):
        registry.rebind("sync.now", "Ctrl+R")             # "Refresh" is live on every screen
    registry.rebind("sync.now", "Ctrl+Shift+Return")      # the roster's keys are not live on Sync: fine

    console.actions = registry
    [words] = console.binding_words()
    assert "Ctrl+1" in words and "Publish" in words and "Live" in words


def test_two_default_actions_on_one_key_where_both_are_live_are_refused(tmp_path: Path) -> None:
    specs = (*ACTIONS, ActionSpec("roster.other", "Other", "ctrl+return", scope="roster"))
    with pytest.raises(BindingConflict) as refused:
        ActionRegistry(Settings.for_data_dir(tmp_path), specs=specs)
    assert "roster.publish" in str(refused.value) and "roster.other" in str(refused.value)


def test_f1_lists_the_keys_of_the_screen_in_front(console: Console, qloop: QEventLoop) -> None:
    window = manager_window(console, qloop)
    run(qloop, window.show_view("sync"))
    window.show_shortcuts()
    sections = dict(window.shortcuts_dialog.sections())
    assert set(sections) == {"Everywhere", "Sync"}
    assert ("Sync now", "Ctrl+Return") in sections["Sync"]
    window.shortcuts_dialog.close()
    window.shortcuts_dialog = None
    run(qloop, window.show_view("roster"))
    window.show_shortcuts()
    sections = dict(window.shortcuts_dialog.sections())
    assert ("Publish", "Ctrl+Return") in sections["Roster"]
    assert any("15 minutes" in what for what, _keys in sections["Roster"])   # the board's own keys
    window.shortcuts_dialog.close()
    window.shortcuts_dialog = None
    run(qloop, window.show_view("live"))
    window.show_shortcuts()
    sections = dict(window.shortcuts_dialog.sections())
    assert set(sections) == {"Everywhere", "Live", "Teleprompter"}
    assert ("Type a link number, then jump to it", "0–9, Enter") in sections["Live"]   # the screen's own keys
    assert ("Clear the typed link number", "Backspace") in sections["Live"]
    assert any(keys == "Space" for _what, keys in sections["Teleprompter"])
    window.shortcuts_dialog.close()
    window.close()


# --- undo that matches the database ---------------------------------------------------------------------


def test_a_refused_redo_of_a_batch_leaves_the_stack_and_the_store_as_they_were(
        console: Console, qloop: QEventLoop) -> None:
    from ui.commands import AddShifts

    window = manager_window(console, qloop)
    window.show()
    run(qloop, window.show_view("roster"))
    page = window.pages["roster"]
    run(qloop, page.go_week(1))
    roster = page.roster
    rows = []
    for _ in range(3):
        anchor, room, starts = _free_slot(console, qloop, page)
        change = run(qloop, console.worker.run(roster.add_shift, anchor_id=anchor.id, room_id=room.id,
                                               role=ShiftRole.HOST, starts_at=starts,
                                               ends_at=starts + timedelta(hours=2)))
        rows.append(change.shifts[0])
    run(qloop, page.refresh())
    # The adds above reach the page through the stream too: let that reload finish first.
    wait_until(qloop, lambda: not page.busy and not page.refresh_pending)
    page.undo_stack.push(AddShifts(page.editor, rows, "Copy last week"))
    ids = {r.id for r in rows}

    def on_board() -> set[Any]:
        return {s.id for s in page.model.all_shifts()} & ids

    def in_store() -> set[Any]:
        week = run(qloop, console.worker.run(roster.week, page.week_start))
        return {s.id for s in week.shifts} & ids

    page.undo()
    wait_until(qloop, lambda: not page.busy and not on_board(), timeout=20)
    assert in_store() == set()
    # While the batch was undone, the third row's anchor was booked in another room at the same time.
    third = rows[2]
    other_rooms = [r for r in run(qloop, console.worker.run(roster.rooms)) if r.id != third.room_id]
    booked = None
    for room in other_rooms:
        plan = ShiftPlan(id=uuid4(), anchor_id=third.anchor_id, room_id=room.id, role=ShiftRole.HOST,
                         starts_at=third.starts_at, ends_at=third.ends_at)
        if not run(qloop, console.worker.run(roster.check, plan)):
            booked = run(qloop, console.worker.run(roster.add_shift, anchor_id=third.anchor_id, room_id=room.id,
                                                   role=ShiftRole.HOST, starts_at=third.starts_at,
                                                   ends_at=third.ends_at))
            break
    assert booked is not None, "no room free for the clash"
    index = page.undo_stack.index()

    page.redo()
    wait_until(qloop, lambda: not page.busy and not page.problem_label.isHidden())

    assert page.undo_stack.index() == index and page.undo_stack.canRedo()
    assert in_store() == set()          # rows 1 and 2 were not written either
    wait_until(qloop, lambda: not page.busy)
    assert on_board() == set()
    window.close()


def test_an_operation_whose_screen_closes_meanwhile_goes_no_further(console: Console, qloop: QEventLoop) -> None:
    window, page, button = _page_and_button(console, qloop)
    release = threading.Event()
    after: list[str] = []

    async def slot() -> None:
        await page.ops.run(release.wait, 10, trigger=button)
        after.append("ran on")          # would touch a deleted screen

    task = asyncio.ensure_future(slot())
    wait_until(qloop, lambda: page.ops.busy, 5)
    shiboken6.delete(window)            # the window goes while the worker still runs
    release.set()
    with pytest.raises(asyncio.CancelledError):
        run(qloop, task)
    assert after == []


def test_cycles_are_collected_on_the_gui_thread_not_the_workers(console: Console, qloop: QEventLoop) -> None:
    assert collector.installed() and not gc.isenabled()
    where: list[str] = []

    class Held:
        def __init__(self) -> None:
            self.me = self                  # a reference cycle: only the collector frees it
            self.widget = QPushButton("x")  # a Qt object inside, as a closed dialog holds

        def __del__(self) -> None:
            where.append(threading.current_thread().name)

    Held()

    def allocate() -> None:
        # Far past generation 0's threshold: with automatic collection on, it would run here.
        junk = []
        for _ in range(50_000):
            a: list[Any] = []
            a.append(a)
            junk.append(a)

    run(qloop, console.worker.run(allocate))
    assert where == []
    wait_until(qloop, lambda: bool(where), 5)
    assert where == [threading.main_thread().name]
