"""Enrolling from the Sync screen: the real dialog, driven as a person would, against a real head office on loopback.

Upload and start clean; a long initial load stopped (Stop, or the dialog closed) and resumed
from its last page; a refused upload leaving the code usable; and each bad input in words.
"""

from __future__ import annotations

import os

os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

import asyncio
import http.server
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import keyring
import keyring.backends.fail
import pytest
from sqlalchemy import delete, func, select, update

from console.headoffice import admin
from console.headoffice import db as ho_db
from console.headoffice.app import Settings, create_app
from console.headoffice.models import EnrollmentCode, SyncedRow, store_scope
from console.headoffice.sync import write_rows
from console.storage.models import Anchor, MetricSnapshot, OnAirEvent, Product, SnapshotStage
from console.storage.outbox import row_payload
from console.storage.types import utcnow
from console.sync import local
from tests.headoffice.helpers import LiveService, full_row
from tests.ui.conftest import in_loop, manager_window, run, wait_until
from ui.tasks import spawn


def act_until(qloop: Any, action: Any, condition: Any, timeout: float = 60.0) -> None:
    """Click, then wait, in one turn of the running loop: the task the click starts talks HTTP at once,
    and httpx needs the loop running when its first step runs (as it always is in the console)."""

    async def go() -> None:
        action()
        deadline = qloop.time() + timeout
        while not condition():
            if qloop.time() > deadline:
                raise AssertionError("condition not met in time")
            await asyncio.sleep(0.01)

    qloop.run_until_complete(go())


@pytest.fixture(autouse=True)
def _no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def head_office(tmp_path: Path) -> Iterator[LiveService]:
    url = f"sqlite:///{tmp_path / 'headoffice.sqlite3'}"
    engine = ho_db.make_engine(url)
    ho_db.migrate(engine)
    live = LiveService.start(create_app(Settings(database_url=url, rate_per_second=1000, rate_burst=1000),
                                        engine=engine), engine)
    try:
        yield live
    finally:
        live.stop()
        engine.dispose()


@pytest.fixture
def not_head_office() -> Iterator[str]:
    """A plain web server on loopback that answers every request with a 404 HTML page."""

    class NotFound(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            body = b"<html><body><h1>404 Not Found</h1></body></html>"
            self.send_response(404)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), NotFound)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _store_with_products(service: LiveService, code: str, count: int, *, skus_from: Any = None) -> None:
    """A head-office store and a catalog of ``count`` products written in bulk (plus the demo's, if given)."""
    with service.sessions().begin() as session:
        admin.add_store(session, code, f"Store {code}")
        rows = [full_row("product", {"sku": f"HO{n:06d}", "name": f"商品 {n}", "brand": "品牌", "category": "美妆",
                                     "search_key": f"sp {n}"})
                for n in range(count)]
        rows += list(skus_from or ())
        for start in range(0, len(rows), 2000):
            write_rows(session, "product", rows[start:start + 2000])


def _demo_catalog(db: Any) -> list[dict[str, Any]]:
    """The demo's products as another build of head office would hold them: same SKUs, their own ids."""
    from console.storage.ids import new_id

    with db.begin() as s:
        return [{**row_payload(p), "id": str(new_id())} for p in s.scalars(select(Product))]


def _slim(db: Any) -> None:
    # 87,000 on-air events and metric snapshots only slow an upload down; they go up like any other row.
    with db.begin() as s:
        s.execute(delete(MetricSnapshot))
        s.execute(delete(OnAirEvent))


def _open_dialog(console: Any, qloop: Any, qtbot: Any, page_size: int = 500) -> tuple[Any, Any, Any]:
    window = manager_window(console, qloop)
    # Not given to qtbot: the console fixture closes the window it holds, and an enrolment that
    # completes signs out, which closes and deletes this one.
    window.show()
    run(qloop, window.show_view("sync"))
    page = window.pages["sync"]
    page._services.enrollment.page_size = page_size
    assert page.enroll_button.isVisible() and page.coming_label.isHidden()
    in_loop(qloop, page.enroll_button.click)
    wait_until(qloop, lambda: page.enroll_dialog is not None and page.enroll_dialog.isVisible(), 20)
    return window, page, page.enroll_dialog


def _fill(dialog: Any, server: str, code: str, mode: str | None) -> None:
    dialog.server_edit.setText(server)
    dialog.code_edit.setText(code)
    if mode == "upload":
        dialog.upload_radio.setChecked(True)
    elif mode == "clean":
        dialog.clean_radio.setChecked(True)


def _start_and_wait(qloop: Any, dialog: Any, timeout: float = 120) -> None:
    started: list[bool] = []

    def click() -> None:
        dialog.start_button.click()
        started.append(dialog.running)

    act_until(qloop, click, lambda: not dialog.running, timeout)
    assert started == [True]


def _code_row(service: LiveService) -> EnrollmentCode:
    with service.sessions().begin() as session:
        (row,) = session.scalars(select(EnrollmentCode)).all()
        session.expunge(row)
        return row


