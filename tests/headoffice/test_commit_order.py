"""Versions follow commit order: a pull "since N" never skips a row that commits later with a smaller number."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Connection, event, select
from sqlalchemy.orm import Session

from console.headoffice import db
from console.headoffice.app import Settings, create_app
from console.headoffice.models import SyncedRow
from tests.headoffice.helpers import FakeConsole, LiveService


@pytest.fixture
def pg_service(postgres_only_url: str) -> Iterator[LiveService]:
    engine = db.make_engine(postgres_only_url)
    db.migrate(engine)
    live = LiveService.start(create_app(Settings(postgres_only_url, rate_per_second=1000, rate_burst=1000),
                                        engine), engine)
    try:
        yield live
    finally:
        live.stop()
        engine.dispose()


def _add_anchors(console: FakeConsole, prefix: str, count: int) -> list[str]:
    return [console.insert("anchor", code=f"{prefix}{i:03d}", name=f"主播{prefix}{i}", affiliation="staff")
            for i in range(count)]


def test_a_push_that_commits_late_is_not_skipped_by_a_pull(pg_service: LiveService) -> None:
    service = pg_service
    service.add_store("SH01")
    slow, quick, reader = service.enroll("SH01"), service.enroll("SH01"), service.enroll("SH01")
    slow_rows, quick_rows = _add_anchors(slow, "S", 3), _add_anchors(quick, "Q", 3)
    holding, release = threading.Event(), threading.Event()

    def note_push(conn: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO PUSH_BATCH"):
            conn.info["pushed"] = True

    def hold_first_push(session: Session) -> None:
        # The first push to commit stops here, after taking its versions, until the test lets it go.
        if session.connection().info.pop("pushed", False) and not holding.is_set():
            holding.set()
            release.wait(10)

    sessions = service.app.state.sessions
    event.listen(service.engine, "after_cursor_execute", note_push)
    event.listen(sessions, "before_commit", hold_first_push)
    answers: dict[str, Any] = {}
    try:
        slow_push = threading.Thread(target=lambda: answers.setdefault("slow", slow.push()))
        slow_push.start()
        assert holding.wait(10)
        quick_push = threading.Thread(target=lambda: answers.setdefault("quick", quick.push()))
        quick_push.start()
        time.sleep(0.3)  # the quick push is now waiting for the scope's counter

        # Neither push has committed, so there is nothing to see yet, and nothing to skip later.
        during = reader.pull()
        assert during == []
        release.set()
        slow_push.join(10)
        quick_push.join(10)
    finally:
        release.set()
        event.remove(sessions, "before_commit", hold_first_push)
        event.remove(service.engine, "after_cursor_execute", note_push)

    after = reader.pull()
    seen = {r["row_id"] for r in after}
    assert seen == set(slow_rows) | set(quick_rows)
    assert answers["slow"]["store_version"] < answers["quick"]["store_version"]


def test_many_concurrent_pushes_and_an_incremental_reader_see_every_row(service: LiveService) -> None:
    writers = 4
    service.add_store("SH01")
    consoles = [service.enroll("SH01", f"PC {i}") for i in range(writers)]
    reader = service.enroll("SH01", "reader")
    done = threading.Event()
    errors: list[BaseException] = []
    seen: dict[str, int] = {}

    def write(console: FakeConsole, prefix: str) -> None:
        try:
            for batch in range(8):
                ids = _add_anchors(console, f"{prefix}{batch}-", 4)
                console.update("anchor", ids[0], phone="13800000000")
                console.push()
        except BaseException as exc:  # surfaced by the main thread
            errors.append(exc)

    def read() -> None:
        try:
            while not done.is_set():
                for row in reader.pull(limit=7):
                    seen[row["row_id"]] = row["version"]
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(c, f"W{i}")) for i, c in enumerate(consoles)]
    reading = threading.Thread(target=read)
    reading.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    done.set()
    reading.join(60)
    for row in reader.pull():
        seen[row["row_id"]] = row["version"]

    assert errors == []
    with service.sessions().begin() as session:
        on_server = dict(session.execute(select(SyncedRow.row_id, SyncedRow.version)
                                         .where(SyncedRow.table_name == "anchor")).all())
    assert len(on_server) == writers * 8 * 4
    assert {str(k): v for k, v in on_server.items()} == seen
