"""Reports (issue 15): the console's broadcast and product reports over two years of the large demo store.

On the large demo store (two years: about 12,000 broadcasts, a million on-air
events, 1.3 million metric snapshots), through ``ReportService.report`` itself,
as the Reports screen and ``anchor-console report`` call it:

- ``reports_broadcasts_ms`` / ``reports_products_ms``: the broadcasts report and
  the products report of the last 730 days, median of ``ROUNDS`` calls, from the
  call to the frozen rows in hand (the rollups brought up to date included: none
  is stale after the first). **Aim under 300 ms each.**
- ``reports_plain_count_ms``: baseline, in the same run, a plain SQL aggregate over
  the same rows the reports sum up (``count(*)``, ``sum(gmv_fen)`` of every metric
  snapshot and ``count(*)`` of every on-air event of the range's broadcasts), median
  of ``ROUNDS``; ``reports_*_vs_plain_count`` the ratios.
- ``reports_rollup_build_s``: the first report on a store whose rollups are all
  stale (the large store as built before the demo computed them), once, when this
  run had to; ``reports_rollup_one_show_ms``: one show's figures recomputed after
  a new reading arrives (what every report pays after a live show's commit).

Run: ``python -m bench reports``.
"""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from bench._data import large_store
from console.domain.enums import AuditVia
from console.i18n.formats import in_zone
from console.services.auth import AuthService
from console.services.reports import ReportService
from console.storage.db import open_database

ROUNDS = 5
DAYS = 730


def _median_ms(fn, rounds: int = ROUNDS) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(rounds):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def main() -> None:
    folder = large_store()
    db = open_database(folder, create=False)
    try:
        reports = ReportService(db, AuthService(db).actor_for_login(None, via=AuditVia.CLI))
        with db.begin() as s:
            stale = s.connection().execute(text("SELECT count(*) FROM report_stale")).scalar_one()
            counts = s.connection().execute(text(
                "SELECT (SELECT count(*) FROM broadcast), (SELECT count(*) FROM onair_event), "
                "(SELECT count(*) FROM metric_snapshot)")).one()
        print(f"# store: {counts[0]} broadcasts, {counts[1]} on-air events, {counts[2]} metric snapshots", flush=True)
        end = in_zone(datetime.now(UTC), "Asia/Shanghai").date()
        start = end - timedelta(days=DAYS - 1)
        if stale:
            started = time.perf_counter()
            reports.report("stores", start, end)
            print(f"BENCH reports_rollup_build_s {time.perf_counter() - started:.1f} s  # {stale} stale broadcasts",
                  flush=True)

        broadcasts_ms, broadcasts = _median_ms(lambda: reports.report("broadcasts", start, end))
        products_ms, products = _median_ms(lambda: reports.report("products", start, end))
        lo, hi = (datetime.combine(d, datetime.min.time(), in_zone(datetime.now(UTC), "Asia/Shanghai").tzinfo)
                  for d in (start, end + timedelta(days=1)))

        def plain() -> object:
            with db.begin() as s:
                c = s.connection()
                shows = ("SELECT id FROM broadcast WHERE status = 'ended' AND deleted_at IS NULL "
                         "AND planned_start >= :lo AND planned_start < :hi")
                args = {"lo": lo.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" "),
                        "hi": hi.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")}
                m = c.execute(text(f"SELECT count(*), sum(gmv_fen) FROM metric_snapshot WHERE broadcast_id IN "
                                   f"({shows})"), args).one()
                e = c.execute(text(f"SELECT count(*) FROM onair_event WHERE broadcast_id IN ({shows})"), args).one()
                return m, e

        plain_ms, (m, e) = _median_ms(plain)
        print(f"# {len(broadcasts.rows)} broadcasts, {len(products.rows)} products in {start} .. {end}; "
              f"the plain count read {m[0]} snapshots and {e[0]} events", flush=True)

        # One new reading: its show alone is recomputed by the next report.
        bid = broadcasts.rows[-1].id
        with db.begin() as s:
            s.connection().execute(text("INSERT OR IGNORE INTO report_stale (broadcast_id) VALUES (:b)"),
                                   {"b": bid.hex})
        one_ms, _ = _median_ms(lambda: reports.report("stores", end, end), rounds=1)

        print(f"BENCH reports_broadcasts_ms {broadcasts_ms:.0f} ms", flush=True)
        print(f"BENCH reports_products_ms {products_ms:.0f} ms", flush=True)
        print(f"BENCH reports_plain_count_ms {plain_ms:.0f} ms", flush=True)
        print(f"BENCH reports_broadcasts_vs_plain_count {broadcasts_ms / plain_ms:.2f} x", flush=True)
        print(f"BENCH reports_products_vs_plain_count {products_ms / plain_ms:.2f} x", flush=True)
        print(f"BENCH reports_rollup_one_show_ms {one_ms:.0f} ms", flush=True)
    finally:
        db.close()


if __name__ == "__main__":
    main()
