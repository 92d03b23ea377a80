"""The data rules of every synced table, checked on a real SQLite file."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime, timedelta, timezone
from uuid import UUID

import pytest
from sqlalchemy import BigInteger, Float, Integer, Numeric, func, inspect, select, text
from sqlalchemy.exc import IntegrityError, StatementError

from console.domain.enums import (
    Affiliation,
    AuditVia,
    OnAirEventKind,
    OutboxOp,
    ShiftRole,
)
from console.domain.values import StoreInfo
from console.storage.db import Database
from console.storage.ids import new_id
from console.storage.models import (
    OWNER_HEAD_OFFICE,
    SYNCED_MODELS,
    Anchor,
    AuditLog,
    Base,
    Broadcast,
    LiveRoom,
    MetricSnapshot,
    OnAirEvent,
    Outbox,
    Product,
    Shift,
    Store,
    StoreProduct,
    SyncedRow,
)
from console.storage.outbox import (
    APPLYING_REMOTE,
    AppendOnlyError,
    HardDeleteError,
    tombstone,
)

SHANGHAI = timezone(timedelta(hours=8))


def outbox_count(db: Database) -> int:
    with db.begin() as s:
        return s.scalar(select(func.count()).select_from(Outbox)) or 0


def entries_for(db: Database, row_id: UUID) -> list[Outbox]:
    with db.begin() as s:
        return list(s.scalars(select(Outbox).where(Outbox.row_id == row_id).order_by(Outbox.seq)))


def add_anchor(db: Database, store: StoreInfo, code: str = "A001") -> UUID:
    with db.begin() as s:
        anchor = Anchor(store_id=store.id, code=code, name="Zhang Wei", affiliation=Affiliation.STAFF)
        s.add(anchor)
    return anchor.id


def add_room(db: Database, store: StoreInfo, code: str = "R1") -> UUID:
    with db.begin() as s:
        room = LiveRoom(store_id=store.id, code=code, name="Room 1")
        s.add(room)
    return room.id


def add_broadcast(db: Database, store: StoreInfo) -> UUID:
    room_id = add_room(db, store)
    start = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    with db.begin() as s:
        b = Broadcast(store_id=store.id, room_id=room_id, title="Winter coats",
                      planned_start=start, planned_end=start + timedelta(hours=2))
        s.add(b)
    return b.id


# --- outbox ------------------------------------------------------------------


def test_insert_writes_one_outbox_entry(db: Database, store: StoreInfo) -> None:
    before = outbox_count(db)
    anchor_id = add_anchor(db, store)

    assert outbox_count(db) == before + 1
    [entry] = entries_for(db, anchor_id)
    assert entry.table_name == "anchor"
    assert entry.op is OutboxOp.INSERT
    assert (entry.base_version, entry.row_version) == (0, 1)
    columns = {c.key for c in inspect(Anchor).mapper.column_attrs}
    assert set(entry.changed_fields) == columns
    assert entry.payload["id"] == str(anchor_id)
    assert entry.payload["code"] == "A001"
    assert entry.payload["affiliation"] == "staff"
    # Defaults are in the payload exactly as stored.
    assert entry.payload["weekly_hours_cap"] == 44
    assert entry.payload["row_version"] == 1
    with db.begin() as s:
        assert s.get(Anchor, anchor_id).row_version == 1


def test_update_of_one_field_writes_one_entry_naming_it(db: Database, store: StoreInfo) -> None:
    anchor_id = add_anchor(db, store)
    before = outbox_count(db)
    with db.begin() as s:
        s.get(Anchor, anchor_id).name = "Zhang Wei (senior)"

    assert outbox_count(db) == before + 1
    entry = entries_for(db, anchor_id)[-1]
    assert entry.op is OutboxOp.UPDATE
    assert (entry.base_version, entry.row_version) == (1, 2)
    assert entry.changed_fields == ["name"]
    assert entry.payload["name"] == "Zhang Wei (senior)"
    with db.begin() as s:
        row = s.get(Anchor, anchor_id)
        assert row.row_version == 2
        assert row.updated_at >= row.created_at


def test_setting_a_field_to_its_current_value_writes_nothing(db: Database, store: StoreInfo) -> None:
    anchor_id = add_anchor(db, store)
    before = outbox_count(db)
    with db.begin() as s:
        row = s.get(Anchor, anchor_id)
        row.name = row.name
    assert outbox_count(db) == before
    with db.begin() as s:
        assert s.get(Anchor, anchor_id).row_version == 1


def test_tombstone_writes_a_delete_entry_and_keeps_the_row(db: Database, store: StoreInfo) -> None:
    anchor_id = add_anchor(db, store)
    with db.begin() as s:
        s.get(Anchor, anchor_id).name = "renamed"
    before = outbox_count(db)
    with db.begin() as s:
        tombstone(s.get(Anchor, anchor_id))

    assert outbox_count(db) == before + 1
    entry = entries_for(db, anchor_id)[-1]
    assert entry.op is OutboxOp.DELETE
    assert (entry.base_version, entry.row_version) == (2, 3)
    assert entry.changed_fields == ["deleted_at"]
    with db.begin() as s:
        row = s.get(Anchor, anchor_id)
        assert row is not None and row.is_deleted and row.row_version == 3


def test_outbox_entry_is_in_the_same_transaction(db: Database, store: StoreInfo) -> None:
    before = outbox_count(db)
    with db.sessions() as s:
        s.begin()
        anchor = Anchor(store_id=store.id, code="A9", name="Li Na", affiliation=Affiliation.GUEST)
        s.add(anchor)
        s.flush()
        # Visible inside the transaction, before any commit ...
        assert s.scalar(select(func.count()).select_from(Outbox).where(Outbox.row_id == anchor.id)) == 1
        # ... and not to anyone else until it commits.
        raw = sqlite3.connect(db.path)
        try:
            assert raw.execute("SELECT count(*) FROM outbox").fetchone()[0] == before
            assert raw.execute("SELECT count(*) FROM anchor").fetchone()[0] == 0
        finally:
            raw.close()
        s.rollback()
    assert outbox_count(db) == before
    with db.begin() as s:
        assert s.scalar(select(func.count()).select_from(Anchor)) == 0


def test_rolled_back_change_leaves_neither_row_nor_entry(db: Database, store: StoreInfo) -> None:
    before = outbox_count(db)
    anchor_id = new_id()
    with pytest.raises(RuntimeError, match="boom"), db.begin() as s:
        s.add(Anchor(id=anchor_id, store_id=store.id, code="A2", name="Wang Fang",
                     affiliation=Affiliation.BRAND, employer_brand="Lancome"))
        s.flush()
        raise RuntimeError("boom")
    assert outbox_count(db) == before
    assert entries_for(db, anchor_id) == []
    with db.begin() as s:
        assert s.get(Anchor, anchor_id) is None


def test_hard_delete_of_a_synced_row_is_refused(db: Database, store: StoreInfo) -> None:
    anchor_id = add_anchor(db, store)
    before = outbox_count(db)
    with pytest.raises(HardDeleteError, match="tombstone"), db.begin() as s:
        s.delete(s.get(Anchor, anchor_id))
    assert outbox_count(db) == before
    with db.begin() as s:
        row = s.get(Anchor, anchor_id)
        assert row is not None and not row.is_deleted and row.row_version == 1


def _append_only_row(db: Database, store: StoreInfo, model: type[SyncedRow]) -> SyncedRow:
    now = datetime.now(UTC)
    if model is AuditLog:
        return AuditLog(store_id=store.id, via=AuditVia.CLI, action="test")
    broadcast_id = add_broadcast(db, store)
    if model is OnAirEvent:
        return OnAirEvent(store_id=store.id, broadcast_id=broadcast_id,
                          kind=OnAirEventKind.SHOW_STARTED, at=now, seq=1)
    return MetricSnapshot(store_id=store.id, broadcast_id=broadcast_id, at=now, viewers=10)


@pytest.mark.parametrize("model", [OnAirEvent, MetricSnapshot, AuditLog], ids=lambda m: m.__name__)
def test_append_only_rows_refuse_updates(db: Database, store: StoreInfo, model: type[SyncedRow]) -> None:
    row = _append_only_row(db, store, model)
    with db.begin() as s:
        s.add(row)
    before = outbox_count(db)
    assert [e.op for e in entries_for(db, row.id)] == [OutboxOp.INSERT]

    field = {OnAirEvent: "seq", MetricSnapshot: "viewers", AuditLog: "action"}[model]
    new_value = {OnAirEvent: 2, MetricSnapshot: 99, AuditLog: "tampered"}[model]
    with pytest.raises(AppendOnlyError, match="append-only"), db.begin() as s:
        setattr(s.get(model, row.id), field, new_value)
    with pytest.raises(AppendOnlyError), db.begin() as s:
        tombstone(s.get(model, row.id))
    assert outbox_count(db) == before
    with db.begin() as s:
        stored = s.get(model, row.id)
        assert getattr(stored, field) != new_value
        assert stored.deleted_at is None


def test_rows_applied_from_head_office_write_no_outbox_entry(db: Database) -> None:
    before = outbox_count(db)
    store_id = new_id()
    stamp = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    with db.begin() as s:
        s.info[APPLYING_REMOTE] = True
        s.add(Store(id=store_id, code="BJ02", name="Remote Store", created_at=stamp,
                    updated_at=stamp, row_version=7))
    with db.begin() as s:
        s.info[APPLYING_REMOTE] = True
        s.get(Store, store_id).name = "Remote Store (renamed)"
        s.get(Store, store_id).row_version = 8
    assert outbox_count(db) == before
    with db.begin() as s:
        row = s.get(Store, store_id)
        assert (row.name, row.row_version, row.created_at) == ("Remote Store (renamed)", 8, stamp)
    # The flag belongs to that session only: the next local change is recorded.
    with db.begin() as s:
        s.get(Store, store_id).city = "Beijing"
    [entry] = entries_for(db, store_id)
    assert (entry.op, entry.base_version, entry.row_version) == (OutboxOp.UPDATE, 8, 9)


# --- ids, time, money --------------------------------------------------------


def test_ids_are_uuid7_and_time_ordered() -> None:
    t0_ms = time.time_ns() // 1_000_000
    ids = [new_id() for _ in range(500)]
    assert all(type(i) is UUID and i.version == 7 for i in ids)
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    first_ms = ids[0].int >> 80
    assert t0_ms <= first_ms < t0_ms + 2000


def test_rows_get_uuid7_ids_in_creation_order(db: Database, store: StoreInfo) -> None:
    made = [add_anchor(db, store, code=f"A{i:03d}") for i in range(5)]
    assert all(i.version == 7 for i in made)
    with db.begin() as s:
        by_id = list(s.scalars(select(Anchor.code).order_by(Anchor.id)))
    assert by_id == [f"A{i:03d}" for i in range(5)]
    assert store.id.version == 7


def test_timestamps_come_back_aware_utc(db: Database, store: StoreInfo) -> None:
    anchor_id = add_anchor(db, store)
    room_id = add_room(db, store)
    local_start = datetime(2026, 11, 25, 20, 0, tzinfo=SHANGHAI)
    with db.begin() as s:
        shift = Shift(store_id=store.id, anchor_id=anchor_id, room_id=room_id, role=ShiftRole.HOST,
                      starts_at=local_start, ends_at=local_start + timedelta(hours=2))
        s.add(shift)
    with db.begin() as s:
        row = s.get(Shift, shift.id)
        s.expire(row)  # force a read from the file, not the identity map
        for value in (row.starts_at, row.ends_at, row.created_at, row.updated_at):
            assert value.tzinfo is not None and value.utcoffset() == timedelta(0)
        assert row.starts_at == local_start
        assert row.starts_at.hour == 12
    raw = sqlite3.connect(db.path)
    try:
        stored = raw.execute("SELECT starts_at FROM shift").fetchone()[0]
    finally:
        raw.close()
    assert stored.startswith("2026-11-25 12:00:00")


def test_naive_datetime_is_refused(db: Database, store: StoreInfo) -> None:
    anchor_id = add_anchor(db, store)
    room_id = add_room(db, store)
    before = outbox_count(db)
    naive = datetime(2026, 11, 25, 20, 0)
    with pytest.raises(StatementError, match="naive datetime"), db.begin() as s:
        s.add(Shift(store_id=store.id, anchor_id=anchor_id, room_id=room_id,
                    role=ShiftRole.HOST, starts_at=naive, ends_at=naive + timedelta(hours=1)))
    assert outbox_count(db) == before
    with db.begin() as s:
        assert s.scalar(select(func.count()).select_from(Shift)) == 0


def test_money_columns_are_integers(db: Database, store: StoreInfo) -> None:
    money = [c for t in Base.metadata.tables.values() for c in t.columns if c.name.endswith("_fen")]
    assert {c.table.name for c in money} >= {"store_product", "queue_item", "metric_snapshot"}
    for column in money:
        assert isinstance(column.type, (Integer, BigInteger)), column
    floats = [c for t in Base.metadata.tables.values() for c in t.columns
              if isinstance(c.type, (Float, Numeric))]
    assert floats == []

    with db.begin() as s:
        product = Product(sku="SKU1", name="Cashmere coat", brand="Erdos", category="coats")
        s.add(product)
        s.flush()
        s.add(StoreProduct(store_id=store.id, product_id=product.id, counter_price_fen=129900))
    with db.begin() as s:
        price = s.scalar(select(StoreProduct.counter_price_fen))
        kind = s.scalar(text("SELECT typeof(counter_price_fen) FROM store_product"))
    assert type(price) is int and price == 129900
    assert kind == "integer"


# --- every synced table ------------------------------------------------------


@pytest.mark.parametrize("model", SYNCED_MODELS, ids=lambda m: m.__tablename__)
def test_synced_table_carries_the_sync_columns(db: Database, model: type[SyncedRow]) -> None:
    # Checked on the migrated file, not only on the model classes.
    columns = {c["name"]: c for c in inspect(db.engine).get_columns(model.__tablename__)}
    for name in ("id", "created_at", "updated_at", "row_version", "deleted_at"):
        assert name in columns, f"{model.__tablename__} lacks {name}"
    assert inspect(db.engine).get_pk_constraint(model.__tablename__)["constrained_columns"] == ["id"]
    # Not an INTEGER PRIMARY KEY: that would be a rowid two stores could both mint.
    assert "INT" not in str(columns["id"]["type"]).upper()
    assert columns["deleted_at"]["nullable"]
    assert not columns["row_version"]["nullable"]
    if model.owner != OWNER_HEAD_OFFICE:
        assert "store_id" in columns, f"store-owned {model.__tablename__} lacks store_id"
        fks = inspect(db.engine).get_foreign_keys(model.__tablename__)
        assert any(fk["constrained_columns"] == ["store_id"] and fk["referred_table"] == "store"
                   for fk in fks)


# --- SQLite set-up -----------------------------------------------------------


def test_sqlite_pragmas(db: Database) -> None:
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0


def test_foreign_key_violation_is_refused(db: Database, store: StoreInfo) -> None:
    before = outbox_count(db)
    with pytest.raises(IntegrityError, match="FOREIGN KEY"), db.begin() as s:
        s.add(Anchor(store_id=new_id(), code="X1", name="Nobody's", affiliation=Affiliation.STAFF))
    assert outbox_count(db) == before
    with db.begin() as s:
        assert s.scalar(select(func.count()).select_from(Anchor)) == 0
