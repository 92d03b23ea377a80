"""Roster rules, table by table: each threshold from both sides, in the store's local time.

Messages are compared in English (``str``); the dates here are in 2025, so
they show their year ("Nov 27, 2025") whatever year the tests run in.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.domain.enums import ShiftRole
from console.domain.errors import ValidationError
from console.i18n import msg
from console.rules.roster import (
    RULES,
    AnchorFacts,
    BroadcastFacts,
    RoomFacts,
    RosterContext,
    RosterSettings,
    Severity,
    ShiftPlan,
    TimeOffFacts,
    UnknownRosterEntry,
    Violation,
    blocking,
    can_save,
    check_anchor_double_booked,
    check_certification,
    check_days_in_a_row,
    check_on_air_minutes_in_a_row,
    check_on_air_minutes_per_day,
    check_rest_time,
    check_room_double_booked,
    check_room_hours,
    check_time_off,
    check_broadcast_room,
    check_trained_for_broadcast,
    check_weekly_hours,
    warnings,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOST, CO_HOST, CONTROLLER = ShiftRole.HOST, ShiftRole.CO_HOST, ShiftRole.ROOM_CONTROLLER

WANG = AnchorFacts(
    id=uuid4(), name="王芳",
    trained_brands=frozenset({"Lancôme"}), trained_categories=frozenset({"护肤"}),
    certification_expires=date(2026, 6, 30), weekly_hours_cap=44,
)
LI = AnchorFacts(
    id=uuid4(), name="李娜",
    trained_brands=frozenset({"Estée Lauder"}), trained_categories=frozenset({"彩妆"}),
)
ROOM_A = RoomFacts(id=uuid4(), name="直播间A", opens_at=time(9), closes_at=time(23))
ROOM_B = RoomFacts(id=uuid4(), name="直播间B", opens_at=time(9), closes_at=time(23))
LATE_ROOM = RoomFacts(id=uuid4(), name="夜场直播间", opens_at=time(18), closes_at=time(2))
ALWAYS_OPEN = RoomFacts(id=uuid4(), name="全天直播间", opens_at=time(0), closes_at=time(0))

LANCOME_SHOW = BroadcastFacts(id=uuid4(), title="兰蔻秋冬护肤专场", brand="Lancôme", category="护肤")
LANCOME_SHOW_LOWER = BroadcastFacts(id=uuid4(), title="兰蔻会员日", brand=" lancôme ", category="")
LAUDER_SHOW = BroadcastFacts(id=uuid4(), title="雅诗兰黛专场", brand="Estée Lauder", category="护肤")
SKINCARE_SHOW = BroadcastFacts(id=uuid4(), title="护肤好物", brand="", category="护肤")
MAKEUP_SHOW = BroadcastFacts(id=uuid4(), title="彩妆好物", brand="", category="彩妆")
OPEN_SHOW = BroadcastFacts(id=uuid4(), title="店庆开场", brand="", category="")
SHOWS = (LANCOME_SHOW, LANCOME_SHOW_LOWER, LAUDER_SHOW, SKINCARE_SHOW, MAKEUP_SHOW, OPEN_SHOW)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A local Shanghai time in November 2025 (Monday 11-24 starts a week)."""
    return datetime(2025, 11, day, hour, minute, tzinfo=SHANGHAI)


def plan(
    starts_at: datetime,
    ends_at: datetime,
    *,
    anchor: AnchorFacts = WANG,
    room: RoomFacts = ROOM_A,
    role: ShiftRole = HOST,
    show: BroadcastFacts | None = None,
) -> ShiftPlan:
    return ShiftPlan(
        id=uuid4(), anchor_id=anchor.id, room_id=room.id, role=role,
        starts_at=starts_at, ends_at=ends_at, broadcast_id=show.id if show else None,
    )


def roster(
    *shifts: ShiftPlan,
    anchors: tuple[AnchorFacts, ...] = (WANG, LI),
    time_off: tuple[TimeOffFacts, ...] = (),
    roster_settings: RosterSettings | None = None,
) -> RosterContext:
    return RosterContext(
        anchors=anchors, rooms=(ROOM_A, ROOM_B, LATE_ROOM, ALWAYS_OPEN), broadcasts=SHOWS,
        time_off=time_off, shifts=shifts, settings=roster_settings or RosterSettings(),
    )


def rules_fired(violations: list[Violation]) -> list[str]:
    return [v.rule for v in violations]


# --------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------


