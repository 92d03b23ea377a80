"""Synced rows written in bulk: Core statements with rows as SQLite keeps them, and the outbox entries they need.

For an import of hundreds of thousands of rows, where the ORM would track
an object per row for nothing and spend as long building each statement's
parameters as SQLite spends storing them. What the ORM's flush hooks do for
a row is done here instead, the same way:

- the stamps of :class:`~console.storage.models.SyncedRow` (a new id,
  created and updated times, row version 1, or the version on top of the
  last for an update);
- an outbox entry per row, the whole row as the payload, as
  :mod:`console.storage.outbox` writes it (only when asked: a console not
  yet enrolled has nothing to send, see ``catalog_io``);
- the change stream: the first row of every statement goes through the
  session, whose hook notes bulk statements by table.

Values are converted by the columns' own types (their bind processors, so
the storage format keeps its one home in the types); a value every row
shares (the time of the import, the store) is converted once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from operator import itemgetter
from typing import Any
from uuid import UUID

from sqlalchemy import Column, MetaData, Table, bindparam, update
from sqlalchemy.orm import Session

from console.domain.enums import OutboxOp
from console.storage.ids import new_id
from console.storage.models import Outbox
from console.storage.outbox import to_wire

_OUTBOX = Outbox.__table__
_STAMPS = frozenset({"id", "created_at", "updated_at", "row_version", "deleted_at"})


def _processor(column: Column[Any], dialect: Any) -> Any:
    """What SQLAlchemy calls to store a value of ``column`` (the type as the dialect has it)."""
    return column.type.dialect_impl(dialect).bind_processor(dialect)


class StoredRows:
    """Rows of some tables as SQLite keeps them, and the statements that write them.

    The statements are over copies of the tables without column types: the
    values arrive converted. ``updatable`` names, for each table rows are
    updated in, the columns an update sets (stamps included).
    """

    def __init__(self, dialect: Any, tables: Iterable[Table], *, now: datetime,
                 updatable: Mapping[Table, tuple[str, ...]], shared: Iterable[object] = ()) -> None:
        self.now, self._dialect, self._updatable = now, dialect, updatable
        tables = [*tables, _OUTBOX]
        copies = {table: Table(table.name, MetaData(), *(Column(c.key) for c in table.columns)) for table in tables}
        self._processors = {table: {c.key: _processor(c, dialect) for c in table.columns} for table in tables}
        # The columns whose values need converting (most are text and numbers, stored as they are); a synced
        # row's stamps are set by new_row itself.
        self._converted = {table: tuple((key, p) for key, p in processors.items()
                                        if p is not None and not ("deleted_at" in processors and key in _STAMPS))
                           for table, processors in self._processors.items()}
        self.keys = {table: tuple(c.key for c in table.columns) for table in tables}
        self._id = _processor(_OUTBOX.c.row_id, dialect)
        self._stamp = _processor(_OUTBOX.c.created_at, dialect)(now)
        # Kept alive here, so that their ids stay theirs while their stored forms are remembered.
        self._shared = {id(value): value for value in shared}
        self._stored: dict[tuple[int, Any], Any] = {}
        self._inserts = {table: copy.insert() for table, copy in copies.items()}
        self._updates = {table: update(copies[table]).where(copies[table].c.id == bindparam("b_id"))
                         for table in updatable}
        self._sql: dict[tuple[Any, tuple[str, ...]], tuple[str, Callable[[Any], tuple[Any, ...]]]] = {}

    def new_row(self, table: Table, row_id: UUID | None, values: Mapping[str, Any]) -> dict[str, Any]:
        """A new row, stamped as a synced row's first version (``row_id`` None: a table without the stamps)."""
        row = {} if row_id is None else {"id": self._id(row_id), "created_at": self._stamp,
                                         "updated_at": self._stamp, "row_version": 1, "deleted_at": None}
        row.update(values)
        for key, processor in self._converted[table]:
            value = values.get(key)
            if value is not None:
                row[key] = self._value(value, processor)
        return row

    def changed_row(self, table: Table, row: Mapping[str, Any]) -> dict[str, Any]:
        """An update's parameters: the updatable columns of ``row``, and its id as ``b_id``."""
        processors = self._processors[table]
        changed = {"b_id": self._id(row["id"])}
        for key in self._updatable[table]:
            value, processor = row[key], processors[key]
            changed[key] = value if value is None or processor is None else self._value(value, processor)
        return changed

    def _value(self, value: Any, processor: Any) -> Any:
        if value is self.now:
            return self._stamp
        if id(value) in self._shared:
            key = (id(value), processor)
            if key not in self._stored:
                self._stored[key] = processor(value)
            return self._stored[key]
        return processor(value)

    def execute(self, s: Session, table: Table, rows: list[dict[str, Any]], *, update: bool = False) -> None:
        """Insert (or update) ``rows``, all with the same keys, in the session's transaction.

        The first row goes through the session, so that the change stream
        hears of the table; the rest go to the driver as SQLAlchemy compiles
        the statement, without its building every row's parameters again.
        """
        statement = self._updates[table] if update else self._inserts[table]
        s.execute(statement, rows[:1])
        if len(rows) > 1:
            sql, order = self._compiled(statement, tuple(rows[0]))
            s.connection().exec_driver_sql(sql, [order(row) for row in rows[1:]])

    def _compiled(self, statement: Any, keys: tuple[str, ...]) -> tuple[str, Callable[[Any], tuple[Any, ...]]]:
        found = self._sql.get((statement, keys))
        if found is None:
            compiled = statement.compile(dialect=self._dialect, column_keys=list(keys))
            # Every statement here names several columns, so itemgetter gives a tuple.
            found = self._sql[(statement, keys)] = (compiled.string, itemgetter(*compiled.positiontup))
        return found


