"""The reports' projections: typed copies of the synced rows reports read, and each broadcast's rollups.

Every write of synced rows (a console's push, head office's own writes, the
demo) calls :func:`project` in the same transaction: the rows of the six
tables reports read are copied into typed tables (``report_broadcast``,
``report_queue_item``, ``report_run``, ``report_event``, ``report_snapshot``,
``report_host``), a tombstone removes its copy, and the broadcasts they touch
get their figures recomputed in SQL (``report_show``, ``report_item``) from
those copies, by the definitions of docs/reports.md. A report then sums a few
rows per broadcast instead of scanning millions of events. Why this and not
expression indexes or materialized views: docs/headoffice-reports.md.

The same SQL runs on PostgreSQL and SQLite: window functions, CASE instead of
GREATEST/max(a, b), and payload fields read in Python when the row is
projected, so no JSON function of either dialect is needed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, delete, insert, select, text
from sqlalchemy.orm import Session

from console.headoffice.models import (
    ReportBroadcast,
    ReportEvent,
    ReportHost,
    ReportItem,
    ReportQueueItem,
    ReportRun,
    ReportShow,
    ReportSnapshot,
    ReportStale,
    SyncedRow,
)

_BROADCAST = ReportBroadcast.__table__
_QUEUE_ITEM = ReportQueueItem.__table__
_RUN = ReportRun.__table__
_EVENT = ReportEvent.__table__
_SNAPSHOT = ReportSnapshot.__table__
_HOST = ReportHost.__table__
_STALE = ReportStale.__table__
_SHOW = ReportShow.__table__
_ITEM = ReportItem.__table__

PROJECTED_TABLES = ("broadcast", "queue_item", "show_run", "onair_event", "metric_snapshot", "shift")
_HOSTING = ("host", "co_host")
_CHUNK = 500


@dataclass(frozen=True)
class Change:
    """One synced row as written: its table, id, store and whole data (a tombstone has ``deleted_at``)."""

    table: str
    row_id: UUID
    store_id: UUID | None
    data: dict[str, Any]


# --- from wire values ------------------------------------------------------------------------------


def _uuid(value: Any) -> UUID | None:
    if value in (None, ""):
        return None
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except ValueError:
        return None


def _moment(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _integer(value: Any) -> int | None:
    """A payload number as the console's SQL reads it (CAST(... AS INTEGER)); None when there is none."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return int(value)
    if isinstance(value, str):
        try:
            return int(float(value.strip()))
        except ValueError:
            return None
    return None


