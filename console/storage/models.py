"""The local store's tables: every synced table follows the brief's data rules.

Synced tables share :class:`SyncedRow` (UUIDv7 key, UTC timestamps, row
version, tombstone). Who owns a table decides how sync treats it:
``OWNER_STORE`` rows carry ``store_id`` and are written by the store,
``OWNER_HEAD_OFFICE`` rows come down from head office, ``OWNER_APPEND``
rows are append-only facts (events, metrics, audit) that are never updated.
The outbox entry for each change is written by :mod:`console.storage.outbox`
inside the same flush, so no caller can forget it.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from typing import Any, ClassVar
from uuid import UUID, uuid5

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    Uuid,
    event,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from console.domain.enums import (
    Affiliation,
    AuditVia,
    BroadcastStatus,
    OnAirEventKind,
    OutboxOp,
    Platform,
    QualityDocumentKind,
    QueueItemStatus,
    RequestStatus,
    Role,
    ScriptKind,
    ScriptSegment,
    ScriptVersionStatus,
    ShiftRole,
    ShiftStatus,
    TimeOffKind,
)
from console.domain.search import search_key as product_search_key
from console.storage.ids import new_id
from console.storage.types import UTCDateTime, enum_type, utcnow

OWNER_STORE = "store"
OWNER_HEAD_OFFICE = "head_office"
OWNER_APPEND = "append"

# Stable constraint names so Alembic batch migrations on SQLite can find them.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {
        datetime: UTCDateTime(),
        UUID: Uuid(),
        date: Date(),
        time: Time(),
        dict[str, Any]: JSON(),
        list[str]: JSON(),
        list[dict[str, Any]]: JSON(),
    }


def _enum_map(*enums: type[enum.Enum]) -> None:
    # Every enum annotation becomes a portable by-value column type.
    for enum_cls in enums:
        Base.registry.update_type_annotation_map({enum_cls: enum_type(enum_cls)})


_enum_map(
    Affiliation, AuditVia, BroadcastStatus, OnAirEventKind, OutboxOp, Platform,
    QualityDocumentKind, QueueItemStatus, RequestStatus, Role, ScriptKind,
    ScriptSegment, ScriptVersionStatus, ShiftRole, ShiftStatus, TimeOffKind,
)


class SyncedRow(Base):
    """Columns every synced table carries."""

    __abstract__ = True
    owner: ClassVar[str] = OWNER_STORE

    id: Mapped[UUID] = mapped_column(primary_key=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    row_version: Mapped[int] = mapped_column(Integer, default=1)
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class StoreScoped:
    """Mixin for rows that belong to one store."""

    @declared_attr
    def store_id(cls) -> Mapped[UUID]:
        return mapped_column(ForeignKey("store.id"), index=True)


# --- head-office data -------------------------------------------------------


class Store(SyncedRow):
    __tablename__ = "store"
    owner: ClassVar[str] = OWNER_HEAD_OFFICE

    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    group_name: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")


class Product(SyncedRow):
    """A catalog product, owned by head office."""

    __tablename__ = "product"
    owner: ClassVar[str] = OWNER_HEAD_OFFICE
    # The barcode index: a scanner at the queue editor finds its product at once.
    __table_args__ = (Index("ix_product_brand_category", "brand", "category"), Index("ix_product_barcode", "barcode"))

    sku: Mapped[str] = mapped_column(String(64), unique=True)
    barcode: Mapped[str] = mapped_column(String(64), default="")
    name: Mapped[str] = mapped_column(String(300), index=True)
    brand: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(120))
    spec: Mapped[str] = mapped_column(String(200), default="")
    origin: Mapped[str] = mapped_column(String(120), default="")
    unit: Mapped[str] = mapped_column(String(16), default="件")
    # Empty means no after-sales policy: the on-air gate refuses such a product.
    after_sales_policy: Mapped[str] = mapped_column(Text, default="")
    # Pictures of the product: file names under the data folder's media/ (shown as thumbnails).
    image_refs: Mapped[list[str]] = mapped_column(default=list)
    # Full pinyin and pinyin initials of brand and name, for as-you-type search;
    # kept in step with them by the listeners below, never set by hand.
    search_key: Mapped[str] = mapped_column(String(600), default="")


# On the attribute, not in a flush hook: the key is on the object before any
# flush, so the outbox's before_flush already sends the row with it.
@event.listens_for(Product.name, "set")
def _product_renamed(product: Product, name: str | None, _old: Any, _initiator: Any) -> None:
    product.search_key = product_search_key(name or "", product.brand or "")


@event.listens_for(Product.brand, "set")
def _product_rebranded(product: Product, brand: str | None, _old: Any, _initiator: Any) -> None:
    product.search_key = product_search_key(product.name or "", brand or "")


class QualityDocument(SyncedRow):
    """A quality paper for a product: inspection report, 3C, filing ..."""

    __tablename__ = "quality_document"
    owner: ClassVar[str] = OWNER_HEAD_OFFICE

    product_id: Mapped[UUID] = mapped_column(ForeignKey("product.id"), index=True)
    kind: Mapped[QualityDocumentKind]
    number: Mapped[str] = mapped_column(String(120))
    issuer: Mapped[str] = mapped_column(String(200), default="")
    valid_until: Mapped[date | None] = mapped_column(default=None)
    file_ref: Mapped[str] = mapped_column(String(500), default="")


class RulePack(SyncedRow):
    """A versioned compliance rule pack issued by head office."""

    __tablename__ = "rule_pack"
    owner: ClassVar[str] = OWNER_HEAD_OFFICE
    __table_args__ = (UniqueConstraint("name", "version"),)

    name: Mapped[str] = mapped_column(String(120))
    version: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    rules: Mapped[dict[str, Any]] = mapped_column(default=dict)


# --- store-owned data -------------------------------------------------------


class LiveRoom(StoreScoped, SyncedRow):
    __tablename__ = "live_room"
    __table_args__ = (UniqueConstraint("store_id", "code"),)

    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(120))
    platforms: Mapped[list[str]] = mapped_column(default=list)
    opens_at: Mapped[time] = mapped_column(default=time(9, 0))
    closes_at: Mapped[time] = mapped_column(default=time(23, 0))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class PlatformAccount(StoreScoped, SyncedRow):
    __tablename__ = "platform_account"

    platform: Mapped[Platform]
    handle: Mapped[str] = mapped_column(String(120))
    display_name: Mapped[str] = mapped_column(String(200))
    room_id: Mapped[UUID | None] = mapped_column(ForeignKey("live_room.id"), default=None)


class Anchor(StoreScoped, SyncedRow):
    """A person on the roster: hosts and co-hosts, and room controllers (场控) too,
    since every shift names the person who works it."""

    __tablename__ = "anchor"
    __table_args__ = (UniqueConstraint("store_id", "code"),)

    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(120))
    affiliation: Mapped[Affiliation]
    # For brand counter staff: the brand that employs them.
    employer_brand: Mapped[str] = mapped_column(String(120), default="")
    trained_brands: Mapped[list[str]] = mapped_column(default=list)
    trained_categories: Mapped[list[str]] = mapped_column(default=list)
    certification_expires: Mapped[date | None] = mapped_column(default=None)
    weekly_hours_cap: Mapped[int] = mapped_column(Integer, default=44)
    phone: Mapped[str] = mapped_column(String(32), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class User(SyncedRow):
    """Someone who signs in; head-office users have no store."""

    __tablename__ = "user_account"
    __table_args__ = (UniqueConstraint("store_id", "login"),)

    store_id: Mapped[UUID | None] = mapped_column(ForeignKey("store.id"), index=True)
    login: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role]
    pin_hash: Mapped[str] = mapped_column(String(200))
    anchor_id: Mapped[UUID | None] = mapped_column(ForeignKey("anchor.id"), default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Shift(StoreScoped, SyncedRow):
    __tablename__ = "shift"
    __table_args__ = (
        Index("ix_shift_store_id_starts_at", "store_id", "starts_at"),
        Index("ix_shift_anchor_id_starts_at", "anchor_id", "starts_at"),
        Index("ix_shift_room_id_starts_at", "room_id", "starts_at"),
    )

    anchor_id: Mapped[UUID] = mapped_column(ForeignKey("anchor.id"))
    room_id: Mapped[UUID] = mapped_column(ForeignKey("live_room.id"))
    role: Mapped[ShiftRole]
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    broadcast_id: Mapped[UUID | None] = mapped_column(ForeignKey("broadcast.id"), default=None)
    status: Mapped[ShiftStatus] = mapped_column(default=ShiftStatus.DRAFT)
    # Row version at the last publish; a published shift edited since shows as changed.
    published_version: Mapped[int | None] = mapped_column(Integer, default=None)
    override_reason: Mapped[str] = mapped_column(Text, default="")


class TimeOff(StoreScoped, SyncedRow):
    __tablename__ = "time_off"
    __table_args__ = (Index("ix_time_off_anchor_id_starts_at", "anchor_id", "starts_at"),)

    anchor_id: Mapped[UUID] = mapped_column(ForeignKey("anchor.id"))
    kind: Mapped[TimeOffKind]
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[RequestStatus] = mapped_column(default=RequestStatus.REQUESTED)
    decided_by: Mapped[UUID | None] = mapped_column(ForeignKey("user_account.id"), default=None)


class ShiftSwap(StoreScoped, SyncedRow):
    """An anchor asks to hand a published shift to a colleague; a manager decides."""

    __tablename__ = "shift_swap"

    shift_id: Mapped[UUID] = mapped_column(ForeignKey("shift.id"), index=True)
    from_anchor_id: Mapped[UUID] = mapped_column(ForeignKey("anchor.id"))
    to_anchor_id: Mapped[UUID] = mapped_column(ForeignKey("anchor.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[RequestStatus] = mapped_column(default=RequestStatus.REQUESTED)
    requested_by: Mapped[UUID | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    decided_by: Mapped[UUID | None] = mapped_column(ForeignKey("user_account.id"), default=None)


class ShiftTemplate(StoreScoped, SyncedRow):
    """A reusable week: shifts by weekday and local clock time."""

    __tablename__ = "shift_template"
    __table_args__ = (UniqueConstraint("store_id", "name"),)

    name: Mapped[str] = mapped_column(String(120))
    # [{"weekday": 0-6, "anchor_id", "room_id", "role", "start": "HH:MM", "minutes": int}]
    items: Mapped[list[dict[str, Any]]] = mapped_column(default=list)


class StoreProduct(StoreScoped, SyncedRow):
    """The store's own stock level and counter price for a catalog product."""

    __tablename__ = "store_product"
    __table_args__ = (UniqueConstraint("store_id", "product_id"),)

    product_id: Mapped[UUID] = mapped_column(ForeignKey("product.id"), index=True)
    counter_price_fen: Mapped[int] = mapped_column(BigInteger)
    # Where the counter price can be shown to be real (price tag photo, POS record).
    counter_price_evidence: Mapped[str] = mapped_column(String(500), default="")
    stock: Mapped[int] = mapped_column(Integer, default=0)


