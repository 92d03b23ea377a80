"""What anchors ask for, time off and shift swaps, and the manager's decision on each."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.domain.enums import RequestStatus, ShiftStatus, TimeOffKind
from console.domain.errors import PermissionDenied, RosterBlocked, ValidationError
from console.domain.permissions import Permission
from console.domain.values import SwapOption, SwapRow, TimeOffRow
from console.i18n import msg
from console.rules.roster import TimeOffFacts, blocking, warnings
from console.services.roster._base import anchor_row, shift_plan, time_off_row, unique_messages
from console.services.roster.shifts import Shifts
from console.storage.ids import new_id
from console.storage.models import Anchor, Shift, ShiftSwap, TimeOff


class Requests(Shifts):
    """Anchors ask, managers decide; an approved swap moves the shift through the rules like any edit."""

    def request_time_off(self, *, starts_at: datetime, ends_at: datetime, reason: str = "",
                         kind: TimeOffKind = TimeOffKind.TIME_OFF,
                         anchor_id: UUID | None = None, confirm_stranded: bool = False) -> TimeOffRow:
        """Anchors ask for themselves; a manager may enter it for anyone, approved at once.

        Refused: an end before the start, a start before today, a start more
        than a year ahead, and time off longer than a year. A manager's entry,
        approved at once, asks first about the anchor's shifts booked inside it
        (see :meth:`decide_time_off`).
        """
        self._actor.require(Permission.REQUEST_TIME_OFF)
        self._check_time_off_range(starts_at, ends_at)
        manager = self._actor.may(Permission.EDIT_ROSTER)
        with self._db.begin() as s:
            own = self._own_anchor_id(s, required=not manager)
            target = anchor_id or own
            if target is None:
                raise ValidationError(msg("roster.time_off_whose", "Say whose time off this is."))
            if not manager and target != own:
                raise PermissionDenied(msg("roster.time_off_only_own",
                                           "An anchor may ask for time off only for themselves."))
            anchor = self._own(s, Anchor, target)
            booked = self._shifts_inside(s, anchor.id, starts_at, ends_at) if manager else []
            before = self._refusals(s, booked)
            row = TimeOff(store_id=self._store_scope(), anchor_id=anchor.id, kind=kind,
                          starts_at=starts_at, ends_at=ends_at, reason=reason.strip(),
                          status=RequestStatus.APPROVED if manager else RequestStatus.REQUESTED,
                          decided_by=self._actor.user_id if manager else None)
            s.add(row)
            s.flush()
            self._refuse_stranding(s, booked, before, confirm_stranded)
            self._audit(s, "time_off_requested", "time_off", row.id)
            return time_off_row(row, anchor.name)

    def decide_time_off(self, time_off_id: UUID, *, approve: bool, confirm_stranded: bool = False) -> TimeOffRow:
        """Approve or reject a request.

        Approving over the anchor's booked shifts raises :class:`ShiftsStranded`
        listing them, unless ``confirm_stranded`` says the manager has seen
        them; they are then flagged on the board until moved or reassigned.
        """
        self._actor.require(Permission.EDIT_ROSTER)
        with self._db.begin() as s:
            row = self._own(s, TimeOff, time_off_id)
            if row.status is not RequestStatus.REQUESTED:
                raise ValidationError(msg("roster.time_off_already_decided",
                                          "That time-off request was already decided."))
            booked = self._shifts_inside(s, row.anchor_id, row.starts_at, row.ends_at) if approve else []
            before = self._refusals(s, booked)
            row.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
            row.decided_by = self._actor.user_id
            s.flush()
            self._refuse_stranding(s, booked, before, confirm_stranded)
            self._audit(s, "time_off_decided", "time_off", row.id, approved=approve)
            return time_off_row(row, s.get(Anchor, row.anchor_id).name)

    def _check_time_off_range(self, starts_at: datetime, ends_at: datetime) -> None:
        # Through TimeOffFacts: a time without a zone is refused as the rules refuse it.
        TimeOffFacts(anchor_id=new_id(), starts_at=starts_at, ends_at=ends_at, approved=False)
        if ends_at <= starts_at:
            raise ValidationError(msg("roster.time_off_ends_before_start", "Time off must end after it starts."))
        zone = self._zone()
        today = datetime.now(zone).date()
        first = starts_at.astimezone(zone).date()
        last = (ends_at.astimezone(zone) - timedelta(microseconds=1)).date()
        if first < today:
            raise ValidationError(msg("roster.time_off_in_the_past",
                                      "Time off cannot start in the past: {first} is before today.", first=first))
        if first > _a_year_after(today):
            raise ValidationError(msg("roster.time_off_too_far_ahead",
                                      "Time off can be asked for up to a year ahead; {first} is further off.",
                                      first=first))
        if last >= _a_year_after(first):
            raise ValidationError(msg("roster.time_off_too_long",
                                      "Time off can last a year at most; this runs from {first} to {last}.",
                                      first=first, last=last))

    def _shifts_inside(self, s: Session, anchor_id: UUID, starts_at: datetime, ends_at: datetime) -> list[Shift]:
        """The anchor's booked shifts, not yet over, that share time with [starts_at, ends_at)."""
        return [sh for sh in self._upcoming_shifts(s, anchor_id=anchor_id)
                if sh.starts_at < ends_at and starts_at < sh.ends_at]

    def time_off_between(self, start: datetime, end: datetime) -> list[TimeOffRow]:
        self._actor.require(Permission.VIEW_STORE)
        with self._db.begin() as s:
            return self._time_off_rows(s, start, end)

    def request_swap(self, shift_id: UUID, *, to_anchor_id: UUID, reason: str = "") -> SwapRow:
        """Offer a published shift still to come to a colleague the rules allow to take it."""
        self._actor.require(Permission.REQUEST_TIME_OFF)
        with self._db.begin() as s:
            shift = self._swappable(s, shift_id)
            if to_anchor_id == shift.anchor_id:
                raise ValidationError(msg("roster.swap_needs_colleague", "Choose a colleague to swap with."))
            target = self._own(s, Anchor, to_anchor_id)
            context = self._context(s, shift.starts_at, shift.ends_at)
            found = context.check(replace(shift_plan(shift), anchor_id=target.id))
            blocks = unique_messages(v.message for v in blocking(found))
            if blocks:
                raise RosterBlocked(blocks)
            swap = ShiftSwap(store_id=self._store_scope(), shift_id=shift.id,
                             from_anchor_id=shift.anchor_id, to_anchor_id=target.id,
                             reason=reason.strip(), requested_by=self._actor.user_id)
            s.add(swap)
            s.flush()
            self._audit(s, "swap_requested", "shift_swap", swap.id)
            return self._swap_row(s, swap)

    def swap_options(self, shift_id: UUID) -> list[SwapOption]:
        """Each active colleague, judged by the rules as if the shift were theirs: the free ones first."""
        self._actor.require(Permission.REQUEST_TIME_OFF)
        with self._db.begin() as s:
            shift = self._swappable(s, shift_id)
            context = self._context(s, shift.starts_at, shift.ends_at)
            options = []
            for anchor in s.scalars(select(Anchor).where(
                    Anchor.store_id == self._store_scope(), Anchor.deleted_at.is_(None), Anchor.active.is_(True),
                    Anchor.id != shift.anchor_id).order_by(Anchor.code)):
                found = context.check(replace(shift_plan(shift), anchor_id=anchor.id))
                options.append(SwapOption(anchor=anchor_row(anchor),
                                          problems=tuple(unique_messages(v.message for v in blocking(found))),
                                          warnings=tuple(unique_messages(v.message for v in warnings(found)))))
        return sorted(options, key=lambda o: (bool(o.problems), bool(o.warnings)))

    def _swappable(self, s: Session, shift_id: UUID) -> Shift:
        """A shift its anchor (or a manager) may offer for a swap: published, still to come."""
        shift = self._live_shift(s, shift_id)
        if not self._actor.may(Permission.EDIT_ROSTER) and shift.anchor_id != self._own_anchor_id(s):
            raise PermissionDenied(msg("roster.swap_only_own",
                                       "An anchor may offer only their own shifts for a swap."))
        if shift.status is not ShiftStatus.PUBLISHED:
            raise ValidationError(msg("roster.swap_only_published", "Only a published shift can be swapped."))
        _refuse_started(shift)
        return shift

    def decide_swap(self, swap_id: UUID, *, approve: bool, override_reason: str | None = None) -> SwapRow:
        """Approving moves the shift to the colleague, through the rules like any edit."""
        self._actor.require(Permission.EDIT_ROSTER)
        with self._db.begin() as s:
            swap = self._own(s, ShiftSwap, swap_id)
            if swap.status is not RequestStatus.REQUESTED:
                raise ValidationError(msg("roster.swap_already_decided", "That swap request was already decided."))
            if approve:
                shift = self._live_shift(s, swap.shift_id)
                _refuse_started(shift)
                plan = replace(shift_plan(shift), anchor_id=swap.to_anchor_id)
                self._write_plan(s, plan, override_reason, shift)
            swap.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
            swap.decided_by = self._actor.user_id
            s.flush()
            self._audit(s, "swap_decided", "shift_swap", swap.id, approved=approve)
            return self._swap_row(s, swap)

    def swaps(self, *, open_only: bool = True) -> list[SwapRow]:
        self._actor.require(Permission.VIEW_STORE)
        with self._db.begin() as s:
            q = select(ShiftSwap).where(ShiftSwap.store_id == self._store_scope(),
                                        ShiftSwap.deleted_at.is_(None))
            if open_only:
                q = q.where(ShiftSwap.status == RequestStatus.REQUESTED)
            return [self._swap_row(s, sw) for sw in s.scalars(q.order_by(ShiftSwap.created_at))]

    def _swap_row(self, s: Session, sw: ShiftSwap) -> SwapRow:
        shift = s.get(Shift, sw.shift_id)
        return SwapRow(id=sw.id, shift_id=sw.shift_id, from_anchor_name=s.get(Anchor, sw.from_anchor_id).name,
                       to_anchor_id=sw.to_anchor_id, to_anchor_name=s.get(Anchor, sw.to_anchor_id).name,
                       shift_starts_at=shift.starts_at, reason=sw.reason, status=sw.status)


def _refuse_started(shift: Shift) -> None:
    if shift.starts_at <= datetime.now(UTC):
        raise ValidationError(msg("roster.swap_shift_started",
                                  "That shift has started already; only a shift still to come can be swapped."))


def _a_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:      # 29 February
        return day.replace(year=day.year + 1, day=28)
