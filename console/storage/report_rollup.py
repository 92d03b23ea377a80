"""The reports' rollups (migration 0009): each broadcast's and each queue item's figures, computed in SQL once.

Why a rollup. Two years of a large store are a million on-air events and 1.3
million metric snapshots; scanning them for every report takes seconds in
SQLite, and a product's orders need each snapshot matched to the product on
air when it was read. So the figures of docs/reports.md are computed per
broadcast, in SQL (window functions over that broadcast's events and
snapshots), into ``report_show`` (one row per broadcast) and ``report_item``
(one row per queue item); a report then sums a few thousand rows.

Kept right by triggers, not by callers: any insert, update or delete of an
event, a snapshot, a run or a queue item (the on-air service, the command
line, a sync pull, the demo's bulk insert) notes its broadcast in
``report_stale``; :func:`refresh` recomputes the noted broadcasts before a
report reads, in the reader's own transaction, so a report is never behind.
No model describes these tables: they are local, derived, and never synced.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

TABLES = ("report_stale", "report_show", "report_item")

# Which source tables note their broadcast, and the column that names it.
_SOURCES = {"onair_event": "broadcast_id", "metric_snapshot": "broadcast_id", "show_run": "broadcast_id",
            "queue_item": "broadcast_id"}


def _note(ref: str) -> str:
    # Not INSERT OR IGNORE: inside a trigger fired by an upsert (a sync pull's INSERT ... ON CONFLICT DO
    # UPDATE), SQLite applies the outer statement's conflict handling, so OR IGNORE still aborts.
    return (f"INSERT INTO report_stale (broadcast_id) SELECT {ref} "
            f"WHERE NOT EXISTS (SELECT 1 FROM report_stale WHERE broadcast_id = {ref});")


TRIGGERS: dict[str, str] = {}
for _table, _column in _SOURCES.items():
    TRIGGERS[f"report_stale_{_table}_insert"] = (
        f"CREATE TRIGGER report_stale_{_table}_insert AFTER INSERT ON {_table} BEGIN "
        f"{_note('NEW.' + _column)} END")
    TRIGGERS[f"report_stale_{_table}_update"] = (
        f"CREATE TRIGGER report_stale_{_table}_update AFTER UPDATE ON {_table} BEGIN "
        f"{_note('NEW.' + _column)} {_note('OLD.' + _column)} END")
    TRIGGERS[f"report_stale_{_table}_delete"] = (
        f"CREATE TRIGGER report_stale_{_table}_delete AFTER DELETE ON {_table} BEGIN "
        f"{_note('OLD.' + _column)} END")

CREATE_TABLES = (
    "CREATE TABLE report_stale (broadcast_id CHAR(32) NOT NULL PRIMARY KEY) WITHOUT ROWID",
    """CREATE TABLE report_show (
        broadcast_id CHAR(32) NOT NULL PRIMARY KEY,
        products_planned INTEGER NOT NULL, products_explained INTEGER NOT NULL,
        peak_viewers INTEGER NOT NULL, viewer_sum INTEGER NOT NULL, readings INTEGER NOT NULL,
        orders INTEGER NOT NULL, gmv_fen INTEGER NOT NULL, sold_out_times INTEGER NOT NULL
    ) WITHOUT ROWID""",
    """CREATE TABLE report_item (
        queue_item_id CHAR(32) NOT NULL PRIMARY KEY,
        broadcast_id CHAR(32) NOT NULL, product_id CHAR(32) NOT NULL,
        planned_seconds INTEGER NOT NULL, explained INTEGER NOT NULL, actual_seconds INTEGER NOT NULL,
        peak_viewers INTEGER NOT NULL, viewer_sum INTEGER NOT NULL, readings INTEGER NOT NULL,
        orders INTEGER NOT NULL, gmv_fen INTEGER NOT NULL, sold_out_times INTEGER NOT NULL
    )""",
    "CREATE INDEX ix_report_item_broadcast_id ON report_item (broadcast_id)",
    "CREATE INDEX ix_report_item_product_id ON report_item (product_id)",
)


def in_metadata(name: str | None, type_: str, _parent_names: object) -> bool:
    """Alembic's ``include_name``: everything but these tables, which no model describes."""
    return not (type_ == "table" and name in TABLES)


