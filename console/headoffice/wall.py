"""The live wall's data: every store's shows on air now, kept up to date from the synced rows pushes write.

One :class:`WallFeed` per service process follows the stores' scopes the way a
console pulls them: it remembers the version it has read in each store scope
and, when a scope's counter moves, reads only the rows after it (the
``(scope_key, version)`` index), so a poll every second costs one read of the
counters while nothing happens. Open, non-rehearsal ``show_run`` rows are the
shows on air; their latest ``product_started`` event (by ``seq``) names the
product, their latest ``metric_snapshot`` (by ``at``) the viewers, and the
running totals' largest readings the orders and GMV (docs/reports.md).
Names (store, room, hosts, product) are looked up by row id and cached until
a row of theirs changes.

The feed holds no web code: the dashboard's server-sent events read
:meth:`WallFeed.shows` after each :meth:`WallFeed.refresh` that changed it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from console.headoffice.models import CATALOG_SCOPE, ScopeCounter, Store, SyncedRow

# Rows whose arrival can change what the wall shows.
_FOLLOWED = ("show_run", "onair_event", "metric_snapshot", "broadcast", "live_room", "queue_item", "shift",
             "anchor")
_NAMED = ("broadcast", "live_room", "queue_item", "anchor", "product")
_HOST_ROLES = ("host", "co_host")
_PAGE = 2000
_STORE_PREFIX = "store:"


@dataclass(frozen=True)
class LiveShow:
    """One show on air, as the wall shows it."""

    run_id: UUID
    store_id: UUID
    store_code: str
    store_name: str
    broadcast_id: UUID
    title: str
    room: str
    hosts: tuple[str, ...]
    started_at: datetime
    product: str | None
    link_number: int | None
    viewers: int
    orders: int
    gmv_fen: int
    metrics_at: datetime | None

    def wire(self) -> dict[str, Any]:
        return {"run_id": str(self.run_id), "store_id": str(self.store_id), "store_code": self.store_code,
                "store_name": self.store_name, "broadcast_id": str(self.broadcast_id), "title": self.title,
                "room": self.room, "hosts": list(self.hosts), "started_at": self.started_at.isoformat(),
                "product": self.product, "link_number": self.link_number, "viewers": self.viewers,
                "orders": self.orders, "gmv_fen": self.gmv_fen,
                "metrics_at": self.metrics_at.isoformat() if self.metrics_at else None}


@dataclass
class _Run:
    """What the feed knows of one open run, updated row by row."""

    store_id: UUID
    broadcast_id: UUID
    room_id: UUID
    started_at: datetime
    queue_item_id: UUID | None = None
    product_seq: int = -1
    viewers: int = 0
    metrics_at: str = ""
    orders: int = 0
    gmv_fen: int = 0


def _uuid(value: Any) -> UUID | None:
    try:
        return UUID(str(value)) if value is not None else None
    except ValueError:
        return None


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _moment(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


class WallFeed:
    """The shows on air in every store, refreshed from the database by :meth:`refresh`."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._lock = threading.Lock()
        self._cursors: dict[str, int] | None = None     # store scope -> version read up to
        self._catalog_version = 0
        self._runs: dict[UUID, _Run] = {}
        self._stores: dict[UUID, tuple[str, str]] = {}
        self._names: dict[tuple[str, UUID], dict[str, Any] | None] = {}
        self._hosts: dict[UUID, tuple[str, ...]] = {}
        self._shows: tuple[LiveShow, ...] = ()
        self.version = 0    # goes up whenever the shows change

    # -- reading --------------------------------------------------------------

    def shows(self, visible: frozenset[UUID] | None = None) -> tuple[LiveShow, ...]:
        """The shows on air, of the ``visible`` stores only (None: every store), by store and start."""
        shows = self._shows
        if visible is None:
            return shows
        return tuple(show for show in shows if show.store_id in visible)

    # -- refreshing -----------------------------------------------------------

    def refresh(self) -> bool:
        """Read what was pushed since the last refresh; True if the shows changed."""
        with self._lock, self._sessions.begin() as session:
            counters = {key: version for key, version in session.execute(select(
                ScopeCounter.scope_key, ScopeCounter.version))}
            if self._cursors is None:
                touched = self._bootstrap(session, counters)
            else:
                touched = self._follow(session, counters)
            catalog = counters.get(CATALOG_SCOPE, 0)
            if catalog != self._catalog_version:
                self._catalog_version = catalog
                self._names = {key: row for key, row in self._names.items() if key[0] != "product"}
                touched = True
            if not touched:
                return False
            shows = self._build(session)
        if shows == self._shows:
            return False
        self._shows = shows
        self.version += 1
        return True

    def _bootstrap(self, session: Session, counters: dict[str, int]) -> bool:
        """The open runs as they stand, read once: each one's last product and metrics by run id."""
        self._cursors = {key: version for key, version in counters.items() if key.startswith(_STORE_PREFIX)}
        data = SyncedRow.data
        for found in session.execute(select(SyncedRow.data).where(
                SyncedRow.table_name == "show_run", SyncedRow.deleted.is_(False),
                data["ended_at"].as_string().is_(None))):
            self._open_run(found.data)
        for run_id, run in self._runs.items():
            events = session.execute(select(SyncedRow.data).where(
                SyncedRow.store_id == run.store_id, SyncedRow.table_name == "onair_event",
                SyncedRow.deleted.is_(False), data["run_id"].as_string() == str(run_id),
                data["kind"].as_string().in_(("product_started", "product_ended")))
                .order_by(data["seq"].as_integer().desc()).limit(1)).scalars()
            for event in events:
                self._apply_event(run, event)
            metrics = session.execute(select(SyncedRow.data).where(
                SyncedRow.store_id == run.store_id, SyncedRow.table_name == "metric_snapshot",
                SyncedRow.deleted.is_(False), data["run_id"].as_string() == str(run_id))).scalars()
            for metric in metrics:
                self._apply_metric(run, metric)
        return True

    def _follow(self, session: Session, counters: dict[str, int]) -> bool:
        assert self._cursors is not None
        touched = False
        for scope_key, version in counters.items():
            if not scope_key.startswith(_STORE_PREFIX):
                continue
            cursor = self._cursors.get(scope_key, 0)
            while cursor < version:
                page = session.execute(select(
                    SyncedRow.table_name, SyncedRow.row_id, SyncedRow.store_id, SyncedRow.version,
                    SyncedRow.deleted, SyncedRow.data).where(
                    SyncedRow.scope_key == scope_key, SyncedRow.version > cursor, SyncedRow.version <= version,
                    SyncedRow.table_name.in_(_FOLLOWED)).order_by(SyncedRow.version).limit(_PAGE)).all()
                for row in page:
                    touched |= self._apply(row.table_name, row.row_id, row.deleted, row.data)
                # A short page means nothing followed is left below ``version`` (other tables' rows are).
                cursor = page[-1].version if len(page) == _PAGE else version
            self._cursors[scope_key] = cursor
        return touched

    # -- applying rows ----------------------------------------------------------

    def _open_run(self, data: dict[str, Any]) -> bool:
        run_id, store_id = _uuid(data.get("id")), _uuid(data.get("store_id"))
        broadcast_id, room_id = _uuid(data.get("broadcast_id")), _uuid(data.get("room_id"))
        started_at = _moment(data.get("started_at"))
        if None in (run_id, store_id, broadcast_id, room_id, started_at) or data.get("rehearsal"):
            return False
        assert run_id and store_id and broadcast_id and room_id and started_at
        if run_id not in self._runs:
            self._runs[run_id] = _Run(store_id, broadcast_id, room_id, started_at)
        return True

    def _apply(self, table: str, row_id: UUID, deleted: bool, data: dict[str, Any]) -> bool:
        if table == "show_run":
            if deleted or data.get("ended_at") is not None or data.get("rehearsal"):
                return self._runs.pop(row_id, None) is not None
            return self._open_run(data)
        if table in ("onair_event", "metric_snapshot"):
            run = self._runs.get(_uuid(data.get("run_id")))  # type: ignore[arg-type]
            if run is None or deleted:
                return False
            return self._apply_event(run, data) if table == "onair_event" else self._apply_metric(run, data)
        if table == "shift":
            broadcast_id = _uuid(data.get("broadcast_id"))
            return broadcast_id is not None and self._hosts.pop(broadcast_id, None) is not None
        return self._names.pop((table, row_id), None) is not None

    @staticmethod
    def _apply_event(run: _Run, data: dict[str, Any]) -> bool:
        kind, seq = data.get("kind"), _int(data.get("seq"))
        if kind not in ("product_started", "product_ended") or seq <= run.product_seq:
            return False
        item = _uuid(data.get("queue_item_id"))
        if kind == "product_ended" and item != run.queue_item_id:
            return False
        run.product_seq = seq
        run.queue_item_id = item if kind == "product_started" else None
        return True

    @staticmethod
    def _apply_metric(run: _Run, data: dict[str, Any]) -> bool:
        # Orders and GMV are running totals: the largest reading is the total, whatever came late.
        at = str(data.get("at") or "")
        orders, gmv = max(run.orders, _int(data.get("orders"))), max(run.gmv_fen, _int(data.get("gmv_fen")))
        viewers = _int(data.get("viewers")) if at >= run.metrics_at else run.viewers
        changed = (orders, gmv, viewers) != (run.orders, run.gmv_fen, run.viewers) or at > run.metrics_at
        run.orders, run.gmv_fen, run.viewers = orders, gmv, viewers
        run.metrics_at = max(run.metrics_at, at)
        return changed

    # -- names ----------------------------------------------------------------------

    def _named(self, session: Session, table: str, ids: Iterable[UUID | None]) -> dict[UUID, dict[str, Any]]:
        ids = list(ids)
        wanted = {i for i in ids if i is not None and (table, i) not in self._names}
        if wanted:
            found = {row_id: data for row_id, data in session.execute(select(SyncedRow.row_id, SyncedRow.data).where(
                SyncedRow.table_name == table, SyncedRow.row_id.in_(wanted), SyncedRow.deleted.is_(False)))}
            for row_id in wanted:
                self._names[(table, row_id)] = found.get(row_id)
        return {i: row for i in ids if i is not None and (row := self._names.get((table, i))) is not None}

    def _hosts_of(self, session: Session, runs: Iterable[_Run]) -> None:
        data = SyncedRow.data
        for run in runs:
            if run.broadcast_id in self._hosts:
                continue
            anchor_ids = [_uuid(d.get("anchor_id")) for d in session.execute(select(SyncedRow.data).where(
                SyncedRow.store_id == run.store_id, SyncedRow.table_name == "shift", SyncedRow.deleted.is_(False),
                data["broadcast_id"].as_string() == str(run.broadcast_id),
                data["role"].as_string().in_(_HOST_ROLES),
                data["status"].as_string() != "withdrawn")).scalars()]
            anchors = self._named(session, "anchor", anchor_ids)
            self._hosts[run.broadcast_id] = tuple(sorted({str(a.get("name", "")) for a in anchors.values()}))

    def _build(self, session: Session) -> tuple[LiveShow, ...]:
        runs = self._runs
        if any(run.store_id not in self._stores for run in runs.values()):
            self._stores = {s.id: (s.code, s.name) for s in session.execute(select(Store.id, Store.code, Store.name))}
        broadcasts = self._named(session, "broadcast", (r.broadcast_id for r in runs.values()))
        rooms = self._named(session, "live_room", (r.room_id for r in runs.values()))
        items = self._named(session, "queue_item", (r.queue_item_id for r in runs.values()))
        products = self._named(session, "product", (_uuid(i.get("product_id")) for i in items.values()))
        self._hosts_of(session, runs.values())
        shows = []
        for run_id, run in runs.items():
            code, name = self._stores.get(run.store_id, ("?", ""))
            broadcast = broadcasts.get(run.broadcast_id, {})
            item = items.get(run.queue_item_id) if run.queue_item_id else None
            product = products.get(_uuid(item.get("product_id"))) if item else None  # type: ignore[arg-type]
            shows.append(LiveShow(
                run_id=run_id, store_id=run.store_id, store_code=code, store_name=name,
                broadcast_id=run.broadcast_id, title=str(broadcast.get("title", "")),
                room=str(rooms.get(run.room_id, {}).get("name", "")), hosts=self._hosts.get(run.broadcast_id, ()),
                started_at=run.started_at, product=str(product["name"]) if product else None,
                link_number=_int(item.get("link_number")) if item else None, viewers=run.viewers,
                orders=run.orders, gmv_fen=run.gmv_fen, metrics_at=_moment(run.metrics_at)))
        return tuple(sorted(shows, key=lambda s: (s.store_code, s.started_at, str(s.run_id))))
