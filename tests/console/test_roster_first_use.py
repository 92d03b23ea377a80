"""The roster rules a manager relies on, as a first use found them broken (issue 9, items 2-7), in the service.

Removals wait for publishing; approving time off, deactivating an anchor or
changing a room's hours asks about the shifts it strands and flags them; codes
are one code whatever their case or width; a copied week is previewed and
copied in part; requests for the past, for a busy colleague or for years of
leave are refused. Real SQLite stores under tmp_path, the real services.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from uuid import UUID

import pytest

from console.domain.enums import Affiliation, RequestStatus, ShiftRole, ShiftStatus
from console.domain.errors import (
    NotFound,
    RosterBlocked,
    ShiftsStranded,
    ValidationError,
)
from console.domain.permissions import Actor
from console.services.roster import RosterService
from console.services.roster_io import ImportRejected, RosterFileService
from console.storage.db import Database
from console.storage.models import Anchor, Shift
from tests.console import test_roster_service as base
from tests.console.test_roster_service import (
    MONDAY,
    NEXT_MONDAY,
    ZONE,
    Roster,
    local,
    on,
    outbox_ops,
    week_of,
)

roster = base.roster
anchor_service = base.anchor_service

TUESDAY = MONDAY + timedelta(days=1)


def live_ids(service: RosterService, day: date = MONDAY) -> list[object]:
    return [s.id for s in service.shifts_between(*week_of(day))]


# --- 2: a removal is a change to publish ---------------------------------------------------------


def test_removing_a_published_shift_waits_for_publishing(roster: Roster, anchor_service: RosterService) -> None:
    shift = roster.shift(roster.a1, MONDAY, 10, 12)
    roster.manager.publish(*week_of(MONDAY))

    change = roster.manager.remove_shift(shift.id)

    # Off the manager's board, but a change to publish, and still on the anchor's My shifts.
    assert change.removed_shift_ids == (shift.id,)
    assert [w.id for w in change.withdrawn] == [shift.id]
    assert live_ids(roster.manager) == []
    week = roster.manager.week(local(MONDAY, 0))
    assert [w.id for w in week.withdrawn] == [shift.id] and week.shifts == ()
    mine = anchor_service.my_shifts(*week_of(MONDAY))
    assert [(s.id, s.status) for s in mine] == [(shift.id, ShiftStatus.PUBLISHED)]
    assert outbox_ops(roster, shift.id) == ["insert", "update", "update"]    # added, published, withdrawn

    published = roster.manager.publish(*week_of(MONDAY))

    assert published.removed_shift_ids == (shift.id,)
    assert anchor_service.my_shifts(*week_of(MONDAY)) == []
    assert roster.manager.week(local(MONDAY, 0)).withdrawn == ()
    assert outbox_ops(roster, shift.id)[-1] == "delete"
    assert roster.manager.publish(*week_of(MONDAY)).removed_shift_ids == ()


def test_a_draft_removed_is_gone_at_once(roster: Roster) -> None:
    draft = roster.shift(roster.a1, MONDAY, 10, 12)
    change = roster.manager.remove_shift(draft.id)
    assert change.withdrawn == () and roster.manager.week(local(MONDAY, 0)).withdrawn == ()
    assert outbox_ops(roster, draft.id) == ["insert", "delete"]


def test_undoing_the_removal_of_a_published_shift_restores_it_exactly(
    roster: Roster, anchor_service: RosterService,
) -> None:
    shift = roster.shift(roster.a1, MONDAY, 10, 12)
    other = roster.shift(roster.a2, MONDAY, 14, 16, room=roster.r2)
    roster.manager.publish(*week_of(MONDAY))
    roster.manager.remove_shift(other.id)
    roster.manager.remove_shift(shift.id)

    # Undo (the board re-adds the same row): published and unchanged, nothing to publish for it.
    back = roster.manager.add_shift(anchor_id=roster.a1.id, room_id=roster.r1.id, role=ShiftRole.HOST,
                                    starts_at=local(MONDAY, 10), ends_at=local(MONDAY, 12), shift_id=shift.id)

    (row,) = back.shifts
    assert (row.id, row.status, row.changed_since_publish) == (shift.id, ShiftStatus.PUBLISHED, False)
    assert roster.manager.week(local(MONDAY, 0)).withdrawn[0].id == other.id
    assert [s.id for s in anchor_service.my_shifts(*week_of(MONDAY))] == [shift.id]
    published = roster.manager.publish(*week_of(MONDAY))
    assert published.shifts == () and published.removed_shift_ids == (other.id,)


def test_undoing_a_removal_of_a_shift_changed_since_publish_keeps_it_changed(roster: Roster) -> None:
    shift = roster.shift(roster.a1, MONDAY, 10, 12)
    roster.manager.publish(*week_of(MONDAY))
    roster.manager.move_shift(shift.id, starts_at=local(MONDAY, 11), ends_at=local(MONDAY, 13))
    roster.manager.remove_shift(shift.id)

    back = roster.manager.add_shift(anchor_id=roster.a1.id, room_id=roster.r1.id, role=ShiftRole.HOST,
                                    starts_at=local(MONDAY, 11), ends_at=local(MONDAY, 13), shift_id=shift.id)

    assert back.shifts[0].changed_since_publish is True


def test_a_removal_published_then_undone_comes_back_as_a_draft(roster: Roster) -> None:
    shift = roster.shift(roster.a1, MONDAY, 10, 12)
    roster.manager.publish(*week_of(MONDAY))
    roster.manager.remove_shift(shift.id)
    roster.manager.publish(*week_of(MONDAY))

    back = roster.manager.add_shift(anchor_id=roster.a1.id, room_id=roster.r1.id, role=ShiftRole.HOST,
                                    starts_at=local(MONDAY, 10), ends_at=local(MONDAY, 12), shift_id=shift.id)

    assert back.shifts[0].status is ShiftStatus.DRAFT       # its anchor was told it is gone


def test_a_withdrawn_shift_frees_its_slot_and_cannot_be_edited(roster: Roster) -> None:
    shift = roster.shift(roster.a1, MONDAY, 10, 12)
    roster.manager.publish(*week_of(MONDAY))
    roster.manager.remove_shift(shift.id)

    roster.shift(roster.a1, MONDAY, 10, 12, room=roster.r2)      # the anchor is free again for the plan
    with pytest.raises(NotFound, match="taken off the roster"):
        roster.manager.move_shift(shift.id, starts_at=local(MONDAY, 14), ends_at=local(MONDAY, 16))
    with pytest.raises(NotFound):
        roster.manager.remove_shift(shift.id)


# --- 3: approving time off over booked shifts -----------------------------------------------------


def test_approving_time_off_lists_the_booked_shifts_first_then_flags_them(
    roster: Roster, anchor_service: RosterService,
) -> None:
    morning = roster.shift(roster.a1, TUESDAY, 10, 12)
    evening = roster.shift(roster.a1, TUESDAY, 18, 20, room=roster.r2)
    roster.manager.publish(*week_of(MONDAY))
    request = anchor_service.request_time_off(starts_at=local(TUESDAY, 0), ends_at=local(TUESDAY + timedelta(1), 0),
                                              reason="年假")
    before = roster.written()

    with pytest.raises(ShiftsStranded) as asked:
        roster.manager.decide_time_off(request.id, approve=True)

    assert [s.id for s in asked.value.shifts] == [morning.id, evening.id]
    assert all("王芳 has approved time off" in str(s.problems[0]) for s in asked.value.shifts)
    assert roster.written() == before                               # nothing approved yet
    assert roster.manager.time_off_between(*week_of(MONDAY))[0].status is RequestStatus.REQUESTED

    decided = roster.manager.decide_time_off(request.id, approve=True, confirm_stranded=True)

    assert decided.status is RequestStatus.APPROVED
    flagged = {s.id: s for s in roster.manager.week(local(MONDAY, 0)).shifts if s.needs_attention}
    assert set(flagged) == {morning.id, evening.id}
    listed = roster.manager.shifts_needing_attention(*week_of(MONDAY))
    assert [s.id for s in listed] == [morning.id, evening.id]
    # Reassigned, a shift is no longer flagged.
    roster.manager.move_shift(morning.id, starts_at=morning.starts_at, ends_at=morning.ends_at,
                              anchor_id=roster.a2.id)
    assert [s.id for s in roster.manager.shifts_needing_attention(*week_of(MONDAY))] == [evening.id]


def test_approving_time_off_that_touches_no_shift_asks_nothing(roster: Roster, anchor_service: RosterService) -> None:
    roster.shift(roster.a1, MONDAY, 10, 12)
    request = anchor_service.request_time_off(starts_at=local(TUESDAY, 0), ends_at=local(TUESDAY + timedelta(1), 0))
    assert roster.manager.decide_time_off(request.id, approve=True).status is RequestStatus.APPROVED
    with pytest.raises(ValidationError, match="already decided"):
        roster.manager.decide_time_off(request.id, approve=False)


def test_time_off_a_manager_enters_over_shifts_asks_too(roster: Roster) -> None:
    booked = roster.shift(roster.a2, TUESDAY, 10, 12)
    with pytest.raises(ShiftsStranded) as asked:
        roster.manager.request_time_off(starts_at=local(TUESDAY, 0), ends_at=local(TUESDAY, 23),
                                        anchor_id=roster.a2.id, reason="病假")
    assert [s.id for s in asked.value.shifts] == [booked.id]
    assert roster.manager.time_off_between(*week_of(MONDAY)) == []
    roster.manager.request_time_off(starts_at=local(TUESDAY, 0), ends_at=local(TUESDAY, 23),
                                    anchor_id=roster.a2.id, reason="病假", confirm_stranded=True)
    assert roster.manager.week(local(MONDAY, 0)).shifts[0].needs_attention


# --- 4: deactivating an anchor, changing a room's hours ------------------------------------------


def test_deactivating_an_anchor_lists_their_shifts_and_flags_them(roster: Roster) -> None:
    published = roster.shift(roster.a3, MONDAY, 10, 12)
    roster.manager.publish(*week_of(MONDAY))
    draft = roster.shift(roster.a3, TUESDAY, 14, 16)
    before = roster.written()

    with pytest.raises(ShiftsStranded) as asked:
        roster.manager.update_anchor(roster.a3.id, active=False)

    assert [s.id for s in asked.value.shifts] == [published.id, draft.id]
    assert "张伟 is no longer active" in str(asked.value.shifts[0].problems[0])
    assert roster.written() == before
    assert next(a for a in roster.manager.anchors() if a.id == roster.a3.id).active

    roster.manager.update_anchor(roster.a3.id, active=False, confirm_stranded=True)

    week = roster.manager.week(local(MONDAY, 0))
    assert {s.id for s in week.shifts if s.needs_attention} == {published.id, draft.id}
    assert [a.code for a in week.former_anchors] == ["A003"]          # their lane stays on the board
    assert roster.a3.id not in {a.id for a in week.anchors}
    assert len(roster.manager.shifts_needing_attention(*week_of(MONDAY))) == 2
    # Renaming them asks nothing more: the shifts were flagged already.
    roster.manager.update_anchor(roster.a3.id, name="张伟（已离职）")
    # A former anchor takes no new shift.
    with pytest.raises(RosterBlocked, match="no longer active"):
        roster.shift(roster.a3, MONDAY + timedelta(days=3), 10, 12)


def test_a_room_whose_hours_shrink_asks_and_flags_what_falls_outside(roster: Roster) -> None:
    late = roster.shift(roster.a1, MONDAY, 20, 22)
    early = roster.shift(roster.a2, TUESDAY, 10, 12)

    with pytest.raises(ShiftsStranded) as asked:
        roster.manager.update_room(roster.r1.id, opens_at=time(9), closes_at=time(18))
    assert [s.id for s in asked.value.shifts] == [late.id]
    assert "1号直播间 is open from 09:00 to 18:00" in str(asked.value.shifts[0].problems[0])
    assert roster.manager.rooms()[0].closes_at == time(23)

    roster.manager.update_room(roster.r1.id, opens_at=time(9), closes_at=time(18), confirm_stranded=True)
    flagged = [s.id for s in roster.manager.week(local(MONDAY, 0)).shifts if s.needs_attention]
    assert flagged == [late.id] and early.id not in flagged
    # Wider hours strand nothing and ask nothing.
    roster.manager.update_room(roster.r2.id, opens_at=time(7), closes_at=time(23, 30))


def test_closing_a_room_asks_and_keeps_its_lane(roster: Roster) -> None:
    booked = roster.shift(roster.a1, MONDAY, 10, 12, room=roster.r2)
    with pytest.raises(ShiftsStranded):
        roster.manager.update_room(roster.r2.id, active=False)
    roster.manager.update_room(roster.r2.id, active=False, confirm_stranded=True)
    (row,) = roster.manager.week(local(MONDAY, 0)).shifts
    assert row.id == booked.id and "2号直播间 is closed for shifts" in str(row.problems[0])


def test_a_shift_already_over_is_not_flagged(db: Database, roster: Roster) -> None:
    yesterday = datetime.now(UTC) - timedelta(days=1)
    with db.begin() as s:
        s.add(Shift(store_id=_store_id(db),
                    anchor_id=roster.a3.id, room_id=roster.r1.id, role=ShiftRole.HOST, starts_at=yesterday,
                    ends_at=yesterday + timedelta(hours=2), status=ShiftStatus.PUBLISHED, published_version=1))
    roster.manager.update_anchor(roster.a3.id, active=False)           # history: nothing to ask about
    rows = roster.manager.week(yesterday - timedelta(days=1)).shifts
    assert rows and not rows[0].needs_attention
    assert roster.manager.shifts_needing_attention(yesterday - timedelta(days=1), yesterday + timedelta(days=1)) == []


def _store_id(db: Database) -> UUID:
    with sqlite3.connect(db.path) as conn:
        (hex_id,) = conn.execute("SELECT id FROM store").fetchone()
    return UUID(hex_id)


# --- 5: codes are one code whatever their case or width ------------------------------------------


@pytest.mark.parametrize("written", ["a001", "A001 ", "Ａ００１", "ａ００１"])
def test_an_anchor_code_is_taken_whatever_its_case_or_width(roster: Roster, written: str) -> None:
    with pytest.raises(ValidationError, match="A001"):
        roster.manager.add_anchor(code=written, name="周婷", affiliation=Affiliation.STAFF)


def test_full_width_codes_are_kept_plain_and_rooms_likewise(roster: Roster) -> None:
    assert roster.manager.add_anchor(code="Ａ１００", name="周婷", affiliation=Affiliation.STAFF).code == "A100"
    with pytest.raises(ValidationError, match="R01"):
        roster.manager.add_room(code="r01", name="三号")


def _legacy_anchor(db: Database, code: str, name: str, *, active: bool) -> None:
    """An anchor saved before codes were compared without case (or synced in from another console)."""
    with db.begin() as s:
        s.add(Anchor(store_id=_store_id(db), code=code, name=name, affiliation=Affiliation.STAFF, active=active))


def _import(db: Database, actor: Actor, tmp_path: Path, *rows: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "roster.csv"
    path.write_text("anchor,room,start,end,role\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return RosterFileService(db, actor).import_file(path)


def test_import_matches_the_active_anchor_before_an_inactive_namesake_of_its_code(
    db: Database, manager_actor: Actor, roster: Roster, tmp_path: Path,
) -> None:
    _legacy_anchor(db, "a001", "王芳（旧）", active=False)

    result = _import(db, manager_actor, tmp_path, "A001,R01,2027-03-01 10:00,2027-03-01 12:00,host",
                     "a001,R02,2027-03-02 10:00,2027-03-02 12:00,host")

    assert result.imported == 2
    assert {s.anchor_id for s in roster.manager.shifts_between(*week_of(MONDAY))} == {roster.a1.id}


def test_import_finds_an_anchor_by_her_chinese_name_and_names_both_codes_when_ambiguous(
    db: Database, manager_actor: Actor, roster: Roster, tmp_path: Path,
) -> None:
    _legacy_anchor(db, "a002", "李娜", active=False)            # an inactive namesake is no ambiguity
    assert _import(db, manager_actor, tmp_path, "李娜,R01,2027-03-01 10:00,2027-03-01 12:00,host").imported == 1
    assert [s.anchor_id for s in roster.manager.shifts_between(*week_of(MONDAY))] == [roster.a2.id]

    roster.manager.add_anchor(code="A010", name="王芳", affiliation=Affiliation.GUEST)
    with pytest.raises(ImportRejected) as rejected:
        _import(db, manager_actor, tmp_path, "王芳,R01,2027-03-02 10:00,2027-03-02 12:00,host")
    assert any("2 anchors are called '王芳' (A001, A010)" in str(p) for p in rejected.value.problems)


# --- 6: copy last week, previewed and in part -----------------------------------------------------


def test_copy_week_previews_every_shift_at_its_target_date_and_copies_the_rest(roster: Roster) -> None:
    base.plan_a_week(roster)      # 王芳 and 李娜 on Monday, 张伟 on Wednesday
    roster.manager.update_anchor(roster.a3.id, certification_expires=NEXT_MONDAY)   # expires before Wednesday
    before = roster.written()

    preview = roster.manager.preview_copy_week(local(MONDAY, 0), local(NEXT_MONDAY, 0))

    assert roster.written() == before
    assert len(preview.items) == 3 and len(preview.accepted) == 2
    (refused,) = preview.refused
    assert refused.anchor_name == "张伟"
    assert refused.starts_at == local(NEXT_MONDAY + timedelta(days=2), 19)         # the target date
    assert "certification expired" in str(refused.problems[0])
    with pytest.raises(RosterBlocked) as blocked:                                  # all or nothing by default
        roster.manager.copy_week(local(MONDAY, 0), local(NEXT_MONDAY, 0))
    assert str(blocked.value.problems[0]).startswith(f"张伟 {on(NEXT_MONDAY + timedelta(days=2))} 19:00")

    change = roster.manager.copy_week(local(MONDAY, 0), local(NEXT_MONDAY, 0), skip_refused=True)

    assert sorted(s.anchor_code for s in change.shifts) == ["A001", "A002"]
    assert len(roster.manager.shifts_between(*week_of(NEXT_MONDAY))) == 2


def test_a_templates_preview_likewise(roster: Roster) -> None:
    base.plan_a_week(roster)
    template = roster.manager.save_template("标准周", local(MONDAY, 0))
    roster.shift(roster.a1, NEXT_MONDAY, 10, 12)
    preview = roster.manager.preview_template(template.id, local(NEXT_MONDAY, 0))
    assert len(preview.items) == 3 and [i.anchor_name for i in preview.refused] == ["王芳"]
    change = roster.manager.apply_template(template.id, local(NEXT_MONDAY, 0), skip_refused=True)
    assert len(change.shifts) == 2


# --- 7: requests that made no sense ---------------------------------------------------------------


def _today() -> date:
    return datetime.now(ZONE).date()


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), ZONE).astimezone(UTC)


@pytest.mark.parametrize(("first", "last", "words"), [
    (-1, 0, "cannot start in the past"),
    (10, 10 + 366, "a year at most"),
    (400, 401, "up to a year ahead"),
    (10, 8, "must end after it starts"),
])
def test_time_off_for_the_past_for_years_or_backwards_is_refused(
    roster: Roster, anchor_service: RosterService, first: int, last: int, words: str,
) -> None:
    before = roster.written()
    with pytest.raises(ValidationError, match=words):
        anchor_service.request_time_off(starts_at=_midnight(_today() + timedelta(days=first)),
                                        ends_at=_midnight(_today() + timedelta(days=last + 1)))
    assert roster.written() == before


def test_time_off_from_today_for_a_year_is_fine(roster: Roster, anchor_service: RosterService) -> None:
    today = _today()
    row = anchor_service.request_time_off(starts_at=_midnight(today), ends_at=_midnight(today + timedelta(days=365)))
    assert row.status is RequestStatus.REQUESTED


def test_a_swap_is_offered_only_to_a_colleague_the_rules_allow(roster: Roster, anchor_service: RosterService) -> None:
    own = roster.shift(roster.a1, MONDAY, 10, 12)
    roster.shift(roster.a2, MONDAY, 11, 13, room=roster.r2)       # 李娜 is on shift then
    roster.manager.publish(*week_of(MONDAY))

    options = anchor_service.swap_options(own.id)

    assert [(o.anchor.code, o.free) for o in options] == [("A003", True), ("A002", False)]
    assert "李娜 is already on shift" in str(options[1].problems[0])
    before = roster.written()
    with pytest.raises(RosterBlocked, match="李娜 is already on shift"):
        anchor_service.request_swap(own.id, to_anchor_id=roster.a2.id)
    assert roster.written() == before
    assert anchor_service.request_swap(own.id, to_anchor_id=roster.a3.id).to_anchor_id == roster.a3.id


def test_a_swap_for_a_shift_that_has_started_is_refused(
    db: Database, roster: Roster, anchor_service: RosterService,
) -> None:
    yesterday = datetime.now(UTC) - timedelta(days=1)
    with db.begin() as s:
        past = Shift(store_id=_store_id(db), anchor_id=roster.a1.id, room_id=roster.r1.id, role=ShiftRole.HOST,
                     starts_at=yesterday, ends_at=yesterday + timedelta(hours=2), status=ShiftStatus.PUBLISHED,
                     published_version=1)
        s.add(past)
    with pytest.raises(ValidationError, match="started already"):
        anchor_service.request_swap(past.id, to_anchor_id=roster.a3.id)
    with pytest.raises(ValidationError, match="started already"):
        anchor_service.swap_options(past.id)
