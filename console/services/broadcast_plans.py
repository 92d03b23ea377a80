"""Planning broadcasts: a show's title, room and window on the calendar, and cancelling one.

The hosts are not set here: they are the anchors whose roster shifts name the
broadcast (:mod:`console.services.roster`), so the roster stays the one place
that says who works when. A plan is refused when its room already has another
show in that window; a window changed on a ready broadcast is checked by the
ready-gate again (papers must now last until the new end; the 7 days of the
reference price move with the start).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.domain.enums import BroadcastStatus
from console.domain.errors import NotFound, ValidationError
from console.domain.permissions import Permission
from console.domain.values import BroadcastRow
from console.i18n import msg
from console.services.base import Service
from console.services.broadcasts import STATUS_WORDS, BroadcastService
from console.services.limits import check_length, column_length
from console.storage.models import Broadcast, LiveRoom, PlatformAccount
from console.storage.types import utcnow

# A show longer than this is a typing slip (a day for an hour), not a plan.
MAX_SHOW = timedelta(hours=12)
# Cancelled and ended shows free their room's window.
_HOLDING_ROOM = (BroadcastStatus.PLANNED, BroadcastStatus.READY, BroadcastStatus.LIVE)


class BroadcastPlans(Service):
    def plan(self, *, title: str, room_id: UUID, starts_at: datetime, ends_at: datetime,
             brand: str = "", category: str = "", now: datetime | None = None) -> BroadcastRow:
        """A new planned broadcast in ``room_id`` over [starts_at, ends_at) (aware datetimes)."""
        self._actor.require(Permission.PLAN_BROADCASTS)
        title = self._checked_title(title)
        with self._db.begin() as s:
            room = self._room(s, room_id)
            self._check_window(s, room, starts_at, ends_at, now=now)
            accounts = s.scalars(select(PlatformAccount.id).where(
                PlatformAccount.store_id == self._store_scope(), PlatformAccount.room_id == room.id,
                PlatformAccount.deleted_at.is_(None)).order_by(PlatformAccount.handle)).all()
            broadcast = Broadcast(
                store_id=self._store_scope(), room_id=room.id, title=title,
                platform_account_ids=[str(a) for a in accounts], planned_start=starts_at, planned_end=ends_at,
                status=BroadcastStatus.PLANNED,
                brand=check_length(msg("broadcast_plans.brand_word", "brand"), brand.strip(),
                                   column_length(Broadcast.brand)),
                category=check_length(msg("broadcast_plans.category_word", "category"), category.strip(),
                                      column_length(Broadcast.category)))
            s.add(broadcast)
            s.flush()
            self._audit(s, "broadcast_planned", "broadcast", broadcast.id, title=title)
            broadcast_id = broadcast.id
        return BroadcastService(self._db, self._actor).get(broadcast_id)

    def reschedule(self, broadcast_id: UUID, *, title: str, room_id: UUID, starts_at: datetime,
                   ends_at: datetime, now: datetime | None = None) -> BroadcastRow:
        """Change a show still to come; a ready one the change breaks goes back to planned."""
        self._actor.require(Permission.PLAN_BROADCASTS)
        title = self._checked_title(title)
        with self._db.begin() as s:
            broadcast = self._before_the_show(s, broadcast_id)
            room = self._room(s, room_id)
            self._check_window(s, room, starts_at, ends_at, now=now, other_than=broadcast.id)
            broadcast.title, broadcast.room_id = title, room.id
            broadcast.planned_start, broadcast.planned_end = starts_at, ends_at
            self._audit(s, "broadcast_rescheduled", "broadcast", broadcast.id, title=title)
            BroadcastService(self._db, self._actor).unready_if_broken(s, broadcast.id)
        return BroadcastService(self._db, self._actor).get(broadcast_id)

    def cancel(self, broadcast_id: UUID) -> BroadcastRow:
        """Call a show off: it stays on the list as cancelled, its queue kept, its room's window free."""
        self._actor.require(Permission.PLAN_BROADCASTS)
        with self._db.begin() as s:
            broadcast = self._before_the_show(s, broadcast_id)
            broadcast.status = BroadcastStatus.CANCELLED
            self._audit(s, "broadcast_cancelled", "broadcast", broadcast.id, title=broadcast.title)
        return BroadcastService(self._db, self._actor).get(broadcast_id)

    # --- checks -----------------------------------------------------------------------
    def _checked_title(self, title: str) -> str:
        title = " ".join(title.split())
        if not title:
            raise ValidationError(msg("broadcast_plans.no_title", "Give the broadcast a title."))
        return check_length(msg("broadcast_plans.title_word", "title"), title, column_length(Broadcast.title))

    def _room(self, s: Session, room_id: UUID) -> LiveRoom:
        room = s.get(LiveRoom, room_id)
        if room is None or room.deleted_at is not None or room.store_id != self._store_scope():
            raise NotFound(msg("broadcast_plans.no_such_room", "That live room does not exist in this store."))
        if not room.active:
            raise ValidationError(msg("broadcast_plans.room_inactive",
                                      "{room} is no longer in use; choose another room.", room=room.name))
        return room

    def _before_the_show(self, s: Session, broadcast_id: UUID) -> Broadcast:
        broadcast = s.get(Broadcast, broadcast_id)
        if broadcast is None or broadcast.is_deleted or broadcast.store_id != self._store_scope():
            raise NotFound(msg("broadcasts.no_such_broadcast", "That broadcast does not exist in this store."))
        if broadcast.status not in (BroadcastStatus.PLANNED, BroadcastStatus.READY):
            raise ValidationError(msg("broadcast_plans.not_before_show",
                                      "{title} is {status}; only a show still to come can be changed or cancelled.",
                                      title=broadcast.title, status=STATUS_WORDS[broadcast.status]))
        return broadcast

    def _check_window(self, s: Session, room: LiveRoom, starts_at: datetime, ends_at: datetime, *,
                      now: datetime | None, other_than: UUID | None = None) -> None:
        if starts_at.tzinfo is None or ends_at.tzinfo is None:
            raise ValueError("broadcast times must be aware datetimes")
        if ends_at <= starts_at:
            raise ValidationError(msg("broadcast_plans.ends_before_start",
                                      "The broadcast must end after it starts."))
        if ends_at - starts_at > MAX_SHOW:
            raise ValidationError(msg("broadcast_plans.too_long", "A broadcast may be at most {hours} hours long.",
                                      hours=int(MAX_SHOW.total_seconds() // 3600)))
        if starts_at < (now or utcnow()):
            raise ValidationError(msg("broadcast_plans.in_the_past", "A broadcast can be planned only from now on."))
        clash = s.scalars(select(Broadcast).where(
            Broadcast.store_id == self._store_scope(), Broadcast.room_id == room.id,
            Broadcast.deleted_at.is_(None), Broadcast.status.in_(_HOLDING_ROOM),
            Broadcast.planned_start < ends_at, Broadcast.planned_end > starts_at,
            Broadcast.id != other_than if other_than is not None else Broadcast.id.is_not(None),
        ).order_by(Broadcast.planned_start)).first()
        if clash is not None:
            raise ValidationError(msg("broadcast_plans.room_taken",
                                      "{room} has {title} then ({start} to {end}); choose another time or room.",
                                      room=room.name, title=clash.title, start=clash.planned_start,
                                      end=clash.planned_end))
