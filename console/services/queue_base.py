"""What the queue service's edits share: one transaction each, the link numbers settled, the change built.

:class:`QueueBase` reads a broadcast's queue and runs an edit (``_edit``):
it refuses a broadcast past planning, lets the edit work on the items in
order, settles positions and link numbers in one flush, asks the ready-gate
whether a ready broadcast is still ready, and builds the
:class:`~console.domain.values.QueueChange`. The edits themselves are in
:mod:`console.services.queue` (the items) and
:mod:`console.services.queue_sources` (sets, past broadcasts, files).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, func, inspect, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from console.domain.enums import BroadcastStatus
from console.domain.errors import NotFound, ValidationError
from console.domain.permissions import Actor, Permission
from console.domain.values import LinkPin, QueueChange, QueueLine, QueueTerms, QueueTiming, RemovedQueueItem
from console.i18n import Message, Money, msg, msg_n
from console.rules.link_numbers import link_numbers
from console.rules.on_air import has_after_sales_policy, on_air_problems
from console.services.broadcasts import BroadcastService
from console.domain.amounts import MAX_ALLOCATED_STOCK, MAX_PLANNED_SECONDS, MAX_PRICE_FEN
from console.services.gate import quality_papers_count
from console.services.limits import check_length, column_length
from console.services.product_sets import ProductSets, unique_ids
from console.storage.db import Database
from console.storage.ids import new_id
from console.storage.models import Broadcast, Product, QueueItem, StoreProduct

MAX_QUEUE_ITEMS = 999
MAX_LIVE_PRICE_FEN = MAX_PRICE_FEN      # as a catalog file's prices: a hundred million yuan
MAX_STOCK = MAX_ALLOCATED_STOCK
DEFAULT_PLANNED_SECONDS = 180
DEAL_LENGTH = column_length(QueueItem.deal)
# More names than this in a notice are cut short ("... and 7 more").
NAMES_IN_NOTICE = 5

EDITABLE = frozenset({BroadcastStatus.PLANNED, BroadcastStatus.READY})

DEAL_WORDS = msg("queue.deal_field", "deal")


# --------------------------------------------------------------------------
# What an edit did, collected as it goes
# --------------------------------------------------------------------------


@dataclass
class QueueEdit:
    """What one edit has done so far; it becomes the :class:`~console.domain.values.QueueChange`."""

    action: str
    broadcast_id: UUID
    changed: set[UUID] = field(default_factory=set)
    added: list[UUID] = field(default_factory=list)
    removed: list[RemovedQueueItem] = field(default_factory=list)
    order_before: tuple[UUID, ...] = ()
    terms_before: list[QueueTerms] = field(default_factory=list)
    pins_before: list[LinkPin] = field(default_factory=list)
    notices: list[Message] = field(default_factory=list)
    audit: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class NewLine:
    """A product to put on the queue, with the terms it comes with."""

    product: Product
    live_price_fen: int
    deal: str = ""
    planned_seconds: int = DEFAULT_PLANNED_SECONDS
    stock_allocated: int = 0
    pin: int | None = None


def product_names(names: Sequence[str]) -> Message:
    """Product names for a notice: the first few, then how many more."""
    if len(names) <= NAMES_IN_NOTICE:
        return msg("queue.names", "{names}", names=tuple(names))
    return msg_n("queue.names_and_more", "{names} and {count} more", "{names} and {count} more",
                 names=tuple(names[:NAMES_IN_NOTICE]), count=len(names) - NAMES_IN_NOTICE)


def id_list(ids: UUID | Iterable[UUID]) -> list[UUID]:
    return [ids] if isinstance(ids, UUID) else unique_ids(ids)


def _committed(item: QueueItem, attribute: str) -> Any:
    """The value the database holds now (the flush has not written a newer one yet)."""
    history = inspect(item).attrs[attribute].history
    if history.deleted:
        return history.deleted[0]
    return history.unchanged[0] if history.unchanged else getattr(item, attribute)


# --------------------------------------------------------------------------
# Checking what a manager types
# --------------------------------------------------------------------------


def check_live_price(fen: int) -> int:
    if fen <= 0:
        raise ValidationError(msg("queue.price_not_positive", "The live price must be more than {zero}.",
                                  zero=Money(0)))
    if fen > MAX_LIVE_PRICE_FEN:
        raise ValidationError(msg("queue.price_too_high", "The live price may be at most {limit}.",
                                  limit=Money(MAX_LIVE_PRICE_FEN)))
    return fen


def check_planned_seconds(seconds: int) -> int:
    if not 0 < seconds <= MAX_PLANNED_SECONDS:
        raise ValidationError(msg("queue.duration_out_of_range",
                                  "The planned duration must be more than 0:00 and at most {limit} minutes.",
                                  limit=MAX_PLANNED_SECONDS // 60))
    return seconds


def check_stock(stock: int) -> int:
    if not 0 <= stock <= MAX_STOCK:
        raise ValidationError(msg("queue.stock_out_of_range", "The stock at the start must be 0 to {limit}.",
                                  limit=MAX_STOCK))
    return stock


def check_deal(deal: str) -> str:
    return check_length(DEAL_WORDS, deal.strip(), DEAL_LENGTH)


def tidy_code(code: str) -> str:
    """A scanned or typed code as the catalog writes it (full-width digits from an IME made plain)."""
    return unicodedata.normalize("NFKC", code).strip()



# --------------------------------------------------------------------------
# The base
# --------------------------------------------------------------------------


class QueueBase(ProductSets):
    """Reading a queue, and the unit of work every edit runs in."""

    def __init__(self, db: Database, actor: Actor, broadcasts: BroadcastService | None = None) -> None:
        super().__init__(db, actor)
        self._broadcasts = broadcasts or BroadcastService(db, actor)

    # --- reading ----------------------------------------------------------------------------

    def current(self, broadcast_id: UUID) -> QueueChange:
        """The queue as it stands, as a change that names nothing changed (what a view loads)."""
        return self._with_readiness(self._read(broadcast_id))

    def lines(self, broadcast_id: UUID) -> tuple[QueueLine, ...]:
        return self._read(broadcast_id).rows

    def timing(self, broadcast_id: UUID) -> QueueTiming:
        """The running total of planned durations against the broadcast's window."""
        return self._read(broadcast_id).timing

    def _read(self, broadcast_id: UUID) -> QueueChange:
        """The queue without the ready-gate's findings (they cost a query of their own)."""
        self._actor.require(Permission.VIEW_STORE)
        with self._db.begin() as s:
            return self._change(s, self._broadcast(s, broadcast_id), QueueEdit("read", broadcast_id), None)

    # --- inside a unit of work --------------------------------------------------------------------

    def _edit(self, broadcast_id: UUID, action: str,
              work: Callable[[Session, list[QueueItem], QueueEdit], None]) -> QueueChange:
        self._actor.require(Permission.PLAN_BROADCASTS)
        try:
            with self._db.begin() as s:
                broadcast = self._broadcast(s, broadcast_id)
                self._refuse_unless_editable(broadcast)
                edit = QueueEdit(action, broadcast.id)
                # No flush until the edit's own: a row brought back or renumbered must not be
                # written with its old link number while another row still holds it.
                with s.no_autoflush:
                    work(s, self._items(s, broadcast_id), edit)
                s.flush()
                self._audit(s, action, "broadcast", broadcast_id, **edit.audit)
                unready = self._unready(s, broadcast_id)
                change = self._change(s, broadcast, edit, unready)
        except IntegrityError:
            # Another console or the command line wrote this queue in the meantime.
            raise ValidationError(msg("queue.changed_meanwhile",
                                      "The queue has changed in the meantime; look again and repeat.")) from None
        return self._with_readiness(change)

    def _with_readiness(self, change: QueueChange) -> QueueChange:
        """The ready-gate's findings on each item, as the editor shows them while one edits."""
        check = getattr(self._broadcasts, "ready_check", None)
        return replace(change, readiness=check(change.broadcast_id)) if check is not None else change

    def _unready(self, s: Session, broadcast_id: UUID) -> Message | None:
        # Written by the ready-gate's side of BroadcastService; absent, an edit simply leaves the status alone.
        hook = getattr(self._broadcasts, "unready_if_broken", None)
        return hook(s, broadcast_id) if hook is not None else None

    def _broadcast(self, s: Session, broadcast_id: UUID) -> Broadcast:
        broadcast = s.get(Broadcast, broadcast_id)
        if broadcast is None or broadcast.deleted_at is not None or broadcast.store_id != self._store_scope():
            raise NotFound(msg("broadcasts.no_such_broadcast", "That broadcast does not exist in this store."))
        return broadcast

    @staticmethod
    def _refuse_unless_editable(broadcast: Broadcast) -> None:
        if broadcast.status in EDITABLE:
            return
        if broadcast.status is BroadcastStatus.LIVE:
            raise ValidationError(msg("queue.broadcast_live",
                                      "'{title}' is on air: its queue is run from the live screen now.",
                                      title=broadcast.title))
        if broadcast.status is BroadcastStatus.ENDED:
            raise ValidationError(msg("queue.broadcast_ended",
                                      "'{title}' has ended, so its queue stays as it was run; copy it into a "
                                      "new broadcast to use it again.", title=broadcast.title))
        raise ValidationError(msg("queue.broadcast_cancelled",
                                  "'{title}' was cancelled; its queue cannot be changed.", title=broadcast.title))

    @staticmethod
    def _items(s: Session, broadcast_id: UUID) -> list[QueueItem]:
        return list(s.scalars(select(QueueItem).where(QueueItem.broadcast_id == broadcast_id,
                                                      QueueItem.deleted_at.is_(None))
                              .order_by(QueueItem.position, QueueItem.link_number, QueueItem.id)))

    @staticmethod
    def _pick(items: list[QueueItem], ids: list[UUID]) -> set[UUID]:
        if not ids:
            raise ValidationError(msg("queue.nothing_chosen", "Choose at least one item on the queue."))
        present = {i.id for i in items}
        if any(i not in present for i in ids):
            raise NotFound(msg("queue.no_such_item", "That item is not on this broadcast's queue."))
        return set(ids)

    def _products(self, s: Session, ids: Sequence[UUID], *, missing_ok: bool = False) -> dict[UUID, Product]:
        found = {p.id: p for p in s.scalars(select(Product).where(Product.id.in_(set(ids))))}
        if not missing_ok and any(p not in found for p in ids):
            raise NotFound(msg("catalog.no_such_product", "That product is not in the catalog."))
        return found

    def _product_by_code(self, s: Session, code: str) -> Product:
        code = tidy_code(code)
        if not code:
            raise ValidationError(msg("queue.no_code", "Scan a barcode or type a SKU."))
        # A SKU names one product; a barcode may be shared by the variants of one. Each test in turn,
        # so that the common ones can use an index; a SKU typed in the wrong case is the last resort.
        found: list[Product] = []
        for test in (Product.sku == code, Product.barcode == code, func.lower(Product.sku) == code.lower()):
            found = list(s.scalars(select(Product).where(test)))
            if found:
                break
        if not found:
            raise NotFound(msg("queue.unknown_code", "No product in the catalog has the barcode or SKU '{code}'.",
                               code=code))
        live = [p for p in found if p.deleted_at is None]
        if not live:
            raise ValidationError(msg("queue.code_withdrawn",
                                      "Head office has withdrawn {product} ({code}); it cannot go on a queue.",
                                      product=found[0].name, code=code))
        if len(live) > 1:
            raise ValidationError(msg("queue.code_ambiguous",
                                      "{count} products share the barcode '{code}' ({products}); type the SKU "
                                      "of the one you mean.", count=len(live), code=code,
                                      products=product_names([f"{p.name} {p.sku}" for p in live])))
        return live[0]

    def _store_product(self, s: Session, product_id: UUID) -> StoreProduct | None:
        return s.scalar(select(StoreProduct).where(StoreProduct.store_id == self._store_scope(),
                                                   StoreProduct.product_id == product_id,
                                                   StoreProduct.deleted_at.is_(None)))

    def _fresh_line(self, s: Session, product: Product) -> NewLine:
        """A product with the store's terms: its counter price (0 when none is set) and its stock."""
        sp = self._store_product(s, product.id)
        return NewLine(product=product, live_price_fen=sp.counter_price_fen if sp else 0,
                       stock_allocated=min(sp.stock, MAX_STOCK) if sp else 0)

    def _new_item(self, product: Product, broadcast_id: UUID, line: NewLine) -> QueueItem:
        # Not added to the session yet: _settle gives it its number first (the column is NOT NULL).
        item = QueueItem(store_id=self._store_scope(), broadcast_id=broadcast_id, product_id=product.id,
                         live_price_fen=line.live_price_fen, deal=line.deal, planned_seconds=line.planned_seconds,
                         stock_allocated=line.stock_allocated, link_pinned=line.pin is not None)
        item.id = new_id()   # now, so the change can name it before the flush
        if line.pin is not None:
            item.link_number = line.pin
        return item

    def _add(self, s: Session, items: list[QueueItem], lines: list[NewLine], at: int | None,
             edit: QueueEdit) -> None:
        queued = {i.product_id: i for i in items}
        already = [line.product for line in lines if line.product.id in queued]
        fresh = [line for line in unique_lines(lines) if line.product.id not in queued]
        if not fresh:
            if len(already) == 1:
                product = already[0]
                raise ValidationError(msg("queue.already_queued",
                                          "{product} is already on this queue as link {link}.",
                                          product=product.name, link=queued[product.id].link_number))
            raise ValidationError(msg_n("queue.all_already_queued", "{count} product is already on this queue.",
                                        "All {count} products are already on this queue.", count=len(already)))
        if already:
            edit.notices.append(msg("queue.already_queued_left_out", "Left out {products}: already on this queue.",
                                    products=product_names([p.name for p in already])))
        if len(items) + len(fresh) > MAX_QUEUE_ITEMS:
            raise self._too_long(len(items) + len(fresh))
        pinned = {i.link_number for i in items if i.link_pinned}
        new_items = []
        for line in fresh:
            if line.pin is not None and line.pin in pinned:
                line = replace(line, pin=None)
            if line.pin is not None:
                pinned.add(line.pin)
            new_items.append(self._new_item(line.product, edit.broadcast_id, line))
        place = len(items) if at is None else min(max(at, 0), len(items))
        items[place:place] = new_items
        edit.added += [i.id for i in new_items]
        edit.audit["items"] = len(new_items)
        self._settle(s, items, edit)

    @staticmethod
    def _too_long(count: int) -> ValidationError:
        return ValidationError(msg("queue.too_long", "A queue holds at most {limit} products; this one would have "
                                                     "{count}.", limit=MAX_QUEUE_ITEMS, count=count))

    def _reorder(self, s: Session, items: list[QueueItem], order: list[QueueItem], edit: QueueEdit) -> None:
        if [i.id for i in order] == [i.id for i in items]:
            return
        edit.order_before = tuple(i.id for i in items)
        edit.audit["items"] = len(order)
        items[:] = order
        self._settle(s, items, edit)

    @staticmethod
    def _write_terms(item: QueueItem, terms: QueueTerms, edit: QueueEdit, *, validate: bool = True) -> None:
        if validate:
            check_live_price(terms.live_price_fen)
            check_planned_seconds(terms.planned_seconds)
            check_stock(terms.stock_allocated)
            terms = replace(terms, deal=check_deal(terms.deal))
        if inspect(item).persistent:
            before = terms_of(item)
            if before == terms:
                return
            edit.terms_before.append(before)
        item.live_price_fen, item.deal = terms.live_price_fen, terms.deal
        item.planned_seconds, item.stock_allocated = terms.planned_seconds, terms.stock_allocated
        edit.changed.add(item.id)

    @staticmethod
    def _settle(s: Session, items: list[QueueItem], edit: QueueEdit) -> None:
        """Positions 1..n in list order, link numbers from the order and the pins, written in one flush.

        SQLite checks the unique link number of each row as it updates it, so
        two items trading numbers would collide halfway. The rows whose number
        changes are first parked on negative numbers, straight on the
        connection: that step makes no outbox entry and no change-log entry,
        and the flush then writes each row once, with its final number.
        """
        numbers = link_numbers([i.link_number if i.link_pinned else None for i in items])
        parking = [i for i, n in zip(items, numbers) if inspect(i).persistent and _committed(i, "link_number") != n]
        if parking:
            table = QueueItem.__table__
            s.connection().execute(
                update(table).where(table.c.id == bindparam("parked_id"))
                .values(link_number=bindparam("parked_number")),
                [{"parked_id": i.id, "parked_number": -(k + 1)} for k, i in enumerate(parking)])
        for position, (item, number) in enumerate(zip(items, numbers), start=1):
            item.position, item.link_number = position, number
            state = inspect(item)
            if state.transient:
                s.add(item)
                edit.changed.add(item.id)
            elif any(state.attrs[a].history.has_changes() for a in ("position", "link_number", "link_pinned",
                                                                    "deleted_at")):
                edit.changed.add(item.id)
        s.flush()

    @staticmethod
    def _product_name(s: Session, item: QueueItem) -> str:
        product = s.get(Product, item.product_id)
        return product.name if product else ""

    # --- the change --------------------------------------------------------------------------------

    def _change(self, s: Session, broadcast: Broadcast, edit: QueueEdit, unready: Message | None) -> QueueChange:
        rows = self._lines(s, broadcast.id)
        status = s.scalar(select(Broadcast.status).where(Broadcast.id == broadcast.id)) or broadcast.status
        window = int((broadcast.planned_end - broadcast.planned_start).total_seconds())
        timing = QueueTiming(planned_seconds=sum(r.planned_seconds for r in rows), window_seconds=max(0, window))
        live = {r.id for r in rows}
        return QueueChange(
            broadcast_id=broadcast.id, rows=rows, timing=timing, status=status,
            changed_ids=tuple(r.id for r in rows if r.id in edit.changed),
            added_ids=tuple(i for i in edit.added if i in live), removed=tuple(edit.removed),
            order_before=edit.order_before, terms_before=tuple(edit.terms_before),
            pins_before=tuple(edit.pins_before), notices=tuple(edit.notices), unready=unready,
        )

    def _lines(self, s: Session, broadcast_id: UUID) -> tuple[QueueLine, ...]:
        sid = self._store_scope()
        q = (
            select(QueueItem, Product.id, Product.sku, Product.barcode, Product.name, Product.brand, Product.spec,
                   Product.after_sales_policy, Product.deleted_at, StoreProduct.counter_price_fen,
                   StoreProduct.stock, quality_papers_count())
            .join(Product, Product.id == QueueItem.product_id)
            .outerjoin(StoreProduct, (StoreProduct.product_id == Product.id) & (StoreProduct.store_id == sid)
                       & StoreProduct.deleted_at.is_(None))
            .where(QueueItem.broadcast_id == broadcast_id, QueueItem.deleted_at.is_(None))
            .order_by(QueueItem.position, QueueItem.link_number, QueueItem.id)
        )
        return tuple(
            QueueLine(
                id=qi.id, index=index, link_number=qi.link_number, link_pinned=qi.link_pinned,
                product_id=pid, sku=sku, barcode=barcode, product_name=name, brand=brand, spec=spec,
                live_price_fen=qi.live_price_fen, counter_price_fen=counter, store_stock=stock, deal=qi.deal,
                planned_seconds=qi.planned_seconds, stock_allocated=qi.stock_allocated, status=qi.status,
                withdrawn=withdrawn_at is not None,
                on_air_problems=on_air_problems(quality_papers=papers or 0,
                                                has_policy=has_after_sales_policy(policy)),
            )
            for index, (qi, pid, sku, barcode, name, brand, spec, policy, withdrawn_at, counter, stock, papers)
            in enumerate(s.execute(q))
        )


def terms_of(item: QueueItem) -> QueueTerms:
    return QueueTerms(item_id=item.id, live_price_fen=item.live_price_fen, deal=item.deal,
                      planned_seconds=item.planned_seconds, stock_allocated=item.stock_allocated)


def unique_lines(lines: list[NewLine]) -> list[NewLine]:
    """Each product once, at its first place."""
    seen: set[UUID] = set()
    out = []
    for line in lines:
        if line.product.id not in seen:
            seen.add(line.product.id)
            out.append(line)
    return out

