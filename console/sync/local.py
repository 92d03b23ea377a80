"""The console's side of sync inside its own database: batches, cursors, applying pulled rows.

Everything here is synchronous SQLAlchemy work meant to run on the console's
ordered database worker; :mod:`console.sync.client` does the talking. Every
function that changes state does it in one transaction, so a crash between
two steps leaves either the old state or the new one, never half of each:

* a push batch (its id and outbox sequence numbers) is saved before it is
  sent, and is dropped in the same transaction that deletes the outbox rows
  its answer acknowledged;
* a pulled page and the cursor after it are written together;
* a snapshot replaces a scope's rows and sets its cursor together.

Rows applied from head office are written with ``APPLYING_REMOTE`` set on the
session (no outbox entries, versions as the server sent them) and foreign keys
deferred to commit, since a page may hold a child before its parent.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from uuid import UUID

from sqlalchemy import Date, Enum, Table, Time, Uuid, delete, func, select, text, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from pydantic import TypeAdapter
from sqlalchemy.orm import Session

from console.domain.enums import BroadcastStatus, OutboxOp
from console.domain.errors import DomainError
from console.domain.search import search_key
from console.i18n import Message, msg, msg_n
from console.services.base import STORE_ID_SETTING, read_setting, write_setting
from console.services.sync import (
    CONFLICTS_SETTING,
    LAST_ERROR_SETTING,
    LAST_SUCCESS_SETTING,
    REJECTED_SETTING,
    SERVER_URL_SETTING,
    STORE_CODE_SETTING,
)
from console.storage.db import Database
from console.storage.ids import new_id, set_aside
from console.storage.models import (
    MODEL_BY_TABLE,
    OWNER_HEAD_OFFICE,
    OWNER_STORE,
    Base,
    Broadcast,
    LocalSetting,
    Outbox,
    Product,
    ShowRun,
    SnapshotStage,
)
from console.storage.outbox import APPLYING_REMOTE, to_wire
from console.storage.types import UTCDateTime, utcnow
from console.sync.protocol import MAX_BATCH, PushResponse, PushStatus, Scope
from console.sync.protocol import SyncedRow as WireRow
from console.sync.tables import TABLES, KeyKind

# LocalSetting keys (besides those SyncService reads).
CONSOLE_ID_SETTING = "sync.console_id"
ENROLL_MODE_SETTING = "sync.enroll_mode"        # upload / clean, until the first adoption is done
ADOPTED_SETTING = "sync.adopted"                # "1" once local data follows the enrolled store
BATCH_SETTING = "sync.push_batch"               # the batch in flight: {"batch_id", "seqs"}
CONFLICTS_CURSOR_SETTING = "sync.conflicts_cursor"
LIVE_FLAG_SETTING = "sync.live"                 # set by the on-air screen while a show runs
ENROLL_COMPLETE_SETTING = "sync.enroll_complete"  # "1" once head office knows the enrollment is complete

KEEP_REVIEW_ITEMS = 500                          # conflicts and rejections kept for the Sync screen

HEAD_OFFICE_TABLES = tuple(t for t, m in MODEL_BY_TABLE.items() if m.owner == OWNER_HEAD_OFFICE)
_STORE_OWNED = frozenset(t for t, m in MODEL_BY_TABLE.items() if m.owner == OWNER_STORE)
STORE_TABLES = tuple(t for t, m in MODEL_BY_TABLE.items() if m.owner != OWNER_HEAD_OFFICE)
# Parents before children, for uploads: the server versions rows in the order a batch touches them.
PARENTS_FIRST = tuple(t.name for t in Base.metadata.sorted_tables if t.name in MODEL_BY_TABLE)
# Store columns that hold product ids as a JSON list, not in a product_id column: matched to head
# office's products on an upload enrollment like the product_id columns.
PRODUCT_ID_LISTS = (("product_set", "product_ids"),)


class SyncProblem(DomainError):
    """Sync could not finish; the message says why in words a store manager understands.

    A refusal by head office also keeps its HTTP ``status``, its stable
    ``code`` (``"token_revoked"`` ...) and its own English ``detail``, for the
    log and for support; the user reads :attr:`message`.
    """

    def __init__(self, message: Message, *, retry: bool = True, reenroll: bool = False,
                 status: int | None = None, code: str = "", detail: str = "") -> None:
        super().__init__(message)
        self.retry = retry          # a later attempt may succeed without anyone doing anything
        self.reenroll = reenroll    # the token is gone: the console must be enrolled again
        self.status = status        # head office's HTTP status, when it refused a request
        self.code = code            # head office's error code (ErrorBody.error), when it sent one
        self.detail = detail        # head office's own sentence (ErrorBody.message), in English


class RowClash(SyncProblem):
    """A pulled row's unique key is held by a local row that nothing in the same page moves away."""


