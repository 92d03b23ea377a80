"""Immutable values that services hand to the UI and the command line.

Nothing here is an ORM object: a value never lazy-loads, so a widget can
hold one for as long as it likes on the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from uuid import UUID

from console.domain.enums import (
    Affiliation,
    BroadcastStatus,
    Platform,
    QualityDocumentKind,
    QueueItemStatus,
    Role,
    ScriptKind,
    ScriptSegment,
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
    # What an edit of this row did elsewhere, for the screen to say: ready broadcasts the new
    # price or stock broke, returned to planned, each with why (CatalogService.set_store_price).
    notices: tuple[Message, ...] = ()
    barcode: str = ""

    @property
    def on_air_problems(self) -> tuple[Message, ...]:
        return on_air_problems(quality_papers=self.quality_document_count, has_policy=self.has_after_sales_policy)

    @property
    def may_go_on_air(self) -> bool:
        return not self.on_air_problems


# A quality paper this close to its end is flagged on the Products screen, in time to renew it.
PAPER_EXPIRING_DAYS = 30


@dataclass(frozen=True, slots=True)
class QualityPaper:
    """One quality document of a product, as the Products screen lists it."""

    id: UUID
    kind: QualityDocumentKind
    number: str
    issuer: str
    valid_until: date | None        # None: no end date (a filing, a licence without one)
    file_ref: str

    def expired(self, today: date) -> bool:
        return self.valid_until is not None and self.valid_until < today

    def expiring_soon(self, today: date) -> bool:
        """Still valid, but for at most :data:`PAPER_EXPIRING_DAYS` more days."""
        return (self.valid_until is not None and not self.expired(today)
                and (self.valid_until - today).days <= PAPER_EXPIRING_DAYS)


@dataclass(frozen=True, slots=True)
class ProductImage:
    """A picture of a product: its name in ``Product.image_refs`` and where the file should be."""

    name: str
    path: Path | None               # under the data folder's media/; None when the name points outside it


@dataclass(frozen=True, slots=True)
class ProductDetail:
    """Everything the Products screen shows of one product, read in one unit of work."""

    row: ProductRow
    barcode: str
    origin: str
    unit: str
    after_sales_policy: str
    counter_price_evidence: str
    papers: tuple[QualityPaper, ...]
    images: tuple[ProductImage, ...]
    withdrawn: bool                 # head office withdrew it: out of search, held back from every queue


@dataclass(frozen=True, slots=True)
class CatalogAccess:
    """What this console and person may change in the catalog, so a screen offers only that."""

    from_head_office: bool          # enrolled: the catalog is head office's and read-only here
    may_import: bool                # may import a spreadsheet (of stock and prices only, when enrolled)
    may_edit_store_prices: bool     # this store's stock and counter prices
    may_edit_catalog: bool = False  # the products themselves (pictures too): not enrolled, EDIT_CATALOG


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
    # The ready-gate's findings on this item (console.rules.ready), each naming its link:
    # blocks stop the broadcast from being marked ready, warnings do not.
    problems: tuple[Message, ...] = ()
    warnings: tuple[Message, ...] = ()

    @property
    def blocked(self) -> bool:
        return bool(self.problems)


@dataclass(frozen=True, slots=True)
class ItemReadiness:
    """The ready-gate's findings on one queue item."""

    queue_item_id: UUID
    link_number: int
    problems: tuple[Message, ...] = ()    # blocks
    warnings: tuple[Message, ...] = ()


@dataclass(frozen=True, slots=True)
class ReadyCheck:
    """What the ready-gate says of a broadcast: each item's findings and the queue's own."""

    broadcast_id: UUID
    title: str
    items: tuple[ItemReadiness, ...] = ()         # in queue order
    show_problems: tuple[Message, ...] = ()       # the queue as a whole (it is empty)
    show_warnings: tuple[Message, ...] = ()       # (it is planned longer than the window)
    status: BroadcastStatus = BroadcastStatus.PLANNED

    @property
    def problems(self) -> tuple[Message, ...]:
        """Every block: the queue's, then the items' by link number."""
        by_link = sorted(self.items, key=lambda i: i.link_number)
        return (*self.show_problems, *(m for i in by_link for m in i.problems))

    @property
    def warnings(self) -> tuple[Message, ...]:
        by_link = sorted(self.items, key=lambda i: i.link_number)
        return (*self.show_warnings, *(m for i in by_link for m in i.warnings))

    @property
    def ready(self) -> bool:
        """Whether the broadcast may be marked ready: warnings do not stop it."""
        return not self.problems


@dataclass(frozen=True, slots=True)
class PricePoint:
    """One change of a store's counter price, kept as evidence of what was asked when."""

    at: datetime
    counter_price_fen: int
    evidence: str = ""


# --- the queue editor (console.services.queue) ----------------------------------------------


@dataclass(frozen=True, slots=True)
class QueueTerms:
    """What one queue item is sold on: what ``QueueService.set_terms`` takes, and what an edit keeps to undo."""

    item_id: UUID
    live_price_fen: int
    deal: str                       # free text as the host says it: coupon, flash sale, gift
    planned_seconds: int
    stock_allocated: int            # stock at the start of the show


@dataclass(frozen=True, slots=True)
class LinkPin:
    """Whether an item's link number is pinned, and to which number (None: it follows the order)."""

    item_id: UUID
    number: int | None


@dataclass(frozen=True, slots=True)
class RemovedQueueItem:
    """What ``QueueService.restore`` needs to put a removed item back where it was."""

    item_id: UUID
    index: int                      # its place in the queue when removed, 0 first
    pinned_number: int | None       # its pinned link number, None if it followed the order


