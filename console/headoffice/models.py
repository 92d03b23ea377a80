"""The head-office database: stores, consoles, users and their sign-ins, and every synced row with its scope version.

Synced rows of all tables live in one generic table keyed by (table, row id):
the service never interprets a row beyond its owner, store and fields, so a
column the console adds needs no migration here. PostgreSQL stores the row
as JSONB, SQLite as JSON text.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Uuid,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from console.domain.enums import StrEnum
from console.storage.ids import new_id
from console.storage.types import UTCDateTime, utcnow

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JSONDocument = JSON().with_variant(JSONB(), "postgresql")

CATALOG_SCOPE = "catalog"
# Who last changed a field, when head office (not a console) did.
HEAD_OFFICE_AUTHOR = "head_office"


def store_scope(store_id: UUID) -> str:
    return f"store:{store_id}"


class HeadOfficeRole(StrEnum):
    ADMIN = "admin"                      # stores, consoles, users
    CATALOG_MANAGER = "catalog_manager"  # catalog and rule packs
    ANALYST = "analyst"                  # reports only


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {
        datetime: UTCDateTime(),
        UUID: Uuid(),
        dict[str, Any]: JSONDocument,
        list[str]: JSONDocument,
    }


class Store(Base):
    """A store of the group; its catalog-scope ``store`` row is kept in step by the admin commands."""

    __tablename__ = "store"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Console(Base):
    """An enrolled console PC; its token is kept only as a SHA-256 hash."""

    __tablename__ = "console"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=new_id)
    store_id: Mapped[UUID] = mapped_column(ForeignKey("store.id"), index=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    enrolled_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    last_seen_at: Mapped[datetime | None] = mapped_column(default=None)


class EnrollmentCode(Base):
    """A one-time code that a store's new console trades for its token."""

    __tablename__ = "enrollment_code"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    store_id: Mapped[UUID] = mapped_column(ForeignKey("store.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)
    console_id: Mapped[UUID | None] = mapped_column(ForeignKey("console.id"), default=None)


class HeadOfficeUser(Base):
    __tablename__ = "head_office_user"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=new_id)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class HeadOfficeUserStore(Base):
    """A store a head-office user may see; a user with no such rows sees every store."""

    __tablename__ = "head_office_user_store"

    user_id: Mapped[UUID] = mapped_column(ForeignKey("head_office_user.id", ondelete="CASCADE"), primary_key=True)
    store_id: Mapped[UUID] = mapped_column(ForeignKey("store.id", ondelete="CASCADE"), primary_key=True)


class HeadOfficeSession(Base):
    """A head-office user's sign-in; like a console token, its token is kept only as a SHA-256 hash."""

    __tablename__ = "head_office_session"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=new_id)
    user_id: Mapped[UUID] = mapped_column(ForeignKey("head_office_user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)   # signed out


class ScopeCounter(Base):
    """The last version handed out in a scope; writers lock this row, so versions follow commit order."""

    __tablename__ = "scope_counter"

    scope_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    # Highest version of a tombstone already removed: a cursor below it has missed a delete.
    purged_through: Mapped[int] = mapped_column(BigInteger, default=0)


class SyncedRow(Base):
    __tablename__ = "synced_row"
    __table_args__ = (
        Index("uq_synced_row_scope_key_version", "scope_key", "version", unique=True),
        Index("ix_synced_row_scope_key_deleted_version", "scope_key", "deleted", "version"),
        Index("ix_synced_row_store_id_table_name", "store_id", "table_name"),
    )

    table_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    row_id: Mapped[UUID] = mapped_column(primary_key=True)
    store_id: Mapped[UUID | None] = mapped_column(default=None)   # None: head-office data
    scope_key: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(BigInteger)
    row_version: Mapped[int] = mapped_column(Integer)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[dict[str, Any]]
    # field -> row version at which it last changed, and who changed it; drives field merges.
    field_versions: Mapped[dict[str, Any]]
    field_authors: Mapped[dict[str, Any]]
    committed_at: Mapped[datetime] = mapped_column(default=utcnow)  # for people; never compared


class AppliedMutation(Base):
    """Every mutation the service has answered: a retry is never applied twice, and a console's
    next edit of the row, made on top of this one, is recognised as such."""

    __tablename__ = "applied_mutation"
    __table_args__ = (Index("ix_applied_mutation_console_id_table_name_row_id", "console_id", "table_name", "row_id"),)

    mutation_id: Mapped[UUID] = mapped_column(primary_key=True)
    console_id: Mapped[UUID] = mapped_column(ForeignKey("console.id"))
    batch_id: Mapped[UUID]
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[UUID]
    # The version the console gave the row, and the last server version its chain of edits started from.
    row_version: Mapped[int] = mapped_column(Integer)
    base_root: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)


class PushBatch(Base):
    """A push answered once; the same batch id from the same console gets these exact bytes back."""

    __tablename__ = "push_batch"

    console_id: Mapped[UUID] = mapped_column(ForeignKey("console.id"), primary_key=True)
    batch_id: Mapped[UUID] = mapped_column(primary_key=True)
    request_digest: Mapped[str] = mapped_column(String(64))
    response: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SyncConflict(Base):
    """A change the server refused because another console changed the same fields first."""

    __tablename__ = "sync_conflict"
    __table_args__ = (Index("uq_sync_conflict_scope_key_version", "scope_key", "version", unique=True),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=new_id)
    store_id: Mapped[UUID] = mapped_column(ForeignKey("store.id"))
    scope_key: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(BigInteger)
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[UUID]
    console_id: Mapped[UUID] = mapped_column(ForeignKey("console.id"))
    mutation_id: Mapped[UUID]
    base_version: Mapped[int] = mapped_column(Integer)
    server_row_version: Mapped[int] = mapped_column(Integer)
    fields: Mapped[list[str]]
    attempted: Mapped[dict[str, Any]]
    kept: Mapped[dict[str, Any]]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    # For the console's review: the row version the kept row went out under (none for a refused new
    # row), each kept field's last author (a console id or head office), and the rows' own stamps.
    kept_row_version: Mapped[int | None] = mapped_column(Integer, default=None)
    kept_by: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument, default=None)
    kept_at: Mapped[str | None] = mapped_column(String(40), default=None)
    attempted_at: Mapped[str | None] = mapped_column(String(40), default=None)


