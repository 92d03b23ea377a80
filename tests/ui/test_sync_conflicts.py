"""Settling a conflict from the Sync screen: the dialog with both sides, one decision, one refusal.

The conflict is kept as the sync client keeps it (a local setting, as head office
sent it) over a real anchor of the demo store; settling it is a real edit that
lands in the outbox. How conflicts arise and reach head office is tested with
real consoles in tests/sync/test_settle_conflicts.py.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from uuid import UUID

os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import select

from console.services.base import write_setting
from console.services.sync import CONFLICTS_SETTING, SERVER_URL_SETTING
from console.storage.models import Anchor, AuditLog, Outbox
from tests.ui.conftest import activate, in_loop, manager_window, run, wait_until
from ui.views.sync_conflicts import HEAD_OFFICE, MERGED, STORE, ConflictDialog

AT = datetime(2026, 11, 25, 4, 30, tzinfo=UTC)


def _conflict(console, *, stale: bool = False) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """A name conflict on the demo's first anchor, kept at its current version (or an older one)."""
    with console.db.begin() as s:
        anchor = s.scalars(select(Anchor).order_by(Anchor.code)).first()
        item = {"conflict_id": "c-1", "table": "anchor", "row_id": str(anchor.id), "fields": ["name"],
                "attempted": {"name": "汪雨彤"}, "kept": {"name": anchor.name}, "recorded_at": AT.isoformat(),
                "this_console": True, "console_name": "Counter B", "attempted_at": AT.isoformat(),
                "kept_row_version": anchor.row_version - 1 if stale else anchor.row_version,
                "kept_by": {"name": "Counter A"}, "kept_at": AT.isoformat()}
        write_setting(s, SERVER_URL_SETTING, "http://127.0.0.1:9")
        write_setting(s, CONFLICTS_SETTING, json.dumps([item]))
        return str(anchor.id), anchor.name


def _open_dialog(console, qloop, qtbot) -> tuple[object, ConflictDialog]:  # type: ignore[no-untyped-def]
    window = manager_window(console, qloop)
    qtbot.addWidget(window)
    window.show()
    activate(window)
    run(qloop, window.show_view("sync"))
    page = window.pages["sync"]
    assert not page.settle_button.isEnabled()          # nothing selected yet
    page.review_table.selectRow(0)
    assert page.settle_button.isEnabled() and page.settle_button.text() == "Settle conflict…"
    # Enter on the list opens it, as the button and Ctrl+E do.
    page.review_table.setFocus()
    in_loop(qloop, lambda: QTest.keyClick(page.review_table, Qt.Key.Key_Return))
    wait_until(qloop, lambda: page.conflict_dialog is not None and page.conflict_dialog.isVisible())
    return page, page.conflict_dialog


def _outbox(console) -> list[str]:  # type: ignore[no-untyped-def]
    with console.db.begin() as s:
        return list(s.scalars(select(Outbox.table_name).order_by(Outbox.seq)))


def test_a_merged_value_typed_in_the_dialog_is_saved_and_the_list_empties(console, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    row_id, kept_name = _conflict(console)
    before = _outbox(console)
    page, dialog = _open_dialog(console, qloop, qtbot)

    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, STORE).text().startswith("汪雨彤\nCounter B · ")
    assert dialog.table.item(0, HEAD_OFFICE).text().startswith(f"{kept_name}\nCounter A · ")
    assert dialog.table.item(0, MERGED).text() == "汪雨彤"      # starts from this store's
    assert not dialog.rename_button.isVisible()
    dialog.table.item(0, MERGED).setText("汪雨桐")
    in_loop(qloop, dialog.merged_button.click)
    wait_until(qloop, lambda: page.conflict_dialog is None)

    assert dialog.settled
    with console.db.begin() as s:
        assert s.get(Anchor, UUID(row_id)).name == "汪雨桐"
        (audit,) = s.scalars(select(AuditLog).where(AuditLog.action == "conflict_settled")).all()
        assert audit.detail["choice"] == "merged" and audit.detail["values"] == {"name": "汪雨桐"}
    assert sorted(_outbox(console)[len(before):]) == ["anchor", "audit_log"]     # it will sync
    wait_until(qloop, lambda: page.review_model.rowCount() == 0)
    assert page.result_label.text() == "Conflict settled; it reaches head office with the next sync."


def test_the_dialog_and_the_list_name_the_table_and_fields_in_words(console, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    _conflict(console)
    page, dialog = _open_dialog(console, qloop, qtbot)
    assert dialog.table.item(0, 0).text() == "name" and "this anchor row" in dialog.intro_label.text()
    console.set_language("zh_CN")
    wait_until(qloop, lambda: "主播" in dialog.intro_label.text())
    assert "anchor" not in dialog.intro_label.text()
    assert dialog.table.item(0, 0).text() == "名称"
    assert page.review_model.data(page.review_model.index(0, 2)) == "主播"
    assert page.review_model.data(page.review_model.index(0, 3)) == "名称"
    console.set_language("en")
    dialog.reject()
    wait_until(qloop, lambda: page.conflict_dialog is None)


def test_a_conflict_head_office_changed_meanwhile_is_refused_in_the_dialog(console, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    row_id, kept_name = _conflict(console, stale=True)
    before = _outbox(console)
    page, dialog = _open_dialog(console, qloop, qtbot)

    in_loop(qloop, dialog.keep_store_button.click)
    wait_until(qloop, dialog.problem_label.isVisible)

    assert "changed this anchor row meanwhile" in dialog.problem_label.text()
    assert dialog.isVisible() and not dialog.settled
    assert dialog.keep_store_button.isEnabled()            # enabled again after the refusal
    assert _outbox(console) == before                      # nothing written
    with console.db.begin() as s:
        assert s.get(Anchor, UUID(row_id)).name == kept_name
    in_loop(qloop, dialog.reject)
    wait_until(qloop, lambda: page.conflict_dialog is None)
    assert page.review_model.rowCount() == 1
