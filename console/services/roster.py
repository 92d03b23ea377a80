"""Roster: anchors, live rooms, shifts, time off, swaps and templates, through the rules.

Every shift that is created or moved is judged by :mod:`console.rules.roster`
inside the transaction that writes it: a block refuses the change, a warning
needs the manager's reason, which is recorded on the shift.

What the rules found travels as :class:`~console.i18n.Message` values
(``RosterBlocked.problems``, ``OverrideNeeded.warnings``, ``warnings`` on a
change and on a shift row), rendered in the reader's language where shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import select
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
    DomainError, NotFound, OverrideNeeded, PermissionDenied, RosterBlocked, ValidationError,
)
from console.domain.permissions import Permission
from console.domain.values import (
    AnchorRow,
    RoomRow,
    RosterChange,
    ShiftRow,
    SwapRow,
    TemplateRow,
    TimeOffRow,
)
from console.i18n import Message, msg
from console.rules.roster import (
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
from console.services.base import Service, load_store, read_setting, write_setting
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
        code, name = code.strip(), name.strip()
        if not code or not name:
            raise ValidationError(msg("roster.anchor_needs_code_and_name", "An anchor needs a code and a name."))
        _check_cap(weekly_hours_cap)
        with self._db.begin() as s:
            clash = s.scalar(select(Anchor.id).where(
                Anchor.store_id == self._store_scope(), Anchor.code == code))
            if clash:
                raise ValidationError(msg("roster.anchor_code_taken",
                                          "Anchor code {code} is already used in this store.", code=code))
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
        clear_certification: bool = False,
    ) -> AnchorRow:
        """Change what is given; ``clear_certification`` removes the expiry (None means "keep")."""
        self._actor.require(Permission.EDIT_ROSTER)
        with self._db.begin() as s:
            anchor = self._own(s, Anchor, anchor_id)
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
            self._audit(s, "anchor_updated", "anchor", anchor.id)
            return _anchor_row(anchor)

    def add_room(self, *, code: str, name: str, platforms: Sequence[Platform] = (),
                 opens_at: time = time(9, 0), closes_at: time = time(23, 0)) -> RoomRow:
        self._actor.require(Permission.EDIT_ROSTER)
        code, name = code.strip(), name.strip()
        if not code or not name:
            raise ValidationError(msg("roster.room_needs_code_and_name", "A live room needs a code and a name."))
        with self._db.begin() as s:
            if s.scalar(select(LiveRoom.id).where(LiveRoom.store_id == self._store_scope(),
                                                  LiveRoom.code == code)):
                raise ValidationError(msg("roster.room_code_taken", "Room code {code} is already used in this store.",
                                          code=code))
            room = LiveRoom(store_id=self._store_scope(), code=code, name=name,
                            platforms=_platform_values(platforms),
                            opens_at=opens_at, closes_at=closes_at)
            s.add(room)
            s.flush()
            self._audit(s, "room_added", "live_room", room.id, code=code)
            return _room_row(room)

    def update_room(self, room_id: UUID, *, name: str | None = None, platforms: Sequence[Platform] | None = None,
                    opens_at: time | None = None, closes_at: time | None = None,
                    active: bool | None = None) -> RoomRow:
        self._actor.require(Permission.EDIT_ROSTER)
        with self._db.begin() as s:
            room = self._own(s, LiveRoom, room_id)
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
        return RosterWeek(start=start, end=end, anchors=anchors, rooms=rooms, shifts=shifts,
                          time_off=time_off, context=context)

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
                if existing.store_id != self._store_scope() or not existing.is_deleted:
                    raise ValidationError(msg("roster.shift_exists", "That shift already exists."))
                # Redo of an undone creation: bring the same row back.
                return self._write_plan(s, plan, override_reason, existing, revive=True)
            return self._write_plan(s, plan, override_reason, None)

    def move_shift(self, shift_id: UUID, *, starts_at: datetime, ends_at: datetime,
                   anchor_id: UUID | None = None, room_id: UUID | None = None,
                   role: ShiftRole | None = None, override_reason: str | None = None) -> RosterChange:
        """Move or resize a shift (and optionally give it to another anchor or room)."""
        self._actor.require(Permission.EDIT_ROSTER)
        with self._db.begin() as s:
            shift = self._own(s, Shift, shift_id)
            plan = ShiftPlan(id=shift.id, anchor_id=anchor_id or shift.anchor_id,
                             room_id=room_id or shift.room_id, role=role or shift.role,
                             starts_at=starts_at, ends_at=ends_at, broadcast_id=shift.broadcast_id)
            return self._write_plan(s, plan, override_reason, shift)

    def remove_shift(self, shift_id: UUID) -> RosterChange:
        self._actor.require(Permission.EDIT_ROSTER)
        with self._db.begin() as s:
            shift = self._own(s, Shift, shift_id)
            tombstone(shift)
            s.flush()
            self._audit(s, "shift_removed", "shift", shift.id)
            return RosterChange(removed_shift_ids=(shift.id,))

    def add_shifts(self, planned: Sequence[PlannedShift], *, override_reason: str | None = None,
                   action: str = "shifts_added", dry_run: bool = False) -> RosterChange:
        """Several new draft shifts, all or nothing, each judged with the others in place.

        Every problem is reported at once, labelled with where the shift came
        from, so an import lists all its bad rows in one go. ``dry_run`` judges
        without writing. The override reason is recorded only on the shifts
        that warned.
        """
        self._actor.require(Permission.EDIT_ROSTER)
        if not planned:
            return RosterChange()
        with self._db.begin() as s:
            lo = min(p.starts_at for p in planned)
            hi = max(p.ends_at for p in planned)
            context = self._context(s, lo, hi)
            accepted: list[tuple[ShiftPlan, bool]] = []
            problems: list[Message] = []
            warned: list[Message] = []
            for item in planned:
                try:
                    if item.broadcast_id is not None:
                        self._own(s, Broadcast, item.broadcast_id)
                    plan = ShiftPlan(id=new_id(), anchor_id=item.anchor_id, room_id=item.room_id,
                                     role=item.role, starts_at=item.starts_at, ends_at=item.ends_at,
                                     broadcast_id=item.broadcast_id)
                    found = context.check(plan)
                except DomainError as exc:
                    problems.append(_labelled(item.label, exc.message))
                    continue
                problems += [_labelled(item.label, v.message) for v in blocking(found)]
                own_warnings = [_labelled(item.label, v.message) for v in warnings(found)]
                warned += own_warnings
                context = context.with_shift(plan)
                accepted.append((plan, bool(own_warnings)))
            problems, warned = _unique(problems), _unique(warned)
            if problems:
                raise RosterBlocked(problems)
            if warned and not (override_reason and override_reason.strip()):
                raise OverrideNeeded(warned)
            if dry_run:
                return RosterChange(warnings=tuple(warned))
            reason = (override_reason or "").strip()
            rows = [self._insert(s, plan, reason if did_warn else "") for plan, did_warn in accepted]
            s.flush()
            self._audit(s, action, "shift", None, count=len(rows))
            names = self._names(s)
            return RosterChange(shifts=tuple(self._row(s, r, context, names) for r in rows),
                                warnings=tuple(warned))

    def publish(self, start: datetime, end: datetime) -> RosterChange:
        """Publish every draft and every changed shift in the window; anchors then see them."""
        self._actor.require(Permission.PUBLISH_ROSTER)
        with self._db.begin() as s:
            shifts = s.scalars(self._shift_query(start, end)).all()
            changed = []
            for sh in shifts:
                if sh.status is ShiftStatus.DRAFT or sh.published_version != sh.row_version:
                    sh.status = ShiftStatus.PUBLISHED
                    # The publish itself bumps the version once more in the flush.
                    sh.published_version = sh.row_version + 1
                    changed.append(sh)
            s.flush()
            self._audit(s, "roster_published", "shift", None, count=len(changed),
                        start=start, end=end)
            return RosterChange(shifts=tuple(self._row(s, sh, None) for sh in changed))

    def copy_week(self, from_start: datetime, to_start: datetime, *,
                  override_reason: str | None = None) -> RosterChange:
        """Copy a week's shifts (the same local clock times) to another week, as drafts."""
        source = self.shifts_between(from_start, from_start + timedelta(days=7))
        zone = self._zone()
        days = (to_start.astimezone(zone).date() - from_start.astimezone(zone).date()).days
        planned = [
            PlannedShift(anchor_id=sh.anchor_id, room_id=sh.room_id, role=sh.role,
                         starts_at=_shift_local(sh.starts_at, days, zone),
                         ends_at=_shift_local(sh.ends_at, days, zone),
                         label=msg("roster.copied_shift_label", "{anchor} {starts}", anchor=sh.anchor_name,
                                   starts=sh.starts_at.astimezone(zone)))
            for sh in source if from_start <= sh.starts_at < from_start + timedelta(days=7)
        ]
        return self.add_shifts(planned, override_reason=override_reason, action="week_copied")

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
                       override_reason: str | None = None) -> RosterChange:
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
        return self.add_shifts(planned, override_reason=override_reason, action="template_applied")

    # --- time off -----------------------------------------------------------------------------
    def request_time_off(self, *, starts_at: datetime, ends_at: datetime, reason: str = "",
                         kind: TimeOffKind = TimeOffKind.TIME_OFF,
                         anchor_id: UUID | None = None) -> TimeOffRow:
        """Anchors ask for themselves; a manager may enter it for anyone, approved at once."""
        self._actor.require(Permission.REQUEST_TIME_OFF)
        if ends_at <= starts_at:
            raise ValidationError(msg("roster.time_off_ends_before_start", "Time off must end after it starts."))
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
            row = TimeOff(store_id=self._store_scope(), anchor_id=anchor.id, kind=kind,
                          starts_at=starts_at, ends_at=ends_at, reason=reason.strip(),
                          status=RequestStatus.APPROVED if manager else RequestStatus.REQUESTED,
                          decided_by=self._actor.user_id if manager else None)
            s.add(row)
            s.flush()
            self._audit(s, "time_off_requested", "time_off", row.id)
            return self._time_off_row(row, anchor.name)

    def decide_time_off(self, time_off_id: UUID, *, approve: bool) -> TimeOffRow:
        self._actor.require(Permission.EDIT_ROSTER)
        with self._db.begin() as s:
            row = self._own(s, TimeOff, time_off_id)
            row.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
            row.decided_by = self._actor.user_id
            s.flush()
            self._audit(s, "time_off_decided", "time_off", row.id, approved=approve)
            return self._time_off_row(row, s.get(Anchor, row.anchor_id).name)

    def time_off_between(self, start: datetime, end: datetime) -> list[TimeOffRow]:
        self._actor.require(Permission.VIEW_STORE)
        with self._db.begin() as s:
            return self._time_off_rows(s, start, end)

    # --- swaps ---------------------------------------------------------------------------------
    def request_swap(self, shift_id: UUID, *, to_anchor_id: UUID, reason: str = "") -> SwapRow:
        self._actor.require(Permission.REQUEST_TIME_OFF)
        manager = self._actor.may(Permission.EDIT_ROSTER)
        with self._db.begin() as s:
            shift = self._own(s, Shift, shift_id)
            if not manager and shift.anchor_id != self._own_anchor_id(s):
                raise PermissionDenied(msg("roster.swap_only_own",
                                           "An anchor may offer only their own shifts for a swap."))
            if shift.status is not ShiftStatus.PUBLISHED:
                raise ValidationError(msg("roster.swap_only_published", "Only a published shift can be swapped."))
            if to_anchor_id == shift.anchor_id:
                raise ValidationError(msg("roster.swap_needs_colleague", "Choose a colleague to swap with."))
            target = self._own(s, Anchor, to_anchor_id)
            swap = ShiftSwap(store_id=self._store_scope(), shift_id=shift.id,
                             from_anchor_id=shift.anchor_id, to_anchor_id=target.id,
                             reason=reason.strip(), requested_by=self._actor.user_id)
            s.add(swap)
            s.flush()
            self._audit(s, "swap_requested", "shift_swap", swap.id)
            return self._swap_row(s, swap)

    def decide_swap(self, swap_id: UUID, *, approve: bool, override_reason: str | None = None) -> SwapRow:
        """Approving moves the shift to the colleague, through the rules like any edit."""
        self._actor.require(Permission.EDIT_ROSTER)
        with self._db.begin() as s:
            swap = self._own(s, ShiftSwap, swap_id)
            if swap.status is not RequestStatus.REQUESTED:
                raise ValidationError(msg("roster.swap_already_decided", "That swap request was already decided."))
            if approve:
                shift = self._own(s, Shift, swap.shift_id)
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
                        certification_expires=a.certification_expires, weekly_hours_cap=a.weekly_hours_cap)
            for a in s.scalars(select(Anchor).where(Anchor.store_id == sid, Anchor.deleted_at.is_(None)))
        ]
        rooms = [RoomFacts(id=r.id, name=r.name, opens_at=r.opens_at, closes_at=r.closes_at)
                 for r in s.scalars(select(LiveRoom).where(LiveRoom.store_id == sid,
                                                           LiveRoom.deleted_at.is_(None)))]
        # Plain columns, not ORM objects: a week's context reads ~900 shifts.
        shifts = [
            ShiftPlan(id=r.id, anchor_id=r.anchor_id, room_id=r.room_id, role=r.role,
                      starts_at=r.starts_at, ends_at=r.ends_at, broadcast_id=r.broadcast_id)
            for r in s.execute(
                select(Shift.id, Shift.anchor_id, Shift.room_id, Shift.role, Shift.starts_at,
                       Shift.ends_at, Shift.broadcast_id)
                .where(Shift.store_id == sid, Shift.deleted_at.is_(None),
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

    def _shift_query(self, start: datetime, end: datetime):  # type: ignore[no-untyped-def]
        return select(Shift).where(Shift.store_id == self._store_scope(), Shift.deleted_at.is_(None),
                                   Shift.starts_at < end, Shift.ends_at > start)

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
            shift.anchor_id, shift.room_id, shift.role = plan.anchor_id, plan.room_id, plan.role
            shift.starts_at, shift.ends_at = plan.starts_at, plan.ends_at
            shift.override_reason = reason
            if revive:
                shift.deleted_at = None
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
        q = self._shift_query(start, end).order_by(Shift.starts_at)
        if anchor_id is not None:
            q = q.where(Shift.anchor_id == anchor_id)
        if not self._actor.may(Permission.EDIT_ROSTER):
            q = q.where(Shift.status == ShiftStatus.PUBLISHED)
        shifts = s.scalars(q).all()
        names = self._names(s)
        return [self._row(s, sh, context, names) for sh in shifts]

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
        found = context.check(_plan(sh)) if context is not None and sh.deleted_at is None else []
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
            anchor_code=anchor_code, room_code=room_code,
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

    def _own_anchor_id(self, s: Session, *, required: bool = True) -> UUID | None:
        user = s.get(User, self._actor.user_id) if self._actor.user_id else None
        if user is None or user.anchor_id is None:
            if required:
                raise ValidationError(msg("roster.user_not_an_anchor",
                                          "Your user is not linked to an anchor on the roster."))
            return None
        return user.anchor_id


def _platform_values(platforms: Sequence[Platform | str]) -> list[str]:
    values = []
    for p in platforms:
        try:
            values.append(Platform(p).value)
        except ValueError:
            raise ValidationError(msg("roster.unknown_platform", "{platform} is not a platform the console knows.",
                                      platform=str(p))) from None
    return list(dict.fromkeys(values))


def _check_cap(hours: int) -> None:
    if not 1 <= hours <= 80:
        raise ValidationError(msg("roster.weekly_cap_range", "The weekly-hours cap must be between 1 and 80."))


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