def test_shift_times_are_kept_in_utc():
    shift = plan(at(27, 14), at(27, 16))
    assert shift.starts_at == datetime(2025, 11, 27, 6, 0, tzinfo=shift.starts_at.tzinfo)
    assert shift.starts_at.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("starts_at", "ends_at"),
    [
        (datetime(2025, 11, 27, 14), at(27, 16)),   # no time zone
        (at(27, 16), at(27, 16)),                   # ends as it starts
        (at(27, 16), at(27, 14)),                   # ends before it starts
    ],
)
def test_a_shift_that_cannot_be_is_refused(starts_at, ends_at):
    with pytest.raises(ValidationError):
        plan(starts_at, ends_at)


def test_a_shift_for_an_unknown_anchor_is_refused():
    stranger = AnchorFacts(id=uuid4(), name="陌生人")
    with pytest.raises(UnknownRosterEntry):
        roster().check(plan(at(27, 14), at(27, 16), anchor=stranger))


# --------------------------------------------------------------------------
# Blocks
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("existing", "proposed", "clashes"),
    [
        pytest.param((at(27, 14), at(27, 16)), (at(27, 16), at(27, 18)), False, id="back-to-back after"),
        pytest.param((at(27, 14), at(27, 16)), (at(27, 12), at(27, 14)), False, id="back-to-back before"),
        pytest.param((at(27, 14), at(27, 16)), (at(27, 15, 59), at(27, 18)), True, id="one minute over the end"),
        pytest.param((at(27, 14), at(27, 16)), (at(27, 12), at(27, 14, 1)), True, id="one minute over the start"),
        pytest.param((at(27, 14), at(27, 16)), (at(27, 14, 30), at(27, 15)), True, id="inside"),
        pytest.param((at(27, 14), at(27, 16)), (at(27, 13), at(27, 17)), True, id="around"),
        pytest.param((at(27, 8), at(27, 20)), (at(27, 19), at(27, 21)), True, id="long shift started earlier"),
        pytest.param((at(27, 23), at(28, 1)), (at(28, 0, 30), at(28, 2)), True, id="over midnight"),
    ],
)
def test_anchor_double_booked(existing, proposed, clashes):
    ctx = roster(plan(*existing, room=ROOM_B))
    assert bool(check_anchor_double_booked(ctx, plan(*proposed))) is clashes


def test_anchor_double_booked_names_the_other_shift_in_local_time():
    other = plan(at(27, 14), at(27, 16))
    [violation] = check_anchor_double_booked(roster(other), plan(at(27, 15), at(27, 17), room=ROOM_B))
    assert violation.severity is Severity.BLOCK
    assert str(violation.message) == "王芳 is already on shift in 直播间A from 14:00 to 16:00 on Nov 27, 2025."
    assert violation.related_shift_ids == (other.id,)


@pytest.mark.parametrize(
    ("existing", "proposed", "clashes"),
    [
        pytest.param(dict(show=LANCOME_SHOW), dict(show=LAUDER_SHOW, starts=(16, 0)), False,
                     id="next show starts as the last ends"),
        pytest.param(dict(show=LANCOME_SHOW), dict(show=LAUDER_SHOW, starts=(15, 59)), True,
                     id="next show one minute early"),
        pytest.param(dict(show=LANCOME_SHOW), dict(show=LANCOME_SHOW, role=CONTROLLER), False,
                     id="crew of one show"),
        pytest.param(dict(show=LANCOME_SHOW), dict(show=LANCOME_SHOW, role=CO_HOST), False,
                     id="co-host of one show"),
        pytest.param(dict(), dict(role=CONTROLLER), False, id="unplanned host and controller"),
        pytest.param(dict(), dict(), True, id="two unplanned hosts"),
        pytest.param(dict(show=LANCOME_SHOW), dict(), True, id="unplanned host in a booked show"),
        pytest.param(dict(show=LANCOME_SHOW), dict(show=LAUDER_SHOW, room=ROOM_B), False, id="other room"),
    ],
)
def test_room_double_booked(existing, proposed, clashes):
    ctx = roster(plan(at(27, 14), at(27, 16), show=existing.get("show"), role=existing.get("role", HOST)))
    hour, minute = proposed.get("starts", (15, 0))
    shift = plan(
        at(27, hour, minute), at(27, 18), anchor=LI, room=proposed.get("room", ROOM_A),
        role=proposed.get("role", HOST), show=proposed.get("show"),
    )
    assert bool(check_room_double_booked(ctx, shift)) is clashes