def test_enrol_uploading_this_consoles_data(console, qloop, qtbot, head_office) -> None:  # type: ignore[no-untyped-def]
    _slim(console.db)
    _store_with_products(head_office, "JH01", 0, skus_from=_demo_catalog(console.db))
    code = head_office.enrollment_code("JH01")
    window, page, dialog = _open_dialog(console, qloop, qtbot)
    signed_out: list[bool] = []
    window.sign_out_requested.connect(lambda: signed_out.append(True))
    # The demo holds data of its own: nothing is chosen for the person, and Enrol waits for a choice.
    assert dialog.chosen_mode() is None and not dialog.start_button.isEnabled()
    assert dialog.upload_radio.isEnabled() and "SKU" in dialog.upload_note.text()
    assert "backup" in dialog.clean_note.text()
    _fill(dialog, head_office.base_url, code, "upload")
    assert dialog.start_button.isEnabled()

    _start_and_wait(qloop, dialog, 600)     # the demo store's roster, shows and prices, on a busy machine

    assert dialog.enrolled, dialog.problem_label.text()
    assert "JH01" in dialog.result_label.text() and "Sign in again" in dialog.result_label.text()
    with console.db.begin() as s:
        anchors = s.scalar(select(func.count()).select_from(Anchor))
    with head_office.sessions().begin() as session:
        store = session.scalars(select(admin.Store).where(admin.Store.code == "JH01")).one()
        held = session.scalar(select(func.count()).select_from(SyncedRow).where(
            SyncedRow.scope_key == store_scope(store.id), SyncedRow.table_name == "anchor"))
    assert anchors and held == anchors
    assert _code_row(head_office).used_at is not None          # spent once the enrolment completed
    assert local.pending_count(console.db) == 0
    in_loop(qloop, dialog.close_button.click)
    wait_until(qloop, lambda: bool(signed_out), 10)            # the store is head office's now: sign in again


def test_start_clean_stop_and_resume_a_long_initial_load(console, qloop, qtbot, head_office) -> None:  # type: ignore[no-untyped-def]
    products = 3000
    _store_with_products(head_office, "SH02", products)
    code = head_office.enrollment_code("SH02")
    with console.db.begin() as s:
        before = s.scalar(select(func.count()).select_from(Product))
    window, page, dialog = _open_dialog(console, qloop, qtbot, page_size=25)
    _fill(dialog, head_office.base_url, code, "clean")
    act_until(qloop, dialog.start_button.click,
              # The rate is shown once a moment has passed (a fast machine fetches 500 rows sooner).
              lambda: dialog.last_progress is not None and dialog.last_progress.done >= 500
              and dialog.last_progress.rows_per_second is not None, 120)
    shown = dialog.progress_label.text()
    assert f"of {products + 1:,} rows" in shown or "of 3,001 rows" in shown, shown   # the products and the store
    assert "rows/s" in shown and "left" in shown, shown
    act_until(qloop, dialog.stop_button.click, lambda: not dialog.running, 30)

    assert dialog.stopped and not dialog.enrolled
    assert "Resume goes on from there" in dialog.problem_label.text()
    # Nothing half-written: the tables still hold this console's own catalog; the pages wait aside.
    with console.db.begin() as s:
        assert s.scalar(select(func.count()).select_from(Product)) == before
        staged = s.scalar(select(func.sum(SnapshotStage.row_count))) or 0
    assert 500 <= staged < products
    assert _code_row(head_office).used_at is None
    # The window closed too: the enrolment waits on the Sync screen.
    in_loop(qloop, dialog.close_button.click)
    wait_until(qloop, lambda: page.enroll_dialog is None, 20)
    wait_until(qloop, lambda: page.enroll_button.text() == "Finish enrolling…" and page.enroll_button.isEnabled(), 20)
    assert "enrolment not finished" in page.server_value.text()

    in_loop(qloop, page.enroll_button.click)
    wait_until(qloop, lambda: page.enroll_dialog is not None and page.enroll_dialog.isVisible(), 20)
    again = page.enroll_dialog
    assert again.state.unfinished and again.start_button.text().replace("&", "") == "Resume"
    assert not again.code_edit.isVisible()
    first_seen: list[int] = []
    again.show_progress = _recording(again.show_progress, first_seen)
    _start_and_wait(qloop, again, 180)

    assert again.enrolled, again.problem_label.text()
    assert first_seen[0] >= staged                   # went on from the last page kept, not from the start
    with console.db.begin() as s:
        names = set(s.scalars(select(Product.sku).where(Product.deleted_at.is_(None))))
        assert s.scalar(select(func.count()).select_from(SnapshotStage)) == 0
    assert len(names) == products and all(n.startswith("HO") for n in names)
    assert list((console.db.path.parent / "backups").iterdir())      # the start-clean backup copy
    assert _code_row(head_office).used_at is not None


def _recording(show: Any, seen: list[int]) -> Any:
    def record(progress: Any) -> None:
        seen.append(progress.done)
        show(progress)
    return record


