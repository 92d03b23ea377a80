"""The stream of changes: what each commit wrote, published once it is durable, here and across processes."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update

from console.domain.changes import ChangeSet, ChangeStream, Kind, Origin, initiated_by, merge_changes
from console.domain.enums import Affiliation
from console.domain.permissions import Actor
from console.services.roster import RosterService
from console.storage.changes import Watcher
from console.storage.db import DB_FILENAME, Database
from console.storage.models import Anchor, ChangeLog, LocalSetting
from console.storage.outbox import APPLYING_REMOTE


def _follow(db: Database) -> list[ChangeSet]:
    seen: list[ChangeSet] = []
    db.changes.subscribe(seen.append)
    return seen


def _wait_for(seen: list[ChangeSet], test, timeout: float = 3.0) -> ChangeSet:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for changes in list(seen):
            if test(changes):
                return changes
        time.sleep(0.01)
    raise AssertionError(f"no such change set in {seen}")


def test_a_service_edit_publishes_its_table_rows_and_kind_after_commit(db: Database, manager_actor: Actor) -> None:
    seen = _follow(db)
    roster = RosterService(db, manager_actor)

    anchor = roster.add_anchor(code="A9", name="王芳", affiliation=Affiliation.STAFF)

    [changes] = [c for c in seen if "anchor" in c.tables]
    assert changes.origin is Origin.LOCAL
    assert changes.rows("anchor") == frozenset({str(anchor.id)})
    assert {c.kind for c in changes.changes if c.table == "anchor"} == {Kind.INSERT}
    # The outbox entry that sends it to head office is named too (by table only): the sync nudge listens.
    assert "outbox" in changes.tables and changes.rows("outbox") is None

    seen.clear()
    roster.update_anchor(anchor.id, name="王芳芳")
    [changes] = seen
    assert [(c.table, c.kind) for c in changes.changes if c.table == "anchor"] == [("anchor", Kind.UPDATE)]


def test_a_rolled_back_unit_publishes_nothing_and_logs_nothing(db: Database, store: object) -> None:
    seen = _follow(db)
    with pytest.raises(RuntimeError), db.begin() as s:
        s.add(LocalSetting(key="k", value="v"))
        s.flush()
        raise RuntimeError("changed my mind")
    assert seen == []
    with db.begin() as s:
        logged = s.scalars(select(ChangeLog.row_ids).where(ChangeLog.table_name == "local_setting")).all()
        assert not any(ids and "k" in ids for ids in logged)


def test_a_tombstone_is_a_delete_and_a_bulk_statement_names_its_table(db: Database, manager_actor: Actor) -> None:
    roster = RosterService(db, manager_actor)
    anchor = roster.add_anchor(code="A9", name="王芳", affiliation=Affiliation.STAFF)
    seen = _follow(db)
    with db.begin() as s:
        row = s.get(Anchor, anchor.id)
        assert row is not None
        row.deleted_at = row.created_at
    assert ("anchor", Kind.DELETE) in {(c.table, c.kind) for c in seen[0].changes}

    seen.clear()
    with db.begin() as s:
        s.execute(update(LocalSetting).where(LocalSetting.key == "nothing").values(value="x"))
    [changes] = seen
    assert changes.rows("local_setting") is None and changes.touches({"local_setting"})


def test_pulled_rows_are_published_as_coming_from_sync(db: Database, store: object) -> None:
    seen = _follow(db)
    with db.begin() as s:
        s.info[APPLYING_REMOTE] = True
        s.add(LocalSetting(key="pulled", value="1"))
    assert seen[0].origin is Origin.SYNC


def test_changes_made_under_a_tag_carry_it(db: Database, store: object) -> None:
    seen = _follow(db)
    with initiated_by("roster-7"), db.begin() as s:
        s.add(LocalSetting(key="tagged", value="1"))
    with db.begin() as s:
        s.add(LocalSetting(key="untagged", value="1"))
    assert [c.initiator for c in seen] == ["roster-7", None]


def test_a_failing_subscriber_spoils_no_other() -> None:
    stream = ChangeStream()
    got: list[ChangeSet] = []

    def broken(_changes: ChangeSet) -> None:
        raise ValueError("bug in a screen")

    stream.subscribe(broken)
    stream.subscribe(got.append)
    stop = stream.subscribe(got.append)
    stop()
    stream.publish(ChangeSet(Origin.LOCAL, ()))
    assert len(got) == 1


def test_many_rows_collapse_to_the_table() -> None:
    items = [("product", Kind.UPDATE, str(n)) for n in range(300)] + [("shift", Kind.INSERT, "s1")]
    merged = {c.table: c for c in merge_changes(items, max_ids=200)}
    assert merged["product"].row_ids is None
    assert merged["shift"].row_ids == frozenset({"s1"})


def test_another_process_commit_reaches_the_watcher_within_a_second(db: Database, manager_actor: Actor,
                                                                    data_dir: Path) -> None:
    """A second process on the same file (the real command line) writes; this one hears of it."""
    seen = _follow(db)
    db.watch_other_processes()
    script = (
        "import sys; from pathlib import Path\n"
        "from console.storage.db import open_database\n"
        "from console.storage.models import LocalSetting\n"
        "db = open_database(Path(sys.argv[1]))\n"
        "with db.begin() as s:\n"
        "    s.add(LocalSetting(key='from_elsewhere', value='1'))\n"
        "db.close()\n"
    )
    subprocess.run([sys.executable, "-c", script, str(data_dir)], check=True, timeout=60)
    written = time.monotonic()

    changes = _wait_for(seen, lambda c: c.origin is Origin.OTHER_PROCESS)

    assert time.monotonic() - written < 1.0
    assert changes.rows("local_setting") == frozenset({"from_elsewhere"})
    # This process's own commits are not heard again from the watcher.
    seen.clear()
    with db.begin() as s:
        s.add(LocalSetting(key="mine", value="1"))
    time.sleep(0.6)
    assert [c.origin for c in seen] == [Origin.LOCAL]


def test_a_watcher_that_fell_behind_the_trim_says_everything_changed(db: Database, store: object,
                                                                     data_dir: Path) -> None:
    stream = ChangeStream()
    seen: list[ChangeSet] = []
    stream.subscribe(seen.append)
    watcher = Watcher(data_dir / DB_FILENAME, "this-process", stream)
    conn = watcher.open()
    try:
        with db.begin() as s:
            s.add(LocalSetting(key="b", value="1"))
        with db.begin() as s:
            first = s.scalar(select(func.max(ChangeLog.seq)))
        with db.begin() as s:
            s.add(LocalSetting(key="c", value="1"))
            # The first commit's entry is trimmed before the watcher reads it.
            s.execute(delete(ChangeLog).where(ChangeLog.seq == first))
        watcher.poll(conn)
        [changes] = seen
        assert changes.everything and changes.touches({"anything"})

        seen.clear()
        with db.begin() as s:
            s.add(LocalSetting(key="d", value="1"))
        watcher.poll(conn)
        [changes] = seen
        assert not changes.everything and changes.rows("local_setting") == frozenset({"d"})
    finally:
        conn.close()