def test_room_double_booked_names_the_show():
    ctx = roster(plan(at(27, 14), at(27, 16), show=LANCOME_SHOW))
    [violation] = check_room_double_booked(ctx, plan(at(27, 15), at(27, 17), anchor=LI, show=LAUDER_SHOW))
    assert str(violation.message) == (
        "直播间A is already booked for '兰蔻秋冬护肤专场' from 14:00 to 16:00 on Nov 27, 2025.")


@pytest.mark.parametrize(
    ("room", "starts_at", "ends_at", "allowed"),
    [
        pytest.param(ROOM_A, at(27, 21), at(27, 23), True, id="ends exactly at closing"),
        pytest.param(ROOM_A, at(27, 21), at(27, 23, 1), False, id="one minute after closing"),
        pytest.param(ROOM_A, at(27, 9), at(27, 11), True, id="starts exactly at opening"),
        pytest.param(ROOM_A, at(27, 8, 59), at(27, 11), False, id="one minute before opening"),
        pytest.param(ROOM_A, at(27, 23), at(28, 1), False, id="23:00-01:00 in a day room"),
        pytest.param(LATE_ROOM, at(27, 23), at(28, 1), True, id="23:00-01:00 in a late room"),
        pytest.param(LATE_ROOM, at(28, 1), at(28, 2), True, id="after midnight in yesterday's opening"),
        pytest.param(LATE_ROOM, at(28, 1), at(28, 2, 1), False, id="one minute after a late closing"),
        pytest.param(LATE_ROOM, at(27, 17, 59), at(27, 20), False, id="one minute before a late opening"),
        pytest.param(ALWAYS_OPEN, at(27, 23), at(28, 1), True, id="room that never closes"),
    ],
)
def test_room_hours(room, starts_at, ends_at, allowed):
    violations = check_room_hours(roster(), plan(starts_at, ends_at, room=room))
    assert (not violations) is allowed


def test_room_hours_message_is_in_local_time():
    [violation] = check_room_hours(roster(), plan(at(27, 23), at(28, 1)))
    assert str(violation.message) == (
        "直播间A is open from 09:00 to 23:00; this shift runs from 23:00 on Nov 27, 2025 to 01:00 on Nov 28, 2025."
    )


@pytest.mark.parametrize(
    ("show", "anchor", "role", "allowed"),
    [
        pytest.param(LANCOME_SHOW, WANG, HOST, True, id="trained for the brand"),
        pytest.param(LANCOME_SHOW_LOWER, WANG, HOST, True, id="brand spelt differently"),
        pytest.param(LAUDER_SHOW, WANG, HOST, False, id="category trained, brand not"),
        pytest.param(LAUDER_SHOW, LI, HOST, True, id="brand trained, category not"),
        pytest.param(SKINCARE_SHOW, WANG, HOST, True, id="category only, trained"),
        pytest.param(MAKEUP_SHOW, WANG, HOST, False, id="category only, not trained"),
        pytest.param(MAKEUP_SHOW, WANG, CO_HOST, False, id="co-host is on camera too"),
        pytest.param(MAKEUP_SHOW, WANG, CONTROLLER, True, id="room controller is off camera"),
        pytest.param(OPEN_SHOW, WANG, HOST, True, id="show names neither"),
        pytest.param(None, WANG, HOST, True, id="no show yet"),
    ],
)
def test_trained_for_broadcast(show, anchor, role, allowed):
    shift = plan(at(27, 14), at(27, 16), anchor=anchor, role=role, show=show)
    violations = check_trained_for_broadcast(roster(), shift)
    assert (not violations) is allowed


@pytest.mark.parametrize(("room", "allowed"), [(ROOM_A, True), (ROOM_B, False)])
def test_broadcast_room(room, allowed):
    show = replace(LANCOME_SHOW, room_id=ROOM_A.id)
    ctx = RosterContext(anchors=(WANG, LI), rooms=(ROOM_A, ROOM_B), broadcasts=(show,))
    violations = check_broadcast_room(ctx, plan(at(27, 14), at(27, 16), room=room, show=show))
    assert (violations == []) is allowed
    if not allowed:
        assert str(violations[0].message) == "'兰蔻秋冬护肤专场' airs from 直播间A, not 直播间B."
        assert blocking(violations) == violations


