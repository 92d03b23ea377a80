"""Head office's reports over the stores' synced rows: the console's kinds and columns, across stores.

Every figure is defined in docs/reports.md and computed in SQL: per broadcast
and per queue item by the projections (console.headoffice.projection), then
summed here with GROUP BY over the broadcasts in the range, each store's range
in its own time zone. Only the report's own rows (one per broadcast, anchor,
room, product or store) come back to Python. Which stores a report covers is
decided before it runs (:func:`choose_stores`): a scoped account is refused a
store it may not see, and its reports hold only its stores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any
from uuid import UUID

from sqlalchemy import Select, and_, case, exists, false, func, or_, select
from sqlalchemy.orm import Session, aliased

from console.domain.enums import Platform
from console.domain.errors import NotFound, PermissionDenied, ValidationError
from console.domain.reports import (
    BROADCAST_PRODUCTS,
    COLUMNS,
    HOST_SEPARATOR,
    KINDS,
    Figures,
    Report,
    ReportRange,
    ReportRow,
    report_range,
)
from console.headoffice.admin import DEFAULT_TIMEZONE
from console.headoffice.models import (
    CATALOG_SCOPE,
    ReportBroadcast,
    ReportHost,
    ReportItem,
    ReportQueueItem,
    ReportShow,
    Store,
    SyncedRow,
)
from console.i18n import msg
from console.i18n.formats import in_zone

RANKINGS = "rankings"
HEAD_OFFICE_KINDS = (*KINDS, RANKINGS)
RANKED = ("anchors", "products", "rooms")
RANKING_SIZE = 10
# Cross-store reports name each row's store; the console's columns come first, unchanged.
STORE_COLUMN = "store_code"
_WITH_STORE = frozenset({"broadcasts", "anchors", "rooms"})
RANKING_COLUMNS = ("ranking", "rank", "id", "code", "name", STORE_COLUMN, "broadcasts", "actual_seconds", "gmv",
                   "gmv_per_hour")

_B = ReportBroadcast.__table__
_S = ReportShow.__table__
_I = ReportItem.__table__
_H = ReportHost.__table__
_Q = ReportQueueItem.__table__
_ROW = SyncedRow.__table__


def columns_of(kind: str) -> tuple[str, ...]:
    if kind == RANKINGS:
        return RANKING_COLUMNS
    return (*COLUMNS[kind], STORE_COLUMN) if kind in _WITH_STORE else COLUMNS[kind]


@dataclass(frozen=True)
class ReportStore:
    id: UUID
    code: str
    name: str
    timezone: str


@dataclass(frozen=True)
class Filters:
    platform: str | None = None    # a Platform value: broadcasts on one of the stores' accounts on it
    room: str | None = None        # a live room's code
    brand: str | None = None
    category: str | None = None


# --- which stores ------------------------------------------------------------------------------------


def choose_stores(session: Session, visible: frozenset[UUID] | None, codes: Sequence[str] = ()) -> list[ReportStore]:
    """The stores a report covers: those named (all visible ones when none is), each checked.

    An unknown code is NotFound; a store the account may not see is PermissionDenied, and the
    refusal names only the code the caller sent, nothing of the store.
    """
    stores = {s.code: s for s in session.scalars(select(Store).order_by(Store.code))}
    wanted = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    for code in wanted:
        if code not in stores:
            raise NotFound(msg("ho_reports.unknown_store",
                               "There is no store {code}; `anchor-headoffice store list` shows the stores.",
                               code=code))
        if visible is not None and stores[code].id not in visible:
            raise PermissionDenied(msg("ho_reports.store_not_visible",
                                       "This account may not see store {code}'s reports.", code=code))
    chosen = [stores[c] for c in wanted] if wanted else [
        s for s in stores.values() if visible is None or s.id in visible]
    zones = _timezones(session, [s.id for s in chosen])
    return [ReportStore(s.id, s.code, s.name, zones.get(s.id, DEFAULT_TIMEZONE)) for s in chosen]


def _timezones(session: Session, store_ids: list[UUID]) -> dict[UUID, str]:
    if not store_ids:
        return {}
    zone = _ROW.c.data["timezone"].as_string()
    return {row_id: tz or DEFAULT_TIMEZONE for row_id, tz in session.execute(
        select(_ROW.c.row_id, zone).where(_ROW.c.table_name == "store", _ROW.c.scope_key == CATALOG_SCOPE,
                                          _ROW.c.row_id.in_(store_ids)))}


# --- the report -----------------------------------------------------------------------------------


def report(session: Session, kind: str, stores: Sequence[ReportStore], start: date | None = None,
           end: date | None = None, filters: Filters | None = None, *, today: date | None = None) -> Report:
    """The ``kind`` report over ``stores`` of the local dates ``start`` to ``end``, both inclusive."""
    if kind not in HEAD_OFFICE_KINDS:
        raise ValidationError(msg("ho_reports.unknown_kind", "There is no '{kind}' report; choose one of {kinds}.",
                                  kind=kind, kinds=", ".join(HEAD_OFFICE_KINDS)))
    filters = filters or Filters()
    if filters.platform and filters.platform not in {p.value for p in Platform}:
        raise ValidationError(msg("ho_reports.unknown_platform",
                                  "There is no platform '{platform}'; choose one of {platforms}.",
                                  platform=filters.platform, platforms=", ".join(p.value for p in Platform)))
    zone = stores[0].timezone if stores else DEFAULT_TIMEZONE
    chosen = report_range(start, end, today or in_zone(datetime.now(timezone.utc), zone).date())
    if kind == RANKINGS:
        rows = _rankings(session, stores, chosen, filters)
    elif kind == "broadcasts":
        rows = _broadcasts(session, stores, chosen, filters)
    elif kind == "products":
        rows = _products(session, stores, chosen, filters)
    else:
        rows = _groups(session, kind, stores, chosen, filters)
    return Report(kind=kind, range=chosen, timezone=zone, columns=columns_of(kind), rows=tuple(rows))


def _in_range(stores: Sequence[ReportStore], chosen: ReportRange) -> Any:
    """Counted broadcasts (ended, not tombstoned: a tombstone has left the projection) in each store's range."""
    if not stores:
        return false()
    bounds = []
    for store in stores:
        first, after = chosen.utc_bounds(store.timezone)
        bounds.append(and_(_B.c.store_id == store.id, _B.c.planned_start >= first, _B.c.planned_start < after))
    return and_(_B.c.status == "ended", or_(*bounds))


