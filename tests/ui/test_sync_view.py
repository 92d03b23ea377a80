"""The Sync screen and the status bar: status in words, Sync now, conflicts to review, the loop's wiring."""

from __future__ import annotations

import asyncio
import json
import os
from datetime import UTC, datetime

os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from console.domain.enums import Role
from console.domain.errors import PermissionDenied
from console.domain.values import SyncReviewItem
from console.i18n.formats import format_datetime, in_zone
from console.services.base import write_setting
from console.services.sync import (
    CONFLICTS_SETTING,
    LAST_ERROR_SETTING,
    LAST_SUCCESS_SETTING,
    REJECTED_SETTING,
    SERVER_URL_SETTING,
)
from console.storage.models import AuditLog
from console.sync.client import SyncReport
from tests.ui.conftest import in_loop, manager_window, run, wait_until, window_for
from ui.models.tables import SyncReviewModel

AT = datetime(2026, 11, 25, 4, 30, tzinfo=UTC)


def _items() -> list[SyncReviewItem]:
    return [
        SyncReviewItem(kind="conflict", table="anchor", row_id="0193", fields=("name",), attempted="name: 汪雨桐",
                       kept="name: 王雨彤", recorded_at=AT, this_console=True),
        SyncReviewItem(kind="conflict", table="shift", row_id="0194", fields=("starts_at", "room_id"),
                       attempted="starts_at: …", kept="starts_at: …", recorded_at=AT, this_console=False),
        SyncReviewItem(kind="rejected", table="product", row_id="0195", fields=(), attempted="", kept="",
                       recorded_at=None, reason="product is head-office data; a store cannot change it"),
    ]


