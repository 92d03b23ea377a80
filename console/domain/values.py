"""Immutable values that services hand to the UI and the command line.

Nothing here is an ORM object: a value never lazy-loads, so a widget can
hold one for as long as it likes on the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from uuid import UUID

from console.domain.enums import (
    Affiliation,
    BroadcastStatus,
    Platform,
    QueueItemStatus,
    Role,
    ScriptKind,
    ScriptVersionStatus,
    RequestStatus,
    ShiftRole,
    ShiftStatus,
    TimeOffKind,
)
from console.i18n import Message
from console.rules.on_air import on_air_problems


def format_fen(fen: int) -> str:
    """Money for display: ¥1,299.00 from 129900 fen (never through a float)."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}¥{yuan:,}.{cents:02d}"


@dataclass(frozen=True, slots=True)
class StoreInfo:
    id: UUID
    code: str
    name: str
    group_name: str
    city: str
    timezone: str


@dataclass(frozen=True, slots=True)
class UserChoice:
    """A user as listed on the sign-in screen (no PIN hash leaves the service)."""

    id: UUID
    login: str
    display_name: str
    role: Role


@dataclass(frozen=True, slots=True)
class AnchorRow:
    id: UUID
    code: str
    name: str
    affiliation: Affiliation
    employer_brand: str
    trained_brands: tuple[str, ...]
    trained_categories: tuple[str, ...]
    certification_expires: date | None
    weekly_hours_cap: int
    active: bool


@dataclass(frozen=True, slots=True)
class RoomRow:
    id: UUID
    code: str
    name: str
    platforms: tuple[Platform, ...]
    opens_at: time
    closes_at: time
    active: bool


@dataclass(frozen=True, slots=True)
class ShiftRow:
    id: UUID
    anchor_id: UUID
    anchor_name: str
    room_id: UUID
    room_name: str
    role: ShiftRole
    starts_at: datetime
    ends_at: datetime
    status: ShiftStatus
    broadcast_id: UUID | None
    row_version: int = 1
    # Published, then edited: anchors must be told.
    changed_since_publish: bool = False
    override_reason: str = ""
    # Warnings the rules raise on this shift as it stands (a manager overrode them).
    warnings: tuple[Message, ...] = ()
    anchor_code: str = ""
    room_code: str = ""
    # What the rules now refuse about this booked shift (time off approved over it, its anchor
    # deactivated, its room's hours changed): it needs moving or reassigning. Only shifts not yet over.
    problems: tuple[Message, ...] = ()

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600

    @property
    def needs_attention(self) -> bool:
        return bool(self.problems)


@dataclass(frozen=True, slots=True)
class TimeOffRow:
    id: UUID
    anchor_id: UUID
    anchor_name: str
    kind: TimeOffKind
    starts_at: datetime
    ends_at: datetime
    reason: str
    status: RequestStatus


@dataclass(frozen=True, slots=True)
class SwapRow:
    id: UUID
    shift_id: UUID
    from_anchor_name: str
    to_anchor_id: UUID
    to_anchor_name: str
    shift_starts_at: datetime
    reason: str
    status: RequestStatus


@dataclass(frozen=True, slots=True)
class TemplateRow:
    id: UUID
    name: str
    shift_count: int


@dataclass(frozen=True, slots=True)
class RosterChange:
    """What an edit changed, so a view refreshes only that (Anki's OpChanges)."""

    shifts: tuple[ShiftRow, ...] = ()
    removed_shift_ids: tuple[UUID, ...] = ()
    # Warnings the manager overrode, as messages (labelled "f.csv row 7: ..." for several shifts).
    warnings: tuple[Message, ...] = ()
    # Published shifts taken off the roster, not yet published as removed: off the board
    # (their ids are in removed_shift_ids too), still on the anchors' My shifts, counted for publishing.
    withdrawn: tuple[ShiftRow, ...] = ()


