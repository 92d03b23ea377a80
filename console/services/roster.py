"""Roster: anchors, live rooms and shifts of the store."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from console.domain.enums import Affiliation, Platform
from console.domain.errors import ValidationError
from console.domain.permissions import Permission
from console.domain.values import AnchorRow, RoomRow, ShiftRow
from console.services.base import Service
from console.storage.models import Anchor, LiveRoom, Shift


def _anchor_row(a: Anchor) -> AnchorRow:
    return AnchorRow(
        id=a.id, code=a.code, name=a.name, affiliation=a.affiliation, employer_brand=a.employer_brand,
        trained_brands=tuple(a.trained_brands), trained_categories=tuple(a.trained_categories),
        certification_expires=a.certification_expires, weekly_hours_cap=a.weekly_hours_cap,
        active=a.active,
    )


def _room_row(r: LiveRoom) -> RoomRow:
    return RoomRow(
        id=r.id, code=r.code, name=r.name, platforms=tuple(Platform(p) for p in r.platforms),
        opens_at=r.opens_at, closes_at=r.closes_at, active=r.active,
    )


class RosterService(Service):
    def anchors(self, *, include_inactive: bool = False) -> list[AnchorRow]:
        self._actor.require(Permission.VIEW_STORE)
        with self._db.begin() as s:
            q = select(Anchor).where(Anchor.store_id == self._store_scope(), Anchor.deleted_at.is_(None))
            if not include_inactive:
                q = q.where(Anchor.active.is_(True))
            return [_anchor_row(a) for a in s.scalars(q.order_by(Anchor.code))]

    def rooms(self) -> list[RoomRow]:
        self._actor.require(Permission.VIEW_STORE)
        with self._db.begin() as s:
            q = select(LiveRoom).where(LiveRoom.store_id == self._store_scope(), LiveRoom.deleted_at.is_(None))
            return [_room_row(r) for r in s.scalars(q.order_by(LiveRoom.code))]

    def shifts_between(self, start: datetime, end: datetime) -> list[ShiftRow]:
        self._actor.require(Permission.VIEW_STORE)
        with self._db.begin() as s:
            q = (
                select(Shift, Anchor.name, LiveRoom.name)
                .join(Anchor, Anchor.id == Shift.anchor_id)
                .join(LiveRoom, LiveRoom.id == Shift.room_id)
                .where(Shift.store_id == self._store_scope(), Shift.deleted_at.is_(None),
                       Shift.starts_at < end, Shift.ends_at > start)
                .order_by(Shift.starts_at)
            )
            return [
                ShiftRow(id=sh.id, anchor_id=sh.anchor_id, anchor_name=an, room_id=sh.room_id,
                         room_name=rn, role=sh.role, starts_at=sh.starts_at, ends_at=sh.ends_at,
                         status=sh.status, broadcast_id=sh.broadcast_id)
                for sh, an, rn in s.execute(q)
            ]

    def add_anchor(
        self, *, code: str, name: str, affiliation: Affiliation, employer_brand: str = "",
        trained_brands: tuple[str, ...] = (), trained_categories: tuple[str, ...] = (),
        certification_expires: date | None = None, weekly_hours_cap: int = 44,
    ) -> AnchorRow:
        self._actor.require(Permission.EDIT_ROSTER)
        code, name = code.strip(), name.strip()
        if not code or not name:
            raise ValidationError("An anchor needs a code and a name.")
        if not 1 <= weekly_hours_cap <= 80:
            raise ValidationError("The weekly-hours cap must be between 1 and 80.")
        with self._db.begin() as s:
            clash = s.scalar(select(Anchor.id).where(
                Anchor.store_id == self._store_scope(), Anchor.code == code))
            if clash:
                raise ValidationError(f"Anchor code {code} is already used in this store.")
            anchor = Anchor(
                store_id=self._store_scope(), code=code, name=name, affiliation=affiliation,
                employer_brand=employer_brand, trained_brands=list(trained_brands),
                trained_categories=list(trained_categories),
                certification_expires=certification_expires, weekly_hours_cap=weekly_hours_cap,
            )
            s.add(anchor)
            s.flush()
            self._audit(s, "anchor_added", "anchor", anchor.id, code=code)
            return _anchor_row(anchor)

    def week_hours(self, start: datetime) -> dict[str, float]:
        """Planned hours per anchor name in the 7 days from ``start``."""
        totals: dict[str, float] = {}
        for sh in self.shifts_between(start, start + timedelta(days=7)):
            totals[sh.anchor_name] = totals.get(sh.anchor_name, 0.0) + (
                (sh.ends_at - sh.starts_at).total_seconds() / 3600
            )
        return totals
