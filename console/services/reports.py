"""Reports: per broadcast, anchor, room, product and store over a date range, and one broadcast's timeline.

Every figure is defined in docs/reports.md. The events and snapshots are summed
in SQL into per-broadcast and per-queue-item rollups (console.storage.report_rollup),
brought up to date at the start of every report; a report then reads the rollups
of the broadcasts in its range. Anchors without the right to the store's figures
see only the shows they hosted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any
from uuid import UUID

from sqlalchemy import Select, column, exists, func, select, table
from sqlalchemy.orm import Session

from console.domain.enums import BroadcastStatus, OnAirEventKind, ShiftRole, ShiftStatus
from console.domain.errors import NotFound, PermissionDenied, ValidationError
from console.domain.permissions import Permission
from console.domain.reports import (
    BROADCAST_PRODUCTS,
    COLUMNS,
    HOST_SEPARATOR,
    KINDS,
    Figures,
    MetricReading,
    Report,
    ReportFilters,
    ReportRange,
    ReportRow,
    Segment,
    Timeline,
    report_range,
)
from console.domain.values import BroadcastReport
from console.i18n import msg
from console.i18n.formats import in_zone
from console.services.base import Service, load_store
from console.storage import report_rollup
from console.storage.models import (
    Anchor,
    Broadcast,
    LiveRoom,
    MetricSnapshot,
    OnAirEvent,
    PlatformAccount,
    Product,
    QueueItem,
    Shift,
    ShowRun,
    User,
)

_show = table("report_show", *(column(c) for c in (
    "broadcast_id", "products_planned", "products_explained", "peak_viewers", "viewer_sum", "readings", "orders",
    "gmv_fen", "sold_out_times")))
_item = table("report_item", *(column(c) for c in (
    "queue_item_id", "broadcast_id", "product_id", "planned_seconds", "explained", "actual_seconds",
    "peak_viewers", "viewer_sum", "readings", "orders", "gmv_fen", "sold_out_times")))
_HOSTING = (ShiftRole.HOST, ShiftRole.CO_HOST)


@dataclass(frozen=True, slots=True)
class FilterChoices:
    """What the screen's filters offer: the store's platforms, rooms, brands and categories on air."""

    platforms: tuple[str, ...]
    rooms: tuple[tuple[UUID, str], ...]
    brands: tuple[str, ...]
    categories: tuple[str, ...]
    timezone: str
    sees_everything: bool


@dataclass(frozen=True, slots=True)
class _Show:
    id: UUID
    title: str
    room_id: UUID
    room_code: str
    room: str
    platforms: str
    brand: str
    category: str
    start: datetime
    figures: Figures


class ReportService(Service):
    # --- the reports ---------------------------------------------------------------------------
    def report(self, kind: str, start: date | None = None, end: date | None = None,
               filters: ReportFilters | None = None, *, today: date | None = None) -> Report:
        """The ``kind`` report (one of :data:`KINDS`) of the local dates ``start`` to ``end``, both inclusive."""
        if kind not in KINDS:
            raise ValidationError(msg("reports.unknown_kind", "There is no '{kind}' report; choose one of {kinds}.",
                                      kind=kind, kinds=", ".join(KINDS)))
        filters = filters or ReportFilters()
        with self._db.begin() as s:
            own = self._own_anchor(s)
            zone = load_store(s, self._store_scope()).timezone
            chosen = report_range(start, end, today or in_zone(datetime.now(timezone.utc), zone).date())
            report_rollup.refresh(s.connection())
            if kind == "products":
                rows = self._products(s, chosen, zone, filters, own)
            else:
                shows = self._shows(s, chosen, zone, filters, own)
                rows = self._group(s, kind, shows, zone, own)
        return Report(kind=kind, range=chosen, timezone=zone, columns=COLUMNS[kind], rows=tuple(rows))

    def broadcast_products(self, broadcast_id: UUID) -> Report:
        """Drill-down: one row per queue item of a counted broadcast, in queue order."""
        with self._db.begin() as s:
            own = self._own_anchor(s)
            zone = load_store(s, self._store_scope()).timezone
            broadcast = self._counted(s, broadcast_id, own)
            report_rollup.refresh(s.connection())
            rows = s.execute(
                select(QueueItem.link_number, Product.id, Product.sku, Product.name, Product.brand, Product.category,
                       _item.c.planned_seconds, _item.c.actual_seconds, _item.c.explained, _item.c.peak_viewers,
                       _item.c.viewer_sum, _item.c.readings, _item.c.orders, _item.c.gmv_fen,
                       _item.c.sold_out_times)
                .join(_item, _item.c.queue_item_id == QueueItem.id)
                .join(Product, Product.id == QueueItem.product_id)
                .where(QueueItem.broadcast_id == broadcast.id, QueueItem.deleted_at.is_(None))
                .order_by(QueueItem.position, QueueItem.link_number)).all()
            out = []
            for r in rows:
                avg = r.viewer_sum // r.readings if r.readings else 0
                per_hour = r.gmv_fen * 3600 // r.actual_seconds if r.actual_seconds else None
                out.append(ReportRow(r.id, (r.link_number, str(r.id), r.sku, r.name, r.brand, r.category,
                                            r.planned_seconds, r.actual_seconds, r.explained, r.peak_viewers, avg,
                                            r.orders, r.gmv_fen, per_hour, r.sold_out_times)))
            return Report(kind=BROADCAST_PRODUCTS, range=None, timezone=zone, columns=COLUMNS[BROADCAST_PRODUCTS],
                          rows=tuple(out), title=broadcast.title)

    def timeline(self, broadcast_id: UUID) -> Timeline:
        """A counted broadcast's readings in time order and its products' stretches on air."""
        with self._db.begin() as s:
            own = self._own_anchor(s)
            zone = load_store(s, self._store_scope()).timezone
            broadcast = self._counted(s, broadcast_id, own)
            room = s.get(LiveRoom, broadcast.room_id)
            counted_metric = _counted_run(MetricSnapshot.run_id)
            readings = tuple(
                MetricReading(at=at, viewers=viewers, orders=orders, gmv_fen=gmv)
                for at, viewers, orders, gmv in s.execute(
                    select(MetricSnapshot.at, MetricSnapshot.viewers, MetricSnapshot.orders, MetricSnapshot.gmv_fen)
                    .where(MetricSnapshot.broadcast_id == broadcast.id, MetricSnapshot.deleted_at.is_(None),
                           counted_metric)
                    .order_by(MetricSnapshot.at)))
            marks = s.execute(
                select(OnAirEvent.run_id, OnAirEvent.kind, OnAirEvent.at, OnAirEvent.queue_item_id)
                .where(OnAirEvent.broadcast_id == broadcast.id, OnAirEvent.deleted_at.is_(None),
                       _counted_run(OnAirEvent.run_id),
                       OnAirEvent.kind.in_((OnAirEventKind.PRODUCT_STARTED, OnAirEventKind.PRODUCT_ENDED,
                                            OnAirEventKind.SHOW_ENDED)))
                .order_by(OnAirEvent.run_id, OnAirEvent.seq)).all()
            names = dict(s.execute(
                select(QueueItem.id, Product.name).join(Product, Product.id == QueueItem.product_id)
                .where(QueueItem.broadcast_id == broadcast.id)).all())
            links = dict(s.execute(select(QueueItem.id, QueueItem.link_number)
                                   .where(QueueItem.broadcast_id == broadcast.id)).all())
            segments: list[Segment] = []
            for i, mark in enumerate(marks):
                if mark.kind is not OnAirEventKind.PRODUCT_STARTED or mark.queue_item_id not in links:
                    continue
                after = marks[i + 1] if i + 1 < len(marks) and marks[i + 1].run_id == mark.run_id else None
                segments.append(Segment(start=mark.at, end=after.at if after else None,
                                        link_number=links[mark.queue_item_id],
                                        product=names.get(mark.queue_item_id, "")))
            segments.sort(key=lambda g: g.start)
            return Timeline(broadcast_id=broadcast.id, title=broadcast.title, room=room.name if room else "",
                            timezone=zone, planned_start=broadcast.planned_start, planned_end=broadcast.planned_end,
                            actual_start=broadcast.actual_start, actual_end=broadcast.actual_end,
                            readings=readings, segments=tuple(segments))

    def choices(self) -> FilterChoices:
        with self._db.begin() as s:
            own = self._own_anchor(s)
            sid = self._store_scope()
            zone = load_store(s, sid).timezone
            platforms = sorted({str(p) for p in s.scalars(
                select(PlatformAccount.platform).where(PlatformAccount.store_id == sid,
                                                       PlatformAccount.deleted_at.is_(None)))})
            rooms = tuple((r.id, r.name) for r in s.execute(
                select(LiveRoom.id, LiveRoom.name).where(LiveRoom.store_id == sid, LiveRoom.deleted_at.is_(None))
                .order_by(LiveRoom.code)))
            counted = _counted_broadcasts(sid)
            brands = tuple(b for b in s.scalars(counted.with_only_columns(Broadcast.brand).distinct()
                                                .order_by(Broadcast.brand)) if b)
            categories = tuple(c for c in s.scalars(counted.with_only_columns(Broadcast.category).distinct()
                                                    .order_by(Broadcast.category)) if c)
            return FilterChoices(platforms=tuple(platforms), rooms=rooms, brands=brands, categories=categories,
                                 timezone=zone, sees_everything=own is None)

    # --- the broadcasts in a range ---------------------------------------------------------------
    def _broadcasts_in(self, s: Session, chosen: ReportRange, zone: str, filters: ReportFilters,
                       own: UUID | None) -> Select[Any]:
        start, end = chosen.utc_bounds(zone)
        query = _counted_broadcasts(self._store_scope()).where(Broadcast.planned_start >= start,
                                                               Broadcast.planned_start < end)
        if filters.room_id is not None:
            query = query.where(Broadcast.room_id == filters.room_id)
        if filters.platform:
            accounts = [str(a) for a in s.scalars(select(PlatformAccount.id).where(
                PlatformAccount.store_id == self._store_scope(), PlatformAccount.platform == filters.platform))]
            listed = func.json_each(Broadcast.platform_account_ids).table_valued("value")
            query = query.where(exists(select(1).select_from(listed).where(listed.c.value.in_(accounts))))
        if own is not None:
            query = query.where(_hosted_by(own))
        return query

    def _shows(self, s: Session, chosen: ReportRange, zone: str, filters: ReportFilters,
               own: UUID | None) -> list[_Show]:
        query = self._broadcasts_in(s, chosen, zone, filters, own)
        if filters.brand:
            query = query.where(Broadcast.brand == filters.brand)
        if filters.category:
            query = query.where(Broadcast.category == filters.category)
        rows = s.execute(
            query.with_only_columns(
                Broadcast.id, Broadcast.title, Broadcast.room_id, LiveRoom.code, LiveRoom.name,
                Broadcast.platform_account_ids, Broadcast.brand, Broadcast.category, Broadcast.planned_start,
                Broadcast.planned_end, Broadcast.actual_start, Broadcast.actual_end, _show.c.products_planned,
                _show.c.products_explained, _show.c.peak_viewers, _show.c.viewer_sum, _show.c.readings,
                _show.c.orders, _show.c.gmv_fen, _show.c.sold_out_times)
            .join(LiveRoom, LiveRoom.id == Broadcast.room_id)
            .outerjoin(_show, _show.c.broadcast_id == Broadcast.id)
            .order_by(Broadcast.planned_start, Broadcast.id)).all()
        platform_of = {str(a): str(p) for a, p in s.execute(
            select(PlatformAccount.id, PlatformAccount.platform)
            .where(PlatformAccount.store_id == self._store_scope()))}
        shows = []
        for r in rows:
            planned = _whole_seconds(r.planned_start, r.planned_end)
            actual = (_whole_seconds(r.actual_start, r.actual_end)
                      if r.actual_start is not None and r.actual_end is not None else None)
            figures = Figures(
                broadcasts=1, planned_seconds=planned, actual_seconds=actual,
                products_planned=r.products_planned or 0, products_explained=r.products_explained or 0,
                peak_viewers=r.peak_viewers or 0, viewer_sum=r.viewer_sum or 0, readings=r.readings or 0,
                orders=r.orders or 0, gmv_fen=r.gmv_fen or 0, sold_out_times=r.sold_out_times or 0,
                planned_of_actual=planned if actual is not None else 0)
            platforms = ",".join(sorted({platform_of[a] for a in (r.platform_account_ids or []) if a in platform_of}))
            shows.append(_Show(id=r.id, title=r.title, room_id=r.room_id, room_code=r.code, room=r.name,
                               platforms=platforms, brand=r.brand, category=r.category,
                               start=in_zone(r.planned_start, zone), figures=figures))
        return shows

    def _group(self, s: Session, kind: str, shows: list[_Show], zone: str, own: UUID | None) -> list[ReportRow]:
        hosts = self._hosts(s, [show.id for show in shows]) if kind in ("broadcasts", "anchors") else {}
        if kind == "broadcasts":
            return [ReportRow(show.id, (
                str(show.id), show.title, show.room_code, show.room, show.platforms,
                HOST_SEPARATOR.join(sorted(name for _, _, name in hosts.get(show.id, ()))), show.brand,
                show.category, show.start.isoformat(timespec="seconds"), *show.figures.values()))
                for show in shows]
        groups: dict[UUID, list[Figures]] = defaultdict(list)
        keys: dict[UUID, tuple[str, ...]] = {}
        store = load_store(s, self._store_scope())
        for show in shows:
            if kind == "anchors":
                for anchor_id, code, name in hosts.get(show.id, ()):
                    if own is not None and anchor_id != own:
                        continue
                    groups[anchor_id].append(show.figures)
                    keys[anchor_id] = (code, name)
            elif kind == "rooms":
                groups[show.room_id].append(show.figures)
                keys[show.room_id] = (show.room_code, show.room)
            else:  # stores: the console holds one
                groups[store.id].append(show.figures)
                keys[store.id] = (store.code, store.name)
        rows = [ReportRow(key, (str(key), *keys[key], *Figures.total(parts).values()))
                for key, parts in groups.items()]
        rows.sort(key=lambda r: (-r.values[len(keys[r.id]) + 1 + 9], r.values[1]))
        return rows

    def _hosts(self, s: Session, broadcast_ids: list[UUID]) -> dict[UUID, set[tuple[UUID, str, str]]]:
        found: dict[UUID, set[tuple[UUID, str, str]]] = defaultdict(set)
        if not broadcast_ids:
            return found
        wanted = set(broadcast_ids)
        for bid, aid, code, name in s.execute(
                select(Shift.broadcast_id, Anchor.id, Anchor.code, Anchor.name)
                .join(Anchor, Anchor.id == Shift.anchor_id)
                .where(Shift.store_id == self._store_scope(), Shift.broadcast_id.is_not(None),
                       Shift.role.in_(_HOSTING), Shift.status != ShiftStatus.WITHDRAWN,
                       Shift.deleted_at.is_(None))):
            if bid in wanted:
                found[bid].add((aid, code, name))
        return found

    def _products(self, s: Session, chosen: ReportRange, zone: str, filters: ReportFilters,
                  own: UUID | None) -> list[ReportRow]:
        shows = self._broadcasts_in(s, chosen, zone, filters, own).with_only_columns(Broadcast.id).subquery()
        query = (
            select(Product.id, Product.sku, Product.name, Product.brand, Product.category,
                   func.count(func.distinct(_item.c.broadcast_id)).label("broadcasts"),
                   func.sum(_item.c.planned_seconds).label("planned"),
                   func.sum(_item.c.actual_seconds).label("actual"),
                   func.count().label("queued"), func.sum(_item.c.explained).label("explained"),
                   func.max(_item.c.peak_viewers).label("peak"), func.sum(_item.c.viewer_sum).label("viewer_sum"),
                   func.sum(_item.c.readings).label("readings"), func.sum(_item.c.orders).label("orders"),
                   func.sum(_item.c.gmv_fen).label("gmv"), func.sum(_item.c.sold_out_times).label("outs"))
            .select_from(_item)
            .join(shows, shows.c.id == _item.c.broadcast_id)
            .join(Product, Product.id == _item.c.product_id)
            .group_by(_item.c.product_id))
        if filters.brand:
            query = query.where(Product.brand == filters.brand)
        if filters.category:
            query = query.where(Product.category == filters.category)
        rows = []
        for r in s.execute(query.order_by(func.sum(_item.c.gmv_fen).desc(), Product.sku)):
            figures = Figures(broadcasts=r.broadcasts, planned_seconds=r.planned, actual_seconds=r.actual,
                              products_planned=r.queued, products_explained=r.explained, peak_viewers=r.peak,
                              viewer_sum=r.viewer_sum, readings=r.readings, orders=r.orders, gmv_fen=r.gmv,
                              sold_out_times=r.outs, planned_of_actual=r.planned)
            rows.append(ReportRow(r.id, (str(r.id), r.sku, r.name, r.brand, r.category, *figures.values())))
        return rows

    # --- who sees what ---------------------------------------------------------------------------
    def _own_anchor(self, s: Session) -> UUID | None:
        """None for someone who sees the store's figures; else the signed-in anchor, who sees their own."""
        if self._actor.may(Permission.VIEW_REPORTS):
            return None
        self._actor.require(Permission.VIEW_STORE)
        user = s.get(User, self._actor.user_id) if self._actor.user_id else None
        if user is None or user.anchor_id is None:
            raise PermissionDenied(msg("reports.anchors_only_own",
                                       "Sales figures are for store managers and head office; an anchor sees "
                                       "the shows they hosted."))
        return user.anchor_id

    def _counted(self, s: Session, broadcast_id: UUID, own: UUID | None) -> Broadcast:
        query = _counted_broadcasts(self._store_scope()).where(Broadcast.id == broadcast_id)
        if own is not None:
            query = query.where(_hosted_by(own))
        broadcast = s.scalars(query).first()
        if broadcast is None:
            raise NotFound(msg("reports.no_such_show", "That broadcast is not in the reports: only ended, "
                               "not cancelled shows of this store are."))
        return broadcast

    # --- the Reports screen's former list, kept for callers of it -----------------------------------
    def recent_broadcasts(self, now: datetime | None = None, *, limit: int = 50) -> list[BroadcastReport]:
        """The latest ended broadcasts with their figures."""
        self._actor.require(Permission.VIEW_REPORTS)
        now = now or datetime.now(timezone.utc)
        with self._db.begin() as s:
            report_rollup.refresh(s.connection())
            rows = s.execute(
                _counted_broadcasts(self._store_scope())
                .with_only_columns(Broadcast.id, Broadcast.title, Broadcast.planned_start, Broadcast.planned_end,
                                   Broadcast.actual_start, Broadcast.actual_end, _show.c.products_explained,
                                   _show.c.products_planned, _show.c.peak_viewers, _show.c.orders, _show.c.gmv_fen)
                .outerjoin(_show, _show.c.broadcast_id == Broadcast.id)
                .where(Broadcast.planned_start < now)
                .order_by(Broadcast.planned_start.desc()).limit(limit)).all()
            return [BroadcastReport(
                broadcast_id=r.id, title=r.title, planned_start=r.planned_start,
                planned_seconds=_whole_seconds(r.planned_start, r.planned_end),
                actual_seconds=(_whole_seconds(r.actual_start, r.actual_end)
                                if r.actual_start and r.actual_end else None),
                products_presented=r.products_explained or 0, products_planned=r.products_planned or 0,
                peak_viewers=r.peak_viewers or 0, orders=r.orders or 0, gmv_fen=r.gmv_fen or 0)
                for r in rows]


def _counted_broadcasts(store_id: UUID) -> Select[Any]:
    return select(Broadcast).where(Broadcast.store_id == store_id, Broadcast.deleted_at.is_(None),
                                   Broadcast.status == BroadcastStatus.ENDED)


def _hosted_by(anchor_id: UUID) -> Any:
    return exists(select(1).select_from(Shift).where(
        Shift.broadcast_id == Broadcast.id, Shift.anchor_id == anchor_id, Shift.role.in_(_HOSTING),
        Shift.status != ShiftStatus.WITHDRAWN, Shift.deleted_at.is_(None)))


def _counted_run(run_id: Any) -> Any:
    """A fact of the show itself: no run (recorded before runs were kept) or a real, not tombstoned run."""
    return run_id.is_(None) | run_id.in_(
        select(ShowRun.id).where(ShowRun.rehearsal.is_(False), ShowRun.deleted_at.is_(None)))


def _whole_seconds(start: datetime, end: datetime) -> int:
    return int((end - start).total_seconds() // 1)

