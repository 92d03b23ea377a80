"""A show over sync: its runs (show_run), its events (onair_event) and its metrics (metric_snapshot)
reach head office and the store's other console, never another store's; a rehearsal arrives as one.

Real consoles (SQLite data folders, the real client) against the real service on loopback, on
SQLite and on PostgreSQL, as ``tests/sync/test_run_of_show_sync.py`` runs the plan before the show.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from console.domain.enums import BroadcastStatus
from console.services.broadcasts import BroadcastService
from console.services.onair import OnAirService
from console.services.onair_summary import metric_rows, note_rows, summary_rows
from console.storage.models import MetricSnapshot, OnAirEvent, ShowRun
from tests.headoffice.helpers import LiveService
from tests.sync.conftest import Console, ConsoleFactory, store_id_of
from tests.sync.test_run_of_show_sync import (
    COAT,
    HEADER,
    SCARF,
    actor,
    head_office_imports,
    local_count,
    plan_a_show,
    products_by_sku,
    server_rows,
)

ON_AIR = ("show_run", "onair_event", "metric_snapshot")
T0 = datetime(2031, 3, 3, 11, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def onair(console: Console) -> OnAirService:
    return OnAirService(console.db, actor(console))


def local_runs(console: Console) -> list[tuple[str, bool, bool]]:
    with console.db.begin() as s:
        return [(str(r.id), r.rehearsal, r.ended_at is not None)
                for r in s.scalars(select(ShowRun).order_by(ShowRun.started_at))]


def local_events(console: Console) -> list[tuple[Any, ...]]:
    with console.db.begin() as s:
        return [(str(e.run_id), e.seq, str(e.kind), e.at, e.payload)
                for e in s.scalars(select(OnAirEvent).order_by(OnAirEvent.seq))]


def test_a_shows_runs_events_and_metrics_reach_head_office_and_the_stores_other_console_only(
        any_service: LiveService, make_console: ConsoleFactory, tmp_path: Path) -> None:
    any_service.add_store("SH01")
    any_service.add_store("BJ02")
    head_office_imports(any_service, tmp_path, HEADER + COAT + SCARF)
    a, b = make_console(any_service, "SH01"), make_console(any_service, "SH01")
    other = make_console(any_service, "BJ02")
    store_id = store_id_of(any_service, "SH01")
    show = plan_a_show(a, products_by_sku(a))
    assert BroadcastService(a.db, actor(a)).mark_ready(show).ready

    # A rehearsal first, then the show itself.
    on_a = onair(a)
    rehearsal = on_a.start(show, rehearsal=True, now=at(-30))
    on_a.next(now=at(-29))
    on_a.note("彩排：大衣链接要先讲面料", now=at(-28))
    on_a.end(now=at(-27))
    live = on_a.start(show, now=at(0))
    on_a.record_metrics(views=300, viewers=120, likes=40, orders=2, gmv_fen=199_800, now=at(2))
    on_a.set_stock(1, now=at(3))
    assert a.sync().clean and b.sync().clean and other.sync().clean

    # Mid-show, the store's other console reads the same show on air.
    on_b = onair(b)
    mid = on_b.active(now=at(4))
    assert mid is not None and (mid.run_id, mid.rehearsal, mid.current.link_number, mid.current.stock) == (
        live.run_id, False, 1, 1)
    assert on_b.metrics()[-1].gmv_fen == 199_800

    on_a.next(now=at(5))
    on_a.record_metrics(views=800, viewers=90, likes=100, orders=7, gmv_fen=699_300, now=at(6))
    on_a.sold_out(now=at(7))
    on_a.note("围巾售罄", now=at(7.5))
    on_a.end(now=at(9))
    assert a.sync().clean and b.sync().clean and other.sync().clean

    # Head office holds every run, event and snapshot, the rehearsal marked as one.
    up_runs = {r["id"]: r for r in server_rows(any_service, store_id, "show_run")}
    assert {(r["rehearsal"], r["broadcast_id"]) for r in up_runs.values()} == {(True, str(show)), (False, str(show))}
    assert up_runs[str(rehearsal.run_id)]["rehearsal"] is True
    assert up_runs[str(live.run_id)]["rehearsal"] is False
    assert all(r["ended_at"] is not None for r in up_runs.values())
    up_events = sorted(server_rows(any_service, store_id, "onair_event"), key=lambda r: r["seq"])
    assert [r["seq"] for r in up_events] == [e[1] for e in local_events(a)]
    assert [(r["run_id"], r["kind"]) for r in up_events] == [(e[0], e[2]) for e in local_events(a)]
    rehearsal_kinds = [r["kind"] for r in up_events if r["run_id"] == str(rehearsal.run_id)]
    assert rehearsal_kinds == ["show_started", "product_started", "product_ended", "product_started", "note",
                               "product_ended", "show_ended"]
    up_metrics = sorted(server_rows(any_service, store_id, "metric_snapshot"), key=lambda r: r["at"])
    assert [(r["run_id"], r["views"], r["gmv_fen"]) for r in up_metrics] == [
        (str(live.run_id), 300, 199_800), (str(live.run_id), 800, 699_300)]
    (up_show,) = server_rows(any_service, store_id, "broadcast")
    assert up_show["status"] == "ended"

    # The other console has the same runs, events and metrics, so the same summary.
    assert local_runs(b) == local_runs(a) == [(str(rehearsal.run_id), True, True), (str(live.run_id), False, True)]
    assert local_events(b) == local_events(a)
    summary_a, summary_b = on_a.summary(show, now=at(10)), on_b.summary(show, now=at(10))
    assert summary_b.show.rehearsal is False
    for rows in (summary_rows, metric_rows, note_rows):
        assert rows(summary_b) == rows(summary_a)
    assert [r[2] for r in summary_rows(summary_b)] == ["done", "sold_out"]
    assert BroadcastService(b.db, actor(b)).get(show).status is BroadcastStatus.ENDED
    assert b.outbox() == []

    # Another store has none of it, here or at head office.
    for model in (ShowRun, OnAirEvent, MetricSnapshot):
        assert local_count(other, model) == 0, model.__tablename__
    other_store = store_id_of(any_service, "BJ02")
    assert all(server_rows(any_service, other_store, t) == [] for t in ON_AIR)
    assert onair(other).active() is None


def test_a_rehearsal_alone_arrives_as_a_rehearsal_and_leaves_the_broadcast_as_it_was(
        any_service: LiveService, make_console: ConsoleFactory, tmp_path: Path) -> None:
    any_service.add_store("SH01")
    head_office_imports(any_service, tmp_path, HEADER + COAT + SCARF)
    a, b = make_console(any_service, "SH01"), make_console(any_service, "SH01")
    show = plan_a_show(a, products_by_sku(a))
    run = onair(a).start(show, rehearsal=True, now=at(-10))    # a planned show may be rehearsed
    assert a.sync().clean and b.sync().clean

    on_b = onair(b)
    now = on_b.active(now=at(-9))
    assert now is not None and (now.run_id, now.rehearsal, now.current.link_number) == (run.run_id, True, 1)
    store_id = store_id_of(any_service, "SH01")
    (up_run,) = server_rows(any_service, store_id, "show_run")
    assert (up_run["id"], up_run["rehearsal"], up_run["ended_at"]) == (str(run.run_id), True, None)

    # The other console ends it; the first learns it is over, the broadcast still planned.
    on_b.end(now=at(-8))
    assert b.sync().clean and a.sync().clean
    assert onair(a).active() is None
    assert local_runs(a) == [(str(run.run_id), True, True)]
    assert BroadcastService(a.db, actor(a)).get(show).status is BroadcastStatus.PLANNED
    assert onair(a).summary(show, now=at(0)).show.rehearsal is True