def test_a_broadcast_without_a_room_or_a_shift_without_a_show_passes():
    assert check_broadcast_room(roster(), plan(at(27, 14), at(27, 16), room=ROOM_B, show=LANCOME_SHOW)) == []
    assert check_broadcast_room(roster(), plan(at(27, 14), at(27, 16), room=ROOM_B)) == []


def test_untrained_message_names_brand_and_show():
    [violation] = check_trained_for_broadcast(roster(), plan(at(27, 14), at(27, 16), show=LAUDER_SHOW))
    assert str(violation.message) == "王芳 is not trained for the brand Estée Lauder, which '雅诗兰黛专场' presents."


@pytest.mark.parametrize(
    ("expires", "starts_at", "role", "allowed"),
    [
        pytest.param(date(2025, 11, 27), at(27, 10), HOST, True, id="valid through its expiry day"),
        pytest.param(date(2025, 11, 26), at(27, 10), HOST, False, id="expired the day before"),
        pytest.param(date(2025, 11, 26), at(27, 0, 30), HOST, False, id="local date, not UTC date"),
        pytest.param(date(2025, 11, 26), at(26, 23), HOST, True, id="starts on the expiry day, ends after"),
        pytest.param(None, at(27, 10), HOST, True, id="no expiry on record"),
        pytest.param(date(2025, 11, 26), at(27, 10), CONTROLLER, True, id="room controller is off camera"),
    ],
)
def test_certification(expires, starts_at, role, allowed):
    anchor = replace(WANG, certification_expires=expires)
    ctx = roster(anchors=(anchor,))
    violations = check_certification(ctx, plan(starts_at, starts_at + timedelta(hours=2), anchor=anchor, role=role))
    assert (not violations) is allowed


@pytest.mark.parametrize(
    ("time_off", "allowed"),
    [
        pytest.param(TimeOffFacts(WANG.id, at(27, 0), at(28, 0), approved=True), False, id="approved day off"),
        pytest.param(TimeOffFacts(WANG.id, at(27, 0), at(28, 0), approved=False), True, id="only requested"),
        pytest.param(TimeOffFacts(WANG.id, at(27, 8), at(27, 14), approved=True), True, id="ends as shift starts"),
        pytest.param(TimeOffFacts(WANG.id, at(27, 8), at(27, 14, 1), approved=True), False, id="one minute over"),
        pytest.param(TimeOffFacts(LI.id, at(27, 0), at(28, 0), approved=True), True, id="someone else's"),
    ],
)
def test_time_off(time_off, allowed):
    violations = check_time_off(roster(time_off=(time_off,)), plan(at(27, 14), at(27, 16)))
    assert (not violations) is allowed


# --------------------------------------------------------------------------
# Warnings
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("existing", "proposed", "warns"),
    [
        pytest.param([(at(26, 18), at(26, 22))], (at(27, 9), at(27, 12)), False, id="exactly 11 h"),
        pytest.param([(at(26, 18), at(26, 22))], (at(27, 8, 59), at(27, 12)), True, id="10 h 59 min"),
        pytest.param([(at(28, 9), at(28, 12))], (at(27, 18), at(27, 22)), False, id="exactly 11 h before tomorrow"),
        pytest.param([(at(28, 8, 59), at(28, 12))], (at(27, 18), at(27, 22)), True, id="too little before tomorrow"),
        pytest.param([(at(26, 23), at(27, 1))], (at(27, 9), at(27, 12)), True, id="after a 23:00-01:00 shift"),
        pytest.param([(at(26, 23), at(27, 1))], (at(27, 12), at(27, 14)), False, id="11 h after 23:00-01:00"),
        pytest.param([(at(27, 9), at(27, 12))], (at(27, 14), at(27, 17)), False, id="split day is a break"),
        pytest.param([(at(26, 18), at(26, 22)), (at(27, 9), at(27, 12))], (at(27, 14), at(27, 17)), False,
                     id="not the day's first shift"),
        pytest.param([(at(20, 18), at(20, 22))], (at(27, 9), at(27, 12)), False, id="last shift a week ago"),
    ],
)
def test_rest_time(existing, proposed, warns):
    ctx = roster(*(plan(s, e) for s, e in existing))
    assert bool(check_rest_time(ctx, plan(*proposed))) is warns