@dataclass(frozen=True, slots=True)
class QueueLine:
    """One product on a broadcast's queue, as the queue editor shows and edits it."""

    id: UUID
    index: int                      # 0 first; the order of the run-of-show
    link_number: int
    link_pinned: bool
    product_id: UUID
    sku: str
    barcode: str
    product_name: str
    brand: str
    spec: str
    live_price_fen: int
    counter_price_fen: int | None   # the store's, None when it has set none
    store_stock: int | None
    deal: str
    planned_seconds: int
    stock_allocated: int
    status: QueueItemStatus
    withdrawn: bool                 # head office withdrew the product since it was queued
    on_air_problems: tuple[Message, ...] = ()   # console.rules.on_air, in the order to fix them

    @property
    def may_go_on_air(self) -> bool:
        return not self.on_air_problems and not self.withdrawn

    @property
    def terms(self) -> QueueTerms:
        return QueueTerms(item_id=self.id, live_price_fen=self.live_price_fen, deal=self.deal,
                          planned_seconds=self.planned_seconds, stock_allocated=self.stock_allocated)

    @property
    def pin(self) -> LinkPin:
        return LinkPin(self.id, self.link_number if self.link_pinned else None)


@dataclass(frozen=True, slots=True)
class QueueTiming:
    """The queue's planned time against the broadcast's window: the running total the editor shows."""

    planned_seconds: int
    window_seconds: int

    @property
    def over_seconds(self) -> int:
        """How much longer the queue is than the window (0 when it fits)."""
        return max(0, self.planned_seconds - self.window_seconds)

    @property
    def spare_seconds(self) -> int:
        return max(0, self.window_seconds - self.planned_seconds)

    @property
    def fits(self) -> bool:
        return self.planned_seconds <= self.window_seconds


@dataclass(frozen=True, slots=True)
class QueueChange:
    """What a queue edit did: the queue as it is now, and what the edit's inverse call needs.

    Each edit is undone by one service call (see :mod:`console.services.queue`):
    ``remove(added_ids)``, ``restore(removed)``, ``reorder(order_before)``,
    ``set_terms(terms_before)``, ``set_pins(pins_before)``.
    """

    broadcast_id: UUID
    rows: tuple[QueueLine, ...]     # the whole queue after the edit, in order
    timing: QueueTiming
    status: BroadcastStatus         # after the edit: a ready broadcast the edit broke is planned again
    changed_ids: tuple[UUID, ...] = ()          # rows the edit wrote (added, moved, renumbered, edited)
    added_ids: tuple[UUID, ...] = ()
    removed: tuple[RemovedQueueItem, ...] = ()
    order_before: tuple[UUID, ...] = ()         # the order before a move (empty when the order stayed)
    terms_before: tuple[QueueTerms, ...] = ()
    pins_before: tuple[LinkPin, ...] = ()
    notices: tuple[Message, ...] = ()           # what the edit left out or changed on its own, and why
    unready: Message | None = None              # why the broadcast is no longer ready, if the edit broke it
    readiness: ReadyCheck | None = None         # the ready-gate on each item and the queue, after the edit

    @property
    def removed_ids(self) -> tuple[UUID, ...]:
        return tuple(r.item_id for r in self.removed)

    @property
    def order(self) -> tuple[UUID, ...]:
        return tuple(r.id for r in self.rows)


@dataclass(frozen=True, slots=True)
class ProductSetRow:
    """A store's reusable product list (up to 100), in its order."""

    id: UUID
    name: str
    product_ids: tuple[UUID, ...]
    updated_at: datetime

    @property
    def size(self) -> int:
        return len(self.product_ids)


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
    segment: ScriptSegment | None = None
    product_id: UUID | None = None
    broadcast_id: UUID | None = None
    approved_version: int | None = None     # the number the prompter shows
    # The approved version fails the rule pack now in force (re-checked when a new pack came down).
    flagged: bool = False


@dataclass(frozen=True, slots=True)
class ScriptVersionInfo:
    """One saved version of a script, with its decision."""

    id: UUID
    script_id: UUID
    number: int
    body: str
    status: ScriptVersionStatus
    author_name: str
    created_at: datetime
    submitted_at: datetime | None
    submitted_by_name: str
    decided_at: datetime | None
    decided_by_name: str
    decision_comment: str
    override_reason: str
    rule_pack: str                          # name@version the decision was checked against; "" before one
    on_prompter: bool                       # this is the approved version the prompter shows


@dataclass(frozen=True, slots=True)
class ScriptCheckInfo:
    """A version checked against a rule pack, as recorded (script_check)."""

    rule_pack: str
    checked_at: datetime
    reason: str                             # "submit", "approve" or "recheck"
    blocks: int
    warns: int
    rules: tuple[str, ...]                  # the rules that found something, block ones first


@dataclass(frozen=True, slots=True)
class ScriptDetail:
    id: UUID
    title: str
    kind: ScriptKind
    segment: ScriptSegment | None
    product_id: UUID | None
    product_name: str
    broadcast_id: UUID | None
    broadcast_title: str
    template: str
    versions: tuple[ScriptVersionInfo, ...]  # oldest first
    approved_version: int | None
    flagged: bool
    flag: ScriptCheckInfo | None             # the failing re-check, when flagged
    updated_at: datetime

    @property
    def latest(self) -> ScriptVersionInfo:
        return self.versions[-1]

    def version(self, number: int) -> ScriptVersionInfo | None:
        return next((v for v in self.versions if v.number == number), None)


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
    conflict_id: str = ""        # a conflict's id, to settle it