def _room_ids(session: Session, stores: Sequence[ReportStore], code: str) -> list[UUID]:
    found = list(session.scalars(select(_ROW.c.row_id).where(
        _ROW.c.table_name == "live_room", _ROW.c.deleted.is_(False),
        _ROW.c.store_id.in_([s.id for s in stores]), _ROW.c.data["code"].as_string() == code)))
    if not found:
        raise NotFound(msg("ho_reports.unknown_room", "There is no live room '{room}' in the stores chosen.",
                           room=code))
    return found


def _on_platform(session: Session, stores: Sequence[ReportStore], platform: str) -> Any:
    """As the console decides it: the broadcast lists one of its store's accounts on ``platform``."""
    accounts = [str(a) for a in session.scalars(select(_ROW.c.row_id).where(
        _ROW.c.table_name == "platform_account", _ROW.c.store_id.in_([s.id for s in stores]),
        _ROW.c.data["platform"].as_string() == platform))]
    if not accounts:
        return false()
    expand = (func.jsonb_array_elements_text if session.get_bind().dialect.name == "postgresql"
              else func.json_each)
    listed = expand(_B.c.platform_account_ids).table_valued("value")
    return exists(select(1).select_from(listed).where(listed.c.value.in_(accounts)))


def _shows(session: Session, stores: Sequence[ReportStore], chosen: ReportRange, filters: Filters, *,
           by_broadcast_fields: bool = True) -> Select[Any]:
    """One row per counted broadcast in range with its figures (zeros for a show with no rollup yet)."""
    actual = _B.c.actual_seconds
    query = (
        select(_B.c.id, _B.c.store_id, _B.c.room_id,
               _B.c.planned_seconds.label("planned"), actual.label("actual"),
               case((actual.is_not(None), _B.c.planned_seconds), else_=0).label("planned_of_actual"),
               func.coalesce(_S.c.products_planned, 0).label("products_planned"),
               func.coalesce(_S.c.products_explained, 0).label("products_explained"),
               func.coalesce(_S.c.peak_viewers, 0).label("peak"),
               func.coalesce(_S.c.viewer_sum, 0).label("viewer_sum"),
               func.coalesce(_S.c.readings, 0).label("readings"),
               func.coalesce(_S.c.orders, 0).label("orders"), func.coalesce(_S.c.gmv_fen, 0).label("gmv"),
               func.coalesce(_S.c.sold_out_times, 0).label("outs"))
        .select_from(_B).outerjoin(_S, _S.c.broadcast_id == _B.c.id)
        .where(_in_range(stores, chosen)))
    if filters.room:
        query = query.where(_B.c.room_id.in_(_room_ids(session, stores, filters.room)))
    if filters.platform:
        query = query.where(_on_platform(session, stores, filters.platform))
    if by_broadcast_fields and filters.brand:
        query = query.where(_B.c.brand == filters.brand)
    if by_broadcast_fields and filters.category:
        query = query.where(_B.c.category == filters.category)
    return query