def test_rest_time_message():
    [violation] = check_rest_time(roster(plan(at(26, 18), at(26, 22))), plan(at(27, 8, 59), at(27, 12)))
    assert violation.severity is Severity.WARN
    assert str(violation.message) == (
        "王芳 would rest only 10 h 59 min between the shift ending 22:00 on Nov 26, 2025 "
        "and the one starting 08:59 on Nov 27, 2025 (at least 11 h)."
    )


def test_rest_minimum_is_a_setting():
    ctx = roster(plan(at(26, 18), at(26, 22)), roster_settings=RosterSettings(min_rest=timedelta(hours=12)))
    assert check_rest_time(ctx, plan(at(27, 9), at(27, 12)))


@pytest.mark.parametrize(
    ("existing", "proposed", "warned_days"),
    [
        pytest.param([(at(27, 10), at(27, 12), HOST)], (at(27, 14), at(27, 16), HOST), [], id="240 minutes"),
        pytest.param([(at(27, 10), at(27, 12), HOST)], (at(27, 14), at(27, 16, 1), HOST), [27],
                     id="241 minutes"),
        pytest.param([(at(27, 10), at(27, 12), CO_HOST)], (at(27, 14), at(27, 16, 1), HOST), [27],
                     id="co-host minutes count"),
        pytest.param([(at(27, 8), at(27, 12), CONTROLLER)], (at(27, 14), at(27, 16), HOST), [],
                     id="room controller is not on air"),
        pytest.param([(at(27, 10), at(27, 15), HOST)], (at(27, 16), at(27, 18), CONTROLLER), [],
                     id="judged only on on-air shifts"),
        pytest.param([(at(27, 14), at(27, 17), HOST)], (at(27, 23), at(28, 1), HOST), [],
                     id="180 + 60 before midnight"),
        pytest.param([(at(27, 14), at(27, 17, 1), HOST)], (at(27, 23), at(28, 1), HOST), [27],
                     id="181 + 60 before midnight"),
        pytest.param([(at(28, 10), at(28, 13, 1), HOST)], (at(27, 23), at(28, 1), HOST), [28],
                     id="60 after midnight + 181"),
        pytest.param([(at(26, 10), at(26, 14), HOST)], (at(27, 10), at(27, 14), HOST), [],
                     id="yesterday does not count"),
    ],
)
def test_on_air_minutes_per_day(existing, proposed, warned_days):
    ctx = roster(*(plan(s, e, role=r, room=ALWAYS_OPEN) for s, e, r in existing))
    starts_at, ends_at, role = proposed
    violations = check_on_air_minutes_per_day(ctx, plan(starts_at, ends_at, role=role, room=ALWAYS_OPEN))
    # The day each warning names (of November), as the message holds it: a local date.
    assert [v.message.values["day"] for v in violations] == [date(2025, 11, d) for d in warned_days]


def test_on_air_minutes_per_day_message():
    ctx = roster(plan(at(27, 10), at(27, 12)))
    [violation] = check_on_air_minutes_per_day(ctx, plan(at(27, 14), at(27, 16, 1)))
    assert str(violation.message) == "王芳 would be on air 241 minutes on Nov 27, 2025 (limit 240)."


@pytest.mark.parametrize(
    ("existing", "proposed", "warns"),
    [
        pytest.param([], (at(27, 14), at(27, 16), HOST), False, id="120 minutes"),
        pytest.param([], (at(27, 14), at(27, 16, 1), HOST), True, id="121 minutes"),
        pytest.param([(at(27, 14), at(27, 15), HOST)], (at(27, 15, 10), at(27, 16), HOST), False,
                     id="10-minute pause, 120 in all"),
        pytest.param([(at(27, 14), at(27, 15), HOST)], (at(27, 15, 10), at(27, 16, 1), HOST), True,
                     id="10-minute pause, 121 in all"),
        pytest.param([(at(27, 14), at(27, 15), HOST)], (at(27, 15, 15), at(27, 17), HOST), False,
                     id="15-minute break rests the voice"),
        pytest.param([(at(27, 14), at(27, 15), HOST)], (at(27, 15, 14), at(27, 17), HOST), True,
                     id="14-minute pause does not"),
        pytest.param([(at(27, 12), at(27, 13), HOST), (at(27, 13, 10), at(27, 14, 10), HOST)],
                     (at(27, 13), at(27, 13, 5), HOST), True, id="bridges two shifts"),
        pytest.param([(at(27, 14), at(27, 15), CONTROLLER)], (at(27, 15), at(27, 16, 30), HOST), False,
                     id="room controller time is not on air"),
        pytest.param([(at(27, 14), at(27, 15), HOST)], (at(27, 15), at(27, 17), CONTROLLER), False,
                     id="judged only on on-air shifts"),
        pytest.param([(at(27, 22), at(27, 23, 30), HOST)], (at(27, 23, 30), at(28, 0, 31), HOST), True,
                     id="over midnight"),
    ],
)
def test_on_air_minutes_in_a_row(existing, proposed, warns):
    ctx = roster(*(plan(s, e, role=r, room=ALWAYS_OPEN) for s, e, r in existing))
    starts_at, ends_at, role = proposed
    violations = check_on_air_minutes_in_a_row(ctx, plan(starts_at, ends_at, role=role, room=ALWAYS_OPEN))
    assert bool(violations) is warns


