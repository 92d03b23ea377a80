"""Feeding the stream of changes: what each commit wrote, here and in other processes.

Session hooks on every session of a :class:`~console.storage.db.Database`
note each row a flush writes (the same rows the outbox hook sees) and each
bulk statement (table only), write them to ``change_log`` in the same
transaction, and publish a :class:`~console.domain.changes.ChangeSet` once the
commit is durable. A rollback publishes nothing.

:class:`Watcher` is how another process's commits arrive: a thread with its
own connection polls ``PRAGMA data_version`` (it changes whenever another
connection commits) and reads the change log entries it has not seen that
other writers made.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, event, inspect, insert
from sqlalchemy.orm import ORMExecuteState, Session

from console.domain.changes import (
    ChangeSet,
    ChangeStream,
    Kind,
    Origin,
    current_initiator,
    merge_changes,
)
from console.storage.ids import new_id
from console.storage.models import ChangeLog, SyncedRow
from console.storage.outbox import APPLYING_REMOTE
from console.storage.types import utcnow

log = logging.getLogger(__name__)

_NOTED = "changes.noted"                 # session.info: [(table, kind, row id | None)]
_LOG_TABLE = ChangeLog.__table__
# The outbox changes with every synced write and says nothing a screen shows but its count.
_TABLE_ONLY = frozenset({"outbox"})
_SKIP = frozenset({"change_log", "alembic_version"})
KEEP_FOR = timedelta(minutes=10)         # long enough for any watcher polling every second
TRIM_EVERY = 2_000                       # entries written between two trims
POLL_SECONDS = 0.25


def _row_key(obj: Any) -> str | None:
    key = inspect(obj).mapper.primary_key_from_instance(obj)
    if any(part is None for part in key):
        return None
    return str(key[0]) if len(key) == 1 else "/".join(str(part) for part in key)


def _kind_of_dirty(obj: Any) -> Kind | None:
    state = inspect(obj)
    changed = [attr.key for attr in state.mapper.column_attrs if state.attrs[attr.key].history.has_changes()]
    if not changed:
        return None
    if isinstance(obj, SyncedRow) and "deleted_at" in changed and obj.deleted_at is not None:
        return Kind.DELETE
    return Kind.UPDATE


class ChangeRecorder:
    """The hooks of one open database: note, log, publish."""

    def __init__(self, stream: ChangeStream, writer: str) -> None:
        self.stream = stream
        self.writer = writer
        self._written = 0

    def install(self, factory: Any) -> None:
        event.listen(factory, "before_flush", self._before_flush)
        event.listen(factory, "after_flush", self._after_flush)
        event.listen(factory, "do_orm_execute", self._on_execute)
        event.listen(factory, "after_commit", self._after_commit)
        event.listen(factory, "after_transaction_create", self._on_transaction)

    # --- noting ---------------------------------------------------------------------
    def _note(self, session: Session, items: list[tuple[str, Kind, str | None]]) -> None:
        items = [item for item in items if item[0] not in _SKIP]
        if not items:
            return
        items = [(t, k, None if t in _TABLE_ONLY else r) for t, k, r in items]
        session.info.setdefault(_NOTED, []).extend(items)
        origin = "sync" if session.info.get(APPLYING_REMOTE) else "edit"
        now = utcnow()
        # One entry per table and kind, its rows as a list: a commit of a hundred rows is a few entries.
        rows = [{"writer": self.writer, "origin": origin, "table_name": change.table, "kind": change.kind.value,
                 "row_ids": sorted(change.row_ids) if change.row_ids is not None else None, "at": now}
                for change in merge_changes(items)]
        # On the session's connection, not through the session: no ORM events, the same transaction.
        session.connection().execute(insert(_LOG_TABLE), rows)
        self._written += len(rows)
        if self._written >= TRIM_EVERY:
            self._written = 0
            session.connection().execute(delete(_LOG_TABLE).where(_LOG_TABLE.c.at < now - KEEP_FOR))

    def _before_flush(self, session: Session, _context: Any, _instances: Any) -> None:
        # Deleted objects lose their identity's place in session.deleted after the flush.
        session.info["changes.deleted"] = [(type(o).__tablename__, Kind.DELETE, _row_key(o))
                                          for o in session.deleted]

    def _after_flush(self, session: Session, _context: Any) -> None:
        items: list[tuple[str, Kind, str | None]] = []
        for obj in session.new:
            items.append((type(obj).__tablename__, Kind.INSERT, _row_key(obj)))
        for obj in session.dirty:
            kind = _kind_of_dirty(obj)
            if kind is not None:
                items.append((type(obj).__tablename__, kind, _row_key(obj)))
        items.extend(session.info.pop("changes.deleted", []))
        self._note(session, items)

    def _on_execute(self, state: ORMExecuteState) -> None:
        if not (state.is_insert or state.is_update or state.is_delete):
            return
        table = getattr(state.statement, "table", None)
        name = getattr(table, "name", None)
        if name is None:
            return
        kind = Kind.INSERT if state.is_insert else Kind.DELETE if state.is_delete else Kind.UPDATE
        self._note(state.session, [(name, kind, None)])

    # --- publishing -------------------------------------------------------------------
    def _after_commit(self, session: Session) -> None:
        noted = session.info.pop(_NOTED, None)
        if not noted:
            return
        origin = Origin.SYNC if session.info.get(APPLYING_REMOTE) else Origin.LOCAL
        self.stream.publish(ChangeSet(origin, merge_changes(noted), initiator=current_initiator()))

    def _on_transaction(self, session: Session, transaction: Any) -> None:
        # A new outermost transaction starts clean: what a rolled-back one noted never happened.
        # (A savepoint's rollback keeps its notes: saying too much only costs a refresh.)
        if transaction.parent is None:
            session.info.pop(_NOTED, None)
            session.info.pop("changes.deleted", None)


def new_writer_id() -> str:
    return new_id().hex


class Watcher:
    """A thread that tells ``stream`` what other processes committed to the same file."""

    def __init__(self, path: Path, writer: str, stream: ChangeStream, *, interval: float = POLL_SECONDS) -> None:
        self._path = path
        self._writer = writer
        self._stream = stream
        self._interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_seq = 0
        self._data_version: int | None = None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, args=(self.open(),), name="change-watcher", daemon=True)
        self._thread.start()

    def open(self) -> sqlite3.Connection:
        """The watcher's own read-only connection, with what is already in the log counted as seen."""
        conn = self._connect()
        self._data_version = conn.execute("PRAGMA data_version").fetchone()[0]
        # The last number handed out (kept by SQLite even when the log is trimmed to nothing).
        last = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'change_log'").fetchone()
        self._last_seq = last[0] if last else 0
        return conn

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self._path, timeout=1.0, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA query_only = ON")
        return conn

    def _run(self, conn: sqlite3.Connection) -> None:
        try:
            while not self._stop.wait(self._interval):
                try:
                    self.poll(conn)
                except Exception:   # one bad read must not end the watching: the next poll tries again
                    log.warning("the change watcher could not read %s", self._path, exc_info=True)
        finally:
            conn.close()

    def poll(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        if version == self._data_version:
            return
        self._data_version = version
        found = conn.execute(
            "SELECT seq, writer, origin, table_name, row_ids, kind FROM change_log WHERE seq > ? ORDER BY seq",
            (self._last_seq,)).fetchall()
        if not found:
            return
        # Numbers are never reused and a rollback takes its own back: a gap means entries were
        # trimmed before this watcher read them, so what changed is no longer known.
        fell_behind = found[0][0] > self._last_seq + 1
        self._last_seq = found[-1][0]
        theirs = [row for row in found if row[1] != self._writer]
        if fell_behind:
            self._stream.publish(ChangeSet(Origin.OTHER_PROCESS, (), everything=True))
            return
        for origin, label in ((Origin.OTHER_PROCESS, "edit"), (Origin.SYNC, "sync")):
            # A list of ids, or JSON null (rows not known one by one).
            items = [(table, Kind(kind), row_id) for _seq, _w, o, table, ids, kind in theirs if o == label
                     for row_id in ((json.loads(ids) if ids else None) or [None])]
            if items:
                self._stream.publish(ChangeSet(origin, merge_changes(items)))
