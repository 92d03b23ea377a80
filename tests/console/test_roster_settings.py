"""Live rooms edited after creation, and the rules' thresholds a store manager sets for the store."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from console.domain.enums import Affiliation, Platform, ShiftRole
from console.domain.errors import NotFound, OverrideNeeded, PermissionDenied, ValidationError
from console.domain.permissions import Actor
from console.rules.roster import RosterSettings
from console.services.roster import RosterService
from console.storage.db import Database

ZONE = ZoneInfo("Asia/Shanghai")
MONDAY = date(2027, 3, 1)
DEFAULTS = dict(min_rest_hours=11, max_on_air_minutes_per_day=240, max_on_air_minutes_in_a_row=120,
                max_days_in_a_row=6)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), ZONE).astimezone(UTC)


def audit_actions(db: Database) -> list[str]:
    with sqlite3.connect(db.path) as conn:
        return [a for (a,) in conn.execute("SELECT action FROM audit_log ORDER BY rowid")]


@pytest.fixture
def manager(db: Database, manager_actor: Actor) -> RosterService:
    return RosterService(db, manager_actor)


# --- update_room -----------------------------------------------------------------------


def test_update_room_changes_only_what_is_given_and_is_audited(db: Database, manager: RosterService) -> None:
    room = manager.add_room(code="R01", name="1号直播间", platforms=[Platform.DOUYIN])

    changed = manager.update_room(room.id, opens_at=time(10, 0), closes_at=time(22, 30),
                                  platforms=[Platform.TAOBAO, Platform.DOUYIN])

    assert (changed.name, changed.opens_at, changed.closes_at) == ("1号直播间", time(10, 0), time(22, 30))
    assert changed.platforms == (Platform.TAOBAO, Platform.DOUYIN)
    assert manager.rooms() == [changed]
    assert audit_actions(db)[-1] == "room_updated"

    renamed = manager.update_room(room.id, name="  美妆直播间 ", active=False)
    assert (renamed.name, renamed.active, renamed.opens_at) == ("美妆直播间", False, time(10, 0))


def test_update_room_refuses_an_empty_name_and_unknown_platforms(manager: RosterService) -> None:
    room = manager.add_room(code="R01", name="1号直播间")
    with pytest.raises(ValidationError, match="A live room needs a name."):
        manager.update_room(room.id, name="  ")
    with pytest.raises(ValidationError, match="not a platform"):
        manager.update_room(room.id, platforms=["myspace"])  # type: ignore[list-item]
    with pytest.raises(NotFound):
        manager.update_room(manager.add_anchor(code="A1", name="王芳", affiliation=Affiliation.STAFF).id,
                            name="x")
    assert manager.rooms()[0].name == "1号直播间"


def test_an_anchors_certification_can_be_cleared(manager: RosterService) -> None:
    anchor = manager.add_anchor(code="A1", name="王芳", affiliation=Affiliation.STAFF,
                                certification_expires=date(2027, 6, 30))
    assert manager.update_anchor(anchor.id, name="王芳").certification_expires == date(2027, 6, 30)
    assert manager.update_anchor(anchor.id, clear_certification=True).certification_expires is None


# --- thresholds ---------------------------------------------------------------------------


def test_settings_start_at_the_defaults_and_round_trip(db: Database, manager: RosterService,
                                                       manager_actor: Actor) -> None:
    first = manager.roster_settings()
    assert first.min_rest == RosterSettings().min_rest
    assert (first.max_on_air_minutes_per_day, first.max_on_air_minutes_in_a_row,
            first.max_days_in_a_row) == (240, 120, 6)
    assert first.store_timezone == "Asia/Shanghai"

    saved = manager.set_roster_settings(min_rest_hours=10.5, max_on_air_minutes_per_day=300,
                                        max_on_air_minutes_in_a_row=150, max_days_in_a_row=5)

    assert saved.min_rest == timedelta(hours=10, minutes=30)
    # Another service on the same database (as the GUI's and the CLI's are) reads the same.
    again = RosterService(db, manager_actor).roster_settings()
    assert again == saved
    assert (again.max_on_air_minutes_per_day, again.max_on_air_minutes_in_a_row,
            again.max_days_in_a_row) == (300, 150, 5)
    assert audit_actions(db)[-1] == "roster_settings_changed"
    # One synced row of the store (not console-local settings), with its outbox entry.
    with sqlite3.connect(db.path) as conn:
        rows = conn.execute("SELECT min_rest_minutes, max_on_air_minutes_per_day, max_on_air_minutes_in_a_row, "
                            "min_voice_rest_minutes, max_days_in_a_row FROM store_rules").fetchall()
        queued = [t for (t,) in conn.execute("SELECT table_name FROM outbox WHERE table_name = 'store_rules'")]
        legacy = conn.execute("SELECT count(*) FROM local_setting WHERE key LIKE 'roster.%'").fetchone()[0]
    assert rows == [(630, 300, 150, 15, 5)]
    assert queued == ["store_rules"] and legacy == 0

    voice = manager.set_roster_settings(min_rest_hours=10.5, max_on_air_minutes_per_day=300,
                                        max_on_air_minutes_in_a_row=150, max_days_in_a_row=5,
                                        min_voice_rest_minutes=30)
    assert voice.min_voice_rest == timedelta(minutes=30) and voice.min_rest == saved.min_rest


@pytest.mark.parametrize(("change", "sentence"), [
    ({"min_rest_hours": -1}, "The minimum rest between shifts must be between 0 and 24 hours."),
    ({"min_rest_hours": 25}, "The minimum rest between shifts must be between 0 and 24 hours."),
    ({"max_on_air_minutes_per_day": 29}, "The most on-air minutes in a day must be between 30 and 720."),
    ({"max_on_air_minutes_per_day": 721}, "The most on-air minutes in a day must be between 30 and 720."),
    ({"max_on_air_minutes_in_a_row": 20}, "The most on-air minutes in a row must be between 30 and 720."),
    ({"max_on_air_minutes_in_a_row": 300},
     "The on-air minutes in a row cannot be more than the on-air minutes in a day."),
    ({"max_days_in_a_row": 0}, "The most days in a row must be between 1 and 14."),
    ({"max_days_in_a_row": 15}, "The most days in a row must be between 1 and 14."),
    ({"min_voice_rest_minutes": 241}, "The shortest break that rests a voice must be between 0 and 240 minutes."),
    ({"min_voice_rest_minutes": -1}, "The shortest break that rests a voice must be between 0 and 240 minutes."),
])
def test_settings_out_of_range_are_refused_in_words(db: Database, manager: RosterService,
                                                    change: dict, sentence: str) -> None:
    before = audit_actions(db)
    with pytest.raises(ValidationError) as refused:
        manager.set_roster_settings(**{**DEFAULTS, **change})
    assert str(refused.value) == sentence
    assert audit_actions(db) == before
    assert manager.roster_settings().max_on_air_minutes_per_day == 240


@pytest.mark.parametrize("change", [{"min_rest_hours": 0}, {"min_rest_hours": 24},
                                    {"max_on_air_minutes_in_a_row": 30}, {"max_days_in_a_row": 14},
                                    {"max_on_air_minutes_per_day": 720}])
def test_settings_at_the_edges_are_accepted(manager: RosterService, change: dict) -> None:
    manager.set_roster_settings(**{**DEFAULTS, **change})


def test_an_anchor_may_read_but_not_change_settings(db: Database, anchor_actor: Actor,
                                                    manager: RosterService) -> None:
    anchor = RosterService(db, anchor_actor)
    assert anchor.roster_settings().max_days_in_a_row == 6
    with pytest.raises(PermissionDenied):
        anchor.set_roster_settings(**DEFAULTS)
    room = manager.add_room(code="R01", name="1号直播间")
    with pytest.raises(PermissionDenied):
        anchor.update_room(room.id, name="mine now")


def test_raising_the_in_a_row_limit_stops_the_warning(db: Database, manager: RosterService,
                                                      manager_actor: Actor) -> None:
    anchor = manager.add_anchor(code="A1", name="王芳", affiliation=Affiliation.STAFF)
    room = manager.add_room(code="R01", name="1号直播间")

    def three_hours() -> None:
        manager.add_shift(anchor_id=anchor.id, room_id=room.id, role=ShiftRole.HOST,
                          starts_at=local(MONDAY, 10), ends_at=local(MONDAY, 13))

    with pytest.raises(OverrideNeeded) as warned:
        three_hours()                                  # 180 minutes in a row; default limit 120
    assert "180 minutes in a row" in str(warned.value.warnings[0])

    manager.set_roster_settings(**{**DEFAULTS, "max_on_air_minutes_in_a_row": 180})
    three_hours()                                      # the same shift saves without a reason

    week = RosterService(db, manager_actor).week(local(MONDAY, 0))
    assert week.context.settings.max_on_air_minutes_in_a_row == 180
    assert [s.warnings for s in week.shifts] == [()]


def test_a_shorter_minimum_rest_stops_the_rest_warning(manager: RosterService) -> None:
    anchor = manager.add_anchor(code="A1", name="王芳", affiliation=Affiliation.STAFF)
    room = manager.add_room(code="R01", name="1号直播间", opens_at=time(8, 0), closes_at=time(23, 0))
    manager.add_shift(anchor_id=anchor.id, room_id=room.id, role=ShiftRole.ROOM_CONTROLLER,
                      starts_at=local(MONDAY, 18), ends_at=local(MONDAY, 22))
    late_then_early = dict(anchor_id=anchor.id, room_id=room.id, role=ShiftRole.ROOM_CONTROLLER,
                           starts_at=local(MONDAY + timedelta(days=1), 8),
                           ends_at=local(MONDAY + timedelta(days=1), 10))
    with pytest.raises(OverrideNeeded):
        manager.add_shift(**late_then_early)           # 10 h rest, minimum 11
    manager.set_roster_settings(**{**DEFAULTS, "min_rest_hours": 10})
    assert manager.add_shift(**late_then_early).warnings == ()
