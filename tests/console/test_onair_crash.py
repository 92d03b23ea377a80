"""Every action is an on-air event, durable before the screen confirms it. Kill the process at any
moment (SIGKILL) and start it again: the console comes back to the same show, same product, clocks
computed from the recorded events, nothing lost and nothing recorded twice.

A real child process (``tests/console/onair_crash_child.py``) drives the show through OnAirService
on a real data folder and prints a line once each action's call has returned; this test SIGKILLs
it after a number of confirmed actions and at random moments of a tight loop of actions (mostly
mid-write), then reopens the folder and checks what was recorded against what was confirmed.
"""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import pytest
from sqlalchemy import select as sql_select
from sqlalchemy import text

from console.domain.enums import AuditVia, OnAirEventKind
from console.services.auth import AuthService
from console.services.onair import OnAirService
from console.storage.db import Database, open_database
from console.storage.models import OnAirEvent
from tests.onair_helpers import ready_show

ROOT = Path(__file__).resolve().parents[2]
CHILD_ENV = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)}
MOVES = ("start", "next", "prev", "jump")
K = OnAirEventKind


@dataclass
class Confirmed:
    """What the child said it had done: each action's kind, the link on air after it, the show's last seq."""

    lines: list[tuple[str, int, int]]
    resumed: tuple[int, int] | None


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[tuple[Path, UUID]]:
    data_dir = tmp_path / "store"
    db = open_database(data_dir)
    try:
        AuthService(db).create_store(code="SH01", name="Test Store", manager_name="Manager",
                                     manager_login="manager", pin="2468")
        actor = AuthService(db).actor_for_login(None, via=AuditVia.CLI)
        store = AuthService(db).local_store()
        assert store is not None
        broadcast = ready_show(db, store, actor, items=5)
    finally:
        db.close()
    yield data_dir, broadcast


def run_child(data_dir: Path, broadcast: UUID, *, after: int | None = None, kill_in: float | None = None
              ) -> Confirmed:
    """Run the child until it has confirmed ``after`` actions (or for ``kill_in`` seconds of acting), then SIGKILL."""
    args = [sys.executable, "-m", "tests.console.onair_crash_child", str(data_dir), str(broadcast)]
    if after is not None:
        args.append(str(after))
    child = subprocess.Popen(args, cwd=ROOT, env=CHILD_ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None
    out = child.stdout.fileno()
    received = b""
    deadline = time.monotonic() + 60
    acting_since: float | None = None
    try:
        while b"DONE" not in received:
            if time.monotonic() > deadline:
                raise AssertionError(f"the child never got there: {received!r}")
            if kill_in is not None and acting_since is not None and time.monotonic() - acting_since >= kill_in:
                break
            ready, _, _ = select.select([out], [], [], 0.001)
            if not ready:
                continue
            chunk = os.read(out, 65536)
            if not chunk:
                raise AssertionError(f"the child stopped: {received!r} {child.stderr.read() if child.stderr else ''}")
            received += chunk
            if acting_since is None and b"\n" in received:
                acting_since = time.monotonic()
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        assert child.returncode == -signal.SIGKILL
        # Lines it printed before it died are confirmed actions too.
        received += child.stdout.read()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=10)
    # A line cut short by the kill was never confirmed.
    lines = [line for line in received.decode().split("\n")[:-1]]
    resumed = None
    confirmed: list[tuple[str, int, int]] = []
    for line in lines:
        word, *rest = line.split()
        if word == "RESUMED":
            resumed = (int(rest[0]), int(rest[1]))
        elif word == "CONFIRMED":
            confirmed.append((rest[0], int(rest[1]), int(rest[2])))
    return Confirmed(confirmed, resumed)


def recorded(db: Database, broadcast: UUID) -> list[tuple[int, OnAirEventKind, object, int | None]]:
    with db.begin() as s:
        return [(seq, kind, at, (payload or {}).get("link_number")) for seq, kind, at, payload in s.execute(
            sql_select(OnAirEvent.seq, OnAirEvent.kind, OnAirEvent.at, OnAirEvent.payload)
            .where(OnAirEvent.broadcast_id == broadcast).order_by(OnAirEvent.seq))]


