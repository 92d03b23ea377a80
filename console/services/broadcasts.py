"""Broadcasts and their run-of-show queues."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timezone
from uuid import UUID

from sqlalchemy import func, select

from console.domain.enums import BroadcastStatus, ShiftRole, ShiftStatus
from console.domain.errors import NotFound
from console.domain.permissions import Permission
from console.domain.values import BroadcastRow, QueueRow
from console.i18n import msg
from console.rules.on_air import has_after_sales_policy, may_go_on_air
from console.services.base import Service
from console.services.gate import quality_papers_count
from console.storage.models import Anchor, Broadcast, LiveRoom, Product, QueueItem, Shift, StoreProduct


class BroadcastService(Service):
    def upcoming(self, now: datetime | None = None, *, limit: int = 100) -> list[BroadcastRow]:
        now = now or datetime.now(timezone.utc)
        return self._list(Broadcast.planned_end >= now, Broadcast.planned_start.asc(), limit)

    def recent(self, now: datetime | None = None, *, limit: int = 100) -> list[BroadcastRow]:
        now = now or datetime.now(timezone.utc)
        return self._list(Broadcast.planned_end < now, Broadcast.planned_start.desc(), limit)

    def get(self, broadcast_id: UUID) -> BroadcastRow:
        rows = self._list(Broadcast.id == broadcast_id, Broadcast.planned_start.asc(), 1)
        if not rows:
            raise NotFound(msg("broadcasts.no_such_broadcast", "That broadcast does not exist in this store."))
        return rows[0]

    def _list(self, condition, order, limit: int) -> list[BroadcastRow]:  # type: ignore[no-untyped-def]
        self._actor.require(Permission.VIEW_STORE)
        sid = self._store_scope()
        with self._db.begin() as s:
            queue_len = (
                select(func.count()).where(QueueItem.broadcast_id == Broadcast.id,
                                           QueueItem.deleted_at.is_(None))
                .correlate(Broadcast).scalar_subquery()
            )
            q = (
                select(Broadcast, LiveRoom.name, queue_len)
                .join(LiveRoom, LiveRoom.id == Broadcast.room_id)
                .where(Broadcast.store_id == sid, Broadcast.deleted_at.is_(None), condition)
                .order_by(order).limit(limit)
            )
            found = s.execute(q).all()
            ids = [b.id for b, _, _ in found]
            hosts: dict[UUID, list[str]] = defaultdict(list)
            if ids:
                for bid, name in s.execute(
                    select(Shift.broadcast_id, Anchor.name).join(Anchor, Anchor.id == Shift.anchor_id)
                    .where(Shift.broadcast_id.in_(ids), Shift.deleted_at.is_(None),
                           Shift.status != ShiftStatus.WITHDRAWN,
                           Shift.role.in_([ShiftRole.HOST, ShiftRole.CO_HOST]))
                    .order_by(Shift.role, Anchor.name)
                ):
                    hosts[bid].append(name)
            return [
                BroadcastRow(id=b.id, title=b.title, room_name=room, planned_start=b.planned_start,
                             planned_end=b.planned_end, status=b.status, hosts=tuple(hosts[b.id]),
                             queue_length=n or 0, brand=b.brand, category=b.category)
                for b, room, n in found
            ]

    def queue(self, broadcast_id: UUID) -> list[QueueRow]:
        self._actor.require(Permission.VIEW_STORE)
        sid = self._store_scope()
        with self._db.begin() as s:
            q = (
                select(QueueItem, Product.name, Product.brand, Product.after_sales_policy,
                       StoreProduct.counter_price_fen, quality_papers_count())
                .join(Product, Product.id == QueueItem.product_id)
                .outerjoin(StoreProduct, (StoreProduct.product_id == Product.id)
                           & (StoreProduct.store_id == sid))
                .where(QueueItem.broadcast_id == broadcast_id, QueueItem.store_id == sid,
                       QueueItem.deleted_at.is_(None))
                .order_by(QueueItem.position)
            )
            return [
                QueueRow(id=qi.id, position=qi.position, link_number=qi.link_number,
                         product_id=qi.product_id, product_name=name, brand=brand,
                         live_price_fen=qi.live_price_fen, counter_price_fen=counter,
                         deal=qi.deal, planned_seconds=qi.planned_seconds, status=qi.status,
                         may_go_on_air=may_go_on_air(quality_papers=n or 0,
                                                     has_policy=has_after_sales_policy(policy)))
                for qi, name, brand, policy, counter, n in s.execute(q)
            ]

    def live_or_next(self, now: datetime | None = None) -> BroadcastRow | None:
        """The show on air now, else the next planned one."""
        now = now or datetime.now(timezone.utc)
        live = self._list(Broadcast.status == BroadcastStatus.LIVE, Broadcast.planned_start.asc(), 1)
        if live:
            return live[0]
        upcoming = self._list(
            (Broadcast.planned_end >= now) & (Broadcast.status == BroadcastStatus.PLANNED),
            Broadcast.planned_start.asc(), 1,
        )
        return upcoming[0] if upcoming else None