def test_review_model_contract(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = SyncReviewModel("Asia/Shanghai")
    model.set_rows(_items())
    qtmodeltester.check(model)
    assert model.rowCount() == 3 and model.columnCount() == 6
    index = model.index(0, 0)
    assert model.data(index) == "11-25 12:30"          # shown in the store's time
    assert model.data(model.index(1, 1)) == "Conflict (other console)"
    assert model.data(model.index(2, 5)).startswith("product is head-office data")


def _enrolled_state(console, error: str = "") -> None:  # type: ignore[no-untyped-def]
    conflict = {"conflict_id": "c1", "table": "anchor", "row_id": "0193", "fields": ["name"],
                "attempted": {"name": "汪雨桐"}, "kept": {"name": "王雨彤"},
                "recorded_at": AT.isoformat(), "this_console": True}
    with console.db.begin() as s:
        write_setting(s, SERVER_URL_SETTING, "http://127.0.0.1:9")
        write_setting(s, LAST_SUCCESS_SETTING, AT.isoformat())
        write_setting(s, CONFLICTS_SETTING, json.dumps([conflict]))
        write_setting(s, REJECTED_SETTING, "[]")
        if error:
            write_setting(s, LAST_ERROR_SETTING, error)


def test_sync_screen_shows_status_conflicts_and_runs_sync_now(console, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    _enrolled_state(console, error="Head office at http://127.0.0.1:9 cannot be reached.")
    window = manager_window(console, qloop)
    qtbot.addWidget(window)
    window.show()
    run(qloop, window.show_view("sync"))
    page = window.pages["sync"]

    assert page.server_value.text() == "http://127.0.0.1:9"
    # Written as the core writes a moment (the CLI's sync --status agrees), on the store's clock.
    assert page.last_value.text() == format_datetime(in_zone(AT, "Asia/Shanghai"), "en")
    assert page.last_value.text().endswith("Nov 25 12:30")
    assert "cannot be reached" in page.error_value.text()
    assert page.error_value.objectName() == "Problem"          # the red box
    assert page.review_model.rowCount() == 1 and page.review_label.text() == "To review (1)"
    assert not page.sync_button.isEnabled()            # no runner: not wired to a loop

    started = asyncio.Event()
    release = asyncio.Event()

    async def runner() -> SyncReport:
        started.set()
        await release.wait()
        return SyncReport(pushed=3, pulled=5)

    page.set_sync_runner(runner)
    assert page.sync_button.isEnabled()
    in_loop(qloop, page.sync_button.click)
    wait_until(qloop, started.is_set)
    assert not page.sync_button.isEnabled()            # disabled while running
    release.set()
    wait_until(qloop, page.sync_button.isEnabled)
    assert page.result_label.text() == "Sent 3, received 5."


def test_status_bar_says_waiting_last_ok_and_problem(console, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    _enrolled_state(console, error="Head office refused this console's token: revoked.")
    window = manager_window(console, qloop)
    qtbot.addWidget(window)
    run(qloop, window.refresh_status())
    assert window.sync_label.text() == "Sync: 0 changes waiting / last ok 12:30 / problem"
    assert "revoked" in window.sync_label.toolTip()


def test_an_enrolled_console_runs_the_sync_loop_and_reports_problems(console, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    _enrolled_state(console)
    window = manager_window(console, qloop)
    qtbot.addWidget(window)
    console.window = window
    run(qloop, console.start_sync(window))
    loop = console.sync_loop
    assert loop is not None and loop.running
    assert window.pages["sync"].sync_button.isEnabled()

    # No token was ever stored for this folder: the first sync fails in words and re-arms.
    report = run(qloop, loop.sync_now())
    assert report.errors and "no head-office token" in str(report.errors[0])
    assert loop.backoff.failures == 1
    wait_until(qloop, lambda: window.sync_label.text().endswith("/ problem"))
    run(qloop, console.stop_sync())
    assert console.sync_loop is None and not loop.running


def test_a_manager_marks_the_review_list_as_reviewed(console, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    _enrolled_state(console)
    window = manager_window(console, qloop)
    qtbot.addWidget(window)
    window.show()
    run(qloop, window.show_view("sync"))
    page = window.pages["sync"]
    assert page.reviewed_button.isVisibleTo(page) and page.reviewed_button.isEnabled()
    assert page.error_value.text() == "None" and page.error_value.objectName() == "NoProblem"

    in_loop(qloop, page.reviewed_button.click)
    wait_until(qloop, lambda: page.review_model.rowCount() == 0)

    assert page.review_label.text() == "Nothing to review"
    assert not page.reviewed_button.isEnabled()
    with console.db.begin() as s:
        audit = s.scalars(select(AuditLog).where(AuditLog.action == "sync.reviewed")).one()
    assert audit.detail == {"items": 1}


def test_an_anchor_cannot_clear_the_review_list(console, qloop, qtbot, demo_users) -> None:  # type: ignore[no-untyped-def]
    _enrolled_state(console)
    login = next(u.login for u in demo_users if u.role is Role.ANCHOR)
    window = window_for(console, qloop, login)
    qtbot.addWidget(window)
    window.show()
    run(qloop, window.show_view("sync"))
    page = window.pages["sync"]

    assert not page.reviewed_button.isVisibleTo(page)
    with pytest.raises(PermissionDenied):
        run(qloop, page.call(page._services.sync.mark_reviewed))
    assert page.review_model.rowCount() == 1


def test_status_bar_sync_text_follows_a_language_switch(console, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    _enrolled_state(console, error="Head office refused this console's token: revoked.")
    window = manager_window(console, qloop)
    qtbot.addWidget(window)
    run(qloop, window.refresh_status())
    assert window.sync_label.text().startswith("Sync: 0 changes waiting")
    window.actions["view.lang_zh"].trigger()
    try:
        QApplication.processEvents()
        # Re-rendered from the last status read, without waiting for the next one.
        assert window.sync_label.text() == "同步：0 项变更待上传 / 上次成功 12:30 / 有问题", window.sync_label.text()
    finally:
        window.actions["view.lang_en"].trigger()
        QApplication.processEvents()
    assert window.sync_label.text() == "Sync: 0 changes waiting / last ok 12:30 / problem"


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_sync_review_headers_are_never_clipped(console, qloop, qtbot, language) -> None:  # type: ignore[no-untyped-def]
    _enrolled_state(console)
    window = manager_window(console, qloop)
    qtbot.addWidget(window)
    window.resize(1024, 700)
    window.show()
    run(qloop, window.show_view("sync"))
    console.set_language(language)
    try:
        QApplication.processEvents()
        table = window.pages["sync"].review_table
        header = table.horizontalHeader()
        metrics = header.fontMetrics()
        model = table.model()
        for column in range(model.columnCount()):
            words = model.headerData(column, Qt.Orientation.Horizontal)
            assert metrics.horizontalAdvance(words) <= header.sectionSize(column), (language, words)
    finally:
        console.set_language("en")
