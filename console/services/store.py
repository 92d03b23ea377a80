"""The store as a whole: identity and the numbers the overview shows."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from console.domain.calendar import week_start
from console.domain.enums import BroadcastStatus, ShiftStatus
from console.domain.permissions import Permission
from console.domain.values import StoreInfo, StoreSummary
from console.services import gate
from console.services.base import Service, load_store, store_info
from console.storage.models import (
    Anchor,
    Broadcast,
    LiveRoom,
    Product,
    Shift,
)


class StoreService(Service):
    def info(self) -> StoreInfo:
        with self._db.begin() as session:
            return store_info(load_store(session, self._store_scope()))

    def summary(self, now: datetime | None = None) -> StoreSummary:
        self._actor.require(Permission.VIEW_STORE)
        now = now or datetime.now(timezone.utc)
        sid = self._store_scope()
        with self._db.begin() as s:
            store = load_store(s, sid)
            live = Anchor.deleted_at.is_(None)
            anchors = s.scalar(select(func.count()).where(Anchor.store_id == sid, live, Anchor.active))
            rooms = s.scalar(
                select(func.count()).where(LiveRoom.store_id == sid, LiveRoom.deleted_at.is_(None))
            )
            products = s.scalar(select(func.count()).where(Product.deleted_at.is_(None)))
            blocked = s.scalar(
                select(func.count()).where(Product.deleted_at.is_(None), ~gate.may_go_on_air())
            )
            in_store = (Broadcast.store_id == sid) & Broadcast.deleted_at.is_(None)
            upcoming = s.scalar(
                select(func.count()).where(in_store, Broadcast.planned_start >= now,
                                           Broadcast.status == BroadcastStatus.PLANNED)
            )
            past = s.scalar(select(func.count()).where(in_store, Broadcast.status == BroadcastStatus.ENDED))
            start = week_start(now, store.timezone)
            shifts = s.scalar(
                select(func.count()).where(
                    Shift.store_id == sid, Shift.deleted_at.is_(None), Shift.status != ShiftStatus.WITHDRAWN,
                    Shift.starts_at >= start, Shift.starts_at < start + timedelta(days=7),
                )
            )
            return StoreSummary(
                store=store_info(store), anchors=anchors or 0, rooms=rooms or 0,
                products=products or 0, products_blocked=blocked or 0,
                upcoming_broadcasts=upcoming or 0, past_broadcasts=past or 0,
                shifts_this_week=shifts or 0,
            )