class BulkWrites:
    """A batch of rows by table and kind, with their outbox entries when ``with_outbox``."""

    def __init__(self, stored: StoredRows, *, with_outbox: bool) -> None:
        self.stored, self.with_outbox = stored, with_outbox
        self.inserts: dict[Table, list[dict[str, Any]]] = {}
        self.updates: dict[Table, list[dict[str, Any]]] = {}
        self.outbox: list[dict[str, Any]] = []

    def insert(self, table: Table, values: dict[str, Any]) -> UUID:
        """A new row of ``table`` with these values (every column but the stamps); returns its id."""
        row_id = new_id()
        self.inserts.setdefault(table, []).append(self.stored.new_row(table, row_id, values))
        if self.with_outbox:
            now = self.stored.now
            row = {"id": row_id, "created_at": now, "updated_at": now, "row_version": 1, "deleted_at": None,
                   **values}
            # In the table's column order, as the outbox hook writes a payload.
            payload = {key: to_wire(row[key]) for key in self.stored.keys[table]}
            self.outbox.append(self._entry(table, row_id, OutboxOp.INSERT, 0, sorted(payload), payload))
        return row_id

    def update(self, table: Table, old: Mapping[str, Any], changes: dict[str, Any]) -> None:
        """``old`` (a whole row, as read) with ``changes``, on top of its version."""
        base = old["row_version"]
        row = {**old, **changes, "row_version": base + 1, "updated_at": self.stored.now}
        self.updates.setdefault(table, []).append(self.stored.changed_row(table, row))
        if self.with_outbox:
            op = OutboxOp.DELETE if row["deleted_at"] is not None else OutboxOp.UPDATE
            payload = {key: to_wire(row[key]) for key in self.stored.keys[table]}
            self.outbox.append(self._entry(table, row["id"], op, base, sorted(changes), payload))

    def _entry(self, table: Table, row_id: UUID, op: OutboxOp, base: int, changed: list[str],
               payload: dict[str, Any]) -> dict[str, Any]:
        return self.stored.new_row(_OUTBOX, None, {
            "mutation_id": new_id(), "table_name": table.name, "row_id": row_id, "op": op, "base_version": base,
            "row_version": base + 1, "changed_fields": changed, "payload": payload, "created_at": self.stored.now})

    def write(self, s: Session, parents_first: Iterable[Table]) -> None:
        """Everything in the session's transaction: the tables in the order given, then the outbox."""
        for table in parents_first:
            if self.inserts.get(table):
                self.stored.execute(s, table, self.inserts[table])
            if self.updates.get(table):
                self.stored.execute(s, table, self.updates[table], update=True)
        if self.outbox:
            self.stored.execute(s, _OUTBOX, self.outbox)