def test_on_air_in_a_row_message_and_setting():
    earlier = plan(at(27, 14), at(27, 15))
    ctx = roster(earlier, roster_settings=RosterSettings(min_voice_rest=timedelta(minutes=30)))
    [violation] = check_on_air_minutes_in_a_row(ctx, plan(at(27, 15, 20), at(27, 16, 30)))
    assert str(violation.message) == (
        "王芳 would be on air 150 minutes in a row from 14:00 to 16:30 on Nov 27, 2025 "
        "without a 30-minute break (limit 120)."
    )
    assert violation.related_shift_ids == (earlier.id,)


# Monday 11-24 to Sunday 11-30; three 11-hour days already planned.
_THREE_LONG_DAYS = [(at(d, 9), at(d, 20)) for d in (24, 25, 26)]


@pytest.mark.parametrize(
    ("existing", "proposed", "cap", "warns"),
    [
        pytest.param(_THREE_LONG_DAYS, (at(27, 9), at(27, 20)), 44, False, id="44 h"),
        pytest.param(_THREE_LONG_DAYS, (at(27, 9), at(27, 20, 1)), 44, True, id="44 h 1 min"),
        pytest.param(_THREE_LONG_DAYS, (at(27, 9), at(27, 16)), 40, False, id="40 h on a 40 h cap"),
        pytest.param(_THREE_LONG_DAYS, (at(27, 9), at(27, 16, 1)), 40, True, id="40 h 1 min on a 40 h cap"),
        pytest.param([(at(d, 9), at(d, 20)) for d in (21, 22, 23)], (at(27, 9), at(27, 20, 1)), 44, False,
                     id="last week does not count"),
        pytest.param(_THREE_LONG_DAYS, (at(30, 9), at(30, 20, 1)), 44, True, id="Sunday is still this week"),
        pytest.param(_THREE_LONG_DAYS, (at(30, 13), datetime(2025, 12, 1, 1, tzinfo=SHANGHAI)), 44, False,
                     id="11 h of a shift into Monday"),
        pytest.param(_THREE_LONG_DAYS, (at(30, 12, 59), datetime(2025, 12, 1, 1, tzinfo=SHANGHAI)), 44, True,
                     id="11 h 1 min of a shift into Monday"),
    ],
)
def test_weekly_hours(existing, proposed, cap, warns):
    anchor = replace(WANG, weekly_hours_cap=cap)
    # The planned days are room-controller shifts: every role counts toward the week.
    ctx = roster(*(plan(s, e, anchor=anchor, role=CONTROLLER) for s, e in existing), anchors=(anchor,))
    assert bool(check_weekly_hours(ctx, plan(*proposed, anchor=anchor))) is warns


def test_weekly_hours_message():
    ctx = roster(*(plan(s, e) for s, e in _THREE_LONG_DAYS))
    [violation] = check_weekly_hours(ctx, plan(at(27, 9), at(27, 20, 1)))
    assert str(violation.message) == "王芳 would work 44 h 1 min in the week of Monday Nov 24, 2025 (cap 44 h)."
    assert len(violation.related_shift_ids) == 3


@pytest.mark.parametrize(
    ("worked_days", "proposed", "warns"),
    [
        pytest.param([22, 23, 24, 25, 26], (at(27, 10), at(27, 12)), False, id="6 days"),
        pytest.param([21, 22, 23, 24, 25, 26], (at(27, 10), at(27, 12)), True, id="7 days"),
        pytest.param([21, 22, 23, 25, 26, 27], (at(24, 10), at(24, 12)), True, id="filling a day off makes 7"),
        pytest.param([20, 22, 23, 24, 25, 26], (at(27, 10), at(27, 12)), False, id="day off on 11-21"),
        pytest.param([22, 23, 24, 25, 26, 29], (at(27, 23), at(28, 1)), False,
                     id="23:00-01:00 counts on its start day only"),
        pytest.param([21, 22, 23, 24, 25], (at(26, 23), at(27, 1)), False, id="night shift ending on day 7"),
    ],
)
def test_days_in_a_row(worked_days, proposed, warns):
    ctx = roster(*(plan(at(d, 14), at(d, 16)) for d in worked_days))
    assert bool(check_days_in_a_row(ctx, plan(*proposed))) is warns


