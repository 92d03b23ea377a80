"""Head office's reports equal the console's own, to the fen, once the store has synced.

A real console (SQLite data folder, the real sync client) builds the hand-counted
fixture of tests/report_helpers.py (a rehearsal, a show recorded before runs
were kept with metrics out of order and one tombstoned, a cancelled and a
tombstoned show) and syncs it to the real head-office service on loopback, on
SQLite and on PostgreSQL. Head office's figures are then checked against the
hand-counted ones and against the console's own report of every kind; later
edits (a tombstone, a late reading) reach head office's figures through the
projections kept in each push's transaction.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from console.domain.reports import COLUMNS, KINDS
from console.headoffice import projection, reports
from console.headoffice.models import SyncedRow
from console.headoffice.sync import write_rows
from console.services.base import load_store
from console.services.reports import ReportService
from console.storage.models import Broadcast, MetricSnapshot, Product
from console.storage.outbox import row_payload
from tests.console.test_reports import A, B, BOTH
from tests.headoffice.helpers import LiveService
from tests.report_helpers import B_START, Fixture, build
from tests.sync.conftest import Console, ConsoleFactory, store_id_of
from tests.sync.test_run_of_show_sync import actor

DEC3, DEC4 = date(2026, 12, 3), date(2026, 12, 4)
TODAY = date(2026, 12, 10)


def _console_report(console: Console, kind: str) -> list[dict[str, Any]]:
    return list(ReportService(console.db, actor(console)).report(kind, DEC3, DEC4, today=TODAY).dicts())


def _head_office_report(service: LiveService, kind: str, code: str = "SH01") -> list[dict[str, Any]]:
    with service.sessions().begin() as session:
        stores = reports.choose_stores(session, None, [code])
        found = reports.report(session, kind, stores, DEC3, DEC4, today=TODAY)
    return [{c: row[c] for c in COLUMNS[kind]} for row in found.dicts()]


def _catalog_from(console: Console, service: LiveService) -> None:
    """The fixture's products, made in the console's database, published by head office (which owns them)."""
    with console.db.begin() as s:
        rows = [row_payload(p) for p in s.scalars(select(Product))]
    with service.sessions().begin() as session:
        held = set(session.scalars(select(SyncedRow.row_id).where(SyncedRow.table_name == "product")))
        write_rows(session, "product", [r for r in rows if r["id"] not in {str(h) for h in held}])


def _synced_fixture(any_service: LiveService, make_console: ConsoleFactory) -> tuple[Console, Fixture]:
    any_service.add_store("SH01")
    console = make_console(any_service, "SH01")
    with console.db.begin() as s:
        store = load_store(s, store_id_of(any_service, "SH01"))
        s.expunge(store)
    fixture = build(console.db, store, actor(console))
    _catalog_from(console, any_service)   # before the push: a queue item must name a product head office knows
    report = console.sync()
    # Everything reached head office. The fixture makes its products in the console (head office's data:
    # those 6 rows are refused, as they must be) and its pull back of a queue item clashes locally; neither
    # touches what head office holds, which is what this test reads.
    assert report.pending_after == 0 and report.pushed > 0 and report.conflicts == 0, report
    return console, fixture


def subset(row: dict[str, Any], wanted: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in wanted}


def test_head_office_figures_equal_the_hand_counted_and_the_consoles_own(
        any_service: LiveService, make_console: ConsoleFactory) -> None:
    console, fx = _synced_fixture(any_service, make_console)

    shows = {row["broadcast_id"]: row for row in _head_office_report(any_service, "broadcasts")}
    assert list(shows) == [str(fx.a), str(fx.b)]       # no rehearsal, no cancelled or tombstoned show
    assert subset(shows[str(fx.a)], A) == A
    assert subset(shows[str(fx.b)], B) == B
    (store_row,) = _head_office_report(any_service, "stores")
    assert subset(store_row, BOTH) == BOTH

    for kind in KINDS:
        assert _head_office_report(any_service, kind) == _console_report(console, kind), kind


def test_later_edits_tombstones_and_a_rebuild_keep_head_office_equal(
        any_service: LiveService, make_console: ConsoleFactory) -> None:
    console, fx = _synced_fixture(any_service, make_console)

    # A late reading on show B raises its GMV; then show A is tombstoned on the console.
    with console.db.begin() as s:
        s.add(MetricSnapshot(store_id=s.get(Broadcast, fx.b).store_id, broadcast_id=fx.b,
                             at=B_START + timedelta(seconds=1050), viewers=2500, orders=35, gmv_fen=650_000))
    assert console.sync().pending_after == 0
    shows = {row["broadcast_id"]: row for row in _head_office_report(any_service, "broadcasts")}
    assert (shows[str(fx.b)]["orders"], shows[str(fx.b)]["gmv"], shows[str(fx.b)]["peak_viewers"]) == (
        35, 650_000, 2500)

    from console.storage.outbox import tombstone

    with console.db.begin() as s:
        tombstone(s.get_one(Broadcast, fx.a))
    assert console.sync().pending_after == 0
    assert [row["broadcast_id"] for row in _head_office_report(any_service, "broadcasts")] == [str(fx.b)]
    for kind in KINDS:
        assert _head_office_report(any_service, kind) == _console_report(console, kind), kind

    # Rebuilt from the synced rows alone, the projections give the very same figures.
    before = {kind: _head_office_report(any_service, kind) for kind in KINDS}
    with any_service.sessions().begin() as session:
        assert projection.rebuild(session) > 0
    assert {kind: _head_office_report(any_service, kind) for kind in KINDS} == before
