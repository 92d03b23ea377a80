"""The roster's shifts: the week as read, and every edit, judged by the rules in the transaction that writes it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.domain.enums import ShiftRole, ShiftStatus
from console.domain.errors import DomainError, OverrideNeeded, RosterBlocked, ValidationError
from console.domain.permissions import Permission
from console.domain.values import (
    AnchorRow,
    CopyPreview,
    PlannedShiftVerdict,
    RoomRow,
    RosterChange,
    ShiftRow,
    TimeOffRow,
)
from console.i18n import Message, msg
from console.rules.roster import BLOCK_RULES, RosterContext, ShiftPlan, Violation, blocking, warnings
from console.services.roster._base import RosterBase, anchor_row, room_row, unique_messages
from console.storage.ids import new_id
from console.storage.models import Anchor, Broadcast, LiveRoom, Shift
from console.storage.outbox import tombstone


@dataclass(frozen=True)
class RosterWeek:
    """A week of the roster as a manager (or an anchor) may see it.

    ``context`` is immutable and pure Python: the week view checks a drag
    against it on the GUI thread in well under a millisecond, and the service
    checks again, authoritatively, when the drop is saved.
    """

    start: datetime
    end: datetime
    anchors: tuple[AnchorRow, ...]
    rooms: tuple[RoomRow, ...]
    shifts: tuple[ShiftRow, ...]
    time_off: tuple[TimeOffRow, ...]
    context: RosterContext
    # Published shifts taken off the roster, the removal not yet published: counted, not drawn.
    withdrawn: tuple[ShiftRow, ...] = ()
    # Anchors no longer active who still hold shifts this week: their lanes stay until the shifts move.
    former_anchors: tuple[AnchorRow, ...] = ()

    def hours_by_anchor(self) -> dict[UUID, float]:
        totals: dict[UUID, float] = {}
        for sh in self.shifts:
            inside = min(sh.ends_at, self.end) - max(sh.starts_at, self.start)
            totals[sh.anchor_id] = totals.get(sh.anchor_id, 0.0) + max(inside.total_seconds(), 0) / 3600
        return totals


@dataclass(frozen=True)
class PlannedShift:
    """A shift to create, as an import row, a template item or a copied shift gives it."""

    anchor_id: UUID
    room_id: UUID
    role: ShiftRole
    starts_at: datetime
    ends_at: datetime
    broadcast_id: UUID | None = None
    # Where it came from, for messages: "f.csv row 7", as text or a Message.
    label: str | Message = ""


class Shifts(RosterBase):
    """Reading and editing shifts: what the rules block is never written, a warning needs a reason."""

    def week(self, start: datetime) -> RosterWeek:
        """The seven days from ``start``: what a manager plans on, or an anchor reads."""
        self._actor.require(Permission.VIEW_STORE)
        end = start + timedelta(days=7)
        with self._db.begin() as s:
            context = self._context(s, start, end)
            anchors = tuple(anchor_row(a) for a in s.scalars(
                select(Anchor).where(Anchor.store_id == self._store_scope(), Anchor.deleted_at.is_(None),
                                     Anchor.active.is_(True)).order_by(Anchor.code)))
            rooms = tuple(room_row(r) for r in s.scalars(
                select(LiveRoom).where(LiveRoom.store_id == self._store_scope(),
                                       LiveRoom.deleted_at.is_(None)).order_by(LiveRoom.code)))
            shifts = tuple(self._shift_rows(s, start, end, context))
            time_off = tuple(self._time_off_rows(s, start, end))
            withdrawn: tuple[ShiftRow, ...] = ()
            former: tuple[AnchorRow, ...] = ()
            if self._actor.may(Permission.EDIT_ROSTER):
                withdrawn = tuple(self._row(s, sh, None) for sh in s.scalars(
                    self._shift_query(start, end, withdrawn=True).where(Shift.status == ShiftStatus.WITHDRAWN)))
                holding = {sh.anchor_id for sh in shifts} - {a.id for a in anchors}
                if holding:
                    former = tuple(anchor_row(a) for a in s.scalars(
                        select(Anchor).where(Anchor.id.in_(holding)).order_by(Anchor.code)))
        return RosterWeek(start=start, end=end, anchors=anchors, rooms=rooms, shifts=shifts,
                          time_off=time_off, context=context, withdrawn=withdrawn, former_anchors=former)

    def shifts_between(self, start: datetime, end: datetime) -> list[ShiftRow]:
        self._actor.require(Permission.VIEW_STORE)
        with self._db.begin() as s:
            return self._shift_rows(s, start, end, None)

    def week_hours(self, start: datetime) -> dict[str, float]:
        """Planned hours per anchor name in the 7 days from ``start``."""
        totals: dict[str, float] = {}
        for sh in self.shifts_between(start, start + timedelta(days=7)):
            totals[sh.anchor_name] = totals.get(sh.anchor_name, 0.0) + sh.hours
        return totals

    def my_shifts(self, start: datetime, end: datetime) -> list[ShiftRow]:
        """The signed-in anchor's own published shifts."""
        with self._db.begin() as s:
            anchor_id = self._own_anchor_id(s)
            rows = self._shift_rows(s, start, end, None, anchor_id=anchor_id)
        return [r for r in rows if r.status is ShiftStatus.PUBLISHED]

    def shifts_needing_attention(self, start: datetime, end: datetime) -> list[ShiftRow]:
        """Booked shifts in [start, end), not yet over, that the rules now refuse: the manager's list to fix.

        A shift lands here when the facts change under it (time off approved,
        its anchor deactivated, its room's hours changed or the room closed) and
        leaves once it is moved, reassigned or removed.
        """
        self._actor.require(Permission.EDIT_ROSTER)
        with self._db.begin() as s:
            context = self._context(s, start, end)
            after = max(start, datetime.now(UTC))
            flagged = [plan.id for plan in context.shifts()
                       if plan.starts_at < end and plan.ends_at > after and context.check(plan, BLOCK_RULES)]
            if not flagged:
                return []
            names = self._names(s)
            return [self._row(s, sh, context, names)
                    for sh in s.scalars(select(Shift).where(Shift.id.in_(flagged)).order_by(Shift.starts_at))]

    def check(self, shift: ShiftPlan) -> list[Violation]:
        """Judge a shift without saving it (the service's own, fresh view of the roster)."""
        self._actor.require(Permission.VIEW_STORE)
        with self._db.begin() as s:
            return self._context(s, shift.starts_at, shift.ends_at).check(shift)

    def add_shift(self, *, anchor_id: UUID, room_id: UUID, role: ShiftRole, starts_at: datetime,
                  ends_at: datetime, broadcast_id: UUID | None = None,
                  override_reason: str | None = None, shift_id: UUID | None = None) -> RosterChange:
        """A new draft shift; ``shift_id`` lets an undo/redo re-create the same row id."""
        self._actor.require(Permission.EDIT_ROSTER)
        plan = ShiftPlan(id=shift_id or new_id(), anchor_id=anchor_id, room_id=room_id, role=role,
                         starts_at=starts_at, ends_at=ends_at, broadcast_id=broadcast_id)
        with self._db.begin() as s:
            return self._add_plan(s, plan, override_reason)

    def restore_shifts(self, rows: Sequence[ShiftRow], *, override_reason: str | None = None) -> RosterChange:
        """Bring back shifts by their ids (redo of an added batch, undo of removals): all of them, or none.

        Each is judged with the ones before it in place and keeps its own
        override reason; ``override_reason`` is for those without one. One
        refused row refuses the whole batch, and nothing is written.
        """
        self._actor.require(Permission.EDIT_ROSTER)
        with self._db.begin() as s:
            done = [self._add_plan(s, _plan_of(row), row.override_reason or override_reason) for row in rows]
        return _merged(done)

    def _add_plan(self, s: Session, plan: ShiftPlan, override_reason: str | None) -> RosterChange:
        existing = s.get(Shift, plan.id)
        if existing is not None:
            gone = existing.is_deleted or existing.status is ShiftStatus.WITHDRAWN
            if existing.store_id != self._store_scope() or not gone:
                raise ValidationError(msg("roster.shift_exists", "That shift already exists."))
            # Redo of an undone creation, or undo of a removal: bring the same row back.
            return self._write_plan(s, plan, override_reason, existing, revive=True)
        return self._write_plan(s, plan, override_reason, None)

    def move_shift(self, shift_id: UUID, *, starts_at: datetime, ends_at: datetime,
                   anchor_id: UUID | None = None, room_id: UUID | None = None,
                   role: ShiftRole | None = None, override_reason: str | None = None) -> RosterChange:
        """Move or resize a shift (and optionally give it to another anchor or room)."""
        self._actor.require(Permission.EDIT_ROSTER)
        with self._db.begin() as s:
            shift = self._live_shift(s, shift_id)
            plan = ShiftPlan(id=shift.id, anchor_id=anchor_id or shift.anchor_id,
                             room_id=room_id or shift.room_id, role=role or shift.role,
                             starts_at=starts_at, ends_at=ends_at, broadcast_id=shift.broadcast_id)
            return self._write_plan(s, plan, override_reason, shift)

    def remove_shift(self, shift_id: UUID) -> RosterChange:
        """Take a shift off the roster.

        A draft is gone at once (no anchor has seen it). A published shift is
        withdrawn: off the board, still on its anchor's My shifts, and counted
        as a change to publish; publishing removes it for good. Adding it
        back with its id (undo) restores it as it was, published and
        unchanged if it was so.
        """
        self._actor.require(Permission.EDIT_ROSTER)
        with self._db.begin() as s:
            return self._remove(s, self._live_shift(s, shift_id))

    def remove_shifts(self, shift_ids: Sequence[UUID]) -> RosterChange:
        """Take several shifts off the roster (undo of an added batch): all of them, or none."""
        self._actor.require(Permission.EDIT_ROSTER)
        with self._db.begin() as s:
            return _merged([self._remove(s, self._live_shift(s, shift_id)) for shift_id in shift_ids])

    def _remove(self, s: Session, shift: Shift) -> RosterChange:
        withdrawn: tuple[ShiftRow, ...] = ()
        if shift.status is ShiftStatus.DRAFT:
            tombstone(shift)
        else:
            _keep_published_state(shift)
            shift.status = ShiftStatus.WITHDRAWN
        s.flush()
        self._audit(s, "shift_removed", "shift", shift.id)
        if shift.status is ShiftStatus.WITHDRAWN:
            withdrawn = (self._row(s, shift, None),)
        return RosterChange(removed_shift_ids=(shift.id,), withdrawn=withdrawn)

    def add_shifts(self, planned: Sequence[PlannedShift], *, override_reason: str | None = None,
                   action: str = "shifts_added", dry_run: bool = False,
                   skip_refused: bool = False) -> RosterChange:
        """Several new draft shifts, each judged with the others in place.

        All or nothing by default: every problem is reported at once,
        labelled with where the shift came from, so an import lists all its
        bad rows in one go. ``skip_refused`` adds the shifts the rules allow
        and leaves out the refused ones (a copied week after its preview).
        ``dry_run`` judges without writing. The override reason is recorded
        only on the shifts that warned.
        """
        self._actor.require(Permission.EDIT_ROSTER)
        if not planned:
            return RosterChange()
        with self._db.begin() as s:
            judged, context = self._judge_planned(s, planned, keep_refused=not skip_refused)
            problems = unique_messages(labelled(item.label, p) for item, _plan, blocks, _warned in judged
                                       for p in blocks)
            accepted = [(plan, bool(found)) for _item, plan, blocks, found in judged if plan is not None and not blocks]
            warned = unique_messages(labelled(item.label, w) for item, plan, blocks, found in judged
                                     if plan is not None and not blocks for w in found)
            if problems and not skip_refused:
                raise RosterBlocked(problems)
            if warned and not (override_reason and override_reason.strip()):
                raise OverrideNeeded(warned)
            if dry_run or not accepted:
                return RosterChange(warnings=tuple(warned))
            reason = (override_reason or "").strip()
            rows = [self._insert(s, plan, reason if own_warnings else "") for plan, own_warnings in accepted]
            s.flush()
            refused = len(planned) - len(accepted)
            self._audit(s, action, "shift", None, count=len(rows), **({"refused": refused} if refused else {}))
            names = self._names(s)
            return RosterChange(shifts=tuple(self._row(s, r, context, names) for r in rows),
                                warnings=tuple(warned))

    def preview_shifts(self, planned: Sequence[PlannedShift], *, all_or_nothing: bool = False) -> CopyPreview:
        """What :meth:`add_shifts` would make of ``planned``, shift by shift, writing nothing.

        ``all_or_nothing`` judges as an all-or-nothing :meth:`add_shifts` does
        (a refused shift still stands in the way of the ones after it); by
        default, as ``skip_refused`` does (a copy leaves the refused ones out).
        """
        self._actor.require(Permission.EDIT_ROSTER)
        if not planned:
            return CopyPreview()
        with self._db.begin() as s:
            judged, _context = self._judge_planned(s, planned, keep_refused=all_or_nothing)
            names = self._names(s)
            return CopyPreview(items=tuple(
                PlannedShiftVerdict(
                    anchor_id=item.anchor_id, anchor_name=names.get(item.anchor_id, ("?", "?"))[0],
                    room_id=item.room_id, room_name=names.get(item.room_id, ("?", "?"))[0], role=item.role,
                    starts_at=item.starts_at, ends_at=item.ends_at, problems=tuple(blocks), warnings=tuple(found))
                for item, _plan, blocks, found in judged))

    def _judge_planned(self, s: Session, planned: Sequence[PlannedShift], *, keep_refused: bool = False) -> tuple[
            list[tuple[PlannedShift, ShiftPlan | None, list[Message], list[Message]]], RosterContext]:
        """Each planned shift judged in order, with the ones before it that the rules allowed in place.

        ``keep_refused`` places refused ones too: when nothing will be written
        unless all pass, a clash between two rows is reported on the second.
        """
        context = self._context(s, min(p.starts_at for p in planned), max(p.ends_at for p in planned))
        judged: list[tuple[PlannedShift, ShiftPlan | None, list[Message], list[Message]]] = []
        for item in planned:
            try:
                if item.broadcast_id is not None:
                    self._own(s, Broadcast, item.broadcast_id)
                plan = ShiftPlan(id=new_id(), anchor_id=item.anchor_id, room_id=item.room_id,
                                 role=item.role, starts_at=item.starts_at, ends_at=item.ends_at,
                                 broadcast_id=item.broadcast_id)
                found = context.check(plan)
            except DomainError as exc:
                judged.append((item, None, [exc.message], []))
                continue
            blocks = unique_messages(v.message for v in blocking(found))
            judged.append((item, plan, blocks, unique_messages(v.message for v in warnings(found))))
            if keep_refused or not blocks:
                context = context.with_shift(plan)
        return judged, context

    def _write_plan(self, s: Session, plan: ShiftPlan, override_reason: str | None,
                    existing: Shift | None, *, revive: bool = False) -> RosterChange:
        if plan.broadcast_id is not None:
            self._own(s, Broadcast, plan.broadcast_id)
        context = self._context(s, plan.starts_at, plan.ends_at)
        if revive:
            context = context.without(plan.id)
        found = context.check(plan)
        if blocking(found):
            raise RosterBlocked(unique_messages(v.message for v in blocking(found)))
        warned = unique_messages(v.message for v in warnings(found))
        if warned and not (override_reason and override_reason.strip()):
            raise OverrideNeeded(warned)
        reason = (override_reason or "").strip() if warned else ""
        if existing is None:
            shift = self._insert(s, plan, reason)
            action = "shift_added"
        else:
            shift = existing
            as_it_was = (shift.anchor_id, shift.room_id, shift.role, shift.starts_at, shift.ends_at) == (
                plan.anchor_id, plan.room_id, plan.role, plan.starts_at, plan.ends_at)
            shift.anchor_id, shift.room_id, shift.role = plan.anchor_id, plan.room_id, plan.role
            shift.starts_at, shift.ends_at = plan.starts_at, plan.ends_at
            shift.override_reason = reason
            if revive:
                _restore_after_removal(shift, as_it_was=as_it_was)
            action = "shift_restored" if revive else "shift_moved"
        s.flush()
        self._audit(s, action, "shift", shift.id, override_reason=reason or None)
        return RosterChange(shifts=(self._row(s, shift, context.with_shift(plan)),),
                            warnings=tuple(warned))

    def _insert(self, s: Session, plan: ShiftPlan, override_reason: str) -> Shift:
        shift = Shift(id=plan.id, store_id=self._store_scope(), anchor_id=plan.anchor_id,
                      room_id=plan.room_id, role=plan.role, starts_at=plan.starts_at,
                      ends_at=plan.ends_at, broadcast_id=plan.broadcast_id,
                      status=ShiftStatus.DRAFT, override_reason=override_reason)
        s.add(shift)
        return shift

    def _shift_rows(self, s: Session, start: datetime, end: datetime, context: RosterContext | None,
                    *, anchor_id: UUID | None = None) -> list[ShiftRow]:
        manager = self._actor.may(Permission.EDIT_ROSTER)
        q = self._shift_query(start, end, withdrawn=not manager).order_by(Shift.starts_at)
        if anchor_id is not None:
            q = q.where(Shift.anchor_id == anchor_id)
        if not manager:
            q = q.where(Shift.status.in_((ShiftStatus.PUBLISHED, ShiftStatus.WITHDRAWN)))
        shifts = s.scalars(q).all()
        names = self._names(s)
        rows = [self._row(s, sh, context, names) for sh in shifts]
        if manager:
            return rows
        # Anchors read the roster as published: a shift taken off stays theirs until that is published.
        return [replace(r, status=ShiftStatus.PUBLISHED) if r.status is ShiftStatus.WITHDRAWN else r for r in rows]