# The counted events and snapshots of the stale broadcasts (docs/reports.md, "What counts").
_COUNTED = """
stale AS (SELECT broadcast_id FROM temp.report_batch),
ev AS (
    SELECT e.broadcast_id, e.run_id, e.seq, e.kind, e.at, e.queue_item_id, e.payload
    FROM onair_event e LEFT JOIN show_run r ON r.id = e.run_id
    WHERE e.broadcast_id IN (SELECT broadcast_id FROM stale) AND e.deleted_at IS NULL
      AND (e.run_id IS NULL OR (r.rehearsal = 0 AND r.deleted_at IS NULL))
),
ms AS (
    SELECT m.broadcast_id, m.run_id, m.at, m.viewers, m.orders, m.gmv_fen,
           max(0, m.orders - coalesce(max(m.orders) OVER earlier, 0)) AS orders_up,
           max(0, m.gmv_fen - coalesce(max(m.gmv_fen) OVER earlier, 0)) AS gmv_up
    FROM metric_snapshot m LEFT JOIN show_run r ON r.id = m.run_id
    WHERE m.broadcast_id IN (SELECT broadcast_id FROM stale) AND m.deleted_at IS NULL
      AND (m.run_id IS NULL OR (r.rehearsal = 0 AND r.deleted_at IS NULL))
    WINDOW earlier AS (PARTITION BY m.broadcast_id, m.run_id ORDER BY m.at
                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
),
-- Which product each reading belongs to, in one ordered pass instead of a range join: the readings and the
-- marks (product started, ended, show ended) in time order, marks first at the same moment; the latest mark
-- so far (packed as at + seq + S/E + queue item, so that max() finds it) says what was on air.
stream AS (
    SELECT broadcast_id, run_id, at, 0 AS reading, seq,
           at || printf('%010d', seq) || CASE kind WHEN 'product_started' THEN 'S' ELSE 'E' END
              || coalesce(queue_item_id, printf('%032d', 0)) AS mark,
           NULL AS viewers, NULL AS orders_up, NULL AS gmv_up
    FROM ev WHERE kind IN ('product_started', 'product_ended', 'show_ended')
    UNION ALL
    SELECT broadcast_id, run_id, at, 1, 0, NULL, viewers, orders_up, gmv_up FROM ms
),
placed AS (
    SELECT reading, viewers, orders_up, gmv_up,
           max(mark) OVER (PARTITION BY broadcast_id, run_id ORDER BY at, reading, seq
                           ROWS UNBOUNDED PRECEDING) AS latest
    FROM stream
),
hit AS (
    SELECT substr(latest, -32) AS queue_item_id, viewers, orders_up, gmv_up FROM placed
    WHERE reading = 1 AND substr(latest, -33, 1) = 'S'
),
sellout AS (
    SELECT broadcast_id, queue_item_id FROM ev
    WHERE kind = 'sold_out'
       OR (kind = 'stock_changed' AND CAST(json_extract(payload, '$.stock') AS INTEGER) <= 0)
)
"""

