"""Settling a conflict from the console: each way, seen at head office and on the other console.

Two consoles of store SH01 edit the same anchor offline; head office keeps the
first push and lists the other for review. The store settles it on either
console (keep head office's, keep this store's, a merged value, or a new name
for a code head office renamed); the decision syncs as an edit and an audit
row, and closes the conflict on both consoles. A conflict whose row changed
since it was recorded, or that the other console settled meanwhile, is
refused with nothing written.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from console.domain.conflicts import OpenConflict, SettleChoice
from console.domain.enums import Affiliation, AuditVia, Role
from console.domain.errors import NotFound, ValidationError
from console.headoffice.models import SyncedRow as ServerRow
from console.i18n import text, use_language
from console.services.auth import AuthService
from console.services.conflicts import ConflictService
from console.services.roster import RosterService
from console.services.sync import SyncService
from console.storage.models import Anchor, AuditLog, Outbox, User
from tests.sync.faults import FleetConsole, ThreadedService, add_store, check_invariants, enroll, quiesce


@pytest.fixture
def pair(live: ThreadedService, tmp_path: Path) -> Iterator[tuple[FleetConsole, FleetConsole]]:
    """Two consoles of SH01, each with its own manager (so the audit says who), and anchor A001."""
    add_store(live.sessions, "SH01")
    a = enroll(live.sessions, live.base_url, "SH01", tmp_path / "a", "Counter A")
    b = enroll(live.sessions, live.base_url, "SH01", tmp_path / "b", "Counter B")
    try:
        for console, login, name in ((a, "mgr-a", "王店长"), (b, "mgr-b", "李店长")):
            with console.db.begin() as s:
                s.add(User(store_id=console.store_id, login=login, display_name=name, role=Role.STORE_MANAGER,
                           pin_hash="x"))
        _roster(a).add_anchor(code="A001", name="王雨桐", affiliation=Affiliation.STAFF)
        quiesce([a, b])
        yield a, b
    finally:
        a.close()
        b.close()


def _actor(console: FleetConsole):  # type: ignore[no-untyped-def]
    login = "mgr-a" if console.name == "Counter A" else "mgr-b"
    return AuthService(console.db).actor_for_login(login, via=AuditVia.CLI)


def _roster(console: FleetConsole) -> RosterService:
    return RosterService(console.db, AuthService(console.db).actor_for_login(None, via=AuditVia.CLI))


def _conflicts(console: FleetConsole) -> ConflictService:
    return ConflictService(console.db, _actor(console))


def _anchor_id(console: FleetConsole, code: str = "A001"):  # type: ignore[no-untyped-def]
    with console.db.begin() as s:
        return s.scalars(select(Anchor.id).where(Anchor.code == code)).one()


def _rename(console: FleetConsole, name: str, code: str = "A001") -> None:
    RosterService(console.db, _actor(console)).update_anchor(_anchor_id(console, code), name=name)


def _outbox(console: FleetConsole) -> list[Outbox]:
    with console.db.begin() as s:
        return list(s.scalars(select(Outbox).order_by(Outbox.seq)))


def _names(console: FleetConsole) -> dict[str, str]:
    with console.db.begin() as s:
        return {a.code: a.name for a in s.scalars(select(Anchor).where(Anchor.deleted_at.is_(None)))}


def _server_anchor(live: ThreadedService, row_id) -> dict:  # type: ignore[no-untyped-def]
    with live.sessions.begin() as session:
        return dict(session.scalars(select(ServerRow.data).where(ServerRow.table_name == "anchor",
                                                                 ServerRow.row_id == row_id)).one())


def _server_settlements(live: ThreadedService) -> list[dict]:  # type: ignore[no-untyped-def]
    with live.sessions.begin() as session:
        rows = session.scalars(select(ServerRow.data).where(ServerRow.table_name == "audit_log")).all()
    return [r["detail"] for r in rows if r["action"] == "conflict_settled"]


def _name_conflict(a: FleetConsole, b: FleetConsole) -> OpenConflict:
    """a renames the anchor 汪雨桐 and reaches head office first; b's 王雨彤 is refused and listed."""
    _rename(a, "汪雨桐")
    _rename(b, "王雨彤")
    assert a.sync().clean
    report = b.sync()
    assert report.conflicts == 1 and not report.errors, report
    (conflict,) = _conflicts(b).open_conflicts()
    return conflict


