"""Roster rules: block the impossible shift, warn on the unwise one, in words a store manager reads.

Every rule is one function ``check_<rule>(ctx, shift) -> list[Violation]`` that
judges a single proposed shift against a :class:`RosterContext`; ``RULES``
lists them in the order a manager should read their findings. Blocks can
never be overridden; warnings can, with a recorded reason (:func:`can_save`).

The context indexes shifts by anchor and by room, sorted by start, so a rule
only looks at the few shifts near the one being judged. That is what keeps a
drag on the roster board fast however much history the context holds.

Times are UTC inside; days, weeks and opening hours are the store's own,
judged in its local time zone.

A finding's message is a :class:`~console.i18n.Message` holding typed values
(the store's local times and dates, counts, nested messages), built cheaply
here and rendered in the reader's language only when someone reads it: the
rules never format a sentence.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from console.domain.enums import ShiftRole, StrEnum
from console.domain.errors import ValidationError
from console.i18n import Message, msg

# A room controller works the room but is not on camera, so only these roles
# tire a voice or need brand training.
ON_AIR_ROLES: frozenset[ShiftRole] = frozenset({ShiftRole.HOST, ShiftRole.CO_HOST})

_NO_TIME = timedelta(0)
_ONE_DAY = timedelta(days=1)


# --------------------------------------------------------------------------
# Inputs: plain facts the roster service reads from storage
# --------------------------------------------------------------------------


# Which time a naive-time error is about, for its message.
_MOMENT_WORDS: dict[str, Message] = {
    "start": msg("roster_rules.moment_start", "start"),
    "end": msg("roster_rules.moment_end", "end"),
    "time off start": msg("roster_rules.moment_time_off_start", "time off start"),
    "time off end": msg("roster_rules.moment_time_off_end", "time off end"),
}


def _as_utc(moment: datetime, what: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        # A naive time would silently be read as UTC or as local time depending
        # on the caller; refusing it keeps a shift from moving by eight hours.
        # The naive moment is shown as written: the wall clock the caller gave.
        raise ValidationError(msg("roster_rules.time_without_zone", "The {what} time {moment} has no time zone.",
                                  what=_MOMENT_WORDS[what], moment=moment))
    return moment.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class ShiftPlan:
    """One shift as planned: who works where, in which role, when (UTC)."""

    id: UUID
    anchor_id: UUID
    room_id: UUID
    role: ShiftRole
    starts_at: datetime
    ends_at: datetime
    broadcast_id: UUID | None = None

    def __post_init__(self) -> None:
        starts_at = _as_utc(self.starts_at, "start")
        ends_at = _as_utc(self.ends_at, "end")
        if ends_at <= starts_at:
            raise ValidationError(msg("roster_rules.shift_ends_before_start", "A shift must end after it starts."))
        object.__setattr__(self, "starts_at", starts_at)
        object.__setattr__(self, "ends_at", ends_at)

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at

    @property
    def on_air(self) -> bool:
        return self.role in ON_AIR_ROLES


@dataclass(frozen=True, slots=True)
class AnchorFacts:
    id: UUID
    name: str
    trained_brands: frozenset[str] = frozenset()
    trained_categories: frozenset[str] = frozenset()
    # None means no expiry on record (not every anchor holds a certificate).
    certification_expires: date | None = None
    weekly_hours_cap: int = 44
    # A deactivated anchor keeps their history; a shift not yet worked must go to someone else.
    active: bool = True


@dataclass(frozen=True, slots=True)
class RoomFacts:
    """A live room and its opening hours in the store's local time.

    ``closes_at`` earlier than ``opens_at`` means the room closes after
    midnight; equal times mean it never closes.
    """

    id: UUID
    name: str
    opens_at: time
    closes_at: time
    active: bool = True


@dataclass(frozen=True, slots=True)
class BroadcastFacts:
    id: UUID
    title: str
    brand: str = ""
    category: str = ""
    room_id: UUID | None = None


@dataclass(frozen=True, slots=True)
class TimeOffFacts:
    anchor_id: UUID
    starts_at: datetime
    ends_at: datetime
    approved: bool

    def __post_init__(self) -> None:
        object.__setattr__(self, "starts_at", _as_utc(self.starts_at, "time off start"))
        object.__setattr__(self, "ends_at", _as_utc(self.ends_at, "time off end"))


@dataclass(frozen=True, slots=True)
class RosterSettings:
    min_rest: timedelta = timedelta(hours=11)
    max_on_air_minutes_per_day: int = 240
    max_on_air_minutes_in_a_row: int = 120
    # A break shorter than this does not rest a voice, so the on-air shifts
    # either side of it count as one stretch.
    min_voice_rest: timedelta = timedelta(minutes=15)
    max_days_in_a_row: int = 6
    store_timezone: str = "Asia/Shanghai"


# --------------------------------------------------------------------------
# Findings
# --------------------------------------------------------------------------


class Severity(StrEnum):
    BLOCK = "block"   # must never happen; no override
    WARN = "warn"     # should not happen; a manager may override with a reason


@dataclass(frozen=True, slots=True)
class Violation:
    """One finding about one shift; ``message`` is rendered only when someone reads it."""

    rule: str
    severity: Severity
    shift_id: UUID
    message: Message
    related_shift_ids: tuple[UUID, ...] = ()


def blocking(violations: Iterable[Violation]) -> list[Violation]:
    return [v for v in violations if v.severity is Severity.BLOCK]


def warnings(violations: Iterable[Violation]) -> list[Violation]:
    return [v for v in violations if v.severity is Severity.WARN]


def can_save(violations: Iterable[Violation], override_reason: str | None = None) -> bool:
    """A plan saves with no block, and with warnings only if a reason is recorded."""
    found = list(violations)
    if blocking(found):
        return False
    return not warnings(found) or bool(override_reason and override_reason.strip())


class UnknownRosterEntry(ValidationError):
    """A shift names an anchor or a room the store does not have."""


# --------------------------------------------------------------------------
# The context: facts and shifts, indexed for quick neighbour look-ups
# --------------------------------------------------------------------------


def _start_of(shift: ShiftPlan) -> datetime:
    return shift.starts_at


@dataclass(frozen=True, slots=True)
class ShiftTimeline:
    """The shifts of one anchor or one room, sorted by start, with range look-ups.

    ``longest`` bounds how far back a shift can start and still reach a given
    moment; it may overstate after a removal, which only widens a search.
    """

    shifts: tuple[ShiftPlan, ...] = ()
    starts: tuple[datetime, ...] = ()
    longest: timedelta = _NO_TIME

    @classmethod
    def of(cls, shifts: Iterable[ShiftPlan]) -> ShiftTimeline:
        ordered = tuple(sorted(shifts, key=_start_of))
        return cls(
            ordered,
            tuple(s.starts_at for s in ordered),
            max((s.duration for s in ordered), default=_NO_TIME),
        )

    def __len__(self) -> int:
        return len(self.shifts)

    def adding(self, shift: ShiftPlan) -> ShiftTimeline:
        at = bisect_right(self.starts, shift.starts_at)
        return ShiftTimeline(
            self.shifts[:at] + (shift,) + self.shifts[at:],
            self.starts[:at] + (shift.starts_at,) + self.starts[at:],
            max(self.longest, shift.duration),
        )

    def removing(self, shift: ShiftPlan) -> ShiftTimeline:
        at = bisect_left(self.starts, shift.starts_at)
        while self.shifts[at].id != shift.id:
            at += 1
        return ShiftTimeline(
            self.shifts[:at] + self.shifts[at + 1:],
            self.starts[:at] + self.starts[at + 1:],
            self.longest,
        )

    def overlapping(self, lo: datetime, hi: datetime, *, excluding: UUID | None = None) -> list[ShiftPlan]:
        """Shifts that share any time with [lo, hi); touching ends do not count."""
        first = bisect_left(self.starts, lo - self.longest)
        last = bisect_left(self.starts, hi)
        return [
            s for s in self.shifts[first:last]
            if s.ends_at > lo and s.id != excluding
        ]

    def starting(self, lo: datetime, hi: datetime, *, excluding: UUID | None = None) -> list[ShiftPlan]:
        """Shifts that start in [lo, hi)."""
        first = bisect_left(self.starts, lo)
        last = bisect_left(self.starts, hi)
        return [s for s in self.shifts[first:last] if s.id != excluding]

    def last_starting_before(self, moment: datetime, *, excluding: UUID | None = None) -> ShiftPlan | None:
        at = bisect_left(self.starts, moment)
        for s in reversed(self.shifts[:at]):
            if s.id != excluding:
                return s
        return None

    def first_starting_from(self, moment: datetime, *, excluding: UUID | None = None) -> ShiftPlan | None:
        at = bisect_left(self.starts, moment)
        for s in self.shifts[at:]:
            if s.id != excluding:
                return s
        return None


_EMPTY_TIMELINE = ShiftTimeline()

RosterRule = Callable[["RosterContext", ShiftPlan], list[Violation]]


class RosterContext:
    """A store's roster facts and shifts, ready to judge one shift or all of them.

    A context is immutable: :meth:`with_shift` and :meth:`without` return a new
    context that shares everything the change did not touch (only the moved
    shift's anchor and room timelines are rebuilt; the maps over them are
    shallow copies). The board can therefore keep the context of each undo
    step, and a check never sees a half-applied change.

    :meth:`check` judges a proposed new or moved shift; a shift in the context
    with the same id is its old position and is ignored, never a clash. A
    shift naming an anchor or room the context lacks raises
    :class:`UnknownRosterEntry`, on building, checking or adding.
    """

    __slots__ = (
        "settings", "zone", "_anchors", "_rooms", "_broadcasts", "_time_off",
        "_shifts", "_by_anchor", "_by_room", "_day_bounds",
    )

    settings: RosterSettings
    zone: ZoneInfo
    _anchors: Mapping[UUID, AnchorFacts]
    _rooms: Mapping[UUID, RoomFacts]
    _broadcasts: Mapping[UUID, BroadcastFacts]
    _time_off: Mapping[UUID, tuple[TimeOffFacts, ...]]
    _shifts: dict[UUID, ShiftPlan]
    _by_anchor: dict[UUID, ShiftTimeline]
    _by_room: dict[UUID, ShiftTimeline]

    def __init__(
        self,
        *,
        anchors: Iterable[AnchorFacts],
        rooms: Iterable[RoomFacts],
        broadcasts: Iterable[BroadcastFacts] = (),
        time_off: Iterable[TimeOffFacts] = (),
        shifts: Iterable[ShiftPlan] = (),
        settings: RosterSettings = RosterSettings(),
    ) -> None:
        self.settings = settings
        self.zone = ZoneInfo(settings.store_timezone)
        # Local midnights by day: the same few dozen days are asked for thousands of times
        # when a week is judged, and they depend only on the zone, so copies share the cache.
        self._day_bounds: dict[date, tuple[datetime, datetime]] = {}
        self._anchors = {a.id: a for a in anchors}
        self._rooms = {r.id: r for r in rooms}
        self._broadcasts = {b.id: b for b in broadcasts}
        time_off_by_anchor: dict[UUID, list[TimeOffFacts]] = {}
        for off in time_off:
            time_off_by_anchor.setdefault(off.anchor_id, []).append(off)
        self._time_off = {k: tuple(v) for k, v in time_off_by_anchor.items()}

        self._shifts = {}
        for shift in shifts:
            self._require_known(shift)
            self._shifts[shift.id] = shift
        by_anchor: dict[UUID, list[ShiftPlan]] = {}
        by_room: dict[UUID, list[ShiftPlan]] = {}
        for shift in self._shifts.values():
            by_anchor.setdefault(shift.anchor_id, []).append(shift)
            by_room.setdefault(shift.room_id, []).append(shift)
        self._by_anchor = {k: ShiftTimeline.of(v) for k, v in by_anchor.items()}
        self._by_room = {k: ShiftTimeline.of(v) for k, v in by_room.items()}

    # -- judging ----------------------------------------------------------

    def check(self, shift: ShiftPlan, rules: Sequence[RosterRule] | None = None) -> list[Violation]:
        """Everything wrong with placing ``shift`` (new or moved) in this roster.

        ``rules`` defaults to :data:`RULES`; the board may pass fewer while a drag is live.
        """
        self._require_known(shift)
        return [v for rule in (RULES if rules is None else rules) for v in rule(self, shift)]

    def check_all(self, rules: Sequence[RosterRule] | None = None) -> list[Violation]:
        """Everything wrong with the roster as it stands, each problem once.

        A clash or a short rest involves two shifts and each would report it;
        only the first report of the same rule over the same shifts is kept.
        """
        found: list[Violation] = []
        reported_by: dict[tuple[str, frozenset[UUID]], UUID] = {}
        for shift in sorted(self._shifts.values(), key=_start_of):
            for rule in RULES if rules is None else rules:
                for violation in rule(self, shift):
                    key = (violation.rule, frozenset((violation.shift_id, *violation.related_shift_ids)))
                    first_reporter = reported_by.setdefault(key, violation.shift_id)
                    # The same shift may rightly report one rule twice over the
                    # same shifts (a long shift over two days): keep both.
                    if first_reporter == violation.shift_id:
                        found.append(violation)
        return found

    # -- changing (returns a new context) ---------------------------------

    def with_shift(self, shift: ShiftPlan) -> RosterContext:
        """This roster with ``shift`` added, or moved if its id is already here."""
        self._require_known(shift)
        changed = self.without(shift.id)
        changed._shifts[shift.id] = shift
        changed._by_anchor[shift.anchor_id] = changed.anchor_shifts(shift.anchor_id).adding(shift)
        changed._by_room[shift.room_id] = changed.room_shifts(shift.room_id).adding(shift)
        return changed

    def without(self, shift_id: UUID) -> RosterContext:
        """This roster without the shift (unchanged if there is no such shift)."""
        changed = self._copy()
        old = changed._shifts.pop(shift_id, None)
        if old is not None:
            changed._by_anchor[old.anchor_id] = changed._by_anchor[old.anchor_id].removing(old)
            changed._by_room[old.room_id] = changed._by_room[old.room_id].removing(old)
        return changed

    def _copy(self) -> RosterContext:
        copy = object.__new__(RosterContext)
        for name in ("settings", "zone", "_anchors", "_rooms", "_broadcasts", "_time_off", "_day_bounds"):
            setattr(copy, name, getattr(self, name))
        # Shallow copies: the timelines themselves are immutable and shared.
        copy._shifts = dict(self._shifts)
        copy._by_anchor = dict(self._by_anchor)
        copy._by_room = dict(self._by_room)
        return copy

    # -- look-ups the rules use -------------------------------------------

    def __len__(self) -> int:
        return len(self._shifts)

    def __contains__(self, shift_id: object) -> bool:
        return shift_id in self._shifts

    def shift(self, shift_id: UUID) -> ShiftPlan | None:
        return self._shifts.get(shift_id)

    def shifts(self) -> list[ShiftPlan]:
        return sorted(self._shifts.values(), key=_start_of)

    def anchor(self, anchor_id: UUID) -> AnchorFacts:
        try:
            return self._anchors[anchor_id]
        except KeyError:
            raise UnknownRosterEntry(msg("roster_rules.unknown_anchor",
                                         "This shift names an anchor the store does not have.")) from None

    def room(self, room_id: UUID) -> RoomFacts:
        try:
            return self._rooms[room_id]
        except KeyError:
            raise UnknownRosterEntry(msg("roster_rules.unknown_room",
                                         "This shift names a live room the store does not have.")) from None

    def broadcast(self, broadcast_id: UUID | None) -> BroadcastFacts | None:
        return None if broadcast_id is None else self._broadcasts.get(broadcast_id)

    def time_off_of(self, anchor_id: UUID) -> tuple[TimeOffFacts, ...]:
        return self._time_off.get(anchor_id, ())

    def anchor_shifts(self, anchor_id: UUID) -> ShiftTimeline:
        return self._by_anchor.get(anchor_id, _EMPTY_TIMELINE)

    def room_shifts(self, room_id: UUID) -> ShiftTimeline:
        return self._by_room.get(room_id, _EMPTY_TIMELINE)

    def _require_known(self, shift: ShiftPlan) -> None:
        self.anchor(shift.anchor_id)
        self.room(shift.room_id)

    # -- the store's local time -------------------------------------------

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def at_local(self, day: date, clock: time) -> datetime:
        """The UTC moment of a local wall-clock time on a local day."""
        return datetime.combine(day, clock, tzinfo=self.zone).astimezone(UTC)

    def day_bounds(self, day: date) -> tuple[datetime, datetime]:
        """[local midnight, next local midnight) of ``day``, in UTC."""
        bounds = self._day_bounds.get(day)
        if bounds is None:
            bounds = self._day_bounds[day] = (self.at_local(day, time()), self.at_local(day + _ONE_DAY, time()))
        return bounds

    def days_touched(self, starts_at: datetime, ends_at: datetime) -> list[tuple[date, datetime, datetime]]:
        """Each local day that [starts_at, ends_at) reaches into, with its bounds."""
        days = []
        day = self.local_date(starts_at)
        while True:
            lo, hi = self.day_bounds(day)
            if lo >= ends_at:
                return days
            days.append((day, lo, hi))
            day += _ONE_DAY

    # -- words for messages: typed values and nested messages, rendered only when read

    def clock(self, moment: datetime) -> time:
        """The store's wall-clock time of ``moment`` (a message shows it as 14:05)."""
        return self.local(moment).time()

    def span(self, starts_at: datetime, ends_at: datetime) -> Message:
        """'from 14:00 to 16:00 on Nov 27', or with both days if it crosses midnight (local time)."""
        start, end = self.local(starts_at), self.local(ends_at)
        if start.date() == end.date():
            return msg("roster_rules.span_same_day", "from {start} to {end} on {day}",
                       start=start.time(), end=end.time(), day=start.date())
        return msg("roster_rules.span_two_days", "from {start} on {start_day} to {end} on {end_day}",
                   start=start.time(), start_day=start.date(), end=end.time(), end_day=end.date())


