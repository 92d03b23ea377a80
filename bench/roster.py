"""Roster week on the large demo store: load a week, build the board's model, judge a drag.

Figures (medians over the rounds unless named p50/p99):

- ``roster_week_raw_sql``: baseline, the week's shift rows (with anchor and
  room names) read by one plain SQL query through sqlite3;
- ``roster_week_load``: ``RosterService.week(start)``, everything the board
  needs: anchors, rooms, shifts with their warnings, time off, rule context;
- ``roster_week_model``: the Qt ``WeekModel`` taking that week and serving
  every cell and header once, as a first paint does (skipped while
  ``ui.models.week`` is not there);
- ``roster_rule_check_p50`` / ``_p99``: ``week.context.check(plan)`` for random
  moves of the week's shifts (other day, time, room or anchor), as a drag does;
- ``roster_rule_check_rendered_p50`` / ``_p99``: the same check with every
  finding rendered in Chinese from the core's catalog, as the board shows it
  during the drag (issue 10); ``roster_message_render_p99`` is one finding's
  rendering alone.

Aims (issue 3): week under 100 ms, rule check under 5 ms (issue 10: with its
messages rendered).
"""

from __future__ import annotations

import os
import random
import sqlite3
import statistics
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bench._data import large_store
from console.domain.enums import AuditVia
from console.i18n import load_catalog
from console.rules.roster import ShiftPlan
from console.services.auth import AuthService
from console.services.roster import RosterService, RosterWeek
from console.storage.db import DB_FILENAME, open_database

ROUNDS = 20
CHECKS = 2000


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def percentile_ms(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def timed(fn: Any, rounds: int = ROUNDS) -> tuple[list[float], Any]:
    samples, result = [], None
    for _ in range(rounds):
        started = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - started)
    return samples, result


def raw_sql_week(path: str, store_id: str, start: datetime, end: datetime) -> list[tuple[Any, ...]]:
    def stamp(moment: datetime) -> str:
        return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(
            "SELECT s.id, s.anchor_id, a.name, a.code, s.room_id, r.name, r.code, s.role, s.starts_at, "
            "s.ends_at, s.status, s.broadcast_id, s.row_version, s.published_version, s.override_reason "
            "FROM shift s JOIN anchor a ON a.id = s.anchor_id JOIN live_room r ON r.id = s.room_id "
            "WHERE s.store_id = ? AND s.deleted_at IS NULL AND s.starts_at < ? AND s.ends_at > ? "
            "ORDER BY s.starts_at",
            (store_id, stamp(end), stamp(start)),
        ).fetchall()
    finally:
        conn.close()


def random_moves(week: RosterWeek, rng: random.Random) -> list[ShiftPlan]:
    """Drags as the board makes them: a shift to another time, day, room or anchor."""
    plans = []
    anchors = [a.id for a in week.anchors]
    rooms = [r.id for r in week.rooms]
    for _ in range(CHECKS):
        shift = rng.choice(week.shifts)
        offset = timedelta(minutes=15 * rng.randint(-4 * 24, 4 * 24))
        plan = ShiftPlan(id=shift.id, anchor_id=shift.anchor_id, room_id=shift.room_id, role=shift.role,
                         starts_at=shift.starts_at + offset, ends_at=shift.ends_at + offset,
                         broadcast_id=shift.broadcast_id)
        kind = rng.random()
        if kind < 0.25:
            plan = replace(plan, room_id=rng.choice(rooms))
        elif kind < 0.5:
            plan = replace(plan, anchor_id=rng.choice(anchors))
        plans.append(plan)
    return plans


def model_figure(week: RosterWeek, timezone: str) -> float | None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication

        from ui.models.week import WeekModel
    except ImportError as exc:
        print(f"# roster_week_model skipped: {exc}")
        return None
    app = QApplication.instance() or QApplication([])
    model = WeekModel(timezone)
    roles = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.UserRole + 10]

    def build_and_read() -> None:
        model.set_week(week)
        for column in range(model.columnCount()):
            model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        for row in range(model.rowCount()):
            model.headerData(row, Qt.Orientation.Vertical, Qt.ItemDataRole.DisplayRole)
            for column in range(model.columnCount()):
                index = model.index(row, column)
                for role in roles:
                    model.data(index, role)

    build_and_read()  # warm-up
    samples, _ = timed(build_and_read)
    del app
    return median_ms(samples)


def main() -> None:
    folder = large_store()
    db = open_database(folder, create=False)
    try:
        auth = AuthService(db)
        store = auth.local_store()
        assert store is not None
        roster = RosterService(db, auth.actor_for_login(None, via=AuditVia.GUI))
        zone = ZoneInfo(store.timezone)
        today = datetime.now(UTC).astimezone(zone).date()
        monday = today - timedelta(days=today.weekday())
        start = datetime.combine(monday, datetime.min.time(), zone).astimezone(UTC)
        end = start + timedelta(days=7)

        roster.week(start)  # warm-up: settings, statement caches, file cache
        raw_samples, raw = timed(lambda: raw_sql_week(str(folder / DB_FILENAME), store.id.hex, start, end))
        load_samples, week = timed(lambda: roster.week(start))
        print(f"# week of {monday}: {len(week.shifts)} shifts ({len(raw)} by SQL), {len(week.anchors)} anchors, "
              f"{len(week.rooms)} rooms, context of {len(week.context)} shifts")

        rng = random.Random(20261125)
        plans = random_moves(week, rng)
        for plan in plans[:50]:
            week.context.check(plan)  # warm-up
        check_samples = []
        blocked = 0
        for plan in plans:
            started = time.perf_counter()
            found = week.context.check(plan)
            check_samples.append(time.perf_counter() - started)
            blocked += any(v.severity.value == "block" for v in found)
        print(f"# {len(plans)} random moves, {blocked} of them blocked")

        # The same moves again, each finding rendered as the board shows it.
        chinese = load_catalog("zh_CN")
        rendered_samples, render_samples = [], []
        findings = 0
        for plan in plans:
            started = time.perf_counter()
            found = week.context.check(plan)
            for violation in found:
                one = time.perf_counter()
                chinese.render(violation.message)
                render_samples.append(time.perf_counter() - one)
            rendered_samples.append(time.perf_counter() - started)
            findings += len(found)
        print(f"# {findings} findings rendered in Chinese")

        model_ms = model_figure(week, store.timezone)
    finally:
        db.close()

    print(f"BENCH roster_week_raw_sql {median_ms(raw_samples):.2f} ms")
    print(f"BENCH roster_week_load {median_ms(load_samples):.1f} ms")
    if model_ms is not None:
        print(f"BENCH roster_week_model {model_ms:.1f} ms")
    print(f"BENCH roster_rule_check_p50 {percentile_ms(check_samples, 0.50):.3f} ms")
    print(f"BENCH roster_rule_check_p99 {percentile_ms(check_samples, 0.99):.3f} ms")
    print(f"BENCH roster_rule_check_rendered_p50 {percentile_ms(rendered_samples, 0.50):.3f} ms")
    print(f"BENCH roster_rule_check_rendered_p99 {percentile_ms(rendered_samples, 0.99):.3f} ms")
    if render_samples:
        print(f"BENCH roster_message_render_p99 {percentile_ms(render_samples, 0.99):.3f} ms")


if __name__ == "__main__":
    main()