def _sums(shows: Any) -> list[Any]:
    return [func.count().label("broadcasts"), func.sum(shows.c.planned).label("planned"),
            func.sum(shows.c.actual).label("actual"), func.sum(shows.c.planned_of_actual).label("planned_of_actual"),
            func.sum(shows.c.products_planned).label("products_planned"),
            func.sum(shows.c.products_explained).label("products_explained"),
            func.max(shows.c.peak).label("peak"), func.sum(shows.c.viewer_sum).label("viewer_sum"),
            func.sum(shows.c.readings).label("readings"), func.sum(shows.c.orders).label("orders"),
            func.sum(shows.c.gmv).label("gmv"), func.sum(shows.c.outs).label("outs")]


def _figures(r: Any) -> Figures:
    return Figures(broadcasts=int(r.broadcasts), planned_seconds=int(r.planned or 0),
                   actual_seconds=None if r.actual is None else int(r.actual),
                   products_planned=int(r.products_planned or 0), products_explained=int(r.products_explained or 0),
                   peak_viewers=int(r.peak or 0), viewer_sum=int(r.viewer_sum or 0), readings=int(r.readings or 0),
                   orders=int(r.orders or 0), gmv_fen=int(r.gmv or 0), sold_out_times=int(r.outs or 0),
                   planned_of_actual=int(r.planned_of_actual or 0))


def _field(table: str, name: str, key: Any, *, scope: str | None = None) -> Any:
    """A scalar subquery: field ``name`` of the synced ``table`` row with id ``key`` (names, codes)."""
    row = aliased(SyncedRow)
    query = select(row.data[name].as_string()).where(row.table_name == table, row.row_id == key)
    if scope is not None:
        query = query.where(row.scope_key == scope)
    return query.scalar_subquery()


def _codes(stores: Sequence[ReportStore]) -> dict[UUID, str]:
    return {s.id: s.code for s in stores}