def _whole_seconds(start: datetime | None, end: datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return int((end - start).total_seconds() // 1)


def _row(change: Change) -> dict[str, Any] | None:
    """The projection row of a live synced row, or None when it has none (tombstone, other table, unusable)."""
    data, store_id = change.data, change.store_id
    if data.get("deleted_at") is not None or store_id is None:
        return None
    if change.table == "broadcast":
        start, end = _moment(data.get("planned_start")), _moment(data.get("planned_end"))
        if start is None or end is None:
            return None
        accounts = data.get("platform_account_ids") or []
        return {"id": change.row_id, "store_id": store_id, "room_id": _uuid(data.get("room_id")),
                "title": data.get("title") or "", "status": str(data.get("status") or ""),
                "planned_start": start, "planned_seconds": _whole_seconds(start, end),
                "actual_seconds": _whole_seconds(_moment(data.get("actual_start")), _moment(data.get("actual_end"))),
                "brand": data.get("brand") or "", "category": data.get("category") or "",
                "platform_account_ids": [str(a) for a in accounts] if isinstance(accounts, list) else []}
    broadcast_id = _uuid(data.get("broadcast_id"))
    if broadcast_id is None:
        return None
    common = {"id": change.row_id, "store_id": store_id, "broadcast_id": broadcast_id}
    if change.table == "queue_item":
        return {**common, "product_id": _uuid(data.get("product_id")), "position": _integer(data.get("position")) or 0,
                "link_number": _integer(data.get("link_number")) or 0,
                "planned_seconds": _integer(data.get("planned_seconds")) or 0}
    if change.table == "show_run":
        return {**common, "rehearsal": bool(data.get("rehearsal"))}
    if change.table == "onair_event":
        at = _moment(data.get("at"))
        if at is None:
            return None
        payload = data.get("payload") if isinstance(data.get("payload"), dict) else {}
        return {**common, "run_id": _uuid(data.get("run_id")), "queue_item_id": _uuid(data.get("queue_item_id")),
                "kind": str(data.get("kind") or ""), "at": at, "seq": _integer(data.get("seq")) or 0,
                "seconds": _integer(payload.get("seconds")), "stock": _integer(payload.get("stock"))}
    if change.table == "metric_snapshot":
        at = _moment(data.get("at"))
        if at is None:
            return None
        return {**common, "run_id": _uuid(data.get("run_id")), "at": at,
                "viewers": _integer(data.get("viewers")) or 0, "orders": _integer(data.get("orders")) or 0,
                "gmv_fen": _integer(data.get("gmv_fen")) or 0}
    if change.table == "shift":
        anchor_id = _uuid(data.get("anchor_id"))
        if anchor_id is None or data.get("role") not in _HOSTING or data.get("status") == "withdrawn":
            return None
        return {"shift_id": change.row_id, "store_id": store_id, "broadcast_id": broadcast_id, "anchor_id": anchor_id}
    return None


_TABLE_OF = {"broadcast": _BROADCAST, "queue_item": _QUEUE_ITEM, "show_run": _RUN, "onair_event": _EVENT,
             "metric_snapshot": _SNAPSHOT, "shift": _HOST}


def _key(table: Any) -> Any:
    return table.c.shift_id if table is _HOST else table.c.id


def _broadcast_of(table: Any) -> Any:
    return table.c.id if table is _BROADCAST else table.c.broadcast_id


# --- keeping them ----------------------------------------------------------------------------------


def project(session: Session, changes: Iterable[Change]) -> int:
    """Bring the projections and rollups in step with these written rows; returns how many broadcasts
    were recomputed. Call in the transaction that wrote the rows."""
    by_table: dict[str, list[Change]] = {}
    for change in changes:
        if change.table in _TABLE_OF:
            by_table.setdefault(change.table, []).append(change)
    if not by_table:
        return 0
    stale: set[UUID] = set()
    for name, table_changes in by_table.items():
        table = _TABLE_OF[name]
        latest = {c.row_id: c for c in table_changes}      # the last write of a row in a batch wins
        ids = list(latest)
        rows = [row for c in latest.values() if (row := _row(c)) is not None]
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            # The broadcast a row belonged to before (a moved row leaves its old show stale too).
            stale.update(b for b in session.scalars(select(_broadcast_of(table)).where(_key(table).in_(chunk))))
            session.execute(delete(table).where(_key(table).in_(chunk)))
        if rows:
            session.execute(insert(table), rows)
            stale.update(row["id"] if table is _BROADCAST else row["broadcast_id"] for row in rows)
    if set(by_table) == {"shift"}:
        return 0            # hosts are read at report time; no figure of a show depends on them
    refresh(session, stale)
    return len(stale)


def refresh(session: Session, broadcast_ids: Iterable[UUID] | None) -> None:
    """Recompute the rollups of these broadcasts (None: every broadcast) from the projections."""
    conn = session.connection()
    if broadcast_ids is None:
        conn.execute(delete(_STALE))
        conn.execute(insert(_STALE).from_select(["broadcast_id"], select(_BROADCAST.c.id)))
    else:
        wanted = sorted(set(broadcast_ids))
        if not wanted:
            return
        # Only this transaction's own rows: on PostgreSQL, concurrent pushes of other stores fill the
        # table at the same time, each seeing only its own uncommitted rows.
        conn.execute(insert(_STALE), [{"broadcast_id": b} for b in wanted])
    for table in (_ITEM, _SHOW):
        conn.execute(delete(table).where(table.c.broadcast_id.in_(select(_STALE.c.broadcast_id))))
    conn.execute(_ITEMS_SQL)
    conn.execute(_SHOWS_SQL)
    conn.execute(delete(_STALE))


def rebuild(session: Session, *, chunk: int = 5000) -> int:
    """Project every synced row held again and recompute every rollup; returns the rows projected.

    For the rows the service held before the projections existed (the migration runs this) and
    whenever the projections are in doubt (``anchor-headoffice reports rebuild``).
    """
    conn = session.connection()
    return rebuild_connection(conn, chunk=chunk)


def rebuild_connection(conn: Connection, *, chunk: int = 5000, rollups: bool = True) -> int:
    """:func:`rebuild` on a connection. ``rollups=False`` projects the rows and leaves every broadcast in
    ``report_stale`` for :func:`refresh_stale` (migration 0006 does, so that the rollups are computed by
    the last migration that changes their tables, 0007, with this module's SQL)."""
    for table in (_ITEM, _SHOW, _STALE, *_TABLE_OF.values()):
        conn.execute(delete(table))
    synced = SyncedRow.__table__
    projected = 0
    for name in PROJECTED_TABLES:
        table = _TABLE_OF[name]
        last: UUID | None = None
        while True:
            query = (select(synced.c.row_id, synced.c.store_id, synced.c.data)
                     .where(synced.c.table_name == name, synced.c.deleted.is_(False))
                     .order_by(synced.c.row_id).limit(chunk))
            if last is not None:
                query = query.where(synced.c.row_id > last)
            found = conn.execute(query).all()
            if not found:
                break
            last = found[-1].row_id
            rows = [row for r in found if (row := _row(Change(name, r.row_id, r.store_id, r.data))) is not None]
            if rows:
                conn.execute(insert(table), rows)
                projected += len(rows)
    conn.execute(insert(_STALE).from_select(["broadcast_id"], select(_BROADCAST.c.id)))
    if rollups:
        refresh_stale(conn)
    return projected


def refresh_stale(conn: Connection) -> None:
    """Compute the rollups of the broadcasts in ``report_stale`` (which have none) and empty it."""
    conn.execute(_ITEMS_SQL)
    conn.execute(_SHOWS_SQL)
    conn.execute(delete(_STALE))


def changes_of(table: str, store_id: UUID | None, rows: Sequence[tuple[UUID, dict[str, Any]]]) -> list[Change]:
    return [Change(table, row_id, store_id, data) for row_id, data in rows]


# --- the rollups, in SQL ---------------------------------------------------------------------------
#
# The counted events and snapshots of the stale broadcasts (docs/reports.md, "What counts"): no run,
# or a run that is not a rehearsal and not tombstoned (a tombstoned run has left report_run).
# Which product each reading belongs to, in one ordered pass instead of a range join: marks (product
# started, ended, show ended) and readings of a run in time order, marks first at the same moment; the
# running count of marks numbers the stretches, and a stretch's first row is the mark that opened it.

_COUNTED = """
stale AS (SELECT broadcast_id FROM report_stale),
ev AS (
    SELECT e.broadcast_id, e.run_id, e.seq, e.kind, e.at, e.queue_item_id, e.seconds, e.stock
    FROM report_event e JOIN stale ON stale.broadcast_id = e.broadcast_id
    LEFT JOIN report_run r ON r.id = e.run_id
    WHERE e.run_id IS NULL OR (r.id IS NOT NULL AND r.rehearsal = :no)
),
ms AS (
    SELECT m.broadcast_id, m.run_id, m.at, m.viewers, m.orders, m.gmv_fen,
           m.orders - coalesce(max(m.orders) OVER earlier, 0) AS orders_rise,
           m.gmv_fen - coalesce(max(m.gmv_fen) OVER earlier, 0) AS gmv_rise
    FROM report_snapshot m JOIN stale ON stale.broadcast_id = m.broadcast_id
    LEFT JOIN report_run r ON r.id = m.run_id
    WHERE m.run_id IS NULL OR (r.id IS NOT NULL AND r.rehearsal = :no)
    WINDOW earlier AS (PARTITION BY m.broadcast_id, m.run_id ORDER BY m.at
                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
),
stream AS (
    SELECT broadcast_id, run_id, at, 0 AS reading, seq, kind AS mark, queue_item_id,
           CAST(NULL AS BIGINT) AS viewers, 0 AS orders_up, 0 AS gmv_up
    FROM ev WHERE kind IN ('product_started', 'product_ended', 'show_ended')
    UNION ALL
    SELECT broadcast_id, run_id, at, 1, 0, NULL, NULL, viewers,
           CASE WHEN orders_rise > 0 THEN orders_rise ELSE 0 END,
           CASE WHEN gmv_rise > 0 THEN gmv_rise ELSE 0 END
    FROM ms
),
numbered AS (
    SELECT stream.*,
           count(mark) OVER (PARTITION BY broadcast_id, run_id ORDER BY at, reading, seq
                             ROWS UNBOUNDED PRECEDING) AS stretch
    FROM stream
),
placed AS (
    SELECT reading, viewers, orders_up, gmv_up,
           first_value(mark) OVER opened AS opened_by,
           first_value(queue_item_id) OVER opened AS on_air
    FROM numbered
    WINDOW opened AS (PARTITION BY broadcast_id, run_id, stretch ORDER BY at, reading, seq
                      ROWS UNBOUNDED PRECEDING)
),
hit AS (
    SELECT on_air AS queue_item_id, viewers, orders_up, gmv_up FROM placed
    WHERE reading = 1 AND opened_by = 'product_started'
),
sellout AS (
    SELECT broadcast_id, queue_item_id FROM ev
    WHERE kind = 'sold_out' OR (kind = 'stock_changed' AND stock <= 0)
)
"""

_ITEMS_SQL = text(f"""
INSERT INTO report_item (queue_item_id, broadcast_id, product_id, planned_seconds, explained, actual_seconds,
                         peak_viewers, viewer_sum, readings, orders, gmv_fen, sold_out_times, first_in_show)
WITH {_COUNTED},
facts AS (
    SELECT q.id AS queue_item_id, 0 AS started, 0 AS seconds, CAST(NULL AS BIGINT) AS viewers, 0 AS readings, 0 AS orders_up,
           0 AS gmv_up, 0 AS outs
    FROM report_queue_item q JOIN stale ON stale.broadcast_id = q.broadcast_id
    UNION ALL
    SELECT queue_item_id, 1, 0, CAST(NULL AS BIGINT), 0, 0, 0, 0 FROM ev WHERE kind = 'product_started'
    UNION ALL
    SELECT queue_item_id, 0, seconds, CAST(NULL AS BIGINT), 0, 0, 0, 0 FROM ev WHERE kind = 'product_ended'
    UNION ALL
    SELECT queue_item_id, 0, 0, viewers, 1, orders_up, gmv_up, 0 FROM hit
    UNION ALL
    SELECT queue_item_id, 0, 0, CAST(NULL AS BIGINT), 0, 0, 0, 1 FROM sellout
)
SELECT q.id, q.broadcast_id, q.product_id, q.planned_seconds, max(f.started), coalesce(sum(f.seconds), 0),
       coalesce(max(f.viewers), 0), coalesce(sum(f.viewers), 0), sum(f.readings), sum(f.orders_up),
       sum(f.gmv_up), sum(f.outs),
       CASE WHEN row_number() OVER (PARTITION BY q.broadcast_id, q.product_id ORDER BY q.id) = 1 THEN 1 ELSE 0 END
FROM facts f JOIN report_queue_item q ON q.id = f.queue_item_id
WHERE q.broadcast_id IN (SELECT broadcast_id FROM stale)
GROUP BY q.id, q.broadcast_id, q.product_id, q.planned_seconds
""").bindparams(no=False)

_SHOWS_SQL = text(f"""
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
    SELECT i.broadcast_id, count(*) AS planned, sum(i.explained) AS explained
    FROM report_item i JOIN stale ON stale.broadcast_id = i.broadcast_id GROUP BY i.broadcast_id
),
outs AS (SELECT broadcast_id, count(*) AS times FROM sellout GROUP BY broadcast_id)
SELECT stale.broadcast_id, coalesce(items.planned, 0), coalesce(items.explained, 0), coalesce(watched.peak, 0),
       coalesce(watched.viewer_sum, 0), coalesce(watched.readings, 0), coalesce(totals.orders, 0),
       coalesce(totals.gmv, 0), coalesce(outs.times, 0)
FROM stale
JOIN report_broadcast b ON b.id = stale.broadcast_id
LEFT JOIN items ON items.broadcast_id = stale.broadcast_id
LEFT JOIN watched ON watched.broadcast_id = stale.broadcast_id
LEFT JOIN totals ON totals.broadcast_id = stale.broadcast_id
LEFT JOIN outs ON outs.broadcast_id = stale.broadcast_id
""").bindparams(no=False)