def test_days_in_a_row_message():
    ctx = roster(*(plan(at(d, 14), at(d, 16)) for d in (21, 22, 23, 24, 25, 26)))
    [violation] = check_days_in_a_row(ctx, plan(at(27, 10), at(27, 12)))
    assert str(violation.message) == "王芳 would work 7 days in a row, from Nov 21, 2025 to Nov 27, 2025 (limit 6)."
    assert len(violation.related_shift_ids) == 6


# --------------------------------------------------------------------------
# The context: moves, whole-roster checks, changes
# --------------------------------------------------------------------------


def test_a_moved_shift_does_not_clash_with_its_old_position():
    original = plan(at(27, 14), at(27, 16), show=LANCOME_SHOW)
    ctx = roster(original)
    moved = replace(original, starts_at=at(27, 15), ends_at=at(27, 17))
    assert ctx.check(moved) == []


@pytest.mark.parametrize(
    ("old_day", "new_day", "other_days"),
    [
        pytest.param(21, 27, [22, 23, 24, 25, 26], id="days in a row: old day no longer worked"),
        pytest.param(26, 27, [], id="rest: no rest needed after its own old position"),
    ],
)
def test_a_moved_shift_leaves_its_old_day(old_day, new_day, other_days):
    original = plan(at(old_day, 21), at(old_day, 23))
    ctx = roster(original, *(plan(at(d, 14), at(d, 16)) for d in other_days))
    moved = replace(original, starts_at=at(new_day, 9), ends_at=at(new_day, 11))
    assert ctx.check(moved) == []


def test_a_moved_shift_still_clashes_with_others():
    original = plan(at(27, 10), at(27, 12), show=LANCOME_SHOW)
    other = plan(at(27, 14), at(27, 15, 30), room=ROOM_B, show=LAUDER_SHOW)
    ctx = roster(original, other)
    moved = replace(original, starts_at=at(27, 15), ends_at=at(27, 16))
    assert rules_fired(ctx.check(moved)) == ["anchor_double_booked"]


def test_with_shift_and_without_return_new_contexts():
    first = plan(at(27, 10), at(27, 12))
    ctx = roster(first)
    moved = replace(first, starts_at=at(27, 14), ends_at=at(27, 16))
    second = plan(at(27, 18), at(27, 20))

    after_move = ctx.with_shift(moved)
    after_add = after_move.with_shift(second)
    after_remove = after_add.without(first.id)

    assert ctx.shift(first.id) == first
    assert after_move.shift(first.id) == moved and len(after_move) == 1
    assert [s.id for s in after_add.anchor_shifts(WANG.id).shifts] == [first.id, second.id]
    assert [s.id for s in after_add.room_shifts(ROOM_A.id).overlapping(at(27, 13), at(27, 15))] == [first.id]
    assert first.id not in after_remove and len(after_remove) == 1
    assert after_remove.anchor_shifts(WANG.id).shifts == (second,)
    assert after_remove.without(uuid4()).shifts() == [second]


def test_a_move_to_another_anchor_and_room_leaves_nothing_behind():
    first = plan(at(27, 10), at(27, 12))
    moved = replace(first, anchor_id=LI.id, room_id=ROOM_B.id)
    ctx = roster(first).with_shift(moved)
    assert ctx.anchor_shifts(WANG.id).shifts == ()
    assert ctx.room_shifts(ROOM_A.id).shifts == ()
    assert ctx.anchor_shifts(LI.id).shifts == (moved,)