class Broadcast(StoreScoped, SyncedRow):
    __tablename__ = "broadcast"
    __table_args__ = (Index("ix_broadcast_store_id_planned_start", "store_id", "planned_start"),)

    room_id: Mapped[UUID] = mapped_column(ForeignKey("live_room.id"))
    title: Mapped[str] = mapped_column(String(200))
    platform_account_ids: Mapped[list[str]] = mapped_column(default=list)
    planned_start: Mapped[datetime]
    planned_end: Mapped[datetime]
    actual_start: Mapped[datetime | None] = mapped_column(default=None)
    actual_end: Mapped[datetime | None] = mapped_column(default=None)
    status: Mapped[BroadcastStatus] = mapped_column(default=BroadcastStatus.PLANNED)
    # Brand and category the show is about; the roster checks anchors are trained for them.
    brand: Mapped[str] = mapped_column(String(120), default="")
    category: Mapped[str] = mapped_column(String(120), default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class QueueItem(StoreScoped, SyncedRow):
    """One product on a broadcast's run-of-show."""

    __tablename__ = "queue_item"
    __table_args__ = (
        Index("ix_queue_item_broadcast_id_position", "broadcast_id", "position"),
        # The number viewers hear names one product per show; a removed item frees it.
        Index("uq_queue_item_broadcast_id_link_number", "broadcast_id", "link_number", unique=True,
              sqlite_where=text("deleted_at IS NULL"), postgresql_where=text("deleted_at IS NULL")),
    )

    broadcast_id: Mapped[UUID] = mapped_column(ForeignKey("broadcast.id"))
    product_id: Mapped[UUID] = mapped_column(ForeignKey("product.id"))
    position: Mapped[int] = mapped_column(Integer)
    link_number: Mapped[int] = mapped_column(Integer)
    live_price_fen: Mapped[int] = mapped_column(BigInteger)
    deal: Mapped[str] = mapped_column(String(300), default="")
    planned_seconds: Mapped[int] = mapped_column(Integer, default=180)
    stock_allocated: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[QueueItemStatus] = mapped_column(default=QueueItemStatus.PENDING)
    # A pinned link number stays when the queue is reordered; the others follow the order.
    link_pinned: Mapped[bool] = mapped_column(Boolean, default=False)


class ProductSet(StoreScoped, SyncedRow):
    """A reusable list of products (up to 100), to fill a queue in one go."""

    __tablename__ = "product_set"
    __table_args__ = (UniqueConstraint("store_id", "name"),)

    name: Mapped[str] = mapped_column(String(120))
    # The products in their order, as UUID strings.
    product_ids: Mapped[list[str]] = mapped_column(default=list)


class StoreRules(StoreScoped, SyncedRow):
    """The limits the roster rules judge a store's shifts by: one row a store, synced, so every console
    of the store applies the same rules.

    Its id is derived from the store's (:func:`store_rules_id`), so two consoles that first set the
    limits offline write the same row, and head office merges or settles their edits field by field.
    """

    __tablename__ = "store_rules"
    __table_args__ = (UniqueConstraint("store_id"),)

    min_rest_minutes: Mapped[int] = mapped_column(Integer, default=11 * 60)
    max_on_air_minutes_per_day: Mapped[int] = mapped_column(Integer, default=240)
    max_on_air_minutes_in_a_row: Mapped[int] = mapped_column(Integer, default=120)
    min_voice_rest_minutes: Mapped[int] = mapped_column(Integer, default=15)
    max_days_in_a_row: Mapped[int] = mapped_column(Integer, default=6)


_STORE_RULES_NAMESPACE = UUID("6f1c7a52-3b7e-4d0a-9a51-2d6f0c1e7b30")


def store_rules_id(store_id: UUID) -> UUID:
    """The id of a store's :class:`StoreRules` row, the same on every console of the store."""
    return uuid5(_STORE_RULES_NAMESPACE, str(store_id))


class PriceHistory(StoreScoped, SyncedRow):
    """Every change of a store's counter price, with when: the evidence for the 7-day reference price rule."""

    __tablename__ = "price_history"
    owner: ClassVar[str] = OWNER_APPEND
    __table_args__ = (Index("ix_price_history_store_id_product_id_at", "store_id", "product_id", "at"),)

    product_id: Mapped[UUID] = mapped_column(ForeignKey("product.id"))
    counter_price_fen: Mapped[int] = mapped_column(BigInteger)
    evidence: Mapped[str] = mapped_column(String(500), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Script(StoreScoped, SyncedRow):
    __tablename__ = "script"

    kind: Mapped[ScriptKind]
    title: Mapped[str] = mapped_column(String(200))
    product_id: Mapped[UUID | None] = mapped_column(ForeignKey("product.id"), default=None)
    broadcast_id: Mapped[UUID | None] = mapped_column(ForeignKey("broadcast.id"), default=None)
    # The approved version the prompter shows; None until one is approved.
    approved_version_id: Mapped[UUID | None] = mapped_column(
        # Script and version point at each other; check at commit, not per row.
        ForeignKey("script_version.id", use_alter=True, deferrable=True, initially="DEFERRED"),
        default=None)
    # A segment script's place in the show; None for product scripts.
    segment: Mapped[ScriptSegment | None] = mapped_column(default=None)
    # The template it was written from (console.domain.script_templates), "" when written from scratch.
    template: Mapped[str] = mapped_column(String(64), default="")


class ScriptVersion(StoreScoped, SyncedRow):
    __tablename__ = "script_version"
    __table_args__ = (UniqueConstraint("script_id", "number"),)

    script_id: Mapped[UUID] = mapped_column(ForeignKey("script.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[UUID | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    status: Mapped[ScriptVersionStatus] = mapped_column(default=ScriptVersionStatus.DRAFT)
    decided_by: Mapped[UUID | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    rule_pack_version: Mapped[int | None] = mapped_column(Integer, default=None)
    submitted_by: Mapped[UUID | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)
    # What the approver or rejecter said; a rejection always says why.
    decision_comment: Mapped[str] = mapped_column(Text, default="")
    # Set when a store manager approved over block findings: the reason, also in the audit log.
    override_reason: Mapped[str] = mapped_column(Text, default="")
    # The rule pack (``name@version``) the decision was checked against.
    rule_pack: Mapped[str] = mapped_column(String(160), default="")


class ScriptCheck(StoreScoped, SyncedRow):
    """A script version checked against one rule pack: written once, never changed.

    The id is derived from (version, pack) rather than drawn: every console of
    the store re-checks approved versions when a new pack comes down, and the
    same check made twice must be one row (head office answers the second
    push as a duplicate), not two facts or a conflict.
    """

    __tablename__ = "script_check"
    owner: ClassVar[str] = OWNER_APPEND

    script_version_id: Mapped[UUID] = mapped_column(ForeignKey("script_version.id"), index=True)
    rule_pack: Mapped[str] = mapped_column(String(160))
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Why it was checked: "submit", "approve", "recheck" (a new pack arrived).
    reason: Mapped[str] = mapped_column(String(16), default="")
    blocks: Mapped[int] = mapped_column(Integer, default=0)
    warns: Mapped[int] = mapped_column(Integer, default=0)
    findings: Mapped[list[dict[str, Any]]] = mapped_column(default=list)


# --- append-only facts ------------------------------------------------------


class ShowRun(StoreScoped, SyncedRow):
    """One run of a broadcast on air: the show itself, or a rehearsal of it.

    Open (``ended_at`` null) while it runs; a room holds one open run at a
    time. Its events and metrics name it, so that a rehearsal's never count
    as the show's.
    """

    __tablename__ = "show_run"
    __table_args__ = (Index("ix_show_run_room_id_ended_at", "room_id", "ended_at"),
                      Index("ix_show_run_broadcast_id", "broadcast_id"))

    broadcast_id: Mapped[UUID] = mapped_column(ForeignKey("broadcast.id"))
    room_id: Mapped[UUID] = mapped_column(ForeignKey("live_room.id"))
    rehearsal: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
    started_by: Mapped[UUID | None] = mapped_column(ForeignKey("user_account.id"), default=None)


class OnAirEvent(StoreScoped, SyncedRow):
    """Something that happened on air; written once, never changed."""

    __tablename__ = "onair_event"
    owner: ClassVar[str] = OWNER_APPEND
    __table_args__ = (
        Index("ix_onair_event_broadcast_id_at", "broadcast_id", "at"),
        UniqueConstraint("broadcast_id", "seq"),
    )

    broadcast_id: Mapped[UUID] = mapped_column(ForeignKey("broadcast.id"))
    # The run it happened in; None on events recorded before runs were kept (the demo's past shows).
    run_id: Mapped[UUID | None] = mapped_column(ForeignKey("show_run.id"), default=None)
    queue_item_id: Mapped[UUID | None] = mapped_column(ForeignKey("queue_item.id"), default=None)
    kind: Mapped[OnAirEventKind]
    at: Mapped[datetime]
    # Per-broadcast sequence: the order keys were pressed, whatever the clock says.
    seq: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[UUID | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)


class MetricSnapshot(StoreScoped, SyncedRow):
    __tablename__ = "metric_snapshot"
    owner: ClassVar[str] = OWNER_APPEND
    __table_args__ = (UniqueConstraint("broadcast_id", "at"),)

    broadcast_id: Mapped[UUID] = mapped_column(ForeignKey("broadcast.id"))
    run_id: Mapped[UUID | None] = mapped_column(ForeignKey("show_run.id"), default=None)
    at: Mapped[datetime]
    # As the platform shows them: views, likes, orders and GMV are running totals; viewers is "now".
    views: Mapped[int] = mapped_column(Integer, default=0)
    viewers: Mapped[int] = mapped_column(Integer, default=0)
    likes: Mapped[int] = mapped_column(Integer, default=0)
    orders: Mapped[int] = mapped_column(Integer, default=0)
    gmv_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class AuditLog(StoreScoped, SyncedRow):
    __tablename__ = "audit_log"
    owner: ClassVar[str] = OWNER_APPEND
    __table_args__ = (Index("ix_audit_log_store_id_at", "store_id", "at"),)

    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[UUID | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    via: Mapped[AuditVia]
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64), default="")
    entity_id: Mapped[UUID | None] = mapped_column(default=None)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


# --- local only -------------------------------------------------------------


class Outbox(Base):
    """A local change waiting to be pushed to head office, in commit order."""

    __tablename__ = "outbox"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    mutation_id: Mapped[UUID] = mapped_column(unique=True, default=new_id)
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[UUID] = mapped_column(index=True)
    op: Mapped[OutboxOp]
    # Version the change was made on top of (0 for an insert) and the version it made.
    base_version: Mapped[int] = mapped_column(Integer)
    row_version: Mapped[int] = mapped_column(Integer)
    changed_fields: Mapped[list[str]] = mapped_column(default=list)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ChangeLog(Base):
    """What each commit changed, for the consoles and command lines on the same data folder.

    Written in the committing transaction by :mod:`console.storage.changes`;
    another process's watcher reads what it has not seen yet and tells its
    screens. Old entries are trimmed: it is a notice board, not a history.
    """

    __tablename__ = "change_log"
    # Never reuse a number, even after trimming to nothing: watchers remember the last one they read.
    __table_args__ = {"sqlite_autoincrement": True}

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    writer: Mapped[str] = mapped_column(String(32))          # which open Database wrote it
    origin: Mapped[str] = mapped_column(String(8))           # "edit", or "sync" for pulled rows
    table_name: Mapped[str] = mapped_column(String(64))
    # The rows' ids as a JSON list; None when they are not known one by one (bulk work, too many).
    row_ids: Mapped[list[str] | None] = mapped_column(default=None)
    kind: Mapped[str] = mapped_column(String(8))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class LocalSetting(Base):
    """Facts about this console's database: which store it is, sync cursors."""

    __tablename__ = "local_setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class SnapshotStage(Base):
    """Pages of a snapshot being loaded, kept until the whole snapshot is applied in one transaction.

    A long initial load (100,000 products) that stops (a crash, a lost network, the person's
    Cancel) goes on from its last page rather than starting again; the tables the console shows
    are only written once every page is here. Local to this console, never synced.
    """

    __tablename__ = "snapshot_stage"

    page: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scope: Mapped[str] = mapped_column(String(16), index=True)
    watermark: Mapped[int] = mapped_column(Integer)
    next_after: Mapped[int] = mapped_column(Integer)
    has_more: Mapped[bool] = mapped_column(Boolean)
    total: Mapped[int | None] = mapped_column(Integer, default=None)
    row_count: Mapped[int] = mapped_column(Integer)
    rows: Mapped[str] = mapped_column(Text)     # the page's rows, as head office sent them (JSON)


SYNCED_MODELS: tuple[type[SyncedRow], ...] = (
    Store, Product, QualityDocument, RulePack, LiveRoom, PlatformAccount, Anchor, User,
    Shift, TimeOff, ShiftSwap, ShiftTemplate, StoreRules, StoreProduct, PriceHistory, Broadcast, QueueItem, ProductSet,
    Script, ScriptVersion, ScriptCheck, ShowRun, OnAirEvent, MetricSnapshot, AuditLog,
)
MODEL_BY_TABLE: dict[str, type[SyncedRow]] = {m.__tablename__: m for m in SYNCED_MODELS}
