"""Every roster rule's finding as a message: its id, the typed values it holds, its English and its Chinese.

The rules build :class:`~console.i18n.Message` values and never format a
sentence; these tests trigger each rule, read the message's structure (id,
placeholder values: local times and dates, counts, nested messages) and
render it in both languages. ``assert_chinese_in_catalog`` fails, naming the
message, when a part of it has no Chinese in the zh_CN catalog.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest

from console.domain.enums import Affiliation, ShiftRole
from console.domain.errors import NotFound, OverrideNeeded, PermissionDenied, RosterBlocked, ValidationError
from console.domain.permissions import Actor
from console.i18n import Catalog, Message, load_catalog
from console.rules.roster import (
    RULES,
    AnchorFacts,
    BroadcastFacts,
    RoomFacts,
    RosterContext,
    RosterSettings,
    ShiftPlan,
    TimeOffFacts,
    Violation,
)
from console.services.roster import PlannedShift, RosterService
from console.storage.db import Database

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOST, CONTROLLER = ShiftRole.HOST, ShiftRole.ROOM_CONTROLLER

WANG = AnchorFacts(id=uuid4(), name="王芳", trained_brands=frozenset({"Lancôme"}),
                   trained_categories=frozenset({"护肤"}), certification_expires=date(2025, 11, 26))
LI = AnchorFacts(id=uuid4(), name="李娜", trained_brands=frozenset({"Estée Lauder"}))
ROOM_A = RoomFacts(id=uuid4(), name="直播间A", opens_at=time(9), closes_at=time(23))
ROOM_B = RoomFacts(id=uuid4(), name="直播间B", opens_at=time(9), closes_at=time(23))
ALWAYS_OPEN = RoomFacts(id=uuid4(), name="全天直播间", opens_at=time(0), closes_at=time(0))
LANCOME = BroadcastFacts(id=uuid4(), title="兰蔻秋冬护肤专场", brand="Lancôme", category="护肤",
                         room_id=ROOM_A.id)
LAUDER = BroadcastFacts(id=uuid4(), title="雅诗兰黛专场", brand="Estée Lauder")
MAKEUP = BroadcastFacts(id=uuid4(), title="彩妆好物", category="彩妆")
ELSEWHERE = BroadcastFacts(id=uuid4(), title="外场专场", room_id=uuid4())   # a room this context lacks


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """Shanghai wall-clock time in November 2025 (a past year, so dates show it: "Nov 27, 2025")."""
    return datetime(2025, 11, day, hour, minute, tzinfo=SHANGHAI)


def plan(starts_at: datetime, ends_at: datetime, *, anchor: AnchorFacts = LI, room: RoomFacts = ROOM_A,
         role: ShiftRole = HOST, show: BroadcastFacts | None = None) -> ShiftPlan:
    return ShiftPlan(id=uuid4(), anchor_id=anchor.id, room_id=room.id, role=role, starts_at=starts_at,
                     ends_at=ends_at, broadcast_id=show.id if show else None)


def roster(*shifts: ShiftPlan, time_off: tuple[TimeOffFacts, ...] = (), **settings: Any) -> RosterContext:
    return RosterContext(anchors=(WANG, LI), rooms=(ROOM_A, ROOM_B, ALWAYS_OPEN),
                         broadcasts=(LANCOME, LAUDER, MAKEUP, ELSEWHERE), time_off=time_off, shifts=shifts,
                         settings=RosterSettings(**settings))


def finding(rule: str, ctx: RosterContext, shift: ShiftPlan) -> Violation:
    """The one finding of ``rule`` when ``shift`` is judged against ``ctx``."""
    [found] = [v for v in ctx.check(shift) if v.rule == rule]
    return found


def span(start: time, end: time, day: date) -> dict[str, Any]:
    return {"id": "roster_rules.span_same_day", "start": start, "end": end, "day": day}


def structure(message: Message) -> dict[str, Any]:
    """A message as plain data: its id and its values, nested messages likewise."""
    return {"id": message.id, **{k: structure(v) if isinstance(v, Message) else v
                                 for k, v in message.values.items()}}


def nested(message: Message) -> Iterator[Message]:
    yield message
    for value in message.values.values():
        if isinstance(value, Message):
            yield from nested(value)


# Text a rule could only have made by formatting a time, a date or a length itself.
_PREFORMATTED = re.compile(r"\d{1,2}:\d{2}|\d{2}-\d{2}|\d+ ?(h|min)\b")


def assert_holds_typed_values(message: Message) -> None:
    for part in nested(message):
        for name, value in part.values.items():
            assert isinstance(value, (str, int, date, time, Message)), (part.id, name, value)
            assert not (isinstance(value, str) and _PREFORMATTED.search(value)), (part.id, name, value)


@pytest.fixture(scope="module")
def zh() -> Catalog:
    return load_catalog("zh_CN")


def assert_chinese_in_catalog(zh: Catalog, message: Message) -> None:
    """Every part of the message, nested ones too, has its own Chinese in the zh_CN catalog."""
    for part in nested(message):
        assert zh.template(part) != part.template, f"[{part.id}] {part.template!r} has no Chinese in the catalog yet"
    assert zh.render(message) != str(message)


# --------------------------------------------------------------------------
# One case per rule (and per wording a rule has): trigger, structure, English
# --------------------------------------------------------------------------

CASES = [
    pytest.param(
        "anchor_double_booked",
        lambda: (roster(plan(at(27, 14), at(27, 16), anchor=WANG)),
                 plan(at(27, 15), at(27, 17), anchor=WANG, room=ROOM_B)),
        {"id": "roster_rules.anchor_double_booked", "anchor": "王芳", "room": "直播间A",
         "span": span(time(14), time(16), date(2025, 11, 27))},
        "王芳 is already on shift in 直播间A from 14:00 to 16:00 on Nov 27, 2025.",
        id="anchor_double_booked",
    ),
    pytest.param(
        "room_double_booked",
        lambda: (roster(plan(at(27, 14), at(27, 16), show=LANCOME)), plan(at(27, 15), at(27, 17), anchor=WANG,
                                                                          show=LAUDER)),
        {"id": "roster_rules.room_double_booked", "room": "直播间A",
         "booked_for": {"id": "roster_rules.booked_for_show", "show": "兰蔻秋冬护肤专场"},
         "span": span(time(14), time(16), date(2025, 11, 27))},
        "直播间A is already booked for '兰蔻秋冬护肤专场' from 14:00 to 16:00 on Nov 27, 2025.",
        id="room_double_booked-show",
    ),
    pytest.param(
        "room_double_booked",
        lambda: (roster(plan(at(27, 14), at(27, 16))), plan(at(27, 15), at(27, 17), anchor=WANG)),
        {"id": "roster_rules.room_double_booked", "room": "直播间A",
         "booked_for": {"id": "roster_rules.booked_for_host", "anchor": "李娜"},
         "span": span(time(14), time(16), date(2025, 11, 27))},
        "直播间A is already booked for 李娜 hosting from 14:00 to 16:00 on Nov 27, 2025.",
        id="room_double_booked-host",
    ),
    pytest.param(
        "room_outside_hours",
        lambda: (roster(), plan(at(27, 23), at(28, 1))),
        {"id": "roster_rules.room_outside_hours", "room": "直播间A", "opens": time(9), "closes": time(23),
         "span": {"id": "roster_rules.span_two_days", "start": time(23), "start_day": date(2025, 11, 27),
                  "end": time(1), "end_day": date(2025, 11, 28)}},
        "直播间A is open from 09:00 to 23:00; this shift runs from 23:00 on Nov 27, 2025 to 01:00 on Nov 28, 2025.",
        id="room_outside_hours",
    ),
    pytest.param(
        "wrong_room_for_broadcast",
        lambda: (roster(), plan(at(27, 14), at(27, 16), room=ROOM_B, show=LANCOME)),
        {"id": "roster_rules.wrong_room_for_broadcast", "show": "兰蔻秋冬护肤专场", "airs_from": "直播间A",
         "room": "直播间B"},
        "'兰蔻秋冬护肤专场' airs from 直播间A, not 直播间B.",
        id="wrong_room_for_broadcast",
    ),
    pytest.param(
        "wrong_room_for_broadcast",
        lambda: (roster(), plan(at(27, 14), at(27, 16), room=ROOM_B, show=ELSEWHERE)),
        {"id": "roster_rules.wrong_room_for_broadcast", "show": "外场专场",
         "airs_from": {"id": "roster_rules.another_room"}, "room": "直播间B"},
        "'外场专场' airs from another room, not 直播间B.",
        id="wrong_room_for_broadcast-unknown-room",
    ),
    pytest.param(
        "anchor_not_trained",
        lambda: (roster(), plan(at(27, 14), at(27, 16), anchor=WANG, role=HOST, show=LAUDER)),
        {"id": "roster_rules.anchor_not_trained", "anchor": "王芳",
         "missing": {"id": "roster_rules.missing_brand", "brand": "Estée Lauder"}, "show": "雅诗兰黛专场"},
        "王芳 is not trained for the brand Estée Lauder, which '雅诗兰黛专场' presents.",
        id="anchor_not_trained-brand",
    ),
    pytest.param(
        "anchor_not_trained",
        lambda: (roster(), plan(at(27, 14), at(27, 16), show=MAKEUP)),
        {"id": "roster_rules.anchor_not_trained", "anchor": "李娜",
         "missing": {"id": "roster_rules.missing_category", "category": "彩妆"}, "show": "彩妆好物"},
        "李娜 is not trained for the category 彩妆, which '彩妆好物' presents.",
        id="anchor_not_trained-category",
    ),
    pytest.param(
        "certification_expired",
        lambda: (roster(), plan(at(27, 10), at(27, 12), anchor=WANG)),
        {"id": "roster_rules.certification_expired", "anchor": "王芳", "expires": date(2025, 11, 26)},
        "王芳's certification expired on Nov 26, 2025; renew it before putting them on air.",
        id="certification_expired",
    ),
    pytest.param(
        "shift_on_time_off",
        lambda: (roster(time_off=(TimeOffFacts(LI.id, at(27, 8), at(27, 18), approved=True),)),
                 plan(at(27, 14), at(27, 16))),
        {"id": "roster_rules.shift_on_time_off", "anchor": "李娜",
         "span": span(time(8), time(18), date(2025, 11, 27))},
        "李娜 has approved time off from 08:00 to 18:00 on Nov 27, 2025.",
        id="shift_on_time_off",
    ),
    pytest.param(
        "anchor_inactive",
        lambda: (RosterContext(anchors=(replace(LI, active=False),), rooms=(ROOM_A,)), plan(at(27, 14), at(27, 16))),
        {"id": "roster_rules.anchor_inactive", "anchor": "李娜"},
        "李娜 is no longer active; give the shift to another anchor.",
        id="anchor_inactive",
    ),
    pytest.param(
        "room_inactive",
        lambda: (RosterContext(anchors=(LI,), rooms=(replace(ROOM_A, active=False),)), plan(at(27, 14), at(27, 16))),
        {"id": "roster_rules.room_inactive", "room": "直播间A"},
        "直播间A is closed for shifts; move the shift to another room.",
        id="room_inactive",
    ),
    pytest.param(
        "rest_too_short",
        lambda: (roster(plan(at(26, 18), at(26, 22), role=CONTROLLER)), plan(at(27, 8, 59), at(27, 10))),
        {"id": "roster_rules.rest_too_short", "anchor": "李娜",
         "rest": {"id": "roster_rules.hours_minutes", "hours": 10, "minutes": 59},
         "ended": time(22), "ended_day": date(2025, 11, 26), "starts": time(8, 59), "starts_day": date(2025, 11, 27),
         "minimum": {"id": "roster_rules.hours", "hours": 11}},
        "李娜 would rest only 10 h 59 min between the shift ending 22:00 on Nov 26, 2025 "
        "and the one starting 08:59 on Nov 27, 2025 (at least 11 h).",
        id="rest_too_short",
    ),
    pytest.param(
        "on_air_minutes_per_day",
        lambda: (roster(plan(at(27, 10), at(27, 12))), plan(at(27, 14), at(27, 16, 1))),
        {"id": "roster_rules.on_air_minutes_per_day", "anchor": "李娜", "minutes": 241,
         "day": date(2025, 11, 27), "limit": 240},
        "李娜 would be on air 241 minutes on Nov 27, 2025 (limit 240).",
        id="on_air_minutes_per_day",
    ),
    pytest.param(
        "on_air_minutes_in_a_row",
        lambda: (roster(plan(at(27, 14), at(27, 15)), min_voice_rest=timedelta(minutes=30)),
                 plan(at(27, 15, 20), at(27, 16, 30))),
        {"id": "roster_rules.on_air_minutes_in_a_row", "anchor": "李娜", "minutes": 150,
         "span": span(time(14), time(16, 30), date(2025, 11, 27)), "pause": 30, "limit": 120},
        "李娜 would be on air 150 minutes in a row from 14:00 to 16:30 on Nov 27, 2025 "
        "without a 30-minute break (limit 120).",
        id="on_air_minutes_in_a_row",
    ),
    pytest.param(
        "weekly_hours_over_cap",
        lambda: (roster(*(plan(at(d, 9), at(d, 20), role=CONTROLLER, room=ALWAYS_OPEN) for d in (24, 25, 26))),
                 plan(at(27, 9), at(27, 20, 1), role=CONTROLLER, room=ALWAYS_OPEN)),
        {"id": "roster_rules.weekly_hours_over_cap", "anchor": "李娜",
         "worked": {"id": "roster_rules.hours_minutes", "hours": 44, "minutes": 1},
         "monday": date(2025, 11, 24), "cap": 44},
        "李娜 would work 44 h 1 min in the week of Monday Nov 24, 2025 (cap 44 h).",
        id="weekly_hours_over_cap",
    ),
    pytest.param(
        "too_many_days_in_a_row",
        lambda: (roster(*(plan(at(d, 14), at(d, 16)) for d in (21, 22, 23, 24, 25, 26))),
                 plan(at(27, 10), at(27, 12))),
        {"id": "roster_rules.too_many_days_in_a_row", "anchor": "李娜", "days": 7,
         "first": date(2025, 11, 21), "last": date(2025, 11, 27), "limit": 6},
        "李娜 would work 7 days in a row, from Nov 21, 2025 to Nov 27, 2025 (limit 6).",
        id="too_many_days_in_a_row",
    ),
]


def test_every_rule_has_a_message_case():
    covered = {case.values[0] for case in CASES}
    fired = {v.rule for build in (case.values[1] for case in CASES) for v in roster_check(build)}
    assert covered == fired
    assert len(covered) == len(RULES) == 14


def roster_check(build: Any) -> list[Violation]:
    ctx, shift = build()
    return ctx.check(shift)


@pytest.mark.parametrize(("rule", "build", "expected", "english"), CASES)
def test_the_rule_holds_its_facts_as_typed_values(rule, build, expected, english):
    ctx, shift = build()
    message = finding(rule, ctx, shift).message

    assert structure(message) == expected
    assert_holds_typed_values(message)
    assert str(message) == english


@pytest.mark.parametrize(("rule", "build", "expected", "english"), CASES)
def test_the_message_renders_in_chinese(zh, rule, build, expected, english):
    ctx, shift = build()
    message = finding(rule, ctx, shift).message

    chinese = zh.render(message)
    # Whatever the catalog holds, every value is filled in and written the Chinese way.
    assert "{" not in chinese and "}" not in chinese
    for part in nested(message):
        for value in part.values.values():
            if isinstance(value, date):
                assert f"{value.month}月{value.day}日" in chinese
            if isinstance(value, time):
                assert f"{value:%H:%M}" in chinese
    assert_chinese_in_catalog(zh, message)


def test_a_span_over_midnight_names_both_days():
    [violation] = [v for v in roster().check(plan(at(27, 22), at(28, 1), room=ROOM_A)) if v.rule == "room_outside_hours"]
    assert violation.message.values["span"].id == "roster_rules.span_two_days"


def test_a_naive_time_is_refused_with_the_time_as_written():
    with pytest.raises(ValidationError) as refused:
        plan(datetime(2025, 11, 27, 14, 5), at(27, 16))
    message = refused.value.message
    assert structure(message) == {"id": "roster_rules.time_without_zone",
                                  "what": {"id": "roster_rules.moment_start"},
                                  "moment": datetime(2025, 11, 27, 14, 5)}
    assert str(refused.value) == "The start time Nov 27, 2025 14:05 has no time zone."


def test_an_unknown_anchor_or_room_is_refused_in_words():
    stranger = AnchorFacts(id=uuid4(), name="陌生人")
    with pytest.raises(ValidationError) as refused:
        roster().check(plan(at(27, 14), at(27, 16), anchor=stranger))
    assert refused.value.message.id == "roster_rules.unknown_anchor"
    assert str(refused.value) == "This shift names an anchor the store does not have."


def test_building_a_message_does_not_render_it(monkeypatch):
    # The board judges every step of a drag: rules build messages, only the reader renders them.
    def no_rendering(*_args: Any) -> str:
        raise AssertionError("a rule rendered its message")

    monkeypatch.setattr(Catalog, "render", no_rendering)
    ctx = roster(plan(at(27, 10), at(27, 12)), plan(at(26, 18), at(26, 22)))
    assert len(ctx.check(plan(at(27, 8, 30), at(27, 23, 30), show=MAKEUP))) >= 5


# --------------------------------------------------------------------------
# The service: problems, warnings and labels travel as messages
# --------------------------------------------------------------------------

_ZONE = ZoneInfo("Asia/Shanghai")
_DAY = date(2025, 3, 3)


def _local(hour: int) -> datetime:
    return datetime.combine(_DAY, time(hour), _ZONE)


@pytest.fixture
def service(db: Database, manager_actor: Actor) -> tuple[RosterService, Any, Any]:
    roster_service = RosterService(db, manager_actor)
    anchor = roster_service.add_anchor(code="A001", name="王芳", affiliation=Affiliation.STAFF)
    room = roster_service.add_room(code="R01", name="1号直播间")
    return roster_service, anchor, room


def test_service_problems_and_warnings_are_messages(service):
    roster_service, anchor, room = service
    with pytest.raises(OverrideNeeded) as needed:
        roster_service.add_shift(anchor_id=anchor.id, room_id=room.id, role=HOST,
                                 starts_at=_local(10), ends_at=_local(13))
    [warning] = needed.value.warnings
    assert warning.id == "roster_rules.on_air_minutes_in_a_row"
    assert str(needed.value).endswith("Give a reason to go ahead anyway.")

    change = roster_service.add_shift(anchor_id=anchor.id, room_id=room.id, role=HOST,
                                      starts_at=_local(10), ends_at=_local(13), override_reason="launch")
    assert change.warnings == (warning,)
    assert change.shifts[0].warnings == (warning,)

    with pytest.raises(RosterBlocked) as blocked:
        roster_service.add_shift(anchor_id=anchor.id, room_id=room.id, role=HOST,
                                 starts_at=_local(11), ends_at=_local(12))
    assert {p.id for p in blocked.value.problems} == {"roster_rules.anchor_double_booked",
                                                      "roster_rules.room_double_booked"}


def test_several_shifts_label_each_problem_and_keep_the_label_as_a_value(service):
    roster_service, anchor, room = service
    first = PlannedShift(anchor_id=anchor.id, room_id=room.id, role=HOST, starts_at=_local(10),
                         ends_at=_local(12), label="周计划.csv row 2")
    clash = PlannedShift(anchor_id=anchor.id, room_id=room.id, role=CONTROLLER, starts_at=_local(11),
                         ends_at=_local(12), label="周计划.csv row 3")
    stranger = PlannedShift(anchor_id=uuid4(), room_id=room.id, role=HOST, starts_at=_local(14),
                            ends_at=_local(15), label="周计划.csv row 4")

    with pytest.raises(RosterBlocked) as blocked:
        roster_service.add_shifts([first, clash, stranger])

    problems = blocked.value.problems
    assert [(p.id, p.values["label"], p.values["problem"].id) for p in problems] == [
        ("roster.labelled", "周计划.csv row 3", "roster_rules.anchor_double_booked"),
        ("roster.labelled", "周计划.csv row 4", "roster_rules.unknown_anchor"),
    ]
    assert str(problems[1]) == "周计划.csv row 4: This shift names an anchor the store does not have."


def test_service_refusals_carry_messages(service, db: Database, anchor_actor: Actor):
    roster_service, anchor, _room = service
    with pytest.raises(ValidationError) as taken:
        roster_service.add_anchor(code="A001", name="李娜", affiliation=Affiliation.STAFF)
    assert structure(taken.value.message) == {"id": "roster.anchor_code_taken", "code": "A001"}
    assert str(taken.value) == "Anchor code A001 is already used in this store."

    with pytest.raises(NotFound) as missing:
        roster_service.remove_shift(uuid4())
    assert missing.value.message.id == "roster.no_such_shift"
    assert str(missing.value) == "That shift does not exist in this store."

    with pytest.raises(PermissionDenied) as denied:
        RosterService(db, anchor_actor).add_room(code="R09", name="x")
    assert structure(denied.value.message) == {
        "id": "permissions.denied", "role": {"id": "permissions.role_anchor"},
        "action": {"id": "permissions.edit_roster"}}
    assert str(denied.value) == "An anchor may not edit the roster; sign in as a store manager to do this."


def test_service_refusals_render_in_chinese(zh, service, db: Database, anchor_actor: Actor):
    roster_service, _anchor, _room = service
    with pytest.raises(PermissionDenied) as denied:
        RosterService(db, anchor_actor).add_room(code="R09", name="x")
    with pytest.raises(ValidationError) as bad_cap:
        roster_service.add_anchor(code="A002", name="李娜", affiliation=Affiliation.STAFF, weekly_hours_cap=0)
    for refusal in (denied.value, bad_cap.value):
        assert "{" not in zh.render(refusal.message)
        assert_chinese_in_catalog(zh, refusal.message)