_ITEMS = f"""
INSERT INTO report_item (queue_item_id, broadcast_id, product_id, planned_seconds, explained, actual_seconds,
                         peak_viewers, viewer_sum, readings, orders, gmv_fen, sold_out_times)
WITH {_COUNTED},
-- Every fact of each queue item as one row, summed per item: one pass and a primary-key join, where joining
-- an aggregate per fact would scan each of them once per item.
facts AS (
    SELECT q.id AS queue_item_id, 0 AS started, 0 AS seconds, NULL AS viewers, 0 AS readings, 0 AS orders_up,
           0 AS gmv_up, 0 AS outs
    FROM queue_item q WHERE q.broadcast_id IN (SELECT broadcast_id FROM stale)
    UNION ALL
    SELECT queue_item_id, 1, 0, NULL, 0, 0, 0, 0 FROM ev WHERE kind = 'product_started'
    UNION ALL
    SELECT queue_item_id, 0, CAST(json_extract(payload, '$.seconds') AS INTEGER), NULL, 0, 0, 0, 0
    FROM ev WHERE kind = 'product_ended'
    UNION ALL
    SELECT queue_item_id, 0, 0, viewers, 1, orders_up, gmv_up, 0 FROM hit
    UNION ALL
    SELECT queue_item_id, 0, 0, NULL, 0, 0, 0, 1 FROM sellout
)
SELECT q.id, q.broadcast_id, q.product_id, q.planned_seconds, max(f.started), coalesce(sum(f.seconds), 0),
       coalesce(max(f.viewers), 0), coalesce(sum(f.viewers), 0), sum(f.readings), sum(f.orders_up),
       sum(f.gmv_up), sum(f.outs)
FROM facts f JOIN queue_item q ON q.id = f.queue_item_id
WHERE q.deleted_at IS NULL AND q.broadcast_id IN (SELECT broadcast_id FROM stale)
GROUP BY q.id
"""

_SHOWS = f"""
INSERT INTO report_show (broadcast_id, products_planned, products_explained, peak_viewers, viewer_sum, readings,
                         orders, gmv_fen, sold_out_times)
WITH {_COUNTED},
runs AS (SELECT broadcast_id, max(orders) AS orders, max(gmv_fen) AS gmv FROM ms GROUP BY broadcast_id, run_id),
totals AS (SELECT broadcast_id, sum(orders) AS orders, sum(gmv) AS gmv FROM runs GROUP BY broadcast_id),
watched AS (
    SELECT broadcast_id, max(viewers) AS peak, sum(viewers) AS viewer_sum, count(*) AS readings
    FROM ms GROUP BY broadcast_id
),
items AS (
    SELECT broadcast_id, count(*) AS planned, sum(explained) AS explained FROM report_item
    WHERE broadcast_id IN (SELECT broadcast_id FROM stale) GROUP BY broadcast_id
),
outs AS (SELECT broadcast_id, count(*) AS times FROM sellout GROUP BY broadcast_id)
SELECT stale.broadcast_id, coalesce(items.planned, 0), coalesce(items.explained, 0), coalesce(watched.peak, 0),
       coalesce(watched.viewer_sum, 0), coalesce(watched.readings, 0), coalesce(totals.orders, 0),
       coalesce(totals.gmv, 0), coalesce(outs.times, 0)
FROM stale
LEFT JOIN items ON items.broadcast_id = stale.broadcast_id
LEFT JOIN watched ON watched.broadcast_id = stale.broadcast_id
LEFT JOIN totals ON totals.broadcast_id = stale.broadcast_id
LEFT JOIN outs ON outs.broadcast_id = stale.broadcast_id
"""


BATCH = 50    # broadcasts per pass: the joins of a pass stay small (no index on a CTE), whatever the backlog


def refresh(conn: Connection) -> int:
    """Recompute the broadcasts noted stale; returns how many. Run inside the reader's transaction.

    On the connection, not through the session, so that the change stream does not
    announce the rollups as an edit (a screen would reload on its own report)."""
    if conn.execute(text("SELECT 1 FROM report_stale LIMIT 1")).first() is None:
        return 0
    conn.execute(text("CREATE TEMP TABLE IF NOT EXISTS report_batch (broadcast_id CHAR(32) PRIMARY KEY)"))
    done = 0
    while True:
        conn.execute(text("DELETE FROM temp.report_batch"))
        taken = conn.execute(text(
            f"INSERT INTO temp.report_batch SELECT broadcast_id FROM report_stale LIMIT {BATCH}")).rowcount
        if not taken:
            return done
        for table in ("report_item", "report_show"):
            conn.execute(text(f"DELETE FROM {table} WHERE broadcast_id IN (SELECT broadcast_id FROM temp.report_batch)"))
        conn.execute(text(_ITEMS))
        conn.execute(text(_SHOWS))
        conn.execute(text("DELETE FROM report_stale WHERE broadcast_id IN (SELECT broadcast_id FROM temp.report_batch)"))
        done += taken
