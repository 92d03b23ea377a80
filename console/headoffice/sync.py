"""Push, pull and snapshot on the server: versions per scope in commit order, merges, conflicts, tombstones.

Every writer of a scope (a push, a head-office change, a tombstone purge)
first locks that scope's counter row and takes its versions from it, so
versions are handed out in commit order: once a reader sees version N, no
transaction can still commit a version below N, and a pull "since N" never
skips a row. Who wins is decided by versions alone, never by clocks.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Select,
    Table,
    and_,
    any_,
    bindparam,
    delete,
    false,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from console.domain.enums import OutboxOp
from console.domain.search import search_key
from console.headoffice.db import json_dumps
from console.headoffice import projection
from console.headoffice.errors import ApiError
from console.headoffice.keys import KeyRegistry, Refused, Settled, claims_keys
from console.headoffice.models import (
    CATALOG_SCOPE,
    HEAD_OFFICE_AUTHOR,
    AppliedMutation,
    Console,
    ConsoleCursor,
    PushBatch,
    ScopeCounter,
    Store,
    SyncConflict,
    SyncedRow,
    store_scope,
)
from console.headoffice.security import token_hash
from console.storage.ids import new_id
from console.storage.types import utcnow
from console.sync.protocol import (
    Conflict,
    ConflictsResponse,
    Mutation,
    PullResponse,
    PushRequest,
    PushResponse,
    PushResult,
    PushStatus,
    Scope,
    SnapshotPage,
)
from console.sync.protocol import SyncedRow as WireRow
from console.sync.tables import STAMP_FIELDS, TABLES, RowProblem, TableSpec

# last_seen_at is for people; writing it on every request would only add contention.
_LAST_SEEN_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class Caller:
    """The console a request comes from, as its token says; the body never decides the store."""

    console_id: UUID
    store_id: UUID
    store_code: str

    def scope_key(self, scope: Scope) -> str:
        return CATALOG_SCOPE if scope is Scope.CATALOG else store_scope(self.store_id)


# --- authentication ---------------------------------------------------------


def authenticate(session: Session, token: str, now: datetime | None = None) -> Caller:
    now = now or utcnow()
    found = session.execute(
        select(_CONSOLE.c.id, _CONSOLE.c.store_id, _CONSOLE.c.revoked_at, _CONSOLE.c.expires_at,
               _CONSOLE.c.last_seen_at, _STORE.c.code)
        .join_from(_CONSOLE, _STORE, _STORE.c.id == _CONSOLE.c.store_id)
        .where(_CONSOLE.c.token_hash == token_hash(token))
    ).one_or_none()
    if found is None:
        raise ApiError(401, "token_unknown",
                       "The console token is not known to this service; enroll the console again.")
    if found.revoked_at is not None:
        raise ApiError(401, "token_revoked",
                       f"This console's token was revoked on {found.revoked_at:%Y-%m-%d %H:%M} UTC; "
                       "enroll it again with a new code.")
    if found.expires_at is not None and found.expires_at <= now:
        raise ApiError(401, "token_expired",
                       f"This console's token expired on {found.expires_at:%Y-%m-%d %H:%M} UTC; "
                       "enroll it again with a new code.")
    if found.last_seen_at is None or now - found.last_seen_at > _LAST_SEEN_RESOLUTION:
        session.execute(update(_CONSOLE).where(_CONSOLE.c.id == found.id).values(last_seen_at=now))
    return Caller(console_id=found.id, store_id=found.store_id, store_code=found.code)


# --- scope counters ---------------------------------------------------------


@dataclass
class Counter:
    """A scope's counter row, locked until the transaction ends.

    Versions are handed out in memory and written back by ``save``, once,
    after the rows that carry them.
    """

    scope_key: str
    version: int
    purged_through: int
    _saved: tuple[int, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._saved = (self.version, self.purged_through)

    def next_version(self) -> int:
        self.version += 1
        return self.version

    def save(self, session: Session) -> None:
        if (self.version, self.purged_through) != self._saved:
            session.execute(update(_COUNTER).where(_COUNTER.c.scope_key == self.scope_key)
                            .values(version=self.version, purged_through=self.purged_through))
            self._saved = (self.version, self.purged_through)


def lock_scope(session: Session, scope_key: str) -> Counter:
    """The scope's counter, its row locked until commit (SQLite: the write lock is already held)."""
    found = session.execute(_locked_counter(scope_key)).one_or_none()
    if found is None:
        _create_counter(session, scope_key)
        found = session.execute(_locked_counter(scope_key)).one()
    return Counter(scope_key, found.version, found.purged_through)


def _locked_counter(scope_key: str) -> Select[Any]:
    return (select(_COUNTER.c.version, _COUNTER.c.purged_through)
            .where(_COUNTER.c.scope_key == scope_key).with_for_update())


def _create_counter(session: Session, scope_key: str) -> None:
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(dialect.insert(_COUNTER).values(scope_key=scope_key, version=0, purged_through=0)
                    .on_conflict_do_nothing())