def test_both_sides_are_shown_with_who_changed_each_and_when(
        live: ThreadedService, pair: tuple[FleetConsole, FleetConsole]) -> None:
    a, b = pair
    conflict = _name_conflict(a, b)

    assert conflict.table == "anchor" and conflict.this_console and not conflict.renamed_key
    (field,) = conflict.fields
    assert field.name == "name" and field.text_typed
    assert (field.store.value, field.store.person, field.store.console) == ("王雨彤", "李店长", "Counter B")
    assert (field.head_office.value, field.head_office.person, field.head_office.console) == (
        "汪雨桐", "王店长", "Counter A")
    assert field.store.at is not None and field.head_office.at is not None
    assert field.head_office.at < field.store.at <= conflict.recorded_at  # type: ignore[operator]
    # The other console of the store lists it too, as another console's.
    assert a.sync().clean
    (seen,) = _conflicts(a).open_conflicts()
    assert seen.conflict_id == conflict.conflict_id and not seen.this_console


def test_keeping_this_stores_value_syncs_and_is_audited_at_head_office(
        live: ThreadedService, pair: tuple[FleetConsole, FleetConsole]) -> None:
    a, b = pair
    conflict = _name_conflict(a, b)

    settled = _conflicts(b).settle(conflict.conflict_id, SettleChoice.KEEP_STORE)

    assert settled.values == {"name": "王雨彤"}
    assert _conflicts(b).open_conflicts() == []
    quiesce([a, b])
    check_invariants(live.sessions, [a, b])
    assert _names(a) == _names(b) == {"A001": "王雨彤"}
    assert _server_anchor(live, _anchor_id(a))["name"] == "王雨彤"
    (detail,) = _server_settlements(live)
    assert detail == {"conflict_id": conflict.conflict_id, "table": "anchor", "row_id": conflict.row_id,
                      "fields": ["name"], "choice": "keep_store", "values": {"name": "王雨彤"}}
    # Closed on the other console too, by the audit row that came down, and not counted any more.
    assert _conflicts(a).open_conflicts() == []
    assert SyncService(a.db, _actor(a)).status().open_conflicts == 0


def test_keeping_head_offices_value_writes_nothing_but_the_audit_row(
        live: ThreadedService, pair: tuple[FleetConsole, FleetConsole]) -> None:
    a, b = pair
    conflict = _name_conflict(a, b)

    _conflicts(b).settle(conflict.conflict_id, SettleChoice.KEEP_HEAD_OFFICE)

    assert [e.table_name for e in _outbox(b)] == ["audit_log"]
    quiesce([a, b])
    assert _names(a) == _names(b) == {"A001": "汪雨桐"}
    assert [d["choice"] for d in _server_settlements(live)] == ["keep_head_office"]
    assert _conflicts(a).open_conflicts() == [] and _conflicts(b).open_conflicts() == []


def test_a_merged_value_is_written_as_typed_and_reaches_the_other_console(
        live: ThreadedService, pair: tuple[FleetConsole, FleetConsole]) -> None:
    a, b = pair
    conflict = _name_conflict(a, b)

    _conflicts(b).settle(conflict.conflict_id, SettleChoice.MERGED, {"name": "汪雨彤"})

    quiesce([a, b])
    check_invariants(live.sessions, [a, b])
    assert _names(a) == {"A001": "汪雨彤"}
    assert _server_anchor(live, _anchor_id(a))["name"] == "汪雨彤"
    assert _server_settlements(live)[0]["values"] == {"name": "汪雨彤"}


