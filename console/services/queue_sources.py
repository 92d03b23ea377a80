"""Where a queue's products come from besides the catalog: product sets, past broadcasts, queue files.

Each of these is an edit like the others (:mod:`console.services.queue_base`):
one transaction, and undone by ``remove(broadcast_id, change.added_ids)``
(``replace_queue`` also by ``restore(broadcast_id, change.removed)``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.domain.errors import ValidationError
from console.domain.permissions import Permission
from console.domain.values import ProductSetRow, QueueChange, QueueLine, QueueTerms, RemovedQueueItem
from console.i18n import msg
from console.rules.link_numbers import check_link_number, fewest_pins
from console.services.product_sets import MAX_SET_PRODUCTS
from console.services.queue_base import (
    DEFAULT_PLANNED_SECONDS,
    MAX_QUEUE_ITEMS,
    QueueBase,
    QueueEdit,
    check_deal,
    check_live_price,
    check_planned_seconds,
    check_stock,
    product_names,
)
from console.storage.models import Product, QueueItem
from console.storage.outbox import tombstone


@dataclass(frozen=True, slots=True)
class PlannedLine:
    """One line of a queue as a file gives it; None and 0 take the defaults (the store's price, 3:00)."""

    product_id: UUID
    link_number: int | None = None
    live_price_fen: int | None = None
    deal: str = ""
    planned_seconds: int | None = None
    stock_allocated: int | None = None      # None: the row's own, or the store's stock for a new one
    # None: pinned only where the order would not give link_number (a file); else exactly this.
    link_pinned: bool | None = None


def planned_lines(rows: Sequence[QueueLine]) -> list[PlannedLine]:
    """A queue as it stands, as the lines that make it again: ``replace_queue``'s undo."""
    return [PlannedLine(product_id=r.product_id, link_number=r.link_number, live_price_fen=r.live_price_fen or None,
                        deal=r.deal, planned_seconds=r.planned_seconds, stock_allocated=r.stock_allocated,
                        link_pinned=r.link_pinned) for r in rows]


def _check_planned_lines(lines: Sequence[PlannedLine]) -> None:
    """What a file's reader has said row by row, checked again for any other caller."""
    if not lines:
        raise ValidationError(msg("queue.replace_empty", "A queue file needs at least one product."))
    if len(lines) > MAX_QUEUE_ITEMS:
        raise QueueBase._too_long(len(lines))
    if len({line.product_id for line in lines}) != len(lines):
        raise ValidationError(msg("queue.replace_product_twice", "Each product may be on a queue once."))
    numbers = [line.link_number for line in lines if line.link_number is not None]
    if len(set(numbers)) != len(numbers):
        raise ValidationError(msg("queue.replace_link_twice", "Each link number may be given once."))
    for line in lines:
        if line.link_number is not None:
            check_link_number(line.link_number)
        if line.live_price_fen:
            check_live_price(line.live_price_fen)
        if line.planned_seconds:
            check_planned_seconds(line.planned_seconds)
        if line.stock_allocated is not None:
            check_stock(line.stock_allocated)
        check_deal(line.deal)


def _pins(lines: Sequence[PlannedLine]) -> list[int | None]:
    chosen = fewest_pins([line.link_number for line in lines])
    return [pin if line.link_pinned is None else (line.link_number if line.link_pinned else None)
            for line, pin in zip(lines, chosen)]


class QueueSources(QueueBase):
    """Filling a queue from a set, from a past broadcast, or from a file; saving one as a set."""

    @staticmethod
    def _removed_rows(s: Session, broadcast_id: UUID, product_ids: set[UUID]) -> dict[UUID, QueueItem]:
        """The latest removed row of each of these products on this queue, to bring back rather than add."""
        found: dict[UUID, QueueItem] = {}
        if product_ids:
            for item in s.scalars(select(QueueItem).where(
                    QueueItem.broadcast_id == broadcast_id, QueueItem.product_id.in_(product_ids),
                    QueueItem.deleted_at.is_not(None)).order_by(QueueItem.deleted_at)):
                found[item.product_id] = item
        return found

    def add_set(self, broadcast_id: UUID, set_id: UUID, *, at: int | None = None) -> QueueChange:
        """The set's products, in the set's order; withdrawn ones and those already queued are left out."""
        def work(s: Session, items: list[QueueItem], edit: QueueEdit) -> None:
            product_set = self._live_set(s, set_id)
            ids = [UUID(p) for p in product_set.product_ids]
            products = self._products(s, ids, missing_ok=True)
            withdrawn = [products[p].name for p in ids if p in products and products[p].deleted_at is not None]
            if withdrawn:
                edit.notices.append(msg("queue.set_withdrawn_left_out",
                                        "Left out {products}: head office has withdrawn them.",
                                        products=product_names(withdrawn)))
            live = [products[p] for p in ids if p in products and products[p].deleted_at is None]
            if not live:
                raise ValidationError(msg("queue.set_nothing_left",
                                          "Nothing in the set '{name}' can go on the queue.",
                                          name=product_set.name))
            edit.audit["set_id"] = product_set.id
            self._add(s, items, [self._fresh_line(s, p) for p in live], at, edit)

        return self._edit(broadcast_id, "queue_set_added", work)

    def copy_queue(self, broadcast_id: UUID, source_id: UUID, *, at: int | None = None) -> QueueChange:
        """A past broadcast's queue into this one: its products, order, live prices, deals, durations, pins.

        The stock at the start is today's store stock, not what that show
        started with. Withdrawn products and those already queued are left
        out; a pin another item here already holds is dropped; notices say so.
        """
        def work(s: Session, items: list[QueueItem], edit: QueueEdit) -> None:
            if source_id == broadcast_id:
                raise ValidationError(msg("queue.copy_self", "Choose another broadcast to copy the queue from."))
            source = self._broadcast(s, source_id)
            rows = s.execute(
                select(QueueItem, Product).join(Product, Product.id == QueueItem.product_id)
                .where(QueueItem.broadcast_id == source.id, QueueItem.deleted_at.is_(None))
                .order_by(QueueItem.position, QueueItem.link_number)).all()
            if not rows:
                raise ValidationError(msg("queue.copy_empty", "The broadcast '{title}' has no queue to copy.",
                                          title=source.title))
            withdrawn = [p.name for _, p in rows if p.deleted_at is not None]
            if withdrawn:
                edit.notices.append(msg("queue.copy_withdrawn_left_out",
                                        "Left out {products}: head office has withdrawn them.",
                                        products=product_names(withdrawn)))
            pinned_here = {i.link_number for i in items if i.link_pinned}
            dropped: list[str] = []
            lines = []
            for item, product in rows:
                if product.deleted_at is not None:
                    continue
                pin = item.link_number if item.link_pinned else None
                if pin is not None and pin in pinned_here:
                    dropped.append(product.name)
                    pin = None
                lines.append(replace(self._fresh_line(s, product), live_price_fen=item.live_price_fen,
                                     deal=item.deal, planned_seconds=item.planned_seconds, pin=pin))
            if not lines:
                raise ValidationError(msg("queue.copy_nothing_left",
                                          "Nothing on the queue of '{title}' can go on this one.", title=source.title))
            if dropped:
                edit.notices.append(msg("queue.copy_pins_dropped",
                                        "{products} now follow the order: their pinned link numbers are taken "
                                        "here.", products=product_names(dropped)))
            edit.audit["source_id"] = source.id
            self._add(s, items, lines, at, edit)

        return self._edit(broadcast_id, "queue_copied", work)

    # --- sets from and to queues ----------------------------------------------------------------

    def save_queue_as_set(self, broadcast_id: UUID, name: str) -> ProductSetRow:
        """A new product set of this queue's products, in its order (any broadcast, past ones too)."""
        self._actor.require(Permission.PLAN_BROADCASTS)
        with self._db.begin() as s:
            self._broadcast(s, broadcast_id)
            ids = list(s.scalars(select(QueueItem.product_id).join(Product, Product.id == QueueItem.product_id)
                                 .where(QueueItem.broadcast_id == broadcast_id, QueueItem.deleted_at.is_(None),
                                        Product.deleted_at.is_(None))
                                 .order_by(QueueItem.position, QueueItem.link_number)))
            if not ids:
                raise ValidationError(msg("queue.save_empty", "This queue has no products to save as a set."))
            if len(ids) > MAX_SET_PRODUCTS:
                raise ValidationError(msg("queue.save_too_many",
                                          "A set holds at most {limit} products; this queue has {count}.",
                                          limit=MAX_SET_PRODUCTS, count=len(ids)))
            return self._create_set(s, name, ids)

    # --- replacing the whole queue (files) ------------------------------------------------------

    def replace_queue(self, broadcast_id: UUID, lines: Sequence[PlannedLine]) -> QueueChange:
        """The queue becomes exactly these lines, all or nothing (a queue file's import).

        An item whose product stays keeps its row (and id) with the new terms,
        and a product this queue had removed comes back as its old row; the
        others are removed and new ones added. Link numbers the lines give are
        kept with as few pins as they need. The undo is
        ``replace_queue(b, planned_lines(rows before))``: the same rows again.
        """
        _check_planned_lines(lines)

        def work(s: Session, items: list[QueueItem], edit: QueueEdit) -> None:
            products = self._products(s, [line.product_id for line in lines])
            withdrawn = [products[line.product_id].name for line in lines
                         if products[line.product_id].deleted_at is not None]
            if withdrawn:
                raise ValidationError(msg("queue.withdrawn",
                                          "Head office has withdrawn {products}; it cannot go on a queue.",
                                          products=product_names(withdrawn)))
            staying = {line.product_id for line in lines}
            edit.order_before = tuple(i.id for i in items)
            for index, item in enumerate(items):
                if item.product_id not in staying:
                    edit.removed.append(RemovedQueueItem(item.id, index,
                                                         item.link_number if item.link_pinned else None))
                    tombstone(item)
            # The removed rows leave the link-number index before the others take their numbers.
            s.flush()
            rows = {i.product_id: i for i in items if i.product_id in staying}
            rows.update(self._removed_rows(s, broadcast_id, staying - set(rows)))
            order: list[QueueItem] = []
            for line, pin in zip(lines, _pins(lines)):
                product = products[line.product_id]
                fresh = self._fresh_line(s, product)
                item = rows.get(product.id)
                stock = line.stock_allocated
                if item is None or item.deleted_at is not None:
                    item = item or self._new_item(product, broadcast_id, fresh)
                    item.deleted_at = None
                    edit.added.append(item.id)
                    stock = fresh.stock_allocated if stock is None else stock
                terms = QueueTerms(item_id=item.id, live_price_fen=line.live_price_fen or fresh.live_price_fen,
                                   deal=check_deal(line.deal),
                                   planned_seconds=line.planned_seconds or DEFAULT_PLANNED_SECONDS,
                                   stock_allocated=item.stock_allocated if stock is None else stock)
                self._write_terms(item, terms, edit, validate=False)
                item.link_pinned = pin is not None
                if pin is not None:
                    item.link_number = pin
                order.append(item)
            edit.audit.update(items=len(lines), removed=len(edit.removed))
            items[:] = order
            self._settle(s, items, edit)

        return self._edit(broadcast_id, "queue_replaced", work)