def _keep_published_state(shift: Shift) -> None:
    """Keep "unchanged since publish" (published_version == row_version) through the next flush's version bump."""
    if shift.status is ShiftStatus.PUBLISHED and shift.published_version == shift.row_version:
        shift.published_version = shift.row_version + 1


def _restore_after_removal(shift: Shift, *, as_it_was: bool) -> None:
    """Bring back a removed shift (undo): published and unchanged again if it was so and comes back unmoved.

    A withdrawal whose removal was published already comes back as a draft:
    its anchor was told it is gone, so its return is news to publish.
    """
    if shift.status is ShiftStatus.WITHDRAWN:
        if shift.deleted_at is None:
            unchanged = shift.published_version == shift.row_version
            shift.status = ShiftStatus.PUBLISHED
            if unchanged and as_it_was:
                _keep_published_state(shift)
        else:
            shift.status, shift.published_version = ShiftStatus.DRAFT, None
    shift.deleted_at = None


def labelled(label: str | Message, message: Message) -> Message:
    """A finding prefixed by where its shift came from ("f.csv row 7: ..."); the label is kept as a value."""
    if not label:
        return message
    return msg("roster.labelled", "{label}: {problem}", label=label, problem=message)


def _plan_of(row: ShiftRow) -> ShiftPlan:
    return ShiftPlan(id=row.id, anchor_id=row.anchor_id, room_id=row.room_id, role=row.role,
                     starts_at=row.starts_at, ends_at=row.ends_at, broadcast_id=row.broadcast_id)


def _merged(changes: Sequence[RosterChange]) -> RosterChange:
    """One change for a batch: every shift as it ended up (a later step's row wins), every removal."""
    shifts: dict[UUID, ShiftRow] = {}
    for change in changes:
        for row in change.shifts:
            shifts[row.id] = row
    return RosterChange(
        shifts=tuple(shifts.values()),
        removed_shift_ids=tuple(i for c in changes for i in c.removed_shift_ids),
        warnings=tuple(unique_messages(w for c in changes for w in c.warnings)),
        withdrawn=tuple(w for c in changes for w in c.withdrawn))
