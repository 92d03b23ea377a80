"""Roster: anchors, live rooms, shifts, time off, swaps and templates, through the rules.

Every shift that is created or moved is judged by :mod:`console.rules.roster`
inside the transaction that writes it: a block refuses the change, a warning
needs the manager's reason, which is recorded on the shift.

What the rules found travels as :class:`~console.i18n.Message` values
(``RosterBlocked.problems``, ``OverrideNeeded.warnings``, ``warnings`` on a
change and on a shift row), rendered in the reader's language where shown.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, timezone
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from console.domain.enums import (
    Affiliation,
    Platform,
    RequestStatus,
    ShiftRole,
    ShiftStatus,
    TimeOffKind,
)
from console.domain.errors import (
    DomainError, NotFound, OverrideNeeded, PermissionDenied, RosterBlocked, ShiftsStranded, ValidationError,
)
from console.domain.permissions import Permission
from console.domain.values import (
    AnchorRow,
    CopyPreview,
    PlannedShiftVerdict,
    RoomRow,
    RosterChange,
    ShiftRow,
    SwapOption,
    SwapRow,
    TemplateRow,
    TimeOffRow,
)
from console.i18n import Message, msg
from console.rules.roster import (
    BLOCK_RULES,
    AnchorFacts,
    BroadcastFacts,
    RoomFacts,
    RosterContext,
    RosterSettings,
    ShiftPlan,
    TimeOffFacts,
    Violation,
    blocking,
    warnings,
)
from console.services import limits
from console.services.base import Service, load_store, read_setting, write_setting
from console.services.limits import check_length
from console.storage.db import Database
from console.storage.ids import new_id
from console.storage.models import (
    Anchor,
    Broadcast,
    LiveRoom,
    Shift,
    ShiftSwap,
    ShiftTemplate,
    TimeOff,
    User,
)
from console.storage.outbox import tombstone
from console.domain.permissions import Actor

# The rules' thresholds as LocalSetting keys. They are local to this console
# for now: LocalSetting is not synced, so head office and other consoles of
# the store keep their own (the defaults unless set there too).
_SETTING_KEYS = {
    "min_rest_hours": "roster.min_rest_hours",
    "max_on_air_minutes_per_day": "roster.max_on_air_minutes_per_day",
    "max_on_air_minutes_in_a_row": "roster.max_on_air_minutes_in_a_row",
    "max_days_in_a_row": "roster.max_days_in_a_row",
}

# Facts this far either side of a change are enough for every rule: rest
# looks a day around, weekly hours a week, days-in-a-row seven days back.
_CONTEXT_MARGIN = timedelta(days=8)


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


def _plan(sh: Shift) -> ShiftPlan:
    return ShiftPlan(id=sh.id, anchor_id=sh.anchor_id, room_id=sh.room_id, role=sh.role,
                     starts_at=sh.starts_at, ends_at=sh.ends_at, broadcast_id=sh.broadcast_id)


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


@dataclass(frozen=True)
class AnchorPublishChanges:
    """What publishing tells one anchor: their shifts added, changed and taken off, in time order."""

    anchor_id: UUID
    anchor_name: str
    anchor_code: str
    added: tuple[ShiftRow, ...] = ()
    changed: tuple[ShiftRow, ...] = ()
    removed: tuple[ShiftRow, ...] = ()

    @property
    def count(self) -> int:
        return len(self.added) + len(self.changed) + len(self.removed)


@dataclass(frozen=True)
class PublishSummary:
    """What :meth:`RosterService.publish` would publish in a window, anchor by anchor (by name)."""

    start: datetime
    end: datetime
    anchors: tuple[AnchorPublishChanges, ...] = ()

    @property
    def count(self) -> int:
        return sum(a.count for a in self.anchors)


class RosterService(Service):
    def __init__(self, db: Database, actor: Actor, settings: RosterSettings | None = None) -> None:
        super().__init__(db, actor)
        self._settings = settings
        self._timezone: str | None = settings.store_timezone if settings else None

    # --- people and rooms ---------------------------------------------------------
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

    def add_anchor(
        self, *, code: str, name: str, affiliation: Affiliation, employer_brand: str = "",
        trained_brands: tuple[str, ...] = (), trained_categories: tuple[str, ...] = (),
        certification_expires: date | None = None, weekly_hours_cap: int = 44,
    ) -> AnchorRow:
        self._actor.require(Permission.EDIT_ROSTER)
        code, name = tidy_code(code), name.strip()
        if not code or not name:
            raise ValidationError(msg("roster.anchor_needs_code_and_name", "An anchor needs a code and a name."))
        _check_cap(weekly_hours_cap)
        _check_anchor_lengths(code=code, name=name, employer_brand=employer_brand, trained_brands=trained_brands,
                              trained_categories=trained_categories)
        with self._db.begin() as s:
            clash = _same_code(code, s.scalars(select(Anchor.code).where(Anchor.store_id == self._store_scope())))
            if clash == code:
                raise ValidationError(msg("roster.anchor_code_taken",
                                          "Anchor code {code} is already used in this store.", code=code))
            if clash is not None:
                raise ValidationError(msg("roster.anchor_code_taken_as",
                                          "Anchor code {code} is already used in this store, written {taken}: "
                                          "codes that differ only in capitals or character width are the same.",
                                          code=code, taken=clash))
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

    def update_anchor(
        self, anchor_id: UUID, *, name: str | None = None, trained_brands: Sequence[str] | None = None,
        trained_categories: Sequence[str] | None = None, certification_expires: date | None = None,
        weekly_hours_cap: int | None = None, active: bool | None = None,
        clear_certification: bool = False, confirm_stranded: bool = False,
    ) -> AnchorRow:
        """Change what is given; ``clear_certification`` removes the expiry (None means "keep").

        A change that leaves the anchor's booked shifts refused by the rules
        (deactivating them, an earlier certification expiry, training taken
        away) raises :class:`ShiftsStranded` listing those shifts, unless
        ``confirm_stranded`` says the manager has seen them; they are then
        flagged on the board until moved or reassigned.
        """
        self._actor.require(Permission.EDIT_ROSTER)
        _check_anchor_lengths(name=name.strip() if name is not None else None, trained_brands=trained_brands or (),
                              trained_categories=trained_categories or ())
        with self._db.begin() as s:
            anchor = self._own(s, Anchor, anchor_id)
            booked = self._upcoming_shifts(s, anchor_id=anchor.id)
            before = self._refusals(s, booked)
            if name is not None:
                if not name.strip():
                    raise ValidationError(msg("roster.anchor_needs_name", "An anchor needs a name."))
                anchor.name = name.strip()
            if trained_brands is not None:
                anchor.trained_brands = sorted({b.strip() for b in trained_brands if b.strip()})
            if trained_categories is not None:
                anchor.trained_categories = sorted({c.strip() for c in trained_categories if c.strip()})
            if clear_certification:
                anchor.certification_expires = None
            elif certification_expires is not None:
                anchor.certification_expires = certification_expires
            if weekly_hours_cap is not None:
                _check_cap(weekly_hours_cap)
                anchor.weekly_hours_cap = weekly_hours_cap
            if active is not None:
                anchor.active = active
            s.flush()
            self._refuse_stranding(s, booked, before, confirm_stranded)
            self._audit(s, "anchor_updated", "anchor", anchor.id)
            return _anchor_row(anchor)

    def add_room(self, *, code: str, name: str, platforms: Sequence[Platform] = (),
                 opens_at: time = time(9, 0), closes_at: time = time(23, 0)) -> RoomRow:
        self._actor.require(Permission.EDIT_ROSTER)
        code, name = tidy_code(code), name.strip()
        if not code or not name:
            raise ValidationError(msg("roster.room_needs_code_and_name", "A live room needs a code and a name."))
        _check_room_lengths(code=code, name=name)
        with self._db.begin() as s:
            clash = _same_code(code, s.scalars(select(LiveRoom.code).where(LiveRoom.store_id == self._store_scope())))
            if clash == code:
                raise ValidationError(msg("roster.room_code_taken", "Room code {code} is already used in this store.",
                                          code=code))
            if clash is not None:
                raise ValidationError(msg("roster.room_code_taken_as",
                                          "Room code {code} is already used in this store, written {taken}: "
                                          "codes that differ only in capitals or character width are the same.",
                                          code=code, taken=clash))
            room = LiveRoom(store_id=self._store_scope(), code=code, name=name,
                            platforms=_platform_values(platforms),
                            opens_at=opens_at, closes_at=closes_at)
            s.add(room)
            s.flush()
            self._audit(s, "room_added", "live_room", room.id, code=code)
            return _room_row(room)

    def update_room(self, room_id: UUID, *, name: str | None = None, platforms: Sequence[Platform] | None = None,
                    opens_at: time | None = None, closes_at: time | None = None,
                    active: bool | None = None, confirm_stranded: bool = False) -> RoomRow:
        """Change what is given; new opening hours or closing the room ask first (see :meth:`update_anchor`)."""
        self._actor.require(Permission.EDIT_ROSTER)
        _check_room_lengths(name=name.strip() if name is not None else None)
        with self._db.begin() as s:
            room = self._own(s, LiveRoom, room_id)
            booked = self._upcoming_shifts(s, room_id=room.id)
            before = self._refusals(s, booked)
            if name is not None:
                if not name.strip():
                    raise ValidationError(msg("roster.room_needs_name", "A live room needs a name."))
                room.name = name.strip()
            if platforms is not None:
                room.platforms = _platform_values(platforms)
            if opens_at is not None:
                room.opens_at = opens_at
            if closes_at is not None:
                room.closes_at = closes_at
            if active is not None:
                room.active = active
            s.flush()
            self._refuse_stranding(s, booked, before, confirm_stranded)
            self._audit(s, "room_updated", "live_room", room.id)
            return _room_row(room)

    # --- the rules' thresholds -------------------------------------------------------
    def roster_settings(self) -> RosterSettings:
        """The thresholds the rules judge this store's shifts by (defaults where none is set)."""
        self._actor.require(Permission.VIEW_STORE)
        return self._settings_for()

    def set_roster_settings(self, *, min_rest_hours: float, max_on_air_minutes_per_day: int,
                            max_on_air_minutes_in_a_row: int, max_days_in_a_row: int) -> RosterSettings:
        """Change the warning thresholds; shifts already saved are judged afresh on the next read."""
        self._actor.require(Permission.EDIT_ROSTER)
        if not 0 <= min_rest_hours <= 24:
            raise ValidationError(msg("roster.settings_min_rest_range",
                                      "The minimum rest between shifts must be between 0 and 24 hours."))
        if not 30 <= max_on_air_minutes_per_day <= 720:
            raise ValidationError(msg("roster.settings_minutes_per_day_range",
                                      "The most on-air minutes in a day must be between 30 and 720."))
        if not 30 <= max_on_air_minutes_in_a_row <= 720:
            raise ValidationError(msg("roster.settings_minutes_in_a_row_range",
                                      "The most on-air minutes in a row must be between 30 and 720."))
        if max_on_air_minutes_in_a_row > max_on_air_minutes_per_day:
            raise ValidationError(msg("roster.settings_in_a_row_over_per_day",
                                      "The on-air minutes in a row cannot be more than the on-air minutes in a day."))
        if not 1 <= max_days_in_a_row <= 14:
            raise ValidationError(msg("roster.settings_days_in_a_row_range",
                                      "The most days in a row must be between 1 and 14."))
        values = {
            "min_rest_hours": float(min_rest_hours),
            "max_on_air_minutes_per_day": int(max_on_air_minutes_per_day),
            "max_on_air_minutes_in_a_row": int(max_on_air_minutes_in_a_row),
            "max_days_in_a_row": int(max_days_in_a_row),
        }
        with self._db.begin() as s:
            for field, key in _SETTING_KEYS.items():
                write_setting(s, key, str(values[field]))
            s.flush()
            self._audit(s, "roster_settings_changed", "local_setting", None, **values)
            settings = self._read_settings(s)
        if self._settings is not None:
            self._settings = settings
        return settings

    # --- the week -------------------------------------------------------------------
    def week(self, start: datetime) -> RosterWeek:
        """The seven days from ``start``: what a manager plans on, or an anchor reads."""
        self._actor.require(Permission.VIEW_STORE)
        end = start + timedelta(days=7)
        with self._db.begin() as s:
            context = self._context(s, start, end)
            anchors = tuple(_anchor_row(a) for a in s.scalars(
                select(Anchor).where(Anchor.store_id == self._store_scope(), Anchor.deleted_at.is_(None),
                                     Anchor.active.is_(True)).order_by(Anchor.code)))
            rooms = tuple(_room_row(r) for r in s.scalars(
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
                    former = tuple(_anchor_row(a) for a in s.scalars(
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

    # --- editing shifts ------------------------------------------------------------------
    def add_shift(self, *, anchor_id: UUID, room_id: UUID, role: ShiftRole, starts_at: datetime,
                  ends_at: datetime, broadcast_id: UUID | None = None,
                  override_reason: str | None = None, shift_id: UUID | None = None) -> RosterChange:
        """A new draft shift; ``shift_id`` lets an undo/redo re-create the same row id."""
        self._actor.require(Permission.EDIT_ROSTER)
        plan = ShiftPlan(id=shift_id or new_id(), anchor_id=anchor_id, room_id=room_id, role=role,
                         starts_at=starts_at, ends_at=ends_at, broadcast_id=broadcast_id)
        with self._db.begin() as s:
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
            shift = self._live_shift(s, shift_id)
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
            problems = _unique(_labelled(item.label, p) for item, _plan, blocks, _warned in judged for p in blocks)
            accepted = [(plan, bool(found)) for _item, plan, blocks, found in judged if plan is not None and not blocks]
            warned = _unique(_labelled(item.label, w) for item, plan, blocks, found in judged
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

    def preview_shifts(self, planned: Sequence[PlannedShift]) -> CopyPreview:
        """What :meth:`add_shifts` would make of ``planned``, shift by shift, writing nothing."""
        self._actor.require(Permission.EDIT_ROSTER)
        if not planned:
            return CopyPreview()
        with self._db.begin() as s:
            judged, _context = self._judge_planned(s, planned)
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
            blocks = _unique(v.message for v in blocking(found))
            judged.append((item, plan, blocks, _unique(v.message for v in warnings(found))))
            if keep_refused or not blocks:
                context = context.with_shift(plan)
        return judged, context

    def publish(self, start: datetime, end: datetime) -> RosterChange:
        """Publish every draft, every changed shift and every removal in the window; anchors then see them."""
        self._actor.require(Permission.PUBLISH_ROSTER)
        with self._db.begin() as s:
            shifts = s.scalars(self._shift_query(start, end, withdrawn=True)).all()
            changed = []
            removed = []
            for sh in shifts:
                if sh.status is ShiftStatus.WITHDRAWN:
                    tombstone(sh)
                    removed.append(sh.id)
                elif sh.status is ShiftStatus.DRAFT or sh.published_version != sh.row_version:
                    sh.status = ShiftStatus.PUBLISHED
                    # The publish itself bumps the version once more in the flush.
                    sh.published_version = sh.row_version + 1
                    changed.append(sh)
            s.flush()
            self._audit(s, "roster_published", "shift", None, count=len(changed), removed=len(removed),
                        start=start, end=end)
            return RosterChange(shifts=tuple(self._row(s, sh, None) for sh in changed),
                                removed_shift_ids=tuple(removed))

    def copy_week(self, from_start: datetime, to_start: datetime, *,
                  override_reason: str | None = None, skip_refused: bool = False) -> RosterChange:
        """Copy a week's shifts (the same local clock times) to another week, as drafts.

        All or nothing unless ``skip_refused``: then the shifts the rules allow
        are copied and the refused ones left out, as :meth:`preview_copy_week` showed.
        """
        return self.add_shifts(self._copied_week(from_start, to_start), override_reason=override_reason,
                               action="week_copied", skip_refused=skip_refused)

    def preview_copy_week(self, from_start: datetime, to_start: datetime) -> CopyPreview:
        """Every shift :meth:`copy_week` would add, at its new date, each with what the rules say."""
        return self.preview_shifts(self._copied_week(from_start, to_start))

    def _copied_week(self, from_start: datetime, to_start: datetime) -> list[PlannedShift]:
        source = self.shifts_between(from_start, from_start + timedelta(days=7))
        zone = self._zone()
        days = (to_start.astimezone(zone).date() - from_start.astimezone(zone).date()).days
        planned = []
        for sh in source:
            if not from_start <= sh.starts_at < from_start + timedelta(days=7):
                continue
            starts = _shift_local(sh.starts_at, days, zone)
            # Labelled where the copy would go: the day a manager has to fix is in the target week.
            planned.append(PlannedShift(
                anchor_id=sh.anchor_id, room_id=sh.room_id, role=sh.role, starts_at=starts,
                ends_at=_shift_local(sh.ends_at, days, zone),
                label=msg("roster.copied_shift_label", "{anchor} {starts}", anchor=sh.anchor_name,
                          starts=starts.astimezone(zone))))
        return planned

    # --- templates -------------------------------------------------------------------------
    def templates(self) -> list[TemplateRow]:
        self._actor.require(Permission.VIEW_STORE)
        with self._db.begin() as s:
            return [TemplateRow(t.id, t.name, len(t.items)) for t in s.scalars(
                select(ShiftTemplate).where(ShiftTemplate.store_id == self._store_scope(),
                                            ShiftTemplate.deleted_at.is_(None))
                .order_by(ShiftTemplate.name))]

    def save_template(self, name: str, week_start: datetime) -> TemplateRow:
        self._actor.require(Permission.EDIT_ROSTER)
        name = name.strip()
        if not name:
            raise ValidationError(msg("roster.template_needs_name", "A template needs a name."))
        check_length(msg("limits.template_name", "template's name"), name, limits.TEMPLATE_NAME)
        zone = self._zone()
        first_day = week_start.astimezone(zone).date()
        items = []
        for sh in self.shifts_between(week_start, week_start + timedelta(days=7)):
            local = sh.starts_at.astimezone(zone)
            if not week_start <= sh.starts_at < week_start + timedelta(days=7):
                continue
            items.append({
                "day": (local.date() - first_day).days, "anchor_id": str(sh.anchor_id),
                "room_id": str(sh.room_id), "role": sh.role.value, "start": local.strftime("%H:%M"),
                "minutes": int((sh.ends_at - sh.starts_at).total_seconds() // 60),
            })
        with self._db.begin() as s:
            if s.scalar(select(ShiftTemplate.id).where(ShiftTemplate.store_id == self._store_scope(),
                                                       ShiftTemplate.name == name,
                                                       ShiftTemplate.deleted_at.is_(None))):
                raise ValidationError(msg("roster.template_name_taken", "A template called {name} already exists.",
                                          name=name))
            template = ShiftTemplate(store_id=self._store_scope(), name=name, items=items)
            s.add(template)
            s.flush()
            self._audit(s, "template_saved", "shift_template", template.id, shifts=len(items))
            return TemplateRow(template.id, template.name, len(items))

    def apply_template(self, template_id: UUID, week_start: datetime, *,
                       override_reason: str | None = None, skip_refused: bool = False) -> RosterChange:
        """A template's shifts in the week of ``week_start``; ``skip_refused`` as for :meth:`copy_week`."""
        return self.add_shifts(self._template_shifts(template_id, week_start), override_reason=override_reason,
                               action="template_applied", skip_refused=skip_refused)

    def preview_template(self, template_id: UUID, week_start: datetime) -> CopyPreview:
        return self.preview_shifts(self._template_shifts(template_id, week_start))

    def _template_shifts(self, template_id: UUID, week_start: datetime) -> list[PlannedShift]:
        self._actor.require(Permission.VIEW_STORE)
        with self._db.begin() as s:
            template = self._own(s, ShiftTemplate, template_id)
            items = list(template.items)
            name = template.name
        zone = self._zone()
        first_day = week_start.astimezone(zone).date()
        planned = []
        for n, item in enumerate(items, start=1):
            hour, minute = (int(x) for x in item["start"].split(":"))
            day = first_day + timedelta(days=int(item["day"]))
            starts = datetime.combine(day, time(hour, minute), zone).astimezone(timezone.utc)
            planned.append(PlannedShift(
                anchor_id=UUID(item["anchor_id"]), room_id=UUID(item["room_id"]),
                role=ShiftRole(item["role"]), starts_at=starts,
                ends_at=starts + timedelta(minutes=int(item["minutes"])),
                label=msg("roster.template_item_label", "{template} #{number}", template=name, number=n)))
        return planned

    # --- time off -----------------------------------------------------------------------------
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
            return self._time_off_row(row, anchor.name)

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
            return self._time_off_row(row, s.get(Anchor, row.anchor_id).name)

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

    # --- swaps ---------------------------------------------------------------------------------
    def request_swap(self, shift_id: UUID, *, to_anchor_id: UUID, reason: str = "") -> SwapRow:
        """Offer a published shift still to come to a colleague the rules allow to take it."""
        self._actor.require(Permission.REQUEST_TIME_OFF)
        with self._db.begin() as s:
            shift = self._swappable(s, shift_id)
            if to_anchor_id == shift.anchor_id:
                raise ValidationError(msg("roster.swap_needs_colleague", "Choose a colleague to swap with."))
            target = self._own(s, Anchor, to_anchor_id)
            context = self._context(s, shift.starts_at, shift.ends_at)
            blocks = _unique(v.message for v in blocking(context.check(replace(_plan(shift), anchor_id=target.id))))
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
                found = context.check(replace(_plan(shift), anchor_id=anchor.id))
                options.append(SwapOption(anchor=_anchor_row(anchor),
                                          problems=tuple(_unique(v.message for v in blocking(found))),
                                          warnings=tuple(_unique(v.message for v in warnings(found)))))
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
                plan = replace(_plan(shift), anchor_id=swap.to_anchor_id)
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

    # --- internals -------------------------------------------------------------------------------
    def _zone(self) -> ZoneInfo:
        if self._timezone is None:
            self._settings_for()
        assert self._timezone is not None
        return ZoneInfo(self._timezone)

    def _settings_for(self, s: Session | None = None) -> RosterSettings:
        # Settings given to the constructor win (benchmarks, tests); otherwise
        # they are read afresh, so a change made elsewhere in this console
        # (another service instance) is judged by at once.
        if self._settings is not None:
            return self._settings
        if s is not None:
            return self._read_settings(s)
        with self._db.begin() as session:
            return self._read_settings(session)

    def _read_settings(self, s: Session) -> RosterSettings:
        if self._timezone is None:
            self._timezone = load_store(s, self._store_scope()).timezone
        default = RosterSettings()
        stored = {field: read_setting(s, key) for field, key in _SETTING_KEYS.items()}

        def number(field: str, fallback: float) -> float:
            try:
                return float(stored[field]) if stored[field] is not None else fallback
            except ValueError:     # a hand-edited database: fall back rather than refuse every shift
                return fallback

        return RosterSettings(
            min_rest=timedelta(hours=number("min_rest_hours", default.min_rest.total_seconds() / 3600)),
            max_on_air_minutes_per_day=int(number("max_on_air_minutes_per_day",
                                                  default.max_on_air_minutes_per_day)),
            max_on_air_minutes_in_a_row=int(number("max_on_air_minutes_in_a_row",
                                                   default.max_on_air_minutes_in_a_row)),
            max_days_in_a_row=int(number("max_days_in_a_row", default.max_days_in_a_row)),
            store_timezone=self._timezone,
        )

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
        return {sh.id: frozenset(v.rule for v in context.check(_plan(sh), BLOCK_RULES)) for sh in shifts}

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

    def _write_plan(self, s: Session, plan: ShiftPlan, override_reason: str | None,
                    existing: Shift | None, *, revive: bool = False) -> RosterChange:
        if plan.broadcast_id is not None:
            self._own(s, Broadcast, plan.broadcast_id)
        context = self._context(s, plan.starts_at, plan.ends_at)
        if revive:
            context = context.without(plan.id)
        found = context.check(plan)
        if blocking(found):
            raise RosterBlocked(_unique(v.message for v in blocking(found)))
        warned = _unique(v.message for v in warnings(found))
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
        found = context.check(_plan(sh)) if context is not None and live else []
        # A shift already worked is history: nothing to move, so nothing to flag.
        problems = _unique(v.message for v in blocking(found)) if sh.ends_at > datetime.now(UTC) else []
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
        return [self._time_off_row(t, name) for t, name in s.execute(q)]

    @staticmethod
    def _time_off_row(t: TimeOff, anchor_name: str) -> TimeOffRow:
        return TimeOffRow(id=t.id, anchor_id=t.anchor_id, anchor_name=anchor_name, kind=t.kind,
                          starts_at=t.starts_at, ends_at=t.ends_at, reason=t.reason, status=t.status)

    def _swap_row(self, s: Session, sw: ShiftSwap) -> SwapRow:
        shift = s.get(Shift, sw.shift_id)
        return SwapRow(id=sw.id, shift_id=sw.shift_id, from_anchor_name=s.get(Anchor, sw.from_anchor_id).name,
                       to_anchor_id=sw.to_anchor_id, to_anchor_name=s.get(Anchor, sw.to_anchor_id).name,
                       shift_starts_at=shift.starts_at, reason=sw.reason, status=sw.status)

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


    # --- what a publish would tell whom ------------------------------------------------------
    def publish_summary(self, start: datetime, end: datetime) -> PublishSummary:
        """Per anchor, the shifts :meth:`publish` would add, change and remove in [start, end); writes nothing.

        The same selection as :meth:`publish`: drafts are added, published
        shifts edited since their publish are changed, withdrawn ones removed.
        A shift given to another anchor is listed under its new anchor (the
        roster keeps no copy of the published row to name the old one).
        """
        self._actor.require(Permission.PUBLISH_ROSTER)
        with self._db.begin() as s:
            shifts = s.scalars(self._shift_query(start, end, withdrawn=True).order_by(Shift.starts_at)).all()
            names = self._names(s)
            found: dict[UUID, dict[str, list[ShiftRow]]] = {}
            for sh in shifts:
                if sh.status is ShiftStatus.WITHDRAWN:
                    kind = "removed"
                elif sh.status is ShiftStatus.DRAFT:
                    kind = "added"
                elif sh.published_version != sh.row_version:
                    kind = "changed"
                else:
                    continue
                lists = found.setdefault(sh.anchor_id, {"added": [], "changed": [], "removed": []})
                lists[kind].append(self._row(s, sh, None, names))
        anchors = [
            AnchorPublishChanges(anchor_id=anchor_id, anchor_name=names.get(anchor_id, ("?", "?"))[0],
                                 anchor_code=names.get(anchor_id, ("?", "?"))[1], added=tuple(lists["added"]),
                                 changed=tuple(lists["changed"]), removed=tuple(lists["removed"]))
            for anchor_id, lists in found.items()
        ]
        anchors.sort(key=lambda a: (a.anchor_name, a.anchor_code))
        return PublishSummary(start=start, end=end, anchors=tuple(anchors))

def _platform_values(platforms: Sequence[Platform | str]) -> list[str]:
    values = []
    for p in platforms:
        try:
            values.append(Platform(p).value)
        except ValueError:
            raise ValidationError(msg("roster.unknown_platform", "{platform} is not a platform the console knows.",
                                      platform=str(p))) from None
    return list(dict.fromkeys(values))


def _refuse_started(shift: Shift) -> None:
    if shift.starts_at <= datetime.now(UTC):
        raise ValidationError(msg("roster.swap_shift_started",
                                  "That shift has started already; only a shift still to come can be swapped."))


def _a_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:      # 29 February
        return day.replace(year=day.year + 1, day=28)


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


def tidy_code(code: str) -> str:
    """A code as stored: trimmed, full-width forms made plain ("Ａ００１" -> "A001"); its capitals kept."""
    return unicodedata.normalize("NFKC", code).strip()


def code_key(code: str) -> str:
    """What makes two codes the same code: "a001", "A001" and "Ａ００１" are one anchor's (NFKC, casefolded)."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", code).strip().casefold())


def _same_code(code: str, taken: Iterable[str]) -> str | None:
    """The code already in use that ``code`` would duplicate, as it was written, or None."""
    key = code_key(code)
    matches = [t for t in taken if code_key(t) == key]
    return code if code in matches else (matches[0] if matches else None)


def _check_cap(hours: int) -> None:
    if not 1 <= hours <= 80:
        raise ValidationError(msg("roster.weekly_cap_range", "The weekly-hours cap must be between 1 and 80."))


def _check_anchor_lengths(*, code: str | None = None, name: str | None = None, employer_brand: str | None = None,
                          trained_brands: Iterable[str] = (), trained_categories: Iterable[str] = ()) -> None:
    """Each of an anchor's texts fits its column (the lengths come from the models)."""
    if code is not None:
        check_length(msg("limits.anchor_code", "anchor's code"), code, limits.ANCHOR_CODE)
    if name is not None:
        check_length(msg("limits.anchor_name", "anchor's name"), name, limits.ANCHOR_NAME)
    if employer_brand is not None:
        check_length(msg("limits.employer_brand", "employer brand"), employer_brand, limits.ANCHOR_EMPLOYER_BRAND)
    for brand in trained_brands:
        check_length(msg("limits.trained_brand", "trained brand"), brand.strip(), limits.TRAINED_BRAND)
    for category in trained_categories:
        check_length(msg("limits.trained_category", "trained category"), category.strip(),
                     limits.TRAINED_CATEGORY)


def _check_room_lengths(*, code: str | None = None, name: str | None = None) -> None:
    if code is not None:
        check_length(msg("limits.room_code", "live room's code"), code, limits.ROOM_CODE)
    if name is not None:
        check_length(msg("limits.room_name", "live room's name"), name, limits.ROOM_NAME)


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


def _unique(messages: Iterable[Message]) -> list[Message]:
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


def _labelled(label: str | Message, message: Message) -> Message:
    """A finding prefixed by where its shift came from ("f.csv row 7: ..."); the label is kept as a value."""
    if not label:
        return message
    return msg("roster.labelled", "{label}: {problem}", label=label, problem=message)


def _shift_local(moment: datetime, days: int, zone: ZoneInfo) -> datetime:
    """The same local clock time ``days`` later (across a DST change too)."""
    local = moment.astimezone(zone)
    return datetime.combine(local.date() + timedelta(days=days), local.time(), zone).astimezone(timezone.utc)

