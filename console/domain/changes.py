"""What changed in the store, as one stream every screen and the sync loop can follow.

After every commit the storage layer publishes a :class:`ChangeSet`: which
tables, which rows, what kind of change, and where it came from (this
process, another process on the same data folder, or a sync pull). It is
Anki's ``OpChanges`` made general: a screen refreshes only when a change set
names a table it shows, and skips the changes it made itself (it already
applied them from the operation's own result), by comparing
:attr:`ChangeSet.initiator` with the tag it ran the operation under.

Pure Python and thread-agnostic: subscribers are called on the thread that
committed (the database worker, or the watcher thread for other processes);
the UI adapts the stream to a Qt signal, which queues the call to the GUI
thread.
"""

from __future__ import annotations

import contextvars
import enum
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


class Origin(enum.Enum):
    LOCAL = "local"            # this process wrote it (a screen, the CLI run in this process)
    OTHER_PROCESS = "other"    # another process on the same data folder (the CLI, a second console)
    SYNC = "sync"              # rows pulled from head office


class Kind(enum.Enum):
    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"          # a tombstone, or a row removed outright (local-only tables)


@dataclass(frozen=True, slots=True)
class Change:
    """One table's changes of one kind; ``row_ids`` is None when the rows are not known (bulk work)."""

    table: str
    kind: Kind
    row_ids: frozenset[str] | None


@dataclass(frozen=True, slots=True)
class ChangeSet:
    origin: Origin
    changes: tuple[Change, ...]
    initiator: str | None = None          # the tag of the operation that made it, if one was set
    everything: bool = False              # too much to name (a watcher fell behind): refresh all

    @property
    def tables(self) -> frozenset[str]:
        return frozenset(c.table for c in self.changes)

    def touches(self, tables: Iterable[str]) -> bool:
        """Whether any of ``tables`` changed (always true for an ``everything`` set)."""
        return self.everything or not self.tables.isdisjoint(tables)

    def rows(self, table: str) -> frozenset[str] | None:
        """The ids of ``table``'s changed rows, or None when some of them are not known by id."""
        found: set[str] = set()
        for change in self.changes:
            if change.table == table:
                if change.row_ids is None:
                    return None
                found |= change.row_ids
        return None if self.everything else frozenset(found)


def merge_changes(items: Iterable[tuple[str, Kind, str | None]], *, max_ids: int = 200) -> tuple[Change, ...]:
    """(table, kind, row id or None) triples as one Change per table and kind.

    Past ``max_ids`` rows, or once any row is unknown, a table's change names no
    rows: a screen then reloads that table instead of a long list of rows.
    """
    grouped: dict[tuple[str, Kind], set[str] | None] = {}
    for table, kind, row_id in items:
        key = (table, kind)
        if key in grouped and grouped[key] is None:
            continue
        if row_id is None:
            grouped[key] = None
            continue
        ids = grouped.setdefault(key, set())
        assert ids is not None
        ids.add(row_id)
        if len(ids) > max_ids:
            grouped[key] = None
    return tuple(Change(table, kind, None if ids is None else frozenset(ids))
                 for (table, kind), ids in grouped.items())


Subscriber = Callable[[ChangeSet], None]

_initiator: contextvars.ContextVar[str | None] = contextvars.ContextVar("change_initiator", default=None)


@contextmanager
def initiated_by(tag: str | None) -> Iterator[None]:
    """Changes committed inside the block carry ``tag`` as their initiator."""
    token = _initiator.set(tag)
    try:
        yield
    finally:
        _initiator.reset(token)


def current_initiator() -> str | None:
    return _initiator.get()


@dataclass
class ChangeStream:
    """Subscribers called with every published change set; one failing subscriber spoils no other."""

    _subscribers: list[Subscriber] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Follow the stream; returns the call that stops following it."""
        with self._lock:
            self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            with self._lock:
                if subscriber in self._subscribers:
                    self._subscribers.remove(subscriber)
        return unsubscribe

    def publish(self, changes: ChangeSet) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            try:
                subscriber(changes)
            except Exception:  # a broken screen must not stop the commit's other listeners
                log.exception("a change subscriber failed on %s", changes.tables)