@dataclass(frozen=True, slots=True)
class PlannedShiftVerdict:
    """One shift a copy (of last week, of a template) would add, at its new place, and what the rules say."""

    anchor_id: UUID
    anchor_name: str
    room_id: UUID
    room_name: str
    role: ShiftRole
    starts_at: datetime          # where the copy would go (the target week), not where it came from
    ends_at: datetime
    problems: tuple[Message, ...] = ()    # blocks: this one is not copied
    warnings: tuple[Message, ...] = ()    # copied with a reason

    @property
    def refused(self) -> bool:
        return bool(self.problems)


@dataclass(frozen=True, slots=True)
class CopyPreview:
    """Every shift a copy would add, each with its verdict, before anything is written."""

    items: tuple[PlannedShiftVerdict, ...] = ()

    @property
    def accepted(self) -> tuple[PlannedShiftVerdict, ...]:
        return tuple(i for i in self.items if not i.refused)

    @property
    def refused(self) -> tuple[PlannedShiftVerdict, ...]:
        return tuple(i for i in self.items if i.refused)


@dataclass(frozen=True, slots=True)
class SwapOption:
    """A colleague a shift could be offered to, judged by the roster's rules as if the shift were theirs."""

    anchor: AnchorRow
    problems: tuple[Message, ...] = ()    # the rules refuse: not offered
    warnings: tuple[Message, ...] = ()    # allowed; the manager decides with a reason

    @property
    def free(self) -> bool:
        return not self.problems


@dataclass(frozen=True, slots=True)
class ProductRow:
    id: UUID
    sku: str
    name: str
    brand: str
    category: str
    spec: str
    counter_price_fen: int | None
    stock: int | None
    quality_document_count: int
    has_after_sales_policy: bool    # as console.rules.on_air.has_after_sales_policy judges the text

    @property
    def on_air_problems(self) -> tuple[Message, ...]:
        return on_air_problems(quality_papers=self.quality_document_count, has_policy=self.has_after_sales_policy)

    @property
    def may_go_on_air(self) -> bool:
        return not self.on_air_problems


@dataclass(frozen=True, slots=True)
class BroadcastRow:
    id: UUID
    title: str
    room_name: str
    planned_start: datetime
    planned_end: datetime
    status: BroadcastStatus
    hosts: tuple[str, ...]
    queue_length: int
    brand: str = ""
    category: str = ""


@dataclass(frozen=True, slots=True)
class QueueRow:
    id: UUID
    position: int
    link_number: int
    product_id: UUID
    product_name: str
    brand: str
    live_price_fen: int
    counter_price_fen: int | None
    deal: str
    planned_seconds: int
    status: QueueItemStatus
    may_go_on_air: bool    # from console.rules.on_air


@dataclass(frozen=True, slots=True)
class ScriptRow:
    id: UUID
    title: str
    kind: ScriptKind
    product_name: str
    latest_version: int
    latest_status: ScriptVersionStatus
    approved: bool
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class BroadcastReport:
    broadcast_id: UUID
    title: str
    planned_start: datetime
    planned_seconds: int
    actual_seconds: int | None
    products_presented: int
    products_planned: int
    peak_viewers: int
    orders: int
    gmv_fen: int


@dataclass(frozen=True, slots=True)
class StoreSummary:
    store: StoreInfo
    anchors: int
    rooms: int
    products: int
    products_blocked: int
    upcoming_broadcasts: int
    past_broadcasts: int
    shifts_this_week: int


@dataclass(frozen=True, slots=True)
class SyncStatus:
    enrolled: bool
    server_url: str
    pending_changes: int
    last_success: datetime | None
    last_error: Message | None   # the last sync's problem (None after a clean sync); render with text()
    conflicts: tuple[str, ...] = field(default=())
    store_code: str = ""
    open_conflicts: int = 0      # conflicts and refused changes kept for review


@dataclass(frozen=True, slots=True)
class SyncReviewItem:
    """A change head office did not take as sent: a conflict (another edit won) or a refusal."""

    kind: str                    # "conflict" or "rejected"
    table: str
    row_id: str
    fields: tuple[str, ...]
    attempted: str               # what this store tried, as "field: value" text
    kept: str                    # what head office kept
    recorded_at: datetime | None
    reason: str = ""
    this_console: bool = True