def _broadcasts(session: Session, stores: Sequence[ReportStore], chosen: ReportRange,
                filters: Filters) -> list[ReportRow]:
    shows = _shows(session, stores, chosen, filters).add_columns(
        _B.c.title, _B.c.brand, _B.c.category, _B.c.planned_start, _B.c.platform_account_ids,
        _field("live_room", "code", _B.c.room_id).label("room_code"),
        _field("live_room", "name", _B.c.room_id).label("room_name"))
    found = session.execute(shows.order_by(_B.c.planned_start, _B.c.id)).all()
    ids = shows.with_only_columns(_B.c.id)
    hosts: dict[UUID, set[str]] = {}
    for broadcast_id, name in session.execute(
            select(_H.c.broadcast_id, _field("anchor", "name", _H.c.anchor_id)).distinct()
            .where(_H.c.broadcast_id.in_(ids))):
        hosts.setdefault(broadcast_id, set()).add(name or "")
    platform = _ROW.c.data["platform"].as_string()
    platform_of = {str(row_id): p for row_id, p in session.execute(
        select(_ROW.c.row_id, platform).where(_ROW.c.table_name == "platform_account",
                                              _ROW.c.store_id.in_([s.id for s in stores])))}
    zones = {s.id: s.timezone for s in stores}
    codes = _codes(stores)
    rows = []
    for r in found:
        platforms = ",".join(sorted({platform_of[a] for a in (r.platform_account_ids or []) if a in platform_of}))
        start = in_zone(r.planned_start, zones[r.store_id]).isoformat(timespec="seconds")
        rows.append(ReportRow(r.id, (
            str(r.id), r.title, r.room_code or "", r.room_name or "", platforms,
            HOST_SEPARATOR.join(sorted(hosts.get(r.id, ()))), r.brand, r.category, start,
            *_figures(_one(r)).values(), codes[r.store_id])))
    return rows


@dataclass(frozen=True)
class _One:
    """A single broadcast's figures in the shape of a group's sums."""

    broadcasts: int
    planned: int
    actual: int | None
    planned_of_actual: int
    products_planned: int
    products_explained: int
    peak: int
    viewer_sum: int
    readings: int
    orders: int
    gmv: int
    outs: int


def _one(r: Any) -> _One:
    return _One(1, r.planned, r.actual, r.planned_of_actual, r.products_planned, r.products_explained, r.peak,
                r.viewer_sum, r.readings, r.orders, r.gmv, r.outs)


def _groups(session: Session, kind: str, stores: Sequence[ReportStore], chosen: ReportRange,
            filters: Filters) -> list[ReportRow]:
    shows = _shows(session, stores, chosen, filters).subquery("shows")
    codes = _codes(stores)
    if kind == "stores":
        query = select(shows.c.store_id.label("key"), shows.c.store_id, *_sums(shows)).group_by(shows.c.store_id)
        names = {s.id: (s.code, s.name) for s in stores}
    elif kind == "rooms":
        query = (select(shows.c.room_id.label("key"), shows.c.store_id, *_sums(shows))
                 .where(shows.c.room_id.is_not(None)).group_by(shows.c.room_id, shows.c.store_id))
        names = {}
    else:  # anchors: each host of a show counts it whole, an anchor with two shifts on it once
        hosted = select(_H.c.broadcast_id, _H.c.anchor_id).distinct().subquery("hosted")
        query = (select(hosted.c.anchor_id.label("key"), shows.c.store_id, *_sums(shows))
                 .select_from(shows).join(hosted, hosted.c.broadcast_id == shows.c.id)
                 .group_by(hosted.c.anchor_id, shows.c.store_id))
        names = {}
    found = session.execute(query).all()
    if kind != "stores":
        table = "live_room" if kind == "rooms" else "anchor"
        keys = [r.key for r in found]
        names = _names(session, table, keys)
    rows = []
    for r in found:
        code, name = names.get(r.key, ("", ""))
        values: tuple[Any, ...] = (str(r.key), code, name, *_figures(r).values())
        if kind in _WITH_STORE:
            values = (*values, codes[r.store_id])
        rows.append(ReportRow(r.key, values))
    gmv_at = COLUMNS[kind].index("gmv")
    rows.sort(key=lambda row: (-row.values[gmv_at], row.values[1], str(row.id)))
    return rows