def test_a_refused_upload_leaves_the_code_usable(console, qloop, qtbot, head_office) -> None:  # type: ignore[no-untyped-def]
    _store_with_products(head_office, "JH01", 5)       # none of the demo's SKUs
    code = head_office.enrollment_code("JH01")
    window, page, dialog = _open_dialog(console, qloop, qtbot)
    _fill(dialog, head_office.base_url, code, "upload")

    _start_and_wait(qloop, dialog)

    assert not dialog.enrolled
    words = dialog.problem_label.text()
    assert "catalog does not have" in words and "not spent" in words, words
    assert _code_row(head_office).console_id is None and _code_row(head_office).used_at is None
    assert local.enrollment(console.db).server_url == ""       # as before enrolling
    # The same code now starts clean.
    dialog.clean_radio.setChecked(True)
    _start_and_wait(qloop, dialog)
    assert dialog.enrolled, dialog.problem_label.text()


@pytest.mark.parametrize("case", ["wrong", "expired", "empty"])
def test_a_bad_code_is_said_in_words_and_nothing_changes(console, qloop, qtbot, head_office, case) -> None:  # type: ignore[no-untyped-def]
    _store_with_products(head_office, "SH01", 3)
    code = head_office.enrollment_code("SH01")
    if case == "expired":
        with head_office.sessions().begin() as session:
            session.execute(update(EnrollmentCode).values(expires_at=utcnow() - timedelta(minutes=1)))
    typed = {"wrong": "AAAAA-BBBBB-CCCCC-DDDDD", "expired": code, "empty": ""}[case]
    window, page, dialog = _open_dialog(console, qloop, qtbot)
    _fill(dialog, head_office.base_url, typed, "clean")

    act_until(qloop, dialog.start_button.click, lambda: not dialog.running and dialog.problem_label.isVisible(), 30)

    expected = {"wrong": "unknown or was already used", "expired": "has expired",
                "empty": "Type the one-time code"}[case]
    assert expected in dialog.problem_label.text()
    assert not dialog.enrolled and local.enrollment(console.db).server_url == ""


def test_an_unreachable_server_and_one_that_is_not_head_office(console, qloop, qtbot, not_head_office) -> None:  # type: ignore[no-untyped-def]
    window, page, dialog = _open_dialog(console, qloop, qtbot)
    _fill(dialog, "http://127.0.0.1:9", "AAAAA-BBBBB-CCCCC-DDDDD", "clean")
    _start_and_wait(qloop, dialog, 60)
    assert "cannot be reached" in dialog.problem_label.text()

    dialog.server_edit.setText(not_head_office)
    _start_and_wait(qloop, dialog, 60)
    words = dialog.problem_label.text()
    assert "is not an Anchor Console head office" in words and "404" in words, words

    dialog.server_edit.setText("127.0.0.1:8080")
    _start_and_wait(qloop, dialog, 60)
    assert "must start with http://" in dialog.problem_label.text()
    assert local.enrollment(console.db).server_url == ""


def test_the_refusal_reads_in_chinese(console, qloop, qtbot, head_office) -> None:  # type: ignore[no-untyped-def]
    _store_with_products(head_office, "SH01", 3)
    window, page, dialog = _open_dialog(console, qloop, qtbot)
    console.set_language("zh_CN")
    try:
        _fill(dialog, head_office.base_url, "AAAAA-BBBBB-CCCCC-DDDDD", "clean")
        _start_and_wait(qloop, dialog, 30)
        words = dialog.problem_label.text()
        assert "enrollment code" not in words and any("\u4e00" <= ch <= "\u9fff" for ch in words), words
    finally:
        console.set_language("en")


def test_closing_the_dialog_mid_upload_leaves_nothing_half_written(console, qloop, qtbot, head_office) -> None:  # type: ignore[no-untyped-def]
    _store_with_products(head_office, "SH03", 2000)
    code = head_office.enrollment_code("SH03")
    with console.db.begin() as s:
        before = s.scalar(select(func.count()).select_from(Product))
    window, page, dialog = _open_dialog(console, qloop, qtbot, page_size=20)
    _fill(dialog, head_office.base_url, code, "clean")
    act_until(qloop, dialog.start_button.click,
              lambda: dialog.last_progress is not None and dialog.last_progress.done >= 200, 120)

    act_until(qloop, dialog.close, lambda: page.enroll_dialog is None, 30)

    with console.db.begin() as s:
        assert s.scalar(select(func.count()).select_from(Product)) == before
    assert local.enrollment(console.db).mode == "clean" and not local.enrollment(console.db).adopted
    assert _code_row(head_office).used_at is None
    # And the background loop leaves the unfinished enrolment to the dialog.
    run(qloop, console.start_sync(window))
    assert console.sync_loop is None


def test_an_anchor_sees_no_enrol_button(console, qloop, qtbot, demo_users) -> None:  # type: ignore[no-untyped-def]
    from tests.ui.conftest import window_for

    anchor = next(u for u in demo_users if u.role.value == "anchor")
    window = window_for(console, qloop, anchor.login)
    qtbot.addWidget(window)
    run(qloop, window.show_view("sync"))
    page = window.pages["sync"]
    assert not page.enroll_button.isVisible() and page.coming_label.isHidden()
    spawn(page.open_enroll_dialog(), owner=page)
    run(qloop, asyncio.sleep(0.2))
    assert page.enroll_dialog is None
