"""The synced tables as the wire sees them: owner, columns and a check of each pushed row.

Built from the console's own models (``console.storage.models``), so a column
added there is known here without a second list to keep in step.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, Boolean, Date, DateTime, Enum, Integer, String, Table, Time, UniqueConstraint, Uuid
from sqlalchemy.sql.schema import Column

from console.domain.enums import StrEnum
from console.storage.models import OWNER_APPEND, OWNER_HEAD_OFFICE, OWNER_STORE, SYNCED_MODELS
from console.storage.types import UTCDateTime
from console.sync.protocol import UNSTORABLE_TEXT, storable

# Columns stamped on every change; they never count as a field someone edited.
STAMP_FIELDS = frozenset({"id", "created_at", "updated_at", "row_version"})
_INT_LIMIT = 2**63
_CANONICAL_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


class RowProblem(ValueError):
    """A pushed row that does not fit its table; the message names the field."""


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    nullable: bool
    describe: str                       # "a UUID", "an integer", ...
    accepts: Callable[[Any], bool]


class KeyKind(StrEnum):
    """How head office settles two rows that claim the same natural key (see ``UniqueKey``)."""

    RENAME = "rename"        # a code or name: the later row gets a suffix ("A007-2")
    RENUMBER = "renumber"    # a link or version number: the later row gets the next free number
    REFUSE = "refuse"        # the same thing twice (two stock rows for one product): the later row is refused


@dataclass(frozen=True)
class UniqueKey:
    """A unique constraint of the console's table, as head office must keep it across consoles.

    ``group`` holds the fields the value is unique within (besides the
    store, which the scope already is); ``field`` is the one that is
    changed (or the row refused) when two consoles claimed the same value
    offline; ``limit`` is a renamed field's length limit. ``live_only``:
    deleted rows release their value.
    """

    group: tuple[str, ...]
    field: str
    kind: KeyKind
    limit: int | None
    live_only: bool

    @property
    def fields(self) -> tuple[str, ...]:
        return (*self.group, self.field)


@dataclass(frozen=True)
class TableSpec:
    name: str
    owner: str                          # OWNER_STORE, OWNER_HEAD_OFFICE or OWNER_APPEND
    columns: Mapping[str, ColumnSpec]
    unique_keys: tuple[UniqueKey, ...] = ()

    @property
    def store_scoped(self) -> bool:
        return "store_id" in self.columns

    @property
    def head_office_owned(self) -> bool:
        return self.owner == OWNER_HEAD_OFFICE

    @property
    def append_only(self) -> bool:
        return self.owner == OWNER_APPEND

    def check_fields(self, names: list[str]) -> None:
        unknown = sorted(set(names) - self.columns.keys())
        if unknown:
            raise RowProblem(f"table {self.name} has no field {', '.join(map(repr, unknown))}")

    def check_row(self, payload: Mapping[str, Any]) -> None:
        """Raise :class:`RowProblem` unless ``payload`` is a whole row of this table."""
        self.check_fields(list(payload))
        missing = sorted(self.columns.keys() - payload.keys())
        if missing:
            raise RowProblem(f"the {self.name} row lacks field {', '.join(map(repr, missing))}")
        for name, value in payload.items():
            column = self.columns[name]
            if value is None:
                if not column.nullable:
                    raise RowProblem(f"field {self.name}.{name} must not be null")
            elif not column.accepts(value):
                raise RowProblem(f"field {self.name}.{name} must be {column.describe}")


def _is_uuid(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    if _CANONICAL_UUID.fullmatch(value):  # as consoles send them; a regex is a fraction of UUID()
        return True
    try:
        UUID(value)
    except ValueError:
        return False
    return True


def _parses(parse: Callable[[str], Any]) -> Callable[[Any], bool]:
    def accepts(value: Any) -> bool:
        if not isinstance(value, str):
            return False
        try:
            parse(value)
        except ValueError:
            return False
        return True
    return accepts


def _aware_datetime(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        # A wall-clock time without its zone could mean anything across stores.
        raise ValueError("naive datetime")
    return value


def _is_text(value: Any) -> bool:
    # Refused on SQLite as well, so one store never holds what another cannot.
    return isinstance(value, str) and storable(value)


def _storable_json(value: Any) -> bool:
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, dict):
        return all(storable(k) and _storable_json(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_storable_json(v) for v in value)
    return True


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and -_INT_LIMIT < value < _INT_LIMIT


def _column_spec(column: Column[Any]) -> ColumnSpec:
    kind = column.type
    name, nullable = column.key, bool(column.nullable)
    # Enum subclasses String, so it is tested first.
    if isinstance(kind, Enum):
        choices = frozenset(kind.enums)
        return ColumnSpec(name, nullable, f"one of {', '.join(sorted(choices))}",
                          lambda v: isinstance(v, str) and v in choices)
    if isinstance(kind, (UTCDateTime, DateTime)):
        return ColumnSpec(name, nullable, "an ISO 8601 date-time with its UTC offset",
                          _parses(_aware_datetime))
    if isinstance(kind, Uuid):
        return ColumnSpec(name, nullable, "a UUID string", _is_uuid)
    if isinstance(kind, Boolean):
        return ColumnSpec(name, nullable, "true or false", lambda v: isinstance(v, bool))
    if isinstance(kind, Integer):
        return ColumnSpec(name, nullable, "an integer", _is_int)
    if isinstance(kind, String):
        limit = kind.length
        if limit is None:
            return ColumnSpec(name, nullable, f"a string without {UNSTORABLE_TEXT}", _is_text)
        return ColumnSpec(name, nullable, f"a string of at most {limit} characters, without {UNSTORABLE_TEXT}",
                          lambda v: _is_text(v) and len(v) <= limit)
    if isinstance(kind, Date):
        return ColumnSpec(name, nullable, "an ISO 8601 date", _parses(date.fromisoformat))
    if isinstance(kind, Time):
        return ColumnSpec(name, nullable, "an ISO 8601 time", _parses(time.fromisoformat))
    if isinstance(kind, JSON):
        # The column default (dict or list) says which JSON shape the console keeps.
        shape = type(column.default.arg({})) if column.default is not None else dict
        noun = "a JSON object" if shape is dict else "a JSON array"
        return ColumnSpec(name, nullable, f"{noun} without {UNSTORABLE_TEXT}",
                          lambda v: isinstance(v, shape) and _storable_json(v))
    raise TypeError(f"no wire check for column {column} of type {kind!r}")


def _unique_key(table: Table, columns: Sequence[Column[Any]], live_only: bool) -> UniqueKey | None:
    names = [c.key for c in columns if c.key != "store_id"]
    if not names or names == ["id"]:
        return None
    last = table.c[names[-1]]
    # Enum subclasses String: a choice cannot take a suffix.
    if isinstance(last.type, String) and not isinstance(last.type, Enum):
        kind, limit = KeyKind.RENAME, last.type.length
    elif isinstance(last.type, Integer):
        kind, limit = KeyKind.RENUMBER, None
    else:
        kind, limit = KeyKind.REFUSE, None
    return UniqueKey(group=tuple(names[:-1]), field=names[-1], kind=kind, limit=limit, live_only=live_only)


def _unique_keys(table: Table) -> tuple[UniqueKey, ...]:
    found: list[UniqueKey | None] = []
    for column in table.columns:
        if column.unique:
            found.append(_unique_key(table, [column], live_only=False))
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint):
            found.append(_unique_key(table, list(constraint.columns), live_only=False))
    for index in table.indexes:
        if index.unique:
            where = index.dialect_options["sqlite"].get("where")
            if where is not None and str(where).replace(" ", "").lower() != "deleted_atisnull":
                raise TypeError(f"no way to keep the partial index {index.name} at head office")
            found.append(_unique_key(table, list(index.columns), live_only=where is not None))
    return tuple(dict.fromkeys(key for key in found if key is not None))


def _table_spec(model: Any) -> TableSpec:
    table = model.__table__
    columns = {c.key: _column_spec(c) for c in table.columns}
    if model.owner not in (OWNER_STORE, OWNER_HEAD_OFFICE, OWNER_APPEND):
        raise ValueError(f"unknown owner {model.owner!r} of {table.name}")
    return TableSpec(name=table.name, owner=model.owner, columns=columns, unique_keys=_unique_keys(table))


TABLES: Mapping[str, TableSpec] = {m.__tablename__: _table_spec(m) for m in SYNCED_MODELS}
HEAD_OFFICE_TABLES = frozenset(name for name, spec in TABLES.items() if spec.head_office_owned)
