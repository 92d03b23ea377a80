"""What publishing a week will tell whom: the roster service's summary before a publish."""

from __future__ import annotations

from datetime import timedelta

import pytest

from console.domain.errors import PermissionDenied
from console.services.roster import RosterService
from tests.console import test_roster_service as base
from tests.console.test_roster_service import MONDAY, Roster, local, week_of

roster = base.roster
anchor_service = base.anchor_service


def test_the_summary_lists_per_anchor_what_publish_will_add_change_and_remove(roster: Roster) -> None:
    kept = roster.shift(roster.a1, MONDAY, 16, 17)
    moved = roster.shift(roster.a2, MONDAY + timedelta(days=1), 10, 12)
    taken_off = roster.shift(roster.a3, MONDAY + timedelta(days=2), 14, 16, room=roster.r2)
    roster.manager.publish(*week_of(MONDAY))
    added = roster.shift(roster.a1, MONDAY, 10, 12)
    roster.shift(roster.a1, MONDAY + timedelta(days=7), 10, 12)     # next week: not in this publish
    roster.manager.move_shift(moved.id, starts_at=local(MONDAY + timedelta(days=1), 11),
                              ends_at=local(MONDAY + timedelta(days=1), 13))
    roster.manager.remove_shift(taken_off.id)
    before = roster.written()

    summary = roster.manager.publish_summary(*week_of(MONDAY))

    assert roster.written() == before          # a preview writes nothing, not even an audit row
    by_name = {a.anchor_name: a for a in summary.anchors}
    assert sorted(by_name) == sorted(["王芳", "李娜", "张伟"])
    assert [s.id for s in by_name["王芳"].added] == [added.id]
    assert by_name["王芳"].changed == by_name["王芳"].removed == ()
    assert kept.id not in {s.id for a in summary.anchors for s in (*a.added, *a.changed, *a.removed)}
    assert [(s.id, s.starts_at) for s in by_name["李娜"].changed] == [
        (moved.id, local(MONDAY + timedelta(days=1), 11))]
    assert [s.id for s in by_name["张伟"].removed] == [taken_off.id]
    assert by_name["张伟"].anchor_code == "A003"
    assert summary.count == 3

    published = roster.manager.publish(*week_of(MONDAY))
    assert len(published.shifts) + len(published.removed_shift_ids) == summary.count
    assert roster.manager.publish_summary(*week_of(MONDAY)).anchors == ()


def test_an_empty_week_has_nothing_to_publish(roster: Roster) -> None:
    summary = roster.manager.publish_summary(*week_of(MONDAY))
    assert summary.anchors == () and summary.count == 0


def test_only_those_who_may_publish_see_the_summary(roster: Roster, anchor_service: RosterService) -> None:
    with pytest.raises(PermissionDenied):
        anchor_service.publish_summary(*week_of(MONDAY))
