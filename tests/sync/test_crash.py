"""Processes that die mid-sync: a console killed with SIGKILL mid-push and mid-pull, a service killed
between its commit and its answer. Afterwards a fresh process syncs until clean and nothing is lost,
nothing is doubled, and a page and its cursor were applied together or not at all.

The console runs ``tests/sync/crash_child.py`` (a test harness: it prints ``CRASH-POINT`` where it
stops and waits to be killed); the fresh process is the real ``python -m console sync --once``.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy import select as sql_select

from console.domain.enums import Affiliation
from console.headoffice.models import AppliedMutation, PushBatch, SyncedRow, store_scope
from console.services.base import read_setting
from console.storage.models import Anchor, Outbox
from console.sync import local
from console.sync.protocol import Scope
from tests.sync.faults import (
    Fault,
    FaultyTransport,
    FleetConsole,
    ServiceProcess,
    ThreadedService,
    add_store,
    check_invariants,
    enroll,
    quiesce,
    server_database,
)

ROOT = Path(__file__).resolve().parents[2]
ROWS = 300             # the harness pushes batches of 100 and pulls pages of 100: three of each
CHILD_ENV = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring", "PYTHONUNBUFFERED": "1",
             "PYTHONPATH": str(ROOT)}


def _run_until_crash_point(data_dir: Path, crash_at: str, nth: int) -> str:
    """Start the harness, wait for its marker, SIGKILL it; returns the marker line."""
    child = subprocess.Popen([sys.executable, "-m", "tests.sync.crash_child", str(data_dir)], cwd=ROOT,
                             env={**CHILD_ENV, "ANCHOR_TEST_CRASH_AT": crash_at, "ANCHOR_TEST_CRASH_NTH": str(nth)},
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None
    deadline = time.monotonic() + 60
    seen = []
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([child.stdout], [], [], 0.5)
            if ready:
                line = child.stdout.readline()
                seen.append(line)
                if line.startswith("CRASH-POINT"):
                    child.send_signal(signal.SIGKILL)
                    child.wait(timeout=10)
                    assert child.returncode == -signal.SIGKILL
                    return line.strip()
                if not line and child.poll() is not None:
                    break
        raise AssertionError(f"the harness never reached {crash_at}: {seen} {child.stderr.read() if child.stderr else ''}")
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=10)


def _sync_once_in_a_fresh_process(data_dir: Path) -> str:
    done = subprocess.run([sys.executable, "-m", "console", "sync", "--once", "--data-dir", str(data_dir)],
                          cwd=ROOT, env=CHILD_ENV, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, (done.stdout, done.stderr)
    return done.stdout


def _add_anchors(console: FleetConsole, count: int) -> None:
    with console.db.begin() as s:
        s.add_all([Anchor(store_id=console.store_id, code=f"K{n:05d}", name=f"主播{n}", affiliation=Affiliation.STAFF)
                   for n in range(count)])
    console.record_outbox()


def _applied(service: ThreadedService, console: FleetConsole) -> int:
    console_id = local.enrollment(console.db).console_id
    with service.sessions.begin() as session:
        return session.scalar(sql_select(func.count()).select_from(AppliedMutation)
                              .where(AppliedMutation.console_id == console_id)) or 0


def _outbox(console: FleetConsole) -> tuple[int, dict | None]:
    with console.db.begin() as s:
        pending = s.scalar(sql_select(func.count()).select_from(Outbox)) or 0
        batch = read_setting(s, local.BATCH_SETTING)
    return pending, json.loads(batch) if batch else None


@pytest.mark.slow
@pytest.mark.parametrize(("crash_at", "live"), [
    ("push_before_send", "sqlite"), ("push_in_ack", "sqlite"),
    ("push_after_commit", "sqlite"), ("push_after_commit", "postgresql"),
], indirect=["live"])
def test_a_console_killed_mid_push_loses_and_doubles_nothing(live: ThreadedService, tmp_path: Path,
                                                             crash_at: str) -> None:
    add_store(live.sessions, "SH01")
    a = enroll(live.sessions, live.base_url, "SH01", tmp_path / "a", "a")
    b = enroll(live.sessions, live.base_url, "SH01", tmp_path / "b", "b")
    _add_anchors(a, ROWS)
    a.close()
    b.close()

    marker = _run_until_crash_point(a.data_dir, crash_at, nth=2)

    a, b = a.reopen(), b.reopen()
    try:
        assert marker == f"CRASH-POINT {crash_at}"
        pending, batch = _outbox(a)
        # The second batch is still saved, with all its entries: only its answer may remove them.
        assert pending == ROWS - 100 and batch is not None and len(batch["seqs"]) == 100
        assert _applied(live, a) == (100 if crash_at == "push_before_send" else 200)
        a.close()

        out = _sync_once_in_a_fresh_process(a.data_dir)

        assert out.startswith(f"pushed {ROWS - 100}, ")
        a = a.reopen()
        assert _outbox(a) == (0, None)
        with live.sessions.begin() as session:
            assert session.scalar(sql_select(func.count()).select_from(PushBatch).where(
                PushBatch.console_id == local.enrollment(a.db).console_id)) == 3   # the batch was retried, not split
        quiesce([a, b])
        statuses = check_invariants(live.sessions, [a, b])
        assert statuses == {"applied": ROWS}
    finally:
        a.close()
        b.close()


@pytest.mark.slow
def test_a_console_killed_mid_pull_keeps_each_page_with_its_cursor(live: ThreadedService, tmp_path: Path) -> None:
    add_store(live.sessions, "SH01")
    a = enroll(live.sessions, live.base_url, "SH01", tmp_path / "a", "a")
    b = enroll(live.sessions, live.base_url, "SH01", tmp_path / "b", "b")
    _add_anchors(a, ROWS)
    assert a.sync().clean
    b.close()

    marker = _run_until_crash_point(b.data_dir, "pull_in_apply", nth=3)

    b = b.reopen()
    try:
        assert marker == "CRASH-POINT pull_in_apply"
        # Pages one and two are in, with their cursor; page three's rows went with the process.
        cursor = local.read_cursor(b.db, Scope.STORE)
        with live.sessions.begin() as session:
            upto = set(session.scalars(sql_select(SyncedRow.row_id).where(
                SyncedRow.scope_key == store_scope(b.store_id), SyncedRow.version <= cursor)))
        with b.db.begin() as s:
            have = set(s.scalars(sql_select(Anchor.id)))
        assert len(have) == 200 and have == upto
        b.close()

        out = _sync_once_in_a_fresh_process(b.data_dir)

        assert out.startswith(f"pushed 0, pulled {ROWS - 200}, ")
        b = b.reopen()
        quiesce([a, b])
        check_invariants(live.sessions, [a, b])
    finally:
        a.close()
        b.close()


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_service_killed_between_commit_and_answer(kind: str, tmp_path: Path) -> None:
    """``anchor-headoffice serve`` in its own process: SIGKILLed after it committed a push (and, later,
    a pull), before the console heard the answer; restarted on the same port and database."""
    with server_database(kind, tmp_path) as url:
        service = ServiceProcess(url, tmp_path)
        consoles: list[FleetConsole] = []
        try:
            from console.headoffice import db as ho_db

            engine = ho_db.make_engine(url)
            sessions = ho_db.session_factory(engine)
            add_store(sessions, "SH01")
            for name in "ab":
                transport = FaultyTransport(restart=service.restart)
                consoles.append(enroll(sessions, service.base_url, "SH01", tmp_path / name, name, transport,
                                       batch_size=50, page_size=50))
            a, b = consoles
            _add_anchors(a, 120)
            a.transport.script = [Fault.PASS, Fault.RESTART]          # the second push's answer is lost
            first = a.sync()
            assert first.errors and "cannot be reached" in str(first.errors[0])
            assert service.starts == 2
            b.transport.script = [Fault.PASS, Fault.PASS, Fault.RESTART]   # catalog, store page 1, page 2
            assert b.sync().errors
            assert service.starts == 3
            quiesce(consoles)
            assert check_invariants(sessions, consoles) == {"applied": 120}
            engine.dispose()
        finally:
            for console in consoles:
                console.close()
            service.close()
