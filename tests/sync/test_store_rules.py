"""The roster rules' limits are the store's: changed on one console, applied on the store's others.

They travel as the store's one ``store_rules`` row (its id derived from the store's), so two consoles
that first set limits offline write the same row and head office merges their edits field by field.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from console.domain.enums import Affiliation, AuditVia, ShiftRole
from console.domain.errors import OverrideNeeded
from console.headoffice.models import SyncedRow, store_scope
from console.services.auth import AuthService
from console.services.roster import RosterService
from console.storage.models import store_rules_id
from tests.sync.faults import FleetConsole, ThreadedService, add_store, check_invariants, enroll, quiesce

ZONE = ZoneInfo("Asia/Shanghai")
MONDAY = date(2031, 3, 3)
DEFAULTS = dict(min_rest_hours=11, max_on_air_minutes_per_day=240, max_on_air_minutes_in_a_row=120,
                max_days_in_a_row=6)


def local(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), ZONE).astimezone(UTC)


def _roster(console: FleetConsole) -> RosterService:
    return RosterService(console.db, AuthService(console.db).actor_for_login(None, via=AuditVia.CLI))


@pytest.fixture
def pair(live: ThreadedService, tmp_path: Path) -> Iterator[tuple[FleetConsole, FleetConsole]]:
    add_store(live.sessions, "SH01")
    a = enroll(live.sessions, live.base_url, "SH01", tmp_path / "a", "a")
    b = enroll(live.sessions, live.base_url, "SH01", tmp_path / "b", "b")
    try:
        yield a, b
    finally:
        a.close()
        b.close()


def test_a_limit_changed_on_one_console_is_applied_on_the_stores_other_console(
        live: ThreadedService, pair: tuple[FleetConsole, FleetConsole]) -> None:
    a, b = pair
    anchor = _roster(a).add_anchor(code="A1", name="王芳", affiliation=Affiliation.STAFF)
    room = _roster(a).add_room(code="R01", name="1号直播间")
    quiesce([a, b])
    three_hours = dict(anchor_id=anchor.id, room_id=room.id, role=ShiftRole.HOST,
                       starts_at=local(MONDAY, 10), ends_at=local(MONDAY, 13))
    with pytest.raises(OverrideNeeded):
        _roster(b).add_shift(**three_hours)        # 180 minutes in a row; the default limit is 120

    _roster(a).set_roster_settings(**{**DEFAULTS, "max_on_air_minutes_in_a_row": 180})
    assert a.sync().clean
    with live.sessions.begin() as session:
        up = session.get(SyncedRow, ("store_rules", store_rules_id(a.store_id)))
        assert up is not None and up.scope_key == store_scope(a.store_id)
        assert up.data["max_on_air_minutes_in_a_row"] == 180
    assert b.sync().clean

    assert _roster(b).roster_settings().max_on_air_minutes_in_a_row == 180
    assert _roster(b).add_shift(**three_hours).warnings == ()   # judged by the store's new limit
    quiesce([a, b])
    check_invariants(live.sessions, [a, b])


def test_limits_first_set_offline_on_two_consoles_meet_in_one_row(
        live: ThreadedService, pair: tuple[FleetConsole, FleetConsole]) -> None:
    """Both consoles write the store's one row; the first to reach head office keeps the fields both
    changed, and every console ends with the same limits."""
    a, b = pair
    _roster(a).set_roster_settings(**{**DEFAULTS, "min_rest_hours": 10})
    _roster(b).set_roster_settings(**{**DEFAULTS, "min_rest_hours": 12, "max_days_in_a_row": 5})
    assert a.sync().clean
    assert b.sync().clean
    quiesce([a, b])
    check_invariants(live.sessions, [a, b])
    first, second = _roster(a).roster_settings(), _roster(b).roster_settings()
    assert first == second
    assert first.min_rest == timedelta(hours=10)
    with live.sessions.begin() as session:
        rows = session.scalars(select(SyncedRow).where(SyncedRow.table_name == "store_rules")).all()
    assert [r.row_id for r in rows] == [store_rules_id(a.store_id)]