class ConsoleCursor(Base):
    """The version up to which a console has acknowledged a scope; tombstones wait for the slowest."""

    __tablename__ = "console_cursor"

    console_id: Mapped[UUID] = mapped_column(ForeignKey("console.id"), primary_key=True)
    scope_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    acked_version: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- report projections (issue 15; see docs/headoffice-reports.md) --------------------------------
#
# Typed copies of the few fields reports read, kept by console.headoffice.projection in the same
# transaction as every write of a synced row; a tombstoned row leaves its projection. Nothing here is
# ever sent to a console: the generic synced_row stays the one truth, these can be rebuilt from it.


class ReportBroadcast(Base):
    __tablename__ = "report_broadcast"
    __table_args__ = (Index("ix_report_broadcast_store_id_planned_start", "store_id", "planned_start"),)

    id: Mapped[UUID] = mapped_column(primary_key=True)
    store_id: Mapped[UUID]
    room_id: Mapped[UUID | None] = mapped_column(default=None)
    title: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(16))
    planned_start: Mapped[datetime]
    planned_seconds: Mapped[int] = mapped_column(Integer)
    actual_seconds: Mapped[int | None] = mapped_column(Integer, default=None)
    brand: Mapped[str] = mapped_column(String(120), default="")
    category: Mapped[str] = mapped_column(String(120), default="")
    platform_account_ids: Mapped[list[str]]


class ReportQueueItem(Base):
    __tablename__ = "report_queue_item"
    __table_args__ = (Index("ix_report_queue_item_broadcast_id", "broadcast_id"),)

    id: Mapped[UUID] = mapped_column(primary_key=True)
    store_id: Mapped[UUID]
    broadcast_id: Mapped[UUID]
    product_id: Mapped[UUID | None] = mapped_column(default=None)
    position: Mapped[int] = mapped_column(Integer, default=0)
    link_number: Mapped[int] = mapped_column(Integer, default=0)
    planned_seconds: Mapped[int] = mapped_column(Integer, default=0)