def _names(session: Session, table: str, keys: Sequence[UUID]) -> dict[UUID, tuple[str, str]]:
    found: dict[UUID, tuple[str, str]] = {}
    code, name = _ROW.c.data["code"].as_string(), _ROW.c.data["name"].as_string()
    for start in range(0, len(keys), 500):
        for row_id, c, n in session.execute(select(_ROW.c.row_id, code, name).where(
                _ROW.c.table_name == table, _ROW.c.row_id.in_(keys[start:start + 500]))):
            found[row_id] = (c or "", n or "")
    return found


def _products(session: Session, stores: Sequence[ReportStore], chosen: ReportRange,
              filters: Filters) -> list[ReportRow]:
    shows = _shows(session, stores, chosen, filters, by_broadcast_fields=False).subquery("shows")
    sums = (
        select(_I.c.product_id,
               # One item of each product per show has first_in_show = 1: the shows that queued it.
               func.sum(_I.c.first_in_show).label("broadcasts"),
               func.sum(_I.c.planned_seconds).label("planned"), func.sum(_I.c.actual_seconds).label("actual"),
               func.count().label("queued"), func.sum(_I.c.explained).label("explained"),
               func.max(_I.c.peak_viewers).label("peak"), func.sum(_I.c.viewer_sum).label("viewer_sum"),
               func.sum(_I.c.readings).label("readings"), func.sum(_I.c.orders).label("orders"),
               func.sum(_I.c.gmv_fen).label("gmv"), func.sum(_I.c.sold_out_times).label("outs"))
        .select_from(_I).join(shows, shows.c.id == _I.c.broadcast_id)
        .group_by(_I.c.product_id)).subquery("sums")
    product = aliased(SyncedRow)
    brand, category = product.data["brand"].as_string(), product.data["category"].as_string()
    query = (
        select(sums, product.data["sku"].as_string().label("sku"), product.data["name"].as_string().label("name"),
               brand.label("brand"), category.label("category"))
        # Outer: a product the catalog does not hold (yet) still shows what it sold, without a name.
        .outerjoin(product, and_(product.table_name == "product", product.row_id == sums.c.product_id)))
    if filters.brand:
        query = query.where(brand == filters.brand)
    if filters.category:
        query = query.where(category == filters.category)
    rows = []
    for r in session.execute(query):
        figures = Figures(broadcasts=int(r.broadcasts), planned_seconds=int(r.planned), actual_seconds=int(r.actual),
                          products_planned=int(r.queued), products_explained=int(r.explained),
                          peak_viewers=int(r.peak), viewer_sum=int(r.viewer_sum), readings=int(r.readings),
                          orders=int(r.orders), gmv_fen=int(r.gmv), sold_out_times=int(r.outs),
                          planned_of_actual=int(r.planned))
        rows.append(ReportRow(r.product_id, ("" if r.product_id is None else str(r.product_id), r.sku or "", r.name or "", r.brand or "",
                                             r.category or "", *figures.values())))
    gmv_at = COLUMNS["products"].index("gmv")
    rows.sort(key=lambda row: (-row.values[gmv_at], row.values[1], str(row.id)))
    return rows


def _rankings(session: Session, stores: Sequence[ReportStore], chosen: ReportRange,
              filters: Filters) -> list[ReportRow]:
    """The top anchors, products and rooms by GMV per hour on air (those never on air last, left out)."""
    rows: list[ReportRow] = []
    for kind in RANKED:
        ranked = _products(session, stores, chosen, filters) if kind == "products" else \
            _groups(session, kind, stores, chosen, filters)
        columns = columns_of(kind)
        at = {name: columns.index(name) for name in
              ("broadcasts", "actual_seconds", "gmv", "gmv_per_hour", *(("sku", "product") if kind == "products"
                                                                          else ()))}
        on_air = [r for r in ranked if r.values[at["gmv_per_hour"]] is not None]
        on_air.sort(key=lambda r: (-r.values[at["gmv_per_hour"]], -r.values[at["gmv"]], r.values[1]))
        for rank, r in enumerate(on_air[:RANKING_SIZE], start=1):
            store = r.values[-1] if kind in _WITH_STORE else ""
            rows.append(ReportRow(r.id, (kind, rank, str(r.id), r.values[1], r.values[2], store,
                                         r.values[at["broadcasts"]], r.values[at["actual_seconds"]],
                                         r.values[at["gmv"]], r.values[at["gmv_per_hour"]])))
    return rows