def cursor_setting(scope: Scope) -> str:
    return f"sync.cursor.{scope.value}"


def scope_tables(scope: Scope) -> tuple[str, ...]:
    return HEAD_OFFICE_TABLES if scope is Scope.CATALOG else STORE_TABLES


def scope_name(scope: Scope) -> Message:
    """A scope as the reader calls it: the store's own data, or head office's catalog."""
    if scope is Scope.CATALOG:
        return msg("sync.scope_catalog", "catalog")
    return msg("sync.scope_store", "store")


# --- decoding wire rows -----------------------------------------------------------


def _decoder(column: Any) -> Callable[[Any], Any]:
    kind = column.type
    if isinstance(kind, Enum) and kind.enum_class is not None:
        enum_cls: type[enum.Enum] = kind.enum_class
        return enum_cls
    if isinstance(kind, UTCDateTime):
        return datetime.fromisoformat
    if isinstance(kind, Uuid):
        return UUID
    if isinstance(kind, Date):
        return date.fromisoformat
    if isinstance(kind, Time):
        return time.fromisoformat
    return lambda value: value


@dataclass(frozen=True)
class _TableCodec:
    table: Table
    decoders: Mapping[str, Callable[[Any], Any]]

    def decode(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """A wire row as Python values for every column; a missing column is the server's mistake."""
        values: dict[str, Any] = {}
        for name, decode in self.decoders.items():
            if name not in data:
                raise SyncProblem(msg("sync.row_missing_field",
                                      "Head office sent a {table} row without its {field} field; "
                                      "nothing of that page was applied.", table=self.table.name, field=name),
                                  retry=False)
            raw = data[name]
            try:
                values[name] = None if raw is None else decode(raw)
            except (TypeError, ValueError):
                raise SyncProblem(msg("sync.row_unreadable_field",
                                      "Head office sent a {table} row whose {field} field cannot be read; "
                                      "nothing of that page was applied.", table=self.table.name, field=name),
                                  retry=False) from None
        return values


CODECS: Mapping[str, _TableCodec] = {
    name: _TableCodec(model.__table__, {c.key: _decoder(c) for c in model.__table__.columns})
    for name, model in MODEL_BY_TABLE.items()
}


# --- settings ---------------------------------------------------------------------


def _read_json(s: Session, key: str, default: Any) -> Any:
    raw = read_setting(s, key)
    return json.loads(raw) if raw else default


def _write_json(s: Session, key: str, value: Any) -> None:
    write_setting(s, key, json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def _clear(s: Session, *keys: str) -> None:
    s.execute(delete(LocalSetting).where(LocalSetting.key.in_(keys)))


@dataclass(frozen=True)
class Enrollment:
    server_url: str
    console_id: UUID | None
    store_id: UUID | None
    store_code: str
    adopted: bool
    mode: str


def enrollment(db: Database) -> Enrollment:
    with db.begin() as s:
        store = read_setting(s, STORE_ID_SETTING)
        console = read_setting(s, CONSOLE_ID_SETTING)
        return Enrollment(
            server_url=read_setting(s, SERVER_URL_SETTING) or "",
            console_id=UUID(console) if console else None,
            store_id=UUID(store) if store else None,
            store_code=read_setting(s, STORE_CODE_SETTING) or "",
            adopted=read_setting(s, ADOPTED_SETTING) == "1",
            mode=read_setting(s, ENROLL_MODE_SETTING) or "",
        )


def record_enrollment(db: Database, server_url: str, console_id: UUID, store_code: str, mode: str) -> None:
    """Remember the new enrollment; local data is adopted by :func:`adopt_clean` / :func:`adopt_upload`."""
    with db.begin() as s:
        write_setting(s, SERVER_URL_SETTING, server_url)
        write_setting(s, CONSOLE_ID_SETTING, str(console_id))
        write_setting(s, STORE_CODE_SETTING, store_code)
        write_setting(s, ENROLL_MODE_SETTING, mode)
        write_setting(s, ADOPTED_SETTING, "0")
        # A new console id starts every stream afresh: no cursor, no batch of the old id.
        _clear(s, BATCH_SETTING, CONFLICTS_CURSOR_SETTING, LAST_ERROR_SETTING, ENROLL_COMPLETE_SETTING,
               *(cursor_setting(scope) for scope in Scope))
        s.execute(delete(SnapshotStage))


def record_success(db: Database) -> None:
    with db.begin() as s:
        write_setting(s, LAST_SUCCESS_SETTING, utcnow().isoformat())
        _clear(s, LAST_ERROR_SETTING)


def record_error(db: Database, message: Message) -> None:
    """Keep the last problem as a message, so the Sync screen and ``sync --status`` show it in their language."""
    with db.begin() as s:
        write_setting(s, LAST_ERROR_SETTING, message.to_json())


def read_cursor(db: Database, scope: Scope) -> int | None:
    with db.begin() as s:
        value = read_setting(s, cursor_setting(scope))
        return int(value) if value is not None else None


def pending_count(db: Database) -> int:
    with db.begin() as s:
        return s.scalar(select(func.count()).select_from(Outbox)) or 0


def is_live(db: Database) -> bool:
    """A show is on air here (a run open, a broadcast LIVE, or the on-air screen's flag)."""
    with db.begin() as s:
        if read_setting(s, LIVE_FLAG_SETTING) == "1":
            return True
        if s.scalar(select(ShowRun.id).where(ShowRun.ended_at.is_(None), ShowRun.deleted_at.is_(None))
                    .limit(1)) is not None:
            return True
        return s.scalar(select(Broadcast.id).where(Broadcast.status == BroadcastStatus.LIVE,
                                                   Broadcast.deleted_at.is_(None)).limit(1)) is not None


def set_live_flag(db: Database, live: bool) -> None:
    with db.begin() as s:
        write_setting(s, LIVE_FLAG_SETTING, "1" if live else "0")


# --- push -------------------------------------------------------------------------


@dataclass(frozen=True)
class PushBatch:
    batch_id: UUID
    seqs: tuple[int, ...]
    body: dict[str, Any]          # the request as JSON, identical on every retry

    @property
    def size(self) -> int:
        return len(self.seqs)


def _mutation(entry: Outbox) -> dict[str, Any]:
    return {"mutation_id": str(entry.mutation_id), "table": entry.table_name, "row_id": str(entry.row_id),
            "op": entry.op.value, "base_version": entry.base_version, "row_version": entry.row_version,
            "changed_fields": list(entry.changed_fields), "payload": entry.payload}


def next_batch(db: Database, limit: int = MAX_BATCH) -> PushBatch | None:
    """The batch in flight if there is one (a retry), else the next outbox entries, saved before sending."""
    with db.begin() as s:
        saved = _read_json(s, BATCH_SETTING, None)
        if saved is not None:
            seqs = tuple(saved["seqs"])
            entries = s.scalars(select(Outbox).where(Outbox.seq.in_(seqs)).order_by(Outbox.seq)).all()
            if len(entries) == len(seqs):
                return PushBatch(UUID(saved["batch_id"]), seqs, _body(saved["batch_id"], entries))
            # Entries of a saved batch only leave with its answer; if some are gone anyway
            # (the data was reset), the batch can no longer be sent as it was: start a new one.
        entries = s.scalars(select(Outbox).order_by(Outbox.seq).limit(limit)).all()
        if not entries:
            _clear(s, BATCH_SETTING)
            return None
        batch_id = str(new_id())
        seqs = tuple(e.seq for e in entries)
        _write_json(s, BATCH_SETTING, {"batch_id": batch_id, "seqs": list(seqs)})
        return PushBatch(UUID(batch_id), seqs, _body(batch_id, entries))


def _body(batch_id: str, entries: Sequence[Outbox]) -> dict[str, Any]:
    return {"batch_id": batch_id, "mutations": [_mutation(e) for e in entries]}


def drop_batch(db: Database) -> None:
    """Forget the batch in flight; only when the server certainly applied none of it (a 413)."""
    with db.begin() as s:
        _clear(s, BATCH_SETTING)


@dataclass(frozen=True)
class PushOutcome:
    acknowledged: int
    conflicts: int
    rejected: int


def acknowledge(db: Database, batch: PushBatch, response: PushResponse) -> PushOutcome:
    """Delete exactly the answered outbox entries and keep what needs review, in one transaction."""
    by_id = {m["mutation_id"]: m for m in batch.body["mutations"]}
    answered = [r for r in response.results if str(r.mutation_id) in by_id]
    rejected = [r for r in answered if r.status is PushStatus.REJECTED]
    conflicts = [r for r in answered if r.status is PushStatus.CONFLICT]
    with db.begin() as s:
        ids = [r.mutation_id for r in answered]
        for start in range(0, len(ids), 500):
            s.execute(delete(Outbox).where(Outbox.mutation_id.in_(ids[start:start + 500])))
        # A store row head office no longer holds was deleted there and its tombstone purged while
        # this edit waited (its pull skipped the tombstone, the row being pending): drop it here too.
        for r in rejected:
            mutation = by_id[str(r.mutation_id)]
            if r.row_version is None and mutation["table"] in _STORE_OWNED:
                model_table = CODECS[mutation["table"]].table
                s.execute(update(model_table).where(model_table.c.id == UUID(mutation["row_id"]),
                                                    model_table.c.deleted_at.is_(None))
                          .values(deleted_at=utcnow()))
        for r in conflicts:
            mutation = by_id[str(r.mutation_id)]
            if r.row_version is None and mutation["table"] in _STORE_OWNED:
                _drop_refused(s, mutation["table"], UUID(mutation["row_id"]))
        if rejected:
            now = utcnow().isoformat()
            kept = _read_json(s, REJECTED_SETTING, [])
            kept += [{"table": by_id[str(r.mutation_id)]["table"], "row_id": by_id[str(r.mutation_id)]["row_id"],
                      "reason": r.reason or "", "at": now} for r in rejected]
            _write_json(s, REJECTED_SETTING, kept[-KEEP_REVIEW_ITEMS:])
        _clear(s, BATCH_SETTING)
    return PushOutcome(acknowledged=len(answered), conflicts=len(conflicts), rejected=len(rejected))


def _drop_refused(s: Session, table: str, row_id: UUID) -> None:
    """Head office refused a new row (another console's row holds its unique key, say the same
    product's stock row): the row is gone here too, or the other one could never be pulled.
    One that other rows already point at is tombstoned instead; the conflict is listed for review."""
    model_table = CODECS[table].table
    try:
        with s.begin_nested():
            s.execute(delete(model_table).where(model_table.c.id == row_id))
    except IntegrityError:
        s.execute(update(model_table).where(model_table.c.id == row_id, model_table.c.deleted_at.is_(None))
                  .values(deleted_at=utcnow()))


# --- conflicts for review ---------------------------------------------------------


def conflicts_cursor(db: Database) -> int:
    with db.begin() as s:
        return int(read_setting(s, CONFLICTS_CURSOR_SETTING) or 0)


def add_conflicts(db: Database, items: Iterable[dict[str, Any]], cursor: int) -> None:
    with db.begin() as s:
        kept = _read_json(s, CONFLICTS_SETTING, [])
        kept += list(items)
        _write_json(s, CONFLICTS_SETTING, kept[-KEEP_REVIEW_ITEMS:])
        write_setting(s, CONFLICTS_CURSOR_SETTING, str(cursor))


def review_items(db: Database) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(conflicts, rejected mutations) kept for the Sync screen, newest first."""
    with db.begin() as s:
        return (list(reversed(_read_json(s, CONFLICTS_SETTING, []))),
                list(reversed(_read_json(s, REJECTED_SETTING, []))))


# --- applying pulled rows ---------------------------------------------------------


def _begin_remote(s: Session) -> None:
    s.info[APPLYING_REMOTE] = True
    # Until commit: a page may hold a child before its parent (SQLite resets this at commit).
    s.execute(text("PRAGMA defer_foreign_keys = ON"))


def _pending_rows(s: Session) -> set[tuple[str, UUID]]:
    return {(t, r) for t, r in s.execute(select(Outbox.table_name, Outbox.row_id).distinct())}


def _check_rows(rows: Sequence[WireRow], scope: Scope, store_id: UUID | None) -> None:
    allowed = scope_tables(scope)
    for row in rows:
        if row.table not in allowed:
            raise SyncProblem(msg("sync.row_wrong_stream",
                                  "Head office sent a {table} row in the {scope} stream, where it does not "
                                  "belong; nothing of that page was applied.",
                                  table=row.table, scope=scope_name(scope)), retry=False)
        if scope is Scope.STORE:
            owner = row.data.get("store_id")
            if owner is None or store_id is None or owner != str(store_id):
                raise SyncProblem(msg("sync.row_of_other_store",
                                      "Head office sent a row of another store; nothing of that page was "
                                      "applied. Tell head office."), retry=False)


def _upsert(s: Session, table: str, values: list[dict[str, Any]]) -> None:
    codec = CODECS[table]
    stmt = sqlite_insert(codec.table)
    stmt = stmt.on_conflict_do_update(
        index_elements=[codec.table.c.id],
        set_={name: stmt.excluded[name] for name in codec.decoders if name != "id"},
    )
    s.execute(stmt, values)


def _apply_rows(s: Session, rows: Sequence[WireRow]) -> int:
    """Upsert the rows by id (tombstones included); rows with pending local changes are left alone."""
    pending = _pending_rows(s)
    by_table: dict[str, list[dict[str, Any]]] = {}
    order: list[tuple[str, dict[str, Any]]] = []
    applied = 0
    for row in rows:
        if (row.table, row.row_id) in pending:
            continue  # the local change wins here until pushed; its answer comes down later
        values = CODECS[row.table].decode(row.data)
        values["row_version"] = row.row_version
        if row.table == "product" and not values["search_key"]:
            # Written before head office set keys itself; Core upserts pass the ORM's listeners by.
            values["search_key"] = search_key(values["name"], values["brand"])
        if row.deleted and values.get("deleted_at") is None:
            values["deleted_at"] = values.get("updated_at") or utcnow()
        by_table.setdefault(row.table, []).append(values)
        order.append((row.table, values))
        applied += 1
    try:
        with s.begin_nested():
            for table in PARENTS_FIRST:
                for start in range(0, len(by_table.get(table, ())), 1000):
                    _upsert(s, table, by_table[table][start:start + 1000])
    except IntegrityError:
        # A unique key held by a row that this same page moves away (two queue items swapping
        # link numbers): apply row by row, retrying the ones that clash until nothing moves.
        _apply_one_by_one(s, order)
    return applied


def _apply_one_by_one(s: Session, order: list[tuple[str, dict[str, Any]]]) -> None:
    waiting = order
    while waiting:
        failed: list[tuple[str, dict[str, Any]]] = []
        for table, values in waiting:
            try:
                with s.begin_nested():
                    _upsert(s, table, [values])
            except IntegrityError:
                failed.append((table, values))
        if len(failed) == len(waiting) and not _free_keys_of_tombstones(s, failed):
            table, values = failed[0]
            raise RowClash(msg("sync.row_clash",
                               "A {table} row from head office clashes with a row of this console ({row}); "
                               "nothing of that page was applied. Tell head office.",
                               table=table, row=str(values["id"])), retry=False)
        waiting = failed


def _free_keys_of_tombstones(s: Session, rows: Sequence[tuple[str, dict[str, Any]]]) -> int:
    """Move aside the unique values that local tombstones hold and head office's rows now claim.

    Head office keeps a tombstone's value taken for as long as it keeps the tombstone, so a row it
    sends with that value means it has purged it (every console had pulled the delete): the value is
    free again, and this console's copy of the deleted row is the only thing still holding it. The
    tombstone stays (what refers to it keeps its row), under a value nothing will claim; the change
    is local only (the session applies remote rows, so it writes no outbox entry). Returns how many
    tombstones moved; 0 when the clash is with a live row, which is head office's to settle.
    """
    pending = _pending_rows(s)
    moved = 0
    for table, values in rows:
        model_table = CODECS[table].table
        for key in TABLES[table].unique_keys:
            if key.live_only or any(values.get(f) is None for f in key.fields):
                continue
            where = [model_table.c[f] == values[f] for f in key.fields]
            if "store_id" in model_table.c:
                where.append(model_table.c.store_id == values.get("store_id"))
            holders = s.execute(select(model_table.c.id, model_table.c[key.field]).where(
                *where, model_table.c.id != values["id"], model_table.c.deleted_at.is_not(None))).all()
            for row_id, value in holders:
                if (table, row_id) in pending:
                    continue
                row = model_table.c.id == row_id
                if key.kind is KeyKind.RENAME:
                    s.execute(update(model_table).where(row).values(
                        {key.field: set_aside(str(value), row_id, key.limit)}))
                elif key.kind is KeyKind.RENUMBER:
                    group = [model_table.c[f] == values[f] for f in key.group]
                    lowest = s.scalar(select(func.min(model_table.c[key.field])).where(*group)) or 0
                    s.execute(update(model_table).where(row).values({key.field: min(lowest, 0) - 1}))
                else:   # the same thing twice (a product's stock row): the dead copy goes
                    s.execute(delete(model_table).where(row))
                moved += 1
    return moved


def apply_page(db: Database, scope: Scope, rows: Sequence[WireRow], next_cursor: int,
               *, fail_after_rows: Callable[[], None] | None = None) -> int:
    """Apply one pulled page and its cursor in one transaction; returns the rows written."""
    with db.begin() as s:
        _begin_remote(s)
        store_id = _local_store_id(s)
        _check_rows(rows, scope, store_id)
        applied = _apply_rows(s, rows)
        if fail_after_rows is not None:
            fail_after_rows()  # tests: a crash between the rows and the cursor
        write_setting(s, cursor_setting(scope), str(next_cursor))
    return applied


def replace_scope(db: Database, scope: Scope, rows: Sequence[WireRow], watermark: int) -> int:
    """Load a snapshot: upsert its rows, tombstone the scope's rows it no longer has, set the cursor.

    Rows with pending outbox entries are kept as they are (they go up first).
    Rows head office no longer holds are tombstoned rather than deleted, so
    whatever still refers to them stays valid.
    """
    with db.begin() as s:
        _begin_remote(s)
        store_id = _local_store_id(s)
        _check_rows(rows, scope, store_id)
        present: dict[str, set[UUID]] = {}
        for row in rows:
            present.setdefault(row.table, set()).add(row.row_id)
        pending = _pending_rows(s)
        now = utcnow()
        # Tombstone first: a snapshot row may reuse the unique key of a local row that is gone.
        for table in scope_tables(scope):
            model_table = CODECS[table].table
            query = select(model_table.c.id).where(model_table.c.deleted_at.is_(None))
            if scope is Scope.STORE:
                query = query.where(model_table.c.store_id == store_id)
            gone = [row_id for row_id in s.scalars(query)
                    if row_id not in present.get(table, ()) and (table, row_id) not in pending]
            for start in range(0, len(gone), 500):
                s.execute(update(model_table).where(model_table.c.id.in_(gone[start:start + 500]))
                          .values(deleted_at=now))
        applied = _apply_rows(s, rows)
        write_setting(s, cursor_setting(scope), str(watermark))
        _clear_stage(s, scope)
    return applied


def _local_store_id(s: Session) -> UUID | None:
    value = read_setting(s, STORE_ID_SETTING)
    return UUID(value) if value else None


# --- snapshots in stages ----------------------------------------------------------

_ROWS = TypeAdapter(list[WireRow])


@dataclass(frozen=True)
class Staged:
    """How far a snapshot being loaded has come: resume with ``watermark`` and ``after``."""

    watermark: int
    after: int
    has_more: bool
    total: int | None
    rows: int


def staged(db: Database, scope: Scope) -> Staged | None:
    with db.begin() as s:
        last = s.scalars(select(SnapshotStage).where(SnapshotStage.scope == scope.value)
                         .order_by(SnapshotStage.page.desc()).limit(1)).first()
        if last is None:
            return None
        first_total = s.scalar(select(SnapshotStage.total).where(SnapshotStage.scope == scope.value)
                               .order_by(SnapshotStage.page).limit(1))
        done = s.scalar(select(func.sum(SnapshotStage.row_count)).where(SnapshotStage.scope == scope.value)) or 0
        return Staged(watermark=last.watermark, after=last.next_after, has_more=last.has_more,
                      total=first_total, rows=int(done))


def stage_page(db: Database, scope: Scope, rows: Sequence[WireRow], watermark: int, next_after: int,
               has_more: bool, total: int | None) -> None:
    """Keep one fetched page (one transaction): a stopped load goes on after it."""
    with db.begin() as s:
        s.add(SnapshotStage(scope=scope.value, watermark=watermark, next_after=next_after, has_more=has_more,
                            total=total, row_count=len(rows), rows=_ROWS.dump_json(list(rows)).decode()))


def staged_rows(db: Database, scope: Scope) -> list[WireRow]:
    with db.begin() as s:
        pages = s.scalars(select(SnapshotStage.rows).where(SnapshotStage.scope == scope.value)
                          .order_by(SnapshotStage.page))
        return [row for page in pages for row in _ROWS.validate_json(page)]


def drop_stage(db: Database, scope: Scope | None = None) -> None:
    with db.begin() as s:
        _clear_stage(s, scope)


def _clear_stage(s: Session, scope: Scope | None = None) -> None:
    query = delete(SnapshotStage)
    if scope is not None:
        query = query.where(SnapshotStage.scope == scope.value)
    s.execute(query)


def forget_enrollment(db: Database) -> None:
    """Head office took the code back (the upload was refused): this console is as it was before enrolling."""
    with db.begin() as s:
        _clear(s, SERVER_URL_SETTING, CONSOLE_ID_SETTING, STORE_CODE_SETTING, ENROLL_MODE_SETTING,
               ADOPTED_SETTING, ENROLL_COMPLETE_SETTING, BATCH_SETTING, CONFLICTS_CURSOR_SETTING,
               "sync.enrolled_store_id", *(cursor_setting(scope) for scope in Scope))
        _clear_stage(s)


def enrollment_completed(db: Database) -> bool:
    with db.begin() as s:
        return read_setting(s, ENROLL_COMPLETE_SETTING) == "1"


def record_enrollment_complete(db: Database) -> None:
    with db.begin() as s:
        write_setting(s, ENROLL_COMPLETE_SETTING, "1")


# --- enrollment: adopting the store -----------------------------------------------


def has_own_data(db: Database) -> bool:
    """Whether this console holds store data (roster, shows ...) or changes of its own."""
    with db.begin() as s:
        if s.scalar(select(Outbox.seq).limit(1)) is not None:
            return True
        for table in STORE_TABLES:
            model_table = CODECS[table].table
            if s.scalar(select(model_table.c.id).where(model_table.c.store_id.is_not(None)).limit(1)):
                return True
    return False


def adopt_clean(db: Database, store_id: UUID, catalog: Sequence[WireRow], watermark: int) -> None:
    """Empty the local data, take head office's catalog, and become ``store_id``; one transaction."""
    with db.begin() as s:
        _begin_remote(s)
        for table in reversed(PARENTS_FIRST):
            s.execute(delete(CODECS[table].table))
        s.execute(delete(Outbox))
        _clear(s, BATCH_SETTING, CONFLICTS_SETTING, REJECTED_SETTING, cursor_setting(Scope.STORE))
        _become(s, store_id, catalog, watermark)
        _clear_stage(s)


def adopt_upload(db: Database, store_id: UUID, catalog: Sequence[WireRow], watermark: int,
                 server_store_ids: set[tuple[str, UUID]]) -> int:
    """Make this console's own data the store's: returns how many rows wait to go up.

    In one transaction: the local store id becomes head office's, products are
    matched to head office's catalog by SKU (as the head-office demo does), the
    catalog is replaced by head office's, and every store row head office does
    not hold yet gets an insert in the outbox, built from the current tables.
    Running it again uploads only what head office still lacks, so an
    interrupted enrollment can simply be resumed.
    """
    with db.begin() as s:
        _begin_remote(s)
        old_store = _local_store_id(s)
        if on_server_not_ours(s, server_store_ids):
            raise SyncProblem(msg("sync.store_data_elsewhere",
                                  "Head office already holds data for this store that did not come from this "
                                  "console, so uploading would mix two sets of data; to take head office's "
                                  "data instead, enroll again with --start-clean and a new code. Nothing was "
                                  "changed."), retry=False)
        product_map = _match_products(s, catalog)
        # Data of other stores' ids (none in a normal console) would make every upload fail.
        if old_store is not None and old_store != store_id:
            for table in STORE_TABLES:
                model_table = CODECS[table].table
                s.execute(update(model_table).where(model_table.c.store_id == old_store)
                          .values(store_id=store_id))
        for table in STORE_TABLES:
            model_table = CODECS[table].table
            if "product_id" not in model_table.c:
                continue
            for old, new in product_map.items():
                if old != new:
                    s.execute(update(model_table).where(model_table.c.product_id == old).values(product_id=new))
        for table, column in PRODUCT_ID_LISTS:
            model_table = CODECS[table].table
            for row_id, ids in s.execute(select(model_table.c.id, model_table.c[column])).all():
                matched = [str(product_map.get(p, p)) for p in _product_ids(ids)]
                if matched != list(ids or ()):
                    s.execute(update(model_table).where(model_table.c.id == row_id).values({column: matched}))
        for table in reversed(HEAD_OFFICE_TABLES_PARENTS_FIRST):
            s.execute(delete(CODECS[table].table))
        # Local catalog edits would only be refused: head office's catalog replaces them.
        s.execute(delete(Outbox).where(Outbox.table_name.in_(HEAD_OFFICE_TABLES)))
        _become(s, store_id, catalog, watermark)
        _clear(s, cursor_setting(Scope.STORE))
        _clear_stage(s)
        return _queue_uploads(s, store_id, server_store_ids)


HEAD_OFFICE_TABLES_PARENTS_FIRST = tuple(t for t in PARENTS_FIRST if t in HEAD_OFFICE_TABLES)


def on_server_not_ours(s: Session, on_server: set[tuple[str, UUID]]) -> bool:
    """Head office holds store data and none of it is this console's (another PC's data set)."""
    if not on_server:
        return False
    if not any(s.scalar(select(CODECS[t].table.c.id).where(CODECS[t].table.c.store_id.is_not(None)).limit(1))
               for t in STORE_TABLES):
        return False  # nothing of its own to mix in
    for table in STORE_TABLES:
        ids = {row_id for t, row_id in on_server if t == table}
        model_table = CODECS[table].table
        for start in range(0, len(ids), 500):
            chunk = list(ids)[start:start + 500]
            if s.scalar(select(model_table.c.id).where(model_table.c.id.in_(chunk)).limit(1)) is not None:
                return False
    return True


def _match_products(s: Session, catalog: Sequence[WireRow]) -> dict[UUID, UUID]:
    """Local product id -> head office's product id with the same SKU, for every product store rows use."""
    server_by_sku = {row.data["sku"]: row.row_id for row in catalog if row.table == "product"}
    local = {pid: sku for pid, sku in s.execute(select(Product.id, Product.sku))}
    used: set[UUID] = set()
    for table in STORE_TABLES:
        model_table = CODECS[table].table
        if "product_id" in model_table.c:
            used.update(p for p in s.scalars(select(model_table.c.product_id).distinct()) if p is not None)
    for table, column in PRODUCT_ID_LISTS:
        for ids in s.scalars(select(CODECS[table].table.c[column])):
            used.update(p for p in _product_ids(ids) if isinstance(p, UUID) and p in local)
    server_ids = {row.row_id for row in catalog if row.table == "product"}
    unknown = sorted(local.get(pid, str(pid)) for pid in used
                     if pid not in server_ids and local.get(pid) not in server_by_sku)
    if len(unknown) > 3:
        raise SyncProblem(msg_n("sync.products_missing_more",
                                "This console's shows and prices use products head office's catalog does not "
                                "have (SKU {skus} and {count} more); ask head office to add them, or enroll "
                                "with --start-clean. Nothing was changed.",
                                "This console's shows and prices use products head office's catalog does not "
                                "have (SKU {skus} and {count} more); ask head office to add them, or enroll "
                                "with --start-clean. Nothing was changed.",
                                count=len(unknown) - 3, skus=", ".join(unknown[:3])), retry=False)
    if unknown:
        raise SyncProblem(msg("sync.products_missing",
                              "This console's shows and prices use products head office's catalog does not "
                              "have (SKU {skus}); ask head office to add them, or enroll with --start-clean. "
                              "Nothing was changed.", skus=", ".join(unknown)), retry=False)
    return {pid: (pid if pid in server_ids else server_by_sku[sku])
            for pid, sku in local.items() if pid in used}


def _product_ids(ids: Sequence[str] | None) -> list[UUID | str]:
    """A JSON list of product ids as UUIDs; what is not one stays as it was."""
    found: list[UUID | str] = []
    for value in ids or ():
        try:
            found.append(UUID(value))
        except (TypeError, ValueError, AttributeError):
            found.append(value)
    return found


def _become(s: Session, store_id: UUID, catalog: Sequence[WireRow], watermark: int) -> None:
    write_setting(s, STORE_ID_SETTING, str(store_id))
    _check_rows(catalog, Scope.CATALOG, store_id)
    _apply_rows(s, catalog)
    if not any(row.table == "store" and row.row_id == store_id for row in catalog):
        raise SyncProblem(msg("sync.store_not_in_catalog",
                              "Head office's catalog does not list this console's store; nothing was changed. "
                              "Tell head office."), retry=False)
    write_setting(s, cursor_setting(Scope.CATALOG), str(watermark))
    write_setting(s, ADOPTED_SETTING, "1")
    _clear(s, ENROLL_MODE_SETTING)


def _queue_uploads(s: Session, store_id: UUID, on_server: set[tuple[str, UUID]]) -> int:
    queued = 0
    now = utcnow()
    # Entries for rows head office lacks are replaced by one insert of the row as it is now;
    # entries for rows it has stay: they are edits on top of what it holds.
    entries = s.execute(select(Outbox.seq, Outbox.table_name, Outbox.row_id)).all()
    stale = [seq for seq, table, row_id in entries if (table, row_id) not in on_server]
    for start in range(0, len(stale), 500):
        s.execute(delete(Outbox).where(Outbox.seq.in_(stale[start:start + 500])))
    for table in PARENTS_FIRST:
        if table in HEAD_OFFICE_TABLES:
            continue
        model_table = CODECS[table].table
        uploads = []
        for row in s.execute(select(model_table).where(model_table.c.store_id == store_id)).mappings():
            if (table, row["id"]) in on_server:
                continue
            payload = {name: to_wire(row[name]) for name in CODECS[table].decoders}
            payload["row_version"] = version = max(1, row["row_version"])
            uploads.append({"mutation_id": new_id(), "table_name": table, "row_id": row["id"],
                            "op": OutboxOp.INSERT, "base_version": 0, "row_version": version,
                            "changed_fields": sorted(payload), "payload": payload, "created_at": now})
        for start in range(0, len(uploads), 1000):
            s.execute(Outbox.__table__.insert(), uploads[start:start + 1000])
        queued += len(uploads)
    return queued