class ReportRun(Base):
    __tablename__ = "report_run"
    __table_args__ = (Index("ix_report_run_broadcast_id", "broadcast_id"),)

    id: Mapped[UUID] = mapped_column(primary_key=True)
    store_id: Mapped[UUID]
    broadcast_id: Mapped[UUID]
    rehearsal: Mapped[bool] = mapped_column(Boolean, default=False)


class ReportEvent(Base):
    """An on-air event; ``seconds`` and ``stock`` are read from its payload once, here."""

    __tablename__ = "report_event"
    __table_args__ = (Index("ix_report_event_broadcast_id", "broadcast_id"),)

    id: Mapped[UUID] = mapped_column(primary_key=True)
    store_id: Mapped[UUID]
    broadcast_id: Mapped[UUID]
    run_id: Mapped[UUID | None] = mapped_column(default=None)
    queue_item_id: Mapped[UUID | None] = mapped_column(default=None)
    kind: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]
    seq: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[int | None] = mapped_column(Integer, default=None)
    stock: Mapped[int | None] = mapped_column(Integer, default=None)


class ReportSnapshot(Base):
    __tablename__ = "report_snapshot"
    __table_args__ = (Index("ix_report_snapshot_broadcast_id", "broadcast_id"),)

    id: Mapped[UUID] = mapped_column(primary_key=True)
    store_id: Mapped[UUID]
    broadcast_id: Mapped[UUID]
    run_id: Mapped[UUID | None] = mapped_column(default=None)
    at: Mapped[datetime]
    viewers: Mapped[int] = mapped_column(BigInteger, default=0)
    orders: Mapped[int] = mapped_column(BigInteger, default=0)
    gmv_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class ReportHost(Base):
    """A live host or co-host shift on a broadcast (withdrawn and tombstoned shifts are not here)."""

    __tablename__ = "report_host"
    __table_args__ = (Index("ix_report_host_broadcast_id", "broadcast_id"),)

    shift_id: Mapped[UUID] = mapped_column(primary_key=True)
    store_id: Mapped[UUID]
    broadcast_id: Mapped[UUID]
    anchor_id: Mapped[UUID]


class ReportStale(Base):
    """Broadcasts whose rollups the current transaction must recompute (empty between transactions)."""

    __tablename__ = "report_stale"

    broadcast_id: Mapped[UUID] = mapped_column(primary_key=True)


class ReportShow(Base):
    """One broadcast's figures from its events and snapshots (docs/reports.md), computed in SQL."""

    __tablename__ = "report_show"

    broadcast_id: Mapped[UUID] = mapped_column(primary_key=True)
    products_planned: Mapped[int] = mapped_column(Integer)
    products_explained: Mapped[int] = mapped_column(Integer)
    peak_viewers: Mapped[int] = mapped_column(BigInteger)
    viewer_sum: Mapped[int] = mapped_column(BigInteger)
    readings: Mapped[int] = mapped_column(BigInteger)
    orders: Mapped[int] = mapped_column(BigInteger)
    gmv_fen: Mapped[int] = mapped_column(BigInteger)
    sold_out_times: Mapped[int] = mapped_column(Integer)


class ReportItem(Base):
    """One queue item's figures: what the product sold while it was on air."""

    __tablename__ = "report_item"
    __table_args__ = (Index("ix_report_item_broadcast_id", "broadcast_id"),
                      Index("ix_report_item_product_id", "product_id"))

    queue_item_id: Mapped[UUID] = mapped_column(primary_key=True)
    broadcast_id: Mapped[UUID]
    product_id: Mapped[UUID | None] = mapped_column(default=None)
    planned_seconds: Mapped[int] = mapped_column(Integer)
    explained: Mapped[int] = mapped_column(Integer)
    actual_seconds: Mapped[int] = mapped_column(BigInteger)
    peak_viewers: Mapped[int] = mapped_column(BigInteger)
    viewer_sum: Mapped[int] = mapped_column(BigInteger)
    readings: Mapped[int] = mapped_column(BigInteger)
    orders: Mapped[int] = mapped_column(BigInteger)
    gmv_fen: Mapped[int] = mapped_column(BigInteger)
    sold_out_times: Mapped[int] = mapped_column(Integer)
    # 1 on one queue item of each product in a broadcast, 0 on its others: summed over a product's items it
    # counts the broadcasts that queued it, without a count(DISTINCT) (a sort of every item) at report time.
    first_in_show: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
