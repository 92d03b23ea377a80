"""Row versions, tombstones and outbox entries, written inside every flush.

A ``before_flush`` hook on every session made by :mod:`console.storage.db`
stamps each synced row that changes and adds its outbox entry in the same
transaction, so a change is never saved without the record that it must go
to head office. Hard deletes of synced rows are refused: a tombstone
(``deleted_at``) is what travels.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from typing import Any
from uuid import UUID

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from console.domain.enums import OutboxOp
from console.storage.ids import new_id
from console.storage.models import OWNER_APPEND, Outbox, SyncedRow
from console.storage.types import utcnow

# Set on a session that applies rows pulled from head office: they are
# already on the server, so they get no outbox entry and keep their version.
APPLYING_REMOTE = "applying_remote"

_STAMP_COLUMNS = frozenset({"updated_at", "row_version"})


class HardDeleteError(RuntimeError):
    """A synced row was deleted instead of tombstoned (a programming error)."""


class AppendOnlyError(RuntimeError):
    """An append-only row (event, metric, audit) was changed after insert."""


def to_wire(value: Any) -> Any:
    """A column value as JSON: UUIDs and times as strings, enums by value."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return value


def row_payload(row: SyncedRow) -> dict[str, Any]:
    mapper = inspect(row).mapper
    return {attr.key: to_wire(getattr(row, attr.key)) for attr in mapper.column_attrs}


def tombstone(row: SyncedRow) -> None:
    """Mark a synced row deleted; the flush records it like any other change."""
    if row.deleted_at is None:
        row.deleted_at = utcnow()


def _changed_fields(row: SyncedRow) -> list[str]:
    state = inspect(row)
    return [
        attr.key
        for attr in state.mapper.column_attrs
        if attr.key not in _STAMP_COLUMNS and state.attrs[attr.key].history.has_changes()
    ]


def _before_flush(session: Session, _flush_context: Any, _instances: Any) -> None:
    remote = session.info.get(APPLYING_REMOTE, False)
    for row in session.deleted:
        if isinstance(row, SyncedRow):
            raise HardDeleteError(
                f"{type(row).__name__} rows are never deleted; call tombstone() instead"
            )
    if remote:
        return
    now = utcnow()
    entries: list[Outbox] = []
    for row in session.new:
        if not isinstance(row, SyncedRow):
            continue
        if row.id is None:
            row.id = new_id()
        row.created_at = row.created_at or now
        row.updated_at = now
        row.row_version = 1
        _fill_defaults(row)
        entries.append(
            Outbox(
                mutation_id=new_id(), table_name=row.__tablename__, row_id=row.id,
                op=OutboxOp.INSERT, base_version=0, row_version=1,
                changed_fields=sorted(row_payload(row)), payload=row_payload(row),
                created_at=now,
            )
        )
    for row in session.dirty:
        if not isinstance(row, SyncedRow):
            continue
        changed = _changed_fields(row)
        if not changed:
            continue
        if row.owner == OWNER_APPEND:
            raise AppendOnlyError(f"{type(row).__name__} rows are append-only; {changed} changed")
        tombstoned = "deleted_at" in changed and row.deleted_at is not None
        base = row.row_version
        row.row_version = base + 1
        row.updated_at = now
        entries.append(
            Outbox(
                mutation_id=new_id(), table_name=row.__tablename__, row_id=row.id,
                op=OutboxOp.DELETE if tombstoned else OutboxOp.UPDATE,
                base_version=base, row_version=base + 1, changed_fields=sorted(changed),
                payload=row_payload(row), created_at=now,
            )
        )
    session.add_all(entries)


def _fill_defaults(row: SyncedRow) -> None:
    # Column defaults normally apply at INSERT; apply scalar ones now so the
    # outbox payload carries the row exactly as it will be stored.
    for column in inspect(row).mapper.columns:
        key = column.key
        if getattr(row, key, None) is not None or column.default is None:
            continue
        default = column.default
        if default.is_scalar:
            setattr(row, key, default.arg)
        elif default.is_callable:
            setattr(row, key, default.arg({}))


def install(session_factory: Any) -> None:
    """Attach the hook to a sessionmaker (or Session class)."""
    event.listen(session_factory, "before_flush", _before_flush)