# --- rows as the push sees them ---------------------------------------------


@dataclass
class _Row:
    """A synced row being changed by a batch; written back once at the end."""

    table: str
    row_id: UUID
    data: dict[str, Any]
    row_version: int
    field_versions: dict[str, int]
    field_authors: dict[str, str]
    is_new: bool = False

    @property
    def deleted(self) -> bool:
        return self.data.get("deleted_at") is not None


@dataclass(frozen=True)
class _Link:
    """A mutation this console pushed earlier for a row: its edits may build on it."""

    status: str
    base_root: int


@dataclass
class _Batch:
    caller: Caller
    request: PushRequest
    counter: Counter
    keys: KeyRegistry
    rows: dict[tuple[str, UUID], _Row]
    answered: dict[UUID, str]                 # mutation id -> status, from earlier batches and this one
    # (table, row id, version the console gave the row) -> that mutation's outcome, for this console.
    chain: dict[tuple[str, UUID, int], _Link]
    # Rows to write, in the order the batch first changed them: parents inserted before
    # their children keep that order in the scope's versions.
    changed: dict[tuple[str, UUID], _Row] = field(default_factory=dict)
    new_answers: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    catalog_restamps: set[tuple[str, UUID]] = field(default_factory=set)
    author: str = field(init=False)           # the console, as field_authors names it

    def __post_init__(self) -> None:
        self.author = str(self.caller.console_id)


