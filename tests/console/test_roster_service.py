"""The roster service: every edit through the rules, publish, roles, time off, swaps, copies, audit.

The rules themselves are table-tested in test_roster_rules.py; here the
question is what the service writes (or refuses to write) around them.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest

from console.domain.enums import (
    Affiliation,
    AuditVia,
    RequestStatus,
    ShiftRole,
    ShiftStatus,
)
from console.domain.errors import (
    DomainError,
    OverrideNeeded,
    PermissionDenied,
    RosterBlocked,
    ValidationError,
)
from console.domain.permissions import Actor
from console.domain.values import AnchorRow, RoomRow, ShiftRow
from console.i18n.formats import format_date
from console.services.auth import AuthService
from console.services.roster import RosterService
from console.storage.db import Database
from console.storage.models import User

ZONE = ZoneInfo("Asia/Shanghai")
MONDAY = date(2027, 3, 1)
NEXT_MONDAY = MONDAY + timedelta(days=7)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), ZONE).astimezone(UTC)


def week_of(day: date) -> tuple[datetime, datetime]:
    return local(day, 0), local(day + timedelta(days=7), 0)


def on(day: date) -> str:
    """A day as English messages write it ("Mar 1, 2027", without the year in 2027 itself)."""
    return format_date(day, "en")


@dataclass
class Roster:
    db: Database
    manager: RosterService
    a1: AnchorRow
    a2: AnchorRow
    a3: AnchorRow
    r1: RoomRow
    r2: RoomRow

    def count(self, query: str) -> int:
        with sqlite3.connect(self.db.path) as conn:
            return conn.execute(query).fetchone()[0]

    def written(self) -> tuple[int, int, int]:
        """Shift rows, outbox entries, audit rows: what any write would change."""
        return (self.count("SELECT count(*) FROM shift"), self.count("SELECT count(*) FROM outbox"),
                self.count("SELECT count(*) FROM audit_log"))

    def shift(self, anchor: AnchorRow, day: date, start: int, end: int, *, room: RoomRow | None = None,
              role: ShiftRole = ShiftRole.HOST, reason: str | None = None) -> ShiftRow:
        change = self.manager.add_shift(anchor_id=anchor.id, room_id=(room or self.r1).id, role=role,
                                        starts_at=local(day, start), ends_at=local(day, end),
                                        override_reason=reason)
        return change.shifts[0]


@pytest.fixture
def roster(db: Database, manager_actor: Actor) -> Roster:
    service = RosterService(db, manager_actor)
    a1 = service.add_anchor(code="A001", name="王芳", affiliation=Affiliation.STAFF)
    a2 = service.add_anchor(code="A002", name="李娜", affiliation=Affiliation.STAFF)
    a3 = service.add_anchor(code="A003", name="张伟", affiliation=Affiliation.BRAND)
    r1 = service.add_room(code="R01", name="1号直播间")
    r2 = service.add_room(code="R02", name="2号直播间")
    return Roster(db, service, a1, a2, a3, r1, r2)


@pytest.fixture
def anchor_service(db: Database, anchor_actor: Actor, roster: Roster) -> RosterService:
    """The signed-in anchor (login anchor1), linked to anchor A001 on the roster."""
    with db.begin() as s:
        s.get(User, anchor_actor.user_id).anchor_id = roster.a1.id
    return RosterService(db, anchor_actor)


def outbox_ops(roster: Roster, row_id: UUID) -> list[str]:
    with sqlite3.connect(roster.db.path) as conn:
        return [op for (op,) in conn.execute(
            "SELECT op FROM outbox WHERE table_name = 'shift' AND row_id = ? ORDER BY seq", (row_id.hex,))]


def audit(roster: Roster, action: str) -> list[tuple[str, str | None]]:
    with sqlite3.connect(roster.db.path) as conn:
        return conn.execute("SELECT via, json_extract(detail, '$.override_reason') FROM audit_log "
                            "WHERE action = ? ORDER BY rowid", (action,)).fetchall()


# --- adding, moving, removing ------------------------------------------------------------


def test_a_block_raises_and_writes_nothing(roster: Roster) -> None:
    roster.shift(roster.a1, MONDAY, 10, 12)
    before = roster.written()

    with pytest.raises(RosterBlocked) as blocked:
        roster.shift(roster.a1, MONDAY, 11, 13, room=roster.r2)

    assert [str(p) for p in blocked.value.problems] == [
        f"王芳 is already on shift in 1号直播间 from 10:00 to 12:00 on {on(MONDAY)}."]
    assert blocked.value.problems[0].id == "roster_rules.anchor_double_booked"
    assert roster.written() == before


def test_a_block_cannot_be_overridden(roster: Roster) -> None:
    roster.shift(roster.a1, MONDAY, 10, 12)
    before = roster.written()

    with pytest.raises(RosterBlocked):
        roster.shift(roster.a2, MONDAY, 10, 12, reason="the manager insists")

    assert roster.written() == before


def test_a_warning_needs_a_reason_which_is_recorded(roster: Roster) -> None:
    before = roster.written()
    with pytest.raises(OverrideNeeded) as needed:
        roster.shift(roster.a1, MONDAY, 10, 13)        # 180 on-air minutes in a row, limit 120
    assert "王芳 would be on air 180 minutes in a row" in str(needed.value.warnings[0])
    assert roster.written() == before

    saved = roster.shift(roster.a1, MONDAY, 10, 13, reason="brand launch, two breaks on air")

    assert saved.override_reason == "brand launch, two breaks on air"
    assert saved.warnings and saved.status is ShiftStatus.DRAFT
    assert audit(roster, "shift_added") == [("gui", "brand launch, two breaks on air")]
    assert outbox_ops(roster, saved.id) == ["insert"]


def test_a_blank_reason_is_no_reason(roster: Roster) -> None:
    with pytest.raises(OverrideNeeded):
        roster.shift(roster.a1, MONDAY, 10, 13, reason="   ")


def test_move_goes_through_the_rules(roster: Roster) -> None:
    first = roster.shift(roster.a1, MONDAY, 10, 12)
    second = roster.shift(roster.a2, MONDAY, 14, 16, room=roster.r2)
    before = roster.written()

    with pytest.raises(RosterBlocked, match="1号直播间 is already booked"):
        roster.manager.move_shift(second.id, starts_at=local(MONDAY, 11), ends_at=local(MONDAY, 13),
                                  room_id=roster.r1.id)
    assert roster.written() == before
    unchanged = roster.manager.shifts_between(*week_of(MONDAY))[1]
    assert (unchanged.starts_at, unchanged.room_id, unchanged.row_version) == (
        second.starts_at, roster.r2.id, second.row_version)

    moved = roster.manager.move_shift(second.id, starts_at=local(MONDAY, 12), ends_at=local(MONDAY, 14),
                                      room_id=roster.r1.id).shifts[0]

    assert (moved.starts_at, moved.room_id, moved.row_version) == (local(MONDAY, 12), roster.r1.id, 2)
    assert outbox_ops(roster, second.id) == ["insert", "update"]
    assert first.id != second.id


def test_a_move_onto_its_own_old_place_is_no_clash(roster: Roster) -> None:
    shift = roster.shift(roster.a1, MONDAY, 10, 12)

    moved = roster.manager.move_shift(shift.id, starts_at=local(MONDAY, 11), ends_at=local(MONDAY, 13)).shifts[0]

    assert moved.starts_at == local(MONDAY, 11)


def test_remove_tombstones_and_add_with_the_same_id_revives(roster: Roster) -> None:
    shift = roster.shift(roster.a1, MONDAY, 10, 12)

    change = roster.manager.remove_shift(shift.id)

    assert change.removed_shift_ids == (shift.id,)
    assert roster.manager.shifts_between(*week_of(MONDAY)) == []
    assert roster.count("SELECT count(*) FROM shift WHERE deleted_at IS NOT NULL") == 1
    assert outbox_ops(roster, shift.id) == ["insert", "delete"]

    revived = roster.manager.add_shift(anchor_id=roster.a1.id, room_id=roster.r1.id, role=ShiftRole.HOST,
                                       starts_at=local(MONDAY, 10), ends_at=local(MONDAY, 12),
                                       shift_id=shift.id).shifts[0]

    assert revived.id == shift.id
    assert [s.id for s in roster.manager.shifts_between(*week_of(MONDAY))] == [shift.id]
    assert roster.count("SELECT count(*) FROM shift") == 1
    assert outbox_ops(roster, shift.id) == ["insert", "delete", "update"]
    assert [via for via, _ in audit(roster, "shift_restored")] == ["gui"]


def test_reviving_is_judged_too(roster: Roster) -> None:
    shift = roster.shift(roster.a1, MONDAY, 10, 12)
    roster.manager.remove_shift(shift.id)
    roster.shift(roster.a1, MONDAY, 11, 12, room=roster.r2)   # the slot is taken meanwhile
    before = roster.written()

    with pytest.raises(RosterBlocked):
        roster.manager.add_shift(anchor_id=roster.a1.id, room_id=roster.r1.id, role=ShiftRole.HOST,
                                 starts_at=local(MONDAY, 10), ends_at=local(MONDAY, 12), shift_id=shift.id)
    assert roster.written() == before


def test_a_live_shift_id_cannot_be_added_twice(roster: Roster) -> None:
    shift = roster.shift(roster.a1, MONDAY, 10, 12)
    with pytest.raises(ValidationError, match="already exists"):
        roster.manager.add_shift(anchor_id=roster.a2.id, room_id=roster.r2.id, role=ShiftRole.HOST,
                                 starts_at=local(MONDAY, 14), ends_at=local(MONDAY, 15), shift_id=shift.id)


# --- publishing and who sees what -------------------------------------------------------------


def test_publish_then_edit_shows_a_change_until_republished(roster: Roster) -> None:
    shift = roster.shift(roster.a1, MONDAY, 10, 12)
    assert shift.status is ShiftStatus.DRAFT

    published = roster.manager.publish(*week_of(MONDAY)).shifts
    assert [(s.id, s.status, s.changed_since_publish) for s in published] == [
        (shift.id, ShiftStatus.PUBLISHED, False)]

    moved = roster.manager.move_shift(shift.id, starts_at=local(MONDAY, 11), ends_at=local(MONDAY, 13)).shifts[0]
    assert (moved.status, moved.changed_since_publish) == (ShiftStatus.PUBLISHED, True)

    again = roster.manager.publish(*week_of(MONDAY)).shifts
    assert [s.changed_since_publish for s in again] == [False]
    assert roster.manager.shifts_between(*week_of(MONDAY))[0].changed_since_publish is False
    # Nothing left to publish: a second publish touches no shift.
    assert roster.manager.publish(*week_of(MONDAY)).shifts == ()


def test_anchors_see_only_published_shifts(roster: Roster, anchor_service: RosterService) -> None:
    draft = roster.shift(roster.a2, MONDAY, 14, 16, room=roster.r2)
    roster.shift(roster.a1, MONDAY, 10, 12)
    roster.manager.publish(local(MONDAY, 0), local(MONDAY, 13))

    seen = anchor_service.shifts_between(*week_of(MONDAY))
    week = anchor_service.week(local(MONDAY, 0))

    assert [s.anchor_code for s in seen] == ["A001"]
    assert [s.anchor_code for s in week.shifts] == ["A001"]
    assert draft.id not in {s.id for s in week.shifts}


def test_anchors_cannot_edit_and_nothing_is_written(roster: Roster, anchor_service: RosterService) -> None:
    own = roster.shift(roster.a1, MONDAY, 10, 12)
    roster.manager.publish(*week_of(MONDAY))
    before = roster.written()

    attempts = [
        lambda: anchor_service.add_shift(anchor_id=roster.a1.id, room_id=roster.r1.id, role=ShiftRole.HOST,
                                         starts_at=local(MONDAY, 14), ends_at=local(MONDAY, 15)),
        lambda: anchor_service.move_shift(own.id, starts_at=local(MONDAY, 11), ends_at=local(MONDAY, 13)),
        lambda: anchor_service.remove_shift(own.id),
        lambda: anchor_service.publish(*week_of(MONDAY)),
        lambda: anchor_service.copy_week(local(MONDAY, 0), local(NEXT_MONDAY, 0)),
        lambda: anchor_service.add_anchor(code="A009", name="x", affiliation=Affiliation.GUEST),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied, match="sign in as a store manager"):
            attempt()

    assert roster.written() == before


def test_my_shifts_are_the_linked_anchors_published_shifts(roster: Roster, anchor_service: RosterService) -> None:
    mine = roster.shift(roster.a1, MONDAY, 10, 12)
    roster.shift(roster.a2, MONDAY, 10, 12, room=roster.r2)
    roster.manager.publish(*week_of(MONDAY))
    roster.shift(roster.a1, MONDAY + timedelta(days=1), 10, 12)   # a draft: not theirs to see yet

    assert [s.id for s in anchor_service.my_shifts(*week_of(MONDAY))] == [mine.id]


def test_my_shifts_needs_a_linked_user(db: Database, anchor_actor: Actor, roster: Roster) -> None:
    with pytest.raises(ValidationError, match="not linked to an anchor"):
        RosterService(db, anchor_actor).my_shifts(*week_of(MONDAY))


# --- time off --------------------------------------------------------------------------------


def test_time_off_requested_by_an_anchor_then_approved_blocks_shifts(
    roster: Roster, anchor_service: RosterService,
) -> None:
    tuesday = MONDAY + timedelta(days=1)
    request = anchor_service.request_time_off(starts_at=local(tuesday, 0), ends_at=local(tuesday + timedelta(days=1), 0),
                                              reason="年假")
    assert (request.status, request.anchor_id) == (RequestStatus.REQUESTED, roster.a1.id)
    # A request not yet approved does not block.
    planned = roster.shift(roster.a1, tuesday, 10, 12)
    roster.manager.remove_shift(planned.id)

    decided = roster.manager.decide_time_off(request.id, approve=True)
    assert decided.status is RequestStatus.APPROVED
    before = roster.written()

    with pytest.raises(RosterBlocked, match="王芳 has approved time off"):
        roster.shift(roster.a1, tuesday, 10, 12)
    assert roster.written() == before


def test_an_anchor_asks_time_off_only_for_themselves(roster: Roster, anchor_service: RosterService) -> None:
    with pytest.raises(PermissionDenied):
        anchor_service.request_time_off(starts_at=local(MONDAY, 0), ends_at=local(MONDAY, 23),
                                        anchor_id=roster.a2.id)
    with pytest.raises(PermissionDenied):
        anchor_service.decide_time_off(
            anchor_service.request_time_off(starts_at=local(MONDAY, 0), ends_at=local(MONDAY, 23)).id,
            approve=True)


def test_time_off_entered_by_a_manager_is_approved_at_once(roster: Roster) -> None:
    entered = roster.manager.request_time_off(starts_at=local(MONDAY, 0), ends_at=local(MONDAY, 23),
                                              anchor_id=roster.a2.id, reason="病假")
    assert entered.status is RequestStatus.APPROVED


# --- swaps -----------------------------------------------------------------------------------


def test_swap_requested_by_the_anchor_moves_the_shift_when_approved(
    roster: Roster, anchor_service: RosterService,
) -> None:
    own = roster.shift(roster.a1, MONDAY, 10, 12)
    roster.manager.publish(*week_of(MONDAY))

    swap = anchor_service.request_swap(own.id, to_anchor_id=roster.a2.id, reason="家中有事")
    assert swap.status is RequestStatus.REQUESTED
    assert [s.id for s in roster.manager.swaps()] == [swap.id]

    decided = roster.manager.decide_swap(swap.id, approve=True)

    assert decided.status is RequestStatus.APPROVED
    (moved,) = roster.manager.shifts_between(*week_of(MONDAY))
    assert (moved.id, moved.anchor_id, moved.changed_since_publish) == (own.id, roster.a2.id, True)
    assert roster.manager.swaps() == []
    with pytest.raises(ValidationError, match="already decided"):
        roster.manager.decide_swap(swap.id, approve=True)


def test_an_approved_swap_is_blocked_if_the_colleague_is_busy(
    roster: Roster, anchor_service: RosterService,
) -> None:
    own = roster.shift(roster.a1, MONDAY, 10, 12)
    roster.manager.publish(*week_of(MONDAY))
    swap = anchor_service.request_swap(own.id, to_anchor_id=roster.a2.id)
    roster.shift(roster.a2, MONDAY, 11, 13, room=roster.r2)     # booked after she was asked
    before = roster.written()

    with pytest.raises(RosterBlocked, match="李娜 is already on shift in 2号直播间"):
        roster.manager.decide_swap(swap.id, approve=True)

    assert roster.written() == before
    assert [s.status for s in roster.manager.swaps()] == [RequestStatus.REQUESTED]
    assert next(s for s in roster.manager.shifts_between(*week_of(MONDAY)) if s.id == own.id).anchor_id == roster.a1.id


def test_swaps_only_for_own_published_shifts(roster: Roster, anchor_service: RosterService) -> None:
    own_draft = roster.shift(roster.a1, MONDAY, 10, 12)
    colleagues = roster.shift(roster.a2, MONDAY, 10, 12, room=roster.r2)

    with pytest.raises(ValidationError, match="Only a published shift"):
        anchor_service.request_swap(own_draft.id, to_anchor_id=roster.a2.id)
    roster.manager.publish(*week_of(MONDAY))
    with pytest.raises(PermissionDenied):
        anchor_service.request_swap(colleagues.id, to_anchor_id=roster.a3.id)
    with pytest.raises(PermissionDenied):
        anchor_service.decide_swap(anchor_service.request_swap(own_draft.id, to_anchor_id=roster.a3.id).id,
                                   approve=True)


# --- copies and templates ---------------------------------------------------------------------


def plan_of(rows: list[ShiftRow]) -> list[tuple[str, str, str, ShiftRole]]:
    return sorted((r.anchor_code, r.starts_at.astimezone(ZONE).strftime("%a %H:%M"),
                   r.ends_at.astimezone(ZONE).strftime("%a %H:%M"), r.role) for r in rows)


def plan_a_week(roster: Roster) -> list[ShiftRow]:
    roster.shift(roster.a1, MONDAY, 10, 12)
    roster.shift(roster.a2, MONDAY, 10, 12, role=ShiftRole.CO_HOST)
    roster.shift(roster.a3, MONDAY + timedelta(days=2), 19, 21, room=roster.r2)
    roster.manager.publish(*week_of(MONDAY))
    return roster.manager.shifts_between(*week_of(MONDAY))


def test_copy_week_makes_drafts_at_the_same_local_times(roster: Roster) -> None:
    source = plan_a_week(roster)

    change = roster.manager.copy_week(local(MONDAY, 0), local(NEXT_MONDAY, 0))

    copied = roster.manager.shifts_between(*week_of(NEXT_MONDAY))
    assert len(change.shifts) == len(copied) == 3
    assert plan_of(copied) == plan_of(source)
    assert {s.status for s in copied} == {ShiftStatus.DRAFT}
    assert copied[0].starts_at - source[0].starts_at == timedelta(days=7)
    assert [via for via, _ in audit(roster, "week_copied")] == ["gui"]


def test_copy_week_onto_a_busy_week_copies_nothing(roster: Roster) -> None:
    plan_a_week(roster)
    roster.shift(roster.a1, NEXT_MONDAY, 11, 12, room=roster.r2)
    before = roster.written()

    with pytest.raises(RosterBlocked) as blocked:
        roster.manager.copy_week(local(MONDAY, 0), local(NEXT_MONDAY, 0))

    # Labelled with the day the copy would go to, where the manager has to fix it.
    assert any(str(p).startswith(f"王芳 {on(NEXT_MONDAY)} 10:00: 王芳 is already on shift")
               for p in blocked.value.problems)
    # Each problem keeps its label (which copied shift) apart from the rule's own message.
    labelled = next(p for p in blocked.value.problems if p.values["problem"].id == "roster_rules.anchor_double_booked")
    assert labelled.id == "roster.labelled" and labelled.values["label"].values["anchor"] == "王芳"
    assert roster.written() == before


def test_templates_save_and_apply_at_the_same_local_times(roster: Roster) -> None:
    source = plan_a_week(roster)

    template = roster.manager.save_template("标准周", local(MONDAY, 0))
    assert (template.name, template.shift_count) == ("标准周", 3)
    assert [t.name for t in roster.manager.templates()] == ["标准周"]
    with pytest.raises(ValidationError, match="already exists"):
        roster.manager.save_template("标准周", local(MONDAY, 0))

    three_weeks_on = MONDAY + timedelta(days=21)
    roster.manager.apply_template(template.id, local(three_weeks_on, 0))

    applied = roster.manager.shifts_between(*week_of(three_weeks_on))
    assert plan_of(applied) == plan_of(source)
    assert {s.status for s in applied} == {ShiftStatus.DRAFT}
    assert [via for via, _ in audit(roster, "template_applied")] == ["gui"]


# --- audit --------------------------------------------------------------------------------


def test_every_edit_is_audited_with_the_door_it_came_through(db: Database, roster: Roster) -> None:
    cli = RosterService(db, AuthService(db).actor_for_login(None, via=AuditVia.CLI))
    by_cli = cli.add_shift(anchor_id=roster.a1.id, room_id=roster.r1.id, role=ShiftRole.HOST,
                           starts_at=local(MONDAY, 10), ends_at=local(MONDAY, 12)).shifts[0]
    cli.move_shift(by_cli.id, starts_at=local(MONDAY, 11), ends_at=local(MONDAY, 13))
    by_gui = roster.shift(roster.a2, MONDAY, 10, 12, room=roster.r2)
    roster.manager.remove_shift(by_gui.id)
    cli.publish(*week_of(MONDAY))

    with sqlite3.connect(roster.db.path) as conn:
        rows = conn.execute("SELECT action, via FROM audit_log WHERE entity = 'shift' ORDER BY rowid").fetchall()
    assert rows == [("shift_added", "cli"), ("shift_moved", "cli"), ("shift_added", "gui"),
                    ("shift_removed", "gui"), ("roster_published", "cli")]
    assert roster.count("SELECT count(*) FROM audit_log WHERE user_id IS NULL AND entity = 'shift'") == 0


def test_the_week_holds_what_the_board_needs(roster: Roster) -> None:
    roster.shift(roster.a1, MONDAY, 10, 12)
    roster.shift(roster.a1, MONDAY + timedelta(days=1), 10, 13, reason="launch")

    week = roster.manager.week(local(MONDAY, 0))

    assert [a.code for a in week.anchors] == ["A001", "A002", "A003"]
    assert [r.code for r in week.rooms] == ["R01", "R02"]
    assert week.hours_by_anchor() == {roster.a1.id: 5.0}
    warned = [s for s in week.shifts if s.warnings]
    assert len(warned) == 1 and warned[0].override_reason == "launch"
    # The context judges a drag without the database: onto the other shift is a block.
    from console.rules.roster import ShiftPlan, blocking

    drag = ShiftPlan(id=week.shifts[1].id, anchor_id=roster.a1.id, room_id=roster.r1.id, role=ShiftRole.HOST,
                     starts_at=local(MONDAY, 11), ends_at=local(MONDAY, 12))
    assert blocking(week.context.check(drag))


# --- batches (undo and redo of several shifts) -------------------------------------------------------


def test_removing_and_restoring_a_batch_is_one_transaction(roster: Roster) -> None:
    rows = [roster.shift(roster.a1, MONDAY, 10, 12), roster.shift(roster.a2, MONDAY, 10, 12, room=roster.r2),
            roster.shift(roster.a3, MONDAY + timedelta(days=1), 10, 12)]
    gone = roster.manager.remove_shifts([r.id for r in rows])
    assert set(gone.removed_shift_ids) == {r.id for r in rows}
    assert roster.manager.week(week_of(MONDAY)[0]).shifts == ()

    back = roster.manager.restore_shifts(rows)
    assert {s.id for s in back.shifts} == {r.id for r in rows}
    assert {s.id for s in roster.manager.week(week_of(MONDAY)[0]).shifts} == {r.id for r in rows}


def test_a_refused_row_restores_none_of_the_batch(roster: Roster) -> None:
    rows = [roster.shift(roster.a1, MONDAY, 10, 12), roster.shift(roster.a2, MONDAY, 10, 12, room=roster.r2),
            roster.shift(roster.a3, MONDAY + timedelta(days=1), 10, 12)]
    roster.manager.remove_shifts([r.id for r in rows])
    # While they were gone, the third anchor was booked elsewhere at the same time.
    roster.shift(roster.a3, MONDAY + timedelta(days=1), 10, 12, room=roster.r2)
    before = roster.written()

    with pytest.raises(RosterBlocked):
        roster.manager.restore_shifts(rows)

    assert roster.written() == before
    assert [s.anchor_id for s in roster.manager.week(week_of(MONDAY)[0]).shifts] == [roster.a3.id]


def test_removing_a_batch_with_one_shift_gone_already_removes_none(roster: Roster) -> None:
    rows = [roster.shift(roster.a1, MONDAY, 10, 12), roster.shift(roster.a2, MONDAY, 10, 12, room=roster.r2)]
    roster.manager.remove_shift(rows[1].id)
    before = roster.written()
    with pytest.raises(DomainError):
        roster.manager.remove_shifts([r.id for r in rows])
    assert roster.written() == before
