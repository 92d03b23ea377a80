"""Head office's cross-store reports over five large stores in PostgreSQL, against a flat aggregate of the same rows.

Run as ``python -m bench reports_headoffice``. A PostgreSQL database of its own
(``anchor_bench_ho_reports_...``, dropped at the end) on the server named by
``ANCHOR_BENCH_POSTGRES_URL`` (default ``postgresql://postgres@127.0.0.1:5432/postgres``).

Data, made with ``generate_series`` in SQL (never row by row from Python): five
stores, each two years of 12,000 broadcasts (one in 50 cancelled) with 12 queue
items, 83 on-air events and 108 metric snapshots each: 4,980,000 events and
6,480,000 snapshots in the reports' projections (what a push keeps), the stores'
rooms, anchors and the catalog's 2,000 products as synced rows. The per-show
rollups are then computed by the same SQL a push runs (``projection.refresh``
over every broadcast): ``ho_reports_rollup_all`` is that time.

Figures (median of ``REPEAT`` = 3 runs, each a fresh transaction):

- ``ho_reports_flat_aggregate``: the baseline, a plain ``GROUP BY store`` over a
  flat, unindexed table of the same events and snapshots (store code, show,
  planned start, viewers, GMV), two years, every store;
- ``ho_reports_<kind>_2y``: ``console.headoffice.reports.report`` of each kind
  over all five stores and two years (what the CLI, the API and the dashboard
  call), ``ho_reports_broadcasts_30d`` the broadcasts of one month;
  ``ho_reports_stores_vs_flat`` is the stores report's time over the baseline's.

Bar: each report under 2 s and within 3x of the flat aggregate; aim under 500 ms.
"""

from __future__ import annotations

import os
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from console.headoffice import admin, db, projection, reports