def request_digest(request: PushRequest) -> str:
    canonical = json.dumps(request.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def push(session: Session, caller: Caller, request: PushRequest) -> str:
    """Apply a batch in this transaction; returns the response JSON, stored for replays.

    A handful of round trips whatever the batch holds: lock the scope (and
    find an earlier answer to this batch id), read the mutations' history and
    the rows they touch, then every write at once.
    """
    # Checked before anything else: the digest cannot spell every refused value, and a refused
    # batch never waits for the store's lock.
    specs = check_batch(caller, request)
    digest = request_digest(request)
    counter, replay = _lock_for_batch(session, caller, request, digest)
    if replay is not None:
        return replay
    answered, chain = _history(session, caller, request.mutations)
    batch = _Batch(caller=caller, request=request, counter=counter,
                   keys=KeyRegistry.load(session, caller.store_id, request.mutations, specs),
                   rows=_load_rows(session, caller, request.mutations), answered=answered, chain=chain)
    results = [_apply(batch, mutation, spec) for mutation, spec in zip(request.mutations, specs, strict=True)]
    response = PushResponse(batch_id=request.batch_id, results=results,
                            store_version=counter.version + len(batch.changed)).model_dump_json()
    with _pipelined(session):
        _write(session, batch)
        session.execute(insert(_PUSH_BATCH).values(
            console_id=caller.console_id, batch_id=request.batch_id, request_digest=digest,
            response=response, created_at=utcnow()))
    # The reports' typed copies and rollups, in this same transaction: a report never sees a push half-applied.
    projection.project(session, [projection.Change(row.table, row.row_id, caller.store_id, row.data)
                                 for row in batch.changed.values()])
    if batch.catalog_restamps:
        restamp_catalog(session, batch.catalog_restamps)
    return response


@contextmanager
def _pipelined(session: Session) -> Iterator[None]:
    """On PostgreSQL, the statements inside go out together and are answered in one round trip
    (psycopg's pipeline mode); errors still surface, at the end of the block."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        yield
        return
    with connection.connection.driver_connection.pipeline():
        yield


def _lock_for_batch(session: Session, caller: Caller, request: PushRequest,
                    digest: str) -> tuple[Counter, str | None]:
    """The store's counter, locked, and the stored answer if this batch id was answered before
    (looked up under the lock: a retry of this batch may have committed while we waited)."""
    scope_key = store_scope(caller.store_id)
    statement = (
        select(_COUNTER.c.version, _COUNTER.c.purged_through, _PUSH_BATCH.c.request_digest, _PUSH_BATCH.c.response)
        .select_from(_COUNTER.outerjoin(_PUSH_BATCH, and_(_PUSH_BATCH.c.console_id == caller.console_id,
                                                          _PUSH_BATCH.c.batch_id == request.batch_id)))
        .where(_COUNTER.c.scope_key == scope_key).with_for_update(of=_COUNTER)
    )
    found = session.execute(statement).one_or_none()
    if found is None:
        _create_counter(session, scope_key)
        found = session.execute(statement).one()
    if found.response is not None and found.request_digest != digest:
        raise ApiError(409, "batch_id_reused",
                       f"Batch {request.batch_id} was already answered with different mutations; "
                       "a new batch needs a new batch_id.")
    return Counter(scope_key, found.version, found.purged_through), found.response


def check_batch(caller: Caller, request: PushRequest) -> list[TableSpec]:
    """Every mutation fits its table and the caller's store, or the whole batch is refused."""
    specs: list[TableSpec] = []
    seen: set[UUID] = set()
    for index, mutation in enumerate(request.mutations):
        where = f"Mutation {index} ({mutation.table} {mutation.row_id})"
        if mutation.mutation_id in seen:
            raise ApiError(422, "duplicate_mutation_id",
                           f"Mutation {index} repeats mutation_id {mutation.mutation_id} within one batch.")
        seen.add(mutation.mutation_id)
        spec = TABLES.get(mutation.table)
        if spec is None:
            raise ApiError(422, "unknown_table",
                           f"Mutation {index} names table {mutation.table!r}, which is not synced.")
        try:
            spec.check_fields(mutation.changed_fields)
            spec.check_row(mutation.payload)
        except RowProblem as exc:
            raise ApiError(422, "invalid_row", f"{where}: {exc}.") from None
        if UUID(mutation.payload["id"]) != mutation.row_id:
            raise ApiError(422, "invalid_row", f"{where}: the payload's id differs from row_id.")
        if mutation.payload["row_version"] != mutation.row_version:
            raise ApiError(422, "invalid_row", f"{where}: the payload's row_version differs from the mutation's.")
        if mutation.op is OutboxOp.DELETE and mutation.payload["deleted_at"] is None:
            raise ApiError(422, "invalid_row", f"{where}: a delete must carry deleted_at.")
        if spec.store_scoped and not spec.head_office_owned:
            store_id = mutation.payload["store_id"]
            if store_id is None or UUID(store_id) != caller.store_id:
                raise ApiError(403, "store_mismatch",
                               f"{where} writes another store's data, but this console belongs to "
                               f"store {caller.store_code}; nothing was applied.")
        specs.append(spec)
    return specs


def _by_table(mutations: Sequence[Mutation]) -> dict[str, set[UUID]]:
    wanted: dict[str, set[UUID]] = {}
    for mutation in mutations:
        wanted.setdefault(mutation.table, set()).add(mutation.row_id)
    return wanted


def _among(session: Session, column: Any, values: Iterable[Any]) -> ColumnElement[bool]:
    """``column IN values``; on PostgreSQL one array parameter, so the statement text (and its
    prepared plan) is the same whatever the number of values."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=postgresql.ARRAY(column.type)))
    return column.in_(list(values))


def _rows_of(session: Session, table: Table, wanted: dict[str, set[UUID]]) -> ColumnElement[bool]:
    """The rows named in ``wanted`` (table name -> row ids), as one condition."""
    return or_(false(), *(and_(table.c.table_name == name, _among(session, table.c.row_id, ids))
                          for name, ids in wanted.items()))


def _load_rows(session: Session, caller: Caller, mutations: Sequence[Mutation]) -> dict[tuple[str, UUID], _Row]:
    own_scope = store_scope(caller.store_id)
    rows: dict[tuple[str, UUID], _Row] = {}
    found = session.execute(
        select(_SYNCED.c.table_name, _SYNCED.c.row_id, _SYNCED.c.scope_key, _SYNCED.c.row_version,
               _SYNCED.c.data, _SYNCED.c.field_versions, _SYNCED.c.field_authors)
        .where(_rows_of(session, _SYNCED, _by_table(mutations)))
    )
    for table, row_id, scope_key, row_version, data, versions, authors in found:
        if scope_key not in (own_scope, CATALOG_SCOPE):
            # Same table and id as a row of another store: never let one store touch another's row.
            raise ApiError(403, "store_mismatch",
                           f"Row {table} {row_id} belongs to another store; nothing was applied.")
        rows[(table, row_id)] = _Row(table=table, row_id=row_id, data=data, row_version=row_version,
                                     field_versions=versions, field_authors=authors)
    return rows


def _history(session: Session, caller: Caller, mutations: Sequence[Mutation]
             ) -> tuple[dict[UUID, str], dict[tuple[str, UUID, int], _Link]]:
    """Mutation ids already answered, and this console's earlier mutations of the batch's rows."""
    answered: dict[UUID, str] = {}
    chain: dict[tuple[str, UUID, int], _Link] = {}
    ids = {m.mutation_id for m in mutations}
    wanted = _by_table(mutations)
    found = session.execute(
        select(_APPLIED.c.mutation_id, _APPLIED.c.console_id, _APPLIED.c.table_name, _APPLIED.c.row_id,
               _APPLIED.c.row_version, _APPLIED.c.status, _APPLIED.c.base_root)
        .where(or_(_among(session, _APPLIED.c.mutation_id, ids),
                   and_(_APPLIED.c.console_id == caller.console_id, _rows_of(session, _APPLIED, wanted))))
    )
    for mutation_id, console_id, table, row_id, row_version, status, base_root in found:
        if mutation_id in ids:
            answered[mutation_id] = status
        if console_id == caller.console_id and row_id in wanted.get(table, ()):
            chain[(table, row_id, row_version)] = _Link(status, base_root)
    return answered, chain


def _apply(batch: _Batch, mutation: Mutation, spec: TableSpec) -> PushResult:
    key = (spec.name, mutation.row_id)
    row = batch.rows.get(key)
    current = row.row_version if row is not None else None
    earlier = batch.answered.get(mutation.mutation_id)
    if earlier is not None:
        return PushResult(mutation_id=mutation.mutation_id, status=PushStatus.DUPLICATE, row_version=current,
                          reason=f"already answered as {earlier}")
    if spec.head_office_owned:
        if row is not None:
            batch.catalog_restamps.add(key)
        return _done(batch, mutation, PushStatus.REJECTED, current,
                     reason=f"{spec.name} is head-office data; a store cannot change it")
    if spec.append_only:
        if mutation.op is not OutboxOp.INSERT:
            return _done(batch, mutation, PushStatus.REJECTED, current,
                         reason=f"{spec.name} is append-only; rows are inserted once and never changed")
        if row is not None:
            return _done(batch, mutation, PushStatus.DUPLICATE, current, reason="the row is already on the server")
        return _insert(batch, mutation, spec)
    if row is None:
        if mutation.op is OutboxOp.INSERT:
            return _insert(batch, mutation, spec)
        return _done(batch, mutation, PushStatus.REJECTED, None,
                     reason="the server holds no such row; it was never pushed, or was deleted and purged")
    return _change(batch, mutation, spec, row)


def _done(batch: _Batch, mutation: Mutation, status: PushStatus, row_version: int | None, *,
          base_root: int | None = None, reason: str | None = None, conflict_id: UUID | None = None) -> PushResult:
    batch.answered[mutation.mutation_id] = status.value
    root = mutation.base_version if base_root is None else base_root
    batch.chain[(mutation.table, mutation.row_id, mutation.row_version)] = _Link(status.value, root)
    batch.new_answers.append({
        "mutation_id": mutation.mutation_id, "console_id": batch.caller.console_id,
        "batch_id": batch.request.batch_id, "table_name": mutation.table, "row_id": mutation.row_id,
        "row_version": mutation.row_version, "base_root": root, "status": status.value,
    })
    return PushResult(mutation_id=mutation.mutation_id, status=status, row_version=row_version,
                      reason=reason, conflict_id=conflict_id)


def _insert(batch: _Batch, mutation: Mutation, spec: TableSpec) -> PushResult:
    data = dict(mutation.payload)
    settled: list[Settled] = []
    if claims_keys(spec, mutation):
        outcome = batch.keys.settle(spec, mutation.row_id, data, deleted=data["deleted_at"] is not None)
        if isinstance(outcome, Refused):
            return _refuse(batch, mutation, spec, outcome)
        settled = outcome
    # A row head office changed goes out under a version the console never used, so its pull
    # replaces the console's copy.
    version = mutation.row_version + 1 if settled else mutation.row_version
    data["row_version"] = version
    fields = [f for f in data if f not in STAMP_FIELDS]
    row = batch.rows[(spec.name, mutation.row_id)] = _Row(
        table=spec.name, row_id=mutation.row_id, data=data, row_version=version,
        field_versions=dict.fromkeys(fields, version),
        field_authors=dict.fromkeys(fields, batch.author), is_new=True,
    )
    batch.changed.setdefault((row.table, row.row_id), row)
    if settled:
        return _settled(batch, mutation, spec, row, settled, root=mutation.base_version)
    return _done(batch, mutation, PushStatus.APPLIED, version)


def _change(batch: _Batch, mutation: Mutation, spec: TableSpec, row: _Row) -> PushResult:
    """An update, delete or repeated insert of a row the server has: apply, merge, or keep the server's."""
    author = batch.author
    if mutation.op is OutboxOp.INSERT:
        changed = [f for f in mutation.payload if f not in STAMP_FIELDS]
    else:
        changed = [f for f in mutation.changed_fields if f not in STAMP_FIELDS]
    # A console numbers its own edits, so its base is either a server version it pulled or the
    # version its previous push of this row gave it; the latter is found in the chain.
    link = batch.chain.get((row.table, row.row_id, mutation.base_version))
    if link is not None and link.status in (PushStatus.CONFLICT, PushStatus.REJECTED):
        return _conflict(batch, mutation, row, changed, changed, "it builds on a change the server refused")
    root = link.base_root if link is not None else mutation.base_version
    if link is None and root > row.row_version:
        return _conflict(batch, mutation, row, changed, changed, "the server never had the version it builds on")
    # Fields someone else changed since the console last heard from the server.
    theirs = [f for f in changed
              if row.field_versions.get(f, 0) > root and row.field_authors.get(f) != author]
    if theirs:
        return _conflict(batch, mutation, row, changed, theirs,
                         f"another console changed {', '.join(sorted(theirs))} first; its value was kept")
    values = {name: mutation.payload[name] for name in changed}
    settled: list[Settled] = []
    if claims_keys(spec, mutation):
        after = {**row.data, **values}
        outcome = batch.keys.settle(spec, row.row_id, after, deleted=after["deleted_at"] is not None)
        if isinstance(outcome, Refused):
            return _conflict(batch, mutation, row, changed, [outcome.key.field], _refusal(spec, outcome))
        settled = outcome
        values = {name: after[name] for name in changed}
    if mutation.base_version == row.row_version and not settled:
        status, new_version = PushStatus.APPLIED, mutation.row_version
    else:
        # Never a number the console may already have used for its own edits of this row.
        status, new_version = PushStatus.MERGED, max(row.row_version, mutation.row_version) + 1
    for name, value in values.items():
        row.data[name] = value
        row.field_versions[name] = new_version
        row.field_authors[name] = author
    row.data["updated_at"] = mutation.payload["updated_at"]
    _set_version(batch, row, new_version)
    if settled:
        return _settled(batch, mutation, spec, row, settled, root=root)
    return _done(batch, mutation, status, new_version, base_root=root)


def _settled(batch: _Batch, mutation: Mutation, spec: TableSpec, row: _Row, settled: list[Settled], *,
             root: int) -> PushResult:
    """The row was written with another key value than the console sent: listed for review."""
    names = sorted(s.key.field for s in settled)
    for name in names:
        row.field_authors[name] = HEAD_OFFICE_AUTHOR
    what = "; ".join(f"{spec.name}.{s.key.field} {s.attempted!r} was already taken, so it became {s.kept!r}"
                     for s in settled)
    conflict_id = _record_conflict(batch, mutation, spec.name, row.row_id, row.row_version, names,
                                   attempted={s.key.field: s.attempted for s in settled},
                                   kept={s.key.field: s.kept for s in settled},
                                   kept_row=(row.row_version, row))
    return _done(batch, mutation, PushStatus.MERGED, row.row_version, base_root=root, reason=what,
                 conflict_id=conflict_id)


def _refusal(spec: TableSpec, refused: Refused) -> str:
    return (f"another {spec.name} row ({refused.holder}) already holds {refused.key.field} "
            f"{refused.value!r}; this one was not saved")


def _refuse(batch: _Batch, mutation: Mutation, spec: TableSpec, refused: Refused) -> PushResult:
    """A new row claiming a value that cannot be renamed: not written, listed for review."""
    name = refused.key.field
    conflict_id = _record_conflict(batch, mutation, spec.name, mutation.row_id, 0, [name],
                                   attempted={name: refused.value}, kept={name: None, "held_by": str(refused.holder)})
    return _done(batch, mutation, PushStatus.CONFLICT, None, reason=_refusal(spec, refused), conflict_id=conflict_id)


def _record_conflict(batch: _Batch, mutation: Mutation, table: str, row_id: UUID, server_row_version: int,
                     fields: list[str], *, attempted: dict[str, Any], kept: dict[str, Any],
                     kept_row: tuple[int, _Row] | None = None) -> UUID:
    """Listed for review; ``kept_row`` is the row as kept and the row version it goes out under
    (none for a refused new row): who last changed each kept field, and when its row was stamped."""
    conflict_id = new_id()
    kept_version, row = kept_row if kept_row is not None else (None, None)
    batch.conflicts.append({
        "id": conflict_id, "store_id": batch.caller.store_id,
        "scope_key": batch.counter.scope_key, "version": batch.counter.next_version(),
        "table_name": table, "row_id": row_id, "console_id": batch.caller.console_id,
        "mutation_id": mutation.mutation_id, "base_version": mutation.base_version,
        "server_row_version": server_row_version, "fields": fields, "attempted": attempted, "kept": kept,
        "kept_row_version": kept_version,
        "kept_by": {f: row.field_authors.get(f, HEAD_OFFICE_AUTHOR) for f in kept} if row is not None else {},
        "kept_at": row.data.get("updated_at") if row is not None else None,
        "attempted_at": mutation.payload.get("updated_at"),
    })
    return conflict_id


def _set_version(batch: _Batch, row: _Row, version: int) -> None:
    row.row_version = version
    row.data["row_version"] = version
    batch.changed.setdefault((row.table, row.row_id), row)


def _conflict(batch: _Batch, mutation: Mutation, row: _Row, changed: list[str], contested: list[str],
              reason: str) -> PushResult:
    # The kept row goes out again under a row version the losing console never used, so its next
    # pull replaces the refused edit and its later edits are not mistaken for ones built on it.
    resent = max(row.row_version, mutation.row_version) + 1
    conflict_id = _record_conflict(batch, mutation, row.table, row.row_id, row.row_version, sorted(contested),
                                   attempted={f: mutation.payload[f] for f in changed},
                                   kept={f: row.data.get(f) for f in changed},
                                   kept_row=(resent, row))
    _set_version(batch, row, resent)
    return _done(batch, mutation, PushStatus.CONFLICT, row.row_version, reason=reason, conflict_id=conflict_id)


def _write(session: Session, batch: _Batch) -> None:
    caller, counter, now = batch.caller, batch.counter, utcnow()
    inserts, updates = [], []
    for row in batch.changed.values():
        (inserts if row.is_new else updates).append((row, counter.next_version()))
    answers = batch.new_answers
    if session.get_bind().dialect.name == "postgresql":
        # One statement per table whatever the batch holds, its rows sent as one JSON document: an
        # executemany sends one statement per row, and the driver waits on each.
        if inserts:
            session.execute(_PG_INSERT_SYNCED, {"rows": _rows_document(inserts), "store_id": caller.store_id,
                                                "scope_key": counter.scope_key, "committed_at": now})
        if updates:
            session.execute(_PG_UPDATE_SYNCED, {"rows": _rows_document(updates), "committed_at": now})
        if answers:
            session.execute(_PG_INSERT_APPLIED, {
                "rows": json_dumps([{"mutation_id": str(a["mutation_id"]), "table_name": a["table_name"],
                                     "row_id": str(a["row_id"]), "row_version": a["row_version"],
                                     "base_root": a["base_root"], "status": a["status"]} for a in answers]),
                "console_id": caller.console_id, "batch_id": batch.request.batch_id, "applied_at": now})
    else:
        # Core statements, not the ORM's bulk paths: the same rows, a fraction of the CPU.
        if inserts:
            session.execute(insert(_SYNCED), [
                {**_row_values(row, version), "table_name": row.table, "row_id": row.row_id,
                 "store_id": caller.store_id, "scope_key": counter.scope_key, "committed_at": now}
                for row, version in inserts])
        if updates:
            session.execute(_UPDATE_SYNCED, [
                {**_row_values(row, version), "key_table": row.table, "key_row": row.row_id, "committed_at": now}
                for row, version in updates])
        if answers:
            session.execute(insert(_APPLIED), [{**a, "applied_at": now} for a in answers])
    if batch.conflicts:
        session.execute(insert(_CONFLICT), [{**c, "recorded_at": now} for c in batch.conflicts])
    counter.save(session)


def _row_values(row: _Row, version: int) -> dict[str, Any]:
    return {"version": version, "row_version": row.row_version, "deleted": row.deleted, "data": row.data,
            "field_versions": row.field_versions, "field_authors": row.field_authors}


def _rows_document(rows: list[tuple[_Row, int]]) -> str:
    """The rows as the PostgreSQL statements' JSON document (see _PG_ROWS)."""
    return json_dumps([{"table_name": row.table, "row_id": str(row.row_id), **_row_values(row, version)}
                       for row, version in rows])


_CONSOLE = Console.__table__
_STORE = Store.__table__
_COUNTER = ScopeCounter.__table__
_SYNCED = SyncedRow.__table__
_APPLIED = AppliedMutation.__table__
_PUSH_BATCH = PushBatch.__table__
_CONFLICT = SyncConflict.__table__
_UPDATE_SYNCED = update(_SYNCED).where(_SYNCED.c.table_name == bindparam("key_table"),
                                       _SYNCED.c.row_id == bindparam("key_row"))

# PostgreSQL: a batch's rows in one statement per table, from one JSON document (see _write); the
# text stays the same whatever the batch holds, so the server keeps it prepared.
_PG_ROWS = """jsonb_to_recordset(CAST(:rows AS jsonb))
    AS u(table_name text, row_id uuid, version bigint, row_version integer, deleted boolean, data jsonb,
         field_versions jsonb, field_authors jsonb)"""
_PG_INSERT_SYNCED = text(f"""
INSERT INTO synced_row (table_name, row_id, store_id, scope_key, version, row_version, deleted, data,
                        field_versions, field_authors, committed_at)
SELECT u.table_name, u.row_id, :store_id, :scope_key, u.version, u.row_version, u.deleted, u.data,
       u.field_versions, u.field_authors, :committed_at
FROM {_PG_ROWS}""").bindparams(bindparam("committed_at", type_=_SYNCED.c.committed_at.type),
                               bindparam("store_id", type_=_SYNCED.c.store_id.type))
_PG_UPDATE_SYNCED = text(f"""
UPDATE synced_row AS s SET version = u.version, row_version = u.row_version, deleted = u.deleted,
       data = u.data, field_versions = u.field_versions, field_authors = u.field_authors,
       committed_at = :committed_at
FROM {_PG_ROWS}
WHERE s.table_name = u.table_name AND s.row_id = u.row_id""").bindparams(
    bindparam("committed_at", type_=_SYNCED.c.committed_at.type))
_PG_INSERT_APPLIED = text("""
INSERT INTO applied_mutation (mutation_id, console_id, batch_id, table_name, row_id, row_version, base_root,
                              status, applied_at)
SELECT u.mutation_id, :console_id, :batch_id, u.table_name, u.row_id, u.row_version, u.base_root, u.status,
       :applied_at
FROM jsonb_to_recordset(CAST(:rows AS jsonb))
     AS u(mutation_id uuid, table_name text, row_id uuid, row_version integer, base_root integer, status text)
""").bindparams(bindparam("applied_at", type_=_APPLIED.c.applied_at.type),
                bindparam("console_id", type_=_APPLIED.c.console_id.type),
                bindparam("batch_id", type_=_APPLIED.c.batch_id.type))


def restamp_catalog(session: Session, keys: Iterable[tuple[str, UUID]]) -> None:
    """Send head-office rows again, so a store that changed one locally gets the real one back."""
    counter = lock_scope(session, CATALOG_SCOPE)
    session.execute(_UPDATE_SYNCED.values(version=bindparam("version")), [
        {"key_table": table, "key_row": row_id, "version": counter.next_version()} for table, row_id in sorted(keys)
    ])
    counter.save(session)


# --- head-office writes -----------------------------------------------------


def write_rows(session: Session, table: str, payloads: Sequence[dict[str, Any]], *,
               store_id: UUID | None = None) -> int:
    """Head office writes whole rows (catalog, or a store's baseline): each gets a new version.

    A product gets the console's pinyin search key too, whatever key it was sent with.
    """
    spec = TABLES[table]
    scope_key = store_scope(store_id) if store_id is not None else CATALOG_SCOPE
    for payload in payloads:
        spec.check_row(payload)
    if table == "product":
        payloads = [_with_search_key(p) for p in payloads]
    counter = lock_scope(session, scope_key)
    ids = [UUID(p["id"]) for p in payloads]
    existing = set(session.scalars(select(SyncedRow.row_id)
                                   .where(SyncedRow.table_name == table, SyncedRow.row_id.in_(ids))))
    now = utcnow()
    inserts, updates = [], []
    for row_id, payload in zip(ids, payloads, strict=True):
        fields = [f for f in payload if f not in STAMP_FIELDS]
        values = {"table_name": table, "row_id": row_id, "version": counter.next_version(),
                  "row_version": payload["row_version"], "deleted": payload["deleted_at"] is not None,
                  "data": payload, "field_versions": dict.fromkeys(fields, payload["row_version"]),
                  "field_authors": dict.fromkeys(fields, HEAD_OFFICE_AUTHOR), "committed_at": now}
        if row_id in existing:
            updates.append(values)
        else:
            inserts.append({**values, "store_id": store_id, "scope_key": scope_key})
    if inserts:
        session.execute(insert(SyncedRow), inserts)
    if updates:
        session.execute(update(SyncedRow), updates)
    counter.save(session)
    projection.project(session, [projection.Change(table, row_id, store_id, payload)
                                 for row_id, payload in zip(ids, payloads, strict=True)])
    return len(payloads)


def _with_search_key(product: dict[str, Any]) -> dict[str, Any]:
    """The product with the pinyin key of its name and brand, as the console searches it."""
    return {**product, "search_key": search_key(product["name"], product["brand"])}


# --- pull and snapshot ------------------------------------------------------


def _wire_rows(scope: Scope, found: Iterable[Any]) -> list[WireRow]:
    return [WireRow(table=r.table_name, row_id=r.row_id, scope=scope, version=r.version,
                    row_version=r.row_version, deleted=r.deleted, data=r.data) for r in found]


_ROW_COLUMNS = (SyncedRow.table_name, SyncedRow.row_id, SyncedRow.version, SyncedRow.row_version,
                SyncedRow.deleted, SyncedRow.data)


def _counter_now(session: Session, scope_key: str) -> tuple[int, int]:
    """The scope's latest version and purged-through mark, unlocked (0, 0 for a scope never written)."""
    found = session.execute(select(_COUNTER.c.version, _COUNTER.c.purged_through)
                            .where(_COUNTER.c.scope_key == scope_key)).one_or_none()
    return (found.version, found.purged_through) if found else (0, 0)


def pull(session: Session, caller: Caller, scope: Scope, since: int, limit: int) -> PullResponse:
    scope_key = caller.scope_key(scope)
    latest, purged = _counter_now(session, scope_key)
    # Behind a purged tombstone it would miss a delete; ahead of the server it came from another database.
    if since < purged or since > latest:
        return PullResponse(scope=scope, rows=[], next_cursor=since, has_more=False, reset_required=True)
    found = session.execute(
        select(*_ROW_COLUMNS).where(SyncedRow.scope_key == scope_key, SyncedRow.version > since)
        .order_by(SyncedRow.version).limit(limit + 1)
    ).all()
    rows = _wire_rows(scope, found[:limit])
    _acknowledge(session, caller, scope_key, since)
    purge_tombstones(session, scope_key)
    return PullResponse(scope=scope, rows=rows, next_cursor=rows[-1].version if rows else since,
                        has_more=len(found) > limit, reset_required=False)


def snapshot(session: Session, caller: Caller, scope: Scope, watermark: int | None, after: int,
             limit: int) -> SnapshotPage:
    """The scope's live rows up to a watermark fixed on the first page, in version order."""
    scope_key = caller.scope_key(scope)
    latest, _purged = _counter_now(session, scope_key)
    if watermark is None:
        if after != 0:
            raise ApiError(422, "invalid_request", "The first snapshot page starts at after=0, without a watermark.")
        watermark = latest
        # Tombstones after the watermark must wait for this console's pull "since watermark".
        _acknowledge(session, caller, scope_key, watermark)
    elif watermark > latest:
        raise ApiError(422, "invalid_request",
                       f"Watermark {watermark} is newer than the scope ({latest}); start the snapshot again.")
    if after > watermark:
        raise ApiError(422, "invalid_request", f"after={after} lies beyond the watermark {watermark}.")
    found = session.execute(
        select(*_ROW_COLUMNS).where(SyncedRow.scope_key == scope_key, SyncedRow.deleted.is_(False),
                                    SyncedRow.version > after, SyncedRow.version <= watermark)
        .order_by(SyncedRow.version).limit(limit + 1)
    ).all()
    rows = _wire_rows(scope, found[:limit])
    has_more = len(found) > limit
    total = None
    if after == 0:
        # For the console's progress bar (rows done, time left): counted once, on the first page.
        total = len(rows) if not has_more else session.scalar(
            select(func.count()).select_from(SyncedRow)
            .where(SyncedRow.scope_key == scope_key, SyncedRow.deleted.is_(False), SyncedRow.version <= watermark))
    return SnapshotPage(scope=scope, watermark=watermark, rows=rows,
                        next_after=rows[-1].version if has_more else watermark, has_more=has_more, total=total)


def conflicts(session: Session, caller: Caller, since: int, limit: int) -> ConflictsResponse:
    found = session.scalars(
        select(SyncConflict).where(SyncConflict.scope_key == store_scope(caller.store_id),
                                   SyncConflict.version > since)
        .order_by(SyncConflict.version).limit(limit + 1)
    ).all()
    page = found[:limit]
    names = _console_names(session, {c.console_id for c in page}
                           | {UUID(a) for c in page for a in (c.kept_by or {}).values() if a != HEAD_OFFICE_AUTHOR})
    items = [Conflict(conflict_id=c.id, version=c.version, table=c.table_name, row_id=c.row_id,
                      console_id=c.console_id, mutation_id=c.mutation_id, base_version=c.base_version,
                      server_row_version=c.server_row_version, fields=c.fields, attempted=c.attempted,
                      kept=c.kept, recorded_at=c.recorded_at.isoformat(),
                      console_name=names.get(str(c.console_id), ""), attempted_at=c.attempted_at,
                      kept_row_version=c.kept_row_version, kept_at=c.kept_at,
                      kept_by={f: names.get(a, "") if a != HEAD_OFFICE_AUTHOR else HEAD_OFFICE_AUTHOR
                               for f, a in (c.kept_by or {}).items()})
             for c in page]
    return ConflictsResponse(conflicts=items, next_cursor=items[-1].version if items else since,
                             has_more=len(found) > limit)


def _console_names(session: Session, ids: set[UUID]) -> dict[str, str]:
    """Console id (as field authors spell it) -> the name it was enrolled under."""
    if not ids:
        return {}
    return {str(i): n for i, n in session.execute(select(_CONSOLE.c.id, _CONSOLE.c.name)
                                                   .where(_CONSOLE.c.id.in_(sorted(ids))))}


def _acknowledge(session: Session, caller: Caller, scope_key: str, version: int) -> None:
    cursor = session.get(ConsoleCursor, (caller.console_id, scope_key))
    if cursor is None:
        session.add(ConsoleCursor(console_id=caller.console_id, scope_key=scope_key, acked_version=version))
    elif cursor.acked_version != version:
        cursor.acked_version = version
        cursor.updated_at = utcnow()
    session.flush()


def purge_tombstones(session: Session, scope_key: str) -> int:
    """Drop tombstones every live console of the scope has acknowledged; returns how many."""
    slowest = session.scalar(
        select(func.min(ConsoleCursor.acked_version))
        .join(Console, Console.id == ConsoleCursor.console_id)
        .where(ConsoleCursor.scope_key == scope_key, Console.revoked_at.is_(None))
    )
    if slowest is None:
        return 0
    passed = (SyncedRow.scope_key == scope_key, SyncedRow.deleted.is_(True), SyncedRow.version <= slowest)
    if session.scalar(select(SyncedRow.version).where(*passed).limit(1)) is None:
        return 0
    counter = lock_scope(session, scope_key)
    highest = session.scalar(select(func.max(SyncedRow.version)).where(*passed))
    if highest is None:  # another process purged them while we waited for the lock
        return 0
    removed = session.execute(delete(SyncedRow).where(*passed)).rowcount
    counter.purged_through = max(counter.purged_through, highest)
    counter.save(session)
    return removed