# --- drill-down: one broadcast's products ---------------------------------------------------------------


def drill(session: Session, kind: str, stores: Sequence[ReportStore], visible: frozenset[UUID] | None,
          broadcast: UUID | str) -> Report:
    """``broadcast`` given with a report ``kind``: only the products kind drills down to one broadcast."""
    if kind != "products":
        raise ValidationError(msg("ho_reports.drill_products_only",
                                  "Only the products report drills down to one broadcast; ask for 'products'."))
    return broadcast_products(session, stores, visible, broadcast)


def broadcast_products(session: Session, stores: Sequence[ReportStore], visible: frozenset[UUID] | None,
                       broadcast: UUID | str) -> Report:
    """The console's drill-down: one row per queue item of a counted broadcast, in queue order.

    ``stores`` are the stores the report covers; a broadcast of a store the account may not see is
    PermissionDenied and the refusal says nothing of it, one of a visible store not chosen is NotFound.
    """
    try:
        broadcast_id = broadcast if isinstance(broadcast, UUID) else UUID(str(broadcast).strip())
    except ValueError:
        raise ValidationError(msg("ho_reports.bad_broadcast", "'{broadcast}' is not a broadcast's id.",
                                  broadcast=str(broadcast)[:64])) from None
    show = session.execute(select(_B.c.id, _B.c.store_id, _B.c.title).where(
        _B.c.id == broadcast_id, _B.c.status == "ended")).first()
    if show is not None and visible is not None and show.store_id not in visible:
        raise PermissionDenied(msg("ho_reports.broadcast_not_visible",
                                   "This account may not see that broadcast's store's reports."))
    chosen = {s.id: s for s in stores}
    if show is None or show.store_id not in chosen:
        raise NotFound(msg("ho_reports.no_such_show", "Broadcast {broadcast} is not in the reports: only ended, "
                           "not cancelled shows of the stores chosen are.", broadcast=str(broadcast_id)))
    product = aliased(SyncedRow)
    rows = session.execute(
        select(_Q.c.link_number, _I.c.product_id, product.data["sku"].as_string().label("sku"),
               product.data["name"].as_string().label("name"), product.data["brand"].as_string().label("brand"),
               product.data["category"].as_string().label("category"),
               _I.c.planned_seconds, _I.c.actual_seconds, _I.c.explained, _I.c.peak_viewers, _I.c.viewer_sum,
               _I.c.readings, _I.c.orders, _I.c.gmv_fen, _I.c.sold_out_times)
        .select_from(_I).join(_Q, _Q.c.id == _I.c.queue_item_id)
        .outerjoin(product, and_(product.table_name == "product", product.row_id == _I.c.product_id))
        .where(_I.c.broadcast_id == broadcast_id)
        .order_by(_Q.c.position, _Q.c.link_number, _Q.c.id)).all()
    out = []
    for r in rows:
        avg = r.viewer_sum // r.readings if r.readings else 0
        per_hour = r.gmv_fen * 3600 // r.actual_seconds if r.actual_seconds else None
        out.append(ReportRow(r.product_id, (
            r.link_number, "" if r.product_id is None else str(r.product_id), r.sku or "", r.name or "",
            r.brand or "", r.category or "", r.planned_seconds, r.actual_seconds, r.explained, r.peak_viewers,
            avg, r.orders, r.gmv_fen, per_hour, r.sold_out_times)))
    return Report(kind=BROADCAST_PRODUCTS, range=None, timezone=chosen[show.store_id].timezone,
                  columns=COLUMNS[BROADCAST_PRODUCTS], rows=tuple(out), title=show.title)