def test_a_merged_value_that_does_not_fit_is_refused_in_words(
        live: ThreadedService, pair: tuple[FleetConsole, FleetConsole]) -> None:
    a, b = pair
    conflict = _name_conflict(a, b)
    service = _conflicts(b)

    with pytest.raises(ValidationError) as too_long:
        service.settle(conflict.conflict_id, SettleChoice.MERGED, {"name": "长" * 121})
    with pytest.raises(ValidationError) as blank:
        service.settle(conflict.conflict_id, SettleChoice.MERGED, {"name": "  "})
    with pytest.raises(ValidationError) as stranger:
        service.settle(conflict.conflict_id, SettleChoice.MERGED, {"phone": "123"})

    use_language("zh_CN")
    try:
        assert "120" in text(too_long.value) and "name" in text(blank.value) and "phone" in text(stranger.value)
    finally:
        use_language("en")
    assert str(too_long.value) == "name holds at most 120 characters; this value has 121."
    assert _outbox(b) == [] and len(service.open_conflicts()) == 1


def test_a_code_head_office_renamed_can_be_renamed_here_but_not_to_a_taken_one(
        live: ThreadedService, pair: tuple[FleetConsole, FleetConsole]) -> None:
    a, b = pair
    _roster(a).add_anchor(code="A007", name="周宁", affiliation=Affiliation.STAFF)
    _roster(b).add_anchor(code="A007", name="陈晨", affiliation=Affiliation.STAFF)
    assert a.sync().clean and b.sync().clean
    (conflict,) = _conflicts(b).open_conflicts()
    assert conflict.renamed_key
    (field,) = conflict.fields
    assert (field.name, field.store.value, field.head_office.value) == ("code", "A007", "A007-2")
    assert field.head_office.head_office
    service = _conflicts(b)

    with pytest.raises(ValidationError) as taken:
        service.settle(conflict.conflict_id, SettleChoice.RENAME, {"code": "A001"})
    with pytest.raises(ValidationError) as also_taken:
        service.settle(conflict.conflict_id, SettleChoice.KEEP_STORE)
    assert str(taken.value) == ("A001 is already used by another anchor row of this store; "
                                "choose another code.")
    assert "A007 is already used" in str(also_taken.value)
    assert _outbox(b) == []

    service.settle(conflict.conflict_id, SettleChoice.RENAME, {"code": "A008"})

    quiesce([a, b])
    check_invariants(live.sessions, [a, b])
    assert _names(a) == _names(b) == {"A001": "王雨桐", "A007": "周宁", "A008": "陈晨"}
    assert [d["choice"] for d in _server_settlements(live)] == ["rename"]


def test_a_conflict_whose_row_head_office_changed_meanwhile_is_refused_with_nothing_written(
        live: ThreadedService, pair: tuple[FleetConsole, FleetConsole]) -> None:
    a, b = pair
    conflict = _name_conflict(a, b)
    _rename(a, "汪晓桐")
    assert a.sync().clean and b.sync().clean       # the newer name reaches b

    with pytest.raises(ValidationError) as refused:
        _conflicts(b).settle(conflict.conflict_id, SettleChoice.KEEP_STORE)

    assert "changed this anchor row meanwhile" in str(refused.value)
    assert _outbox(b) == []
    assert _names(b) == {"A001": "汪晓桐"}
    assert len(_conflicts(b).open_conflicts()) == 1       # still listed, to review again
    # Keeping head office's value is always possible: nothing is written.
    _conflicts(b).settle(conflict.conflict_id, SettleChoice.KEEP_HEAD_OFFICE)
    assert _conflicts(b).open_conflicts() == []


def test_a_conflict_the_other_console_settled_meanwhile_is_refused(
        live: ThreadedService, pair: tuple[FleetConsole, FleetConsole]) -> None:
    a, b = pair
    conflict = _name_conflict(a, b)
    assert a.sync().clean
    stale = _conflicts(b)
    _conflicts(a).settle(conflict.conflict_id, SettleChoice.KEEP_STORE)
    quiesce([a, b])

    with pytest.raises(NotFound) as refused:
        stale.settle(conflict.conflict_id, SettleChoice.KEEP_HEAD_OFFICE)

    assert "no longer open" in str(refused.value)
    with b.db.begin() as s:
        assert s.scalar(select(func.count()).select_from(Outbox)) == 0
        assert s.scalar(select(func.count()).select_from(AuditLog)
                        .where(AuditLog.action == "conflict_settled")) == 1
    assert _names(b) == {"A001": "王雨彤"}