def test_check_all_finds_every_violation_once():
    host = plan(at(27, 14), at(27, 16), show=LANCOME_SHOW)
    same_anchor_elsewhere = plan(at(27, 15), at(27, 15, 30), room=ROOM_B, show=LANCOME_SHOW)
    rival_show = plan(at(27, 15), at(27, 17), anchor=LI, show=LAUDER_SHOW)
    untrained = plan(at(28, 10), at(28, 12), anchor=LI, room=ROOM_B, show=MAKEUP_SHOW)
    on_leave = plan(at(29, 14), at(29, 16))
    late_night = plan(at(29, 20, 30), at(29, 22, 30), anchor=LI, room=ROOM_B)
    early_morning = plan(at(30, 9), at(30, 11), anchor=LI, room=ROOM_B)
    leave = TimeOffFacts(WANG.id, at(29, 0), at(30, 0), approved=True)
    lauder_only = replace(LI, trained_categories=frozenset())
    ctx = roster(
        host, same_anchor_elsewhere, rival_show, untrained, on_leave, late_night, early_morning,
        anchors=(WANG, lauder_only), time_off=(leave,),
    )

    found = {(v.rule, v.shift_id) for v in ctx.check_all()}

    assert found == {
        ("anchor_double_booked", host.id),
        ("room_double_booked", host.id),
        ("anchor_not_trained", untrained.id),
        ("shift_on_time_off", on_leave.id),
        ("rest_too_short", late_night.id),
    }
    assert len(ctx.check_all()) == len(found)


def test_check_runs_every_rule_in_order():
    assert len(RULES) == 14
    assert RULES[0] is check_anchor_double_booked
    ctx = roster(plan(at(27, 10), at(27, 12)))
    shift = plan(at(27, 11), at(27, 23, 30), show=MAKEUP_SHOW)
    assert rules_fired(ctx.check(shift)) == [
        "anchor_double_booked", "room_double_booked", "room_outside_hours", "anchor_not_trained",
        "on_air_minutes_per_day", "on_air_minutes_in_a_row",
    ]


# --------------------------------------------------------------------------
# Overrides
# --------------------------------------------------------------------------


def _violation(severity: Severity) -> Violation:
    return Violation(rule="any", severity=severity, shift_id=uuid4(), message=msg("test.any", "…"))


BLOCK = _violation(Severity.BLOCK)
WARN = _violation(Severity.WARN)


@pytest.mark.parametrize(
    ("violations", "reason", "saves"),
    [
        pytest.param([], None, True, id="nothing wrong"),
        pytest.param([WARN], None, False, id="warning without a reason"),
        pytest.param([WARN], "   ", False, id="blank reason"),
        pytest.param([WARN], "大促期间主播自愿加班", True, id="warning with a reason"),
        pytest.param([BLOCK], "经理批准", False, id="a block is never overridden"),
        pytest.param([WARN, BLOCK], "经理批准", False, id="a block among warnings"),
    ],
)
def test_can_save(violations, reason, saves):
    assert can_save(violations, reason) is saves


def test_blocking_and_warnings_split_findings():
    assert blocking([WARN, BLOCK]) == [BLOCK]
    assert warnings([WARN, BLOCK]) == [WARN]


# --------------------------------------------------------------------------
# Property: double booking is exactly overlap
# --------------------------------------------------------------------------

_minutes = st.integers(min_value=0, max_value=24 * 60)
_lengths = st.integers(min_value=1, max_value=12 * 60)


@settings(database=None, max_examples=200)
@given(
    gaps_and_lengths=st.lists(st.tuples(_minutes, _lengths), min_size=1, max_size=20),
    pick=st.integers(min_value=0),
    offset=st.integers(min_value=0),
    copy_length=_lengths,
)
def test_double_booking_fires_exactly_on_overlap(gaps_and_lengths, pick, offset, copy_length):
    moment = at(24, 0)
    shifts = []
    for gap, length in gaps_and_lengths:
        moment += timedelta(minutes=gap)
        shifts.append(plan(moment, moment + timedelta(minutes=length), room=ALWAYS_OPEN))
        moment += timedelta(minutes=length)
    ctx = roster(*shifts)

    assert all(check_anchor_double_booked(ctx, s) == [] for s in shifts)

    target = shifts[pick % len(shifts)]
    # Any whole minute from the target's start to its last minute overlaps it.
    starts_at = target.starts_at + timedelta(minutes=offset % int(target.duration.total_seconds() // 60))
    copy = ShiftPlan(
        id=uuid4(), anchor_id=target.anchor_id, room_id=target.room_id, role=target.role,
        starts_at=starts_at, ends_at=starts_at + timedelta(minutes=copy_length),
    )
    fired = check_anchor_double_booked(ctx, copy)
    assert target.id in {i for v in fired for i in v.related_shift_ids}