# --------------------------------------------------------------------------
# Helpers for wording and arithmetic
# --------------------------------------------------------------------------


def _hours_and_minutes(length: timedelta) -> Message:
    """'10 h 59 min' or '11 h' (whole minutes, rounded down)."""
    minutes = int(length.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if minutes:
        return msg("roster_rules.hours_minutes", "{hours} h {minutes} min", hours=hours, minutes=minutes)
    return msg("roster_rules.hours", "{hours} h", hours=hours)


def _minutes(length: timedelta) -> int:
    # Round up so that 240 min 30 s reads as over a 240-minute limit, not at it.
    return -int(-length.total_seconds() // 60)


def _time_inside(shift: ShiftPlan, lo: datetime, hi: datetime) -> timedelta:
    return max(_NO_TIME, min(shift.ends_at, hi) - max(shift.starts_at, lo))


def _ids(shifts: Iterable[ShiftPlan]) -> tuple[UUID, ...]:
    return tuple(s.id for s in shifts)


def _folded(name: str) -> str:
    # Brand and category names are typed by people: "Lancôme " and "lancôme"
    # are one brand, and a false block cannot be overridden.
    return name.strip().casefold()


def _knows(trained: Iterable[str], wanted: str) -> bool:
    wanted = _folded(wanted)
    return any(_folded(name) == wanted for name in trained)


# --------------------------------------------------------------------------
# Blocks: what must never happen
# --------------------------------------------------------------------------


def check_anchor_double_booked(ctx: RosterContext, shift: ShiftPlan) -> list[Violation]:
    """An anchor cannot be in two places at once (shifts that only touch are fine)."""
    anchor = ctx.anchor(shift.anchor_id)
    return [
        Violation(
            rule="anchor_double_booked",
            severity=Severity.BLOCK,
            shift_id=shift.id,
            message=msg("roster_rules.anchor_double_booked", "{anchor} is already on shift in {room} {span}.",
                        anchor=anchor.name, room=ctx.room(other.room_id).name,
                        span=ctx.span(other.starts_at, other.ends_at)),
            related_shift_ids=(other.id,),
        )
        for other in ctx.anchor_shifts(shift.anchor_id).overlapping(
            shift.starts_at, shift.ends_at, excluding=shift.id
        )
    ]


def check_anchor_active(ctx: RosterContext, shift: ShiftPlan) -> list[Violation]:
    """Only an active anchor is put on the roster; a deactivated one's booked shifts need someone else."""
    anchor = ctx.anchor(shift.anchor_id)
    if anchor.active:
        return []
    return [Violation(
        rule="anchor_inactive",
        severity=Severity.BLOCK,
        shift_id=shift.id,
        message=msg("roster_rules.anchor_inactive",
                    "{anchor} is no longer active; give the shift to another anchor.", anchor=anchor.name),
    )]


def check_room_active(ctx: RosterContext, shift: ShiftPlan) -> list[Violation]:
    """A live room taken out of use holds no shifts."""
    room = ctx.room(shift.room_id)
    if room.active:
        return []
    return [Violation(
        rule="room_inactive",
        severity=Severity.BLOCK,
        shift_id=shift.id,
        message=msg("roster_rules.room_inactive", "{room} is closed for shifts; move the shift to another room.",
                    room=room.name),
    )]


def _books_room_with(shift: ShiftPlan, other: ShiftPlan) -> bool:
    """Whether two overlapping shifts in one room mean the room is booked twice.

    A room holds one show at a time, and the host, co-hosts and room controller
    of that show share it. So shifts for different broadcasts clash; shifts of
    the same broadcast never do. A shift not yet tied to a broadcast is crew
    for whatever show the room holds, unless both are hosts: two hosts with
    no common show means two shows.
    """
    if shift.broadcast_id is not None and other.broadcast_id is not None:
        return shift.broadcast_id != other.broadcast_id
    return shift.role is ShiftRole.HOST and other.role is ShiftRole.HOST


def check_room_double_booked(ctx: RosterContext, shift: ShiftPlan) -> list[Violation]:
    """A live room cannot hold two shows at once."""
    room = ctx.room(shift.room_id)
    violations = []
    for other in ctx.room_shifts(shift.room_id).overlapping(shift.starts_at, shift.ends_at, excluding=shift.id):
        if not _books_room_with(shift, other):
            continue
        show = ctx.broadcast(other.broadcast_id)
        booked_for = (msg("roster_rules.booked_for_show", "'{show}'", show=show.title) if show
                      else msg("roster_rules.booked_for_host", "{anchor} hosting",
                               anchor=ctx.anchor(other.anchor_id).name))
        violations.append(Violation(
            rule="room_double_booked",
            severity=Severity.BLOCK,
            shift_id=shift.id,
            message=msg("roster_rules.room_double_booked", "{room} is already booked for {booked_for} {span}.",
                        room=room.name, booked_for=booked_for, span=ctx.span(other.starts_at, other.ends_at)),
            related_shift_ids=(other.id,),
        ))
    return violations


def check_room_hours(ctx: RosterContext, shift: ShiftPlan) -> list[Violation]:
    """A shift must lie within one opening of its room; it may end exactly at closing."""
    room = ctx.room(shift.room_id)
    if room.opens_at == room.closes_at:
        return []
    closes_next_day = room.closes_at < room.opens_at
    start_day = ctx.local_date(shift.starts_at)
    # A room that closes after midnight may still be in yesterday's opening.
    for day in (start_day - _ONE_DAY, start_day):
        opens = ctx.at_local(day, room.opens_at)
        closes = ctx.at_local(day + _ONE_DAY if closes_next_day else day, room.closes_at)
        if opens <= shift.starts_at and shift.ends_at <= closes:
            return []
    return [Violation(
        rule="room_outside_hours",
        severity=Severity.BLOCK,
        shift_id=shift.id,
        message=msg("roster_rules.room_outside_hours",
                    "{room} is open from {opens} to {closes}; this shift runs {span}.",
                    room=room.name, opens=room.opens_at, closes=room.closes_at,
                    span=ctx.span(shift.starts_at, shift.ends_at)),
    )]


def check_broadcast_room(ctx: RosterContext, shift: ShiftPlan) -> list[Violation]:
    """A shift that works a broadcast must be in the room the broadcast airs from."""
    broadcast = ctx.broadcast(shift.broadcast_id)
    if broadcast is None or broadcast.room_id is None or broadcast.room_id == shift.room_id:
        return []
    airs_from: str | Message
    try:
        airs_from = ctx.room(broadcast.room_id).name
    except UnknownRosterEntry:
        airs_from = msg("roster_rules.another_room", "another room")
    return [Violation(
        rule="wrong_room_for_broadcast",
        severity=Severity.BLOCK,
        shift_id=shift.id,
        message=msg("roster_rules.wrong_room_for_broadcast", "'{show}' airs from {airs_from}, not {room}.",
                    show=broadcast.title, airs_from=airs_from, room=ctx.room(shift.room_id).name),
    )]


def check_trained_for_broadcast(ctx: RosterContext, shift: ShiftPlan) -> list[Violation]:
    """An anchor on camera must be trained for what the broadcast sells.

    Policy: if the broadcast names a brand, the anchor must be trained for that
    brand; brand training covers the brand's own category. Only when the
    broadcast names a category and no brand must the anchor be trained for
    the category. A broadcast naming neither, a shift with no broadcast, and
    a room controller (off camera) are not checked.
    """
    if not shift.on_air:
        return []
    show = ctx.broadcast(shift.broadcast_id)
    if show is None:
        return []
    anchor = ctx.anchor(shift.anchor_id)
    if show.brand.strip():
        if _knows(anchor.trained_brands, show.brand):
            return []
        missing = msg("roster_rules.missing_brand", "the brand {brand}", brand=show.brand.strip())
    elif show.category.strip():
        if _knows(anchor.trained_categories, show.category):
            return []
        missing = msg("roster_rules.missing_category", "the category {category}", category=show.category.strip())
    else:
        return []
    return [Violation(
        rule="anchor_not_trained",
        severity=Severity.BLOCK,
        shift_id=shift.id,
        message=msg("roster_rules.anchor_not_trained",
                    "{anchor} is not trained for {missing}, which '{show}' presents.",
                    anchor=anchor.name, missing=missing, show=show.title),
    )]


def check_certification(ctx: RosterContext, shift: ShiftPlan) -> list[Violation]:
    """An anchor on camera must hold a certification valid on the (local) day the shift starts.

    The certification is good through its expiry date. No expiry on record
    means nothing to expire. Room controllers are off camera and not checked.
    """
    if not shift.on_air:
        return []
    anchor = ctx.anchor(shift.anchor_id)
    expires = anchor.certification_expires
    if expires is None or expires >= ctx.local_date(shift.starts_at):
        return []
    return [Violation(
        rule="certification_expired",
        severity=Severity.BLOCK,
        shift_id=shift.id,
        message=msg("roster_rules.certification_expired",
                    "{anchor}'s certification expired on {expires}; renew it before putting them on air.",
                    anchor=anchor.name, expires=expires),
    )]


def check_time_off(ctx: RosterContext, shift: ShiftPlan) -> list[Violation]:
    """No shift during approved time off; a request not yet approved does not block."""
    anchor = ctx.anchor(shift.anchor_id)
    return [
        Violation(
            rule="shift_on_time_off",
            severity=Severity.BLOCK,
            shift_id=shift.id,
            message=msg("roster_rules.shift_on_time_off", "{anchor} has approved time off {span}.",
                        anchor=anchor.name, span=ctx.span(off.starts_at, off.ends_at)),
        )
        for off in ctx.time_off_of(shift.anchor_id)
        if off.approved and off.starts_at < shift.ends_at and shift.starts_at < off.ends_at
    ]


# --------------------------------------------------------------------------
# Warnings: what should not happen without a reason
# --------------------------------------------------------------------------


def check_rest_time(ctx: RosterContext, shift: ShiftPlan) -> list[Violation]:
    """Rest between one working day and the next must reach the minimum (default 11 h).

    A working day is the shifts starting on one local date; a gap inside a day
    (a split shift, lunch) is a break, not rest. Rest runs from the latest end
    of one working day to the first start of the anchor's next working day,
    so only the day's first shift (rest before) and last shift (rest after)
    can fall short. Overlaps are the double-booking rule's business.
    """
    anchor = ctx.anchor(shift.anchor_id)
    timeline = ctx.anchor_shifts(shift.anchor_id)
    min_rest = ctx.settings.min_rest
    day_start, day_end = ctx.day_bounds(ctx.local_date(shift.starts_at))
    same_day = timeline.starting(day_start, day_end, excluding=shift.id)

    def short_rest(earlier: ShiftPlan, later: ShiftPlan) -> Violation | None:
        rest = later.starts_at - earlier.ends_at
        if not _NO_TIME <= rest < min_rest:
            return None
        return Violation(
            rule="rest_too_short",
            severity=Severity.WARN,
            shift_id=shift.id,
            message=msg(
                "roster_rules.rest_too_short",
                "{anchor} would rest only {rest} between the shift ending {ended} on {ended_day} "
                "and the one starting {starts} on {starts_day} (at least {minimum}).",
                anchor=anchor.name, rest=_hours_and_minutes(rest),
                ended=ctx.clock(earlier.ends_at), ended_day=ctx.local_date(earlier.ends_at),
                starts=ctx.clock(later.starts_at), starts_day=ctx.local_date(later.starts_at),
                minimum=_hours_and_minutes(min_rest),
            ),
            related_shift_ids=((later if earlier is shift else earlier).id,),
        )

    found: list[Violation | None] = []
    if all(shift.starts_at <= s.starts_at for s in same_day):
        previous = timeline.last_starting_before(day_start, excluding=shift.id)
        if previous is not None:
            previous_day_start, _ = ctx.day_bounds(ctx.local_date(previous.starts_at))
            previous_day = timeline.starting(previous_day_start, day_start, excluding=shift.id)
            found.append(short_rest(max(previous_day, key=lambda s: s.ends_at), shift))
    if all(shift.ends_at >= s.ends_at for s in same_day):
        following = timeline.first_starting_from(day_end, excluding=shift.id)
        if following is not None:
            found.append(short_rest(shift, following))
    return [v for v in found if v is not None]


def check_on_air_minutes_per_day(ctx: RosterContext, shift: ShiftPlan) -> list[Violation]:
    """On-air minutes per local day stay within the limit; a shift over midnight counts on both days by its share."""
    if not shift.on_air:
        return []
    anchor = ctx.anchor(shift.anchor_id)
    limit = ctx.settings.max_on_air_minutes_per_day
    violations = []
    for day, lo, hi in ctx.days_touched(shift.starts_at, shift.ends_at):
        others = [s for s in ctx.anchor_shifts(shift.anchor_id).overlapping(lo, hi, excluding=shift.id) if s.on_air]
        on_air = sum((_time_inside(s, lo, hi) for s in (shift, *others)), _NO_TIME)
        if on_air > timedelta(minutes=limit):
            violations.append(Violation(
                rule="on_air_minutes_per_day",
                severity=Severity.WARN,
                shift_id=shift.id,
                message=msg("roster_rules.on_air_minutes_per_day",
                            "{anchor} would be on air {minutes} minutes on {day} (limit {limit}).",
                            anchor=anchor.name, minutes=_minutes(on_air), day=day, limit=limit),
                related_shift_ids=_ids(others),
            ))
    return violations


def check_on_air_minutes_in_a_row(ctx: RosterContext, shift: ShiftPlan) -> list[Violation]:
    """An anchor's voice needs a real break within the limit of on-air minutes in a row.

    On-air shifts separated by less than ``min_voice_rest`` join into one
    stretch, and the stretch counts from its first start to its last end:
    a five-minute pause does not rest a voice.
    """
    if not shift.on_air:
        return []
    anchor = ctx.anchor(shift.anchor_id)
    timeline = ctx.anchor_shifts(shift.anchor_id)
    pause = ctx.settings.min_voice_rest
    limit = ctx.settings.max_on_air_minutes_in_a_row
    stretch_start, stretch_end = shift.starts_at, shift.ends_at
    joined: dict[UUID, ShiftPlan] = {}
    while True:
        # A gap shorter than the pause joins: other.end > start - pause, other.start < end + pause.
        near = [
            s for s in timeline.overlapping(stretch_start - pause, stretch_end + pause, excluding=shift.id)
            if s.on_air and s.id not in joined
        ]
        if not near:
            break
        for s in near:
            joined[s.id] = s
            stretch_start = min(stretch_start, s.starts_at)
            stretch_end = max(stretch_end, s.ends_at)
    if stretch_end - stretch_start <= timedelta(minutes=limit):
        return []
    return [Violation(
        rule="on_air_minutes_in_a_row",
        severity=Severity.WARN,
        shift_id=shift.id,
        message=msg(
            "roster_rules.on_air_minutes_in_a_row",
            "{anchor} would be on air {minutes} minutes in a row {span} without a {pause}-minute break "
            "(limit {limit}).",
            anchor=anchor.name, minutes=_minutes(stretch_end - stretch_start),
            span=ctx.span(stretch_start, stretch_end), pause=_minutes(pause), limit=limit,
        ),
        related_shift_ids=_ids(sorted(joined.values(), key=_start_of)),
    )]


def check_weekly_hours(ctx: RosterContext, shift: ShiftPlan) -> list[Violation]:
    """All of an anchor's shifts in a local Monday-to-Sunday week stay within their weekly cap."""
    anchor = ctx.anchor(shift.anchor_id)
    cap = timedelta(hours=anchor.weekly_hours_cap)
    violations = []
    start_day = ctx.local_date(shift.starts_at)
    monday = start_day - timedelta(days=start_day.weekday())
    while True:
        lo, _ = ctx.day_bounds(monday)
        hi, _ = ctx.day_bounds(monday + timedelta(days=7))
        if lo >= shift.ends_at:
            return violations
        others = ctx.anchor_shifts(shift.anchor_id).overlapping(lo, hi, excluding=shift.id)
        worked = sum((_time_inside(s, lo, hi) for s in (shift, *others)), _NO_TIME)
        if worked > cap:
            violations.append(Violation(
                rule="weekly_hours_over_cap",
                severity=Severity.WARN,
                shift_id=shift.id,
                message=msg("roster_rules.weekly_hours_over_cap",
                            "{anchor} would work {worked} in the week of Monday {monday} (cap {cap} h).",
                            anchor=anchor.name, worked=_hours_and_minutes(worked), monday=monday,
                            cap=anchor.weekly_hours_cap),
                related_shift_ids=_ids(others),
            ))
        monday += timedelta(days=7)


def check_days_in_a_row(ctx: RosterContext, shift: ShiftPlan) -> list[Violation]:
    """An anchor gets a day off after the configured days in a row (default 6).

    A shift belongs to the local day it starts, so a shift ending after
    midnight does not make the next day a working day.
    """
    anchor = ctx.anchor(shift.anchor_id)
    timeline = ctx.anchor_shifts(shift.anchor_id)
    limit = ctx.settings.max_days_in_a_row

    def works_on(day: date) -> bool:
        lo, hi = ctx.day_bounds(day)
        return bool(timeline.starting(lo, hi, excluding=shift.id))

    day = ctx.local_date(shift.starts_at)
    first, last = day, day
    while works_on(first - _ONE_DAY):
        first -= _ONE_DAY
    while works_on(last + _ONE_DAY):
        last += _ONE_DAY
    days = (last - first).days + 1
    if days <= limit:
        return []
    run_start, _ = ctx.day_bounds(first)
    _, run_end = ctx.day_bounds(last)
    return [Violation(
        rule="too_many_days_in_a_row",
        severity=Severity.WARN,
        shift_id=shift.id,
        message=msg("roster_rules.too_many_days_in_a_row",
                    "{anchor} would work {days} days in a row, from {first} to {last} (limit {limit}).",
                    anchor=anchor.name, days=days, first=first, last=last, limit=limit),
        related_shift_ids=_ids(timeline.starting(run_start, run_end, excluding=shift.id)),
    )]


# Blocks first, then warnings, each in the order a manager would fix them.
RULES: tuple[RosterRule, ...] = (
    check_anchor_double_booked,
    check_room_double_booked,
    check_room_hours,
    check_broadcast_room,
    check_trained_for_broadcast,
    check_certification,
    check_time_off,
    check_anchor_active,
    check_room_active,
    check_rest_time,
    check_on_air_minutes_per_day,
    check_on_air_minutes_in_a_row,
    check_weekly_hours,
    check_days_in_a_row,
)

# The blocks alone: what a shift already booked is flagged for when the facts change under it
# (time off approved, an anchor deactivated, a room's hours changed) until it is moved or reassigned.
BLOCK_RULES: tuple[RosterRule, ...] = tuple(rule for rule in RULES if rule not in (
    check_rest_time, check_on_air_minutes_per_day, check_on_air_minutes_in_a_row, check_weekly_hours,
    check_days_in_a_row,
))
