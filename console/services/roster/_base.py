"""What every part of the roster service stands on: the rules' view of the store, its rows as shown, its own rows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from uuid import UUID

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from console.domain.enums import Platform, RequestStatus, ShiftStatus
from console.domain.errors import NotFound, ShiftsStranded, ValidationError
from console.domain.values import AnchorRow, RoomRow, ShiftRow, TimeOffRow
from console.i18n import Message, msg
from console.rules.roster import (
    BLOCK_RULES,
    AnchorFacts,
    BroadcastFacts,
    RoomFacts,
    RosterContext,
    ShiftPlan,
    TimeOffFacts,
    blocking,
    warnings,
)
from console.services.roster.settings import RosterThresholds
from console.storage.models import Anchor, Broadcast, LiveRoom, Shift, ShiftSwap, ShiftTemplate, TimeOff, User

# Facts this far either side of a change are enough for every rule: rest
# looks a day around, weekly hours a week, days-in-a-row seven days back.
_CONTEXT_MARGIN = timedelta(days=8)


def anchor_row(a: Anchor) -> AnchorRow:
    return AnchorRow(
        id=a.id, code=a.code, name=a.name, affiliation=a.affiliation, employer_brand=a.employer_brand,
        trained_brands=tuple(a.trained_brands), trained_categories=tuple(a.trained_categories),
        certification_expires=a.certification_expires, weekly_hours_cap=a.weekly_hours_cap,
        active=a.active,
    )


def room_row(r: LiveRoom) -> RoomRow:
    return RoomRow(
        id=r.id, code=r.code, name=r.name, platforms=tuple(Platform(p) for p in r.platforms),
        opens_at=r.opens_at, closes_at=r.closes_at, active=r.active,
    )


def shift_plan(sh: Shift) -> ShiftPlan:
    return ShiftPlan(id=sh.id, anchor_id=sh.anchor_id, room_id=sh.room_id, role=sh.role,
                     starts_at=sh.starts_at, ends_at=sh.ends_at, broadcast_id=sh.broadcast_id)


def time_off_row(t: TimeOff, anchor_name: str) -> TimeOffRow:
    return TimeOffRow(id=t.id, anchor_id=t.anchor_id, anchor_name=anchor_name, kind=t.kind,
                      starts_at=t.starts_at, ends_at=t.ends_at, reason=t.reason, status=t.status)


# What _own says when a row is not this store's (or not there at all).
_NOT_IN_STORE: dict[type, Message] = {
    Anchor: msg("roster.no_such_anchor", "That anchor does not exist in this store."),
    LiveRoom: msg("roster.no_such_room", "That live room does not exist in this store."),
    Shift: msg("roster.no_such_shift", "That shift does not exist in this store."),
    Broadcast: msg("roster.no_such_broadcast", "That broadcast does not exist in this store."),
    ShiftTemplate: msg("roster.no_such_template", "That template does not exist in this store."),
    TimeOff: msg("roster.no_such_time_off", "That time-off request does not exist in this store."),
    ShiftSwap: msg("roster.no_such_swap", "That swap request does not exist in this store."),
}


def unique_messages(messages: Iterable[Message]) -> list[Message]:
    # One clash with a show's three shifts (host, co-host, controller) reads as one problem.
    # A Message holds its values in a dict and is not hashable, so it is keyed by its content.
    kept: dict[object, Message] = {}
    for message in messages:
        kept.setdefault(_content(message), message)
    return list(kept.values())


def _content(value: object) -> object:
    if isinstance(value, Message):
        return (value.id, value.template, value.plural, tuple((k, _content(v)) for k, v in value.values.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_content(v) for v in value)
    return value


class RosterBase(RosterThresholds):
    """The context the rules judge in, the shift queries and the row lookups that every part shares."""

    def _context(self, s: Session, start: datetime, end: datetime) -> RosterContext:
        settings = self._settings_for(s)
        lo, hi = start - _CONTEXT_MARGIN, end + _CONTEXT_MARGIN
        sid = self._store_scope()
        anchors = [
            AnchorFacts(id=a.id, name=a.name, trained_brands=frozenset(a.trained_brands),
                        trained_categories=frozenset(a.trained_categories),
                        certification_expires=a.certification_expires, weekly_hours_cap=a.weekly_hours_cap,
                        active=a.active)
            for a in s.scalars(select(Anchor).where(Anchor.store_id == sid, Anchor.deleted_at.is_(None)))
        ]
        rooms = [RoomFacts(id=r.id, name=r.name, opens_at=r.opens_at, closes_at=r.closes_at, active=r.active)
                 for r in s.scalars(select(LiveRoom).where(LiveRoom.store_id == sid,
                                                           LiveRoom.deleted_at.is_(None)))]
        # Plain columns, not ORM objects: a week's context reads ~900 shifts.
        shifts = [
            ShiftPlan(id=r.id, anchor_id=r.anchor_id, room_id=r.room_id, role=r.role,
                      starts_at=r.starts_at, ends_at=r.ends_at, broadcast_id=r.broadcast_id)
            for r in s.execute(
                select(Shift.id, Shift.anchor_id, Shift.room_id, Shift.role, Shift.starts_at,
                       Shift.ends_at, Shift.broadcast_id)
                .where(Shift.store_id == sid, Shift.deleted_at.is_(None), Shift.status != ShiftStatus.WITHDRAWN,
                       Shift.starts_at < hi, Shift.ends_at > lo))
        ]
        columns = (Broadcast.id, Broadcast.title, Broadcast.brand, Broadcast.category, Broadcast.room_id)
        found = {r.id: r for r in s.execute(select(*columns).where(
            Broadcast.store_id == sid, Broadcast.deleted_at.is_(None),
            Broadcast.planned_start < hi, Broadcast.planned_end > lo))}
        # A shift may belong to a show outside the window (rare): fetch those too.
        missing = {p.broadcast_id for p in shifts if p.broadcast_id and p.broadcast_id not in found}
        if missing:
            found.update({r.id: r for r in s.execute(select(*columns).where(Broadcast.id.in_(missing)))})
        broadcasts = [BroadcastFacts(id=r.id, title=r.title, brand=r.brand, category=r.category,
                                     room_id=r.room_id) for r in found.values()]
        time_off = [
            TimeOffFacts(anchor_id=t.anchor_id, starts_at=t.starts_at, ends_at=t.ends_at,
                         approved=t.status is RequestStatus.APPROVED)
            for t in s.scalars(select(TimeOff).where(
                TimeOff.store_id == sid, TimeOff.deleted_at.is_(None),
                TimeOff.starts_at < hi, TimeOff.ends_at > lo))
        ]
        return RosterContext(anchors=anchors, rooms=rooms, broadcasts=broadcasts, time_off=time_off,
                             shifts=shifts, settings=settings)

    def _shift_query(self, start: datetime, end: datetime, *, withdrawn: bool = False) -> Select[tuple[Shift]]:
        """Live shifts in [start, end); ``withdrawn`` adds those taken off but not yet published as removed."""
        q = select(Shift).where(Shift.store_id == self._store_scope(), Shift.deleted_at.is_(None),
                                Shift.starts_at < end, Shift.ends_at > start)
        return q if withdrawn else q.where(Shift.status != ShiftStatus.WITHDRAWN)

    def _upcoming_shifts(self, s: Session, *, anchor_id: UUID | None = None,
                         room_id: UUID | None = None) -> list[Shift]:
        """An anchor's or a room's booked shifts not yet over: what a change of their facts can strand."""
        q = select(Shift).where(Shift.store_id == self._store_scope(), Shift.deleted_at.is_(None),
                                Shift.status != ShiftStatus.WITHDRAWN, Shift.ends_at > datetime.now(UTC))
        if anchor_id is not None:
            q = q.where(Shift.anchor_id == anchor_id)
        if room_id is not None:
            q = q.where(Shift.room_id == room_id)
        return list(s.scalars(q.order_by(Shift.starts_at)))

    def _refusals(self, s: Session, shifts: Sequence[Shift]) -> dict[UUID, frozenset[str]]:
        """Which block rules each shift breaks as the facts stand in the session now."""
        if not shifts:
            return {}
        context = self._context(s, min(sh.starts_at for sh in shifts), max(sh.ends_at for sh in shifts))
        return {sh.id: frozenset(v.rule for v in context.check(shift_plan(sh), BLOCK_RULES)) for sh in shifts}

    def _refuse_stranding(self, s: Session, shifts: Sequence[Shift], before: dict[UUID, frozenset[str]],
                          confirmed: bool) -> None:
        """After a change is flushed: refuse it if it newly breaks booked shifts the manager has not seen.

        Compared by rule, not by sentence, so renaming an anchor whose shift
        was flagged already does not ask again.
        """
        after = self._refusals(s, shifts)
        broken = [sh for sh in shifts if after[sh.id] - before.get(sh.id, frozenset())]
        if not broken or confirmed:
            return
        context = self._context(s, min(sh.starts_at for sh in broken), max(sh.ends_at for sh in broken))
        names = self._names(s)
        raise ShiftsStranded([self._row(s, sh, context, names) for sh in broken])

    def _names(self, s: Session) -> dict[UUID, tuple[str, str]]:
        sid = self._store_scope()
        names = {a.id: (a.name, a.code) for a in s.execute(
            select(Anchor.id, Anchor.name, Anchor.code).where(Anchor.store_id == sid))}
        names.update({r.id: (r.name, r.code) for r in s.execute(
            select(LiveRoom.id, LiveRoom.name, LiveRoom.code).where(LiveRoom.store_id == sid))})
        return names

    def _row(self, s: Session, sh: Shift, context: RosterContext | None,
             names: dict[UUID, tuple[str, str]] | None = None) -> ShiftRow:
        names = names or self._names(s)
        live = sh.deleted_at is None and sh.status is not ShiftStatus.WITHDRAWN
        found = context.check(shift_plan(sh)) if context is not None and live else []
        # A shift already worked is history: nothing to move, so nothing to flag.
        problems = unique_messages(v.message for v in blocking(found)) if sh.ends_at > datetime.now(UTC) else []
        anchor_name, anchor_code = names.get(sh.anchor_id, ("?", "?"))
        room_name, room_code = names.get(sh.room_id, ("?", "?"))
        return ShiftRow(
            id=sh.id, anchor_id=sh.anchor_id, anchor_name=anchor_name, room_id=sh.room_id,
            room_name=room_name, role=sh.role, starts_at=sh.starts_at, ends_at=sh.ends_at,
            status=sh.status, broadcast_id=sh.broadcast_id, row_version=sh.row_version,
            changed_since_publish=(sh.status is ShiftStatus.PUBLISHED
                                   and sh.published_version not in (None, sh.row_version)),
            override_reason=sh.override_reason,
            warnings=tuple(v.message for v in warnings(found)),
            anchor_code=anchor_code, room_code=room_code, problems=tuple(problems),
        )

    def _time_off_rows(self, s: Session, start: datetime, end: datetime) -> list[TimeOffRow]:
        q = (select(TimeOff, Anchor.name).join(Anchor, Anchor.id == TimeOff.anchor_id)
             .where(TimeOff.store_id == self._store_scope(), TimeOff.deleted_at.is_(None),
                    TimeOff.starts_at < end, TimeOff.ends_at > start).order_by(TimeOff.starts_at))
        return [time_off_row(t, name) for t, name in s.execute(q)]

    def _own(self, s: Session, model: type, row_id: UUID):  # type: ignore[no-untyped-def]
        row = s.get(model, row_id)
        if row is None or row.is_deleted or row.store_id != self._store_scope():
            raise NotFound(_NOT_IN_STORE[model])
        return row

    def _live_shift(self, s: Session, shift_id: UUID) -> Shift:
        """A shift on the roster: one taken off (withdrawn, the removal not yet published) is not."""
        shift: Shift = self._own(s, Shift, shift_id)
        if shift.status is ShiftStatus.WITHDRAWN:
            raise NotFound(msg("roster.shift_withdrawn",
                               "That shift was taken off the roster; the change is not published yet."))
        return shift

    def _own_anchor_id(self, s: Session, *, required: bool = True) -> UUID | None:
        user = s.get(User, self._actor.user_id) if self._actor.user_id else None
        if user is None or user.anchor_id is None:
            if required:
                raise ValidationError(msg("roster.user_not_an_anchor",
                                          "Your user is not linked to an anchor on the roster."))
            return None
        return user.anchor_id
