"""Natural keys across consoles: two consoles of a store may both create anchor "A007" offline.

Each console's own database keeps its unique keys (an anchor code, a room
code, a queue item's link number ...), but two consoles cannot see each
other while offline. Head office holds every store's rows, so it is the one
place that can keep those keys unique: when a pushed row claims a value
another row of the store already holds, the later row is settled by its
key's kind (``console.sync.tables.KeyKind``): renamed ("A007-2"), renumbered
(the next free link number) or refused. Either way the store's rows at head
office never clash, so every console's pull can apply them.

Append-only tables are left out: their rows are facts recorded by one
console (a show's events, its metrics), inserted once and never changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Table, and_, select
from sqlalchemy.orm import Session

from console.domain.enums import OutboxOp
from console.headoffice.models import SyncedRow
from console.sync.protocol import Mutation
from console.sync.tables import STAMP_FIELDS, KeyKind, TableSpec, UniqueKey

_SYNCED: Table = SyncedRow.__table__  # type: ignore[assignment]

KeyValue = tuple[Any, ...]


@dataclass(frozen=True)
class Settled:
    """A value the row could not keep, and the one it got instead."""

    key: UniqueKey
    attempted: Any
    kept: Any


@dataclass(frozen=True)
class Refused:
    """The row claims a value another row holds, and its key cannot be renamed."""

    key: UniqueKey
    value: Any
    holder: UUID


def claims_keys(spec: TableSpec, mutation: Mutation) -> bool:
    """Whether the mutation may take a unique value: an insert, or an edit of a key's fields."""
    if not spec.unique_keys or spec.head_office_owned or spec.append_only:
        return False
    if mutation.op is OutboxOp.INSERT:
        return True
    changed = {f for f in mutation.changed_fields if f not in STAMP_FIELDS}
    return any(changed & {*key.fields, "deleted_at"} for key in spec.unique_keys)


def _field(key: UniqueKey, name: str) -> ColumnElement[Any]:
    element = _SYNCED.c.data[name]
    if name == key.field and key.kind is KeyKind.RENUMBER:
        return element.as_integer()
    return element.as_string()


class KeyRegistry:
    """Who holds which unique value among the store's rows a batch touches, kept up to date as the
    batch applies, so rows of one batch are checked against each other too."""

    def __init__(self, session: Session, store_id: UUID) -> None:
        self._session = session
        self._store_id = store_id
        # (table, key) -> value -> holding row; and the value each row holds now.
        self._holders: dict[tuple[str, UniqueKey], dict[KeyValue, UUID]] = {}
        self._held: dict[tuple[str, UniqueKey], dict[UUID, KeyValue]] = {}

    @classmethod
    def load(cls, session: Session, store_id: UUID, mutations: Sequence[Mutation],
             specs: Sequence[TableSpec]) -> KeyRegistry:
        """The holders of the values the batch's rows claim: one query per keyed table in the batch
        (through the index on store and table, not the store's whole stream)."""
        registry = cls(session, store_id)
        wanted: dict[tuple[str, UniqueKey], set[Any]] = {}
        for mutation, spec in zip(mutations, specs, strict=True):
            if claims_keys(spec, mutation):
                for key in spec.unique_keys:
                    value = mutation.payload.get(key.field)
                    if value is not None:
                        wanted.setdefault((spec.name, key), set()).add(value)
        for (table, key), values in wanted.items():
            found = session.execute(
                select(_SYNCED.c.row_id, _SYNCED.c.deleted, _SYNCED.c.data)
                .where(_SYNCED.c.store_id == store_id, _SYNCED.c.table_name == table,
                       _field(key, key.field).in_(sorted(values, key=str)))
            )
            for row_id, deleted, data in found:
                registry._hold(table, key, row_id, data, deleted)
        return registry

    def _hold(self, table: str, key: UniqueKey, row_id: UUID, data: dict[str, Any], deleted: bool) -> None:
        holders = self._holders.setdefault((table, key), {})
        held = self._held.setdefault((table, key), {})
        previous = held.pop(row_id, None)
        if previous is not None and holders.get(previous) == row_id:
            del holders[previous]
        value = tuple(data.get(f) for f in key.fields)
        if (key.live_only and deleted) or None in value:
            return
        holders[value] = row_id
        held[row_id] = value

    def settle(self, spec: TableSpec, row_id: UUID, data: dict[str, Any], deleted: bool
               ) -> list[Settled] | Refused:
        """Make ``data`` (the row as it would be written) keep clear of other rows' values.

        Renames and renumbers in place and returns what changed; or returns
        the refusal, leaving ``data`` and the registry as they were.
        """
        settled: list[Settled] = []
        for key in spec.unique_keys:
            value = tuple(data.get(f) for f in key.fields)
            if (key.live_only and deleted) or None in value:
                continue
            holder = self._holders.get((spec.name, key), {}).get(value)
            if holder is None or holder == row_id:
                continue
            if key.kind is KeyKind.REFUSE:
                return Refused(key, data[key.field], holder)
            attempted = data[key.field]
            data[key.field] = self._free_value(spec, key, value)
            settled.append(Settled(key, attempted, data[key.field]))
        for key in spec.unique_keys:
            self._hold(spec.name, key, row_id, data, deleted)
        return settled

    def _free_value(self, spec: TableSpec, key: UniqueKey, value: KeyValue) -> Any:
        """A value of ``key.field`` nobody in the row's group holds (one more query; clashes are rare)."""
        group = dict(zip(key.group, value[:-1], strict=True))
        taken = set(self._group_values(spec, key, group))
        taken |= {v[-1] for v in self._holders.get((spec.name, key), {}) if v[:-1] == value[:-1]}
        if key.kind is KeyKind.RENUMBER:
            return max((v for v in taken if isinstance(v, int)), default=0) + 1
        base = str(value[-1])
        for number in range(2, 10_000):
            suffix = f"-{number}"
            candidate = base[:key.limit - len(suffix)] + suffix if key.limit else base + suffix
            if candidate not in taken:
                return candidate
        raise RuntimeError(f"no free {spec.name}.{key.field} near {base!r}")

    def _group_values(self, spec: TableSpec, key: UniqueKey, group: dict[str, Any]) -> Iterable[Any]:
        conditions = [_SYNCED.c.store_id == self._store_id, _SYNCED.c.table_name == spec.name]
        conditions += [_field(key, name) == value for name, value in group.items()]
        if key.live_only:
            conditions.append(_SYNCED.c.deleted.is_(False))
        return self._session.scalars(select(_field(key, key.field)).where(and_(*conditions)))