PG_URL = os.environ.get("ANCHOR_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
STORES = 5
BROADCASTS = 12_000
ITEMS = 12
EVENTS = 83
SNAPSHOTS = 108
ROOMS = 6
ANCHORS = 40
PRODUCTS = 2_000
REPEAT = 3
FROM, TO = date(2025, 1, 1), date(2026, 12, 31)
MONTH = (date(2026, 6, 1), date(2026, 6, 30))


def bench(name: str, value: float, unit: str) -> None:
    print(f"BENCH {name} {value:.1f} {unit}", flush=True)


def _uuid(expr: str) -> str:
    return f"md5({expr})::uuid"


# Loaded without their indexes, which are built once afterwards (sorting is far quicker than 11 million
# inserts into random-order B-trees), and unlogged: this database is dropped at the end anyway.
_BULK = {"report_event": "ix_report_event_broadcast_id", "report_snapshot": "ix_report_snapshot_broadcast_id",
         "report_queue_item": "ix_report_queue_item_broadcast_id"}


def _fill(conn, store_ids: list[str]) -> None:  # type: ignore[no-untyped-def]
    for table, index in _BULK.items():
        conn.execute(text(f"ALTER TABLE {table} SET UNLOGGED"))
        conn.execute(text(f"ALTER TABLE {table} DROP CONSTRAINT pk_{table}"))
        conn.execute(text(f"DROP INDEX {index}"))
    conn.execute(text("CREATE TEMP TABLE bench_store (n int, id uuid)"))
    conn.execute(text("INSERT INTO bench_store VALUES " + ", ".join(
        f"({n}, '{sid}')" for n, sid in enumerate(store_ids, start=1))))
    conn.execute(text(f"""
        INSERT INTO report_broadcast (id, store_id, room_id, title, status, planned_start, planned_seconds,
                                      actual_seconds, brand, category, platform_account_ids)
        SELECT {_uuid("'b' || s.n || '-' || b")}, s.id, {_uuid("'r' || s.n || '-' || (b % " + str(ROOMS) + ")")},
               'show ' || b, CASE WHEN b % 50 = 0 THEN 'cancelled' ELSE 'ended' END,
               timestamptz '2025-01-01 02:00+00' + b * interval '87 minutes', 7200, 7200 + b % 600 - 300,
               '', '', '[]'::jsonb
        FROM bench_store s CROSS JOIN generate_series(1, {BROADCASTS}) AS b"""))
    conn.execute(text(f"""
        INSERT INTO report_queue_item (id, store_id, broadcast_id, product_id, position, link_number, planned_seconds)
        SELECT {_uuid("'q' || s.n || '-' || b || '-' || k")}, s.id, {_uuid("'b' || s.n || '-' || b")},
               {_uuid("'p' || ((b * 7 + k) % " + str(PRODUCTS) + ")")}, k, k + 1, 600
        FROM bench_store s CROSS JOIN generate_series(1, {BROADCASTS}) AS b CROSS JOIN generate_series(0, {ITEMS - 1}) AS k"""))
    # Per show: each item started at k*600 s and ended at k*600+550 s; a stock change per item (one in five
    # sells it out); the rest are notes.
    conn.execute(text(f"""
        INSERT INTO report_event (id, store_id, broadcast_id, run_id, queue_item_id, kind, at, seq, seconds, stock)
        SELECT {_uuid("'e' || s.n || '-' || b || '-' || e")}, s.id, {_uuid("'b' || s.n || '-' || b")}, NULL,
               CASE WHEN e <= {3 * ITEMS} THEN
                   {_uuid("'q' || s.n || '-' || b || '-' || (CASE WHEN e <= " + str(2 * ITEMS) + " THEN (e - 1) / 2 ELSE e - " + str(2 * ITEMS + 1) + " END)")}
               END,
               CASE WHEN e <= {2 * ITEMS} AND e % 2 = 1 THEN 'product_started'
                    WHEN e <= {2 * ITEMS} THEN 'product_ended'
                    WHEN e <= {3 * ITEMS} THEN 'stock_changed' ELSE 'note' END,
               timestamptz '2025-01-01 02:00+00' + b * interval '87 minutes' + CASE
                    WHEN e <= {2 * ITEMS} AND e % 2 = 1 THEN ((e - 1) / 2) * interval '600 seconds'
                    WHEN e <= {2 * ITEMS} THEN ((e - 1) / 2) * interval '600 seconds' + interval '550 seconds'
                    WHEN e <= {3 * ITEMS} THEN (e - {2 * ITEMS + 1}) * interval '600 seconds' + interval '300 seconds'
                    ELSE (e - {3 * ITEMS}) * interval '150 seconds' END,
               e,
               CASE WHEN e <= {2 * ITEMS} AND e % 2 = 0 THEN 550 END,
               CASE WHEN e > {2 * ITEMS} AND e <= {3 * ITEMS} THEN (b + e) % 5 END
        FROM bench_store s CROSS JOIN generate_series(1, {BROADCASTS}) AS b CROSS JOIN generate_series(1, {EVENTS}) AS e"""))
    conn.execute(text(f"""
        INSERT INTO report_snapshot (id, store_id, broadcast_id, run_id, at, viewers, orders, gmv_fen)
        SELECT {_uuid("'m' || s.n || '-' || b || '-' || m")}, s.id, {_uuid("'b' || s.n || '-' || b")}, NULL,
               timestamptz '2025-01-01 02:00+00' + b * interval '87 minutes' + m * interval '66 seconds',
               100 + (m * 37 + b) % 900, m * 3 + b % 5, (m * 3 + b % 5) * 9900
        FROM bench_store s CROSS JOIN generate_series(1, {BROADCASTS}) AS b CROSS JOIN generate_series(0, {SNAPSHOTS - 1}) AS m"""))
    conn.execute(text(f"""
        INSERT INTO report_host (shift_id, store_id, broadcast_id, anchor_id)
        SELECT {_uuid("'h' || s.n || '-' || b")}, s.id, {_uuid("'b' || s.n || '-' || b")},
               {_uuid("'a' || s.n || '-' || (b % " + str(ANCHORS) + ")")}
        FROM bench_store s CROSS JOIN generate_series(1, {BROADCASTS}) AS b
        UNION ALL
        SELECT {_uuid("'c' || s.n || '-' || b")}, s.id, {_uuid("'b' || s.n || '-' || b")},
               {_uuid("'a' || s.n || '-' || ((b + 7) % " + str(ANCHORS) + ")")}
        FROM bench_store s CROSS JOIN generate_series(1, {BROADCASTS}) AS b WHERE b % 3 = 0"""))
    # Names and codes as synced rows: the reports read them from there.
    conn.execute(text(f"""
        INSERT INTO synced_row (table_name, row_id, store_id, scope_key, version, row_version, deleted, data,
                                field_versions, field_authors, committed_at)
        SELECT t.table_name, t.row_id, t.store_id, t.scope_key, 1000000 + row_number() OVER (), 1, false, t.data,
               '{{}}'::jsonb, '{{}}'::jsonb, now()
        FROM (
            SELECT 'live_room' AS table_name, {_uuid("'r' || s.n || '-' || r")} AS row_id, s.id AS store_id,
                   'store:' || s.id AS scope_key,
                   jsonb_build_object('code', 'R' || lpad(r::text, 2, '0'), 'name', 'Room ' || r) AS data
            FROM bench_store s CROSS JOIN generate_series(0, {ROOMS - 1}) AS r
            UNION ALL
            SELECT 'anchor', {_uuid("'a' || s.n || '-' || a")}, s.id, 'store:' || s.id,
                   jsonb_build_object('code', 'A' || lpad(a::text, 3, '0'), 'name', 'Anchor ' || s.n || '-' || a)
            FROM bench_store s CROSS JOIN generate_series(0, {ANCHORS - 1}) AS a
            UNION ALL
            SELECT 'product', {_uuid("'p' || p")}, NULL, 'catalog',
                   jsonb_build_object('sku', 'SKU-' || lpad(p::text, 5, '0'), 'name', 'Product ' || p,
                                      'brand', 'Brand ' || (p % 40), 'category', 'Category ' || (p % 8))
            FROM generate_series(0, {PRODUCTS - 1}) AS p
        ) AS t"""))
    conn.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
    for table, index in _BULK.items():
        conn.execute(text(f"ALTER TABLE {table} ADD CONSTRAINT pk_{table} PRIMARY KEY (id)"))
        conn.execute(text(f"CREATE INDEX {index} ON {table} (broadcast_id)"))
    # The baseline's flat table: the same events and snapshots, each with its store code and show start.
    conn.execute(text("""
        CREATE UNLOGGED TABLE flat_fact AS
        SELECT st.code AS store_code, e.broadcast_id, b.planned_start, 0 AS viewers, 0::bigint AS gmv_fen
        FROM report_event e JOIN report_broadcast b ON b.id = e.broadcast_id JOIN store st ON st.id = e.store_id
        UNION ALL
        SELECT st.code, m.broadcast_id, b.planned_start, m.viewers, m.gmv_fen
        FROM report_snapshot m JOIN report_broadcast b ON b.id = m.broadcast_id JOIN store st ON st.id = m.store_id"""))
    conn.execute(text("ANALYZE"))


FLAT = text("""
    SELECT store_code, count(DISTINCT broadcast_id), max(viewers), sum(viewers), count(*), sum(gmv_fen)
    FROM flat_fact WHERE planned_start >= :first AND planned_start < :after GROUP BY store_code""")


def _median(run: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> int:
    admin_engine = create_engine(make_url(PG_URL).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    name = f"anchor_bench_ho_reports_{os.getpid()}_{secrets.token_hex(3)}"
    with admin_engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)
    engine = db.make_engine(url)
    try:
        db.migrate(engine)
        sessions = db.session_factory(engine)
        with sessions.begin() as session:
            ids = [str(admin.add_store(session, f"ST{n:02d}", f"Store {n}").id) for n in range(1, STORES + 1)]
        started = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(text("SET LOCAL statement_timeout = '900s'"))
            _fill(conn, ids)
        bench("ho_reports_generate", time.perf_counter() - started, "s")
        with engine.connect() as conn:
            events = conn.scalar(text("SELECT count(*) FROM report_event"))
            snapshots = conn.scalar(text("SELECT count(*) FROM report_snapshot"))
        bench("ho_reports_events", events, "rows")
        bench("ho_reports_snapshots", snapshots, "rows")
        started = time.perf_counter()
        with sessions.begin() as session:
            session.execute(text("SET LOCAL statement_timeout = '900s'"))
            session.execute(text("SET LOCAL work_mem = '128MB'"))
            projection.refresh(session, None)
        bench("ho_reports_rollup_all", time.perf_counter() - started, "s")
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))

        def flat() -> None:
            with engine.connect() as conn:
                tz_first, tz_after = reports.ReportRange(FROM, TO).utc_bounds("Asia/Shanghai")
                assert len(conn.execute(FLAT, {"first": tz_first, "after": tz_after}).all()) == STORES

        baseline = _median(flat)
        bench("ho_reports_flat_aggregate", baseline, "ms")

        def run(kind: str, first: date, last: date) -> Callable[[], None]:
            def go() -> None:
                with sessions.begin() as session:
                    stores = reports.choose_stores(session, None, [])
                    found = reports.report(session, kind, stores, first, last)
                    assert found.rows, kind
            return go

        figures = {}
        for kind in reports.HEAD_OFFICE_KINDS:
            if kind == "broadcasts":
                continue
            figures[kind] = _median(run(kind, FROM, TO))
            bench(f"ho_reports_{kind}_2y", figures[kind], "ms")
        bench("ho_reports_broadcasts_30d", _median(run("broadcasts", *MONTH)), "ms")
        print(f"BENCH ho_reports_stores_vs_flat {figures['stores'] / baseline:.4f} x", flush=True)
        print(f"BENCH ho_reports_slowest_vs_flat {max(figures.values()) / baseline:.4f} x", flush=True)
    finally:
        engine.dispose()
        with admin_engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin_engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