def check_after_the_kill(data_dir: Path, broadcast: UUID, run: Confirmed) -> int:
    """Everything the child confirmed is recorded once, at most one action more; returns the link on air."""
    confirmed = run.lines
    base = run.resumed[1] if run.resumed is not None else 0   # the events before this child started
    db = open_database(data_dir, create=False)
    try:
        with db.begin() as s:
            assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        events = recorded(db, broadcast)
        seqs = [e[0] for e in events]
        assert seqs == list(range(1, len(seqs) + 1)), "seqs are contiguous: nothing twice, nothing missing"
        last_confirmed = confirmed[-1][2] if confirmed else base
        assert len(events) >= last_confirmed, "every confirmed action is recorded"
        # One action's events share one moment: after the last confirmed one, at most one action's worth.
        extra = events[last_confirmed:]
        assert len({e[2] for e in extra}) <= 1, extra
        this_run = events[base:]
        moves = sum(1 for kind, _, _ in confirmed if kind in MOVES)
        started = sum(1 for e in this_run if e[1] is K.PRODUCT_STARTED)
        assert started - moves in ((0, 1) if extra else (0,)), "one PRODUCT_STARTED per confirmed move"
        notes = sum(1 for kind, _, _ in confirmed if kind == "note")
        assert sum(1 for e in this_run if e[1] is K.NOTE) - notes in ((0, 1) if extra else (0,))
        last_started = next(e[3] for e in reversed(events) if e[1] is K.PRODUCT_STARTED)
        onair = OnAirService(db, AuthService(db).actor_for_login(None, via=AuditVia.CLI))
        show = onair.active()
        assert show is not None and show.broadcast_id == broadcast
        assert show.current is not None and show.current.link_number == last_started
        assert show.last_seq == len(events)
        if not extra:
            assert last_started == (confirmed[-1][1] if confirmed else run.resumed[0] if run.resumed else 0)
        return last_started
    finally:
        db.close()


def test_a_show_killed_after_confirmed_actions_and_mid_write_comes_back_whole(
        folder: tuple[Path, UUID]) -> None:
    data_dir, broadcast = folder
    everything: list[tuple[str, int, int]] = []

    # Killed after a number of confirmed actions: the child waits once it has printed them.
    for count in (1, 7):
        run = run_child(data_dir, broadcast, after=count)
        on_air = check_after_the_kill(data_dir, broadcast, run)
        if run.resumed is not None:
            # Started again, it came back to the same show and the same product.
            assert run.resumed == (everything[-1][1], everything[-1][2])
        everything += run.lines
        assert on_air == everything[-1][1]

    # Killed at random moments of a tight loop of actions: mostly inside a write or its commit.
    chance = random.Random(20261203)
    acted = 0
    for _ in range(6):
        run = run_child(data_dir, broadcast, kill_in=chance.uniform(0.05, 0.4))
        assert run.resumed is not None
        assert run.resumed[1] >= everything[-1][2]
        if run.resumed[1] == everything[-1][2]:
            assert run.resumed[0] == everything[-1][1]
        check_after_the_kill(data_dir, broadcast, run)
        everything += run.lines or [("resumed", *run.resumed)]
        acted += len(run.lines)
    assert acted >= 10, "the loops acted before they were killed"

    # A new service goes on with the show and ends it.
    db = open_database(data_dir, create=False)
    try:
        onair = OnAirService(db, AuthService(db).actor_for_login(None, via=AuditVia.CLI))
        before = onair.active()
        assert before is not None
        after = onair.next() if before.up_next is not None else onair.jump(
            next(i.link_number for i in before.items if i is not before.current))
        assert after.last_seq > before.last_seq and after.current is not None
        ended = onair.end()
        assert not ended.live and onair.active() is None
        seqs = [e[0] for e in recorded(db, broadcast)]
        assert seqs == list(range(1, len(seqs) + 1))
    finally:
        db.close()
